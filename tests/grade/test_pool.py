"""The pool keeps going: a failing task or a dying worker is recorded and the other tasks are done."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from mda_checks.grade.pool import BROKEN_WORKER, process_pool, run_tasks


@dataclass(frozen=True)
class Job:
    name: str


def work(job: Job) -> str:
    if job.name == "plante":
        raise RuntimeError("oups")
    if job.name == "meurt":
        os._exit(1)
    return f"fait:{job.name}"


def failure(job: Job, reason: str) -> str:
    return f"échec:{job.name}:{reason}"


def test_a_task_that_raises_is_recorded_and_the_others_are_done_on_any_executor():
    jobs = [Job(n) for n in ("a", "plante", "b", "c")]
    results = sorted(run_tasks(jobs, lambda: ThreadPoolExecutor(2), window=2, work=work, failure=failure))
    assert results[:3] == ["fait:a", "fait:b", "fait:c"]
    assert results[3].startswith("échec:plante:") and "RuntimeError: oups" in results[3]


def test_a_worker_that_dies_breaks_no_other_task_and_only_it_is_recorded_as_failed():
    jobs = [Job(n) for n in ("a", "b", "meurt", "c", "d")]
    results = list(run_tasks(jobs, process_pool(2), window=2, work=work, failure=failure))
    assert sorted(r for r in results if r.startswith("fait:")) == ["fait:a", "fait:b", "fait:c", "fait:d"]
    assert results.count(f"échec:meurt:{BROKEN_WORKER}") == 1 and len(results) == 5


def test_never_more_tasks_in_flight_than_the_window():
    """The parent holds at most `window` pending results: its memory does not grow with the cohort."""
    state = {"open": 0, "most": 0}

    class Counting(ThreadPoolExecutor):
        def submit(self, fn, *args):
            state["open"] += 1
            state["most"] = max(state["most"], state["open"])
            future = super().submit(fn, *args)
            return future

    def counted(job):
        return work(job)

    results = []
    for result in run_tasks([Job(str(i)) for i in range(20)], lambda: Counting(2), window=3, work=counted,
                            failure=failure):
        state["open"] -= 1
        results.append(result)
    assert len(results) == 20 and state["most"] <= 3
