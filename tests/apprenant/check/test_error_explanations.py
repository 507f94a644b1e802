"""Errors explained in French where the learner is: the cell, its check, « Vérifier mon carnet », the grade.

The corpus (tests/apprenant/check/error_corpus.py) holds the 15 commonest beginner errors in pandas and
matplotlib, each with the French explanation and hint it must get.
"""
from __future__ import annotations

import io
from contextlib import redirect_stderr

import nbformat
import pytest
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from mda_apprenant.check.cell_errors import CellError, assigned_names
from mda_apprenant.check.error_display import install
from mda_apprenant.check.notebook_check import notebook_report
from mda_apprenant.check.result import Status
from mda_checks.notebook.build import answer, autotest, code, markdown
from tests.apprenant.check.error_corpus import CORPUS, DATA_FILE, SETUP, check_cell, expected_message


class _Recorder(DisplayPublisher):
    shown: list = []

    def publish(self, data, metadata=None, **kwargs):
        self.shown.append(data)


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """An in-process IPython shell with the learner runtime installed, on the corpus' small case."""
    import os

    folder = tmp_path_factory.mktemp("carnet")
    (folder / DATA_FILE).parent.mkdir()
    (folder / DATA_FILE).write_text("annee;ca\n2025;1\n", encoding="utf-8")
    previous = os.getcwd()
    os.chdir(folder)
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(display_pub_class=_Recorder)
    shell.errors = []
    shell._showtraceback = lambda etype, value, stb: shell.errors.append((etype.__name__, stb))
    assert install(shell)
    assert shell.run_cell(SETUP).success
    yield shell
    os.chdir(previous)
    InteractiveShell.clear_instance()


def _run(shell, source):
    _Recorder.shown.clear()
    shell.errors.clear()
    stderr = io.StringIO()
    with redirect_stderr(stderr):
        result = shell.run_cell(source)
    return result, list(_Recorder.shown), list(shell.errors), stderr.getvalue()


@pytest.mark.parametrize("error", CORPUS, ids=[e.name for e in CORPUS])
def test_each_beginner_error_is_explained_in_french_and_its_check_says_the_same(shell, error):
    result, shown, errors, stderr = _run(shell, error.answer)
    assert not result.success and not stderr                     # the cell failed; nothing on stderr
    assert len(shown) == 1 and len(errors) == 1
    plain, page = shown[0]["text/plain"], shown[0]["text/html"]
    assert plain.startswith(f"⚠ Erreur dans cette cellule, ligne {error.line}")
    assert error.summary[:1].upper() + error.summary[1:] in plain     # what went wrong, first
    assert "Piste : " in plain and error.hint in plain               # and what to try
    assert "<details>" in page and "Traceback" not in plain           # Python's traceback folded below
    assert errors[0][1] == [f"{errors[0][0]} : voir l'explication en français ci-dessus."]
    assert isinstance(shell.user_ns[error.variable], CellError)        # never a stale value, never « ... »
    checked, _, _, _ = _run(shell, check_cell(error))
    message = repr(checked.result)              # the check cell's self-check, as the learner reads it
    assert f"Réponse {error.variable} : erreur d'exécution. {expected_message(error)}" in message
    assert "non traité" not in message


def test_verifier_mon_carnet_says_the_same_for_every_error(shell, tmp_path):
    for error in CORPUS:
        _run(shell, error.answer)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [markdown("### Question 1 — Tout le corpus"), code(SETUP)]
    for index, error in enumerate(CORPUS):
        notebook.cells += [answer(f"reponse_{index}", error.answer),
                           autotest(f"q{index}", check_cell(error), 1, ["CE1.1.1"])]
    path = tmp_path / "corpus.ipynb"
    nbformat.write(notebook, path)
    states = notebook_report(path, shell.user_ns).states
    assert len(states) == len(CORPUS)
    for error, state in zip(CORPUS, states):
        assert state.question == f"Question 1 — Réponse {error.variable}"
        assert state.status is Status.RAISED and state.message.startswith(expected_message(error))


def test_a_later_cell_that_uses_a_failed_answer_says_which_cell_to_fix_first(shell):
    _run(shell, CORPUS[2].answer)
    _, shown, _, _ = _run(shell, "croissance = r3 * 100")
    assert "« r3 » n'a pas de valeur, car la cellule qui la calcule a levé une erreur" in shown[0]["text/plain"]


def test_a_fixed_cell_gives_its_variable_a_value_again(shell):
    _run(shell, CORPUS[0].answer)
    result, shown, errors, _ = _run(shell, 'r1 = marche_propre["ca_meur"].sum()')
    assert result.success and not errors and shell.user_ns["r1"] == 37.0


def test_only_the_names_assigned_at_or_after_the_failing_statement_lose_their_value():
    source = "a = 1\nb = a / 0\nc, (d, e) = 1, (2, 3)\nfor i in range(2):\n    f = i\ng += 1"
    assert assigned_names(source, 2) == ["b", "c", "d", "e", "i", "f", "g"]
    assert assigned_names(source) == ["a", "b", "c", "d", "e", "i", "f", "g"]
    assert assigned_names("x = (1 +\ny = 2") == ["x", "y"]   # a syntax error: nothing ran


def test_a_handler_that_fails_falls_back_to_ipython_s_own_traceback(shell, monkeypatch):
    import mda_apprenant.check.error_display as display

    monkeypatch.setattr(display, "explain", lambda *a, **k: 1 / 0)
    _, shown, errors, stderr = _run(shell, "r99 = 1 / 0")
    assert errors and errors[0][0] == "ZeroDivisionError" and len(errors[0][1]) > 1 and not stderr
