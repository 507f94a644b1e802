"""The README's table of the four blocs (notebooks, checks, written answers and jury grids, points,
criteria covered), generated from the masters' metadata between two markers.

``mda build`` refreshes it when the course's README holds the markers; a test says when the
committed README is stale. Counting is ``mda_checks.coverage``'s: the cells ``mda coverage`` lists.
"""
from __future__ import annotations

import re
from pathlib import Path

from mda_apprenant.check.formatting import format_points
from mda_checks.course import Course, bloc_number
from mda_checks.coverage import AUTO, Coverage, assignment_coverage
from mda_checks.notebook import cells
from mda_checks.referentiel import load_referentiel

BEGIN = "<!-- tableau des blocs : généré par « mda build » depuis les originaux (source/), ne pas modifier à la main -->"
END = "<!-- fin du tableau des blocs -->"
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
HEADER = ("| Bloc | Carnets | Vérifications automatiques | Réponses écrites et grilles du jury | Critères couverts |\n"
          "|---|---|---|---|---|")


def _count(graded: list, what: str = "") -> str:
    return f"{len(graded)} ({format_points(sum(cell.points for cell in graded))} points{what})"


def bloc_row(course: Course, assignment: str) -> str:
    """One bloc's row: what its masters grade, and how many of its criteria they cover."""
    coverage: Coverage = assignment_coverage(course, assignment)
    auto = [c for c in coverage.cells if c.mode == AUTO]
    manual = [c for c in coverage.cells if c.mode != AUTO]
    tasks = {(name, cells.grade_id(c)) for name, nb in course.read_source(assignment).items()
             for c in nb.cells if cells.is_task(c)}
    jury = [c for c in manual if (c.notebook, c.grade_id) in tasks]
    written = _count(manual)
    if jury:
        individual = " (soutenance individuelle)" if all(c.individual for c in jury) else ""
        written = f"{written}, dont {len(jury)} grilles du jury{individual}"
    bloc = load_referentiel().bloc(bloc_number(assignment))
    covered = len(coverage.criteria) - len(coverage.missing)
    return (f"| {bloc.number} — {bloc.short_title} | {len(course.source_notebooks(assignment))} | {_count(auto)} "
            f"| {written} | {covered} / {len(coverage.criteria)} |")


def points_table(course: Course) -> str:
    rows = "\n".join(bloc_row(course, assignment) for assignment in course.assignments())
    return f"{BEGIN}\n{HEADER}\n{rows}\n{END}"


def refresh_points_table(course: Course, readme: Path, write: bool = True) -> bool:
    """Regenerate the table of `readme` (a README without the markers is left alone); True when it changed."""
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        return False
    fresh = BLOCK.sub(lambda _: points_table(course), text, count=1)
    if fresh != text and write:
        readme.write_text(fresh, encoding="utf-8")
    return fresh != text
