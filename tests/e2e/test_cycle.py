"""End to end: generate_assignment → submissions → autograde → feedback → export, per bloc."""
import csv

import pytest
from nbgrader.api import Gradebook

from mda_checks.feedback import leaked_hidden_tests
from mda_checks.grade.manual import set_manual_grade
from mda_checks.report.grades import export_nbgrader_csv
from mda_checks.notebook import cells
from tests.conftest import per_assignment
from tests.e2e.harness import BLANK, SLIPS, SOLVED, graded_course


def jury_tasks(graded) -> set[tuple[str, str]]:
    """(notebook, grade_id) of the assignment's jury grids (nbgrader task cells)."""
    return {(name, cells.grade_id(c)) for name, nb in graded.course.read_source(graded.assignment).items()
            for c in nb.cells if cells.is_task(c)}


@per_assignment()
def test_every_submission_is_graded_without_failure(assignment):
    graded = graded_course(assignment)
    assert {o.status for o in graded.outcomes} == {"corrigé"}, [(o.student, o.notebook, o.notes) for o in graded.outcomes]
    assert not graded.feedback_problems


@per_assignment()
def test_solutions_get_every_autograded_point(assignment):
    scores = graded_course(assignment).cell_scores(SOLVED)
    assert scores and all(score == maximum for score, maximum in scores.values()), \
        {k: v for k, v in scores.items() if v[0] != v[1]}


@per_assignment()
def test_blank_release_gets_zero_autograded_points(assignment):
    scores = graded_course(assignment).cell_scores(BLANK)
    assert scores and all(score == 0 for score, _ in scores.values())


@per_assignment()
def test_classic_mistakes_lose_exactly_the_stated_points(assignment):
    graded = graded_course(assignment)
    assert len(graded.slips) >= 2
    scores = graded.cell_scores(SLIPS)
    lost = {slip.notebook + ":" + slip.test_cell: slip.lost for slip in graded.slips}
    wrong = {f"{notebook}:{grade_id}": round(maximum - score, 4)
             for (notebook, grade_id), (score, maximum) in scores.items()
             if maximum - score != pytest.approx(lost.get(f"{notebook}:{grade_id}", 0.0))}
    assert not wrong, f"points lost instead of the stated ones: {wrong}"


@per_assignment()
def test_feedback_shows_the_french_causes_and_no_hidden_test(assignment):
    graded = graded_course(assignment)
    folder = graded.course.step("feedback") / SLIPS / assignment
    pages = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    assert pages and all('<html lang="fr">' in page for page in pages.values())  # the French template
    for slip in graded.slips:
        assert "Cause probable" in pages[slip.notebook] and slip.message in pages[slip.notebook], slip.test_cell
    for student in (SOLVED, BLANK, SLIPS):
        for page in (graded.course.step("feedback") / student / assignment).glob("*.html"):
            assert not leaked_hidden_tests(page), page


@per_assignment()
def test_feedback_speaks_french_and_shows_the_learners_charts(assignment):
    """No English of nbgrader's (« No response. », In/Out prompts); charts drawn by the learner are kept."""
    graded = graded_course(assignment)
    blank = {p.stem: p.read_text(encoding="utf-8")
             for p in (graded.course.step("feedback") / BLANK / assignment).glob("*.html")}
    solved = {p.stem: p.read_text(encoding="utf-8")
              for p in (graded.course.step("feedback") / SOLVED / assignment).glob("*.html")}
    for name, page in {**blank, **solved}.items():
        assert "No response" not in page and "In&nbsp;[" not in page and "Out[" not in page, name
    assert any("Pas de réponse" in page for page in blank.values())
    charts = sum(page.count("data:image/png") for page in solved.values())
    figure_checks = sum(c.source.count("FigureAnswer(") for nb in graded.course.read_source(assignment).values()
                        for c in nb.cells if c.cell_type == "code" and "reponse =" in c.source)
    assert charts >= figure_checks  # every chart a check cell grades is also shown to the learner


@per_assignment()
def test_manual_cells_wait_for_a_grade_and_a_manual_grade_counts_in_the_export(assignment, tmp_path):
    graded = graded_course(assignment)
    with Gradebook(graded.db_url) as gb:
        solved = gb.find_submission(assignment, SOLVED)
        pending = [g for nb in solved.notebooks for g in nb.grades if g.needs_manual_grade]
        assert pending and all(g.manual_score is None for g in pending)
        blank = gb.find_submission(assignment, BLANK)
        # an untouched written answer needs no grade; a jury grid (oral role play) waits for the jury anyway
        waiting = {(nb.name, g.name) for nb in blank.notebooks for g in nb.grades if g.needs_manual_grade}
        assert waiting == jury_tasks(graded)
        before = solved.score
        grade = (pending[0].name, pending[0].notebook.name, pending[0].max_score)
    set_manual_grade(graded.db_url, assignment, SOLVED, grade[1], grade[0], grade[2], "Très bonne analyse.")
    with Gradebook(graded.db_url) as gb:
        assert not gb.find_grade(grade[0], grade[1], assignment, SOLVED).needs_manual_grade
    export = export_nbgrader_csv(graded.db_url, tmp_path / "notes.csv")
    # one row per learner and assignment: the course builds every bloc, so key by both
    rows = {(row["student_id"], row["assignment"]): row for row in csv.DictReader(export.open(encoding="utf-8"))}
    assert float(rows[SOLVED, assignment]["score"]) == pytest.approx(before + grade[2])
    # leave the shared course as the other tests expect it
    set_manual_grade(graded.db_url, assignment, SOLVED, grade[1], grade[0], None)
