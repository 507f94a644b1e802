"""A learner's server enters its own control group before it drops root, so the server and every kernel it
starts share one memory, processor and process limit (mda_checks/hub/spawner.py)."""
from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path

import pytest
from jupyterhub.spawner import LocalProcessSpawner

from mda_checks.grade.sandbox.cgroups import KernelCgroup, kernel_cgroup
from mda_checks.hub.spawner import LimitedSpawner, group_name
from tests.hub.harness import memory_limit


def test_the_server_enters_every_folder_of_its_group_then_drops_root(tmp_path, monkeypatch):
    folders = (tmp_path / "memory", tmp_path / "pids")
    for folder in folders:
        folder.mkdir()
        (folder / "cgroup.procs").write_text("")
    seen = []

    def recorded_drop(self, name):
        return lambda: seen.append((name, [(f / "cgroup.procs").read_text() for f in folders]))

    monkeypatch.setattr(LocalProcessSpawner, "make_preexec_fn", recorded_drop)
    spawner = LimitedSpawner()
    spawner._group = KernelCgroup(folders)
    spawner.make_preexec_fn("a.martin")()
    assert seen == [("a.martin", [str(os.getpid())] * 2)]  # in both groups BEFORE root is dropped
    spawner._group = None
    seen.clear()
    for folder in folders:
        (folder / "cgroup.procs").write_text("")
    spawner.make_preexec_fn("a.martin")()  # no control groups on this machine: the server still starts
    assert seen == [("a.martin", ["", ""])]


def test_group_names_keep_only_safe_characters():
    assert group_name("a.martin") == "mda-noyau-hub-a_martin"
    assert group_name("../../x") == "mda-noyau-hub-______x"


@pytest.mark.skipif(os.geteuid() != 0, reason="test réservé à root : groupes de contrôle et changement de compte")
def test_a_process_started_with_it_runs_as_the_account_inside_a_group_with_the_configured_memory():
    spawner = LimitedSpawner(memory_bytes=300 * 1024 ** 2, cpus=0.5, processes=64)
    spawner._group = kernel_cgroup(f"{group_name('essai')}-{os.getpid()}", spawner.memory_bytes, spawner.processes,
                                   spawner.cpus)
    if spawner._group is None:
        pytest.skip("groupes de contrôle indisponibles sur cette machine")
    child = subprocess.Popen(["sleep", "60"], preexec_fn=spawner.make_preexec_fn("nobody"), cwd="/")
    try:
        deadline = time.monotonic() + 60
        while "sleep" not in Path(f"/proc/{child.pid}/cmdline").read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # exec done: the child is past its preexec function
        assert memory_limit(child.pid) == 300 * 1024 ** 2
        assert os.stat(f"/proc/{child.pid}").st_uid == pwd.getpwnam("nobody").pw_uid
    finally:
        child.kill()
        child.wait()
        spawner._group.remove()
    assert memory_limit(os.getpid()) != 300 * 1024 ** 2  # the test's own process is not in it
