"""End to end, bloc by bloc: the example company imported for two learners, the bloc released to them, a correct
and a slipped copy graded for real on its data, the copies and the feedback naming the company."""
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
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import read_registry
from mda_reference.bloc1.slips import SLIPS as BLOC1_SLIPS
from mda_reference.bloc2.slips import SLIPS as BLOC2_SLIPS
from tests.conftest import copy_course

pytestmark = [pytest.mark.xdist_group("company-e2e")]  # its tiers come from what it runs (tests/tiers.py)
#: per bloc, one notebook (to stay fast) and the check where « TTC for HT » is its classic slip: the PAC's cost
#: (bloc 1), the price that would win the tender (bloc 2, where the company is found by its own row)
CASES = {"bloc1": ("03_plan_action", next(slip for slip in BLOC1_SLIPS if slip.test_cell == "cout_pac_ht")),
         "bloc2": ("02_appel_offres", next(slip for slip in BLOC2_SLIPS if slip.test_cell == "prix_gagnant_ht"))}


def _course(folder, bloc, keep):
    course = copy_course(folder)
    for other in course.assignments():
        if other != bloc:
            shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks(bloc):
        if notebook.stem != keep:
            notebook.unlink()
    return course


def _scores(course, bloc, notebook_name, student):
    with Gradebook(course_api(course.root).coursedir.db_url) as gb:
        notebook = gb.find_submission_notebook(notebook_name, bloc, student)
        return {g.name: (g.auto_score, g.max_score) for g in notebook.grades if g.auto_score is not None}


@pytest.mark.parametrize("bloc", sorted(CASES))
def test_import_release_and_grade_on_the_host_company(bloc, tmp_path, monkeypatch, capsys):
    NOTEBOOK, TTC = CASES[bloc]  # noqa: N806 - the constants of this bloc's run
    course = _course(tmp_path / "cours", bloc, NOTEBOOK)
    monkeypatch.chdir(course.root)
    dossier = tmp_path / "numeria"
    assert main(["entreprise", bloc, "--exemple", str(dossier)]) == 0
    for student in ("alice", "bob"):
        assert main(["entreprise", bloc, student, str(dossier)]) == 0
    assert main(["build", bloc]) == 0
    (course.root / "apprenants.csv").write_text("id;nom;prénom;e-mail\nalice;A;Alice;a@x.fr\nbob;B;Bob;b@x.fr\n",
                                                encoding="utf-8")
    copies = tmp_path / "copies"
    assert main(["release", bloc, "--apprenants", "apprenants.csv", "--dossier", str(copies)]) == 0
    capsys.readouterr()

    records = read_registry(course)
    for student in ("alice", "bob"):
        own = copies / student / bloc
        assert data_digest(own / "data") == records[bloc, student].empreinte == data_digest(dossier)
        copy = nbformat.read(own / f"{NOTEBOOK}.ipynb", as_version=4)
        assert copy.metadata["mda"]["variante"] == "entreprise Numéria Services"
        assert not any("{{" in cell.source for cell in copy.cells)
        assert "Votre entreprise d'accueil : Numéria Services" in copy.cells[1].source
        assert "**Cas Numéria Services.**" in copy.cells[0].source
        assert not [cells.grade_id(c) for c in copy.cells
                    if c.cell_type == "markdown" and cells.is_locked(c) and "Cyclonord" in c.source]

    alice, bob = copies / "alice" / bloc, copies / "bob" / bloc
    write_submission(course, "alice", bloc, solved_submission(course, bloc, own_copy=alice), own_copy=alice)
    write_submission(course, "bob", bloc, slipped_submission(course, bloc, [TTC], own_copy=bob), own_copy=bob)
    outcomes = autograde_assignment(course_api(course.root), course, bloc)
    assert {o.status for o in outcomes} == {"corrigé"}, [(o.student, o.notes) for o in outcomes]

    right, slipped = _scores(course, bloc, NOTEBOOK, "alice"), _scores(course, bloc, NOTEBOOK, "bob")
    assert right and all(score == most for score, most in right.values()), right
    check = TTC.test_cell
    cost = slip_costs(course, bloc, [TTC], store_folder(course, bloc, "bob"))[(NOTEBOOK, check)]
    assert 0 < cost < right[check][1]  # the barème's credit: part of the points, not all, not none
    assert slipped[check][0] == right[check][1] - cost
    assert {k: v for k, v in slipped.items() if k != check} == {k: v for k, v in right.items() if k != check}

    for student in ("alice", "bob"):
        assert not feedback_task(FeedbackTask(str(course.root), bloc, student)).problem
        page = (course.step("feedback") / student / bloc / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
        assert "votre entreprise d'accueil, Numéria Services" in page
        assert "Cas Numéria Services." in page and "Cas Cyclonord" not in page  # the statements, as graded
    bob_page = (course.step("feedback") / "bob" / bloc / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert "TTC" in bob_page
