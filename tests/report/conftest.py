"""A small graded cohort in a real nbgrader gradebook, and the reports `mda report` writes from it.

Two learners, two blocs with every CE of the referentiel. The due dates and submission times
are fixed UTC instants, as nbgrader stores them (naive UTC): bloc1 in summer (Paris = UTC+2),
bloc2 in winter (Paris = UTC+1). alice was given a personal copy of each bloc (a variant of
each), bruno worked on the common case.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pandas as pd
import pytest
from nbgrader.api import Gradebook

from mda_checks.coverage import AUTO, Coverage, GradedCell
from mda_checks.referentiel import load_referentiel
from mda_checks.report.competencies import criteria_rows, grid_frame, submission_cells, submission_facts
from mda_checks.report.excel import write_workbook
from mda_checks.report.html import write_html_report
from mda_checks.roster import learner_names

SUMMER_DUE = datetime(2026, 7, 1, 16, 0)    # UTC: 1 July 2026, 18:00 in Paris (UTC+2)
WINTER_DUE = datetime(2026, 11, 27, 17, 0)  # UTC: 27 November 2026, 18:00 in Paris (UTC+1)
SUBMITTED = {
    ("alice", "bloc1"): SUMMER_DUE + timedelta(hours=26),                # 2 July, 20:00 in Paris: 26 h late
    ("bruno", "bloc1"): SUMMER_DUE - timedelta(hours=3),                 # 1 July, 15:00 in Paris: on time
    ("alice", "bloc2"): WINTER_DUE + timedelta(hours=5, minutes=30),     # 27 November, 23:30 in Paris
    ("bruno", "bloc2"): WINTER_DUE - timedelta(minutes=20),              # 27 November, 17:40 in Paris: on time
}
GENERATED = datetime(2026, 7, 3, 8, 5, tzinfo=UTC)  # 3 July, 10:05 in Paris
NOTEBOOK = "carnet"
#: the variants of the registry (mda release): alice's own data in each bloc; bruno has none (common case)
VARIANTS = {("bloc1", "alice"): "V-3F9A2C", ("bloc2", "alice"): "V-0B71D4"}


def _coverage(assignment: str) -> Coverage:
    """One graded cell per CE. bloc1: 4 points each, the last one 5 (101 in all);
    bloc2: 2 points each, and its last CE assessed by no cell (« non évalué »)."""
    criteria = load_referentiel().bloc(int(assignment[-1])).criteria
    if assignment == "bloc1":
        cells = [GradedCell(NOTEBOOK, f"q{i}", 5 if i == len(criteria) - 1 else 4, AUTO, (ce.code,))
                 for i, ce in enumerate(criteria)]
    else:
        cells = [GradedCell(NOTEBOOK, f"q{i}", 2, AUTO, (ce.code,)) for i, ce in enumerate(criteria[:-1])]
    return Coverage(assignment, tuple(criteria), tuple(cells))


def _score(student: str, assignment: str, cell: GradedCell) -> tuple[float, bool]:
    """(score, waiting for a manual grade) of one cell."""
    index = int(cell.grade_id[1:])
    if student == "alice":  # bloc1: 97,5 / 101 (3,5 points lost on the first CE); bloc2: one CE pending
        return (0.5 if assignment == "bloc1" and index == 0 else cell.points), assignment == "bloc2" and index == 3
    return (cell.points if index % 3 == 0 else 0.5), assignment == "bloc1" and index == 1


@dataclass(frozen=True)
class Cohort:
    db_url: str
    grid: pd.DataFrame
    facts: pd.DataFrame
    index: Path
    pages: Path
    workbook: Path

    def page(self, student: str) -> str:
        return (self.pages / f"{student}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cohort(tmp_path_factory) -> Cohort:
    folder = tmp_path_factory.mktemp("rapports")
    db_url = f"sqlite:///{folder / 'gradebook.db'}"
    coverages = {assignment: _coverage(assignment) for assignment in ("bloc1", "bloc2")}
    with pytest.MonkeyPatch.context() as patch:  # nbgrader runs `alembic`, beside this interpreter
        patch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        with Gradebook(db_url) as gb:
            for assignment, coverage in coverages.items():
                gb.update_or_create_assignment(assignment, duedate=SUMMER_DUE if assignment == "bloc1" else WINTER_DUE)
                gb.add_notebook(NOTEBOOK, assignment)
                for cell in coverage.cells:
                    gb.add_grade_cell(cell.grade_id, NOTEBOOK, assignment, max_score=cell.points, cell_type="code")
            gb.add_student("alice", first_name="Alice", last_name="Martin")  # from a roster (mda apprenants)
            gb.add_student("bruno")                                           # not in the roster: the id only
            for (student, assignment), when in SUBMITTED.items():
                gb.add_submission(assignment, student, timestamp=when)
                for cell in coverages[assignment].cells:
                    grade = gb.find_grade(cell.grade_id, NOTEBOOK, assignment, student)
                    grade.auto_score, grade.needs_manual_grade = _score(student, assignment, cell)
            gb.db.commit()
        rows = []
        with Gradebook(db_url) as gb:
            for (student, assignment) in sorted(SUBMITTED, key=lambda key: (key[1], key[0])):
                rows += criteria_rows(coverages[assignment], student, submission_cells(gb, assignment, student))
    grid = grid_frame(rows, learner_names(db_url), VARIANTS)
    facts = submission_facts(db_url)
    reports = folder / "reports"
    index = write_html_report(grid, facts, reports, folder / "feedback", generated=GENERATED)
    workbook = write_workbook(grid, facts, reports / "grille_competences.xlsx")
    return Cohort(db_url, grid, facts, index, reports / "apprenants", workbook)
