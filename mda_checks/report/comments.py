"""The trainers' own comments, as entered in formgrader (never nbgrader's automatic « Pas de réponse. »)."""
from __future__ import annotations

import pandas as pd
from nbgrader.api import Gradebook

COMMENT_COLUMNS = ["apprenant", "devoir", "carnet", "cellule", "points", "points_max", "en_attente", "commentaire"]


def trainer_comments(db_url: str, assignments: list[str] | None = None) -> pd.DataFrame:
    """One row per graded cell a trainer commented on (``manual_comment``), in the gradebook's order."""
    rows = []
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            if assignments is not None and assignment.name not in assignments:
                continue
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    grades = {g.name: g for g in notebook.grades}
                    for comment in notebook.comments:
                        text = (comment.manual_comment or "").strip()
                        if not text:
                            continue
                        grade = grades.get(comment.name)
                        rows.append({
                            "apprenant": submission.student_id, "devoir": assignment.name, "carnet": notebook.name,
                            "cellule": comment.name, "points": float(grade.score or 0) if grade else None,
                            "points_max": float(grade.max_score) if grade else None,
                            "en_attente": bool(grade.needs_manual_grade) if grade else False, "commentaire": text,
                        })
    return pd.DataFrame(rows, columns=COMMENT_COLUMNS)
