"""`mda apprenants --retirer ID`: what goes is said first and confirmed; a learner with copies needs --force."""
from __future__ import annotations

import shutil

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from tests.conftest import COURSE
from tests.gradebooks import empty_gradebook


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course whose gradebook knows a.martin (no copy) and b.lefevre (a copy of bloc1), b.lefevre in a group."""
    shutil.copytree(COURSE.root / "source", tmp_path / "source")
    shutil.copy(COURSE.root / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    with Gradebook(empty_gradebook(tmp_path)) as gb:
        gb.update_or_create_student("a.martin", first_name="Alice", last_name="Martin")
        gb.update_or_create_student("b.lefevre", first_name="Bérénice", last_name="Lefèvre")
        gb.update_or_create_assignment("bloc1")
        gb.add_submission("bloc1", "b.lefevre")
    (tmp_path / "submitted" / "b.lefevre" / "bloc1").mkdir(parents=True)
    (tmp_path / "groupes.csv").write_text("devoir;groupe;apprenant\nbloc4;G1;b.lefevre\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _students(root) -> list[str]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return sorted(s.id for s in gb.students)


def test_a_learner_without_copies_is_removed_once_confirmed(course, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "o"])
    asked = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or next(answers))
    assert main(["apprenants", "--retirer", "a.martin"]) == 0
    assert "rien n'a été retiré" in capsys.readouterr().out and "a.martin" in _students(course)
    assert main(["apprenants", "--retirer", "a.martin"]) == 0
    assert asked[0] == "Retirer Alice Martin (a.martin) du carnet de notes ? [o/N] "
    assert "Alice Martin (a.martin) retiré(e) du carnet de notes." in capsys.readouterr().out
    assert _students(course) == ["b.lefevre"]


def test_a_learner_with_copies_is_kept_unless_forced_and_the_force_is_explained(course, capsys):
    assert main(["apprenants", "--retirer", "b.lefevre", "--oui"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "a 1 copie(s) au carnet de notes (bloc1) : rien n'a été retiré" in err
    assert "--force efface aussi ses copies du carnet de notes, avec leurs notes automatiques et manuelles" in err
    assert "b.lefevre" in _students(course)
    assert main(["apprenants", "--retirer", "b.lefevre", "--force", "--oui"]) == 0
    out = capsys.readouterr().out
    assert "retiré(e) du carnet de notes, avec ses copies (bloc1)" in out and "Toujours nommé(e) dans : groupes.csv" in out
    assert _students(course) == ["a.martin"] and (course / "submitted" / "b.lefevre" / "bloc1").is_dir()


def test_no_terminal_no_question_nothing_removed_and_unknown_ids_are_named(course, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["apprenants", "--retirer", "a.martin"]) == 2
    assert "relancez avec --oui" in capsys.readouterr().err and "a.martin" in _students(course)
    assert main(["apprenants", "--retirer", "zoe.roux", "--oui"]) == 2
    assert "apprenant « zoe.roux » inconnu du carnet de notes" in capsys.readouterr().err
    assert main(["apprenants"]) == 2 and "--retirer ID" in capsys.readouterr().err
