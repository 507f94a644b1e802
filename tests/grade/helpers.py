"""Small courses for grading tests, and a comparable dump of a gradebook."""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from functools import cache
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.assign import build_course
from mda_checks.course import Course
from mda_checks.notebook import cells
from tests.conftest import copy_course


def another_copy_place() -> tuple[Path, socket.socket]:
    """A folder where a trainer could keep another copy of the course (/srv, else /opt, else the home folder:
    never under /tmp, which the sandbox replaces), mode 755, with a Unix socket listening in it (mode 777):
    what a kernel must neither see nor reach. The caller fills it and removes both."""
    for parent in ("/srv", "/opt", str(Path.home())):
        try:
            folder = Path(tempfile.mkdtemp(prefix="mda-autre-copie-", dir=parent))
            break
        except OSError:
            continue
    else:
        pytest.skip("aucun dossier hors de /tmp où écrire une autre copie du cours")
    os.chmod(folder, 0o755)
    listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening.bind(str(folder / "controle.sock"))
    os.chmod(folder / "controle.sock", 0o777)
    listening.listen(16)
    listening.setblocking(False)
    return folder, listening


def trimmed_course(label: str, assignment: str = "bloc1", keep: int = 1) -> Course:
    """A throw-away course with one assignment reduced to its first `keep` notebooks (fast to grade).

    Built once per test process and shape (``mda build``: 4.5 s on a quiet machine, 20 s under load), then copied: each caller gets
    its own course, byte for byte what a fresh build gives (tests/grade/test_helpers.py)."""
    folder = Path(tempfile.mkdtemp(prefix=f"mda-{label}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(_built_trimmed(assignment, keep), folder, symlinks=True, dirs_exist_ok=True)
    return Course(folder)


@cache
def _built_trimmed(assignment: str, keep: int) -> Path:
    """The built trimmed course every `trimmed_course` of this shape copies (never handed out itself)."""
    folder = Path(tempfile.mkdtemp(prefix=f"mda-gabarit-{assignment}-{keep}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return build_trimmed(folder, assignment, keep).root


def build_trimmed(folder: Path, assignment: str, keep: int) -> Course:
    """Copy the course into `folder`, keep the first `keep` notebooks of `assignment` only, and build it."""
    course = copy_course(folder)
    for other in course.assignments():
        if other != assignment:
            shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks(assignment)[keep:]:
        notebook.unlink()
    build_course(course)
    return course


def gradebook_rows(db_url: str) -> dict:
    """Every grade and comment of every submission, as plain values."""
    rows = {}
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                rows[(assignment.name, submission.student_id, "timestamp")] = submission.timestamp
                for notebook in submission.notebooks:
                    for g in notebook.grades:
                        rows[(assignment.name, submission.student_id, notebook.name, g.name)] = (
                            g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                    for c in notebook.comments:
                        rows[(assignment.name, submission.student_id, notebook.name, c.name, "comment")] = (
                            c.auto_comment, c.manual_comment)
    return rows


def manual_cell(course: Course, assignment: str) -> tuple[str, str, float]:
    """(notebook, grade_id, points) of the first answer a trainer grades by hand."""
    for name, notebook in course.read_source(assignment).items():
        for cell in notebook.cells:
            if cells.is_manually_graded(cell) and cells.is_grade(cell):
                return name, cells.grade_id(cell), cells.points(cell)
    raise AssertionError("no manually graded cell")
