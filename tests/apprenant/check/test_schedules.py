"""Schedules of due dates: one date per label, graded date by date."""
import datetime as dt

import pandas as pd
import pytest

from mda_apprenant import DateTable, Status
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.bareme import Tolerance

DUE = pd.Series({"TVA (CA3)": pd.Timestamp("2026-01-19"), "DSN": pd.Timestamp("2026-02-16"),
                 "CFE": pd.Timestamp("2026-12-15")})
EXACT = Tolerance(abs=0)


def test_timestamps_dates_and_iso_texts_are_all_accepted():
    given = {"TVA (CA3)": "2026-01-19", "dsn": dt.date(2026, 2, 16), "CFE": pd.Timestamp("2026-12-15 00:00")}
    assert DateTable("Échéances", given).grade(Expected(DUE, tolerance=EXACT), 3).score == 3


def test_partial_credit_per_date_and_the_wrong_labels_are_named():
    given = DUE.copy()
    given["DSN"] = pd.Timestamp("2026-02-15")
    result = DateTable("Échéances", given).grade(Expected(DUE, tolerance=EXACT), 3)
    assert result.status is Status.PARTIAL and result.score == 2 and "DSN" in result.message


def test_default_tolerance_is_one_day():
    given = DUE + pd.Timedelta(days=1)
    assert DateTable("Échéances", given).grade(DUE, 3).score == 3
    assert DateTable("Échéances", DUE + pd.Timedelta(days=2)).grade(DUE, 3).score == 0


def test_a_recognised_mistake_gives_its_cause_and_credit():
    unrolled = DUE.copy()
    unrolled["DSN"] = pd.Timestamp("2026-02-15")
    expected = Expected(DUE, mistakes=[Mistake(unrolled, "échéance du dimanche non reportée.", "decompte")], tolerance=EXACT)
    result = DateTable("Échéances", unrolled).grade(expected, 2)
    # the convention slip keeps half, the share of right dates (2 of 3) is better: the learner keeps it
    assert result.score == pytest.approx(4 / 3, abs=0.01) and "dimanche" in result.message


def test_a_value_that_is_not_a_date_is_invalid_and_named():
    given = DUE.astype(object)
    given["CFE"] = "mi-décembre"
    result = DateTable("Échéances", given).grade(DUE, 3)
    assert result.status is Status.INVALID and result.score == 0 and "CFE" in result.message
    assert DateTable("Échéances", ...).precheck().status is Status.MISSING
