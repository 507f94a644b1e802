"""Proposals per bloc: the rules of jury.toml applied to each candidate's CE statuses, and the reason said."""
from __future__ import annotations

import pytest

from mda_checks.jury.proposals import (
    COMPETENCE_ACQUIRED, COMPETENCE_NOT_ACQUIRED, COMPETENCE_NOT_ASSESSED, COMPETENCE_WAITING, NOT_VALIDATED,
    VALIDATED, WAITING, bloc_proposals, propose,
)
from mda_checks.jury.rules import BLOCK_IF_DECISIVE, SHARE, JuryRules, Threshold
from mda_checks.referentiel import load_referentiel
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING

BLOC1 = load_referentiel().bloc(1)
FIRST, SECOND = BLOC1.competences[0], BLOC1.competences[1]
DECISIVE = JuryRules(pending=BLOCK_IF_DECISIVE)


def statuses(**changes: str) -> dict[str, str]:
    """Every CE of bloc 1 acquired, but those given (« CE1_1_1="non acquis" »)."""
    found = {ce.code: ACQUIRED for ce in BLOC1.criteria}
    found.update({code.replace("_", "."): status for code, status in changes.items()})
    return found


def by_code(proposal):
    return {c.code: c for c in proposal.competences}


def test_every_competence_acquired_is_proposed_validated():
    proposal = propose("alice", "bloc1", statuses(), JuryRules())
    assert proposal.outcome == VALIDATED
    assert {c.status for c in proposal.competences} == {COMPETENCE_ACQUIRED}
    assert proposal.reason.startswith(f"Compétences acquises : {len(BLOC1.competences)} sur {len(BLOC1.competences)}")


def test_one_criterion_not_acquired_fails_its_competence_and_the_bloc_and_the_reason_names_them():
    proposal = propose("alice", "bloc1", statuses(CE1_1_3=NOT_ACQUIRED), JuryRules())
    assert proposal.outcome == NOT_VALIDATED
    assert by_code(proposal)[FIRST.code].status == COMPETENCE_NOT_ACQUIRED
    assert by_code(proposal)[SECOND.code].status == COMPETENCE_ACQUIRED
    assert f"Non acquises : {FIRST.code} (CE non acquis : CE1.1.3)" in proposal.reason


def test_a_share_rule_acquires_a_competence_with_enough_of_its_criteria():
    rules = JuryRules(competence=Threshold(SHARE, 0.5))
    half = {ce.code: NOT_ACQUIRED for ce in FIRST.criteria[: len(FIRST.criteria) // 2]}
    proposal = propose("alice", "bloc1", {**statuses(), **half}, rules)
    assert by_code(proposal)[FIRST.code].status == COMPETENCE_ACQUIRED and proposal.outcome == VALIDATED
    worse = {ce.code: NOT_ACQUIRED for ce in FIRST.criteria[: len(FIRST.criteria) // 2 + 1]}
    failed = propose("alice", "bloc1", {**statuses(), **worse}, rules)
    assert failed.outcome == NOT_VALIDATED and "il en faut" in failed.reason


def test_a_bloc_share_rule_validates_with_enough_competences():
    rules = JuryRules(bloc=Threshold(SHARE, 0.8))
    one_short = statuses(CE1_1_1=NOT_ACQUIRED)
    assert propose("alice", "bloc1", one_short, rules).outcome == VALIDATED  # 6 of 7 ≥ 80 %
    two_short = statuses(CE1_1_1=NOT_ACQUIRED, CE1_2_1=NOT_ACQUIRED)
    assert propose("alice", "bloc1", two_short, rules).outcome == NOT_VALIDATED  # 5 of 7 < 80 %


def test_by_default_a_pending_criterion_holds_the_whole_bloc_and_is_named():
    waiting = statuses(CE1_7_3=PENDING, CE1_1_1=NOT_ACQUIRED)
    proposal = propose("alice", "bloc1", waiting, JuryRules())
    assert proposal.outcome == WAITING
    assert "Notes attendues : C1.7 (CE1.7.3)" in proposal.reason
    assert proposal.pending_criteria == ["CE1.7.3"]


def test_with_si_decisif_a_pending_criterion_only_holds_a_proposal_it_can_still_change():
    decided_anyway = propose("alice", "bloc1", statuses(CE1_7_3=PENDING, CE1_1_1=NOT_ACQUIRED), DECISIVE)
    assert decided_anyway.outcome == NOT_VALIDATED  # C1.1 is lost whatever the jury's grid says
    assert by_code(decided_anyway)["C1.7"].status == COMPETENCE_WAITING
    open_question = propose("alice", "bloc1", statuses(CE1_7_3=PENDING), DECISIVE)
    assert open_question.outcome == WAITING and "peuvent encore changer" in open_question.reason


def test_a_competence_with_no_assessed_criterion_is_not_acquired():
    unassessed = {ce.code: NOT_ASSESSED for ce in FIRST.criteria}
    proposal = propose("alice", "bloc1", {**statuses(), **unassessed}, JuryRules())
    assert by_code(proposal)[FIRST.code].status == COMPETENCE_NOT_ASSESSED
    assert proposal.outcome == NOT_VALIDATED and f"Non évaluées (aucun critère noté) : {FIRST.code}" in proposal.reason
    one_unassessed = propose("alice", "bloc1", statuses(CE1_1_1=NOT_ASSESSED), JuryRules())
    assert one_unassessed.outcome == VALIDATED  # the others are all acquired: the unassessed CE is not counted
    assert "CE qu'aucune cellule notée n'évalue (non comptés) : CE1.1.1" in one_unassessed.reason


@pytest.mark.parametrize("student", ["alice", "bruno"])
def test_the_cohort_grid_gives_each_candidate_the_proposal_a_plain_reading_gives(cohort, student):
    """Recomputed another way: a competence is acquired iff none of its CE rows is « non acquis » or pending."""
    proposals = {p.student: p for p in bloc_proposals(cohort.grid, "bloc1", JuryRules())}
    assert set(proposals) == {"alice", "bruno"}
    rows = cohort.grid[(cohort.grid["apprenant"] == student) & (cohort.grid["devoir"] == "bloc1")]
    status = dict(zip(rows["ce"], rows["statut"]))
    if any(s == PENDING for s in status.values()):
        expected = WAITING
    else:
        expected = VALIDATED if all(s == ACQUIRED for s in status.values()) else NOT_VALIDATED
    assert proposals[student].outcome == expected
    if student == "alice":  # 97,5 / 101: only CE1.1.1 lost
        assert expected == NOT_VALIDATED and "C1.1 (CE non acquis : CE1.1.1)" in proposals[student].reason
