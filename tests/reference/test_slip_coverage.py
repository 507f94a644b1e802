"""Every numeric check lists the classic slips its question invites, so the seed sweep can keep out the variants
where one of them gives the right answer (the same mistake, the same grade on every variant).

A number, a table of numbers or a date computed by the learner is exposed to at least one classic slip (a rounding
rule, a day count, HT/TTC, the base of a rate, the direction of a ranking, a wrong perimeter …): a check whose
reference lists none is either an oversight or in ``NO_CLASSIC_SLIP``, with the reason."""
from __future__ import annotations

import dataclasses

import pytest

from mda_checks.assign.case_check import assignment_checks
from mda_checks.scoring.reference import reference_expected
from mda_checks.scoring.right_answers import RightAnswers
from tests.conftest import ASSIGNMENTS, COURSE

#: answer kinds whose value is a number, a date, or a table of them (a Table is numeric when it has a unit)
NUMERIC_KINDS = {"Amount", "Rate", "Ratio", "Quantity", "Duration", "DateValue", "DateTable"}

#: numeric checks with no listed slip, and why none can be listed
NO_CLASSIC_SLIP = {
    ("bloc1", "scores_prospects"): "carried from the learner's own ICP profile, each score a sum of three weights the "
                                   "statement gives (40, 35, 25): a wrong match costs its share of rows, and no other "
                                   "formula is invited",
}


def is_numeric(spec) -> bool:
    return spec.kind in NUMERIC_KINDS or (spec.kind == "Table" and spec.settings.get("unit") is not None)


def uncovered(assignment: str, expected_of=None) -> list[str]:
    """The numeric checks of `assignment` whose reference lists no slip on the committed case."""
    expected_of = expected_of or reference_expected(COURSE.root, assignment, COURSE.source / assignment / "data")
    right_answers = RightAnswers(expected_of)
    found = []
    for check in assignment_checks(COURSE, assignment):  # every check, in order: a carried one reads earlier answers
        _, expected = right_answers.of(check.grade_id, check.spec)
        assert expected is not None, f"{check.grade_id} : le corrigé ne calcule pas la bonne réponse"
        if is_numeric(check.spec) and not expected.mistakes:
            found.append(check.grade_id)
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_numeric_check_lists_a_classic_slip(assignment):
    exempt = {grade_id for (bloc, grade_id) in NO_CLASSIC_SLIP if bloc == assignment}
    assert set(uncovered(assignment)) == exempt, "chaque contrôle numérique liste au moins une erreur classique"


def test_the_exemptions_are_numeric_checks_of_the_course():
    """An exemption names a check that exists and is numeric (a stale entry would hide nothing, and mislead)."""
    for (assignment, grade_id), reason in NO_CLASSIC_SLIP.items():
        specs = {check.grade_id: check.spec for check in assignment_checks(COURSE, assignment)}
        assert grade_id in specs and is_numeric(specs[grade_id]) and len(reason) > 40, (assignment, grade_id)


def test_a_numeric_check_whose_slips_are_dropped_is_reported():
    """The guard fails on a reference that lists no slip for a numeric check (its slips removed here)."""
    real = reference_expected(COURSE.root, "bloc1", COURSE.source / "bloc1" / "data")

    def without_slips(grade_id):
        expected = real(grade_id)
        return dataclasses.replace(expected, mistakes=[]) if grade_id == "ltv_cac" else expected

    assert "ltv_cac" not in uncovered("bloc1", real)
    assert "ltv_cac" in uncovered("bloc1", without_slips)
