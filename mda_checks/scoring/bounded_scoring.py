"""Run the trusted scoring of one notebook in a forked child, under processor-time and memory limits.

A hand-over is untrusted data: however well its reading is bounded (caps, a linear validator),
the scoring runs in a grading process beside other learners' gradings. ``ScoreAnswers`` therefore
scores each notebook in a child forked from its own process, limited by the system (``setrlimit``,
``setitimer``):

- its address space: the size it had when it was forked, plus ``memory_bytes``;
- its processor time, per check cell (a processor-time timer, ``ITIMER_PROF``: its signal stops
  that cell, which scores 0, and the next cells go on) and for the whole notebook (``RLIMIT_CPU``:
  the system kills the child);
- a wall clock (a child that no longer progresses, whatever the reason, is killed);
- it dies with the thread that forked it (``PR_SET_PDEATHSIG``).

The child sends each cell's outcome back as soon as it is done, one line of JSON on a pipe; the
parent reads nothing else from it. A cell the child could not finish, and every cell after it when
the child died, gets the French reason why. Why a timer per cell rather than a soft ``RLIMIT_CPU``: that
limit counts whole seconds of the process, so a cell would get between its allowance and one second
more depending on what the cells before it used; the timer gives every cell the same allowance, to
the microsecond, in every notebook. Why a fork and not a new process: the child starts
with the reference, pandas and nbgrader already loaded (a new interpreter would import them again,
about a second per notebook), in every process that runs ScoreAnswers: ``mda grade``'s workers,
plain ``nbgrader autograde``, formgrader's server.
"""
from __future__ import annotations

import ctypes
import gc
import json
import math
import os
import resource
import select
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

#: why a cell has no outcome (French; the cell's problem, quoted in the journal)
CELL_TIME = "la notation de cette réponse a dépassé le temps de calcul autorisé ({seconds} s de processeur)"
CELL_MEMORY = "la notation de cette réponse a dépassé la mémoire autorisée ({mebibytes} Mio)"
STOPPED = ("la notation du carnet s'est arrêtée avant cette réponse (temps de calcul ou mémoire de la notation "
           "dépassés)")
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ScoringLimits:
    """What the scoring of one notebook may use (defaults: ``mda_checks.config.GRADING_LIMITS``)."""

    cell_cpu_seconds: float
    notebook_cpu_seconds: int
    memory_bytes: int
    wall_seconds: float

    def __post_init__(self) -> None:
        if not self.cell_cpu_seconds > 0:  # a timer of 0 s is no timer: the cell would have no limit
            raise ValueError(f"la limite de processeur d'une vérification doit être positive "
                             f"(cell_cpu_seconds = {self.cell_cpu_seconds})")


@dataclass(frozen=True)
class Unfinished:
    """An item the child did not finish, and why (French)."""

    reason: str


class _CellOverrun(BaseException):
    """Raised by the cell timer inside one item: a BaseException, so no ``except Exception`` of the scoring
    swallows it."""


_armed = False
#: the signal of the per-cell processor timer (``setitimer(ITIMER_PROF)``: user and system time of the child)
CELL_LIMIT_SIGNAL = signal.SIGPROF


def _on_cpu_limit(signum, frame) -> None:
    if _armed:
        raise _CellOverrun


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _address_space() -> int:
    """Bytes of address space this process uses now (/proc/self/statm, first field)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _die_with(parent: int) -> None:
    """Be killed when the thread that forked this child ends (Linux); leave at once if it is already gone."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the processor-time limit still ends the child
        pass
    if os.getppid() != parent:
        os._exit(0)


def _child(items: Sequence[T], work: Callable[[T], Any], limits: ScoringLimits, writer: int, parent: int) -> None:
    global _armed
    gc.freeze()  # the heap shared with the parent: never walked by the collector (each page walked would be copied)
    _die_with(parent)
    memory = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    hard = math.ceil(_cpu_seconds()) + limits.notebook_cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))  # the notebook's limit: the system kills the child
    signal.signal(CELL_LIMIT_SIGNAL, _on_cpu_limit)
    with os.fdopen(writer, "w", encoding="utf-8") as pipe:
        for index, item in enumerate(items):
            try:
                _armed = True
                signal.setitimer(signal.ITIMER_PROF, limits.cell_cpu_seconds)
                line = {"index": index, "outcome": work(item)}
            except _CellOverrun:
                line = {"index": index, "overrun": cell_time_reason(limits)}
            except MemoryError:
                line = {"index": index, "overrun": _memory_reason(limits)}
            finally:
                _armed = False
                signal.setitimer(signal.ITIMER_PROF, 0)
            pipe.write(json.dumps(line, ensure_ascii=False) + "\n")
            pipe.flush()


def _read_lines(reader: int, pid: int, wall_seconds: float) -> list[str]:
    """The child's lines until it closes the pipe, or until the wall clock (then it is killed)."""
    chunks, deadline = [], time.monotonic() + wall_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reader], [], [], left)[0]:
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace").splitlines()


def cell_time_reason(limits: ScoringLimits) -> str:
    """Why a cell over its processor time scores 0 (French: « 10 s », « 0,5 s »)."""
    return CELL_TIME.format(seconds=f"{limits.cell_cpu_seconds:g}".replace(".", ","))


def _memory_reason(limits: ScoringLimits) -> str:
    return CELL_MEMORY.format(mebibytes=limits.memory_bytes // 2**20)


def run_bounded(items: Sequence[T], work: Callable[[T], Any], limits: ScoringLimits, fork: bool = True) -> list[Any]:
    """``work(item)`` for each item, in order, in one forked child under ``limits``.

    Returns, for each item, what ``work`` returned (it must be JSON data: it crosses a pipe as
    JSON), or an ``Unfinished`` with the French reason. State kept by ``work`` from one item to
    the next (earlier answers of a notebook) lives in the child, as long as the notebook.
    ``fork=False`` runs in this process, without limits (a system without ``fork``)."""
    if not fork:
        results: list[Any] = []
        for item in items:
            try:
                results.append(work(item))
            except MemoryError:
                results.append(Unfinished(_memory_reason(limits)))
        return results
    if not items:
        return []
    parent = os.getpid()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 70
        try:
            os.close(reader)
            _child(items, work, limits, writer, parent)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    try:
        lines = _read_lines(reader, pid, limits.wall_seconds)
    finally:
        os.close(reader)
        os.waitpid(pid, 0)
    results = [Unfinished(STOPPED)] * len(items)
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:  # a line cut by the child's death
            continue
        index = data["index"]
        results[index] = Unfinished(data["overrun"]) if "overrun" in data else data["outcome"]
    return results
