"""Catch every kernel launch and every bubblewrap sandbox, in the test process and in its subprocesses.

Loaded as ``sitecustomize`` (tests/conftest.py puts this folder first on PYTHONPATH) so that `mda grade`
workers, nested pytest runs and CLI subprocesses are watched too, not only the pytest process.
- ``MDA_TEST_RAPIDE=1`` (``make test-rapide``): a launch raises, so a test of the fast tier that starts a
  kernel or a sandbox fails and names itself; the marker rules of tests/conftest.py must then classify it.
- ``MDA_TEST_JOURNAL_LANCEMENTS=<file>``: each launch appends ``<kind>\\t<PYTEST_CURRENT_TEST>`` to the
  file; used to check the marker rules against what the tests really do (docs/mesures/tests.md).
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import subprocess
import sys

RAPIDE = "MDA_TEST_RAPIDE"
JOURNAL = "MDA_TEST_JOURNAL_LANCEMENTS"


class LaunchInFastTier(RuntimeError):
    """A test of the fast tier (no kernel, no sandbox) started one."""


def report_launch(kind: str, what: str) -> None:
    """Log the launch for the current test, then refuse it in the fast tier."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" (", 1)[0]
    journal = os.environ.get(JOURNAL)
    if journal:
        with open(journal, "a", encoding="utf-8") as log:
            log.write(f"{kind}\t{test}\n")
    if os.environ.get(RAPIDE) == "1":
        raise LaunchInFastTier(
            f"make test-rapide ne démarre ni noyau ni bac à sable, or ce test lance {what} ({kind}) : "
            f"{test}. Marquez-le (règles de tests/tiers.py) ou retirez ce lancement.")


def guard_kernel_manager(module) -> None:
    """Every kernel launch of jupyter_client (sync, async, sandboxed, nbclient, nbval) goes through here."""
    manager = module.KernelManager
    launch = manager._async_launch_kernel
    if getattr(launch, "guarded", False):
        return

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        report_launch("kernel", " ".join(map(str, kernel_cmd[:3])))
        return await launch(self, kernel_cmd, **kw)

    _async_launch_kernel.guarded = True
    manager._async_launch_kernel = _async_launch_kernel


def watched_environment(env):
    """An explicit subprocess environment with the guard's variables and this folder first on PYTHONPATH."""
    env = dict(env)
    for name in (RAPIDE, JOURNAL, "PYTEST_CURRENT_TEST"):
        if name in os.environ:
            env.setdefault(name, os.environ[name])  # a test that sets one for its subprocess keeps its value
    here = os.path.dirname(os.path.abspath(__file__))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH")]))
    return env


def guard_popen() -> None:
    """bubblewrap runs as a subprocess (probes, sandboxed kernels, the sandbox check)."""
    init = subprocess.Popen.__init__
    if getattr(init, "guarded", False):
        return

    def __init__(self, args, *rest, **kw):  # noqa: N807 - replaces Popen.__init__
        program = args if isinstance(args, (str, bytes)) else (list(args)[:1] or [""])[0]
        if os.path.basename(os.fsdecode(program).split(" ", 1)[0]) == "bwrap":
            report_launch("sandbox", "bubblewrap")
        if kw.get("env") is not None:  # a subprocess given its own environment stays watched
            kw["env"] = watched_environment(kw["env"])
        init(self, args, *rest, **kw)

    __init__.guarded = True
    subprocess.Popen.__init__ = __init__


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patch jupyter_client.manager right after it is first imported (importing it here would be slow)."""

    def find_spec(self, name, path=None, target=None):
        if name != "jupyter_client.manager":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_guard(module):
            exec_module(module)
            guard_kernel_manager(module)

        spec.loader.exec_module = exec_and_guard
        return spec


def install() -> None:
    """Install both guards once per process (idempotent)."""
    guard_popen()
    if "jupyter_client.manager" in sys.modules:
        guard_kernel_manager(sys.modules["jupyter_client.manager"])
    elif not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())


if os.environ.get(RAPIDE) == "1" or os.environ.get(JOURNAL):
    install()


def launches_of(test: str) -> list[str]:
    """Kinds of launch the journal holds for one test (its pytest node id)."""
    journal = os.environ.get(JOURNAL)
    if not journal or not os.path.exists(journal):
        return []
    with open(journal, encoding="utf-8") as log:
        rows = [line.rstrip("\n").split("\t", 1) for line in log]
    return [row[0] for row in rows if len(row) == 2 and row[1] == test]
