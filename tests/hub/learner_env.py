"""The learners' environment for the hub tests, built once by deploy/installer-apprenant.sh and reused.

Building it takes about 20 s with uv (JupyterLab, nbgrader, pandas… from PyPI); it is kept in a cache keyed on
what it is built from (the deploy files and the learner runtime's dependencies, apprenant/pyproject.toml), under
/var/cache (root's, traversable by the learners' accounts, outside every clone of the repository, so CI runs on
one machine share it). On a hit only the learner runtime (apprenant/) is installed again (`--cours`).
Override the place with MDA_HUB_CACHE."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from filelock import FileLock, Timeout

from mda_checks.hub.command import installer_env
from mda_checks.hub.settings import DEPLOY
from tests.conftest import REPO

CACHE = Path(os.environ.get("MDA_HUB_CACHE", "/var/cache/mda"))
DEBIAN_PYTHON = "/usr/bin/python3"
BUILD_TIMEOUT = 1800  # a first build on a loaded machine, downloads included
STALE_SECONDS = 7 * 24 * 3600  # an environment of another key (older deploy/ files) unused this long is removed


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in sorted([*(DEPLOY / "apprenant").iterdir(), DEPLOY / "installer-apprenant.sh",
                        REPO / "apprenant" / "pyproject.toml"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def env_lock(prefix: Path) -> FileLock:
    """The lock of one environment, shared by the threads of a process: the hub test builds the environment in a
    thread and releases the lock from the main one. (filelock's default lock is per thread: released from another
    thread it stays held, and the next test of the same worker that needs the environment waits for itself.)"""
    return FileLock(str(prefix) + ".lock", thread_local=False)


def learner_env() -> tuple[Path, FileLock]:
    """The environment's folder, and the lock the caller holds while its hub uses it (acquired here)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    CACHE.chmod(0o755)
    prefix = CACHE / f"apprenant-{cache_key()}"
    lock = env_lock(prefix)
    lock.acquire(timeout=BUILD_TIMEOUT * 2)
    done = prefix / ".complet"
    refresh = ["--cours"] if done.is_file() else []  # built before: the course's code only
    argv = ["sh", str(DEPLOY / "installer-apprenant.sh"), *refresh, str(prefix), str(REPO)]
    env = {**installer_env(), "MDA_PYTHON_APPRENANT": DEBIAN_PYTHON}
    built = subprocess.run(argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=env)
    if built.returncode != 0:
        lock.release()
        raise AssertionError(f"environnement des apprenants : {built.stdout}\n{built.stderr}")
    done.touch()  # its date says when it was last used
    prune_stale(keep=prefix)
    return prefix, lock


def prune_stale(keep: Path) -> None:
    """Remove the environments of other keys left unused (each under its own lock: never one in use)."""
    for other in CACHE.glob("apprenant-*"):
        if other == keep or not other.is_dir():
            continue
        used = other / ".complet"
        if used.is_file() and time.time() - used.stat().st_mtime < STALE_SECONDS:
            continue
        lock = FileLock(str(other) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # being built or used right now
        try:
            shutil.rmtree(other, ignore_errors=True)
        finally:
            lock.release()
