"""Grade on a Dask cluster: ``mda grade --grappe tls://scheduler:8786``.

    security = cluster_security("tls://scheduler:8786", certificates_folder)   # closed by default
    factory = cluster_executor("tls://scheduler:8786", security)  # checks the cluster, French errors
    run_grading(course, plan, executor_factory=factory)            # same pipeline as the local pool

- **Closed by default.** Whoever reaches a Dask scheduler runs code on it and on every worker
  (as root here), or joins as a worker and returns grades. ``cluster_security`` therefore gives
  a ``distributed.security.Security`` that requires TLS and the trainer's certificate of the
  cluster's own authority (``certificates``: scheduler and workers are started with theirs), and
  refuses an unencrypted ``tcp://`` address unless the trainer explicitly allows it
  (``--grappe-non-chiffree``). Tasks go out and results come back only on that channel.

Only the engine changes: ``run_tasks`` submits ``grade_task`` and its ``GradingTask`` (data)
through a ``concurrent.futures.Executor`` backed by a ``distributed.Client``, and the
``TaskResult`` (data) comes back to the parent, whose single ``GradebookWriter`` writes it,
as with the local pool. What each worker needs and how it behaves:

- **One grading at a time per worker process.** Every task asks for the Dask resource
  ``correction=1``; workers are started with ``--nthreads 1 --resources correction=1``
  (``--nworkers N`` for N gradings at once on a machine). A resource, rather than trusting
  ``--nthreads 1``, holds even on a worker started with more threads (its other threads are
  never given a grading); a worker declaring ``correction`` > 1 would run two gradings in one
  process and is refused. Workers without the resource get no grading (they may serve others).
- **Its own environment, for one task only.** The local pool's initializer changes its worker
  processes for good (quiet warnings, ``MPLBACKEND=Agg``); on a cluster ``grading_environment``
  sets the same things around each task and puts them back after it, so nothing of one task is
  left to the next one (nor to another user's tasks on a shared cluster); no worker plugin is
  registered on the scheduler. Temporary files go to a folder of the worker process in that
  machine's temporary folder (``worker_scratch``), swept when a killed process left it behind.
- **Its own sandbox.** The tasks carry the sandbox mode ``auto`` (``SandboxOnEachMachine``):
  on the worker it becomes the strongest mode that works on that machine (``detected_sandbox``,
  probed once per worker process), and the result's task says which mode graded it.
- **The course folder, shared.** ``source/``, ``release/``, ``mda_reference/``,
  ``nbgrader_config.py`` and ``submitted/`` are read from the course folder, at the same path
  on every machine (NFS or another shared folder); a worker that does not see it returns a
  clear French error for that submission.
- **The same installation.** Before the run, every grading worker must report the same
  versions as the parent (those of the grader fingerprint, and Dask's) and the same
  ``mda_checks`` package: a different pandas could give a different grade.

A worker that dies is Dask's business: the scheduler gives its tasks to another worker, and a
task whose workers died ``allowed-failures`` + 1 times (3 + 1 by default) ends with
``KilledWorker``, which ``run_tasks`` records as a failure (after running it alone once, so
that a neighbour of the culprit on the same worker is not blamed). A scheduler lost for good
ends the pending tasks as abandoned (``ClusterExecutor``): a run never waits for it forever.
"""
from __future__ import annotations

import atexit
import concurrent.futures
import functools
import hashlib
import importlib
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, InvalidStateError
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from mda_checks.grade.runs.run_lock import OWNER, SCRATCH_PREFIX, sweep_stale_runs
from mda_checks.grade.sandbox.isolation import NONE, Sandbox, detected_sandbox
from mda_checks.grade.runs.task import GradingTask, TaskResult
from mda_checks.scoring.reference import REFERENCE_PACKAGE

T = TypeVar("T")
R = TypeVar("R")

#: the Dask resource every grading asks for (workers: ``--resources correction=1``)
RESOURCE = "correction"
#: the sandbox mode meaning « the strongest that works on the machine that grades »
#: (also the kernel manager's own value for it: see ``SandboxedKernelManager.mode``)
ON_EACH_MACHINE = "auto"
DEFAULT_TIMEOUT = 30.0  # seconds to reach the scheduler, then to see a grading worker
WORKER_COMMAND = ("dask worker tls://ADRESSE --tls-ca-file ca.pem --tls-cert correcteur.pem --tls-key correcteur-cle.pem "
                  "--nworkers N --nthreads 1 --resources correction=1 --no-dashboard")
#: the `mda grade` option that accepts a cluster without TLS (a closed network the trainer controls)
UNENCRYPTED_OPTION = "--grappe-non-chiffree"


class ClusterUnavailable(RuntimeError):
    """The cluster cannot grade: unreachable, no grading worker, or workers set up differently."""


@dataclass(frozen=True)
class SandboxOnEachMachine(Sandbox):
    """The sandbox of a cluster run: chosen by each worker on its machine."""

    mode: str = ON_EACH_MACHINE

    def describe(self) -> str:
        return "choisie sur chaque machine de la grappe (la plus forte qui y fonctionne)"


# ---------------------------------------------------------------- on the worker

_SCRATCH: list[Path] = []  # this worker process's temporary folder, once made


def worker_scratch() -> Path:
    """This worker process's temporary folder (private workspaces, kernels' folders), in the machine's
    temporary folder and named like a local run's (``run_lock``): a worker process killed in the
    middle of a grading leaves a copy of a submission and its gradebook there, deleted when the
    next worker process of the machine starts grading (or by the next local ``mda grade``)."""
    if not _SCRATCH or not _SCRATCH[0].is_dir():
        temporary = Path(tempfile.gettempdir())
        sweep_stale_runs(temporary)
        folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=temporary))
        (folder / OWNER).write_text(str(os.getpid()), encoding="ascii")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SCRATCH[:] = [folder]
    return _SCRATCH[0]


@contextmanager
def grading_environment() -> Iterator[None]:
    """What the local pool sets for good in its workers, set for one task and put back after it:
    warnings and traitlets' messages quiet, matplotlib without a screen, temporary files in
    ``worker_scratch``. One task at a time runs in a worker process (``correction=1``)."""
    backend = os.environ.get("MPLBACKEND")
    traitlets = logging.getLogger("traitlets")
    level, temporary = traitlets.level, tempfile.tempdir
    scratch = worker_scratch()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        traitlets.setLevel(logging.ERROR)
        if backend is None:
            os.environ["MPLBACKEND"] = "Agg"  # the grading process draws nothing on a screen
        tempfile.tempdir = str(scratch)
        try:
            yield
        finally:
            tempfile.tempdir = temporary
            traitlets.setLevel(level)
            if backend is None:
                os.environ.pop("MPLBACKEND", None)


def missing_course_parts(task: GradingTask) -> list[str]:
    """What of the course this machine does not see (``[]`` when all is there)."""
    root = Path(task.course_root)
    needed = ["nbgrader_config.py", f"source/{task.assignment}", f"release/{task.assignment}", REFERENCE_PACKAGE,
              f"submitted/{task.student}/{task.assignment}"]
    return [name for name in needed if not (root / name).exists()]


def course_missing_error(task: GradingTask, missing: list[str]) -> str:
    return (f"le dossier du cours n'est pas visible sur la machine {socket.gethostname()} : {task.course_root} "
            f"(manque : {', '.join(missing)}) ; chaque machine de la grappe doit voir le dossier du cours au même "
            "chemin (dossier partagé, NFS…) : copie non corrigée")


def grade_on_worker(work: Callable[[T], R], task: T) -> R | TaskResult:
    """Run on a Dask worker: one task in its own environment; a grading checks the course and takes
    this machine's sandbox. Other work (tests) just runs in that environment."""
    with grading_environment():
        if not isinstance(task, GradingTask):
            return work(task)
        missing = missing_course_parts(task)
        if missing:
            return TaskResult(task, error=course_missing_error(task, missing))
        if task.sandbox_mode == ON_EACH_MACHINE:
            task = replace(task, sandbox_mode=detected_sandbox(Path(task.course_root)).mode)
        return work(task)


#: what carries tasks and results between machines: their versions must agree too
TRANSPORT_PACKAGES = ("dask", "distributed", "cloudpickle", "msgpack")


@functools.cache
def installation() -> str:
    """What of this machine's installation can change a grade or its transport: the versions of
    the grader fingerprint, those of Dask's transport and the content of the ``mda_checks`` and
    ``mda_apprenant`` packages.

    Read once per process: a worker process started before the project was updated keeps running
    the code it loaded, and keeps saying so (it must be started again)."""
    from mda_checks.grade.runs.state import _digest_folder, _versions, code_folders, package_versions

    transport = package_versions(TRANSPORT_PACKAGES)
    packages = []
    for _label, package in code_folders():
        digest = hashlib.sha256()
        _digest_folder(digest, package, package)
        packages.append(f"{package.name}={digest.hexdigest()[:12]}")
    return ";".join([_versions(), *transport, *packages])


# ---------------------------------------------------------------- in the parent

def _abandon(future: Future) -> None:
    """Cancel a pending future and wake whoever waits on it (``concurrent.futures.wait``)."""
    if future.cancel():
        future.set_running_or_notify_cancel()


class ClusterExecutor(Executor):
    """A ``concurrent.futures.Executor`` on a Dask client: one grading per ``correction`` slot.

    Tasks are never deduplicated (``pure=False``: a task run again alone is a new Dask task).
    When the scheduler is lost for good (the client closes after trying to reconnect), every
    pending future is cancelled, and so is every later one: ``run_tasks`` records them as
    abandoned instead of waiting for results that cannot come (a result being fetched when the
    scheduler goes away is otherwise never delivered). ``shutdown`` closes the client."""

    WATCH_SECONDS = 1.0

    def __init__(self, client: Any):
        self._client = client
        self._pending: dict[Future, Any] = {}  # ours -> Dask's
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._watch, name="mda-grappe", daemon=True).start()

    def _lost(self) -> bool:
        return self._client.status in ("closing", "closed")

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future:
        ours: Future = Future()
        if self._lost():
            _abandon(ours)
            return ours
        theirs = self._client.submit(grade_on_worker, fn, *args, pure=False, resources={RESOURCE: 1}, **kwargs)
        with self._lock:
            self._pending[ours] = theirs
        theirs.add_done_callback(lambda done: self._hand_over(ours, done))
        return ours

    def _hand_over(self, ours: Future, theirs: Any) -> None:
        """Fetch the result in a thread of its own: Dask runs every done-callback in one single thread,
        which one slow fetch (a result computed again after its worker died) would hold up."""
        threading.Thread(target=self._settle, args=(ours, theirs), name="mda-grappe-resultat", daemon=True).start()

    def _settle(self, ours: Future, theirs: Any) -> None:
        try:
            if theirs.status == "finished":
                outcome, value = "result", theirs.result()
            elif theirs.status == "cancelled":
                outcome, value = "cancelled", None
            else:
                outcome, value = "exception", theirs.exception()
        except BaseException as problem:  # noqa: BLE001 - e.g. the result could not be fetched
            outcome, value = "exception", problem
        with self._lock:
            self._pending.pop(ours, None)
        try:
            if outcome == "result":
                ours.set_result(value)
            elif outcome == "exception":
                ours.set_exception(value)
            else:
                _abandon(ours)
        except InvalidStateError:  # already abandoned by the watch
            pass

    def _watch(self) -> None:
        while not self._closed.wait(self.WATCH_SECONDS):
            if self._lost():
                with self._lock:
                    abandoned = list(self._pending)
                    self._pending.clear()
                for future in abandoned:
                    _abandon(future)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            pending = dict(self._pending)
        try:
            if cancel_futures:
                for future in pending:
                    _abandon(future)
                if not self._lost():
                    self._client.cancel(list(pending.values()))
            elif wait:
                concurrent.futures.wait(pending)
        finally:
            self._closed.set()
            self._client.close()


@dataclass
class ClusterFactory:
    """Makes executors on a checked cluster; ``run_grading`` also reads its ``workers`` (gradings
    at once: the window is twice that) and its ``sandbox`` (chosen on each machine)."""

    address: str
    workers: int
    machines: list[str]
    security: Any = None  # ``cluster_security``: None only for a cluster explicitly accepted unencrypted
    timeout: float = DEFAULT_TIMEOUT
    sandbox: Sandbox = field(default_factory=SandboxOnEachMachine)

    @property
    def encrypted(self) -> bool:
        return self.security is not None and bool(self.security.require_encryption)

    def __call__(self) -> Executor:
        return ClusterExecutor(connect(self.address, self.security, self.timeout))


def cluster_security(address: str, certificates: Path, unencrypted: bool = False) -> Any:
    """How ``mda grade`` connects to the cluster at ``address``: a ``Security`` requiring TLS and the
    trainer's certificate (``tls://``), or ``None`` for a ``tcp://`` cluster the trainer explicitly
    accepted unencrypted; ``ClusterUnavailable`` (French) otherwise."""
    from mda_checks.extras import MissingExtra, require
    from mda_checks.grade.runs.certificates import CertificateProblem, check_certificates

    try:
        require("distributed", "La correction sur une grappe Dask (--grappe)")
    except MissingExtra as missing:
        raise ClusterUnavailable(str(missing)) from None
    check_address(address)
    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme == "tls":
        try:
            return check_certificates(certificates).client_security()
        except CertificateProblem as problem:
            raise ClusterUnavailable(str(problem)) from None
    if unencrypted:
        return None
    raise ClusterUnavailable(
        f"grappe non chiffrée refusée : « {address} » n'utilise pas TLS ; quiconque joint son port exécuterait du "
        "code en root sur chaque machine de correction, ou s'y inscrirait pour renvoyer des notes. Créez les "
        "certificats (`mda grappe certificats DOSSIER`), démarrez le planificateur et les processus de correction "
        "avec TLS (`dask scheduler --tls-ca-file ca.pem --tls-cert planificateur.pem --tls-key planificateur-cle.pem`, "
        "`dask worker tls://… --tls-ca-file ca.pem --tls-cert correcteur.pem --tls-key correcteur-cle.pem` ; "
        f"docs/formateur.md « Corriger sur plusieurs machines »), puis `mda grade --grappe tls://…`. Sur un réseau fermé que vous "
        f"contrôlez seulement : {UNENCRYPTED_OPTION}")


def check_address(address: str) -> None:
    """A French error for an address Dask cannot read (before a client is made: a client made on
    such an address leaves a noisy clean-up behind it)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except (ValueError, TypeError):
        raise ClusterUnavailable(f"adresse de grappe illisible : « {address} » (attendu : tls://machine:8786)") from None


def connect(address: str, security: Any, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """A ``distributed.Client`` on the scheduler, with ``security`` (``cluster_security``), or a French
    error after ``timeout`` seconds."""
    from distributed import Client

    check_address(address)
    try:
        return _handshake(Client, address, timeout, security)
    except Exception as problem:  # noqa: BLE001 - refused, timed out, name unknown, certificate refused …
        if "TLS" in str(problem) or "SSL" in str(problem) or "ssl_context" in str(problem):
            raise ClusterUnavailable(
                f"la grappe « {address} » et ce poste ne se reconnaissent pas (TLS : {problem}) : le planificateur "
                "doit être démarré avec les certificats du même dossier que celui de `mda grade` (même ca.pem), et "
                "l'adresse commencer par tls://") from None
        detail = "" if isinstance(problem, OSError) else f" ({type(problem).__name__}: {problem})"
        raise ClusterUnavailable(
            f"grappe Dask injoignable à l'adresse « {address} » (essayé pendant {timeout:g} s) : vérifiez l'adresse "
            f"(tls://machine:8786), que `dask scheduler` tourne sur cette machine et que son port est ouvert{detail}"
        ) from None


def _handshake(client_class: Any, address: str, timeout: float, security: Any, attempts: int = 3) -> Any:
    """The client, tried again when Dask's own handshake check trips (a bare ``AssertionError`` from
    ``Client._ensure_connected`` when the scheduler's first message to a new client is not the lone
    « stream-start » it expects): a race inside the library, not an answer from the cluster, so it is
    not reported to the trainer as one. Every other failure is reported at once."""
    for _ in range(attempts - 1):
        try:
            return client_class(address, timeout=timeout, set_as_default=False, security=security)
        except AssertionError:
            continue
    return client_class(address, timeout=timeout, set_as_default=False, security=security)


def grading_workers(client: Any, timeout: float) -> dict[str, dict]:
    """The workers that offer the ``correction`` resource (waiting up to ``timeout`` s for one)."""
    deadline = time.monotonic() + timeout
    while True:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        grading = {address: info for address, info in workers.items() if info.get("resources", {}).get(RESOURCE)}
        if grading or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if not grading:
        others = f" ({len(workers)} poste(s) connecté(s) sans la ressource {RESOURCE})" if workers else ""
        raise ClusterUnavailable(
            f"aucune machine de correction dans la grappe après {timeout:g} s d'attente{others} : sur chaque machine, "
            f"lancez `{WORKER_COMMAND}`")
    shared = [f"{info.get('host', address)} ({address}, {RESOURCE}={info['resources'][RESOURCE]:g})"
              for address, info in grading.items() if info["resources"][RESOURCE] > 1]
    if shared:
        raise ClusterUnavailable(
            f"poste(s) déclarant plus d'une correction à la fois : {', '.join(shared)} ; deux corrections ne doivent "
            f"pas partager un processus : relancez-les avec `{WORKER_COMMAND}`")
    return grading


def check_installation(client: Any, workers: dict[str, dict], timeout: float) -> None:
    """Every grading worker has the parent's installation, or a French error naming the differences.

    Asked as one ordinary task per worker (in its thread, like a grading: it also loads the grading
    modules there), not with ``Client.run``, which would block the worker's event loop."""
    here = installation().split(";")
    futures = {address: client.submit(installation, pure=False, workers=[address],
                                      allow_other_workers=False, resources={RESOURCE: 1})
               for address in workers}
    problems = []
    for address, future in sorted(futures.items()):
        host = workers[address].get("host", address)
        try:
            theirs = future.result(timeout=max(timeout, 120.0)).split(";")  # a first import can be slow
        except Exception as problem:  # noqa: BLE001 - a worker that cannot answer is reported, whatever the cause
            problems.append(f"{host} ({address}) : mda_checks inutilisable ou sans réponse "
                            f"({type(problem).__name__}: {problem})")
            continue
        differences = [f"{mine} ici, {other} là-bas" for mine, other in zip(here, theirs) if mine != other]
        if differences:
            problems.append(f"{host} ({address}) : {', '.join(differences)}")
    client.cancel(list(futures.values()))
    if problems:
        raise ClusterUnavailable(
            "installation différente sur des machines de la grappe (une autre version peut donner une autre "
            "note) : " + " ; ".join(problems) + " ; installez le même projet partout (`make install`) et relancez "
            "`dask worker` après chaque mise à jour")


def cluster_executor(address: str, security: Any, timeout: float = DEFAULT_TIMEOUT) -> ClusterFactory:
    """Check the cluster at ``address`` (reachable with ``security``, grading workers, same installation)
    and return a factory of executors on it; ``ClusterUnavailable`` (French) otherwise."""
    client = connect(address, security, timeout)
    try:
        workers = grading_workers(client, timeout)
        check_installation(client, workers, timeout)
    finally:
        client.close()
    machines = sorted({info.get("host", address) for address, info in workers.items()})
    return ClusterFactory(address, len(workers), machines, security, timeout)


def quiet_dask_messages() -> None:
    """In the parent: only Dask's critical log lines. Its others (English tracebacks when a scheduler
    goes away …) tell a trainer nothing more than the French reason recorded for each copy."""
    importlib.import_module("distributed")  # its import sets its loggers' levels: set them after it

    for name in ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def sandbox_summary(modes: dict[str, int]) -> list[str]:
    """French lines: how many submissions each sandbox mode graded on the cluster."""
    from mda_checks.grade.sandbox.isolation import DESCRIPTIONS

    lines = [f"{DESCRIPTIONS.get(mode, mode)} : {count} copie(s)" for mode, count in sorted(modes.items())]
    if modes.get(NONE):
        lines.append(f"Attention : {modes[NONE]} copie(s) corrigée(s) SANS isolation : installez bubblewrap "
                     "sur chaque machine de la grappe (`make install`)")
    return lines
