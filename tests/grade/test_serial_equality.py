"""`mda grade` (parallel, sandboxed, one writer) gives per cell exactly what serial `nbgrader autograde` gives."""
from __future__ import annotations

from datetime import datetime, UTC
from functools import cache

import pytest

from mda_checks.demo.run import slips_of
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.manual import set_manual_grade
from mda_checks.nbgrader_api import course_api, ensure_success
from mda_checks.notebook import cells
from tests.grade.helpers import gradebook_rows, manual_cell, trimmed_course

pytestmark = [pytest.mark.xdist_group("serial-equality")]
ASSIGNMENT = "bloc1"
WHEN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


def _submissions(course):
    solved = solved_submission(course, ASSIGNMENT)
    broken = solved_submission(course, ASSIGNMENT)
    for notebook in broken.values():
        for cell in notebook.cells:
            if cells.is_solution(cell) and cell.cell_type == "code":
                cell.source = "raise RuntimeError('pas fini')"
                break
    return {"apprenant-solutions": solved, "apprenant-vierge": blank_submission(course, ASSIGNMENT),
            "apprenant-erreurs": slipped_submission(course, ASSIGNMENT, slips_of(course, ASSIGNMENT)),
            "apprenant-exceptions": broken}


@cache
def both_ways():
    parallel, serial = trimmed_course("parallele"), trimmed_course("serie")
    for course in (parallel, serial):
        for student, notebooks in _submissions(course).items():
            write_submission(course, student, ASSIGNMENT, notebooks, WHEN)
    run_grading(parallel, plan_grading(parallel, [ASSIGNMENT]), workers=2)
    api = course_api(serial.root)
    for student in _submissions(serial):
        ensure_success(api.autograde(ASSIGNMENT, student, force=True), f"autograde {student}")
    return parallel, serial


def _db(course):
    return f"sqlite:///{course.root / 'gradebook.db'}"


def test_every_cell_grade_and_comment_equals_serial_nbgrader():
    parallel, serial = both_ways()
    ours, theirs = gradebook_rows(_db(parallel)), gradebook_rows(_db(serial))
    assert {key[1] for key in ours} == set(_submissions(serial))  # not vacuous: every learner is there
    assert ours == theirs, {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}


def test_forced_regrade_after_a_manual_grade_also_equals_serial_nbgrader():
    parallel, serial = both_ways()
    notebook, grade_id, points = manual_cell(parallel, ASSIGNMENT)
    for course in (parallel, serial):
        set_manual_grade(_db(course), ASSIGNMENT, "apprenant-solutions", notebook, grade_id, points, "Bien.")
    run_grading(parallel, plan_grading(parallel, [ASSIGNMENT], force=True), workers=2)
    api = course_api(serial.root)
    for student in _submissions(serial):
        ensure_success(api.autograde(ASSIGNMENT, student, force=True), f"autograde {student}")
    assert gradebook_rows(_db(parallel)) == gradebook_rows(_db(serial))
