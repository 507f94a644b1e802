"""`mda carnet-mise-a-jour` brings an older gradebook to nbgrader's schema, keeps its grades and a dated copy,
and says in French what to do with a missing, empty or unreadable gradebook (never creates one)."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.gradebook_upgrade import upgrade_gradebook
from tests.conftest import COURSE

#: nbgrader's schema revisions: the one that added the course table, and the one before
COURSE_TABLE, BEFORE_COURSE_TABLE = "e43177bfe90b", "282d30a0218e"


def _course(tmp_path) -> Course:
    shutil.copy(COURSE.root / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    (tmp_path / "source").mkdir()
    return Course(tmp_path)


def _revision(path: Path) -> str:
    engine = sqlalchemy.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _as_before_the_course_table(path: Path) -> None:
    """Undo nbgrader's last schema change by hand (its own downgrade is broken): no course table, no
    assignment.course_id, stamped at the revision before. A gradebook as an older nbgrader left it."""
    connection = sqlite3.connect(path)
    columns = ", ".join(row[1] for row in connection.execute("PRAGMA table_info(assignment)") if row[1] != "course_id")
    connection.executescript(f"""PRAGMA foreign_keys=off;
        CREATE TABLE assignment_old AS SELECT {columns} FROM assignment; DROP TABLE assignment;
        ALTER TABLE assignment_old RENAME TO assignment; DROP TABLE course;
        UPDATE alembic_version SET version_num = '{BEFORE_COURSE_TABLE}';""")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("content, said", [(None, "aucun carnet de notes (gradebook.db)"),
                                           (b"", "est un fichier vide"),
                                           (b"pas une base", "ne peut pas être lu")])
def test_a_missing_empty_or_broken_gradebook_is_explained_and_never_created(tmp_path, monkeypatch, capsys,
                                                                             content, said):
    _course(tmp_path)
    if content is not None:
        (tmp_path / "gradebook.db").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    assert main(["carnet-mise-a-jour"]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and "alembic" not in err.lower()
    if content is None:
        assert "lancez d'abord `mda build`" in err and not (tmp_path / "gradebook.db").exists()
    else:
        assert (tmp_path / "gradebook.db").read_bytes() == content  # untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gradebook.db.")] == []


def test_an_empty_database_of_tables_is_refused(tmp_path):
    course = _course(tmp_path)
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'gradebook.db'}")
    with engine.begin() as connection:  # a database, but not nbgrader's
        connection.execute(sqlalchemy.text("CREATE TABLE autre (x INTEGER)"))
    engine.dispose()
    with pytest.raises(ValueError, match="est vide .aucune table de nbgrader"):
        upgrade_gradebook(course)


def test_an_older_schema_is_upgraded_with_its_grades_kept_and_a_dated_copy(tmp_path, monkeypatch, capsys):
    course = _course(tmp_path)
    path = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gb:  # today's schema, one learner
        gb.add_student("zoe.roux", first_name="Zoé")
    head = _revision(path)
    assert head == COURSE_TABLE  # a newer nbgrader: write the older schema of its last change here
    _as_before_the_course_table(path)
    older = _revision(path)
    upgrade = upgrade_gradebook(course, now=datetime(2026, 12, 7, 10, 15))
    assert (upgrade.before, upgrade.after) == (older, head) and _revision(path) == head
    assert upgrade.backup == tmp_path / "gradebook.db.avant-mise-a-jour-20261207-101500"
    assert _revision(upgrade.backup) == older
    with Gradebook(f"sqlite:///{path}") as gb:
        assert [s.id for s in gb.students] == ["zoe.roux"]
        gb.add_assignment("bloc1")  # needs the course table the upgrade wrote
    assert "de la révision" in upgrade.lines()[0] and "notes, apprenants et devoirs gardés" in upgrade.lines()[0]
    monkeypatch.chdir(tmp_path)
    assert main(["carnet-mise-a-jour"]) == 0
    assert "Carnet de notes déjà à jour" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gradebook.db.")] == [upgrade.backup.name]
