"""Grade a whole cohort: plan the submissions, grade them in parallel, write them in one place.

    plan = plan_grading(course, ["bloc1"], force=False)   # what to grade, what to skip
    run = run_grading(course, plan, workers=2)            # parallel, sandboxed, robust

The pipeline, in order: (1) the workers' gradebook template is read from the live
gradebook through nbgrader's API (SQLite or PostgreSQL; each task carries its learner's
gradebook as bytes, a worker never opens the live one); (2) the sandbox is chosen once;
(3) tasks go to the executor, at most two per worker in flight; (4) each result is written by the one
``GradebookWriter`` as it arrives; (5) the journal is rewritten from the saved state. Group assignments
(``mda_checks.groups``, two hooks): only each group's submission is planned, and after grading the
groups' grades are written for their members.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from mda_checks.config import GRADING_LIMITS, GradingLimits
from mda_checks.course import Course
from mda_checks.grade.autograde import FAILED, NotebookOutcome, journal_path, submitted_students
from mda_checks.grade.gradebook_template import GradebookTemplates
from mda_checks.grade.journal import write_journal
from mda_checks.grade.runs.pool import local_grading_slots, process_pool, run_tasks
from mda_checks.grade.reasons import exception_words
from mda_checks.grade.runs.run_lock import exclusive_run
from mda_checks.grade.sandbox.isolation import Sandbox, detect_sandbox
from mda_checks.grade.runs.state import GradingState, fingerprint, grader_changed, grader_fingerprint
from mda_checks.grade.runs.task import GradingTask, TaskResult
from mda_checks.grade.ungraded import UngradedNotebook, ungraded_notebooks
from mda_checks.grade.runs.writer import GradebookWriter, graded_folder_exists
from mda_checks.groups.grading import after_grading, graded_students
from mda_checks.nbgrader_api import course_api
from mda_checks.statuses import CopyOutcome

SKIPPED = CopyOutcome.SKIPPED  # a copy left as it was (unchanged since its last grading)


@dataclass
class GradingPlan:
    """Submissions to grade and those left as they are (already graded, unchanged)."""

    assignments: list[str]
    to_grade: list[tuple[str, str, str]]   # (student, assignment, fingerprint)
    skipped: list[tuple[str, str]]
    db_url: str
    cell_timeout: int
    grader_changed: int = 0  # copies graded again only because the grader (checks, config, versions …) changed


@dataclass
class CohortRun:
    """What a run did: counts per assignment and the reason of every failure."""

    sandbox: Sandbox
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # assignment -> {CopyOutcome.GRADED: n, ...}
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (student, assignment, reason)
    notebooks_graded: int = 0
    #: notebooks of this run whose grading failed (dead kernel, wall clock …): graded again next run
    notebook_failures: list[NotebookOutcome] = field(default_factory=list)
    #: every notebook non corrigé of the run's assignments once it is over (``mda_checks.grade.ungraded``: the
    #: one definition the reports, the dashboard and the jury's workbook read too)
    ungraded: list[UngradedNotebook] = field(default_factory=list)
    #: group assignments: what ``mda_checks.groups`` propagated and found (superseded, conflicts …)
    groups: list = field(default_factory=list)
    #: (learner, assignment) -> the technical detail of a failed copy (journal only)
    failure_details: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every submission and every notebook of the run's assignments is graded."""
        return not self.failures and not self.ungraded
    journal: Path | None = None

    def count(self, assignment: str, what: str) -> None:
        row = self.counts.setdefault(assignment, {outcome: 0 for outcome in CopyOutcome})
        row[what] += 1


def _settings_key(cell_timeout: int, limits: GradingLimits) -> str:
    return f"timeout={cell_timeout};{limits}"


def plan_grading(course: Course, assignments: list[str] | None = None, force: bool = False,
                 cell_timeout: int | None = None, limits: GradingLimits = GRADING_LIMITS) -> GradingPlan:
    """Which submissions under submitted/ need grading; French errors for unknown assignments."""
    known = course.assignments()
    chosen = assignments or known
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise ValueError(f"devoir(s) inconnu(s) : {', '.join(unknown)} (devoirs du cours : {', '.join(known)})")
    api = course_api(course.root)
    db_url = api.coursedir.db_url
    timeout = int(cell_timeout or api.config.Execute.get("timeout", 30))
    with Gradebook(db_url) as gb:
        for assignment in chosen:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                raise ValueError(f"le devoir {assignment} n'est pas dans le carnet de notes : lancez d'abord `mda build`") from None
    state = GradingState.of(course)
    settings = _settings_key(timeout, limits)
    to_grade, skipped, changed = [], [], 0
    for assignment in chosen:
        grader = grader_fingerprint(course, assignment, settings)
        for student in graded_students(course, assignment, submitted_students(course, assignment)):
            print_ = fingerprint(course, student, assignment, grader)
            stored = state.fingerprint(student, assignment)
            unchanged = stored == print_ and graded_folder_exists(course, student, assignment)
            if unchanged and not force:
                skipped.append((student, assignment))
            else:
                to_grade.append((student, assignment, print_))
                changed += grader_changed(stored, print_)
    return GradingPlan(chosen, to_grade, skipped, db_url, timeout, changed)


def snapshot_gradebook(db_url: str, assignments: list[str], target: Path) -> GradebookTemplates:
    """The workers' gradebook template, read through nbgrader's API from the live gradebook, whatever
    its URL (SQLite, PostgreSQL …): the assignments now (SQLite file `target`), each learner's
    submission when their task is made (``GradebookTemplates.for_learner``)."""
    return GradebookTemplates.build(db_url, assignments, target)


def run_grading(course: Course, plan: GradingPlan, workers: int | None = None,
                executor_factory: Callable[[], Executor] | None = None,
                limits: GradingLimits = GRADING_LIMITS,
                on_result: Callable[[TaskResult], None] | None = None,
                sandbox: Sandbox | None = None) -> CohortRun:
    """Grade the plan's submissions; every failure is recorded and the run goes on.

    One run at a time per course (GradingAlreadyRunning otherwise, see ``run_lock``)."""
    # a cluster's factory (mda_checks.grade.runs.cluster) knows its gradings at once and chooses the sandbox on each machine
    workers = workers or getattr(executor_factory, "workers", None) or local_grading_slots()
    executor_factory = executor_factory or process_pool(workers)  # the fork server imports while the run prepares
    with exclusive_run(course) as scratch:
        sandbox = sandbox or getattr(executor_factory, "sandbox", None) or detect_sandbox(course.root, scratch / "sonde")
        run = CohortRun(sandbox)
        for _student, assignment in plan.skipped:
            run.count(assignment, SKIPPED)
        state = GradingState.of(course)
        writer = GradebookWriter(course, plan.db_url, state)
        if plan.to_grade:
            graded = sorted({assignment for _, assignment, _ in plan.to_grade})
            templates = snapshot_gradebook(plan.db_url, graded, scratch / "gabarit.db")
            tasks = (GradingTask(str(course.root), student, assignment, templates.for_learner(student, assignment),
                                 plan.cell_timeout,
                                 limits, sandbox.mode, print_) for student, assignment, print_ in plan.to_grade)
            result: TaskResult
            for result in run_tasks(tasks, executor_factory, window=2 * workers):
                _record(run, writer, state, result)
                if on_result:
                    on_result(result)
        group_rows = after_grading(course, plan.db_url, plan.assignments, state, run)  # mda_checks.groups
        run.journal = write_journal(sorted(_journal_rows(state, run) + group_rows,
                                           key=lambda o: (o.assignment, o.student, o.notebook)), journal_path(course))
        run.ungraded = ungraded_notebooks(course, plan.assignments)
        return run


def _record(run: CohortRun, writer: GradebookWriter, state: GradingState, result: TaskResult) -> None:
    task = result.task
    if result.ok:
        try:
            writer.write(result)
        except Exception as exc:  # noqa: BLE001 - e.g. a file name refused: the submission is recorded as failed
            result = replace(result, error=f"écriture du résultat impossible : {exception_words(type(exc).__name__)}",
                             detail=f"{type(exc).__name__}: {exc}")
    if result.ok:
        run.count(task.assignment, CopyOutcome.GRADED)
        run.notebooks_graded += len(result.outcomes)
        run.notebook_failures += [o for o in result.outcomes if o.status == FAILED]
    else:
        run.count(task.assignment, CopyOutcome.FAILED)
        run.failures.append((task.student, task.assignment, result.error))
        if result.detail:
            run.failure_details[task.key] = result.detail
        state.forget(task.student, task.assignment)
        state.save()


def _journal_rows(state: GradingState, run: CohortRun) -> list[NotebookOutcome]:
    rows = [o for student, assignment in state.keys() for o in state.outcomes(student, assignment)]
    rows += [NotebookOutcome(student, assignment, "*", FAILED, reason, detail=run.failure_details.get((student, assignment), ""))
             for student, assignment, reason in run.failures]
    return sorted(rows, key=lambda o: (o.assignment, o.student, o.notebook))
