"""Times in Paris time and one way of writing lateness, in every report."""
import re
from datetime import datetime, timedelta, timezone, UTC

import openpyxl
import pytest

from mda_checks.report import html
from mda_checks.report.timing import format_lateness, format_when
from mda_checks.referentiel import bloc_label
from tests.report.conftest import SUBMITTED

#: alice is in the roster (tests/report/conftest.py): the jury reads her name, then her id
ALICE = "Alice Martin (alice)"

NBSP = "\u00a0"


def words(text: str) -> str:
    """The text without its tags, spaces and line breaks as single plain spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", text).replace(NBSP, " ").split())


@pytest.mark.parametrize("seconds, written", [
    (0, ""), (-60, ""), (None, ""),
    (10, "1 min"),                  # a few seconds late is late: never « 0 min »
    (5 * 60, "5 min"),
    (3600, "1 h"),
    (3 * 3600 + 20 * 60, "3 h 20 min"),
    (26 * 3600, "1 j 2 h"),         # once « 26 h », elsewhere « 1,08 jour(s) »
    (50 * 3600, "2 j 2 h"),         # once « 2,08 jour(s) »
    (48 * 3600, "2 j"),
    (26 * 3600 + 29 * 60, "1 j 2 h"),  # beyond a day, to the nearest hour
    (26 * 3600 + 30 * 60, "1 j 3 h"),
])
def test_lateness_is_written_in_days_hours_and_minutes(seconds, written):
    assert words(format_lateness(seconds)) == written
    assert " " not in format_lateness(seconds)  # never split across two lines


def test_the_pages_and_the_feedback_use_the_one_helper():
    """feedback.py's competences.html calls html._late (hours) and html._when."""
    for hours in (0.1, 5.5, 26, 50):
        assert html._late(hours) == format_lateness(hours * 3600)
    assert html._when(datetime(2026, 7, 1, 16, 0)) == format_when(datetime(2026, 7, 1, 16, 0))


@pytest.mark.parametrize("utc, paris", [
    (datetime(2026, 7, 1, 16, 0), "1 juillet 2026 à 18:00"),     # summer: UTC+2
    (datetime(2026, 11, 27, 17, 0), "27 novembre 2026 à 18:00"),  # winter: UTC+1
    (datetime(2026, 3, 29, 0, 30), "29 mars 2026 à 01:30"),      # the night clocks go forward
    (datetime(2026, 3, 29, 1, 30), "29 mars 2026 à 03:30"),
])
def test_gradebook_times_naive_utc_are_written_in_paris_time(utc, paris):
    assert format_when(utc) == paris
    assert format_when(utc.replace(tzinfo=UTC)) == paris
    assert format_when(None) == "date inconnue"


@pytest.mark.parametrize("generated, written", [
    (datetime(2026, 7, 3, 8, 5, tzinfo=UTC), "3 juillet 2026 à 10:05 (heure de Paris)"),
    (datetime(2026, 1, 15, 8, 5, tzinfo=UTC), "15 janvier 2026 à 09:05 (heure de Paris)"),
    (datetime(2026, 1, 15, 9, 5, tzinfo=timezone(timedelta(hours=1))), "15 janvier 2026 à 09:05 (heure de Paris)"),
])
def test_the_generation_time_is_paris_time(generated, written):
    assert html.common(generated)["generated"] == written


def test_learner_pages_show_paris_times_and_the_one_lateness(cohort):
    alice, bruno = words(cohort.page("alice")), words(cohort.page("bruno"))
    assert "Rendu le 2 juillet 2026 à 20:00 — en retard de 1 j 2 h." in alice  # summer: 16:00 UTC + 26 h
    assert "Rendu le 27 novembre 2026 à 23:30 — en retard de 5 h 30 min." in alice  # winter: 17:00 UTC + 5 h 30
    assert "Rendu le 1 juillet 2026 à 15:00." in bruno and "Rendu le 27 novembre 2026 à 17:40." in bruno
    assert "en retard" not in bruno
    assert "Généré le 3 juillet 2026 à 10:05 (heure de Paris)" in alice
    index = cohort.index.read_text(encoding="utf-8")
    assert "Généré le 3 juillet 2026 à 10:05 (heure de Paris)" in words(index)


def test_the_workbook_shows_paris_times_and_the_same_lateness(cohort):
    sheet = openpyxl.load_workbook(cohort.workbook)["Synthèse"]
    headers = [cell.value for cell in sheet[1]]
    when, late = headers.index("Rendu le (heure de Paris)"), headers.index("Retard")
    rows = {(row[0].value, row[1].value): row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {(ALICE if student == "alice" else student, bloc_label(bloc)) for student, bloc in SUBMITTED}
    one, two = bloc_label("bloc1"), bloc_label("bloc2")  # the jury reads each bloc's title, never its id
    expected = {(ALICE, one): (datetime(2026, 7, 2, 20, 0), "1 j 2 h"),
                ("bruno", one): (datetime(2026, 7, 1, 15, 0), "aucun"),
                (ALICE, two): (datetime(2026, 11, 27, 23, 30), "5 h 30 min"),
                ("bruno", two): (datetime(2026, 11, 27, 17, 40), "aucun")}
    for key, (paris, lateness) in expected.items():
        assert rows[key][when].value == paris and rows[key][when].is_date
        assert rows[key][when].number_format == "dd/mm/yyyy hh:mm"
        assert words(rows[key][late].value) == lateness
    legend = " ".join(str(cell.value) for cell in openpyxl.load_workbook(cohort.workbook)["Légende"]["A"])
    assert "heure de Paris" in legend and "1 j 2 h" in words(legend)
