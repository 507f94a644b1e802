"""Generate release/ from source/ with nbgrader, one assignment per bloc (barème blocks refreshed first)."""
from __future__ import annotations

from mda_checks.assign.bareme_cells import refresh_bareme
from mda_checks.course import Course
from mda_checks.nbgrader_api import course_api, ensure_success


def build_course(course: Course, assignments: list[str] | None = None) -> list[str]:
    """Run generate_assignment (forced) for each assignment; return the ones built."""
    api = course_api(course.root)
    built = []
    for assignment in assignments or course.assignments():
        refresh_bareme(course, assignment)
        ensure_success(api.generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")
        built.append(assignment)
    return built
