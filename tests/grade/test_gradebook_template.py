"""The workers' gradebook template, built through nbgrader's API: same assignments, notebooks and cells
as the live gradebook, one learner per task with their submission as it stands, nothing else."""
from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import text

from mda_checks.grade.gradebook_template import (
    GradebookTemplates, assignment_cells, gradebook_template, sqlite_url, template_differences,
)

DUE = datetime(2026, 11, 20, 18, 0)
KERNEL = '{"name": "python3", "display_name": "Python 3", "language": "python"}'


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> str:
    """A small gradebook made by nbgrader itself: two assignments, every kind of cell, two learners,
    one submission with a trainer's manual grade, an extension, a flag and a late penalty."""
    url = sqlite_url(tmp_path_factory.mktemp("vivant") / "gradebook.db")
    with pytest.MonkeyPatch.context() as patch:  # a new gradebook is stamped by running `alembic`
        patch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        with Gradebook(url, "cours-test") as gb:
            gb.update_or_create_assignment("devoir", duedate=DUE)
            gb.update_or_create_assignment("autre")
            for notebook in ("carnet1", "carnet2"):
                gb.update_or_create_notebook(notebook, "devoir", kernelspec=KERNEL)
                gb.update_or_create_grade_cell("calcul", notebook, "devoir", max_score=2.0, cell_type="code")
                gb.update_or_create_solution_cell("calcul", notebook, "devoir")
                gb.update_or_create_grade_cell("redaction", notebook, "devoir", max_score=1.0, cell_type="markdown")
                gb.update_or_create_solution_cell("redaction", notebook, "devoir")
                gb.update_or_create_task_cell("oral", notebook, "devoir", max_score=3.0, cell_type="markdown")
                gb.update_or_create_source_cell("calcul", notebook, "devoir", cell_type="code", locked=False,
                                                source="total = ...", checksum=f"{notebook}-a1")
                gb.update_or_create_source_cell("consigne", notebook, "devoir", cell_type="markdown", locked=True,
                                                source="# Consigne", checksum=f"{notebook}-b2")
            gb.update_or_create_notebook("seul", "autre")
            gb.update_or_create_student("s1", first_name="Alice", last_name="Martin", email="alice@example.org")
            gb.update_or_create_student("s2", first_name="Bruno", last_name="Petit")
            gb.update_or_create_submission("devoir", "s1", timestamp=DUE + timedelta(hours=1),
                                           extension=timedelta(hours=2))
            grade = gb.find_grade("redaction", "carnet1", "devoir", "s1")
            grade.auto_score, grade.manual_score, grade.extra_credit, grade.needs_manual_grade = None, 0.5, 0.25, False
            gb.find_comment("redaction", "carnet1", "devoir", "s1").manual_comment = "Bien argumenté."
            notebook = gb.find_submission_notebook("carnet2", "devoir", "s1")
            notebook.flagged, notebook.late_submission_penalty = True, 0.5
            gb.update_or_create_submission("autre", "s2")
            gb.db.commit()
    return url


def test_the_template_has_the_assignments_notebooks_and_cells_being_graded_and_nothing_else(live, tmp_path):
    data = gradebook_template(live, ["devoir"], [], tmp_path / "gabarit.db")
    assert data[:16] == b"SQLite format 3\x00"
    template = sqlite_url(tmp_path / "gabarit.db")
    assert template_differences(live, template, ["devoir"]) == []
    rows = assignment_cells(template)
    # not vacuous: the assignment, 2 notebooks × (2 grade + 2 solution + 1 task + 2 source cells)
    assert len(rows) == 1 + 2 * (1 + 7)
    assert rows[("devoir", "carnet1", "source", "consigne")] == ("markdown", True, "carnet1-b2", "# Consigne")
    assert rows[("devoir",)] == (DUE, "cours-test") and rows[("devoir", "carnet2")] == (KERNEL,)
    with Gradebook(template) as gb:
        assert [a.name for a in gb.assignments] == ["devoir"] and gb.students == []
        revision = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    with Gradebook(live) as gb:
        expected = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert revision == expected  # stamped as nbgrader stamps a new gradebook


def test_the_comparison_finds_a_missing_cell_changed_points_and_a_changed_checksum(live, tmp_path):
    gradebook_template(live, ["devoir"], [], tmp_path / "gabarit.db")
    template = sqlite_url(tmp_path / "gabarit.db")
    with Gradebook(template) as gb:
        gb.db.delete(gb.find_task_cell("oral", "carnet2", "devoir"))
        gb.update_or_create_grade_cell("calcul", "carnet1", "devoir", max_score=4.0)
        gb.update_or_create_source_cell("consigne", "carnet2", "devoir", checksum="falsifié")
        gb.db.commit()
    found = template_differences(live, template, ["devoir"])
    assert len(found) == 3, found
    assert "manquant : devoir / carnet2 / task / oral" in found
    assert "différent : devoir / carnet1 / grade / calcul ((2.0, 'code') ≠ (4.0, 'code'))" in found
    assert any(line.startswith("différent : devoir / carnet2 / source / consigne") and "falsifié" in line
               for line in found)
    assert template_differences(live, template, ["devoir", "autre"])[0].startswith("manquant : autre")


def test_a_learners_gradebook_has_that_learner_and_their_submission_as_it_stands(live, tmp_path):
    templates = GradebookTemplates.build(live, ["devoir"], tmp_path / "gabarit.db")
    path = tmp_path / "s1.db"
    path.write_bytes(templates.for_learner("s1", "devoir"))
    with Gradebook(sqlite_url(path)) as gb:
        assert [(s.id, s.first_name, s.last_name, s.email) for s in gb.students] == [
            ("s1", "Alice", "Martin", "alice@example.org")]  # one learner: no one else's data
        submission = gb.find_submission("devoir", "s1")
        assert (submission.timestamp, submission.extension) == (DUE + timedelta(hours=1), timedelta(hours=2))
        grade = gb.find_grade("redaction", "carnet1", "devoir", "s1")
        assert (grade.auto_score, grade.manual_score, grade.extra_credit, grade.needs_manual_grade) == (
            None, 0.5, 0.25, False)
        assert gb.find_comment("redaction", "carnet1", "devoir", "s1").manual_comment == "Bien argumenté."
        notebook = gb.find_submission_notebook("carnet2", "devoir", "s1")
        assert (notebook.flagged, notebook.late_submission_penalty) == (True, 0.5)
        assert submission.total_seconds_late == 0  # one hour late, two hours of extension
    with Gradebook(sqlite_url(templates.structure)) as gb:
        assert gb.students == []  # the run's structure stays learner-free


def test_a_learner_unknown_to_the_gradebook_gets_a_bare_row_and_no_submission(live, tmp_path):
    templates = GradebookTemplates.build(live, ["devoir"], tmp_path / "gabarit.db")
    path = tmp_path / "nouveau.db"
    path.write_bytes(templates.for_learner("nouveau", "devoir"))
    with Gradebook(sqlite_url(path)) as gb:
        assert [s.id for s in gb.students] == ["nouveau"]
        assert gb.find_assignment("devoir").submissions == []


def test_a_template_is_always_a_new_file(live, tmp_path):
    target = tmp_path / "gabarit.db"
    shutil.copyfile(live.removeprefix("sqlite:///"), target)
    with pytest.raises(FileExistsError):
        gradebook_template(live, ["devoir"], [], target)
