"""Is a variant of the case data fit for grading? The barème's invariants, checked on its data.

For the case data in a folder, every check of the assignment must be gradable as the
barème says: the reference computes; the expected value, handed in through the check
cell's own answer kind, scores full; every slip the reference lists (those that earn
nothing included) stays outside the right answer's tolerance, is never graded as a listed
slip of another credit, and keeps its credit (a table or a list: at least its credit). A
case where a slip gives the right number would tell a learner who made it « juste », and one
who did not « cause probable : … »; one where two slips of different credits coincide would
grade the same answer by the credit of the other. The generators redraw such a case
(``generate_case`` with ``accept``); the seed-sweep test checks many seeds with it.

Trainer-side only: it reads the grader-only reference.
"""
from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mda_checks.casedata import write_frames
from mda_apprenant.check.expected import Mistake
from mda_apprenant.check.result import CheckResult, Status
from mda_checks.course import Course
from mda_checks.scoring.answer_spec import AnswerSpec, read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells

#: answer kinds whose learner value is not of the expected value's form (a figure, a workbook)
NOT_CHECKED = {"FigureAnswer", "ExcelTable"}
POINTS = 2.0


@dataclass(frozen=True)
class Check:
    """One check cell: its grade_id and its answer spec (kind, variable, carried inputs)."""

    grade_id: str
    spec: AnswerSpec


def assignment_checks(course: Course, assignment: str) -> list[Check]:
    """The value checks of an assignment's masters, in notebook order."""
    return [Check(cells.grade_id(cell), spec)
            for notebook in course.read_source(assignment).values() for cell in notebook.cells
            if cells.is_autograded_test(cell) and (spec := read_spec(cell.source)).kind not in NOT_CHECKED]


def _is_collection(value) -> bool:
    return isinstance(value, (pd.Series, pd.DataFrame, list, set, tuple, dict))


@dataclass(frozen=True)
class SlipGrade:
    """A slip the reference lists for a check, handed in through the check cell and graded."""

    check: str
    mistake: Mistake
    result: CheckResult
    #: the listed slip whose cause the grader gives (the first that matches), if any
    named: Mistake | None
    #: a table or a list: it keeps the better of its credit and its share of right values
    collection: bool

    def problem(self) -> str | None:
        """What makes the case unfit for this slip, if anything."""
        cause, credit = self.mistake.cause[:60], self.mistake.credit
        if self.result.status is Status.CORRECT:
            return f"{self.check}: the mistake « {cause} » is within the right answer's tolerance"
        if self.named is not None and self.named.credit != credit:
            return (f"{self.check}: the mistake « {cause} » (credit {credit}) is graded as "
                    f"« {self.named.cause[:60]} » (credit {self.named.credit})")
        if self.collection:
            if self.result.score < POINTS * credit - 1e-9:
                return f"{self.check}: « {cause} » scores {self.result.score}, below its credit"
        elif not math.isclose(self.result.score, POINTS * credit):
            return f"{self.check}: « {cause} » scores {self.result.score} instead of its credit {credit} ({self.result.message})"
        return None


def graded_slips(course: Course, assignment: str, folder: Path | str,
                 expected_of=None) -> tuple[list[str], list[SlipGrade]]:
    """The problems of the reference itself on the case in `folder`, and every listed slip graded there."""
    expected_of = expected_of or reference_expected(course.root, assignment, folder)
    broken, graded_list, right_answers = [], [], RightAnswers(expected_of)
    for check in assignment_checks(course, assignment):
        try:
            graded, expected = right_answers.of(check.grade_id, check.spec)
            if expected is None:
                raise ValueError("an earlier right answer is missing")
            inputs = {name: right_answers.values[variable] for name, variable in check.spec.carried_from}
        except Exception as problem:  # noqa: BLE001 - every broken reference is reported
            broken.append(f"{check.grade_id}: the reference fails ({type(problem).__name__}: {problem})")
            continue
        if isinstance(expected.value, float) and not math.isfinite(expected.value):
            broken.append(f"{check.grade_id}: the expected value is {expected.value}")
            continue

        def grade(value, check=check, graded=graded, expected=expected, inputs=inputs):
            return check.spec.build(value, expected, inputs=inputs, direct=expected).grade(graded, POINTS)

        right = grade(expected.value)
        if right.score != POINTS:
            broken.append(f"{check.grade_id}: the expected value scores {right.score} ({right.message})")
        for mistake in expected.mistakes:
            result = grade(mistake.value)
            named = next((m for m in expected.mistakes if f"Cause probable : {m.cause}" in result.message), None)
            graded_list.append(SlipGrade(check.grade_id, mistake, result, named, _is_collection(expected.value)))
    return broken, graded_list


def case_problems(course: Course, assignment: str, folder: Path | str, expected_of=None) -> list[str]:
    """The barème invariants the case data in `folder` breaks, one readable line each (none: fit)."""
    broken, slips = graded_slips(course, assignment, folder, expected_of)
    return broken + [problem for slip in slips if (problem := slip.problem())]


def acceptor(course: Course, assignment: str) -> Callable[[dict[str, pd.DataFrame]], list[str]]:
    """``accept`` for ``generate_case``: the problems of a generated case, written to a scratch folder."""
    def problems(frames: dict[str, pd.DataFrame]) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="mda-variante-") as folder:
            write_frames(frames, Path(folder))
            return case_problems(course, assignment, folder)

    return problems
