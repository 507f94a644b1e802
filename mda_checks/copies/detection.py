"""Finding copies: a learner's answers that are another case's right answers and not their own.

For each graded copy (a learner's, or a group's in a group assignment: its members share one case
and one copy), each answer it handed over is compared with the right answers of every other case
of the assignment, cell by cell, with the cell's own answer kind and tolerance
(``variants.compare``). A cell is evidence when the answer is the other case's right answer and
not the learner's own. It is comparable only when the two cases' right answers differ: an answer
both cases share proves nothing. Evidence is of three kinds:

- counted: a number of the case (an amount, a rate, a table of numbers …) that nobody gives
  by chance, and that no third case of the assignment shares;
- weak: a label, a list of labels, a small whole number or a date, or a right answer several
  cases share, which a wrong answer can give by chance (shown, never counted);
- carried: a question whose answer is what the learner's own case gives from earlier answers that are
  themselves evidence (computed from the copied answers, it scored full on them; shown, never counted
  twice). A carried answer that is the source's right answer but not what the learner's own earlier
  answers give on their own data was not computed from them: it is evidence of its own.

The sources are the cases of every learner the variant registry gave one (``mda release``), handed in
or not: a learner may copy a classmate's worked answers whether or not that classmate hands in.
A copy is suspected when it has at least ``COPY_EVIDENCE_CELLS`` counted cells from one case.
Nothing here changes a grade.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import pandas as pd

from mda_checks.config import COPY_EVIDENCE_CELLS
from mda_checks.copies.handovers import read_handovers
from mda_checks.course import Course
from mda_checks.scoring.right_answers import resolve_carried
from mda_checks.variants.compare import KeyCell, case_key, coincide, matches
from mda_checks.variants.learner_case import LearnerCase, data_digest, learner_case
from mda_checks.variants.registry import VariantRecord, read_registry

COUNTED, WEAK, CARRIED = "comptée", "faible", "reportée"
#: a whole number below this is an answer a slip can give by chance (a rank, a count of a few items)
SMALL_WHOLE = 100


@dataclass(frozen=True)
class CopyUnit:
    """One graded copy: a learner's, or their group's (handed in by `student`)."""

    label: str
    student: str
    case: LearnerCase


@dataclass(frozen=True)
class Concordance:
    """One cell where the learner's answer is the source's right answer and not their own."""

    notebook: str
    grade_id: str
    question: str
    kind: str                 # COUNTED, WEAK or CARRIED
    answer: Any               # what the learner handed over
    own: Any                  # their own right answer
    source: Any               # the source's right answer
    inputs: tuple[str, ...] = ()  # a carried question: its earlier cells that are evidence


@dataclass(frozen=True)
class Suspicion:
    """A copy whose answers are, on at least COPY_EVIDENCE_CELLS counted cells, another case's right answers."""

    assignment: str
    learner: str
    learner_variant: str
    source: str               # the learners (or group) whose case it is
    source_variant: str
    concordances: tuple[Concordance, ...]
    comparable: int           # counted-kind cells the learner answered where the two cases' answers differ

    def of_kind(self, kind: str) -> list[Concordance]:
        return [c for c in self.concordances if c.kind == kind]

    @property
    def counted(self) -> list[Concordance]:
        return self.of_kind(COUNTED)


@dataclass
class Findings:
    """What copy detection found in one assignment."""

    assignment: str
    units: int = 0
    cases: int = 0
    suspicions: list[Suspicion] = field(default_factory=list)
    #: graded copies with no answer kept (graded before answers were kept, or nothing handed over)
    without_handovers: list[str] = field(default_factory=list)
    #: cases compared as sources only: learners (or groups) given a variant whose copy is not graded
    not_handed_in: list[str] = field(default_factory=list)
    #: graded copies left out, with why (their case cannot be regenerated: docs/formateur.md « Une variante par
    #: apprenant »)
    left_out: list[str] = field(default_factory=list)


def is_distinctive(value: Any) -> bool:
    """Does `value` carry a number of the case nobody gives by chance (not a label, a small whole number,
    a date)? A table or a list does when one of its values does."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, numbers.Real):
        number = float(value)
        return math.isfinite(number) and (not number.is_integer() or abs(number) >= SMALL_WHOLE)
    if isinstance(value, pd.DataFrame):
        return any(is_distinctive(v) for v in value.select_dtypes("number").to_numpy().ravel())
    if isinstance(value, pd.Series):
        return pd.api.types.is_numeric_dtype(value) and any(is_distinctive(v) for v in value)
    if isinstance(value, (list, tuple, set)):
        return any(is_distinctive(v) for v in value)
    return False


def copy_units(course: Course, assignment: str, left_out: list[str] | None = None) -> list[CopyUnit]:
    """The graded copies of an assignment: one per learner, or one per group in a group assignment (its
    members' folders hold the same graded notebooks, recopied). A copy whose case cannot be read is left out
    (``left_out`` gets why)."""
    from mda_checks.groups.propagate import group_selection

    graded = sorted(p.parent.name for p in course.step("autograded").glob(f"*/{assignment}") if p.is_dir())
    selection = group_selection(course, assignment)
    if selection is None:
        labelled = [(s, s) for s in graded]
    else:
        labelled = [(f"groupe {group} ({', '.join(copy.members)})", copy.source)
                    for group, copy in sorted(selection.copies.items()) if copy.source in graded]
    units = []
    for label, student in labelled:
        try:
            units.append(CopyUnit(label, student, learner_case(course, assignment, student)))
        except (OSError, ValueError) as problem:  # VariantMismatch, a lost course key …
            if left_out is not None:
                left_out.append(f"{label} : {problem}")
    return units


NOT_HANDED_IN = "copie non rendue"


def registry_sources(course: Course, assignment: str, known: set[str], left_out: list[str] | None = None
                     ) -> list[CopyUnit]:
    """The cases the variant registry gave for `assignment` that no graded copy is on (`known`: their digests): a
    learner, or a group, who handed nothing in (or is not graded yet). Their right answers are sources as well;
    they are never compared as copies (they handed nothing over). A case that cannot be regenerated is left out
    (``left_out`` gets why); the case of a graded copy is never tried twice (``copy_units`` tried it)."""
    given = {student: r for (devoir, student), r in sorted(read_registry(course).items()) if devoir == assignment}
    graded = {p.parent.name for p in course.step("autograded").glob(f"*/{assignment}") if p.is_dir()}
    tried = {r.identity for student, r in given.items() if student in graded}
    sharing: dict[str, list[VariantRecord]] = {}
    for record in given.values():
        if record.empreinte not in known and record.identity not in tried:
            sharing.setdefault(record.empreinte, []).append(record)
    units = []
    for records in sharing.values():
        first, names = records[0], ", ".join(r.apprenant for r in records)
        group = first.graine.removeprefix("groupe:") if first.graine.startswith("groupe:") else ""
        label = f"groupe {group} ({names}, {NOT_HANDED_IN})" if group else f"{names} ({NOT_HANDED_IN})"
        try:
            units.append(CopyUnit(label, first.apprenant, learner_case(course, assignment, first.apprenant)))
        except (OSError, ValueError) as problem:  # VariantMismatch, a lost course key …
            if left_out is not None:
                left_out.append(f"{label} : {problem}")
    return units


def _explained(cell: KeyCell, value: Any, answers: dict[str, Any], inputs: dict[str, str]) -> bool:
    """Is a carried answer what the learner's own case gives from their own earlier answers (``inputs``: name in
    ``Carried(…)`` -> the grade_id of the earlier check)?"""
    if cell.graded is None or not all(g in answers for g in inputs.values()):
        return False
    try:
        implied = resolve_carried(cell.graded, {name: answers[g] for name, g in inputs.items()})
    except Exception:  # noqa: BLE001 - earlier answers the reference cannot read explain nothing
        return False
    return matches(cell.spec, value, implied)


def _carried_inputs(key: dict[str, KeyCell]) -> dict[str, tuple[str, ...]]:
    """grade_id of a carried question -> the grade_ids of the earlier checks it is computed from."""
    return {grade_id: tuple(_named_inputs(key, cell).values()) for grade_id, cell in key.items() if cell.carried}


def _named_inputs(key: dict[str, KeyCell], cell: KeyCell) -> dict[str, str]:
    """A carried question's inputs: name in ``Carried(…)`` -> the grade_id of the earlier check of that variable."""
    checked = {(other.notebook, other.spec.variable): grade_id for grade_id, other in key.items()}
    return {name: checked[(cell.notebook, variable)] for name, variable in cell.spec.carried_from
            if (cell.notebook, variable) in checked}


class _Comparison:
    """The right answers of every case, and the comparisons already made (each one once)."""

    def __init__(self, course: Course, assignment: str):
        self.course, self.assignment = course, assignment
        self.keys: dict[str, dict[str, KeyCell]] = {}
        self._digests: dict[Path, str] = {}
        self._coincide: dict[tuple, bool] = {}
        self._own: dict[tuple, bool] = {}

    def case_id(self, case: LearnerCase) -> str:
        """Which case a learner is graded on: the digest of its data (group members share one, each in their own
        cache folder)."""
        if case.folder not in self._digests:
            self._digests[case.folder] = data_digest(case.folder)
        return self._digests[case.folder]

    def key(self, case: LearnerCase) -> dict[str, KeyCell]:
        if self.case_id(case) not in self.keys:
            self.keys[self.case_id(case)] = case_key(self.course, self.assignment, case.folder)
        return self.keys[self.case_id(case)]

    def coincide(self, grade_id: str, first: LearnerCase, second: LearnerCase) -> bool:
        pair = (grade_id, *sorted((self.case_id(first), self.case_id(second))))
        if pair not in self._coincide:
            a, b = self.key(first)[grade_id], self.key(second)[grade_id]
            self._coincide[pair] = coincide(a.spec, a.right, b.right)
        return self._coincide[pair]

    def own(self, unit: CopyUnit, grade_id: str, value: Any) -> bool:
        mine = (unit.label, grade_id)
        if mine not in self._own:
            cell = self.key(unit.case)[grade_id]
            self._own[mine] = matches(cell.spec, value, cell.right)
        return self._own[mine]


def compare_copy(comparison: _Comparison, unit: CopyUnit, answers: dict[str, Any], source: list[CopyUnit],
                 assignment: str, others: Sequence[LearnerCase] = ()) -> Suspicion | None:
    """The suspicion that `unit` copied from the case of the units `source`, if the evidence reaches the threshold
    (`others`: the assignment's other cases, whose right answers may be the same as the source's)."""
    case = source[0].case
    mine, theirs = comparison.key(unit.case), comparison.key(case)
    found: dict[str, Concordance] = {}
    for grade_id, value in answers.items():
        cell = mine.get(grade_id)
        if cell is None or cell.right is None or grade_id not in theirs or comparison.own(unit, grade_id, value):
            continue
        right = theirs[grade_id].right
        if right is None or comparison.coincide(grade_id, unit.case, case) or not matches(cell.spec, value, right):
            continue
        shared = any(comparison.coincide(grade_id, case, other) for other in others
                     if comparison.case_id(other) not in (comparison.case_id(case), comparison.case_id(unit.case)))
        kind = COUNTED if is_distinctive(right.value) and not shared else WEAK
        found[grade_id] = Concordance(cell.notebook, grade_id, cell.spec.label, kind, value, cell.right.value,
                                      right.value)
    inputs = _carried_inputs(mine)
    for grade_id, concordance in list(found.items()):
        flagged = tuple(g for g in inputs.get(grade_id, ()) if g in found)
        if flagged and _explained(mine[grade_id], concordance.answer, answers, _named_inputs(mine, mine[grade_id])):
            found[grade_id] = replace(concordance, kind=CARRIED, inputs=flagged)
    counted = [c for c in found.values() if c.kind == COUNTED]
    if len(counted) < COPY_EVIDENCE_CELLS:
        return None
    comparable = sum(1 for grade_id, value in answers.items()  # type: ignore[misc]
                     if grade_id in mine and grade_id in theirs and mine[grade_id].right is not None
                     and theirs[grade_id].right is not None and is_distinctive(theirs[grade_id].right.value)  # type: ignore[union-attr]
                     and not (grade_id in found and found[grade_id].kind == CARRIED)
                     and not comparison.coincide(grade_id, unit.case, case))
    ordered = tuple(sorted(found.values(), key=lambda c: list(mine).index(c.grade_id)))
    return Suspicion(assignment, unit.label, unit.case.variant, ", ".join(u.label for u in source), case.variant,
                     ordered, comparable)


def detect_copies(course: Course, assignment: str) -> Findings:
    """Every suspected copy of an assignment's graded copies, strongest evidence first."""
    findings = Findings(assignment)
    units = copy_units(course, assignment, findings.left_out)
    comparison = _Comparison(course, assignment)
    by_case: dict[str, list[CopyUnit]] = {}
    for unit in units:
        by_case.setdefault(comparison.case_id(unit.case), []).append(unit)
    for absent in registry_sources(course, assignment, set(by_case), findings.left_out):
        if comparison.case_id(absent.case) not in by_case:  # the registry's digest is the data's: checked anyway
            by_case[comparison.case_id(absent.case)] = [absent]
            findings.not_handed_in.append(absent.label)
    findings.units, findings.cases = len(units), len(by_case)
    others = [members[0].case for members in by_case.values()]
    for unit in units:
        answers = read_handovers(course.step("autograded") / unit.student / assignment)
        if not answers:
            findings.without_handovers.append(unit.label)
            continue
        for identity, source in by_case.items():
            if identity == comparison.case_id(unit.case):
                continue
            suspicion = compare_copy(comparison, unit, answers, source, assignment, others)
            if suspicion is not None:
                findings.suspicions.append(suspicion)
    findings.suspicions.sort(key=lambda s: (-len(s.counted), s.learner, s.source))
    return findings
