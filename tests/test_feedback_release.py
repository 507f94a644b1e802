"""`mda retours --publier`: feedback published copy by copy; a hand-deposited copy is named, never a crash."""
from __future__ import annotations

import shutil

from nbgrader.utils import notebook_hash

from mda_checks.cli import main
from tests.grade.helpers import trimmed_course


def _feedback(course, student, secret: str | None):
    folder = course.step("feedback") / student / "bloc1"
    folder.mkdir(parents=True)
    (folder / "01_veille_concurrence.html").write_text("<p>retour</p>", encoding="utf-8")
    if secret is not None:
        (folder / "timestamp.txt").write_text("2026-11-27 17:00:00.000000 UTC", encoding="utf-8")
        (folder / "submission_secret.txt").write_text(secret, encoding="utf-8")


def test_hand_deposited_copies_are_skipped_with_a_french_note_and_the_others_published(monkeypatch, capsys):
    course = trimmed_course("retours")
    shutil.rmtree(course.root / "echange", ignore_errors=True)          # a missing exchange: made, and said
    _feedback(course, "a.martin", "secret-a")
    _feedback(course, "b.lefevre", None)                                 # deposited by hand
    monkeypatch.chdir(course.root)
    status = main(["retours", "--publier", "bloc1"])
    out = " ".join(capsys.readouterr().out.split())  # rich wraps long lines at spaces
    assert status == 0, out
    assert "Le dossier d'échange n'existait pas" in out and "Retours publiés dans l'échange : 1 copie(s)" in out
    assert "Non publié b.lefevre · Bloc 1 — Stratégie commerciale durable : pas de rendu passé par l'échange" in out
    assert "Traceback" not in out
    published = course.root / "echange" / "manager-affaires" / "feedback"
    assert (published / f"{notebook_hash(secret='secret-a', notebook_id='01_veille_concurrence')}.html").is_file()
    assert len(list(published.glob("*.html"))) == 1


def test_nothing_written_yet_says_what_to_run_first(monkeypatch, capsys):
    monkeypatch.chdir(trimmed_course("retours-vide").root)
    assert main(["retours", "--publier"]) == 1
    assert "lancez d'abord `mda retours`" in capsys.readouterr().out
