"""When a submission was handed in: a time the learner cannot set.

A learner writes their submission's ``timestamp.txt`` and the date in its folder's name (nbgrader
submit does, and so can anyone, with any date). What they cannot set is the *change time* (ctime)
that the system gives every file and folder whenever it is written, renamed or has its owner or
permissions changed: neither ``touch`` nor ``os.utime`` moves it, only a change does, and only to
the present. So the trusted time of a submission is the latest change time of everything collected
from it, as read while it is copied, and never later than the collect itself: a learner can make it
later (by changing their submission, which hands it in again) but never earlier. It is what
``submitted/<id>/<assignment>/timestamp.txt`` holds after ``mda collecte``, and so what nbgrader's
late penalty and the choice of a group's copy use. A claimed time that differs is reported, never used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.tz import gettz
from nbgrader.utils import parse_utc

from mda_checks.config import TIMEZONE
from mda_checks.report.timing import format_when

#: nbgrader's own timestamp format (``Exchange.timestamp_format``), in UTC
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
STAMP_FILE = "timestamp.txt"


def utc(seconds: float) -> datetime:
    """A change time (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def stamp(moment: datetime) -> str:
    """The text of a timestamp.txt, as nbgrader writes it (« 2026-11-27 16:59:03.123456 UTC »)."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


#: « date time ZONE », as nbgrader's ``Exchange.timestamp_format`` writes it: the zone as ``%Z`` (« CEST »)
#: by default, or as ``%z`` (« +0200 »)
ABBREVIATED = re.compile(r"^(?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) "
                         r"(?:(?P<zone>[A-Za-z]{2,6})|(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2}))$")
ALWAYS_UTC = ("UTC", "GMT", "Z")


def zone_abbreviations(zone: str, year: int) -> dict[str, timedelta]:
    """The abbreviations `zone` writes in `year` and their offsets (Europe/Paris: CET +1 h, CEST +2 h).

    nbgrader stamps a submission in its ``Exchange.timezone`` with ``%Z``, an abbreviation alone, which
    only the process's own zone (its TZ) can read back: a collect run from a root shell in UTC would
    take « 10:00 CEST » for 10:00 UTC. Read back with the course's zone, it never depends on TZ."""
    tz = ZoneInfo(zone)
    found = {name: timedelta(0) for name in ALWAYS_UTC}
    for month in range(1, 13):
        for day in (1, 15):
            moment = datetime(year, month, day, 12, tzinfo=tz)
            found.setdefault(moment.tzname() or "", moment.utcoffset() or timedelta(0))
    found.pop("", None)
    return found


def parse_claim(text: str | None, zone: str = TIMEZONE) -> datetime | None:
    """A claimed time as an aware UTC datetime; None when absent or unreadable.

    A zone abbreviation is read with the course's zone (`zone`), whatever this process's TZ; one that
    neither the course's zone nor the system's zone database knows is unreadable (never taken as UTC)."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        shaped = ABBREVIATED.match(text)
        if shaped:
            when = datetime.fromisoformat(shaped["when"])
            if shaped["sign"]:
                fixed = timedelta(hours=int(shaped["hours"]), minutes=int(shaped["minutes"]))
                return when.replace(tzinfo=timezone(-fixed if shaped["sign"] == "-" else fixed)).astimezone(UTC)
            offset = zone_abbreviations(zone, when.year).get(shaped["zone"].upper())
            if offset is not None:
                return when.replace(tzinfo=timezone(offset)).astimezone(UTC)
            if gettz(shaped["zone"]) is None:
                return None
        return parse_utc(text).replace(tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None


def trusted_time(latest_change: float, collected_at: datetime) -> datetime:
    """The submission's time: its latest change, never later than the collect (a clock set back)."""
    return min(utc(latest_change), collected_at)


@dataclass(frozen=True)
class Claim:
    """A time a learner wrote: where (« nom du dossier », « timestamp.txt ») and what."""

    where: str
    text: str | None


def claim_notes(claims: list[Claim], trusted: datetime, collected_at: datetime, tolerance: timedelta) -> list[str]:
    """French notes on the claimed times that differ from the trusted one (by more than `tolerance`,
    the few seconds nbgrader's submit takes between writing its date and its last file): ignored, reported."""
    notes = []
    for claim in claims:
        if claim.text is None:
            continue
        when = parse_claim(claim.text)
        if when is None:
            notes.append(f"heure déclarée illisible ({claim.where} : « {claim.text.strip()[:60]} ») : ignorée")
        elif when > collected_at + tolerance:
            notes.append(f"heure déclarée dans le futur ({claim.where} : {format_when(when)}) : ignorée, "
                         f"heure de rendu constatée : {format_when(trusted)}")
        elif abs(when - trusted) > tolerance:
            notes.append(f"heure déclarée ({claim.where} : {format_when(when)}) différente de l'heure de rendu "
                         f"constatée ({format_when(trusted)}) : ignorée")
    return notes


def recorded_time(folder: Path) -> datetime | None:
    """The time a copy in ``submitted/`` counts with: its ``timestamp.txt``, never later than the moment
    that file was written (its change time). ``mda collecte`` writes the trusted time there; a copy put
    there by other means (by hand, or by ``nbgrader collect``, which keeps the learner's claim) cannot
    then claim a time still to come. None when the file is missing or unreadable."""
    path = Path(folder) / STAMP_FILE
    try:
        text = path.read_text(encoding="utf-8")
        written = utc(path.stat().st_ctime)
    except (OSError, UnicodeDecodeError):
        return None
    claimed = parse_claim(text)
    return None if claimed is None else min(claimed, written)
