"""What each graded cell of a learner's copy says: the grading message and the trainer's comment.

Two places hold them, and this module reads both:

- the **graded notebooks** (``autograded/<learner>/<assignment>/<notebook>.ipynb``): each check
  cell holds the result record ``ScoreAnswers`` wrote (``metadata.mda.resultat``, see
  ``mda_checks.notebook.result_record``): its status and message are read from it, never from
  the HTML the feedback page shows;
- the **gradebook**: each cell's points, whether it still waits for a manual grade, and the
  comment of a written answer or of a jury's grid (the trainer's, entered in formgrader, or
  nbgrader's automatic « Pas de réponse. »).

The grading journal (``autograded/journal_correction.csv``) adds, per notebook, what went wrong
while grading (a cell that raised, a notebook not graded…).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook

from mda_checks.course import Course
from mda_checks.grade.autograde import journal_path
from mda_checks.notebook.result_record import read_record, record_text
from mda_checks.report.competencies import PENDING

#: the cell's result when a trainer (or the jury) graded it by hand
MANUALLY_GRADED = "noté à la main"
CELL_COLUMNS = ["apprenant", "devoir", "carnet", "cellule", "points", "points_max", "en_attente", "commentaire"]
JOURNAL_COLUMNS = ["apprenant", "devoir", "notebook", "statut", "points", "points_max", "duree_s", "remarques"]


@dataclass(frozen=True)
class CellMessage:
    """What a graded notebook says of one graded cell."""

    position: int   # the cell's rank in its notebook
    status: str     # the check's result (« correct »…), '' for a cell without a check message
    text: str       # the check's message as plain text, '' for a written answer or a jury's grid


def notebook_messages(path: Path) -> dict[str, CellMessage]:
    """grade_id -> message of every graded cell of a graded notebook (plain JSON read: a graded
    notebook is nbgrader's own output)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for position, cell in enumerate(notebook.get("cells", [])):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if not grade_id:
            continue
        found_record = read_record(cell)
        status, text = (found_record["statut"], record_text(found_record)) if found_record else ("", "")
        found[grade_id] = CellMessage(position, status, text)
    return found


def learner_messages(course: Course, student: str, assignment: str) -> dict[tuple[str, str], CellMessage]:
    """(notebook, grade_id) -> message, for one learner's graded copy of an assignment."""
    folder = course.step("autograded") / student / assignment
    if not folder.is_dir():
        return {}
    return {(path.stem, grade_id): found for path in sorted(folder.glob("*.ipynb"))
            for grade_id, found in notebook_messages(path).items()}


def gradebook_cells(db_url: str) -> pd.DataFrame:
    """Every graded cell of every submission: points, pending manual grade, comment (one session)."""
    rows = []
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    comments = {c.name: (c.manual_comment or c.auto_comment or "") for c in notebook.comments}
                    for grade in notebook.grades:
                        rows.append({
                            "apprenant": submission.student_id, "devoir": assignment.name, "carnet": notebook.name,
                            "cellule": grade.name, "points": float(grade.score or 0.0),
                            "points_max": float(grade.max_score), "en_attente": bool(grade.needs_manual_grade),
                            "commentaire": comments.get(grade.name, "").strip(),
                        })
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def cell_result(status: str, pending: bool) -> str:
    """The result of one graded cell, in the words learners and reports use."""
    if pending:
        return PENDING
    return status or MANUALLY_GRADED


def read_journal(course: Course) -> pd.DataFrame:
    """The grading journal (one row per notebook and submission); empty before the first grading."""
    path = journal_path(course)
    if not path.is_file():
        return pd.DataFrame(columns=JOURNAL_COLUMNS)
    frame = pd.read_csv(path, dtype={"apprenant": str, "devoir": str, "notebook": str, "statut": str,
                                     "remarques": str}, keep_default_na=False)
    return frame.reindex(columns=JOURNAL_COLUMNS)
