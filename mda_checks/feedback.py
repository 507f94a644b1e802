"""Feedback for learners: nbgrader's HTML pages, hidden tests removed (see nbgrader_config.py)."""
from __future__ import annotations

from pathlib import Path

from nbgrader.apps import NbGraderAPI

from mda_checks.course import Course
from mda_checks.nbgrader_api import failure_reason

HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "mda_reference")


def generate_feedback(api: NbGraderAPI, course: Course, assignment: str, students: list[str]) -> dict[str, str]:
    """Write feedback/<student>/<assignment>/*.html; return {student: problem} for failures."""
    problems = {}
    for student in students:
        if not (course.step("autograded") / student / assignment).is_dir():
            continue
        result = api.generate_feedback(assignment, student, force=True)
        if not result.get("success"):
            problems[student] = failure_reason(result)
    return problems


def leaked_hidden_tests(feedback_file: Path) -> list[str]:
    """Markers of hidden tests found in a feedback page (must be empty)."""
    text = feedback_file.read_text(encoding="utf-8")
    return [marker for marker in HIDDEN_MARKERS if marker in text]
