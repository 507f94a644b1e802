"""What the grader compares an answer with: the expected value and known mistakes.

Only the grader builds these objects, from the case data, through the grader-only
reference code, outside the learner's kernel: nothing in the learners' copies holds one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

from mda_apprenant.bareme import SlipKind, Tolerance, slip as slip_kind


@dataclass(frozen=True)
class Mistake:
    """A classic wrong result, recognised so the message can name its likely cause.

    ``cause`` completes the sentence « Cause probable : … » and must never quote
    the expected value. ``slip`` names its kind in the barème (``mda_apprenant.bareme.SLIPS``),
    which alone decides the share of the points it keeps.
    """

    value: Any
    cause: str
    slip: str

    def __post_init__(self) -> None:
        slip_kind(self.slip)  # an unknown slip is a bug of the reference: fail at once

    @property
    def kind(self) -> SlipKind:
        return slip_kind(self.slip)

    @property
    def credit(self) -> float:
        return self.kind.credit


@dataclass(frozen=True)
class Expected:
    """The expected value of one question, its tolerance and its known mistakes."""

    value: Any
    mistakes: Sequence[Mistake] = field(default_factory=tuple)
    tolerance: Tolerance | None = None
    #: a hint shown when the answer is wrong for an unrecognised reason
    hint: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
