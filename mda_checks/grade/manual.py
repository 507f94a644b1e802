"""Manual grades written as nbgrader's formgrader writes them (for the jury grid and simulations)."""
from __future__ import annotations

from nbgrader.api import Comment, Grade, Gradebook


def apply_manual_grade(grade: Grade, score: float | None, comment: Comment | None = None,
                       text: str | None = None) -> None:
    """formgrader's rule on an open gradebook row: a manual score (None clears it) and a comment."""
    if score is not None and not 0 <= score <= grade.max_score:
        raise ValueError(f"note {score} hors de l'intervalle 0 – {grade.max_score} pour {grade.name}")
    grade.manual_score = score
    # same rule as formgrader's grade handler
    grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
    if comment is not None and text is not None:
        comment.manual_comment = text


def set_manual_grade(db_url: str, assignment: str, student: str, notebook: str, grade_id: str,
                     score: float | None, comment: str | None = None) -> None:
    """Record a manual score (None clears it) and, optionally, a comment for the learner."""
    with Gradebook(db_url) as gb:
        grade = gb.find_grade(grade_id, notebook, assignment, student)
        found = gb.find_comment(grade_id, notebook, assignment, student) if comment is not None else None
        apply_manual_grade(grade, score, found, comment)
        gb.db.commit()
