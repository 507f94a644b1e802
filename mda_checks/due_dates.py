"""Due dates from one place: ``calendrier.csv`` at the course root, put into nbgrader's gradebook.

One line per assignment (columns ``devoir`` and ``date_limite``), in Paris time
(``mda_checks.config.TIMEZONE``): « 2026-11-27 18:00 » or « 27/11/2026 18:00 » (seconds
optional). A line with no date removes the assignment's due date; an assignment with no
line keeps the one the gradebook has. nbgrader stores due dates in UTC without a time zone:
the dates are converted here, daylight saving time included. nbgrader's own lateness
(``total_seconds_late``) and late penalty logic then use them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from nbgrader.api import Gradebook

from mda_checks.config import LOCALE, TIMEZONE
from mda_checks.course import Course
from mda_checks.csv_input import Column, TableError, read_table

CALENDAR_NAME = "calendrier.csv"
ASSIGNMENT, DUE = "devoir", "date_limite"
COLUMNS = [Column(ASSIGNMENT, ("devoir", "bloc")), Column(DUE, ("datelimite", "echeance", "date"))]
CONSEQUENCE = "aucune date limite n'a été modifiée"
_FORMS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]+(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}) +(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?$"),
)


@dataclass(frozen=True)
class DueDate:
    """One line of the calendar: a due date in Paris time, or None (no due date)."""

    assignment: str
    local: datetime | None
    line: int

    @property
    def utc(self) -> datetime | None:
        """What nbgrader stores: UTC, without a time zone."""
        if self.local is None:
            return None
        return self.local.astimezone(UTC).replace(tzinfo=None)

    def describe(self) -> str:
        if self.local is None:
            return "pas de date limite"
        return (format_datetime(self.local, "EEEE d MMMM y 'à' HH:mm", locale=LOCALE)
                + f" (heure de Paris ; {self.utc:%Y-%m-%d %H:%M} UTC dans le carnet de notes)")


def parse_local(text: str, zone: str = TIMEZONE) -> datetime:
    """« 2026-11-27 18:00 » or « 27/11/2026 18:00 », Paris time -> an aware datetime.

    Raises ValueError (in French) for another form, an impossible date, or a time that does not
    exist in Paris (the hour skipped when summer time starts)."""
    for form in _FORMS:
        match = form.match(text.strip())
        if match:
            break
    else:
        raise ValueError(f"date « {text} » illisible : écrivez « 2026-11-27 18:00 » ou « 27/11/2026 18:00 » "
                         "(date et heure de Paris)")
    parts = {key: int(value) for key, value in match.groupdict(default="0").items()}
    tz = ZoneInfo(zone)
    try:
        local = datetime(parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], parts["S"], tzinfo=tz)
    except ValueError:
        raise ValueError(f"date « {text} » impossible (jour, mois ou heure hors limites)") from None
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValueError(f"« {text} » n'existe pas à Paris (heure sautée au passage à l'heure d'été)")
    return local


def calendar_path(course: Course) -> Path:
    return course.root / CALENDAR_NAME


def read_calendar(course: Course, path: Path | None = None) -> dict[str, DueDate]:
    """Assignment -> its line of the calendar. FileNotFoundError without a calendar; TableError
    (every problem, with its line) for a calendar that cannot be used."""
    path = path or calendar_path(course)
    known = course.assignments()
    rows = read_table(path, COLUMNS, consequence=CONSEQUENCE)
    dates: dict[str, Any]
    problems, dates = [], {}
    for row in rows:
        name, text = row.values[ASSIGNMENT], row.values[DUE]
        where = f"ligne {row.line}"
        if name not in known:
            problems.append(f"{where} : devoir inconnu « {name} » (devoirs du cours : {', '.join(known)})")
            continue
        if name in dates:
            problems.append(f"{where} : devoir « {name} » en double (déjà ligne {dates[name].line})")
            continue
        try:
            dates[name] = DueDate(name, parse_local(text) if text else None, row.line)
        except ValueError as problem:
            problems.append(f"{where} : {problem}")
            dates[name] = DueDate(name, None, row.line)  # reported once as a duplicate, not twice
    if problems:
        raise TableError(path, problems, CONSEQUENCE)
    return dates


@dataclass(frozen=True)
class AppliedDates:
    applied: list[DueDate]   # put in the gradebook (a date, or no date)
    untouched: list[str]     # assignments the calendar does not name: gradebook unchanged


def apply_due_dates(course: Course, assignments: list[str] | None = None,
                    dates: dict[str, DueDate] | None = None) -> AppliedDates:
    """Put the calendar's due dates into the gradebook (Gradebook.update_or_create_assignment)."""
    from mda_checks.nbgrader_api import course_directory

    dates = read_calendar(course) if dates is None else dates
    wanted = assignments or course.assignments()
    coursedir = course_directory(course.root)
    applied = [dates[name] for name in wanted if name in dates]
    if applied:
        with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
            for due in applied:
                gb.update_or_create_assignment(due.assignment, duedate=due.utc)
    return AppliedDates(applied, [name for name in wanted if name not in dates])


def due_dates_report(course: Course, assignments: list[str] | None = None, required: bool = True) -> list[str]:
    """Apply the calendar and say what was done (`mda calendrier`, `mda build`), in French.

    Without a calendar: FileNotFoundError when `required`, else one line saying so."""
    try:
        result = apply_due_dates(course, assignments)
    except FileNotFoundError:
        if required:
            raise FileNotFoundError(f"pas de calendrier : créez {CALENDAR_NAME} à la racine du cours "
                                    "(colonnes devoir et date_limite ; voir docs/formateur.md)") from None
        return [f"Dates limites : pas de {CALENDAR_NAME}, carnet de notes inchangé."]
    lines = [f"Date limite {due.assignment} : {due.describe()}" for due in result.applied]
    if result.untouched:
        lines.append(f"Absents de {CALENDAR_NAME} (date limite inchangée) : {', '.join(result.untouched)}")
    return lines
