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

from mda_checks.check.base import Answer, InvalidAnswer
from mda_checks.check.cell_errors import CellError
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
        failed = [name for name, value in self.inputs.items() if isinstance(value, CellError)]
        if failed:
            raise InvalidAnswer(
                f"Cette réponse s'appuie sur un résultat précédent ({', '.join(failed)}) dont la cellule a levé une "
                "erreur : elle ne peut pas être vérifiée.",
                "Corrigez d'abord la question précédente, puis réexécutez cette cellule.",
                Status.RAISED,
            )
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
        derived = Expected(
            self._derive(expected.value),
            mistakes=[Mistake(self._derive(m.value) if callable(m.value) else m.value, m.cause, m.slip)
                      for m in expected.mistakes],
            tolerance=expected.tolerance,
            hint=expected.hint,
        )
        return self.answer.compare(value, derived, points)


__all__ = ["Carried"]
