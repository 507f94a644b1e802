"""Shared fixtures: the repository's course and disposable copies of it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mda_checks.course import Course

REPO = Path(__file__).resolve().parents[1]
COURSE = Course(REPO)
ASSIGNMENTS = COURSE.assignments()

# Kernels never import the grader-only reference: only the trusted grading step does.
os.environ.setdefault("MPLBACKEND", "Agg")
# A trainer's shared gradebook (docs/formateur.md « Carnet de notes partagé ») is never the tests' gradebook.
os.environ.pop("MDA_GRADEBOOK_URL", None)
# Grading without isolation is refused unless the trainer accepts it (docs/bac-a-sable.md): on a machine
# without bubblewrap the grading tests accept it, as they always ran there (the sandbox's tests clear it).
if not shutil.which("bwrap"):
    os.environ.setdefault("MDA_CORRECTION_SANS_ISOLATION", "oui")


def per_assignment(function_params=ASSIGNMENTS):
    """Parametrize over assignments, one xdist group each (run with --dist loadgroup)."""
    return pytest.mark.parametrize(
        "assignment", [pytest.param(a, marks=pytest.mark.xdist_group(a), id=a) for a in function_params]
    )


def copy_course(destination: Path) -> Course:
    """A throw-away course: the masters, the configuration and the grader-only reference."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "source", destination / "source")
    shutil.copytree(REPO / "mda_reference", destination / "mda_reference",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", destination / "nbgrader_config.py")
    return Course(destination)


@pytest.fixture
def repo_course() -> Course:
    return COURSE
