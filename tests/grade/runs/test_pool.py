"""The pool keeps going: a failing task or a dying worker is recorded and the other tasks are done."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from mda_checks.grade.runs import pool
from mda_checks.grade.runs.pool import BROKEN_WORKER, local_grading_slots, process_pool, run_tasks


@dataclass(frozen=True)
class Job:
    name: str


def work(job: Job) -> str:
    if job.name == "plante":
        raise RuntimeError("oups")
    if job.name == "meurt":
        os._exit(1)
    return f"fait:{job.name}"


def failure(job: Job, reason: str, detail: str = "") -> str:
    """The pool gives the reason in French and the exception, for the journal's technical column, in `detail`."""
    return f"échec:{job.name}:{reason}" + (f" ({detail})" if detail else "")


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


def where_am_i(job: Job) -> str:
    import tempfile

    return f"{os.environ.get('MDA_ESSAI_POOL')}|{tempfile.gettempdir()}|{os.getcwd()}"


def test_each_pool_takes_the_environment_and_folder_of_the_run_that_makes_it(tmp_path, monkeypatch):
    """Workers are forked by a fork server that outlives a run: each pool must still see the
    environment (the run's TMPDIR) and working folder of the moment it is made, as spawned ones did."""
    factory = process_pool(1)  # the fork server may already run, with the environment of its start
    for name in ("premier", "second"):
        folder = tmp_path / name
        (folder / "tmp").mkdir(parents=True)
        monkeypatch.setenv("MDA_ESSAI_POOL", name)
        monkeypatch.setenv("TMPDIR", str(folder / "tmp"))
        monkeypatch.chdir(folder)
        results = list(run_tasks([Job(name)], factory, window=1, work=where_am_i, failure=failure))
        assert results == [f"{name}|{folder / 'tmp'}|{folder}"]


def test_two_gradings_per_core_but_never_more_than_one_per_gib_of_memory(monkeypatch):
    memory = {"gib": 24}
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_PAGE_SIZE": 4096,
                                                     "SC_PHYS_PAGES": memory["gib"] * 2**30 // 4096}[name])
    for cores, gib, slots in [(2, 24, 4), (8, 24, 16), (16, 24, 24), (4, 3, 3), (1, 0, 1)]:
        monkeypatch.setattr(pool, "default_workers", lambda cores=cores: cores)
        memory["gib"] = gib
        assert local_grading_slots() == slots, (cores, gib)
