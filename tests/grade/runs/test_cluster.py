"""`mda grade --grappe`: a Dask cluster grades exactly as the local pool, only over TLS with the cluster's
certificates (closed by default), and says clearly what goes wrong."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import tempfile
import warnings
from concurrent.futures import Future
from dataclasses import dataclass, fields
from datetime import datetime, UTC
from functools import partial
from pathlib import Path

import dask
import pandas as pd
import pytest
from distributed import LocalCluster

from mda_checks.cli import main
from mda_checks.config import GRADING_LIMITS
from mda_checks.course import Course
from mda_checks.demo.run import slips_of
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission
from mda_checks.grade.runs import cluster as cluster_module
from mda_checks.grade.autograde import journal_path
from mda_checks.grade.runs.certificates import create_certificates
from mda_checks.grade.runs.cluster import (ON_EACH_MACHINE, RESOURCE, ClusterUnavailable, check_installation,
                                      cluster_executor, cluster_security, grade_on_worker, grading_environment,
                                      installation)
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.runs.pool import KILLED_CLUSTER_WORKER, run_tasks
from mda_checks.grade.runs.run_lock import OWNER, SCRATCH_PREFIX
from mda_checks.grade.sandbox.isolation import DESCRIPTIONS, detected_sandbox
from mda_checks.grade.runs.task import GradingTask
from tests.grade.helpers import gradebook_rows, trimmed_course

pytestmark = [pytest.mark.xdist_group("cluster")]
ASSIGNMENT = "bloc1"
WHEN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """The cluster's authority and certificates, as `mda grappe certificats` writes them."""
    return create_certificates(tmp_path_factory.mktemp("grappe-certificats") / "certificats")


@pytest.fixture(scope="module")
def cluster(certificates):
    """Two worker processes, one grading each, over TLS with the cluster's certificates. A task fails at
    its first dead worker (Dask's default allows 3 deaths: slower), so that a task next to the culprit
    fails too and must be run again alone."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, resources={RESOURCE: 1},
                             dashboard_address=":0", silence_logs=logging.CRITICAL,
                             security=certificates.cluster_security())
    yield local
    local.close()


def _write_cohort(course):
    """Solved, blank, with the reference's classic slips, and one notebook that is not even JSON."""
    write_submission(course, "apprenant-solutions", ASSIGNMENT, solved_submission(course, ASSIGNMENT), WHEN)
    write_submission(course, "apprenant-vierge", ASSIGNMENT, blank_submission(course, ASSIGNMENT), WHEN)
    write_submission(course, "apprenant-erreurs", ASSIGNMENT,
                     slipped_submission(course, ASSIGNMENT, slips_of(course, ASSIGNMENT)), WHEN)
    broken = write_submission(course, "apprenant-illisible", ASSIGNMENT, solved_submission(course, ASSIGNMENT), WHEN)
    for notebook in broken.glob("*.ipynb"):
        notebook.write_text('{"cells": [ pas du JSON', encoding="utf-8")


def free_port() -> int:
    """A port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _db(course):
    return f"sqlite:///{course.root / 'gradebook.db'}"


def _journal(course):
    """The journal without the durations."""
    return pd.read_csv(journal_path(course), keep_default_na=False).drop(columns="duree_s").to_dict("records")


@pytest.fixture(scope="module")
def graded(cluster, certificates, tmp_path_factory):
    """The same cohort in two identical throw-away courses: graded by the local pool, and on the cluster."""
    local = trimmed_course("pool-locale")
    remote = Course(Path(shutil.copytree(local.root, tmp_path_factory.mktemp("grappe") / "cours", symlinks=True)))
    for course in (local, remote):
        _write_cohort(course)
    local_run = run_grading(local, plan_grading(local, [ASSIGNMENT]), workers=2)
    modes = []
    assert cluster.scheduler_address.startswith("tls://")
    factory = cluster_executor(cluster.scheduler_address, cluster_security(cluster.scheduler_address,
                                                                           certificates.folder))
    remote_run = run_grading(remote, plan_grading(remote, [ASSIGNMENT]), executor_factory=factory,
                             on_result=lambda result: modes.append(result.task.sandbox_mode))
    return local, remote, local_run, remote_run, factory, modes


def remote_address(graded) -> str:
    return graded[4].address


def test_the_cluster_grades_every_cell_as_the_local_pool(graded):
    local, remote, local_run, remote_run, factory, _ = graded
    assert factory.workers == 2 and factory.machines == ["127.0.0.1"] and factory.encrypted
    ours, theirs = gradebook_rows(_db(remote)), gradebook_rows(_db(local))
    assert {key[1] for key in theirs} == {"apprenant-solutions", "apprenant-vierge", "apprenant-erreurs",
                                          "apprenant-illisible"}  # not vacuous: every learner is there
    assert ours == theirs, {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}
    assert _journal(remote) == _journal(local)
    assert remote_run.counts == local_run.counts and remote_run.failures == local_run.failures


def test_each_worker_chooses_its_own_sandbox(graded):
    _, remote, _, remote_run, _, modes = graded
    assert remote_run.sandbox.mode == ON_EACH_MACHINE and "chaque machine" in remote_run.sandbox.describe()
    here = detected_sandbox(remote.root).mode  # the same machine: the same choice
    assert modes and set(modes) == {here} and here in DESCRIPTIONS


def test_mda_grade_on_the_cluster_named_by_mda_grappe(graded, certificates, monkeypatch, capsys):
    local, remote, *_ = graded
    monkeypatch.setenv("MDA_GRAPPE", remote_address(graded))
    monkeypatch.setenv("MDA_GRAPPE_CERTIFICATS", str(certificates.folder))
    monkeypatch.chdir(remote.root)
    status = main(["grade", "--force"])
    out = " ".join(capsys.readouterr().out.split())  # rich wraps lines
    assert status == 0, out
    assert "Grappe : 2 correction(s) à la fois sur 1 machine(s) (127.0.0.1) ; liaison chiffrée et authentifiée" in out
    here = detected_sandbox(remote.root).mode
    assert "Isolation des noyaux : choisie sur chaque machine de la grappe" in out
    assert f"{DESCRIPTIONS[here]} : 4 copie(s)" in out
    assert gradebook_rows(_db(remote)) == gradebook_rows(_db(local))


def test_mda_grade_says_in_french_that_the_cluster_is_unreachable(graded, monkeypatch, capsys):
    _, remote, *_ = graded
    monkeypatch.setattr(cluster_module, "cluster_executor", partial(cluster_module.cluster_executor, timeout=1))
    monkeypatch.chdir(remote.root)
    assert main(["grade", "--force", "--grappe", f"tcp://127.0.0.1:{free_port()}", "--grappe-non-chiffree"]) == 2
    assert "Erreur : grappe Dask injoignable à l'adresse" in capsys.readouterr().err


def test_mda_grade_refuses_a_cluster_without_tls_unless_told_and_names_the_tls_set_up(graded, monkeypatch, capsys):
    _, remote, *_ = graded
    connections = []
    monkeypatch.setattr(cluster_module, "connect", lambda *args, **kwargs: connections.append(args))
    monkeypatch.chdir(remote.root)
    for address in ("tcp://planificateur:8786", "planificateur:8786"):
        assert main(["grade", "--force", "--grappe", address]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert f"Erreur : grappe non chiffrée refusée : « {address} » n'utilise pas TLS" in err
        assert "mda grappe certificats DOSSIER" in err and "--tls-ca-file ca.pem" in err and "--grappe-non-chiffree" in err
    assert connections == []  # refused before anything was sent


def test_a_tls_address_without_the_certificates_is_refused_in_french(graded, tmp_path, monkeypatch, capsys):
    _, remote, *_ = graded
    monkeypatch.chdir(remote.root)
    assert main(["grade", "--force", "--grappe", remote_address(graded), "--certificats", str(tmp_path / "rien")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "certificats de la grappe introuvables" in err and "manque : ca.pem, formateur.pem, formateur-cle.pem" in err


def test_a_client_without_the_clusters_certificate_is_refused(cluster, certificates, tmp_path):
    import asyncio
    import ssl

    from distributed.comm import connect
    from distributed.utils import sync

    address = cluster.scheduler_address
    with pytest.raises(ClusterUnavailable, match="ne se reconnaissent pas"):  # Dask's client, no certificate
        cluster_executor(address, None, timeout=5)
    stranger = create_certificates(tmp_path / "autre-autorite")  # a certificate, from another authority
    with pytest.raises(ClusterUnavailable, match="ne se reconnaissent pas"):
        cluster_executor(address, stranger.client_security(), timeout=5)

    async def identity(context):
        """Speak to the scheduler directly: what it answers, or the error that closed the connection."""
        comm = await connect(address, timeout=10, ssl_context=context, require_encryption=True)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await asyncio.wait_for(comm.read(), 30)
        finally:
            comm.abort()

    # the scheduler itself refuses TLS that trusts its authority but shows no certificate
    anonymous = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(certificates.authority))
    anonymous.check_hostname = False
    with pytest.raises(Exception) as refused:
        sync(cluster.loop, identity, anonymous)
    assert not isinstance(refused.value, asyncio.TimeoutError), "refused by silence is not proof"
    trainer = certificates.client_security().get_connection_args("client")["ssl_context"]
    assert sync(cluster.loop, identity, trainer)["type"] == "Scheduler"  # the same request, with the certificate
    assert len(cluster.scheduler.workers) == 2


def test_a_worker_without_the_clusters_certificate_cannot_join(cluster, certificates, tmp_path):
    from distributed import Worker
    from distributed.utils import sync

    stranger = create_certificates(tmp_path / "autre-autorite")

    async def join(security) -> int:
        """Start a worker (no grading resource: it gets no task) and say how many workers the scheduler sees."""
        async with Worker(cluster.scheduler_address, nthreads=1, security=security, dashboard=False,
                          death_timeout=15):
            return len(cluster.scheduler.workers)

    for security in (None, stranger.cluster_security()):
        with pytest.raises(Exception):  # noqa: B017 - TypeError (no TLS at all) or a refused / timed-out registration
            sync(cluster.loop, join, security)
        assert len(cluster.scheduler.workers) == 2
    assert sync(cluster.loop, join, certificates.cluster_security()) == 3  # the same worker, with the certificate


def test_the_readmes_commands_start_a_tls_cluster_that_mda_grade_accepts(certificates, tmp_path):
    """`dask scheduler` and `dask worker` as docs/formateur.md starts them, with the files `mda grappe certificats`
    wrote: the trainer's client reaches the worker and finds the same installation."""
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    folder, port = certificates.folder, free_port()
    scheduler = [str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
                 "--tls-ca-file", "ca.pem", "--tls-cert", "planificateur.pem", "--tls-key", "planificateur-cle.pem"]
    worker = [str(bin_dir / "dask"), "worker", f"tls://127.0.0.1:{port}", "--tls-ca-file", "ca.pem",
              "--tls-cert", "correcteur.pem", "--tls-key", "correcteur-cle.pem", "--nworkers", "1", "--nthreads", "1",
              "--resources", "correction=1", "--no-dashboard"]
    processes = []
    try:
        for command in (scheduler, worker):
            processes.append(subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                              start_new_session=True))
        address = f"tls://127.0.0.1:{port}"
        factory = cluster_executor(address, cluster_security(address, folder), timeout=120)
        assert factory.workers == 1 and factory.encrypted
        with pytest.raises(ClusterUnavailable, match="ne se reconnaissent pas"):
            cluster_executor(address, None, timeout=5)
    finally:
        for process in reversed(processes):  # the worker's nanny and its worker process: one session each
            os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(processes):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@dataclass(frozen=True)
class Job:
    name: str


def work(job: Job) -> str:
    if job.name == "meurt":
        os._exit(1)  # the whole worker process dies, every time it takes this job
    return f"fait:{job.name}"


def failure(job: Job, reason: str) -> str:
    return f"échec:{job.name}:{reason}"


def test_a_task_that_kills_its_worker_is_recorded_as_failed_and_the_others_are_done(cluster, certificates, graded):
    # after the grading (`graded`): this test kills workers
    jobs = [Job(n) for n in ("a", "b", "meurt", "c", "d")]
    results = list(run_tasks(jobs, cluster_executor(cluster.scheduler_address, certificates.client_security()),
                             window=4, work=work, failure=failure))
    assert sorted(r for r in results if r.startswith("fait:")) == ["fait:a", "fait:b", "fait:c", "fait:d"]
    assert results.count(f"échec:meurt:{KILLED_CLUSTER_WORKER}") == 1 and len(results) == 5


def test_an_unreachable_scheduler_gives_a_french_error_after_the_given_wait():
    with pytest.raises(ClusterUnavailable,
                       match=r"grappe Dask injoignable à l'adresse « tcp://127.0.0.1:\d+ » \(essayé pendant 1 s\)"):
        cluster_executor(f"tcp://127.0.0.1:{free_port()}", None, timeout=1)
    with pytest.raises(ClusterUnavailable, match="adresse de grappe illisible : « planificateur » .*tls://machine:8786"):
        cluster_executor("planificateur", None)


def test_a_scheduler_without_grading_workers_says_how_to_start_them():
    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0", silence_logs=logging.CRITICAL) as empty:
        with pytest.raises(ClusterUnavailable, match="aucune machine de correction .* --resources correction=1"):
            cluster_executor(empty.scheduler_address, None, timeout=1)


def test_a_worker_that_does_not_see_the_course_returns_a_french_error(tmp_path):
    values = {"course_root": str(tmp_path / "ailleurs"), "student": "a", "assignment": ASSIGNMENT, "cell_timeout": 30,
              "limits": GRADING_LIMITS, "sandbox_mode": ON_EACH_MACHINE, "fingerprint": ""}
    task = GradingTask(**{f.name: values.get(f.name, b"") for f in fields(GradingTask)})
    result = grade_on_worker(lambda _: pytest.fail("graded without a course"), task)
    assert not result.ok and "le dossier du cours n'est pas visible sur la machine" in result.error
    assert "manque : nbgrader_config.py" in result.error and "même chemin" in result.error


def test_a_worker_with_another_installation_is_refused_with_the_difference():
    here = installation()
    pandas = next(part for part in here.split(";") if part.startswith("pandas="))

    class OtherMachine:  # a client whose only worker has another pandas
        def submit(self, function, *args, **kwargs):
            answer = Future()
            answer.set_result(here.replace(pandas, "pandas=1.0.0"))
            return answer

        def cancel(self, futures):
            pass

    with pytest.raises(ClusterUnavailable, match=f"poste-b .*: {pandas} ici, pandas=1.0.0 là-bas.*make install"):
        check_installation(OtherMachine(), {"tcp://10.0.0.2:40000": {"host": "poste-b"}}, timeout=1)


def test_a_task_environment_is_put_back_after_it(monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    before, temporary = list(warnings.filters), tempfile.gettempdir()
    with grading_environment():
        assert os.environ["MPLBACKEND"] == "Agg" and logging.getLogger("traitlets").level == logging.ERROR
        warnings.warn("tu", stacklevel=1)  # quiet
        scratch = Path(tempfile.gettempdir())
        assert scratch.name.startswith(SCRATCH_PREFIX) and (scratch / OWNER).read_text() == str(os.getpid())
    assert "MPLBACKEND" not in os.environ and warnings.filters == before and tempfile.gettempdir() == temporary
    assert logging.getLogger("traitlets").level != logging.ERROR


def test_what_a_killed_worker_process_left_is_deleted_by_the_next_one(tmp_path, monkeypatch):
    left = tmp_path / f"{SCRATCH_PREFIX}mort"
    left.mkdir()
    (left / OWNER).write_text("999999999", encoding="ascii")  # no such process
    (left / "copie.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(cluster_module, "_SCRATCH", [])
    mine = cluster_module.worker_scratch()
    assert not left.exists() and mine.parent == tmp_path and mine.is_dir()


class FlakyClient:
    """A stand-in for ``distributed.Client`` whose first constructions fail as told."""

    def __init__(self, failures: list[BaseException]):
        self.failures, self.calls = failures, 0

    def __call__(self, address, **options):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return ("client", address)


def test_a_handshake_tripping_dasks_own_check_is_tried_again_and_other_failures_are_not():
    twice = FlakyClient([AssertionError(), AssertionError()])
    assert cluster_module._handshake(twice, "tls://a:8786", 1, None) == ("client", "tls://a:8786")
    assert twice.calls == 3
    always = FlakyClient([AssertionError()] * 3)
    with pytest.raises(AssertionError):
        cluster_module._handshake(always, "tls://a:8786", 1, None)
    assert always.calls == 3
    refused = FlakyClient([OSError("refused"), AssertionError()])
    with pytest.raises(OSError):
        cluster_module._handshake(refused, "tls://a:8786", 1, None)
    assert refused.calls == 1
