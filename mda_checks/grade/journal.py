"""The grading journal: one row per notebook and submission, with the reason of any problem."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from mda_checks.grade.autograde import NotebookOutcome

#: French remarks first; the technical detail (exceptions, nbgrader's log line) in the last column only
COLUMNS = {
    "student": "apprenant", "assignment": "devoir", "notebook": "notebook", "status": "statut",
    "score": "points", "max_score": "points_max", "seconds": "duree_s", "notes": "remarques",
    "cause": "raison", "detail": "detail_technique",
}


def journal_frame(outcomes: list[NotebookOutcome]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(o) for o in outcomes], columns=list(COLUMNS))
    return frame.rename(columns=COLUMNS)


def write_journal(outcomes: list[NotebookOutcome], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    journal_frame(outcomes).to_csv(path, index=False, lineterminator="\n")
    return path
