"""Scalar answers: tolerance edges, known mistakes, wrong types, French messages."""
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from mda_apprenant import Amount, Choice, DateValue, Duration, Quantity, Rate, Ratio, Status, Table
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.bareme import Tolerance


@pytest.mark.parametrize("given, points", [(100.0, 2), (100.01, 2), (99.99, 2), (100.0101, 0), (99.9899, 0)])
def test_amount_tolerance_is_one_cent(given, points):
    assert Amount("CA", given).grade(100.0, 2).score == points


def test_large_amounts_are_still_graded_to_the_cent():
    assert Amount("CA", 5_000_000.01).grade(5_000_000.0, 1).score == 1
    assert Amount("CA", 5_000_000.0 + 1e-9).grade(5_000_000.0, 1).score == 1  # float noise only
    assert Amount("CA", 5_000_000.02).grade(5_000_000.0, 1).score == 0
    assert Amount("CA", 5_000_004.0).grade(5_000_000.0, 1).score == 0


@pytest.mark.parametrize("given, expected_score", [(0.1234, 1), (0.12349, 1), (0.1236, 0), (0.1233, 1), (0.1232, 0)])
def test_rate_tolerance_is_a_hundredth_of_a_point(given, expected_score):
    assert Rate("TCAM", given).grade(0.1234, 1).score == expected_score


def test_numpy_and_integer_values_are_numbers():
    assert Amount("CA", np.float64(10.0)).grade(10, 1).status is Status.CORRECT
    assert Quantity("Clients", np.int64(12)).grade(12, 1).status is Status.CORRECT


def test_declared_mistake_names_its_cause_and_keeps_its_credit():
    expected = Expected(270.0, mistakes=[Mistake(273.75, "vous avez compté 365 jours au lieu de 360.", "decompte")])
    result = Duration("Délai du point mort", 273.75, unit="jours").grade(expected, 2)
    assert result.status is Status.PARTIAL and result.score == 1.0
    assert "365 jours au lieu de 360" in result.message


def test_mistake_without_credit_is_wrong_with_its_cause():
    expected = Expected(0.25, mistakes=[Mistake(1 / 3, "vous avez divisé par le coût d'achat (taux de marge).", "methode")])
    result = Rate("Taux de marque", 1 / 3).grade(expected, 2)
    assert result.status is Status.WRONG and result.score == 0 and "taux de marge" in result.message


def test_percent_instead_of_decimal_is_recognised():
    result = Rate("Taux", 25.0).grade(0.25, 2)
    assert result.score == 1.0 and "pourcentage" in result.message


def test_inverted_sign_is_recognised():
    result = Amount("Écart", 2_200.0).grade(-2_200.0, 2)
    assert result.score == 1.0 and "signe" in result.message


def test_close_value_gets_a_rounding_hint_but_no_credit():
    result = Amount("CA", 100.5).grade(100.0, 2)
    assert result.score == 0 and "arrondissez" in result.hint


def test_wrong_message_never_reveals_the_expected_value():
    result = Amount("Seuil de rentabilité", 1234.0).grade(Expected(4_706_123.45, hint="Revoyez la formule."), 2)
    assert result.score == 0
    for shown in ("4706123", "4 706 123", "4\u202f706\u202f123", "4,706,123"):
        assert shown not in result.text()
    assert "1\u202f234,00\u00a0€" in result.message


@pytest.mark.parametrize(
    "value, words",
    [
        ("12 %", "un texte"),
        (None, "None"),
        (True, "booléen"),
        (float("nan"), "NaN"),
        (math.inf, "infinie"),
        (pd.Series([3.0]), "une seule valeur"),
        ([1, 2], "une collection"),
        (..., "n'est pas traitée"),
    ],
)
def test_invalid_values_get_zero_and_a_clear_message(value, words):
    result = Amount("CA", value).grade(100.0, 2)
    assert result.score == 0 and result.status in (Status.INVALID, Status.MISSING)
    assert words in result.message


def test_grade_never_raises_even_on_hostile_objects():
    class Hostile:
        def __float__(self):
            raise RuntimeError("boom")

    result = Amount("CA", Hostile()).grade(100.0, 1)
    assert result.score == 0 and result.status is Status.INVALID


def test_grade_is_silent_on_stderr(capfd):
    Rate("Taux", np.float64(1.0) / np.float64(3.0)).grade(Expected(float("nan")), 1)
    Amount("CA", pd.Series([1.0, 2.0]).mean()).grade(1.5, 1)
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_precheck_echoes_the_value_and_flags_percentages():
    result = Rate("TCAM", 13.4).precheck()
    assert result.status is Status.TO_CHECK and result.score is None
    assert "13,4" in result.message and "décimal" in result.hint
    assert "⚠" in result._repr_html_() and "✔" not in result._repr_html_()
    plausible = Rate("TCAM", 0.134).precheck()
    assert plausible.status is Status.FORMAT_OK and plausible.hint is None


def test_a_rate_table_in_percent_is_flagged_before_submission():
    assert Table("Parts", pd.Series({"A": 25.0, "B": 75.0}), unit="rate").precheck().status is Status.TO_CHECK
    assert Table("Parts", pd.Series({"A": 0.25, "B": 0.75}), unit="rate").precheck().status is Status.FORMAT_OK
    assert Table("CA", pd.Series({"A": 25.0, "B": 75.0}), unit="amount").precheck().status is Status.FORMAT_OK


def test_custom_tolerance_from_reference():
    expected = Expected(10.0, tolerance=Tolerance(abs=0.5))
    assert Ratio("Levier", 10.4).grade(expected, 1).score == 1


@pytest.mark.parametrize("value", ["2025-08-23", dt.date(2025, 8, 24), pd.Timestamp("2025-08-22"), dt.datetime(2025, 8, 23, 15)])
def test_dates_within_one_day_in_any_common_form(value):
    assert DateValue("Point mort", value).grade(dt.date(2025, 8, 23), 2).score == 2


def test_date_two_days_off_or_unparsable():
    assert DateValue("Point mort", "2025-08-25").grade(dt.date(2025, 8, 23), 2).score == 0
    result = DateValue("Point mort", "23 août").grade(dt.date(2025, 8, 23), 2)
    assert result.status is Status.INVALID and "AAAA-MM-JJ" in result.message


def test_date_mistake():
    expected = Expected(dt.date(2026, 10, 4), mistakes=[Mistake(dt.date(2026, 10, 23), "ventes supposées régulières.", "methode")])
    result = DateValue("Point mort", "2026-10-23").grade(expected, 2)
    assert result.score == 0 and "régulières" in result.message


def test_choice_ignores_case_accents_and_spaces():
    assert Choice("Segment", "  vtt ELECTRIQUE ").grade("VTT électrique", 1).score == 1


def test_choice_outside_options_is_invalid_with_the_options_listed():
    result = Choice("Segment", "Gravel", options=["Cargo", "Urbain"]).precheck()
    assert result.status is Status.INVALID and "Cargo, Urbain" in result.hint


def test_quantity_unit_in_messages():
    result = Quantity("Nouveaux clients", 21.4, unit="clients").grade(24, 1)
    assert result.score == 0 and "21,4 clients" in result.message


@pytest.mark.parametrize("given", [23.4, 24.4, 23.99])
def test_an_unrounded_count_is_the_rounding_slip_never_right(given):
    result = Quantity("Nouveaux clients", given, unit="clients").grade(24, 2)
    assert result.score == 1 and result.status is Status.PARTIAL and "entier" in result.message


@pytest.mark.parametrize("given, score", [(24, 2), (24.0, 2), (np.int64(24), 2), (25, 0), (23, 0), (22.6, 0)])
def test_counts_and_ranks_must_be_the_whole_number(given, score):
    assert Quantity("Rang", given, unit="rang").grade(24, 2).score == score


def test_missing_and_numpy_dates_are_read_as_dates():
    import datetime as dt

    import numpy as np
    import pandas as pd

    from mda_apprenant import DateValue

    day = dt.date(2025, 8, 23)
    assert DateValue("Point mort", np.datetime64("2025-08-23")).grade(day, 2).score == 2
    for missing in (pd.NaT, np.datetime64("NaT")):
        result = DateValue("Point mort", missing).grade(day, 2)
        assert result.score == 0 and "NaT (date manquante)" in result.message


def test_time_zone_aware_dates_are_graded_on_their_local_calendar_day():
    expected = Expected(dt.date(2026, 3, 6), tolerance=Tolerance(abs=0))
    paris = pd.Timestamp("2026-03-05 23:30", tz="UTC").tz_convert("Europe/Paris")  # 6 March, 00:30 in Paris
    assert DateValue("Date", paris).grade(expected, 1).score == 1
    assert DateValue("Date", pd.Timestamp("2026-03-05 23:30", tz="UTC")).grade(expected, 1).score == 0
    assert DateValue("Date", dt.datetime(2026, 3, 6, 8, tzinfo=dt.UTC)).grade(expected, 1).score == 1


def test_a_count_that_is_not_whole_is_flagged_before_submission():
    assert Quantity("Clients", 23.4, unit="clients").precheck().status is Status.TO_CHECK
    assert Quantity("Clients", 24.0, unit="clients").precheck().status is Status.FORMAT_OK
    assert Table("Rangs", pd.Series({"A": 1.5, "B": 2.0}), unit="quantity").precheck().status is Status.TO_CHECK
    assert Table("Rangs", pd.Series({"A": 1, "B": 2}), unit="quantity").precheck().status is Status.FORMAT_OK
