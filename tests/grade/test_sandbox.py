"""The kernel sandbox: what it hides, and the limits it enforces (bubblewrap, nobody, prlimit, timeout)."""
from __future__ import annotations

import threading
import time
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

from mda_checks.grade import cgroups
from mda_checks.grade.sandbox import (
    BWRAP_USER, FIRST_KERNEL_UID, NONE, _reach, checks_package, detected_sandbox, mount_arguments,
)
from mda_checks.grade.sandboxed_kernel import SandboxedKernelManager
from tests.conftest import REPO

pytestmark = pytest.mark.xdist_group("sandbox")


@cache
def sandbox():
    return detected_sandbox(REPO)


def test_the_course_root_and_the_checkout_are_emptied_but_for_the_learner_runtime(tmp_path):
    course = tmp_path / "cours"
    (course / "mda_reference").mkdir(parents=True)
    gradebook = tmp_path / "ailleurs.db"
    gradebook.write_bytes(b"")
    args = mount_arguments(course, tmp_path / "travail", tmp_path / "travail" / "r", [gradebook], check_permissions=False)
    text = " ".join(args)
    package = checks_package()
    # the course (here under /tmp, emptied as a whole) has nothing bound back: no key, no gradebook
    assert str(course.resolve()) not in text and "mda_reference" not in text
    assert f"--tmpfs {package}" in text
    assert f"--ro-bind {package / 'check'} {package / 'check'}" in text
    assert f"{package / 'grade'}" not in text and f"{package / 'casedata'}" not in text
    assert f"--ro-bind /dev/null {gradebook}" in text
    assert "--unshare-net" in args and "--ro-bind / /" in text


def test_a_folder_the_sandbox_user_cannot_cross_is_rebuilt_around_the_needed_path(tmp_path):
    private = tmp_path / "prive"
    (private / "python").mkdir(parents=True)
    private.chmod(0o700)
    steps = _reach(private / "python" / "bin", set(), check_permissions=True)
    assert ("tmpfs", private) in steps and ("bind", private / "python") in steps


def _run(cells: list[str], folder: Path, notebook_seconds: int = 60, cell_timeout: int = 20, **limits):
    """Execute code cells in a sandboxed kernel started in `folder`; return (notebook, exception, seconds)."""
    mode = sandbox()
    if mode.mode == NONE:
        pytest.skip(f"bubblewrap indisponible sur cette machine : {mode.problem}")
    config = Config()
    config.SandboxedKernelManager.mode = mode.mode
    config.SandboxedKernelManager.course_root = str(REPO)
    config.SandboxedKernelManager.notebook_seconds = notebook_seconds
    for name, value in limits.items():
        config.SandboxedKernelManager[name] = value
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, config=config, kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    start, problem = time.perf_counter(), None
    try:
        client.execute()
    except Exception as exc:
        problem = exc
    return notebook, problem, time.perf_counter() - start


def _outputs(cell):
    return " ".join(o.get("text", "") or f"{o.get('ename', '')} {o.get('evalue', '')}" or
                    str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def _notebook_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "autograded" / "x" / "bloc1"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "ventes.csv").write_text("mois,ca\n1,10\n", encoding="utf-8")
    (folder / "01_carnet.ipynb").write_text("{}", encoding="utf-8")
    return folder


def test_no_network_no_gradebook_no_key_read_only_machine_and_a_memory_ceiling(tmp_path):
    folder = _notebook_folder(tmp_path)
    notebook, problem, _ = _run([
        "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)",
        f"open({str(REPO / 'gradebook.db')!r}, 'rb').read(16)",
        f"open({str(REPO / 'mda_reference' / 'pirate.py')!r}, 'w')",
        f"import os\nprint(sorted(os.listdir({str(REPO / 'mda_reference')!r})))",
        "import mda_checks.casedata",
        "import mda_checks, mda_checks.check.handover\nprint('checks ok')",
        "x = bytearray(64 * 1024 ** 3)",
        "import os\nprint('uid', os.getuid())",
    ], folder)
    assert problem is None
    network, gradebook, write, listing, tooling, runtime, memory, user = (_outputs(c) for c in notebook.cells)
    assert "Error" in network, network
    assert "FileNotFoundError" in gradebook or "PermissionError" in gradebook, gradebook
    assert "FileNotFoundError" in write or "Read-only" in write or "PermissionError" in write, write
    assert "FileNotFoundError" in listing, listing
    assert "ModuleNotFoundError" in tooling, tooling
    assert "checks ok" in runtime, runtime
    assert "MemoryError" in memory, memory
    if sandbox().mode == BWRAP_USER:  # a user of its own, never root nor a shared account
        assert int(user.split()[1]) >= FIRST_KERNEL_UID, user
    assert not (REPO / "mda_reference" / "pirate.py").exists()


def test_the_kernel_works_in_a_copy_and_never_writes_where_the_graded_notebooks_are(tmp_path):
    folder = _notebook_folder(tmp_path)
    notebook, problem, _ = _run([
        "import os\nprint(sorted(os.listdir('.')), sorted(os.listdir('data')))",
        "print(open('data/ventes.csv').read().splitlines()[0])",
        "open('data/ventes.csv', 'w')",
        "open('01_carnet.ipynb', 'w').write('pirate')\nos.symlink('/etc/passwd', 'lien')\nopen('export.xlsx', 'w').write('x')",
        "print(sorted(os.listdir('.')))",
    ], folder)
    assert problem is None
    listing, header, overwrite, write, after = (_outputs(c) for c in notebook.cells)
    assert "['data'] ['ventes.csv']" in listing, listing  # the notebooks are not there
    assert "mois,ca" in header
    assert "PermissionError" in overwrite or "Read-only" in overwrite, overwrite
    assert "01_carnet.ipynb" in after and "export.xlsx" in after  # the kernel may write its own folder …
    assert (folder / "01_carnet.ipynb").read_text() == "{}"  # … which is a throw-away copy
    assert sorted(p.name for p in folder.iterdir()) == ["01_carnet.ipynb", "data"]
    assert not list(Path("/tmp").glob("mda-noyau-*/travail/export.xlsx"))  # deleted with the kernel


def test_the_wall_clock_limit_stops_a_notebook_whose_cells_stay_under_their_own_timeout(tmp_path):
    _, problem, seconds = _run(["import time\ntime.sleep(10)"] * 10, _notebook_folder(tmp_path),
                               notebook_seconds=6, cell_timeout=30)
    assert isinstance(problem, DeadKernelError), problem
    assert seconds < 60  # the cells alone would take 100 s


def test_an_endless_cell_is_interrupted_and_the_kernel_goes_on(tmp_path):
    notebook, problem, _ = _run(["while True:\n    pass", "print('encore là')"], _notebook_folder(tmp_path),
                                cell_timeout=3)
    assert problem is None
    assert "KeyboardInterrupt" in _outputs(notebook.cells[0]) or "CellTimeoutError" in _outputs(notebook.cells[0])
    assert "encore là" in _outputs(notebook.cells[1])


def _needs_cgroups():
    if sandbox().mode != BWRAP_USER:
        pytest.skip("limites par noyau : il faut root (utilisateur propre à chaque noyau)")
    probe = cgroups.kernel_cgroup("sonde-test", 64 * 1024 ** 2, 16)
    if probe is None:
        pytest.skip(f"groupes de contrôle indisponibles : {cgroups.unavailable_reason()}")
    probe.remove()


BOMB = """
import os, time
for _ in range(2000):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        pass
time.sleep(15)
"""
HONEST = "import subprocess\nprint('lancés', sum(subprocess.run(['true']).returncode == 0 for _ in range(20)))"


def test_a_fork_bomb_in_one_kernel_leaves_the_kernel_beside_it_untouched(tmp_path):
    """Each kernel has its own user and control group: a bomb exhausts its own processes only."""
    _needs_cgroups()
    results = {}
    bomb = threading.Thread(target=lambda: results.setdefault(
        "bombe", _run([BOMB], _notebook_folder(tmp_path / "a"), cell_timeout=40, processes=64)))
    bomb.start()
    time.sleep(3)  # the bomb is (most likely) at its ceiling by now; the test holds either way
    honest, problem, _ = _run(["import pandas", HONEST], _notebook_folder(tmp_path / "b"), processes=64)
    bomb.join()
    assert problem is None and "lancés 20" in _outputs(honest.cells[1]), _outputs(honest.cells[1])


def test_memory_is_capped_for_all_the_processes_of_a_kernel_and_its_tmp(tmp_path):
    _needs_cgroups()
    notebook, problem, _ = _run([
        # three children each hold 450 MiB at the same time (15 s), whatever the machine's speed
        "import os, time\n"
        "pids = []\n"
        "for _ in range(3):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        x = bytearray(450 * 1024 ** 2)\n        x[::4096] = b'1' * len(x[::4096])\n"
        "        time.sleep(15)\n        os._exit(0)\n"
        "    pids.append(pid)\n"
        "print('codes', [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids])",
        "open('/tmp/gros', 'wb').write(b'0' * 200 * 1024 ** 2)",
    ], _notebook_folder(tmp_path), cell_timeout=90, memory_bytes=1024 ** 3, tmp_bytes=64 * 1024 ** 2)
    assert problem is None
    children, tmp = _outputs(notebook.cells[0]), _outputs(notebook.cells[1])
    codes = eval(children.split("codes", 1)[1])  # the exit codes printed by the kernel
    # each child fits its own address space; together (1.3 GiB) they exceed the group: one is killed
    assert any(code == -9 for code in codes), children
    assert "No space left" in tmp or "OSError" in tmp, tmp


def test_a_kernel_gets_at_most_its_share_of_the_processors(tmp_path):
    """Four busy processes for 3 s of wall time: on 2 quiet cores they would use about 6 s of CPU; capped at one."""
    _needs_cgroups()
    notebook, problem, _ = _run([
        "import os, time\n"
        "for i in range(4):\n"
        "    if os.fork() == 0:\n"
        "        fin = time.monotonic() + 3\n"
        "        while time.monotonic() < fin:\n            pass\n"
        "        open(f'cpu{i}', 'w').write(str(time.process_time()))\n"
        "        os._exit(0)\n"
        "for _ in range(4):\n    os.wait()\n"
        "print('cpu', round(sum(float(open(f'cpu{i}').read()) for i in range(4)), 2))",
    ], _notebook_folder(tmp_path), cpus=1.0)
    assert problem is None
    used = float(_outputs(notebook.cells[0]).split("cpu", 1)[1])
    assert used < 3.6, used  # one core for 3 s (+20 %: quota periods); unlimited on 2 cores: about 6 s


def test_private_folders_left_by_a_killed_grading_process_are_swept(tmp_path):
    import os
    import time

    from mda_checks.grade.sandboxed_kernel import sweep_stale_private_folders

    old, fresh, other = tmp_path / "mda-noyau-ancien", tmp_path / "mda-noyau-recent", tmp_path / "autre-ancien"
    for folder in (old, fresh, other):
        (folder / "travail").mkdir(parents=True)
    long_ago = time.time() - 3 * 600
    for folder in (old, other):
        os.utime(folder, (long_ago, long_ago))
    sweep_stale_private_folders(tmp_path, older_than=2 * 600)
    assert not old.exists() and fresh.exists() and other.exists()  # only stale kernel folders go
