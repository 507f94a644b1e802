"""End to end: generate_assignment → personal copies → submissions → autograde → feedback → export, per bloc.

The solved and slipped examples work on their own variant of the case (``mda release``), the
blank one on the common case: the whole cycle is checked on both."""
import csv

import pytest
from nbgrader.api import Gradebook

from mda_checks.demo.slip_costs import slip_costs
from mda_checks.feedback import leaked_hidden_tests, write_competency_summary
from mda_checks.grade.manual import set_manual_grade
from mda_checks.report.competencies import competency_grid
from mda_checks.report.grades import export_nbgrader_csv
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import COMMON, learner_case
from mda_checks.variants.registry import read_registry
from tests.conftest import per_assignment
from tests.e2e.harness import BLANK, PERSONAL, SLIPS, SOLVED, graded_course


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
def test_classic_mistakes_lose_what_the_bareme_gives_on_the_learners_own_case(assignment):
    """The slipped copy is graded on its learner's variant: each slip costs what the barème gives
    for that mistake on that case (a table keeps its share of right values, which depends on the
    data; on the common case, the typed ``lost``: tests/demo/test_slip_costs.py); nothing else costs."""
    graded = graded_course(assignment)
    assert len(graded.slips) >= 2
    case = learner_case(graded.course, assignment, SLIPS)
    assert case.is_variant  # graded on the data of their personal copy, not on source/
    scores = graded.cell_scores(SLIPS)
    costs = slip_costs(graded.course, assignment, graded.slips, case.folder)
    lost = {f"{notebook}:{cell}": cost for (notebook, cell), cost in costs.items()}
    assert all(cost > 0 for cost in lost.values()), lost  # every slip costs something on this case
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


@per_assignment()
def test_each_learner_reads_which_data_they_were_graded_on(assignment):
    """Feedback and competency summary name the learner's own variant (two learners, two names);
    a learner of the common copy reads nothing of the kind; the report's grid has the same."""
    graded = graded_course(assignment)
    registry = read_registry(graded.course)
    names = {student: registry[assignment, student].variante for student in PERSONAL}
    assert len(set(names.values())) == len(PERSONAL) and (assignment, BLANK) not in registry
    feedback = graded.course.step("feedback")
    summaries = {student: write_competency_summary(graded.course, graded.db_url, assignment, student)
                 for student in (*PERSONAL, BLANK)}
    for student, name in names.items():
        pages = [*(feedback / student / assignment).glob("*.html")]
        assert len(pages) > 1 and summaries[student] in pages, student
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert f"Vos données : variante {name} (propres à votre copie)" in text, page
            others = [other for other in names.values() if other != name]
            assert not any(other in text for other in others), page
    for page in (feedback / BLANK / assignment).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Vos données" not in text and "variante V-" not in text, page
    grid = competency_grid(graded.course, graded.db_url, [assignment])
    shown = grid.drop_duplicates("apprenant").set_index("apprenant")["variante"].to_dict()
    assert shown == {**names, BLANK: COMMON}
