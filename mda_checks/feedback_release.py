"""`mda retours --publier`: the written feedback published in nbgrader's exchange, copy by copy.

nbgrader's ``release_feedback`` stops the whole assignment on the first copy without the
``submission_secret.txt`` that ``nbgrader submit`` writes (a copy deposited by hand, a group member
who did not hand in himself) and says nothing of what it skipped. Here each copy is released on its
own through nbgrader's API (``NbGraderAPI.release_feedback``, same files, same exchange); a copy that
cannot be is named with its French reason, and its pages stay in feedback/ to be handed over apart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mda_checks.course import Course
from mda_checks.grade.reasons import failure_words
from mda_checks.referentiel import bloc_label

BY_HAND = ("pas de rendu passé par l'échange (copie déposée à la main, ou membre d'un groupe qui n'a pas rendu "
           "lui-même) : nbgrader ne peut pas lui publier ce retour")


@dataclass
class FeedbackRelease:
    exchange_created: bool = False
    released: list[tuple[str, str]] = field(default_factory=list)        # (learner, assignment)
    by_hand: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)     # (learner, assignment, reason)

    def lines(self) -> list[str]:
        lines = []
        if self.exchange_created:
            lines.append("Le dossier d'échange n'existait pas (ou n'avait pas les bons droits) : il a été créé.")
        lines.append(f"Retours publiés dans l'échange : {len(self.released)} copie(s). Chaque apprenant les récupère "
                     "dans JupyterLab (onglet « Assignments », bouton « Fetch Feedback »).")
        for student, assignment in self.by_hand:
            lines.append(f"Non publié {student} · {bloc_label(assignment)} : {BY_HAND} ; remettez-lui "
                         f"feedback/{student}/{assignment}/ à part.")
        for student, assignment, reason in self.failed:
            lines.append(f"Échec {student} · {bloc_label(assignment)} : {reason}")
        return lines


def feedback_folders(course: Course, assignments: list[str]) -> list[tuple[str, str]]:
    """(learner, assignment) of every written feedback (an HTML page under feedback/<learner>/<assignment>/)."""
    root = course.step("feedback")
    if not root.is_dir():
        return []
    return [(folder.name, assignment) for assignment in assignments for folder in sorted(root.iterdir())
            if any((folder / assignment).glob("*.html"))]


def release_feedback(course: Course, assignments: list[str],
                     on_copy: Callable[[str, str], None] | None = None) -> FeedbackRelease:
    """Publish every written feedback of `assignments`; ValueError (French) when the exchange cannot be made."""
    from mda_checks.exchange import ensure_exchange
    from mda_checks.nbgrader_api import course_api, failure_reason

    outcome = FeedbackRelease(exchange_created=ensure_exchange(course).created)
    api = course_api(course.root)
    for student, assignment in feedback_folders(course, assignments):
        folder = course.step("feedback") / student / assignment
        if not (folder / "submission_secret.txt").is_file() or not (folder / "timestamp.txt").is_file():
            outcome.by_hand.append((student, assignment))
        else:
            result = api.release_feedback(assignment, student)
            if result.get("success"):
                outcome.released.append((student, assignment))
            else:
                outcome.failed.append((student, assignment,
                                       f"nbgrader n'a pas pu le publier : {failure_words(failure_reason(result))}"))
        if on_copy:
            on_copy(student, assignment)
    return outcome
