"""Proposal and decision side by side, per learner and bloc: what the reports and the dashboard show.

The proposal is computed now, from the grid and jury.toml; the decision is the latest one the
register holds for the learner and bloc (whatever its session), with its whole history: every decision
recorded for them, oldest first, each dated (a changed decision never hides the one it replaced).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from mda_checks.course import Course
from mda_checks.jury.decisions import DecisionLine, history, read_register
from mda_checks.jury.proposals import bloc_proposals
from mda_checks.jury.rules import read_rules
from mda_checks.report.timing import format_when

NOT_DECIDED = "pas encore décidé"


@dataclass(frozen=True)
class PastDecision:
    """One decision of a learner's history for a bloc, as the reports show it."""

    decided_on: str     # « 10 décembre 2026 à 18:00 » (Paris)
    session: str
    proposition: str    # the rules' proposal when it was recorded
    decision: str
    commentaire: str
    replaces: str       # the decision it replaced in its session, '' for a first one
    author: str

    @classmethod
    def of(cls, line: DecisionLine) -> PastDecision:
        return cls(format_when(datetime.fromisoformat(line.horodatage)), line.session, line.proposition,
                   line.decision, line.commentaire, line.precedente, line.auteur)

    def text(self) -> str:
        """« ajourné le 10 décembre 2026 à 18:00 (session bloc1-2026-12-10) »."""
        return f"{self.decision} le {self.decided_on} (session {self.session})"


@dataclass(frozen=True)
class JuryLine:
    proposition: str
    motif: str
    decision: str = ""      # '' until the jury's decision is recorded
    commentaire: str = ""
    decided_on: str = ""    # « 10 décembre 2026 à 18:00 » (Paris)
    session: str = ""
    earlier: int = 0        # decisions recorded before this one, for this learner and bloc
    history: tuple[PastDecision, ...] = ()  # every decision recorded for this learner and bloc, oldest first

    @property
    def decision_text(self) -> str:
        return self.decision or NOT_DECIDED

    def history_text(self) -> str:
        """The history on one line, oldest first: « ajourné le … (session …) → validé le … (session …) »."""
        return " → ".join(past.text() for past in self.history)


def jury_overview(course: Course, grid: pd.DataFrame) -> dict[tuple[str, str], JuryLine]:
    """(learner, assignment) -> proposal and decision, for every pair of the grid."""
    rules = read_rules(course.root)
    lines = read_register(course)
    found = {}
    for assignment in dict.fromkeys(grid["devoir"]):
        for proposal in bloc_proposals(grid, assignment, rules):
            own = history(course, assignment, proposal.student, lines)
            latest = own[-1] if own else None
            found[(proposal.student, assignment)] = JuryLine(
                proposal.outcome, proposal.reason,
                latest.decision if latest else "", latest.commentaire if latest else "",
                format_when(datetime.fromisoformat(latest.horodatage)) if latest else "",
                latest.session if latest else "", len(own) - 1 if own else 0,
                tuple(PastDecision.of(line) for line in own))
    return found
