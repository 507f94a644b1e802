"""The main job of `make demo`: example submissions of every bloc, graded end to end."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mda_checks.assign import build_course
from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission
from mda_checks.feedback import generate_feedback
from mda_checks.grade.autograde import autograde_assignment, journal_path
from mda_checks.grade.journal import write_journal
from mda_checks.nbgrader_api import course_api
from mda_checks.report.grades import export_nbgrader_csv, grades_table

#: demo learners and how their notebooks are made
SOLVED, BLANK, SLIPS = "exemple-solutions", "exemple-vierge", "exemple-erreurs"


def slips_of(course: Course, assignment: str) -> list:
    """The classic mistakes the grader-only reference declares for an assignment."""
    return list(course.import_reference(f"{assignment}.slips").SLIPS)


def write_demo_submissions(course: Course, assignment: str) -> list[str]:
    write_submission(course, SOLVED, assignment, solved_submission(course, assignment))
    write_submission(course, BLANK, assignment, blank_submission(course, assignment))
    write_submission(course, SLIPS, assignment, slipped_submission(course, assignment, slips_of(course, assignment)))
    return [SOLVED, BLANK, SLIPS]


@dataclass
class DemoRun:
    grades: pd.DataFrame
    journal: Path
    export: Path
    feedback_problems: dict[str, str] = field(default_factory=dict)


def run_demo(course: Course, assignments: list[str] | None = None) -> DemoRun:
    api = course_api(course.root)
    outcomes, problems = [], {}
    assignments = build_course(course, assignments)
    for assignment in assignments:
        students = write_demo_submissions(course, assignment)
        outcomes += autograde_assignment(api, course, assignment)
        problems.update(generate_feedback(api, course, assignment, students))
    journal = write_journal(outcomes, journal_path(course))
    export = export_nbgrader_csv(api.coursedir.db_url, course.step("exports") / "notes_nbgrader.csv")
    return DemoRun(grades_table(course, api.coursedir.db_url, assignments), journal, export, problems)
