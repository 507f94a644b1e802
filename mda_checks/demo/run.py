"""Example submissions of one assignment (solved, blank, classic slips), for tests and authors.

The simulated cohort of `make demo` is in ``mda_checks.demo.cohort``.
"""
from __future__ import annotations


from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission

#: demo learners and how their notebooks are made
SOLVED, BLANK, SLIPS = "exemple-solutions", "exemple-vierge", "exemple-erreurs"


def slips_of(course: Course, assignment: str) -> list:
    """The classic mistakes the reference declares for an assignment, for the notebooks this course has."""
    present = {path.stem for path in course.source_notebooks(assignment)}
    return [slip for slip in course.import_reference(f"{assignment}.slips").SLIPS if slip.notebook in present]


def write_demo_submissions(course: Course, assignment: str) -> list[str]:
    write_submission(course, SOLVED, assignment, solved_submission(course, assignment))
    write_submission(course, BLANK, assignment, blank_submission(course, assignment))
    write_submission(course, SLIPS, assignment, slipped_submission(course, assignment, slips_of(course, assignment)))
    return [SOLVED, BLANK, SLIPS]
