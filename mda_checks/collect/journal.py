"""The collect journal: ``autograded/journal_collecte.csv``, one row per copy collected, kept or refused.

Rows are appended at every ``mda collecte``: the history of what each learner id received (and of
every folder refused in their name) stays for the trainer, beside the grading journal."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from mda_checks.collect.exchange_collect import REFUSED, LearnerOutcome
from mda_checks.course import Course

NAME = "journal_collecte.csv"
COLUMNS = ["date_collecte", "devoir", "apprenant", "depot", "statut", "heure_rendu", "remarques"]


def journal_path(course: Course) -> Path:
    return course.step("autograded") / NAME


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat(timespec="seconds")


def journal_rows(outcomes: list[LearnerOutcome], assignment: str, collected_at: datetime) -> list[dict[str, str]]:
    rows = []
    for outcome in outcomes:
        base = {"date_collecte": _iso(collected_at), "devoir": assignment, "apprenant": outcome.learner}
        if outcome.status:
            remarks = [outcome.detail] + [e.reason for e in outcome.events if e.folder == outcome.folder and
                                          e.status != REFUSED]
            rows.append({**base, "depot": outcome.folder or "", "statut": outcome.status,
                         "heure_rendu": _iso(outcome.time), "remarques": " ; ".join(filter(None, remarks))})
        for event in outcome.events:
            if event.status == REFUSED:
                rows.append({**base, "depot": event.folder, "statut": event.status, "heure_rendu": "",
                             "remarques": event.reason})
    return rows


def append_journal(course: Course, rows: list[dict[str, str]]) -> Path:
    path = journal_path(course)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.is_file()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerows(rows)
    return path
