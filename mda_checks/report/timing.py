"""Times and lateness as every report writes them: Paris time, and one way of writing a delay.

nbgrader stores its timestamps (submission, due date) as naive UTC datetimes; the reports
convert them to Europe/Paris (summer and winter time) before writing them.

A delay is written in days (« j »), hours (« h ») and minutes (« min »): « 5 min »,
« 3 h 20 min », « 1 j 2 h ». It is rounded up to the minute (a copy handed in a few seconds
late is « 1 min » late, never « 0 min »); beyond a day, to the nearest hour (minutes omitted).
"""
from __future__ import annotations

import math
from datetime import datetime, UTC
from zoneinfo import ZoneInfo

import pandas as pd
from babel.dates import format_datetime

from mda_checks.config import LOCALE, TIMEZONE

PARIS = ZoneInfo(TIMEZONE)
NBSP = "\u00a0"  # between a number and its unit, and between the parts of a delay: never split by a line break
WHEN_PATTERN = "d MMMM y 'à' HH:mm"


def to_paris(moment, naive_is_utc: bool = True) -> datetime | None:
    """An aware datetime in Europe/Paris, or None for a missing value.

    A naive `moment` is UTC (nbgrader's timestamps) unless `naive_is_utc` is False: then it is
    the machine's local time (``datetime.now()``)."""
    if moment is None or pd.isna(moment):
        return None
    moment = pd.Timestamp(moment).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC) if naive_is_utc else moment.astimezone()
    return moment.astimezone(PARIS)


def format_when(moment, naive_is_utc: bool = True) -> str:
    """« 27 novembre 2026 à 19:00 » in Paris time; « date inconnue » when missing."""
    paris = to_paris(moment, naive_is_utc)
    if paris is None:
        return "date inconnue"
    return format_datetime(paris, WHEN_PATTERN, tzinfo=PARIS, locale=LOCALE)


def excel_time(moment) -> datetime | None:
    """A naive datetime holding Paris wall-clock time (Excel cells have no time zone)."""
    paris = to_paris(moment)
    return None if paris is None else paris.replace(tzinfo=None)


def format_lateness(seconds: float | None) -> str:
    """The one way reports write a delay: '' when on time, else « 5 min », « 3 h 20 min », « 1 j 2 h »."""
    if seconds is None or pd.isna(seconds) or seconds <= 0:
        return ""
    minutes = max(1, math.ceil(seconds / 60 - 1e-9))
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        parts = [(hours, "h"), (minutes, "min")]
    else:
        days, hours = divmod(math.floor(minutes / 60 + 0.5), 24)  # half an hour rounds up
        parts = [(days, "j"), (hours, "h")]
    return NBSP.join(f"{value}{NBSP}{unit}" for value, unit in parts if value)
