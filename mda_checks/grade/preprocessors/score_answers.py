"""ScoreAnswers: the trusted second phase of grading, an nbgrader preprocessor run after Execute.

It asks the learner's case (``variants.learner_case``) for the data to compute the expected
values from, then scores every check cell with ``mda_checks.scoring`` in a bounded child process;
whatever the kernel printed in a check cell is replaced by its one score.
"""
from __future__ import annotations

import os
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, Unicode

from mda_apprenant.check.result import CheckResult
from mda_checks.config import GRADING_LIMITS
from mda_checks.copies.handovers import handover_of, keep_handover
from mda_checks.course import Course
from mda_checks.notebook import cells
from mda_checks.scoring.bounded_scoring import ScoringLimits, Unfinished, run_bounded
from mda_checks.scoring.reference import REFERENCE_PACKAGE, ExpectedOf, reference_expected
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.score_cells import score_check, unfinished, write_score
from mda_checks.variants.learner_case import learner_case


class ScoreAnswers(NbGraderPreprocessor):
    """Score the answers handed over by the learner's kernel, outside it (after Execute).

    Each notebook is scored in a child process with limits of processor time and memory
    (``bounded_scoring``): no hand-over can stall or exhaust the process that grades it."""

    reference_root = Unicode("", help="Folder that holds the grader-only reference package").tag(config=True)
    reference_package = Unicode(REFERENCE_PACKAGE, help="Grader-only reference package").tag(config=True)
    case_data = Unicode("source/{assignment}/data",
                        help="Folder of the case data an assignment's expected values are computed from "
                             "({assignment} and {student} are replaced)").tag(config=True)
    bounded = Bool(hasattr(os, "fork"), help="Score each notebook in a child process under the limits below "
                                             "(off: in this process, without limits)").tag(config=True)
    cell_cpu_seconds = Float(GRADING_LIMITS.scoring_cell_cpu_seconds,
                             help="Processor seconds the scoring of one check cell may use").tag(config=True)
    notebook_cpu_seconds = Integer(GRADING_LIMITS.scoring_cpu_seconds,
                                   help="Processor seconds the scoring of one notebook may use").tag(config=True)
    memory_bytes = Integer(GRADING_LIMITS.scoring_memory_bytes,
                           help="Memory the scoring of one notebook may add to this process").tag(config=True)
    wall_seconds = Integer(GRADING_LIMITS.scoring_wall_seconds,
                           help="Wall-clock seconds the scoring of one notebook may last").tag(config=True)

    def expected_of(self, info: dict) -> ExpectedOf:
        """The expected answers of this learner's case (the reference is loaded here, once per process)."""
        case = learner_case(Course(Path(self.reference_root or ".").resolve()), info["assignment"], info["student"])
        if case.is_variant:  # the learner's own case, regenerated and verified
            folder = case.folder
        else:
            folder = Path(self.case_data.format(assignment=info["assignment"], student=info["student"]))
            if not folder.is_absolute():
                folder = Path(self.reference_root) / folder
        return reference_expected(self.reference_root or ".", info["assignment"], folder, self.reference_package)

    @property
    def limits(self) -> ScoringLimits:
        return ScoringLimits(self.cell_cpu_seconds, self.notebook_cpu_seconds, self.memory_bytes, self.wall_seconds)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        right_answers = RightAnswers(self.expected_of(resources["nbgrader"]))
        checks = [cell for cell in nb.cells if cells.is_autograded_test(cell)]
        outcomes = run_bounded(checks, lambda cell: score_check(cell, right_answers), self.limits, fork=self.bounded)
        for cell, outcome in zip(checks, outcomes):
            if isinstance(outcome, Unfinished):
                outcome = unfinished(cell, outcome.reason)
            if outcome["bug"]:
                self.log.error("%s", outcome["bug"])
            handed = handover_of(cell) if outcome.get("kept") else None  # read before write_score replaces it
            write_score(cell, CheckResult.from_data(outcome["result"]), outcome["problem"])
            keep_handover(cell, handed)  # copy detection keeps the hand-over the cell was scored on
        return nb, resources
