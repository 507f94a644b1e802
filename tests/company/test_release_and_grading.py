"""End to end: the example company imported for two learners, bloc 1 released to them, a correct and a
slipped copy graded for real on its data, the feedback naming the company."""
from __future__ import annotations

import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.company.register import store_folder
from mda_checks.demo.slip_costs import slip_costs
from mda_checks.demo.submissions import slipped_submission, solved_submission, write_submission
from mda_checks.feedback import FeedbackTask, feedback_task
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
from mda_reference.bloc1.slips import SLIPS
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import read_registry
from tests.conftest import copy_course

pytestmark = [pytest.mark.xdist_group("company-e2e")]  # its tiers come from what it runs (tests/tiers.py)
NOTEBOOK = "03_plan_action"  # the PAC's cost: where « TTC for HT » is the classic slip
TTC = next(slip for slip in SLIPS if slip.test_cell == "cout_pac_ht")


def _course(folder):
    course = copy_course(folder)
    for other in course.assignments()[1:]:
        shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks("bloc1"):
        if notebook.stem != NOTEBOOK:
            notebook.unlink()
    return course


def _scores(course, student):
    with Gradebook(course_api(course.root).coursedir.db_url) as gb:
        notebook = gb.find_submission_notebook(NOTEBOOK, "bloc1", student)
        return {g.name: (g.auto_score, g.max_score) for g in notebook.grades if g.auto_score is not None}


def test_import_release_and_grade_on_the_host_company(tmp_path, monkeypatch, capsys):
    course = _course(tmp_path / "cours")
    monkeypatch.chdir(course.root)
    dossier = tmp_path / "numeria"
    assert main(["entreprise", "bloc1", "--exemple", str(dossier)]) == 0
    for student in ("alice", "bob"):
        assert main(["entreprise", "bloc1", student, str(dossier)]) == 0
    assert main(["build", "bloc1"]) == 0
    (course.root / "apprenants.csv").write_text("id;nom;prénom;e-mail\nalice;A;Alice;a@x.fr\nbob;B;Bob;b@x.fr\n",
                                                encoding="utf-8")
    copies = tmp_path / "copies"
    assert main(["release", "bloc1", "--apprenants", "apprenants.csv", "--dossier", str(copies)]) == 0
    capsys.readouterr()

    records = read_registry(course)
    for student in ("alice", "bob"):
        own = copies / student / "bloc1"
        assert data_digest(own / "data") == records["bloc1", student].empreinte == data_digest(dossier)
        copy = nbformat.read(own / f"{NOTEBOOK}.ipynb", as_version=4)
        assert copy.metadata["mda"]["variante"] == "entreprise Numéria Services"
        assert not any("{{" in cell.source for cell in copy.cells)
        assert "Votre entreprise d'accueil : Numéria Services" in copy.cells[1].source

    alice, bob = copies / "alice" / "bloc1", copies / "bob" / "bloc1"
    write_submission(course, "alice", "bloc1", solved_submission(course, "bloc1", own_copy=alice), own_copy=alice)
    write_submission(course, "bob", "bloc1", slipped_submission(course, "bloc1", [TTC], own_copy=bob), own_copy=bob)
    outcomes = autograde_assignment(course_api(course.root), course, "bloc1")
    assert {o.status for o in outcomes} == {"corrigé"}, [(o.student, o.notes) for o in outcomes]

    right, slipped = _scores(course, "alice"), _scores(course, "bob")
    assert right and all(score == most for score, most in right.values()), right
    cost = slip_costs(course, "bloc1", [TTC], store_folder(course, "bloc1", "bob"))[(NOTEBOOK, "cout_pac_ht")]
    assert 0 < cost < right["cout_pac_ht"][1]  # the barème's credit: part of the points, not all, not none
    assert slipped["cout_pac_ht"][0] == right["cout_pac_ht"][1] - cost
    assert {k: v for k, v in slipped.items() if k != "cout_pac_ht"} == {k: v for k, v in right.items() if k != "cout_pac_ht"}

    for student in ("alice", "bob"):
        assert not feedback_task(FeedbackTask(str(course.root), "bloc1", student)).problem
        page = (course.step("feedback") / student / "bloc1" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
        assert "votre entreprise d'accueil, Numéria Services" in page
    bob_page = (course.step("feedback") / "bob" / "bloc1" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert "TTC" in bob_page
