"""Manual grades written as nbgrader's formgrader writes them (for the jury grid and simulations)."""
from __future__ import annotations

from nbgrader.api import Gradebook


def set_manual_grade(db_url: str, assignment: str, student: str, notebook: str, grade_id: str,
                     score: float | None, comment: str | None = None) -> None:
    """Record a manual score (None clears it) and, optionally, a comment for the learner."""
    with Gradebook(db_url) as gb:
        grade = gb.find_grade(grade_id, notebook, assignment, student)
        if score is not None and not 0 <= score <= grade.max_score:
            raise ValueError(f"note {score} hors de l'intervalle 0 – {grade.max_score} pour {grade_id}")
        grade.manual_score = score
        # same rule as formgrader's grade handler
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        if comment is not None:
            gb.find_comment(grade_id, notebook, assignment, student).manual_comment = comment
        gb.db.commit()
