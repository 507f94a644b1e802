"""Grade one submission in a private workspace and return the result as data.

The worker never writes the course: it copies the submission (expected files only)
and a snapshot of the gradebook into a temporary folder laid out like a course, runs
nbgrader's Autograde there (notebook by notebook, kernels in the sandbox), then reads
back the grades of its private gradebook and the files of its private ``autograded/``.
The parent process writes them (``mda_checks.grade.runs.writer``).
"""
from __future__ import annotations

import gc
import logging
import os
import select
import shutil
import signal
import tempfile
import threading
import time
import warnings
from typing import Any
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from mda_checks.course import Course
from mda_checks.grade.autograde import FAILED, add_submission_note, autograde_submission, unexpected_note
from mda_checks.grade.inspect import size_problem, unexpected_files
from mda_checks.grade.sandbox.janitor import alive
from mda_checks.grade.sandbox.isolation import NONE, refusal_without_isolation, unsandboxed_accepted
from mda_checks.grade.reasons import exception_words
from mda_checks.grade.runs.task import CellComment, CellGrade, GradingTask, TaskResult
from mda_checks.nbgrader_api import course_api
from mda_checks.variants.secret import FOLDER



def die_with(run: int) -> None:
    """Kill this worker as soon as the process `run` (the `mda grade` that made its pool) is gone.

    A worker is forked by the fork server, not by the run: Linux's parent-death signal would
    follow the server, which lives as long as a worker holds its pipe. A daemon thread waits on
    the run's process descriptor instead (Linux ≥ 5.3; elsewhere it checks every second), so a
    killed `mda grade` (``kill -9``) leaves no worker; the kernels follow their worker
    (``setpriv --pdeathsig``)."""
    try:
        watched = os.pidfd_open(run)
    except ProcessLookupError:  # already gone
        os.kill(os.getpid(), signal.SIGKILL)
    except (AttributeError, OSError):  # no process descriptors here
        watched = None

    def watch() -> None:
        if watched is not None:
            select.select([watched], [], [])
        else:
            while alive(run):
                time.sleep(1)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="mda-fin-de-correction", daemon=True).start()


def initialize_worker(environment: dict[str, str] | None = None, folder: str | None = None,
                      run: int | None = None) -> None:
    """Run once in each worker process: take the run's environment and working folder (a worker
    forked by the fork server has the server's), die with the run, quiet libraries,
    non-interactive plots."""
    gc.freeze()  # the modules the fork server imported: the collector no longer walks them (nor copies their pages)
    if environment is not None:
        os.environ.clear()
        os.environ.update(environment)
        tempfile.tempdir = None  # read TMPDIR again: the run's scratch folder
    if folder is not None:
        os.chdir(folder)
    die_with(run if run is not None else os.getppid())
    os.environ.setdefault("MPLBACKEND", "Agg")
    warnings.filterwarnings("ignore")
    logging.getLogger("traitlets").setLevel(logging.ERROR)


def expected_files(course: Course, assignment: str) -> list[Path]:
    """Paths (relative) a submission may hold: the learners' copy and nbgrader's timestamp."""
    release = course.release / assignment
    return [p.relative_to(release) for p in release.rglob("*") if p.is_file()] + [Path("timestamp.txt")]


def copy_submission(course: Course, task: GradingTask, workspace: Path) -> None:
    """Copy only the expected regular files: extra files and links never reach the kernel."""
    source = course.step("submitted") / task.student / task.assignment
    target = workspace / "submitted" / task.student / task.assignment
    target.mkdir(parents=True)
    for relative in expected_files(course, task.assignment):
        path = source / relative
        if path.is_file() and not path.is_symlink():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            if relative.suffix == ".ipynb" and size_problem(path):
                stand_in(target / relative, path.stat().st_size)
                continue
            shutil.copyfile(path, target / relative)


def stand_in(path: Path, size: int) -> None:
    """A notebook above the cap is never copied nor read: a file of its size holding nothing (sparse)
    stands for it, and the inspection refuses it by its size alone (nbgrader never copies a notebook
    it does not grade)."""
    with path.open("wb") as handle:
        handle.truncate(size)


def prepare_workspace(course: Course, task: GradingTask, workspace: Path) -> Course:
    """A course-shaped private folder: links to the masters, a copy of the submission and gradebook."""
    for step in ("source", "release"):
        (workspace / step).symlink_to(course.root / step, target_is_directory=True)
    variants = course.root / FOLDER  # which case each learner was given (hidden from kernels like the workspace)
    if variants.is_dir():
        (workspace / FOLDER).symlink_to(variants, target_is_directory=True)
    copy_submission(course, task, workspace)
    (workspace / "gradebook.db").write_bytes(task.template)  # built from the live gradebook (gradebook_template)
    (workspace / "autograded").mkdir()
    return Course(workspace)


def workspace_api(course: Course, task: GradingTask, workspace: Path):
    """nbgrader's API on the private workspace; kernels in the task's sandbox (see sandboxed_kernel)."""
    limits = task.limits
    overrides: dict[str, Any] = {
        "CourseDirectory": {"root": str(workspace), "db_url": f"sqlite:///{workspace / 'gradebook.db'}"},
        "Execute": {"timeout": task.cell_timeout},
        "CappedExecute": {"max_output_chars": limits.output_chars, "reuse_kernel": True},  # warm kernels
        "SandboxedKernelManager": {
            "mode": task.sandbox_mode, "course_root": str(course.root), "hidden_paths": [str(workspace)],
            "notebook_seconds": limits.notebook_seconds, "memory_bytes": limits.memory_bytes,
            "address_space_bytes": limits.address_space_bytes,
            "processes": limits.processes, "file_bytes": limits.file_bytes, "tmp_bytes": limits.tmp_bytes,
            "cpus": limits.cpus},
    }
    return course_api(course.root, **overrides)


def read_grades(db_url: str, task: GradingTask, result: TaskResult) -> None:
    with Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(task.assignment, task.student)
        except MissingEntry:
            return
        result.timestamp = submission.timestamp
        for notebook in submission.notebooks:
            result.late_penalties[notebook.name] = notebook.late_submission_penalty
            result.grades += [CellGrade(notebook.name, g.name, g.auto_score, g.manual_score, g.extra_credit,
                                        bool(g.needs_manual_grade)) for g in notebook.grades]
            result.comments += [CellComment(notebook.name, c.name, c.auto_comment, c.manual_comment)
                                for c in notebook.comments]


def read_files(folder: Path, limit: int) -> tuple[dict[str, bytes], list[str]]:
    """The graded notebooks (written by nbgrader alone: no kernel writes there), and the names of
    those too large to bring back. Nothing else is brought back: reports only need the notebooks."""
    files: dict[str, bytes]
    skipped: list[str]
    files, skipped = {}, []
    if not folder.is_dir():
        return files, skipped
    for path in sorted(folder.glob("*.ipynb")):
        if path.is_symlink() or not path.is_file():
            continue
        relative = str(path.relative_to(folder))
        if path.stat().st_size > limit:
            skipped.append(relative)
        else:
            files[relative] = path.read_bytes()
    return files, skipped


def wall_clock_notes(result: TaskResult) -> None:
    """A notebook whose kernel was stopped at the wall-clock limit says so."""
    limit = result.task.limits.notebook_seconds
    for outcome in result.outcomes:
        if outcome.status == FAILED and outcome.seconds >= limit - 1:
            outcome.notes = "; ".join(filter(None, [
                f"durée maximale d'un notebook dépassée ({limit} s) : noyau arrêté, 0 point automatique",
                outcome.notes]))
            outcome.cause = f"durée maximale d'un carnet dépassée ({limit} s) : noyau arrêté"


def grade_task(task: GradingTask) -> TaskResult:
    """Grade one submission; any problem comes back as ``TaskResult.error``, never as an exception."""
    start = time.perf_counter()
    course = Course(Path(task.course_root))
    result = TaskResult(task)
    if task.sandbox_mode == NONE and not unsandboxed_accepted(course.root):  # each kernel would be refused: say it once
        result.error = f"correction refusée : {refusal_without_isolation()}"
        return result
    with tempfile.TemporaryDirectory(prefix="mda-") as folder:
        workspace = Path(folder)
        try:
            private = prepare_workspace(course, task, workspace)
            api = workspace_api(course, task, workspace)
            result.outcomes = autograde_submission(api, private, task.student, task.assignment)
            extra = unexpected_files(course.step("submitted") / task.student / task.assignment,
                                     course.release / task.assignment)
            if extra:
                add_submission_note(result.outcomes, unexpected_note(extra))
            wall_clock_notes(result)
            read_grades(api.coursedir.db_url, task, result)
            result.files, too_large = read_files(workspace / "autograded" / task.student / task.assignment,
                                                 task.limits.file_return_bytes)
            if too_large:
                add_submission_note(result.outcomes, "fichier(s) trop volumineux non conservé(s) : " + ", ".join(too_large))
        except Exception as exc:  # noqa: BLE001 - the parent records it; the cohort goes on
            result.error = f"erreur pendant la correction : {exception_words(type(exc).__name__)} (détail au journal)"
            result.detail = f"{type(exc).__name__}: {exc}"
    result.seconds = round(time.perf_counter() - start, 2)
    return result
