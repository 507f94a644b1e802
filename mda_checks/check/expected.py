"""What the grader compares an answer with: the expected value and known mistakes.

Only the grader builds these objects, from the case data, through the grader-only
reference code, outside the learner's kernel: nothing in the learners' copies holds one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mda_checks.config import Tolerance


@dataclass(frozen=True)
class Mistake:
    """A classic wrong result, recognised so the message can name its likely cause.

    ``cause`` completes the sentence « Cause probable : … » and must never quote
    the expected value. ``credit`` is the share of the points the mistake keeps.
    """

    value: Any
    cause: str
    credit: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.credit < 1.0:
            raise ValueError("a mistake keeps between 0 (included) and 1 (excluded) of the points")


@dataclass(frozen=True)
class Expected:
    """The expected value of one question, its tolerance and its known mistakes."""

    value: Any
    mistakes: tuple[Mistake, ...] = field(default_factory=tuple)
    tolerance: Tolerance | None = None
    #: a hint shown when the answer is wrong for an unrecognised reason
    hint: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
