"""A non-finite number (inf, −inf, NaN) is never within tolerance, in any numeric answer kind.

Property tests: finite expected values, answers that are right except at generated positions
where a non-finite number stands. Each non-finite value must count as wrong (a table keeps the
share of its other values when it is infinite, scores 0 when it holds a NaN; a single number scores 0),
for every kind, through the hand-over too;
the learner's self-check names it without quoting any expected value.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_apprenant import Amount, Carried, Duration, ExcelTable, Quantity, Rate, Ratio, Selection, Status, Table
from mda_apprenant.bareme import TOLERANCES, Tolerance, within
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figure_facts import FigureFacts
from mda_apprenant.check.figures import Chart, Marks, ReferenceLines
from mda_apprenant.check.workbook import WorkbookContent
from mda_apprenant.check.handover import serialise
from mda_checks.scoring.answer_schema import decode, validate
from mda_checks.scoring.answer_spec import read_spec
from tests.conftest import examples

SETTINGS = settings(max_examples=examples(60))
NON_FINITE = st.sampled_from([math.inf, -math.inf, math.nan])
#: finite values of every size, huge ones included (the noise of a tolerance grows with them)
FINITE = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
UNITS = ["amount", "rate", "ratio", "quantity", "duration"]
SCALARS = {"amount": Amount, "rate": Rate, "ratio": Ratio, "quantity": Quantity, "duration": Duration}


@SETTINGS
@given(tolerance=st.sampled_from(sorted(TOLERANCES)), expected=FINITE, odd=NON_FINITE)
def test_no_tolerance_accepts_a_non_finite_value_or_expectation(tolerance, expected, odd):
    rule = TOLERANCES[tolerance]
    assert not rule.accepts(odd, expected) and not rule.accepts(expected, odd) and not rule.accepts(odd, odd)
    assert rule.accepts(round(expected) if rule.integer else expected, round(expected) if rule.integer else expected)


@SETTINGS
@given(margin=st.floats(min_value=0, max_value=1e308), expected=FINITE, odd=NON_FINITE)
def test_no_margin_is_wide_enough_for_a_non_finite_number(margin, expected, odd):
    assert not within(odd, expected, margin) and not within(expected, odd, margin)
    assert within(expected, expected, margin)


@SETTINGS
@given(unit=st.sampled_from(UNITS), expected=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), odd=NON_FINITE)
def test_a_single_non_finite_number_scores_zero_and_the_self_check_names_it(unit, expected, odd):
    kind = SCALARS[unit]
    expected = float(round(expected)) if unit == "quantity" else expected
    result = kind("Valeur", odd).grade(Expected(expected, [Mistake(odd, "un piège.", "methode")]), 2)
    assert result.score == 0 and result.status is Status.INVALID
    words = "valeur non numérique" if math.isnan(odd) else "valeur infinie"
    assert words in result.message and words in kind("Valeur", odd).precheck().message
    assert format(expected, "g") not in result.message
    assert kind("Valeur", expected).grade(Expected(expected), 2).score == 2  # the same check can say right


def _frames(draw, columns: int) -> tuple[pd.DataFrame, list[tuple[int, int]], float]:
    """A finite expected table, the positions turned non-finite in the answer, and that value."""
    rows = draw(st.integers(min_value=1, max_value=8))
    values = draw(st.lists(st.lists(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), min_size=columns,
                                    max_size=columns), min_size=rows, max_size=rows))
    frame = pd.DataFrame(values, index=[f"Ligne {i}" for i in range(rows)], columns=[f"c{j}" for j in range(columns)])
    cells = [(i, j) for i in range(rows) for j in range(columns)]
    odd = draw(st.lists(st.sampled_from(cells), min_size=1, unique=True))
    return frame, odd, draw(NON_FINITE)


@st.composite
def tables(draw):
    unit = draw(st.sampled_from(UNITS))
    frame, odd, value = _frames(draw, draw(st.integers(min_value=1, max_value=3)))
    if unit == "quantity":
        frame = frame.round()
    given = frame.copy()
    for i, j in odd:
        given.iat[i, j] = value
    return unit, frame, given, odd


def _table_answer(unit: str, frame: pd.DataFrame, given: pd.DataFrame, how: str):
    columns = list(frame.columns) if frame.shape[1] > 1 else None
    expected = frame if columns else frame.iloc[:, 0]
    value = given if columns else given.iloc[:, 0]
    if how == "excel":
        answer = ExcelTable("Tableau", WorkbookContent("export.xlsx", True, {"Feuille": given}), sheet="Feuille",
                            unit=unit)
        answer.columns = columns
    elif how == "carried":  # the expected table derived from the learner's earlier (right) result
        return Carried(Table("Tableau", value, unit=unit, columns=columns), avant=expected), Expected(lambda avant: avant)
    else:
        answer = Table("Tableau", value, unit=unit, columns=columns)
    return answer, Expected(expected)


@SETTINGS
@given(case=tables(), how=st.sampled_from(["table", "excel", "carried"]))
def test_each_non_finite_value_of_a_table_counts_wrong_and_the_rest_keeps_its_share(case, how):
    unit, frame, given, odd = case
    answer, expected = _table_answer(unit, frame, given, how)
    result = answer.grade(expected, 4)
    check = answer.precheck()
    if given.isna().any().any():  # NaN: a missing value makes the whole table unusable, never right
        assert result.score == 0 and result.status is Status.INVALID, result
        assert "valeurs manquantes ou non numériques (NaN" in result.message
        assert check.status is Status.INVALID and "valeurs manquantes ou non numériques (NaN" in check.message
        return
    assert result.score == pytest.approx(round(4 * (1 - len(odd) / frame.size), 2))
    assert "Valeur(s) infinie(s)" in result.message or result.score == 0
    assert check.status is Status.TO_CHECK and "Valeur infinie" in (check.hint or "")


@SETTINGS
@given(case=tables())
def test_a_table_handed_over_with_non_finite_values_is_graded_as_the_live_one(case):
    unit, frame, given, _ = case
    live, expected = _table_answer(unit, frame, given, "table")
    data = validate(json.loads(json.dumps(serialise(live))))
    columns = f", columns={list(frame.columns)!r}" if frame.shape[1] > 1 else ""
    rebuilt = read_spec(f'reponse = Table("Tableau", x, unit="{unit}"{columns})').build(decode(data["value"]), expected)
    assert rebuilt.grade(expected, 4) == live.grade(expected, 4)


@SETTINGS
@given(earlier=NON_FINITE, answer=st.one_of(FINITE, NON_FINITE))
def test_a_carried_answer_fed_by_a_non_finite_earlier_result_is_never_right_from_it(earlier, answer):
    """inf − x ≤ inf once accepted any carried answer derived from an infinite earlier result."""
    carried = Carried(Amount("Marge", answer), seuil=earlier)
    result = carried.grade(Expected(lambda seuil: seuil * 2), 2)
    assert result.score == 0


@SETTINGS
@given(ids=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6, unique=True), odd=NON_FINITE,
       position=st.integers(min_value=0, max_value=5))
def test_a_non_finite_number_in_a_list_matches_no_element(ids, odd, position):
    position %= len(ids)
    given = [float(i) for i in ids]
    given[position] = odd
    result = Selection("Identifiants", given).grade(Expected(ids), 2)
    assert result.score == pytest.approx(round(2 * (len(ids) - 1) / (len(ids) + 1), 2))
    assert "infinie ou non numérique" in (Selection("Identifiants", given).precheck().hint or "")


@SETTINGS
@given(level=FINITE, odd=NON_FINITE, rates=st.booleans())
def test_a_chart_line_or_span_at_a_non_finite_level_meets_no_criterion(level, odd, rates):
    lines = ReferenceLines((level,), "l'objectif", rates=rates)
    assert lines.met_by([level]) and not lines.met_by([odd])
    axes = {"colorbar": False, "plotted": 1, "images": 0, "position": [0, 0, 1, 1], "lines": [], "bars": [],
            "collections": [{"visible": True, "kind": "points", "size": 3, "span": [odd, odd, odd, odd]}]}
    figure = FigureFacts("", (axes,), ())
    assert not Chart(figure).meets(Marks("points", x=(0.0, 1.0)))
    axes["collections"][0]["span"] = [0.0, 1.0, 0.0, 1.0]
    assert Chart(figure).meets(Marks("points", x=(0.0, 1.0)))


def test_a_tolerance_still_accepts_what_it_accepted():
    """The rule only removes non-finite numbers: finite answers at the edge of a tolerance are unchanged."""
    assert Tolerance(abs=0.01).accepts(100.01, 100.0) and not Tolerance(abs=0.01).accepts(100.02, 100.0)
    assert Tolerance(abs=0, integer=True).accepts(42.0, 42) and not Tolerance(abs=0, integer=True).accepts(41.5, 42)
