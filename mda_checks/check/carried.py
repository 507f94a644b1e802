"""Answers graded on the learner's own earlier results (error carried forward).

When a question builds on an earlier answer (segments from RFM scores, a total by
segment from those segments), a mistake made upstream should cost points once,
where it was made. ``Carried`` wraps any answer kind with the learner's earlier
results; the grader's reference gives, instead of a value, the function that
turns those results into the expected answer.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from mda_checks.check.base import Answer, InvalidAnswer
from mda_checks.check.expected import Expected, Mistake
from mda_checks.check.result import CheckResult, Status


class Carried(Answer):
    """``answer`` graded against what the learner's earlier results ``inputs`` imply.

    ``Carried(Table("Segments", segments), scores=scores_rfm)``: the expected value
    is ``derive(scores=scores_rfm)``, where ``derive`` is the reference's function.
    """

    def __init__(self, answer: Answer, **inputs: Any):
        super().__init__(answer.label, answer.value)
        self.answer = answer
        self.inputs = inputs
        self.expects = answer.expects

    def handover_value(self) -> Any:
        return self.answer.handover_value()

    def coerce(self) -> Any:
        return self.answer.coerce()

    def preview(self, value: Any) -> str:
        return self.answer.preview(value)

    def advise(self, value: Any) -> str | None:
        return self.answer.advise(value)

    def _derive(self, function: Callable[..., Any]) -> Any:
        names = ", ".join(self.inputs)
        if any(value is Ellipsis for value in self.inputs.values()):
            raise InvalidAnswer(
                f"Cette réponse s'appuie sur un résultat précédent ({names}) qui n'est pas encore calculé.",
                "Traitez d'abord la question précédente, puis réexécutez cette cellule.",
                Status.MISSING,
            )
        try:
            return function(**self.inputs)
        except Exception:
            raise InvalidAnswer(
                f"Le résultat précédent ({names}) n'a pas la forme demandée : cette réponse ne peut pas être vérifiée.",
                "Reprenez la question précédente : sa cellule de vérification indique la forme attendue.",
            ) from None

    #: the right answer from the right earlier results, when the grader knows it (``AnswerSpec.build``)
    direct: Expected | None = None

    def grade(self, expected: Expected | Any, points: float) -> CheckResult:
        """An empty list is no answer, except where the learner's own earlier results give none (nobody
        overloaded by their rates): then it is the right one."""
        if _is_empty(self.value) and isinstance(expected, Expected) and callable(expected.value):
            try:
                derived = self._derive(expected.value)
            except InvalidAnswer:
                derived = None
            if derived is not None and _is_empty(derived):
                return self.result(Status.CORRECT, "Aucun élément : c'est ce que donnent vos résultats précédents. "
                                                   "C'est juste.", points, points)
        return super().grade(expected, points)

    def compare(self, value: Any, expected: Expected, points: float) -> CheckResult:
        """Graded on the learner's earlier results; an answer recomputed from the data is right too."""
        try:
            carried = self._compare_carried(value, expected, points)
        except InvalidAnswer as problem:  # the earlier result is missing or unreadable
            if self.direct is None:
                raise
            direct = self.answer.compare(value, self.direct, points)
            if direct.score > 0:
                return direct
            raise problem from None
        if self.direct is None or carried.score >= points:
            return carried
        direct = self.answer.compare(value, self.direct, points)
        return direct if direct.score > carried.score else carried

    def _compare_carried(self, value: Any, expected: Expected, points: float) -> CheckResult:
        if _is_empty(derived_value := self._derive(expected.value)):
            return self.result(Status.WRONG, "Vos résultats précédents ne donnent aucun élément : la liste attendue "
                                             "à partir d'eux est vide.", 0.0, points, expected.hint)
        mistakes = [Mistake(self._derive(m.value) if callable(m.value) else m.value, m.cause, m.slip)
                    for m in expected.mistakes]
        derived = Expected(derived_value, mistakes=[m for m in mistakes if not _is_empty(m.value)],  # none to match
                           tolerance=expected.tolerance, hint=expected.hint)
        return self.answer.compare(value, derived, points)


def _is_empty(value: Any) -> bool:
    """An empty list of items (a selection of nobody), as a learner or a carried reference gives it."""
    return isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)) and len(value) == 0


__all__ = ["Carried"]
