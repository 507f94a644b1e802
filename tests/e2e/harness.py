"""A graded course per assignment, built once per test worker.

The solved and slipped examples are handed in by learners given a personal copy (their own
variant of the case, drawn from a fixed course key: the same variants on every run), the blank
one by a learner of the common copy (release/)."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nbgrader.api import Gradebook

from mda_checks.assign import build_course
from mda_checks.course import Course
from mda_checks.exchange import ensure_exchange
from mda_checks.demo.run import BLANK, PERSONAL, SLIPS, SOLVED, slips_of, write_demo_submissions
from mda_checks.feedback import generate_feedback
from mda_checks.grade.autograde import NotebookOutcome
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.runs.state import GradingState
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from mda_checks.variants.secret import secret_path
from tests.conftest import copy_course

__all__ = ["BLANK", "PERSONAL", "SLIPS", "SOLVED", "GradedCourse", "graded_course", "temporary_course"]

#: the course key of the test courses (a real course's is random, made on first use)
TEST_KEY = "5eed" * 16


def fixed_course_key(course: Course) -> None:
    """Give the course a known key: every run draws the same variants (reproducible failures)."""
    path = secret_path(course)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.write_text(TEST_KEY + "\n", encoding="ascii")
    path.chmod(0o600)


def temporary_course(label: str, assignments: list[str] | None = None) -> Course:
    """A throw-away course with its exchange, `assignments` (all by default) built as `mda build` does."""
    folder = Path(tempfile.mkdtemp(prefix=f"mda-{label}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    course = copy_course(folder)
    ensure_exchange(course)  # as `make install` does for the real course: nbgrader finds its exchange
    build_course(course, assignments)
    return course


@dataclass
class GradedCourse:
    course: Course
    assignment: str
    outcomes: list[NotebookOutcome]
    slips: list
    feedback_problems: dict

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.course.root / 'gradebook.db'}"

    def cell_scores(self, student: str) -> dict[tuple[str, str], tuple[float, float]]:
        """(notebook, grade_id) -> (score, max) of every autograded test cell."""
        tests = {(name, cells.grade_id(c)) for name, nb in self.course.read_source(self.assignment).items()
                 for c in nb.cells if cells.is_autograded_test(c)}
        with Gradebook(self.db_url) as gb:
            submission = gb.find_submission(self.assignment, student)
            return {(nb.name, g.name): (g.score, g.max_score)
                    for nb in submission.notebooks for g in nb.grades if (nb.name, g.name) in tests}


@cache
def graded_course(assignment: str) -> GradedCourse:
    course = temporary_course(assignment, [assignment])  # only the bloc under test: the others are never graded here
    fixed_course_key(course)
    students = write_demo_submissions(course, assignment)
    # the production path: parallel workers, sandboxed kernels, one gradebook writer
    run_grading(course, plan_grading(course, [assignment]), workers=2)
    state = GradingState.of(course)
    outcomes = [o for student in students for o in state.outcomes(student, assignment)]
    problems = generate_feedback(course_api(course.root), course, assignment, students)
    return GradedCourse(course, assignment, outcomes, slips_of(course, assignment), problems)
