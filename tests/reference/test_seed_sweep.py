"""Seed sweep: on any case-data seed, the case a learner gets is fit for the barème.

``mda_checks.assign.case_check`` lists what makes a case unfit (a reference that fails, an
expected value that does not score full, a listed slip — one that earns nothing included —
within the right answer's tolerance, graded as a slip of another credit, or away from its
credit). For many seeds of each bloc (hypothesis, derandomised so CI is reproducible), the
generator must yield a fit case, redrawing at most a few times, and every listed slip must earn
the same credit on every accepted draw (so the same mistake earns the same grade on every
variant); a generator that needs redraws on many seeds has a fault to fix in its data, not to hide.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda_checks.assign import case_check
from mda_checks.assign.case_check import POINTS, assignment_checks, case_problems, graded_slips
from mda_checks.casedata import generate_case, write_case, write_frames
from mda_apprenant.check.expected import Expected, Mistake
from mda_checks.course import bloc_number
from tests.conftest import ASSIGNMENTS, COURSE, examples

#: 20 in make test (examples(): 5 in make test-rapide, enough for its share of redraws, at most 20 %)
SEEDS_PER_BLOC = examples(20)
#: share of seeds whose first draw may be unfit (a rare coincidence of the data, redrawn); more means
#: a generator whose data makes a slip coincide by construction: fix the data, as bloc 2 (year-end closure)
#: and bloc 1 (first-year revenue) were
RARELY_UNFIT = 0.20


def first_draw_problems(assignment: str, seed: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        write_case(bloc_number(assignment), Path(folder), seed=seed)
        return case_problems(COURSE, assignment, folder)


def credit_signature(slips) -> dict:
    """What each listed slip earns on a draw: the credit it is graded by (that of the slip the grader names) and,
    for a single value, its exact share of the points (a table or a list keeps at least its credit)."""
    return {(slip.check, slip.mistake.cause): (slip.named.credit if slip.named else None,
                                               "au moins son crédit" if slip.collection else slip.result.score / POINTS)
            for slip in slips}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_seed_yields_a_fit_case_where_each_listed_slip_earns_the_same(assignment):
    """SEEDS_PER_BLOC seeds (20 in make test): a fit draw, at most a few redraws, and every slip the reference lists (those earning nothing
    included) is listed and earns the same credit on every accepted draw."""
    first_unfit, signatures = [], {}

    @settings(max_examples=SEEDS_PER_BLOC, suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(min_value=0, max_value=2 ** 31 - 1))
    def fit(seed):
        draws = []

        def counted(frames):
            with tempfile.TemporaryDirectory(prefix="mda-variante-") as folder:
                write_frames(frames, Path(folder))
                broken, slips = graded_slips(COURSE, assignment, folder)
            draws.append((broken + [problem for slip in slips if (problem := slip.problem())], slips))
            return draws[-1][0]

        generate_case(bloc_number(assignment), seed, accept=counted)  # raises if no draw is fit
        if draws[0][0]:
            first_unfit.append(f"seed {seed}: {draws[0][0]}")
        signatures[seed] = credit_signature(draws[-1][1])

    fit()
    assert len(first_unfit) <= RARELY_UNFIT * SEEDS_PER_BLOC, "\n".join(first_unfit)
    differing = differing_credits(signatures)
    assert not differing, "\n".join(differing[:20])


def differing_credits(signatures: dict[int, dict]) -> list[str]:
    """The listed slips that are not listed, or do not earn the same, on every draw (seed -> credit_signature)."""
    (first_seed, first), *others = signatures.items()
    return [f"seed {seed} / {first_seed}, {key}: {signature.get(key, 'absente')} / {first.get(key, 'absente')}"
            for seed, signature in others for key in sorted(set(signature) | set(first), key=str)
            if signature.get(key, "absente") != first.get(key, "absente")]


def test_a_slip_listed_on_some_draws_only_or_earning_another_credit_is_reported():
    half, none = (0.5, 0.5), (0.0, 0.0)
    same = {1: {("q", "cause"): half}, 2: {("q", "cause"): half}}
    assert differing_credits(same) == []
    assert differing_credits({1: {("q", "cause"): half}, 2: {}})  # listed on one draw only
    assert differing_credits({1: {("q", "cause"): half}, 2: {("q", "cause"): none}})  # graded as another credit


def test_the_committed_case_is_fit():
    for assignment in ASSIGNMENTS:
        assert case_problems(COURSE, assignment, COURSE.source / assignment / "data") == [], assignment


def test_a_slip_that_gives_the_right_number_makes_the_case_unfit(monkeypatch):
    assignment = ASSIGNMENTS[0]
    target = assignment_checks(COURSE, assignment)[0].grade_id
    real = case_check.reference_expected

    def with_twin(*args):
        expected_of = real(*args)

        def patched(key):
            expected = expected_of(key)
            if key != target:
                return expected
            twin = Mistake(expected.value, "jumelle de la bonne réponse.", "ht_ttc")
            return Expected(expected.value, mistakes=[*expected.mistakes, twin], tolerance=expected.tolerance)
        return patched

    monkeypatch.setattr(case_check, "reference_expected", with_twin)
    broken = first_draw_problems(assignment, seed=7)
    assert len(broken) == 1 and target in broken[0] and "within the right answer's tolerance" in broken[0]


def test_a_slip_away_from_its_credit_makes_the_case_unfit(monkeypatch):
    """A mistake the grader would not recognise (another value wins) is reported too."""
    assignment = ASSIGNMENTS[0]
    check = next(c for c in assignment_checks(COURSE, assignment) if c.spec.kind == "Amount")
    real = case_check.reference_expected

    def with_unreachable(*args):
        expected_of = real(*args)

        def patched(key):
            expected = expected_of(key)
            if key != check.grade_id:
                return expected
            # the same value twice: the second, with another credit, is never what the grader says
            first = Mistake(expected.value * 3, "première cause.", "methode")
            second = Mistake(expected.value * 3, "seconde cause.", "ht_ttc")
            return Expected(expected.value, mistakes=[first, second])
        return patched

    monkeypatch.setattr(case_check, "reference_expected", with_unreachable)
    broken = first_draw_problems(assignment, seed=7)
    assert any(check.grade_id in line and "seconde cause" in line for line in broken), broken


def test_a_table_slip_graded_as_another_slip_of_another_credit_makes_the_case_unfit(monkeypatch):
    """Two listed slips of a table that give the same values: the second is graded by the first's credit."""
    assignment = ASSIGNMENTS[0]
    check = next(c for c in assignment_checks(COURSE, assignment) if c.spec.kind == "Table"
                 and c.spec.settings.get("unit") in ("rate", "amount") and not c.spec.carried_inputs)
    real = case_check.reference_expected

    def with_twins(*args):
        expected_of = real(*args)

        def patched(key):
            expected = expected_of(key)
            if key != check.grade_id:
                return expected
            wrong = expected.value * 3
            return Expected(expected.value, mistakes=[Mistake(wrong, "cause à moitié.", "ht_ttc"),
                                                      Mistake(wrong, "cause sans crédit.", "methode")])
        return patched

    monkeypatch.setattr(case_check, "reference_expected", with_twins)
    broken = first_draw_problems(assignment, seed=7)
    assert any(check.grade_id in line and "cause sans crédit" in line and "credit 0.5" in line for line in broken), broken


if __name__ == "__main__":  # survey: python -m tests.reference.test_seed_sweep bloc1 … (first draws of 40 seeds)
    for name in sys.argv[1:] or ASSIGNMENTS:
        for seed in range(40):
            for line in first_draw_problems(name, seed):
                print(name, seed, line)
