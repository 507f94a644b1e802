"""Run grading tasks on any ``concurrent.futures.Executor`` (a process pool by default).

Only the standard Executor interface is used (``submit``, futures, ``shutdown``), so a
cluster engine that offers one (dask.distributed, mpi4py.futures, …) can replace the
local pool without touching the rest: pass its factory as ``executor_factory``.
At most ``window`` tasks are in flight: the parent's memory does not grow with the cohort.
A worker that dies breaks a process pool: the tasks then in flight are run again one by one
on a new pool; the one that breaks it alone is recorded as failed, and the run goes on.
On a Dask cluster (``mda_checks.grade.runs.cluster``) the scheduler gives the tasks of a dead worker
to another one, and a task whose workers died too often ends with ``KilledWorker``: it is run
again alone (it may only have been a neighbour of the culprit), then recorded as failed; a task
the engine cancels by itself (its scheduler lost) is recorded as abandoned.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from typing import TypeVar

from mda_checks.grade.reasons import exception_words
from mda_checks.grade.runs.task import GradingTask, TaskResult
from mda_checks.grade.runs.worker import grade_task, initialize_worker

T = TypeVar("T")  # a task: frozen (hashable) and picklable
R = TypeVar("R")  # its result

BROKEN_WORKER = "le processus de correction s'est arrêté brutalement sur cette copie (même seule) : copie non corrigée"
KILLED_CLUSTER_WORKER = ("sur la grappe, le processus de correction s'est arrêté brutalement à chaque essai sur cette "
                         "copie (même seule) : copie non corrigée")
#: an engine cancels a task by itself only when it is lost (a Dask scheduler stopped or out of reach)
CANCELLED = "correction abandonnée : la grappe ne répond plus (planificateur arrêté ou injoignable) : copie non corrigée"


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def local_grading_slots() -> int:
    """Gradings at once on this machine: two per core, at most one per GiB of memory.

    A grading alternates between its worker (nbgrader's steps, the trusted scoring) and its kernel,
    and waits on both (kernel start, replies): with one grading per core, the cores idle part of
    the time. Measured on 2 cores, 24 learners of bloc 1 (docs/mesures/correction-promotion.md): 80 s with
    2 at once, 55 to 57 s with 3, 49 to 50 s with 4, no clear gain with 5. A grading takes about
    0.35 GB (worker and kernel); one per GiB leaves room for a kernel that uses more."""
    try:
        memory_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**30
    except (AttributeError, ValueError, OSError):  # not POSIX: the cores alone decide
        memory_gib = 2 * default_workers()
    return max(1, min(2 * default_workers(), memory_gib))


#: imported once by the fork server, before it forks any worker
WORKER_MODULES = ["mda_checks.grade.runs.worker"]


def worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server that has imported nbgrader and the worker's modules once.

    A spawned worker imports them itself: about 2.5 s of CPU for each worker of each run. The
    fork server is a fresh single-threaded process, so forking it is safe (the parent's threads
    are never forked). It is started at once and imports while the parent prepares the run
    (sandbox probe, gradebook template)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)
    multiprocessing.forkserver.ensure_running()
    return context


def process_pool(workers: int) -> Callable[[], Executor]:
    """A factory of local process pools, forked from the fork server (``worker_context``).

    The fork server outlives a run (it serves the next pools of the same process): each pool's
    workers take the parent's environment and working folder as they are when the pool is made
    (``TMPDIR`` is the run's scratch folder), as spawned workers would."""
    context = worker_context()

    def make() -> Executor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initialize_worker,
                                   initargs=(dict(os.environ), os.getcwd(), os.getpid()))
    return make


def killed_cluster_worker(problem: BaseException) -> bool:
    """Dask's scheduler gave up on a task whose workers all died running it (``KilledWorker``)."""
    distributed = sys.modules.get("distributed")  # never imported by a local run
    return distributed is not None and isinstance(problem, distributed.KilledWorker)


def grading_failure(task: GradingTask, reason: str, detail: str = "") -> TaskResult:
    return TaskResult(task, error=reason, detail=detail)


def run_tasks(tasks: Iterable[T], executor_factory: Callable[[], Executor], window: int,
              work: Callable[[T], R] = grade_task,  # type: ignore[assignment]  # T, R: GradingTask, TaskResult
              failure: Callable[..., R] = grading_failure) -> Iterator[R]:  # type: ignore[assignment]
    """Yield one result per task, in completion order (``failure(task, reason, detail=…)`` builds the result of a
    task that could not run: `reason` in French, `detail` technical).

    When a worker dies, every task then in flight is a suspect: each is run again alone on a
    new pool, and only one that breaks the pool on its own is recorded as failed.
    """
    pending = iter(tasks)
    suspects: deque[T] = deque()
    executor = executor_factory()
    in_flight: dict[Future, tuple[T, bool]] = {}  # future -> (task, run alone)
    try:
        while True:
            if suspects:
                if not in_flight:
                    task = suspects.popleft()
                    in_flight[executor.submit(work, task)] = (task, True)
            else:
                while len(in_flight) < window:
                    task = next(pending, None)  # type: ignore[assignment]  # None: no task left
                    if task is None:
                        break
                    in_flight[executor.submit(work, task)] = (task, False)
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task, alone = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield failure(task, BROKEN_WORKER)
                    else:
                        suspects.append(task)
                except CancelledError:
                    yield failure(task, CANCELLED)
                except Exception as exc:  # noqa: BLE001 - sorted just below: a killed worker or a worker-side bug
                    if not killed_cluster_worker(exc):  # a worker-side bug: record it, go on
                        yield failure(task, f"erreur du processus de correction : {exception_words(type(exc).__name__)}",
                                      detail=f"{type(exc).__name__}: {exc}")
                    elif alone:
                        yield failure(task, KILLED_CLUSTER_WORKER)
                    else:  # the cluster goes on; it may only have died next to the culprit: run it alone
                        suspects.append(task)
            if broken:
                suspects.extend(task for task, _ in in_flight.values())
                in_flight.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = executor_factory()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
