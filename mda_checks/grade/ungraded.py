"""« Carnet non corrigé »: the one definition, read by `mda grade`, the reports, the dashboard and the jury's workbook.

A notebook of a graded copy is « non corrigé » when no grading of it ran to its end: it was not
handed in, its file is empty or unreadable (``inspect``), or nbgrader's run failed (a dead kernel,
the wall clock …). It earns 0 automatic points. Each one is an ``UngradedNotebook`` built from the
grading state (``autograded/etat_correction.json``), so that every place counts and names the same
notebooks with the same French reason. A failed run is graded again by the next `mda grade`
(``retried``); a notebook missing, empty or unreadable stays so until its learner hands in again.
"""
from __future__ import annotations

from dataclasses import dataclass

from mda_checks.course import Course
from mda_checks.grade.autograde import FAILED, NOT_GRADED, NotebookOutcome
from mda_checks.grade.reasons import without_exception_names

UNGRADED_STATUSES = (NOT_GRADED, FAILED)
TITLE = "Carnets non corrigés"
MEANING = ("0 point automatique tant qu'ils ne sont pas corrigés : un carnet absent, vide ou illisible le reste "
           "jusqu'à un nouveau rendu ; un carnet en échec (noyau arrêté, durée dépassée…) est recorrigé à chaque "
           "exécution de « mda grade »")


@dataclass(frozen=True)
class UngradedNotebook:
    """One notebook left ungraded: whose, which, and why in French (no technical name)."""

    student: str
    assignment: str
    notebook: str
    reason: str
    retried: bool  # graded again by the next `mda grade`


def is_ungraded(outcome: NotebookOutcome) -> bool:
    return outcome.status in UNGRADED_STATUSES


def reason_of(outcome: NotebookOutcome) -> str:
    """The French reason: the outcome's cause, or (an older grading state) its notes without class names."""
    return outcome.cause or without_exception_names(outcome.notes) or outcome.status


def ungraded_notebooks(course: Course, assignments: list[str] | None = None) -> list[UngradedNotebook]:
    """Every notebook non corrigé of the course (of `assignments` when given), by assignment, learner, notebook."""
    from mda_checks.grade.runs.state import GradingState

    state = GradingState.of(course)
    found = [UngradedNotebook(o.student, o.assignment, o.notebook, reason_of(o), o.status == FAILED)
             for student, assignment in state.keys() if assignments is None or assignment in assignments
             for o in state.outcomes(student, assignment) if is_ungraded(o)]
    return sorted(found, key=lambda u: (u.assignment, u.student, u.notebook))


def by_copy(ungraded: list[UngradedNotebook]) -> dict[tuple[str, str], list[UngradedNotebook]]:
    """(learner, assignment) -> its notebooks non corrigés."""
    grouped: dict[tuple[str, str], list[UngradedNotebook]] = {}
    for item in ungraded:
        grouped.setdefault((item.student, item.assignment), []).append(item)
    return grouped
