"""A shared gradebook (PostgreSQL) in a backup: `mda sauvegarde` dumps it (pg_dump), `mda restauration` loads it
(psql) into an empty database only, and the restored promotion gives the same grades and reports.

The server is the one of tests/grade/test_postgresql.py (Debian's binaries, an unprivileged user as root);
without them, this module is skipped with the same French reason."""
from __future__ import annotations

import tarfile

import pytest

from mda_checks.cli import main
from mda_checks.demo.submissions import write_submission
from tests.grade.helpers import gradebook_rows
from tests.grade.test_postgresql import (  # noqa: F401 - pg_ctl, postgresql_server and server are fixtures
    ASSIGNMENT, WHEN, in_course, new_database, pg_ctl, postgresql_server, server, small_course, submissions,
)

pytestmark = [pytest.mark.xdist_group("postgresql")]
REPORTS = ("exports/grille_competences.csv", "exports/notes_nbgrader.csv")


def _run(capsys, *argv) -> tuple[int, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def test_a_postgresql_promotion_round_trips_through_pg_dump_and_psql(server, tmp_path, capsys):
    url = new_database(server, "mda_sauvegarde")
    course = small_course(tmp_path / "cours")
    with in_course(course, url):
        assert _run(capsys, "build", ASSIGNMENT)[0] == 0
        for student, notebooks in submissions(course).items():
            write_submission(course, student, ASSIGNMENT, notebooks, WHEN)
        status, out = _run(capsys, "grade", "--workers", "2")
        assert status == 0, out
        assert _run(capsys, "report")[0] == 0
        status, out = _run(capsys, "sauvegarde", str(tmp_path / "archives"))
    assert status == 0 and "carnet de notes PostgreSQL (pg_dump)" in out, out
    archive = next((tmp_path / "archives").glob("sauvegarde-*.tar.gz"))
    names = tarfile.open(archive).getnames()
    assert "promotion/carnet_de_notes.sql" in names and "promotion/gradebook.db" not in names
    grades = gradebook_rows(url)

    fresh = small_course(tmp_path / "neuf")
    busy = new_database(server, "mda_occupee")  # a database nbgrader already opened: never written over
    with in_course(fresh, busy):
        assert _run(capsys, "build", ASSIGNMENT)[0] == 0
        status, out = _run(capsys, "restauration", str(archive))
    words = " ".join(out.split())
    assert status == 2 and "la base PostgreSQL de MDA_GRADEBOOK_URL n'est pas vide" in words, out
    assert "rien n'a été restauré" in words and not (fresh.root / "submitted").exists()
    assert gradebook_rows(busy) == {}  # nothing of the archive went into it

    empty = new_database(server, "mda_restauree")
    again = small_course(tmp_path / "neuf-bis")
    with in_course(again, empty):
        status, out = _run(capsys, "restauration", str(archive))
        assert status == 0 and "Promotion restaurée" in out, out
        assert gradebook_rows(empty) == grades and grades  # every grade and comment, the same
        assert _run(capsys, "report")[0] == 0
        status, out = _run(capsys, "grade", "--workers", "2")
        assert status == 0 and "Copies à corriger : 0" in out, out
    for name in REPORTS:
        assert (again.root / name).read_bytes() == (course.root / name).read_bytes(), name


def test_a_sqlite_backup_is_not_poured_into_a_postgresql_database(server, tmp_path, capsys, monkeypatch):
    course = small_course(tmp_path / "cours")
    with in_course(course, None):
        assert _run(capsys, "build", ASSIGNMENT)[0] == 0
        assert _run(capsys, "sauvegarde", str(tmp_path))[0] == 0
    archive = next(tmp_path.glob("sauvegarde-*.tar.gz"))
    with in_course(small_course(tmp_path / "neuf"), new_database(server, "mda_pour_sqlite")):
        status, out = _run(capsys, "restauration", str(archive))
    assert status == 2 and "est un fichier SQLite" in out and "rien n'a été restauré" in out, out
