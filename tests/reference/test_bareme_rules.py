"""The barème's general rules, applied to every check of every bloc (not to chosen examples).

For each kind of slip the barème names a rule for, every check where it can happen is fed
the slipped form of its own right answer, on the committed case data:
- a rate (or a table of rates) written as a percentage keeps half;
- a count or a rank left unrounded keeps half, never full marks;
- a table with a row that should not be there loses its share for that row;
- a table with one wrong value keeps the share of its right values.
"""
from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from mda_checks.assign.case_check import assignment_checks
from mda_apprenant.check.result import Status
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from tests.conftest import ASSIGNMENTS, COURSE

POINTS = 2.0


@cache
def right_answers(assignment: str) -> list[tuple]:
    """(check, expectation graded against, right answer as plain values, right earlier inputs) of every check."""
    expected_of = reference_expected(COURSE.root, assignment, COURSE.source / assignment / "data")
    answers, found = RightAnswers(expected_of), []
    for check in assignment_checks(COURSE, assignment):
        graded, right = answers.of(check.grade_id, check.spec)
        inputs = {name: answers.values[variable] for name, variable in check.spec.carried_from}
        found.append((check, graded, right, inputs))
    return found


def grade(entry, value) -> float:
    check, graded, right, inputs = entry
    return check.spec.build(value, right, inputs=inputs, direct=right).grade(graded, POINTS)


def checks_where(assignment: str, keep) -> list:
    return [entry for entry in right_answers(assignment) if keep(entry[0].spec, entry[2].value)]


def _is_rate(spec, value) -> bool:
    return spec.kind == "Rate" or (spec.kind == "Table" and spec.settings.get("unit") == "rate")


def _in_percent(value):
    if isinstance(value, pd.DataFrame):
        numbers = value.select_dtypes("number").columns
        return value.assign(**{c: value[c] * 100 for c in numbers})
    return value * 100


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_rate_written_as_a_percentage_keeps_half_everywhere(assignment):
    rates = checks_where(assignment, _is_rate)
    assert rates, f"{assignment} has no rate to check"
    for entry in rates:
        result = grade(entry, _in_percent(entry[2].value))
        assert result.score == POINTS / 2 and "pourcentage" in result.message, (entry[0].grade_id, result.text())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_an_unrounded_count_keeps_half_never_full_marks(assignment):
    counts = checks_where(assignment, lambda spec, value: spec.kind == "Quantity")
    for entry in counts:
        result = grade(entry, float(entry[2].value) - 0.4)
        assert result.score == POINTS / 2 and result.status is Status.PARTIAL, (entry[0].grade_id, result.text())


def _tables(assignment: str) -> list:
    return checks_where(assignment, lambda spec, value: spec.kind in ("Table", "DateTable")
                        and isinstance(value, (pd.Series, pd.DataFrame)) and len(value) >= 2)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_row_too_many_costs_its_share(assignment):
    tables = _tables(assignment)
    assert tables, f"{assignment} has no table to check"
    for entry in tables:
        value = entry[2].value
        extra = pd.concat([value, value.iloc[[0]].set_axis(["Ligne en trop"])])
        result = grade(entry, extra)
        assert result.score == pytest.approx(POINTS * len(value) / (len(value) + 1), abs=0.01), \
            (entry[0].grade_id, result.text())
        assert "en trop" in result.message


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_table_with_one_wrong_value_keeps_the_share_of_the_others(assignment):
    for entry in _tables(assignment):
        value = entry[2].value.copy()
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        column = frame.columns[0]
        if not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        frame = frame.copy()
        frame.iloc[0, 0] = frame.iloc[0, 0] * 3 + 1000
        given = frame[column] if isinstance(value, pd.Series) else frame
        result = grade(entry, given)
        assert result.score == pytest.approx(POINTS * (1 - 1 / frame.size), abs=0.01), (entry[0].grade_id, result.text())
