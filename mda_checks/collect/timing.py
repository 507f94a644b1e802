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

from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from pathlib import Path

from nbgrader.utils import parse_utc

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


def parse_claim(text: str | None) -> datetime | None:
    """A claimed time as an aware UTC datetime; None when absent or unreadable."""
    if not text or not text.strip():
        return None
    try:
        return parse_utc(text.strip()).replace(tzinfo=UTC)
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
