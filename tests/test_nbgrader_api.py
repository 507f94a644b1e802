"""mda_checks.nbgrader_api: nbgrader's new gradebooks are stamped with the schema's head read in-process."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbgrader.api
import pytest
from nbgrader.api import Gradebook

from mda_checks import nbgrader_api
from mda_checks.nbgrader_api import nbgrader_schema_head, schema_head


def _stamp(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.fixture
def no_program(monkeypatch):
    """Any program nbgrader would start (`alembic heads`) fails the test."""
    def refused(*args, **kwargs):
        raise AssertionError(f"programme lancé : {args[0]!r}")
    monkeypatch.setattr(nbgrader.api.sp, "check_output", refused)


def test_the_head_read_in_process_is_the_one_nbgraders_alembic_program_gives(monkeypatch):
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    in_process = nbgrader_api._script_head()  # alembic's own reading, not schema_head (its fallback is the program)
    assert in_process == nbgrader_schema_head()
    assert len(in_process) == 12 and int(in_process, 16) >= 0  # an alembic revision, not a placeholder


def test_a_new_gradebook_is_stamped_with_it_and_no_program_runs(tmp_path, no_program):
    assert nbgrader.api.get_alembic_version is schema_head  # in force as soon as the module is imported
    Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}").close()
    assert _stamp(tmp_path / "gradebook.db") == schema_head()


def test_without_it_nbgrader_runs_the_program(tmp_path, no_program, monkeypatch):
    """The test above can fail: nbgrader's own stamp starts `alembic`, which the fixture refuses."""
    monkeypatch.setattr(nbgrader.api, "get_alembic_version", nbgrader_schema_head)
    with pytest.raises(AssertionError, match="programme lancé"):
        Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}")


def test_if_alembic_cannot_read_the_scripts_nbgraders_own_way_decides(tmp_path, monkeypatch):
    def unreadable():
        raise RuntimeError("plusieurs têtes")
    monkeypatch.setattr(nbgrader_api, "_script_head", unreadable)
    monkeypatch.setattr(nbgrader_api, "nbgrader_schema_head", lambda: "abc123def456")
    Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}").close()
    assert _stamp(tmp_path / "gradebook.db") == "abc123def456"


def test_a_fresh_process_that_uses_the_api_never_starts_alembic(tmp_path):
    """As `mda` and the grading processes do: importing the way in to nbgrader is enough, PATH without alembic."""
    code = ("import mda_checks.nbgrader_api, nbgrader.api\n"
            "nbgrader.api.sp.check_output = None  # calling it would fail\n"
            f"nbgrader.api.Gradebook('sqlite:///{tmp_path / 'gradebook.db'}').close()\n")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _stamp(tmp_path / "gradebook.db") == schema_head()
