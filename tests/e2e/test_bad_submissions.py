"""Broken submissions are recorded with a clear reason and the rest of the run is graded."""
from functools import cache

import pytest
from nbgrader.api import Gradebook

from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from tests.e2e.harness import temporary_course

ASSIGNMENT = "bloc1"
pytestmark = pytest.mark.xdist_group("bad-submissions")


def _cell(notebook, grade_id):
    return next(c for c in notebook.cells if cells.grade_id(c) == grade_id)


@cache
def bad_run():
    """One run over a good submission and six broken ones; the cell timeout is 3 s."""
    course = temporary_course("bad")
    first = course.source_notebooks(ASSIGNMENT)[0].stem

    def solved():
        return solved_submission(course, ASSIGNMENT)

    write_submission(course, "a-bon", ASSIGNMENT, solved())
    folder = write_submission(course, "b-json-casse", ASSIGNMENT, solved())
    (folder / f"{first}.ipynb").write_text('{"cells": [', encoding="utf-8")
    folder = write_submission(course, "c-absent", ASSIGNMENT, solved())
    (folder / f"{first}.ipynb").unlink()
    notebooks = solved()
    notebooks[first].cells.remove(_cell(notebooks[first], "parts_marche"))
    write_submission(course, "d-test-supprime", ASSIGNMENT, notebooks)
    notebooks = solved()
    _cell(notebooks[first], "tcam_marche").source = "2.0  # je m'attribue les points"
    _cell(notebooks[first], "reponse_tcam_marche").source = "tcam_marche = 0.5"
    write_submission(course, "e-test-modifie", ASSIGNMENT, notebooks)
    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "raise ValueError('calcul impossible')"
    write_submission(course, "f-erreur", ASSIGNMENT, notebooks)
    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "while True:\n    pass"
    write_submission(course, "g-boucle", ASSIGNMENT, notebooks)

    api = course_api(course.root, Execute={"timeout": 3})
    outcomes = autograde_assignment(api, course, ASSIGNMENT)
    return course, first, {(o.student, o.notebook): o for o in outcomes}


def _score(course, student, notebook, grade_id):
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        return gb.find_grade(grade_id, notebook, ASSIGNMENT, student).score


def test_good_submission_in_the_same_run_is_graded_right():
    course, first, outcomes = bad_run()
    assert outcomes[("a-bon", first)].status == "corrigé"
    assert _score(course, "a-bon", first, "tcam_marche") == 2


@pytest.mark.parametrize("student, status, words", [
    ("b-json-casse", "non corrigé", "n'est pas un JSON valide"),
    ("c-absent", "non corrigé", "non rendu"),
    ("d-test-supprime", "corrigé avec remarques", "« parts_marche » supprimée"),
    ("e-test-modifie", "corrigé avec remarques", "« tcam_marche » modifiée"),
    ("f-erreur", "corrigé avec remarques", "ValueError: calcul impossible"),
    ("g-boucle", "corrigé avec remarques", "délai dépassé (3 s)"),
])
def test_each_problem_is_recorded_with_its_reason(student, status, words):
    _, first, outcomes = bad_run()
    outcome = outcomes[(student, first)]
    assert outcome.status == status and words in outcome.notes, outcome.notes


def test_unreadable_and_missing_notebooks_score_zero_and_wait_for_nothing():
    course, first, _ = bad_run()
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        for student in ("b-json-casse", "c-absent"):
            notebook = gb.find_submission_notebook(first, ASSIGNMENT, student)
            assert notebook.score == 0 and not notebook.needs_manual_grade


def test_deleted_test_is_put_back_and_modified_test_is_restored():
    course, first, _ = bad_run()
    assert _score(course, "d-test-supprime", first, "parts_marche") == 2
    assert _score(course, "e-test-modifie", first, "tcam_marche") == 0


def test_raising_and_looping_cells_cost_only_their_own_check():
    course, first, _ = bad_run()
    for student in ("f-erreur", "g-boucle"):
        assert _score(course, student, first, "nb_doublons") == 0
        assert _score(course, student, first, "tcam_marche") == 2
