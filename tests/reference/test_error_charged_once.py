"""Authoring test: in every bloc, an error carried forward is charged once, where it was made.

For every carried check of the masters and each earlier result it is carried on, that result is
made wrong — with each mistake the reference recognises for it, worked on the right earlier
results, and with a generic wrong value of its form — and a learner who answers the rest of the
notebook consistently from it is graded (``tests/reference/forward.py``): the check of the wrong
result alone loses points. The last tests show the check failing on a question graded without
``Carried``, a workbook's included. Figures alone are left out (``forward.FIGURES``): graded on their form,
never on a value an earlier result changes.
"""
from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from tests.conftest import ASSIGNMENTS, COURSE
from tests.reference.forward import FIGURES, carried_forward, charged_elsewhere, notebook_checks, wrong_values


@cache
def expected_of(assignment: str):
    reference = reference_expected(COURSE.root, assignment, COURSE.source / assignment / "data")
    return cache(reference)


@cache
def checks_of(assignment: str, notebook: str):
    return notebook_checks(COURSE.read_source(assignment)[notebook])


def carried_inputs(assignment: str) -> list[tuple[str, str, str]]:
    """(assignment, notebook, learner variable) of every earlier result a check of the masters is carried on."""
    found = []
    for notebook in COURSE.read_source(assignment):
        checks = checks_of(assignment, notebook)
        kinds = {check.spec.variable: check.spec.kind for check in checks}
        used = dict.fromkeys(var for check in checks for _, var in check.spec.carried_from)
        found += [(assignment, notebook, var) for var in used if kinds[var] not in FIGURES]
    return found


INPUTS = [pytest.param(*entry, id="-".join(entry)) for a in ASSIGNMENTS for entry in carried_inputs(a)]


def upstream_mistakes(assignment: str, notebook: str, variable: str):
    """The check of ``variable`` and the wrong values to try for it (its known mistakes, a generic one)."""
    checks, right = checks_of(assignment, notebook), RightAnswers(expected_of(assignment))
    for check in checks:
        _, resolved = right.of(check.grade_id, check.spec)
        if check.spec.variable == variable:
            return check, wrong_values(check.spec, resolved.mistakes, resolved.value)
    raise KeyError(variable)


@pytest.mark.parametrize("assignment, notebook, variable", INPUTS)
def test_an_error_carried_forward_is_charged_once(assignment, notebook, variable):
    upstream, tries = upstream_mistakes(assignment, notebook, variable)
    assert len(tries) >= 1
    problems = []
    for what, wrong in tries:
        results = carried_forward(checks_of(assignment, notebook), expected_of(assignment), variable, wrong)
        problems += [f"{variable} = {what} → {line}" for line in charged_elsewhere(results, upstream.grade_id)]
    assert not problems, "\n".join(problems)


def test_the_check_fails_on_a_question_graded_without_carried():
    """The safety index graded on its right answer (as if its check cell declared no ``Carried``): a learner whose
    safety margin is wrong, and whose index follows from it, loses the index too — the test reports it."""
    assignment, notebook = "bloc1", "04_budget_rentabilite"
    upstream, tries = upstream_mistakes(assignment, notebook, "marge_securite")

    def not_carried(check):
        if check.grade_id != "indice_securite":
            return check.spec, None
        right = RightAnswers(expected_of(assignment))
        resolved = next(r for c in checks_of(assignment, notebook) for _, r in [right.of(c.grade_id, c.spec)]
                        if c.grade_id == check.grade_id)
        return dataclasses.replace(check.spec, carried_inputs=None, carried_from=()), resolved

    for what, wrong in tries:
        results = carried_forward(checks_of(assignment, notebook), expected_of(assignment), "marge_securite", wrong,
                                  grade_as=not_carried)
        assert [line.split(":")[0] for line in charged_elsewhere(results, upstream.grade_id)] == ["indice_securite"], what
        carried = carried_forward(checks_of(assignment, notebook), expected_of(assignment), "marge_securite", wrong)
        assert charged_elsewhere(carried, upstream.grade_id) == [], what


def test_the_check_fails_on_a_workbook_graded_without_carried():
    """The Excel export graded on the right budget summary (as if its check cell declared no ``Carried``): a learner
    whose summary is wrong, and who exports it, loses the workbook too — the test reports it; carried, it does not."""
    assignment, notebook = "bloc1", "04_budget_rentabilite"
    upstream, tries = upstream_mistakes(assignment, notebook, "synthese_budget")

    def not_carried(check):
        if check.grade_id != "export_excel":
            return check.spec, None
        right = RightAnswers(expected_of(assignment))
        resolved = next(r for c in checks_of(assignment, notebook) for _, r in [right.of(c.grade_id, c.spec)]
                        if c.grade_id == check.grade_id)
        return dataclasses.replace(check.spec, carried_inputs=None, carried_from=()), resolved

    assert len(tries) >= 2
    for what, wrong in tries:
        results = carried_forward(checks_of(assignment, notebook), expected_of(assignment), "synthese_budget", wrong,
                                  grade_as=not_carried)
        assert "export_excel" in [line.split(":")[0] for line in charged_elsewhere(results, upstream.grade_id)], what
        carried = carried_forward(checks_of(assignment, notebook), expected_of(assignment), "synthese_budget", wrong)
        assert not isinstance(carried["export_excel"], str) and carried["export_excel"].score == 1, what
        assert charged_elsewhere(carried, upstream.grade_id) == [], what
