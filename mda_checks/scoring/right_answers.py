"""The right answer of every check cell of a notebook, and what the learner handed over, carried ones included.

A carried check (``Carried(Amount(…), seuil_rentabilite=seuil_rentabilite)``) is graded on
the learner's own earlier results: the values their earlier check cells handed over, and were
graded on (never values a later cell sends again: a learner could change a variable between
the two cells and choose the inputs that suit them). Its reference gives a function of those
results. Applied to the *right* earlier results, the same function gives the right answer from
the data: a learner who recomputed it from the data, whatever their earlier answer, is right
too, and the case checks and leak tests can see that value. Check cells are visited in notebook
order, so every earlier answer is known when a later check needs it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mda_apprenant.check.expected import Expected, Mistake
from mda_checks.scoring.answer_spec import AnswerSpec


@dataclass(frozen=True)
class RightAnswer(Expected):
    """The right answer of a carried check, and the right earlier results it follows from (a learner's earlier
    result wrong for a reason this answer does not reuse is read as it should be: ``Carried.readings``)."""

    inputs: dict[str, Any] = field(default_factory=dict)
    #: the carried expectation (functions of the earlier results) this answer is computed from, on ``inputs``
    resolved_from: Expected | None = field(default=None, compare=False, repr=False)


def resolve_carried(expected: Expected, inputs: dict[str, Any]) -> Expected:
    """A carried expectation as plain values, computed from `inputs` (earlier results by name)."""
    if not callable(expected.value):
        return expected
    return RightAnswer(expected.value(**inputs), tolerance=expected.tolerance, hint=expected.hint,
                       mistakes=[Mistake(m.value(**inputs) if callable(m.value) else m.value, m.cause, m.slip)
                                 for m in expected.mistakes], inputs=dict(inputs), resolved_from=expected)


class RightAnswers:
    """Visit a notebook's check cells in order: what each is graded against, and its right answer."""

    def __init__(self, expected_of: Callable[[str], Expected]):
        self.expected_of = expected_of
        self.values: dict[str, Any] = {}  # learner variable -> its right value
        self.given: dict[str, Any] = {}   # learner variable -> what its check cell handed over

    def learner_inputs(self, spec: AnswerSpec) -> dict[str, Any]:
        """A carried check's inputs: the learner's earlier results as graded (« ... » when not handed over)."""
        return {name: self.given.get(variable, Ellipsis) for name, variable in spec.carried_from}

    def of(self, grade_id: str, spec: AnswerSpec) -> tuple[Expected, Expected | None]:
        """(the expectation the cell is graded against, the right answer as plain values or None)."""
        graded = self.expected_of(grade_id)
        right: Expected | None = graded
        if callable(graded.value):
            try:
                right = resolve_carried(graded, {name: self.values[variable] for name, variable in spec.carried_from})
            except Exception:  # noqa: BLE001 - an earlier right answer unknown: graded on the learner's results only
                right = None
        if right is not None and spec.variable:
            self.values[spec.variable] = right.value
        return graded, right
