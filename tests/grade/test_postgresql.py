"""The gradebook on a real PostgreSQL server: grading, formgrader's writes and reports work as on SQLite.

One PostgreSQL server for the module, started by pytest-postgresql's process fixture on Debian's
binaries (``/usr/lib/postgresql/<version>/bin/pg_ctl``, installed as root by ``make install``).
PostgreSQL refuses to run as root: as root, ``pg_ctl`` runs as an unprivileged user in a user
namespace mapped onto root's files (``unshare --user``), so its data stays in pytest's temporary
folder. Skipped, with the reason, only where the binaries (or that namespace) are missing.

Two throw-away courses (bloc1, its first notebook), the same three submissions: one course's
gradebook is a PostgreSQL database (``MDA_GRADEBOOK_URL``, read by the course's
nbgrader_config.py), the other nbgrader's SQLite file. Both go through ``mda build`` and
``mda grade``; the grades must be identical cell by cell. Then formgrader (a real Jupyter
server on the PostgreSQL course) enters manual grades before and during ``mda grade --force``,
which keeps them; ``mda report`` reads everything back.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, solved_submission, write_submission
from mda_checks.grade.gradebook_template import (
    GradebookTemplates, sqlite_url, template_differences,
)
from mda_checks.nbgrader_api import schema_head
from mda_checks.notebook import cells
from tests.conftest import copy_course, skip_missing_tool
from tests.grade.helpers import gradebook_rows, manual_cell

pytestmark = [pytest.mark.xdist_group("postgresql")]
ASSIGNMENT = "bloc1"
WHEN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
STUDENTS = ("pg-solutions", "pg-vierge", "pg-exceptions")
UNPRIVILEGED = 65534  # nobody / nogroup: PostgreSQL's server never runs as root


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parts[-3]))


def debian_pg_ctl() -> Path | None:
    """The newest pg_ctl of Debian's ``postgresql`` package, if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=_version)
    return found[-1] if found else None


def _namespace_works() -> bool:
    try:
        done = subprocess.run(["unshare", "--user", f"--map-user={UNPRIVILEGED}", f"--map-group={UNPRIVILEGED}",
                               "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _skip_reason() -> str:
    if debian_pg_ctl() is None:
        return ("PostgreSQL absent (/usr/lib/postgresql/*/bin/pg_ctl) : « make install » l'installe en root "
                "(apt-get install postgresql). PostgreSQL binaries are missing: tests skipped.")
    if os.geteuid() == 0 and not _namespace_works():
        return ("PostgreSQL refuse de tourner en root et `unshare --user` est refusé sur cette machine : "
                "lancez les tests sous un compte ordinaire. Cannot run PostgreSQL as root here: tests skipped.")
    return ""


SKIP = _skip_reason()
if SKIP and debian_pg_ctl() is None:
    skip_missing_tool(SKIP, module_level=True)
if SKIP:
    pytest.skip(SKIP, allow_module_level=True)
factories = pytest.importorskip(
    "pytest_postgresql.factories",
    reason="pytest-postgresql absent : « make install » (extra [test]). pytest-postgresql is missing: pip install -e '.[test]'.")
psycopg = pytest.importorskip("psycopg", reason="psycopg absent : « make install » (extra [postgresql]). "
                              "psycopg is missing: pip install -e '.[postgresql]'.")

#: the pg_ctl the fixture runs: Debian's, or (as root) a wrapper written by the `pg_ctl` fixture
PG_CTL = Path(tempfile.gettempdir()) / f"mda-pg_ctl-{os.getpid()}" if os.geteuid() == 0 else debian_pg_ctl()
postgresql_server = factories.postgresql_proc(executable=str(PG_CTL), port=None, dbname="mda_tests")


@pytest.fixture(scope="session")
def pg_ctl():
    """As root, a pg_ctl that runs Debian's as an unprivileged user (files: root's, mapped)."""
    if os.geteuid() != 0:
        yield PG_CTL
        return
    PG_CTL.write_text("#!/bin/sh\n# PostgreSQL never runs as root: run pg_ctl as an unprivileged user mapped onto root\n"
                      f"exec unshare --user --map-user={UNPRIVILEGED} --map-group={UNPRIVILEGED} -- "
                      f"'{debian_pg_ctl()}' \"$@\"\n", encoding="utf-8")
    PG_CTL.chmod(0o755)
    yield PG_CTL
    PG_CTL.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server(pg_ctl, request):
    return request.getfixturevalue("postgresql_server")


def new_database(server, name: str) -> str:
    """A new empty database on the server; its SQLAlchemy URL (psycopg 3)."""
    with psycopg.connect(host=server.host, port=server.port, user=server.user, dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{name}"


def small_course(folder: Path) -> Course:
    """The course reduced to bloc1's first notebook (not built: `mda build` does it)."""
    course = copy_course(folder)
    for other in course.assignments():
        if other != ASSIGNMENT:
            shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks(ASSIGNMENT)[1:]:
        notebook.unlink()
    return course


@contextmanager
def in_course(course: Course, db_url: str | None):
    """`mda` run from the course, its gradebook at `db_url` (None: nbgrader's SQLite default)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(course.root)
        if db_url:
            patch.setenv("MDA_GRADEBOOK_URL", db_url)
        else:
            patch.delenv("MDA_GRADEBOOK_URL", raising=False)
        yield patch


def submissions(course: Course) -> dict:
    broken = solved_submission(course, ASSIGNMENT)
    for notebook in broken.values():
        answer = next(c for c in notebook.cells if cells.is_solution(c) and c.cell_type == "code")
        answer.source = "raise RuntimeError('pas fini')"
    return dict(zip(STUDENTS, (solved_submission(course, ASSIGNMENT), blank_submission(course, ASSIGNMENT), broken)))


@dataclass
class Graded:
    postgres: Course
    sqlite: Course
    url: str

    @property
    def sqlite_url(self) -> str:
        return sqlite_url(self.sqlite.root / "gradebook.db")


@pytest.fixture(scope="module")
def graded(server, tmp_path_factory) -> Graded:
    """Both courses built and graded once by `mda build` and `mda grade`."""
    url = new_database(server, "mda_cours")
    result = Graded(small_course(tmp_path_factory.mktemp("pg-course")),
                    small_course(tmp_path_factory.mktemp("sqlite-course")), url)
    for course, db_url in ((result.postgres, url), (result.sqlite, None)):
        with in_course(course, db_url):
            assert main(["build", ASSIGNMENT]) == 0
            for student, notebooks in submissions(course).items():
                write_submission(course, student, ASSIGNMENT, notebooks, WHEN)
            assert main(["grade", "--workers", "3"]) == 0
    assert not (result.postgres.root / "gradebook.db").exists()  # everything went to the server
    return result


def test_nbgrader_creates_the_tables_on_the_server_and_templates_read_them(graded, tmp_path):
    with psycopg.connect(graded.url.replace("postgresql+psycopg", "postgresql")) as connection:
        tables = {row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert {"assignment", "notebook", "base_cell", "grade_cells", "source_cell", "grade", "comment", "student"} <= tables
    assert revision == schema_head()
    templates = GradebookTemplates.build(graded.url, [ASSIGNMENT], tmp_path / "gabarit.db")
    assert template_differences(graded.url, sqlite_url(templates.structure)) == []


def test_grades_on_postgresql_equal_grades_on_sqlite_cell_by_cell(graded):
    ours, theirs = gradebook_rows(graded.url), gradebook_rows(graded.sqlite_url)
    assert {key[1] for key in ours} == set(STUDENTS)  # not vacuous: every learner is there …
    assert any(row[0] for key, row in ours.items() if len(key) == 4 and key[1] == STUDENTS[0])  # … with points
    assert ours == theirs, {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}


def formgrader(server, path: str, body: dict | None = None):
    """formgrader's own REST API (what its grading page calls): GET, or PUT `body`."""
    request = urllib.request.Request(
        f"{server.base}/formgrader/api/{path}", method="PUT" if body is not None else "GET",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        return json.loads(response.read())


def grade_by_hand(server, url: str, student: str, notebook: str, grade_id: str, score: float, text: str) -> None:
    """A trainer's manual grade and comment, entered in formgrader."""
    with Gradebook(url) as gb:
        grade = gb.find_grade(grade_id, notebook, ASSIGNMENT, student).id
        comment = gb.find_comment(grade_id, notebook, ASSIGNMENT, student).id
    assert formgrader(server, f"grade/{grade}", {"manual_score": score, "extra_credit": None})["manual_score"] == score
    assert formgrader(server, f"comment/{comment}", {"manual_comment": text})["manual_comment"] == text


def test_manual_grades_entered_in_formgrader_before_and_during_a_run_are_kept(graded, tmp_path, monkeypatch):
    from tests.browser.lab import start_lab

    course, url = graded.postgres, graded.url
    notebook, grade_id, points = manual_cell(course, ASSIGNMENT)
    before, during = STUDENTS[0], STUDENTS[1]
    with in_course(course, url):
        lab = start_lab(course.root, tmp_path / "jupyter")  # formgrader reads the course's gradebook: the server
    try:
        grade_by_hand(lab, url, before, notebook, grade_id, points, "Saisi avant la correction.")
        for_learner = GradebookTemplates.for_learner

        def template_then_formgrader(templates, student, assignment):
            taken = for_learner(templates, student, assignment)  # the worker starts from this gradebook …
            if student == during:  # … while a trainer grades that copy in formgrader
                grade_by_hand(lab, url, during, notebook, grade_id, points / 2, "Saisi pendant la correction.")
            return taken

        monkeypatch.setattr(GradebookTemplates, "for_learner", template_then_formgrader)
        with in_course(course, url):
            assert main(["grade", "--force", "--workers", "3"]) == 0
        with Gradebook(url) as gb:
            # before the run: the worker's gradebook had the grade, so nbgrader's own rule applies (a cell
            # graded by hand and graded again is flagged for review); during the run: the trainer's newer
            # grade stands as formgrader left it
            for student, score, text, review in ((before, points, "Saisi avant la correction.", True),
                                                 (during, points / 2, "Saisi pendant la correction.", False)):
                grade = gb.find_grade(grade_id, notebook, ASSIGNMENT, student)
                comment = gb.find_comment(grade_id, notebook, ASSIGNMENT, student)
                assert (grade.manual_score, comment.manual_comment, grade.needs_manual_grade) == (score, text, review)
            shown = formgrader(lab, f"grade/{gb.find_grade(grade_id, notebook, ASSIGNMENT, during).id}")
        assert shown["manual_score"] == points / 2  # formgrader reads it back from the server
    finally:
        lab.stop()


def test_reports_read_the_gradebook_on_the_server(graded):
    course, url = graded.postgres, graded.url
    with in_course(course, url):
        assert main(["report", ASSIGNMENT]) == 0
    with Gradebook(url) as gb:
        scores = {s.student_id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions}
    assert scores[STUDENTS[0]] > scores[STUDENTS[1]]  # not vacuous: the solved copy has points
    with (course.root / "exports" / "notes_nbgrader.csv").open(encoding="utf-8", newline="") as export:
        exported = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(export)}
    assert exported == pytest.approx(scores)
    index = (course.root / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(student in index for student in STUDENTS)
    from openpyxl import load_workbook

    workbook = load_workbook(course.root / "reports" / "grille_competences.xlsx", read_only=True)
    values = {str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row}
    assert set(STUDENTS) <= values
