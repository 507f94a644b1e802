"""One write quota per kernel (working folder, runtime folder, /tmp), and no mount left by a killed grading."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mda_checks.grade.sandbox import quota
from mda_checks.grade.sandbox.janitor import mounts_below, remove_tree
from mda_checks.grade.runs.run_lock import OWNER, SCRATCH_PREFIX, sweep_stale_runs
from mda_checks.grade.sandbox.sandboxed_kernel import sweep_stale_private_folders
from tests.grade.sandbox.test_isolation import _notebook_folder, _outputs, _run

pytestmark = pytest.mark.xdist_group("sandbox")
MIB = 1024 ** 2

#: writes 1 MiB blocks in the working folder, /tmp and the runtime folder until each refuses; prints the totals
FILLS = """
import os
from ipykernel.connect import get_connection_file
ecrit = {}
for nom, dossier in [("travail", "."), ("tmp", "/tmp"), ("execution", os.path.dirname(get_connection_file()))]:
    ecrit[nom] = 0
    try:
        for i in range(10_000):
            with open(os.path.join(dossier, f"plein-{i}"), "wb") as f:
                f.write(b"x" * 1024 ** 2)
            ecrit[nom] += 1024 ** 2
    except OSError as exc:
        ecrit[nom + "-erreur"] = exc.strerror
print("ECRIT=" + repr(ecrit))
"""
HONEST = """
import os
open("export.csv", "w").write("x" * 2 * 1024 ** 2)
open("/tmp/brouillon.txt", "w").write("x" * 2 * 1024 ** 2)
print("honnête", os.path.getsize("export.csv") + os.path.getsize("/tmp/brouillon.txt"), open("data/ventes.csv").read()[:7])
"""


def _needs_quota():
    if os.geteuid() != 0:
        pytest.skip("quota d'écriture par noyau : il faut root")


def test_a_kernel_fills_only_its_own_quota_shared_by_all_its_folders_and_the_kernel_beside_it_is_untouched(tmp_path):
    _needs_quota()
    results = {}
    hostile = threading.Thread(target=lambda: results.setdefault(
        "plein", _run([FILLS], _notebook_folder(tmp_path / "a"), cell_timeout=120, tmp_bytes=48 * MIB)))
    hostile.start()
    time.sleep(2)
    honest, problem, _ = _run([HONEST], _notebook_folder(tmp_path / "b"), tmp_bytes=48 * MIB)
    hostile.join()
    assert problem is None and f"honnête {4 * MIB} mois,ca" in _outputs(honest.cells[0]), _outputs(honest.cells[0])
    notebook, problem, _ = results["plein"]
    assert problem is None
    written = eval(_outputs(notebook.cells[0]).split("ECRIT=", 1)[1])  # the dict the kernel printed
    total = written["travail"] + written["tmp"] + written["execution"]
    # one quota for the three folders: together they hold 48 MiB at most, not 48 MiB each
    assert 40 * MIB <= total <= 48 * MIB, written
    assert written["travail-erreur"] == written["tmp-erreur"] == "No space left on device", written


def test_without_a_quota_the_kernel_still_starts_and_its_tmp_stays_limited(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted (no root): bubblewrap's /tmp of the same size, folders on the disk."""
    monkeypatch.setattr(quota, "mount_quota", lambda folder, size: False)
    notebook, problem, _ = _run(["open('/tmp/gros', 'wb').write(b'0' * 40 * 1024 ** 2)",
                                 "print(open('data/ventes.csv').read()[:7])"],
                                _notebook_folder(tmp_path), tmp_bytes=16 * MIB)
    assert problem is None
    assert "No space left" in _outputs(notebook.cells[0]), _outputs(notebook.cells[0])
    assert "mois,ca" in _outputs(notebook.cells[1])


def _mounted(folder: Path, size: int = MIB) -> Path:
    folder.mkdir(parents=True)
    assert quota.mount_quota(folder, size), quota.unavailable_reason()
    (folder / "ecrit par le noyau").write_text("x")
    return folder


def test_a_stale_kernel_folder_is_unmounted_then_deleted_and_a_live_one_is_kept(tmp_path):
    _needs_quota()
    old, fresh = _mounted(tmp_path / "mda-noyau-ancien"), _mounted(tmp_path / "mda-noyau-récent dossier")
    long_ago = time.time() - 3 * 600
    os.utime(old, (long_ago, long_ago))
    sweep_stale_private_folders(tmp_path, older_than=2 * 600)
    assert not old.exists() and not mounts_below(old)
    assert (fresh / "ecrit par le noyau").exists() and mounts_below(fresh) == [str(fresh)]  # a space in the name
    remove_tree(fresh)
    assert not fresh.exists() and not mounts_below(tmp_path)


def test_the_scratch_folder_of_a_killed_run_goes_with_its_kernels_mounts(tmp_path):
    _needs_quota()
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = tmp_path / f"{SCRATCH_PREFIX}mort"
    _mounted(dead / "mda-noyau-1")
    (dead / OWNER).write_text(str(child.pid))
    assert sweep_stale_runs(tmp_path) == [dead]
    assert not dead.exists() and not mounts_below(tmp_path)


def test_the_janitor_of_a_killed_run_unmounts_before_deleting(tmp_path):
    _needs_quota()
    from mda_checks.grade.sandbox import janitor

    scratch = tmp_path / "mda-cohorte-x"
    _mounted(scratch / "mda-noyau-1")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    done = subprocess.run([sys.executable, "-I", janitor.__file__, str(child.pid), str(scratch)], timeout=120)
    assert done.returncode == 0 and not scratch.exists() and not mounts_below(tmp_path)
