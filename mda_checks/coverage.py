"""Which graded cell assesses which evaluation criterion (CE), from cell metadata."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mda_checks.course import Course, bloc_number
from mda_checks.notebook import cells
from mda_checks.referentiel import Criterion, load_referentiel

AUTO, MANUAL = "automatique", "manuelle"


@dataclass(frozen=True)
class GradedCell:
    notebook: str
    grade_id: str
    points: float
    mode: str  # AUTO or MANUAL
    ce: tuple[str, ...]
    #: ``metadata.mda.individuel`` (the cell or its notebook): a member's own part in a group assignment
    individual: bool = False


@dataclass(frozen=True)
class Coverage:
    """An assignment's graded cells against its bloc's criteria."""

    assignment: str
    criteria: tuple[Criterion, ...]
    cells: tuple[GradedCell, ...]

    def by_criterion(self) -> dict[str, list[GradedCell]]:
        found: dict[str, list[GradedCell]] = defaultdict(list)
        for cell in self.cells:
            for code in cell.ce:
                found[code].append(cell)
        return {ce.code: found.get(ce.code, []) for ce in self.criteria}

    @property
    def missing(self) -> list[Criterion]:
        """Criteria of the bloc that no graded cell assesses."""
        assessed = {code for cell in self.cells for code in cell.ce}
        return [ce for ce in self.criteria if ce.code not in assessed]

    @property
    def untagged(self) -> list[GradedCell]:
        """Graded cells that declare no criterion (every graded cell must)."""
        return [cell for cell in self.cells if not cell.ce]

    @property
    def foreign(self) -> list[tuple[GradedCell, str]]:
        """(cell, code) pairs naming a code outside this bloc's criteria."""
        known = {ce.code for ce in self.criteria}
        return [(cell, code) for cell in self.cells for code in cell.ce if code not in known]

    @property
    def complete(self) -> bool:
        return not (self.missing or self.untagged or self.foreign)


def assignment_coverage(course: Course, assignment: str) -> Coverage:
    """Read the assignment's source notebooks and list what each graded cell assesses."""
    from mda_checks.groups.parts import individual_flag

    graded = []
    for name, notebook in course.read_source(assignment).items():
        whole = individual_flag(notebook.metadata)
        for cell in notebook.cells:
            if cells.is_graded(cell):
                mode = AUTO if cells.is_autograded_test(cell) else MANUAL
                graded.append(GradedCell(name, cells.grade_id(cell), cells.points(cell), mode, cells.ce_codes(cell),
                                         whole or individual_flag(cell.get("metadata"))))
    criteria = load_referentiel().bloc(bloc_number(assignment)).criteria
    return Coverage(assignment, criteria, tuple(graded))


def format_coverage(coverage: Coverage) -> str:
    """A French plain-text table: CE -> cells, points, mode; then what is missing."""
    lines = [f"Couverture du devoir {coverage.assignment} : {len(coverage.criteria)} critères (CE)", ""]
    width = max(len(ce.code) for ce in coverage.criteria)
    mode_width = 33 if any(c.individual for c in coverage.cells) else 22
    for code, graded in coverage.by_criterion().items():
        if not graded:
            lines.append(f"{code:<{width}}  NON ÉVALUÉ")
            continue
        total = sum(c.points for c in graded)
        modes = "/".join(sorted({c.mode for c in graded})) + (" + oral individuel" if any(c.individual for c in graded)
                                                              else "")
        where = ", ".join(f"{c.notebook}:{c.grade_id}" for c in graded)
        lines.append(f"{code:<{width}}  {total:>5g} pt  {modes:<{mode_width}}  {where}")
    auto = sum(c.points for c in coverage.cells if c.mode == AUTO)
    manual = sum(c.points for c in coverage.cells if c.mode == MANUAL)
    assessed = len(coverage.criteria) - len(coverage.missing)
    individual = sum(c.points for c in coverage.cells if c.individual)
    lines += [
        "",
        f"Cellules notées : {len(coverage.cells)} — {auto:g} points automatiques, {manual:g} points manuels"
        + (f" (dont {individual:g} individuels : metadata.mda.individuel)" if individual else "") + ".",
        f"Critères évalués : {assessed} / {len(coverage.criteria)}.",
    ]
    if coverage.missing:
        lines.append("Critères sans évaluation : " + ", ".join(ce.code for ce in coverage.missing))
    for cell in coverage.untagged:
        lines.append(f"Cellule sans critère déclaré (metadata.mda.ce) : {cell.notebook}:{cell.grade_id}")
    for cell, code in coverage.foreign:
        lines.append(f"Code inconnu pour ce bloc dans {cell.notebook}:{cell.grade_id} : {code}")
    return "\n".join(lines)
