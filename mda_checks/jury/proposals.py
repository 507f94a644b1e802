"""Each candidate's proposal for a bloc, and why: from the competency grid and the jury's rules.

The grid (``report/competencies.py``) gives each CE a status: acquis, non acquis, en attente (a
manual grade is missing), non évalué (no graded cell assesses it). Then (rules: ``jury.toml``):

- a competence of the referential is « acquise » when its threshold of assessed CE are acquired,
  « non acquise » when it can no longer be, « en attente » when its pending CE decide it, « non
  évaluée » when none of its CE is assessed (it is not acquired: there is no evidence of it);
- the bloc is proposed « validé » or « non validé » the same way from its competences, « en attente »
  while pending CE can still change it, or (``bloque = "bloc"``) while any of its CE is pending.

A proposal is only a proposal: the jury decides (``decisions.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mda_checks.course import bloc_number
from mda_checks.jury.rules import BLOCK_BLOC, JuryRules
from mda_checks.referentiel import Competence, load_referentiel
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING
from mda_checks.statuses import BlocProposal, CompetenceStatus

OUTCOMES = VALIDATED, NOT_VALIDATED, WAITING = tuple(BlocProposal)
COMPETENCE_ACQUIRED, COMPETENCE_NOT_ACQUIRED, COMPETENCE_WAITING, COMPETENCE_NOT_ASSESSED = tuple(CompetenceStatus)


@dataclass(frozen=True)
class CompetenceResult:
    """One competence of the bloc for one candidate: its status and the CE behind it."""

    code: str
    text: str
    status: str
    acquired: tuple[str, ...]
    not_acquired: tuple[str, ...]
    pending: tuple[str, ...]
    not_assessed: tuple[str, ...]

    @property
    def assessed(self) -> int:
        return len(self.acquired) + len(self.not_acquired) + len(self.pending)


@dataclass(frozen=True)
class Proposal:
    """What the rules propose for one candidate and one bloc, and the reason, in French."""

    student: str
    assignment: str
    outcome: str
    reason: str
    competences: tuple[CompetenceResult, ...]

    @property
    def pending_criteria(self) -> list[str]:
        return [ce for c in self.competences for ce in c.pending]


def _decide(threshold, acquired: int, pending: int, total: int) -> bool | None:
    """True/False once pending parts cannot change the outcome, None while they can."""
    if threshold.met(acquired, total):
        return True
    if not threshold.met(acquired + pending, total):
        return False
    return None


def competence_result(competence: Competence, statuses: dict[str, str], rules: JuryRules) -> CompetenceResult:
    by_status = {status: tuple(ce.code for ce in competence.criteria if statuses.get(ce.code, NOT_ASSESSED) == status)
                 for status in (ACQUIRED, NOT_ACQUIRED, PENDING, NOT_ASSESSED)}
    assessed = len(competence.criteria) - len(by_status[NOT_ASSESSED])
    decided = _decide(rules.competence, len(by_status[ACQUIRED]), len(by_status[PENDING]), assessed)
    status = (COMPETENCE_NOT_ASSESSED if not assessed else COMPETENCE_WAITING if decided is None
              else COMPETENCE_ACQUIRED if decided else COMPETENCE_NOT_ACQUIRED)
    return CompetenceResult(competence.code, competence.text, status, by_status[ACQUIRED], by_status[NOT_ACQUIRED],
                            by_status[PENDING], by_status[NOT_ASSESSED])


def propose(student: str, assignment: str, statuses: dict[str, str], rules: JuryRules) -> Proposal:
    """The proposal for one candidate from their CE statuses (CE code -> status) in one bloc."""
    bloc = load_referentiel().bloc(bloc_number(assignment))
    results = tuple(competence_result(c, statuses, rules) for c in bloc.competences)
    acquired = sum(r.status == COMPETENCE_ACQUIRED for r in results)
    waiting = sum(r.status == COMPETENCE_WAITING for r in results)
    decided = _decide(rules.bloc, acquired, waiting, len(results))
    pending_ce = [ce for r in results for ce in r.pending]
    if pending_ce and rules.pending == BLOCK_BLOC:
        decided = None
    outcome = WAITING if decided is None else VALIDATED if decided else NOT_VALIDATED
    return Proposal(student, assignment, outcome, reason(outcome, results, rules), results)


def _codes(codes) -> str:
    return ", ".join(codes)


def reason(outcome: str, results: tuple[CompetenceResult, ...], rules: JuryRules) -> str:
    """Why: which competences are acquired, which CE are missing or pending, and the rule applied."""
    total = len(results)
    acquired = [r for r in results if r.status == COMPETENCE_ACQUIRED]
    needed = rules.bloc.needed(total)
    parts = [f"Compétences acquises : {len(acquired)} sur {total} (il en faut {needed} : "
             f"{rules.bloc.describe('ses compétences')})."]
    missing = [r for r in results if r.status == COMPETENCE_NOT_ACQUIRED]
    if missing:
        parts.append("Non acquises : " + " ; ".join(
            f"{r.code} (CE non acquis : {_codes(r.not_acquired)}"
            + (f" ; {len(r.acquired)} CE acquis sur {r.assessed}, il en faut {rules.competence.needed(r.assessed)}"
               if not rules.competence.all else "") + ")" for r in missing) + ".")
    unassessed = [r for r in results if r.status == COMPETENCE_NOT_ASSESSED]
    if unassessed:
        parts.append("Non évaluées (aucun critère noté) : " + _codes(r.code for r in unassessed) + ".")
    waiting = [r for r in results if r.pending]
    if waiting:
        parts.append("Notes attendues : " + " ; ".join(f"{r.code} ({_codes(r.pending)})" for r in waiting) + ".")
        if outcome == WAITING:
            parts.append("La proposition sera faite quand ces notes seront saisies (formgrader)."
                         if rules.pending == BLOCK_BLOC else
                         "Ces notes peuvent encore changer la proposition : elle sera faite quand elles seront saisies.")
    others = sorted({ce for r in results if r.status != COMPETENCE_NOT_ASSESSED for ce in r.not_assessed})
    if others:
        parts.append(f"CE qu'aucune cellule notée n'évalue (non comptés) : {_codes(others)}.")
    return " ".join(parts)


def bloc_proposals(grid: pd.DataFrame, assignment: str, rules: JuryRules) -> list[Proposal]:
    """Every candidate of the bloc in the grid (one row per learner × CE), in the learners' order."""
    rows = grid[grid["devoir"] == assignment]
    proposals = []
    for student in sorted(rows["apprenant"].unique()):
        own = rows[rows["apprenant"] == student]
        proposals.append(propose(student, assignment, dict(zip(own["ce"], own["statut"])), rules))
    return proposals
