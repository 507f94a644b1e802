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

from mda_apprenant.check.base import Answer, InvalidAnswer
from mda_apprenant.check.cell_errors import CellError
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.result import CheckResult, Status


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

    def handed_answer(self) -> Answer:
        return self.answer

    def coerce(self) -> Any:
        return self.answer.coerce()

    def preview(self, value: Any) -> str:
        return self.answer.preview(value)

    def advise(self, value: Any) -> str | None:
        return self.answer.advise(value)

    def _derive(self, function: Callable[..., Any], inputs: dict[str, Any] | None = None) -> Any:
        inputs = self.inputs if inputs is None else inputs
        names = ", ".join(inputs)
        failed = [name for name, value in inputs.items() if isinstance(value, CellError)]
        if failed:
            raise InvalidAnswer(
                f"Cette réponse s'appuie sur un résultat précédent ({', '.join(failed)}) dont la cellule a levé une "
                "erreur : elle ne peut pas être vérifiée.",
                "Corrigez d'abord la question précédente, puis réexécutez cette cellule.",
                Status.RAISED,
            )
        if any(value is Ellipsis for value in inputs.values()):
            raise InvalidAnswer(
                f"Cette réponse s'appuie sur un résultat précédent ({names}) qui n'est pas encore calculé.",
                "Traitez d'abord la question précédente, puis réexécutez cette cellule.",
                Status.MISSING,
            )
        try:
            return function(**inputs)
        except Exception:  # noqa: BLE001 - any failure of the learner's inputs is an invalid answer
            raise InvalidAnswer(
                f"Le résultat précédent ({names}) n'a pas la forme demandée : cette réponse ne peut pas être vérifiée.",
                "Reprenez la question précédente : sa cellule de vérification indique la forme attendue.",
            ) from None

    def readings(self) -> list[dict[str, Any]]:
        """The earlier results this answer may follow from: the learner's own first, then, when the grader knows
        the right ones (``direct.inputs``), each of the learner's that differs taken as it should be.

        A wrong earlier result is not always reused as it is: a margin rate computed with a wrong formula
        from the right cost leaves the cost right, and a later margin computed from that cost is right too.
        """
        right = getattr(self.direct, "inputs", None) or {}
        differing = [name for name, value in self.inputs.items()  # one not handed over stays missing: say so
                     if name in right and value is not Ellipsis and not _same(value, right[name])]
        found = []
        for mask in range(2 ** len(differing)):
            taken_right = {name for k, name in enumerate(differing) if mask >> k & 1}
            found.append({name: right[name] if name in taken_right else value for name, value in self.inputs.items()})
        return found

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
        """The best grade over the readings of the earlier results (the learner's own reading first)."""
        best, problem = None, None
        for inputs in self.readings():
            try:
                result = self._compare_on(value, expected, points, inputs)
            except InvalidAnswer as unreadable:
                problem = problem or unreadable
                continue
            if best is None or result.score > best.score:
                best = result
            if best.score >= points:
                break
        if best is None:
            raise problem
        return best

    def _compare_on(self, value: Any, expected: Expected, points: float, inputs: dict[str, Any]) -> CheckResult:
        known = self._already_derived(expected, inputs)
        derived_value = known.value if known is not None else self._derive(expected.value, inputs)
        if _is_empty(derived_value):
            return self.result(Status.WRONG, "Vos résultats précédents ne donnent aucun élément : la liste attendue "
                                             "à partir d'eux est vide.", 0.0, points, expected.hint)
        mistakes = list(known.mistakes) if known is not None else [
            Mistake(self._derive(m.value, inputs) if callable(m.value) else m.value, m.cause, m.slip)
            for m in expected.mistakes]
        derived = Expected(derived_value, mistakes=[m for m in mistakes if not _is_empty(m.value)],  # none to match
                           tolerance=expected.tolerance, hint=expected.hint)
        return self.answer.compare(value, derived, points)

    def _already_derived(self, expected: Expected, inputs: dict[str, Any]) -> Expected | None:
        """``direct`` when it is ``expected``'s functions already applied to these very objects (the grader's
        ``RightAnswer``, ``resolved_from`` and ``inputs``): deriving again would give it back, at the cost of one
        call of the reference per value and per listed slip. Only the very objects count, never equal ones."""
        direct = self.direct
        if direct is None or getattr(direct, "resolved_from", None) is not expected:
            return None
        right = getattr(direct, "inputs", None) or {}
        if right.keys() != inputs.keys() or any(inputs[name] is not right[name] for name in inputs):
            return None
        return direct


def _same(value: Any, other: Any) -> bool:
    """Whether a learner's earlier result is the right one (the very object, or an equal value)."""
    if value is other:
        return True
    try:
        if isinstance(value, (pd.Series, pd.DataFrame)) or isinstance(other, (pd.Series, pd.DataFrame)):
            return type(value) is type(other) and value.equals(other)
        return bool(value == other)
    except Exception:  # noqa: BLE001 - values of other forms are not the same
        return False


def _is_empty(value: Any) -> bool:
    """An empty list of items (a selection of nobody), as a learner or a carried reference gives it."""
    return isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)) and len(value) == 0


__all__ = ["Carried"]
