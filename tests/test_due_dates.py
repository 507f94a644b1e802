"""Due dates from calendrier.csv (Paris time) into nbgrader's gradebook (UTC without a time zone)."""
from __future__ import annotations

from datetime import datetime

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.csv_input import TableError
from mda_checks.demo.cohort import DUE, due_dates
from mda_checks.due_dates import DueDate, apply_due_dates, parse_local, read_calendar
from mda_checks.nbgrader_api import course_directory
from tests.conftest import copy_course
from tests.gradebooks import empty_gradebook


@pytest.fixture
def course(tmp_path):
    course = copy_course(tmp_path / "cours")
    empty_gradebook(course.root)
    return course


def calendar(course, text: str) -> None:
    (course.root / "calendrier.csv").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, utc", [
    ("2026-11-27 18:00", datetime(2026, 11, 27, 17, 0)),       # winter: UTC+1
    ("27/11/2026 18:00", datetime(2026, 11, 27, 17, 0)),       # as a French spreadsheet writes it
    ("2026-07-03 12:30:15", datetime(2026, 7, 3, 10, 30, 15)),  # summer: UTC+2
    ("2026-03-29 03:00", datetime(2026, 3, 29, 1, 0)),         # just after the switch to summer time
])
def test_paris_time_becomes_nbgrader_utc(text, utc):
    local = parse_local(text)
    assert str(local.tzinfo) == "Europe/Paris" and DueDate("bloc1", local, 2).utc == utc


@pytest.mark.parametrize("text, message", [
    ("2026-11-27", "illisible"),
    ("demain 18h", "illisible"),
    ("2026-02-30 10:00", "impossible"),
    ("2026-03-29 02:30", "n'existe pas à Paris"),
])
def test_an_unusable_date_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_local(text)


def test_the_calendar_goes_into_the_gradebook(course):
    db_url = course_directory(course.root).db_url
    with Gradebook(db_url, "manager-affaires") as gb:
        gb.update_or_create_assignment("bloc3", duedate=datetime(2026, 1, 1, 12, 0))
        gb.update_or_create_assignment("bloc4", duedate=datetime(2026, 2, 2, 12, 0))
    calendar(course, "devoir;date_limite\nbloc1;27/11/2026 18:00\nbloc2;2026-07-03 12:30\nbloc3;\n")
    result = apply_due_dates(course)
    assert [d.assignment for d in result.applied] == ["bloc1", "bloc2", "bloc3"] and result.untouched == ["bloc4"]
    with Gradebook(db_url) as gb:
        dates = {a.name: a.duedate for a in gb.assignments}
    assert dates == {"bloc1": datetime(2026, 11, 27, 17, 0), "bloc2": datetime(2026, 7, 3, 10, 30),
                     "bloc3": None,  # a line without a date removes the due date
                     "bloc4": datetime(2026, 2, 2, 12, 0)}  # not in the calendar: unchanged
    assert apply_due_dates(course).applied == result.applied  # applying again changes nothing


def test_every_problem_of_the_calendar_is_named_and_nothing_is_applied(course):
    calendar(course, "devoir,date limite\nbloc9,2026-01-01 10:00\nbloc1,2026-13-01 10:00\nbloc1,2026-01-01 10:00\n")
    with pytest.raises(TableError) as problem:
        read_calendar(course)
    assert problem.value.problems == [
        "ligne 2 : devoir inconnu « bloc9 » (devoirs du cours : bloc1, bloc2, bloc3, bloc4)",
        "ligne 3 : date « 2026-13-01 10:00 » impossible (jour, mois ou heure hors limites)",
        "ligne 4 : devoir « bloc1 » en double (déjà ligne 3)",
    ]
    assert "aucune date limite n'a été modifiée" in str(problem.value)


def test_the_command_applies_and_says_what_it_did(course, monkeypatch, capsys):
    monkeypatch.chdir(course.root)
    assert main(["calendrier"]) == 2
    assert "pas de calendrier : créez calendrier.csv" in capsys.readouterr().err
    calendar(course, "devoir;date_limite\nbloc1;2026-11-27 18:00\n")
    assert main(["calendrier", "bloc1"]) == 0
    assert ("Date limite bloc1 : vendredi 27 novembre 2026 à 18:00 (heure de Paris ; 2026-11-27 17:00 UTC"
            in capsys.readouterr().out)


def test_the_demo_takes_its_due_dates_from_the_calendar(course):
    assert due_dates(course, ["bloc1"]) == {"bloc1": DUE}
    calendar(course, "devoir;date_limite\nbloc1;2026-11-27 18:00\n")
    assert due_dates(course, ["bloc1", "bloc2"])["bloc1"].replace(tzinfo=None) == datetime(2026, 11, 27, 17, 0)
    assert due_dates(course, ["bloc1", "bloc2"])["bloc2"] == DUE
