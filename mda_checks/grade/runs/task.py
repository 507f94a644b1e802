"""What a grading worker receives and sends back: small picklable values, no open resources.

A task names one submission (learner × assignment); its result carries everything the
parent needs to write the gradebook and ``autograded/``, so a worker never writes either.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mda_checks.config import GradingLimits
from mda_checks.grade.autograde import NotebookOutcome


@dataclass(frozen=True)
class GradingTask:
    """Grade one learner's submission of one assignment."""

    course_root: str
    student: str
    assignment: str
    template: bytes = field(repr=False)  # the worker's SQLite gradebook (mda_checks.grade.gradebook_template)
    cell_timeout: int
    limits: GradingLimits
    sandbox_mode: str         # see mda_checks.grade.sandbox.isolation
    fingerprint: str          # of the submitted files, stored once the result is written

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.assignment


@dataclass(frozen=True)
class CellGrade:
    """One row of nbgrader's Grade table for a submission (a graded cell)."""

    notebook: str
    grade_id: str
    auto_score: float | None
    manual_score: float | None
    extra_credit: float | None
    needs_manual_grade: bool


@dataclass(frozen=True)
class CellComment:
    """One row of nbgrader's Comment table (an answer or task cell)."""

    notebook: str
    grade_id: str
    auto_comment: str | None
    manual_comment: str | None


@dataclass
class TaskResult:
    """A graded submission, or the reason it could not be graded (``error``)."""

    task: GradingTask
    outcomes: list[NotebookOutcome] = field(default_factory=list)
    grades: list[CellGrade] = field(default_factory=list)
    comments: list[CellComment] = field(default_factory=list)
    timestamp: datetime | None = None
    late_penalties: dict[str, float | None] = field(default_factory=dict)  # notebook -> penalty
    files: dict[str, bytes] = field(default_factory=dict)  # autograded/<student>/<assignment>/<path>
    seconds: float = 0.0
    error: str = ""   # French, for the trainer (mda_checks.grade.reasons)
    detail: str = ""  # the technical detail of `error`, for the journal only

    @property
    def ok(self) -> bool:
        return not self.error
