"""What a run keeps and says: manual grades entered meanwhile, a changed grader, notebooks it could not grade."""
from __future__ import annotations

from functools import cache

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.feedback import generate_cohort_feedback
from mda_checks.grade.gradebook_template import GradebookTemplates
from mda_checks.grade.autograde import FAILED
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.manual import set_manual_grade
from mda_checks.grade.runs.state import GradingState
from mda_checks.notebook import cells
from mda_checks.report.cohort import write_reports
from tests.grade.helpers import manual_cell, trimmed_course

pytestmark = [pytest.mark.xdist_group("grading-runs")]
ASSIGNMENT = "bloc1"


@cache
def graded():
    """Two solved copies and one whose kernel dies in its first notebook, graded once."""
    course = trimmed_course("executions")
    for student in ("a", "b"):
        write_submission(course, student, ASSIGNMENT, solved_submission(course, ASSIGNMENT))
    notebooks = solved_submission(course, ASSIGNMENT)
    first = next(iter(notebooks.values()))
    answer = next(c for c in first.cells if cells.is_solution(c) and c.cell_type == "code")
    answer.source = "import os\nos._exit(1)"
    write_submission(course, "meurt", ASSIGNMENT, notebooks)
    run = run_grading(course, plan_grading(course, [ASSIGNMENT]), workers=2)
    return course, run


def _db(course):
    return f"sqlite:///{course.root / 'gradebook.db'}"


def test_a_manual_grade_entered_while_its_copy_is_regraded_is_kept(monkeypatch):
    course, _ = graded()
    notebook, grade_id, points = manual_cell(course, ASSIGNMENT)
    for_learner = GradebookTemplates.for_learner

    def template_then_grade_by_hand(templates, student, assignment):
        taken = for_learner(templates, student, assignment)  # the worker starts from this gradebook …
        if student == "a":
            set_manual_grade(templates.db_url, ASSIGNMENT, "a", notebook, grade_id, points,
                             "Saisi pendant la correction.")
        return taken  # … while a trainer grades in the live gradebook

    monkeypatch.setattr(GradebookTemplates, "for_learner", template_then_grade_by_hand)
    run_grading(course, plan_grading(course, [ASSIGNMENT], force=True), workers=2)
    with Gradebook(_db(course)) as gb:
        grade = gb.find_grade(grade_id, notebook, ASSIGNMENT, "a")
        comment = gb.find_comment(grade_id, notebook, ASSIGNMENT, "a")
        assert grade.manual_score == points and comment.manual_comment == "Saisi pendant la correction."


def test_a_change_of_the_grader_regrades_every_copy_and_says_why():
    course, _ = graded()
    before = plan_grading(course, [ASSIGNMENT])
    assert {s for s, _, _ in before.to_grade} == {"meurt"} and before.grader_changed == 0
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\n# tolérance revue\n")
    after = plan_grading(course, [ASSIGNMENT])
    assert {s for s, _, _ in after.to_grade} == {"a", "b", "meurt"}
    assert after.grader_changed == 2  # « meurt » is graded again anyway: it was never complete


def test_a_notebook_that_could_not_be_graded_is_counted_shown_and_graded_again(monkeypatch, capsys):
    course, run = graded()
    failed = [o for o in run.notebook_failures if o.student == "meurt"]
    assert failed and failed[0].status == FAILED and "recorrigé seul" in failed[0].notes
    assert not run.complete and not run.failures
    assert GradingState.of(course).fingerprint("meurt", ASSIGNMENT) == ""  # never taken as done
    generate_cohort_feedback(course, [ASSIGNMENT], workers=1)
    page = (course.root / "feedback" / "meurt" / ASSIGNMENT / "competences.html").read_text(encoding="utf-8")
    assert f"carnet non corrigé : {failed[0].notebook}" in page
    index = write_reports(course, [ASSIGNMENT]).index.read_text(encoding="utf-8")
    assert "Carnets non corrigés (1)" in index and "meurt" in index
    monkeypatch.chdir(course.root)
    status = main(["grade", "--workers", "2"])
    out = capsys.readouterr().out
    assert status == 0 and "Carnet non corrigé" in out
    assert "Correction incomplète" in out.split("Journal de correction")[-1], out[-600:]  # the last words
