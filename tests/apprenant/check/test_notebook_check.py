"""« Vérifier mon carnet »: every computed and written answer of the saved notebook, in French."""
import re

import nbformat
import pandas as pd

from mda_apprenant import Status, verifier_carnet
from mda_apprenant.check.notebook_check import notebook_report
from mda_checks.notebook.build import autotest, manual, markdown


def _saved(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        markdown("### Question 1 — Taux de croissance"),
        autotest("taux", '# Vérification\nreponse = Rate("TCAM du marché", tcam)\nreponse', 1, ["CE1.1.1"]),
        autotest("parts", '# Vérification\nreponse = Carried(Table("Parts", parts, unit="rate"), tcam=tcam)\nreponse',
                 1, ["CE1.1.1"]),
        autotest("ca", '# Vérification\nreponse = Amount("CA", ca)\nreponse', 1, ["CE1.1.1"]),
        markdown("### Question 2 — Analyse des concurrents"),
        manual("analyse", "VOTRE RÉPONSE ICI", 2, ["CE1.1.2"]),
        markdown("### Question 3 — Recommandation"),
        manual("reco", "Je recommande de viser les flottes d'entreprise.", 2, ["CE1.1.3"]),
    ]
    path = tmp_path / "01_veille.ipynb"
    nbformat.write(notebook, path)
    return path


def test_the_report_lists_blank_badly_formed_and_ready_answers(tmp_path):
    path = _saved(tmp_path)
    report = notebook_report(path, {"tcam": 4.2, "parts": pd.Series({"A": 0.6, "B": 0.4}), "ca": ...})
    states = {s.question: s for s in report.states}
    assert states["Question 1 — TCAM du marché"].status is Status.TO_CHECK  # 4.2: a percentage, most likely
    assert states["Question 1 — Parts"].status is Status.FORMAT_OK and states["Question 1 — Parts"].ready
    assert states["Question 1 — CA"].status is Status.MISSING               # still « ... »
    assert states["Question 2 — Analyse des concurrents"].status is Status.MISSING
    assert states["Question 3 — Recommandation"].ready
    text = repr(report)
    assert "2 réponse(s) prête(s) sur 5" in text and "CA" in text and "Question 2" in text
    assert "Parts" not in text  # only what is left to do is listed
    page = report._repr_html_()
    assert "à reprendre" in page and "<table" in page


def test_a_cell_not_run_and_a_broken_object_are_said_in_french(tmp_path):
    path = _saved(tmp_path)

    class Broken:
        def __float__(self):
            raise RuntimeError("boom")

    report = notebook_report(path, {"parts": Broken()})
    states = {s.question: s for s in report.states}
    assert "n'a pas été exécutée" in states["Question 1 — TCAM du marché"].message
    assert states["Question 1 — Parts"].status in (Status.MISSING, Status.INVALID)


def test_outside_jupyterlab_or_in_a_grading_run_it_never_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "introuvable" in repr(verifier_carnet())
    (tmp_path / "ailleurs.ipynb").write_text("pas du JSON", encoding="utf-8")
    assert "n'a pas pu être lu" in repr(verifier_carnet(tmp_path / "ailleurs.ipynb"))
    (tmp_path / "abime.ipynb").write_text('{"cells": [5, "texte"]}', encoding="utf-8")  # JSON, not a notebook
    said = repr(verifier_carnet(tmp_path / "abime.ipynb"))
    assert "La vérification du carnet a échoué : le carnet enregistré n'a pas la forme attendue" in said
    assert not re.search(r"[A-Z][a-z]+(Error|Exception)", said), said  # a French reason, never a class name
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert verifier_carnet() is None


def test_questions_are_named_as_the_statement_numbers_them_and_the_hint_is_repeated(tmp_path):
    report = notebook_report(_saved(tmp_path), {"tcam": 4.2, "parts": ..., "ca": ...})
    tcam = next(s for s in report.states if s.question == "Question 1 — TCAM du marché")
    assert "pourcentage" in tcam.hint or "%" in tcam.hint                 # the check cell's ⚠ hint
    page, text = report._repr_html_(), repr(report)
    assert f"Piste : {tcam.hint}" in text and "⚠ Piste" in page
    assert page.count('text-align:left') >= 8                            # every cell aligned left, not right


def test_an_answer_whose_cell_raised_is_never_called_not_answered(tmp_path):
    from mda_apprenant.check.cell_errors import CellError

    error = CellError("ligne 2, la colonne « ca_vae_2025 » n'existe pas dans le tableau")
    report = notebook_report(_saved(tmp_path), {"tcam": error, "parts": ..., "ca": 10.0})
    state = next(s for s in report.states if s.question == "Question 1 — TCAM du marché")
    assert state.status is Status.RAISED and state.status.value != "non traité"
    assert state.message == ("La cellule de réponse a levé une erreur : ligne 2, la colonne « ca_vae_2025 » "
                             "n'existe pas dans le tableau.")
    assert "Corrigez la cellule de réponse" in state.hint


def test_an_answer_cell_changed_but_not_run_is_said_so(tmp_path):
    from mda_checks.notebook.build import answer as solution

    notebook = nbformat.read(_saved(tmp_path), as_version=4)
    notebook.cells.insert(1, solution("reponse_tcam", "tcam = ...\n# VOTRE CODE ICI\ntcam = 0.05"))
    path = tmp_path / "02.ipynb"
    nbformat.write(notebook, path)
    for namespace in ({"tcam": ...}, {}):            # still « ... », or never run
        state = next(s for s in notebook_report(path, namespace).states if s.question.endswith("TCAM du marché"))
        assert state.status is Status.NOT_RUN and "pas exécutée depuis" in state.message
    notebook.cells[1].source = "tcam = ...\n# VOTRE CODE ICI"
    nbformat.write(notebook, path)
    state = next(s for s in notebook_report(path, {"tcam": ...}).states if s.question.endswith("TCAM du marché"))
    assert state.status is Status.MISSING                                   # truly not answered
