"""Right answers of one case, cell by cell, and whether an answer is the right one of another case.

Two uses, trainer-side only: measuring how much the variants differ (a right answer of one
variant that is also right on another is an answer a learner could copy for free), and finding
copies (a learner's answer that is another learner's right answer and not their own). « Right »
is decided by the cell's own answer kind and tolerance, as grading decides it: an answer matches
a case when its kind, rebuilt around it, scores full points against that case's right answer.
A carried question is compared with its right answer computed from the right earlier results.
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mda_checks.assign.case_check import NOT_CHECKED
from mda_apprenant.check.expected import Expected
from mda_apprenant.check.result import Status
from mda_checks.course import Course
from mda_checks.scoring.answer_spec import AnswerSpec, read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells

#: points a comparison grades out of (only « full points or not » matters)
POINTS = 1.0


@dataclass(frozen=True)
class KeyCell:
    """One value check of an assignment and its right answer on one case (None: not computable); `graded` is what
    the cell is graded against (for a carried question, a function of the learner's earlier results)."""

    notebook: str
    grade_id: str
    spec: AnswerSpec
    right: Expected | None
    graded: Expected | None = None

    @property
    def carried(self) -> bool:
        return self.spec.carried_inputs is not None


def compared_checks(course: Course, assignment: str) -> list[tuple[str, Any]]:
    """(notebook, check cell) of every value check, in notebook order (figures and workbooks excepted:
    they are graded on requirements, not on a value of the case)."""
    return [(name, cell) for name, notebook in course.read_source(assignment).items() for cell in notebook.cells
            if cells.is_autograded_test(cell) and read_spec(cell.source).kind not in NOT_CHECKED]


def case_key(course: Course, assignment: str, folder: Path | str, expected_of=None) -> dict[str, KeyCell]:
    """grade_id -> the right answer of every value check on the case data in `folder`."""
    expected_of = expected_of or reference_expected(course.root, assignment, folder)
    key, visits = {}, {}
    for name, notebook in course.read_source(assignment).items():
        visits[name] = right_answers = RightAnswers(expected_of)
        for cell in notebook.cells:
            if not cells.is_autograded_test(cell):
                continue
            spec = read_spec(cell.source)
            try:
                graded, right = right_answers.of(cells.grade_id(cell), spec)
            except Exception:  # noqa: BLE001 - a reference that fails on this case: nothing to compare
                graded = right = None  # type: ignore[assignment]
            if spec.kind not in NOT_CHECKED:
                key[cells.grade_id(cell)] = KeyCell(name, cells.grade_id(cell), spec, right, graded)
    return key


def matches(spec: AnswerSpec, value: Any, right: Expected | None) -> bool:
    """Is `value` the right answer `right`, as the cell's answer kind grades it (full points)?

    A carried cell is judged on its answer kind alone: `right` is already its value for given inputs."""
    if right is None or value is Ellipsis:
        return False
    plain = dataclasses.replace(spec, carried_inputs=None, carried_from=())
    try:
        result = plain.build(value, Expected(right.value, tolerance=right.tolerance)).grade(
            Expected(right.value, tolerance=right.tolerance), POINTS)
    except Exception:  # noqa: BLE001 - an answer that cannot be read matches nothing
        return False
    return result.status is Status.CORRECT and result.score == POINTS


def coincide(spec: AnswerSpec, first: Expected | None, second: Expected | None) -> bool:
    """Do two cases share this cell's right answer (either one's right answer right on the other)?

    Such a cell is not comparable between them: copying it cannot be told from working it out."""
    if first is None or second is None:
        return True
    return matches(spec, first.value, second) or matches(spec, second.value, first)


def is_label(value: Any) -> bool:
    """A choice or labels: a text, or a list, set or table of texts (no number). Two cases may legitimately share
    such an answer (the same segment leads, the same collectives need attention)."""
    import pandas as pd

    if isinstance(value, str):
        return True
    if isinstance(value, pd.DataFrame):
        return value.size > 0 and all(isinstance(v, str) for v in value.to_numpy().ravel())
    if isinstance(value, pd.Series):  # a profile: labels, and codes written as whole numbers (a department)
        items = list(value)
        return any(isinstance(v, str) for v in items) and all(
            isinstance(v, str) or (isinstance(v, numbers.Integral) and not isinstance(v, bool)) for v in items)
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(isinstance(v, str) for v in value)
    return False


def differing_share(first: dict[str, KeyCell], second: dict[str, KeyCell], labels: bool = True) -> float:
    """The share of an assignment's value checks whose right answers differ between two cases (`labels`: False
    leaves out the choices and labels, which two cases may legitimately share)."""
    kept = [g for g, cell in first.items() if labels or not (cell.right is not None and is_label(cell.right.value))]
    differ = [g for g in kept if not coincide(first[g].spec, first[g].right, second[g].right)]
    return len(differ) / len(kept) if kept else 0.0
