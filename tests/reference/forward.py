"""A learner who made one error and carried it forward, graded as ``ScoreAnswers`` grades.

The learner hands over a wrong value for one earlier result; every later answer of the notebook
is computed consistently from it: a carried question with the reference's own function of the
learner's earlier results (what a learner applying the right method to them finds), any other
with its right answer. Each value crosses as the kernel hands it over (JSON), and each check is
graded on the results the earlier check cells handed over. An error carried forward must then be
charged once: at the check of the wrong result, and nowhere else.
"""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mda_apprenant.check.expected import Expected
from mda_apprenant.check.handover import encode
from mda_apprenant.check.result import CheckResult
from mda_apprenant.check.workbook import read_workbook
from mda_checks.scoring.answer_schema import decode
from mda_checks.scoring.answer_spec import AnswerSpec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.notebook import cells


#: graded on their form (marks, series, legend, titles), never on a value an earlier result changes: nothing to carry
FIGURES = {"FigureAnswer"}


@dataclass(frozen=True)
class Check:
    """A check cell of a master notebook: its grade_id, spec and points."""

    grade_id: str
    spec: AnswerSpec
    points: float


def notebook_checks(notebook) -> list[Check]:
    from mda_checks.scoring.answer_spec import read_spec

    return [Check(cells.grade_id(c), read_spec(c.source), cells.points(c))
            for c in notebook.cells if cells.is_autograded_test(c)]


def handed_over(value: Any) -> Any:
    """``value`` as the grader receives it from the learner's kernel."""
    return decode(json.loads(json.dumps(encode(value))))


def generic_wrong(value: Any, whole: bool = False) -> Any:
    """A wrong value of the same form, whatever the question: numbers × 1.1 (whole numbers — counts, levels,
    ranks — + 1), a table's numbers changed row by row (× 1.1, × 0.9 …; whole numbers + 1 on every other
    row), labels moved by one row, a list without its last element, a date 20 days later."""
    if isinstance(value, pd.DataFrame):
        return value.apply(lambda column: generic_wrong(column, whole)) if len(value.columns) else value
    if isinstance(value, pd.Series):
        if pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value):
            rows = np.arange(len(value))
            if whole or pd.api.types.is_integer_dtype(value):
                return value + (rows % 2 == 0)
            return value * np.where(rows % 2 == 0, 1.1, 0.9)
        return pd.Series(np.roll(value.to_numpy(), 1), index=value.index, name=value.name)
    if isinstance(value, list):
        return value[:-1] if len(value) > 1 else [*value, "inconnu"]
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value + dt.timedelta(days=20)
    if isinstance(value, (bool, str)) or value is None:
        raise TypeError(f"no generic wrong value for {value!r}")
    if whole or isinstance(value, (int, np.integer)):
        return value + 1
    return value * 1.1 if value else 1.0


def in_the_kernel(spec: AnswerSpec, value: Any) -> Any:
    """What the learner's variable holds: for a workbook check, the .xlsx file a learner writes with the table
    (``to_excel`` on the sheet the check reads), as the kernel reads it; any other value as it is."""
    if spec.kind != "ExcelTable" or not isinstance(value, (pd.Series, pd.DataFrame)):
        return value
    with tempfile.TemporaryDirectory(prefix="mda-classeur-") as folder:
        path = Path(folder) / "classeur.xlsx"
        value.to_excel(path, sheet_name=spec.settings["sheet"])
        return read_workbook(path)


def is_whole(spec: AnswerSpec) -> bool:
    """Whether a check grades whole numbers (counts, levels, ranks)."""
    return spec.kind == "Quantity" or spec.settings.get("unit") == "quantity"


def wrong_values(spec: AnswerSpec, mistakes, right: Any) -> list[tuple[str, Any]]:
    """(what, value): each mistake the reference recognises for a result, and a generic wrong value."""
    known = [(f"« {m.cause[:60]} »", m.value) for m in mistakes if not (isinstance(m.value, list) and not m.value)]
    return [*known, ("une valeur fausse quelconque", generic_wrong(right, is_whole(spec)))]


def carried_forward(checks: list[Check], expected_of: Callable[[str], Expected], variable: str, wrong: Any,
                    grade_as: Callable[[Check], tuple[AnswerSpec, Expected | None]] | None = None,
                    ) -> dict[str, CheckResult | str]:
    """Each check's result for a learner whose ``variable`` is ``wrong`` and who carried it forward.

    ``grade_as``: a check graded another way (spec, expected; None to keep its own), to show what a
    question would cost if it were not carried. A later answer the reference cannot derive from the
    learner's results is reported as a text (a carried check would then score 0: charged again)."""
    right, learner, results = RightAnswers(expected_of), {}, {}
    for check in checks:
        graded, resolved = right.of(check.grade_id, check.spec)
        inputs = {name: learner.get(var, Ellipsis) for name, var in check.spec.carried_from}
        if check.spec.variable == variable:
            value = wrong
        elif callable(graded.value):
            try:
                value = graded.value(**inputs)
            except Exception as problem:  # noqa: BLE001 - reported: the learner would lose the points here
                results[check.grade_id] = f"the reference cannot derive it ({type(problem).__name__}: {problem})"
                learner[check.spec.variable] = resolved.value if resolved else Ellipsis
                continue
        else:
            value = resolved.value
        learner[check.spec.variable] = value = handed_over(in_the_kernel(check.spec, value))
        if check.spec.kind in FIGURES:
            continue
        spec, expected = grade_as(check) if grade_as else (check.spec, None)
        expected = expected or graded
        answer = spec.build(value, expected, inputs=inputs, direct=resolved)
        results[check.grade_id] = answer.grade(expected, check.points)
    return results


def charged_elsewhere(results: dict[str, CheckResult | str], upstream: str) -> list[str]:
    """The checks other than ``upstream`` that lose points (or cannot be graded), and why; and the upstream
    check itself if it does not lose its points."""
    found = [f"{key}: {result if isinstance(result, str) else f'{result.score}/{result.points} ({result.message})'}"
             for key, result in results.items()
             if key != upstream and (isinstance(result, str) or result.score < result.points)]
    mine = results.get(upstream)
    if not isinstance(mine, str) and mine is not None and mine.score >= mine.points:
        found.append(f"{upstream}: the wrong result itself keeps all its points ({mine.message})")
    return found
