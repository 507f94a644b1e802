"""``mda collecte DEVOIR``: collect an assignment's submissions from the exchange, as data, in French."""
from __future__ import annotations

import pwd
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

from nbgrader.exchange import ExchangeError

from mda_checks.collect.exchange_collect import (COLLECTED, REFUSED, REPORTED, UNCHANGED, UPDATED, LearnerOutcome,
                                                 TrustedCollect)
from mda_checks.collect.journal import append_journal, journal_rows
from mda_checks.course import Course
from mda_checks.report.timing import format_when

SHARED_SETTING = "c.ExchangeCollect.check_owner = False"


@dataclass
class CollectRun:
    assignment: str
    outcomes: list[LearnerOutcome]
    identity_enforced: bool
    journal: Path

    @property
    def counts(self) -> Counter:
        return Counter(outcome.status for outcome in self.outcomes if outcome.status)

    @property
    def refused(self) -> int:
        return sum(len(outcome.refused) for outcome in self.outcomes)


def collector(course: Course, assignment: str = "", **traits) -> TrustedCollect:
    """A ``TrustedCollect`` configured by the course's nbgrader_config.py (``traits`` override it)."""
    from mda_checks.nbgrader_api import course_config, course_directory

    coursedir = course_directory(course.root)
    coursedir.assignment_id = assignment
    return TrustedCollect(coursedir=coursedir, authenticator=None, config=course_config(course.root), **traits)


def identity_enforced(course: Course) -> bool:
    """Learners have their own accounts (``ExchangeCollect.check_owner``, True unless set to False)."""
    return bool(collector(course).check_owner)


def identity_lines(course: Course, students: list[str]) -> list[str]:
    """What `mda release` and `mda collecte` say of who a submission comes from, in French."""
    if not identity_enforced(course):
        return [f"Identité des rendus NON vérifiée ({SHARED_SETTING} dans nbgrader_config.py : apprenants sur un "
                "compte partagé) : un rendu au nom d'un apprenant peut venir de n'importe qui ; seule l'heure de "
                "rendu est constatée par la collecte."]
    lines = ["Identité des rendus vérifiée : chaque apprenant rend depuis son propre compte Unix (même nom que son "
             "identifiant) ; `mda collecte` refuse un rendu qui n'appartient pas au compte qu'il nomme."]
    missing = []
    for student in students:
        try:
            pwd.getpwnam(student)
        except KeyError:
            missing.append(student)
    if missing:
        lines.append(f"Attention : aucun compte Unix pour {len(missing)} apprenant(s) ({', '.join(missing)}) : leurs "
                     "rendus seront refusés ; créez leurs comptes, ou, si les apprenants partagent un compte, mettez "
                     f"{SHARED_SETTING} dans nbgrader_config.py.")
    return lines


def collect_assignment(course: Course, assignment: str, update: bool = False, before_duedate: bool = False,
                       student: str | None = None,
                       on_learner: Callable[[LearnerOutcome, int, int], None] | None = None) -> CollectRun:
    """Collect `assignment` (one learner with `student`), append to the collect journal; ValueError in
    French when the exchange cannot be read."""
    started = datetime.now(UTC)
    collect = collector(course, assignment, update=update, before_duedate=before_duedate)
    if student:
        collect.coursedir.student_id = student
    collect.on_learner = on_learner
    collect.log.setLevel("CRITICAL")  # its results come back as data; nbgrader's English lines say nothing more
    try:
        collect.start()
    except ExchangeError as problem:
        raise ValueError(str(problem)) from None
    journal = append_journal(course, journal_rows(collect.outcomes, assignment, started))
    return CollectRun(assignment, collect.outcomes, bool(collect.check_owner), journal)


def outcome_lines(run: CollectRun) -> list[str]:
    """French lines: one per refused folder or remark, then the totals."""
    lines = []
    for outcome in run.outcomes:
        for event in outcome.events:
            label = "Refusé" if event.status == REFUSED else "Signalé"
            lines.append(f"{label} {outcome.learner} · {event.folder} : {event.reason}")
        if outcome.detail:
            lines.append(f"{outcome.learner} : {outcome.detail}")
    from mda_checks.referentiel import bloc_label

    counts = run.counts
    lines.append(f"{bloc_label(run.assignment)} : {counts[COLLECTED]} copie(s) collectée(s), {counts[UPDATED]} mise(s) à jour, "
                 f"{counts[UNCHANGED]} inchangée(s), {run.refused} dépôt(s) refusé(s) ; copies dans "
                 f"submitted/<apprenant>/{run.assignment}/ (heure de rendu constatée à la collecte dans timestamp.txt).")
    lines.append(f"Journal de collecte : {run.journal}")
    return lines


def progress_line(outcome: LearnerOutcome, done: int, total: int) -> str:
    """« Collecte Bloc 1 — … : 3/12 — alice : collecté (rendu le …) »."""
    what = outcome.status or "rien de collecté"
    when = f" (rendu le {format_when(outcome.time)})" if outcome.time else ""
    flags = f", {len(outcome.refused)} dépôt(s) refusé(s)" if outcome.refused else ""
    flags += ", remarque(s) au journal" if any(e.status == REPORTED for e in outcome.events) else ""
    return f"{done}/{total} — {outcome.learner} : {what}{when}{flags}"
