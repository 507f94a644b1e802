"""One grading run at a time per course, and nothing left behind by a run that was killed.

``exclusive_run`` holds a lock file in ``autograded/`` for the whole run (``filelock``: an
OS lock, released by the system even when the process is killed) and gives the run one
scratch folder, where the workers' private courses (with their gradebook copies) and the
kernels' private folders go (``TMPDIR``). A small janitor process, in a session of its own,
deletes that folder as soon as the run's process is gone, however it ended (``kill -9``
included); the next run sweeps any folder left anyway. The run's workers and kernels do not
survive it (workers: a thread waiting on the run's process descriptor, ``worker.die_with``;
kernels: ``setpriv --pdeathsig``).
"""
from __future__ import annotations

import multiprocessing.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from mda_checks.course import Course
from mda_checks.grade.sandbox import janitor
from mda_checks.grade.sandbox.janitor import alive, remove_tree

LOCK_NAME = ".correction.lock"
SCRATCH_PREFIX = "mda-cohorte-"
OWNER = "proprietaire.pid"


class GradingAlreadyRunning(RuntimeError):
    """Another `mda grade` holds this course."""


def sweep_stale_runs(temporary: Path) -> list[Path]:
    """Delete the scratch folders of runs whose process is gone; return them."""
    swept = []
    for folder in temporary.glob(f"{SCRATCH_PREFIX}*"):
        try:
            owner = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            owner = 0
        if not owner or not alive(owner):
            remove_tree(folder)  # its kernels' quotas (tmpfs) first
            swept.append(folder)
    return swept


def start_janitor(scratch: Path) -> None:
    """Delete `scratch` when this process is gone, even killed (the janitor outlives it)."""
    subprocess.Popen([sys.executable, "-I", janitor.__file__, str(os.getpid()), str(scratch)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)


def refuse_if_running(course: Course) -> None:
    """GradingAlreadyRunning now, before anything is printed, when another run holds the course
    (``exclusive_run`` still takes the lock for the whole run)."""
    lock_path = course.step("autograded") / LOCK_NAME
    if not lock_path.parent.is_dir():
        return
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise GradingAlreadyRunning(ALREADY_RUNNING) from None
    lock.release()


ALREADY_RUNNING = ("une correction est déjà en cours pour ce cours (verrou autograded/.correction.lock) : "
                   "attendez qu'elle se termine ; le verrou disparaît avec elle, même si elle est interrompue")


@contextmanager
def exclusive_run(course: Course) -> Iterator[Path]:
    """Hold the course's grading lock; yield this run's scratch folder (TMPDIR of its workers)."""
    folder = course.step("autograded")
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise GradingAlreadyRunning(ALREADY_RUNNING) from None
    multiprocessing.util.get_temp_dir()  # multiprocessing's own folder (fork server socket) stays outside the scratch
    saved = os.environ.get("TMPDIR")
    temporary = Path(tempfile.gettempdir())
    scratch = None
    try:
        sweep_stale_runs(temporary)
        scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=temporary))
        (scratch / OWNER).write_text(str(os.getpid()), encoding="ascii")
        start_janitor(scratch)
        os.environ["TMPDIR"] = str(scratch)
        tempfile.tempdir = None  # read TMPDIR again (this process and the workers it starts)
        yield scratch
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
        tempfile.tempdir = None
        if scratch is not None:
            remove_tree(scratch)
        lock.release()
