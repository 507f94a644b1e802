"""Run grading tasks on any ``concurrent.futures.Executor`` (a process pool by default).

Only the standard Executor interface is used (``submit``, futures, ``shutdown``), so a
cluster engine that offers one (dask.distributed, mpi4py.futures, …) can replace the
local pool without touching the rest: pass its factory as ``executor_factory``.
At most ``window`` tasks are in flight: the parent's memory does not grow with the cohort.
A worker that dies breaks a process pool: its tasks are tried once more on a new pool,
then recorded as failed, and the run goes on.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from typing import TypeVar

from mda_checks.grade.task import GradingTask, TaskResult
from mda_checks.grade.worker import grade_task, initialize_worker

T = TypeVar("T")  # a task: frozen (hashable) and picklable
R = TypeVar("R")  # its result

BROKEN_WORKER = "le processus de correction s'est arrêté brutalement (deux fois) : copie non corrigée"


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def process_pool(workers: int) -> Callable[[], Executor]:
    """A factory of local process pools (spawned: the parent's threads are not forked)."""
    def make() -> Executor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=initialize_worker)
    return make


def grading_failure(task: GradingTask, reason: str) -> TaskResult:
    return TaskResult(task, error=reason)


def run_tasks(tasks: Iterable[T], executor_factory: Callable[[], Executor], window: int,
              work: Callable[[T], R] = grade_task,
              failure: Callable[[T, str], R] = grading_failure) -> Iterator[R]:
    """Yield one result per task, in completion order (``failure`` builds the result of a task that could not run)."""
    pending = iter(tasks)
    retry: list[T] = []
    attempts: dict[T, int] = {}
    executor = executor_factory()
    in_flight: dict[Future, T] = {}
    try:
        while True:
            while len(in_flight) < window:
                task = retry.pop() if retry else next(pending, None)
                if task is None:
                    break
                attempts[task] = attempts.get(task, 0) + 1
                in_flight[executor.submit(work, task)] = task
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    if attempts[task] < 2:
                        retry.append(task)
                    else:
                        yield failure(task, BROKEN_WORKER)
                except Exception as exc:  # a worker-side bug: record it, go on
                    yield failure(task, f"erreur du processus de correction : {type(exc).__name__}: {exc}")
            if broken:
                retry += list(in_flight.values())
                in_flight.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = executor_factory()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
