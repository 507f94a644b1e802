"""Generate release/ from source/ with nbgrader, one assignment per bloc (masters' metadata checked, barème
blocks and grid headers refreshed first; the README's table of the blocs after)."""
from __future__ import annotations

from mda_checks.assign.bareme_cells import refresh_bareme
from mda_checks.assign.points_table import refresh_points_table
from mda_checks.assign.rubric_headers import refresh_rubrics
from mda_checks.course import Course
from mda_checks.nbgrader_api import course_api, ensure_success
from mda_checks.notebook.metadata_schema import check_notebook


def check_masters(course: Course, assignment: str) -> None:
    """Refuse (``MetadataError``, French) an assignment whose masters hold a ``metadata.mda`` the schema refuses."""
    for name, notebook in course.read_source(assignment).items():
        check_notebook(notebook, f"{assignment}/{name}.ipynb")


def build_course(course: Course, assignments: list[str] | None = None) -> list[str]:
    """Run generate_assignment (forced) for each assignment; return the ones built.
    Every master is checked before any is built: a refused one leaves release/ as it was."""
    assignments = assignments or course.assignments()
    for assignment in assignments:
        check_masters(course, assignment)
    api = course_api(course.root)
    built = []
    for assignment in assignments:
        refresh_bareme(course, assignment)
        refresh_rubrics(course, assignment)
        ensure_success(api.generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")
        built.append(assignment)
    refresh_points_table(course, course.root / "README.md")
    return built
