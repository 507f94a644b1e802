"""The group step of ``mda grade`` (two small hooks in ``grade.runs.cohort``).

Before grading: for a group assignment only each group's submission is planned (``graded_students``).
After grading: superseded submissions and learners in no group are recorded (journal, failures),
then the groups' grades are propagated to their members (``propagate``).
"""
from __future__ import annotations

from mda_checks.course import Course
from mda_checks.grade.autograde import NotebookOutcome
from mda_checks.groups.propagate import Propagation, group_selection, propagate_assignment
from mda_checks.groups.selection import SUPERSEDED

CONFLICT = "note en désaccord"


def graded_students(course: Course, assignment: str, submitted: list[str]) -> list[str]:
    """The learners whose submission `mda grade` grades: everyone, or one per group in a group assignment."""
    selection = group_selection(course, assignment)
    if selection is None:
        return submitted
    return [student for student in submitted if student in selection.graded]


def after_grading(course: Course, db_url: str, assignments: list[str], state, run) -> list[NotebookOutcome]:
    """Record what the group step decided and propagate; returns the journal's extra rows."""
    rows = []
    for assignment in assignments:
        selection = group_selection(course, assignment)
        if selection is None:
            continue
        for student, note in selection.superseded_notes():
            state.forget(student, assignment)
            rows.append(NotebookOutcome(student, assignment, "*", SUPERSEDED, note))
        for student in selection.without_group:
            state.forget(student, assignment)
            run.failures.append((student, assignment, selection.without_group_reason(student)))
        state.save()
        propagation = propagate_assignment(course, db_url, assignment)
        run.groups.append(propagation)
        rows += [NotebookOutcome(c.student, assignment, c.notebook, CONFLICT, c.message()) for c in propagation.conflicts]  # type: ignore[union-attr]
    return rows


def describe(propagations: list[Propagation], without_group: bool = True) -> list[str]:
    """What the group step says, in French (``mda grade``, ``mda report``, ``mda feedback``)."""
    return [line for p in propagations for line in p.summary(without_group)]
