"""Inspecting a submission: readable, missing, damaged notebooks and tampered cells, in French."""
import nbformat
import pytest

from mda_checks.config import GRADING_LIMITS
from mda_checks.grade.inspect import NotebookTooLarge, compare_tests, read_notebook, unexpected_files
from mda_checks.grade.reasons import EXCEPTION_NAME
from mda_checks.notebook import build


@pytest.mark.parametrize("content, words", [
    (b"", "^fichier vide$"),                      # an empty file is « fichier vide », never « JSON invalide »
    (b"  \n\n", "^fichier vide$"),
    (b'{"cells": [', "n'est pas un JSON valide"),
    ("é".encode("latin-1") + b"{}", "n'est pas encodé en UTF-8"),
    (b'{"a": 1}', "ce n'est pas un notebook"),
    (b'{"cells": [{"cell_type": "inconnu"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "format Jupyter"),
])
def test_unreadable_notebooks_get_a_french_reason(tmp_path, content, words):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=words) as raised:
        read_notebook(path)
    assert not EXCEPTION_NAME.search(raised.value.cause)  # French words only; a class name goes to the detail


def test_a_notebook_above_the_cap_is_refused_by_its_size_before_being_read(tmp_path):
    """Its content (zeros: not JSON, not UTF-8 text) would give another reason if it were read."""
    path = tmp_path / "x.ipynb"
    with path.open("wb") as handle:
        handle.truncate(GRADING_LIMITS.submission_bytes + 1)
    with pytest.raises(NotebookTooLarge, match=r"20,0 Mio, au-delà de la limite de 20 Mio"):
        read_notebook(path)
    with path.open("r+b") as handle:
        handle.truncate(GRADING_LIMITS.submission_bytes)  # at the cap: read (and refused for its content)
    with pytest.raises(ValueError, match="JSON|UTF-8") as problem:
        read_notebook(path)
    assert not isinstance(problem.value, NotebookTooLarge)


def test_a_valid_notebook_is_read(tmp_path):
    nbformat.write(build.notebook([build.markdown("ok")]), tmp_path / "x.ipynb")
    assert read_notebook(tmp_path / "x.ipynb").cells[0].source == "ok"


def test_deleted_and_modified_test_cells_are_noted():
    released = build.notebook([
        build.autotest("q1", "check(1)", 1, ["CE1.1.1"]),
        build.autotest("q2", "check(2)", 1, ["CE1.1.1"]),
        build.markdown("consigne", lock="consigne"),
        build.answer("reponse", "x = ..."),
    ])
    submitted = build.notebook([
        build.autotest("q1", "2.0", 1, ["CE1.1.1"]),
        build.markdown("consigne", lock="consigne"),
        build.answer("reponse", "x = 3"),
    ])
    notes = compare_tests(submitted, released)
    assert notes == [
        "cellule de vérification « q1 » modifiée : la version d'origine a été restaurée pour la correction",
        "cellule de vérification « q2 » supprimée : remise d'office pour la correction",
    ]


def test_unexpected_files_ignore_what_learners_received(tmp_path):
    release, folder = tmp_path / "release", tmp_path / "submitted"
    (release / "data").mkdir(parents=True)
    (release / "data" / "a.csv").write_text("x")
    (release / "n.ipynb").write_text("{}")
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "a.csv").write_text("x")
    (folder / "n.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text("t")
    (folder / "n (copie).ipynb").write_text("{}")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "n-checkpoint.ipynb").write_text("{}")
    assert unexpected_files(folder, release) == ["n (copie).ipynb"]
