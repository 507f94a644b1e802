"""Is a variant of the case data fit for grading? The barème's invariants, checked on its data.

For the case data in a folder, every check of the assignment must be gradable as the
barème says: the reference computes; the expected value, handed in through the check
cell's own answer kind, scores full; every recognised mistake stays outside the right
answer's tolerance and keeps its credit (a table or a list: at least its credit). A case
where a slip gives the right number would tell a learner who made it « juste », and one
who did not « cause probable : … ». The generators redraw such a case (``generate_case``
with ``accept``); the seed-sweep test checks many seeds with it.

Trainer-side only: it reads the grader-only reference.
"""
from __future__ import annotations

import ast
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mda_checks.casedata import write_frames
from mda_checks.check.expected import Expected
from mda_checks.check.result import Status
from mda_checks.course import Course
from mda_checks.grade.answer_spec import AnswerSpec, read_spec
from mda_checks.grade.score_answers import reference_expected
from mda_checks.notebook import cells

#: answer kinds whose learner value is not of the expected value's form (a figure, a workbook)
NOT_CHECKED = {"FigureAnswer", "ExcelTable"}
POINTS = 2.0


@dataclass(frozen=True)
class Check:
    """One check cell: its grade_id, the learner variable it grades, and its answer spec."""

    grade_id: str
    variable: str
    spec: AnswerSpec
    #: Carried(…, name=variable): the learner variables each input comes from
    carried_from: tuple[tuple[str, str], ...] = ()


def assignment_checks(course: Course, assignment: str) -> list[Check]:
    """The value checks of an assignment's masters, in notebook order."""
    found = []
    for notebook in course.read_source(assignment).values():
        for cell in notebook.cells:
            if not cells.is_autograded_test(cell):
                continue
            spec = read_spec(cell.source)
            if spec.kind in NOT_CHECKED:
                continue
            tree = ast.parse(cell.source)
            call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == spec.kind)
            carried = next((n for n in ast.walk(tree)
                            if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "Carried"), None)
            sources = tuple((k.arg, ast.unparse(k.value)) for k in carried.keywords) if carried else ()
            found.append(Check(cells.grade_id(cell), ast.unparse(call.args[1]), spec, sources))
    return found


def _resolved(expected: Expected, inputs: dict) -> Expected:
    """A carried expectation as plain values, given the (right) earlier results."""
    if not callable(expected.value):
        return expected
    return Expected(expected.value(**inputs), tolerance=expected.tolerance, hint=expected.hint,
                    mistakes=[type(m)(m.value(**inputs) if callable(m.value) else m.value, m.cause, m.slip)
                              for m in expected.mistakes])


def _is_collection(value) -> bool:
    return isinstance(value, (pd.Series, pd.DataFrame, list, set, tuple, dict))


def case_problems(course: Course, assignment: str, folder: Path | str, expected_of=None) -> list[str]:
    """The barème invariants the case data in `folder` breaks, one readable line each (none: fit)."""
    expected_of = expected_of or reference_expected(course.root, "mda_reference", assignment, folder)
    broken, right_values = [], {}
    for check in assignment_checks(course, assignment):
        try:
            inputs = {name: right_values[variable] for name, variable in check.carried_from}
            graded = expected_of(check.grade_id)  # a carried one holds functions of the earlier results
            expected = _resolved(graded, inputs)
        except Exception as problem:  # noqa: BLE001 - every broken reference is reported
            broken.append(f"{check.grade_id}: the reference fails ({type(problem).__name__}: {problem})")
            continue
        right_values[check.variable] = expected.value
        if isinstance(expected.value, float) and not math.isfinite(expected.value):
            broken.append(f"{check.grade_id}: the expected value is {expected.value}")
            continue

        def grade(value, check=check, graded=graded, expected=expected, inputs=inputs):
            return check.spec.build(value, expected, inputs=inputs).grade(graded, POINTS)

        right = grade(expected.value)
        if right.score != POINTS:
            broken.append(f"{check.grade_id}: the expected value scores {right.score} ({right.message})")
        for mistake in expected.mistakes:
            result = grade(mistake.value)
            cause = mistake.cause[:60]
            if result.status is Status.CORRECT:
                broken.append(f"{check.grade_id}: the mistake « {cause} » is within the right answer's tolerance")
            elif _is_collection(expected.value):
                if result.score < POINTS * mistake.credit - 1e-9:
                    broken.append(f"{check.grade_id}: « {cause} » scores {result.score}, below its credit")
            elif not math.isclose(result.score, POINTS * mistake.credit):
                broken.append(f"{check.grade_id}: « {cause} » scores {result.score} instead of its credit "
                              f"{mistake.credit} ({result.message})")
    return broken


def acceptor(course: Course, assignment: str) -> Callable[[dict[str, pd.DataFrame]], list[str]]:
    """``accept`` for ``generate_case``: the problems of a generated case, written to a scratch folder."""
    def problems(frames: dict[str, pd.DataFrame]) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="mda-variante-") as folder:
            write_frames(frames, Path(folder))
            return case_problems(course, assignment, folder)

    return problems
