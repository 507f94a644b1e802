"""Grades per learner and assignment, split into automatic and manual points."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin

from mda_checks.course import Course
from mda_checks.coverage import AUTO, assignment_coverage


def export_nbgrader_csv(db_url: str, path: Path) -> Path:
    """nbgrader's own CSV export (its columns), as `nbgrader export` writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(db_url) as gb:
        CsvExportPlugin(to=str(path)).export(gb)
    return path


def grades_table(course: Course, db_url: str, assignments: list[str]) -> pd.DataFrame:
    """One row per learner and assignment: automatic and manual points, pending manual grades."""
    rows = []
    with Gradebook(db_url) as gb:
        for assignment in assignments:
            modes = {(c.notebook, c.grade_id): c.mode for c in assignment_coverage(course, assignment).cells}
            try:
                submissions = gb.find_assignment(assignment).submissions
            except MissingEntry:
                continue
            for submission in submissions:
                row = {"apprenant": submission.student_id, "devoir": assignment,
                       "auto": 0.0, "auto_max": 0.0, "manuel": 0.0, "manuel_max": 0.0, "en_attente": 0}
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        kind = "auto" if modes.get((notebook.name, grade.name)) == AUTO else "manuel"
                        row[f"{kind}_max"] += grade.max_score
                        row[kind] += grade.score or 0.0
                        row["en_attente"] += bool(grade.needs_manual_grade)
                row["total"] = row["auto"] + row["manuel"]
                row["total_max"] = row["auto_max"] + row["manuel_max"]
                rows.append(row)
    return pd.DataFrame(rows).sort_values(["devoir", "apprenant"]).reset_index(drop=True) if rows else pd.DataFrame()


def format_grades(table: pd.DataFrame) -> str:
    """The grades table as plain French text for the terminal."""
    if table.empty:
        return "Aucune note dans le carnet de notes."
    shown = pd.DataFrame({
        "Apprenant": table["apprenant"],
        "Devoir": table["devoir"],
        "Auto": [f"{a:g} / {m:g}" for a, m in zip(table["auto"], table["auto_max"])],
        "Manuel": [f"{a:g} / {m:g}" for a, m in zip(table["manuel"], table["manuel_max"])],
        "En attente": table["en_attente"],
        "Total": [f"{a:g} / {m:g}" for a, m in zip(table["total"], table["total_max"])],
    })
    return shown.to_string(index=False)
