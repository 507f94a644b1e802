"""The kernel sandbox: what it hides, and the limits it enforces (bubblewrap, nobody, prlimit, timeout)."""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

from mda_checks.config import GRADING_LIMITS
from mda_checks.grade.sandbox import (
    BWRAP_USER, KERNEL_NAME, NONE, _reach, detect_sandbox, install_kernel, mount_arguments, task_settings,
)
from tests.conftest import REPO

pytestmark = pytest.mark.xdist_group("sandbox")


def _scratch(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def sandbox():
    return detect_sandbox(REPO, _scratch("mda-sonde-"))


def test_the_course_root_is_emptied_but_for_the_reference_and_the_gradebook_is_masked(tmp_path):
    course = tmp_path / "cours"
    (course / "mda_reference").mkdir(parents=True)
    gradebook = tmp_path / "ailleurs.db"
    gradebook.write_bytes(b"")
    args = mount_arguments(course, tmp_path / "travail", tmp_path / "travail" / "r", [gradebook], check_permissions=False)
    text = " ".join(args)
    assert f"--tmpfs {course.resolve()}" in text
    assert f"--ro-bind {course.resolve() / 'mda_reference'} {course.resolve() / 'mda_reference'}" in text
    assert f"--ro-bind /dev/null {gradebook}" in text
    assert "--unshare-net" in args and "--ro-bind / /" in text
    assert text.index(f"--tmpfs {course.resolve()}") < text.index("mda_reference")


def test_a_folder_the_sandbox_user_cannot_cross_is_rebuilt_around_the_needed_path(tmp_path):
    private = tmp_path / "prive"
    (private / "python").mkdir(parents=True)
    private.chmod(0o700)
    steps = _reach(private / "python" / "bin", set(), check_permissions=True)
    assert ("tmpfs", private) in steps and ("bind", private / "python") in steps


def _run(cells: list[str], notebook_seconds: int = 60, cell_timeout: int = 20):
    """Execute code cells in the sandbox kernel; return (notebook, exception or None, seconds)."""
    mode = sandbox()
    if mode.mode == NONE:
        pytest.skip(f"bubblewrap indisponible sur cette machine : {mode.problem}")
    work = _scratch("mda-")
    runtime, folder = work / "r", work / "autograded" / "x" / "bloc1"
    runtime.mkdir()
    folder.mkdir(parents=True)
    limits = replace(GRADING_LIMITS, notebook_seconds=notebook_seconds)
    install_kernel(work / "jupyter", task_settings(mode, limits, REPO, work, runtime, [], [REPO / "gradebook.db"]))
    os.environ["JUPYTER_PATH"] = str(work / "jupyter")
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.connection_file = str(runtime / "noyau.json")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(notebook, timeout=cell_timeout, kernel_name=KERNEL_NAME, allow_errors=True,
                            interrupt_on_timeout=True, config=config, resources={"metadata": {"path": str(folder)}})
    start, problem = time.perf_counter(), None
    try:
        client.execute()
    except Exception as exc:
        problem = exc
    finally:
        os.environ.pop("JUPYTER_PATH", None)
    return notebook, problem, time.perf_counter() - start


def _outputs(cell):
    return " ".join(o.get("text", "") or f"{o.get('ename', '')} {o.get('evalue', '')}" or
                    str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def test_no_network_no_gradebook_read_only_machine_and_a_memory_ceiling():
    notebook, problem, _ = _run([
        "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)",
        f"open({str(REPO / 'gradebook.db')!r}, 'rb').read(16)",
        f"open({str(REPO / 'mda_reference' / 'pirate.py')!r}, 'w')",
        "x = bytearray(64 * 1024 ** 3)",
        "import os\nprint('uid', os.getuid())",
    ])
    assert problem is None
    network, gradebook, write, memory, user = (_outputs(c) for c in notebook.cells)
    assert "OSError" in network or "Error" in network, network
    assert "FileNotFoundError" in gradebook or "PermissionError" in gradebook, gradebook
    assert "Read-only file system" in write or "PermissionError" in write, write
    assert "MemoryError" in memory, memory
    if sandbox().mode == BWRAP_USER:
        assert "uid 65534" in user, user
    assert not (REPO / "mda_reference" / "pirate.py").exists()


def test_the_wall_clock_limit_stops_a_notebook_whose_cells_stay_under_their_own_timeout():
    _, problem, seconds = _run(["import time\ntime.sleep(2)"] * 10, notebook_seconds=6, cell_timeout=30)
    assert isinstance(problem, DeadKernelError), problem
    assert seconds < 20


def test_an_endless_cell_is_interrupted_and_the_kernel_goes_on():
    notebook, problem, _ = _run(["while True:\n    pass", "print('encore là')"], cell_timeout=3)
    assert problem is None
    assert "KeyboardInterrupt" in _outputs(notebook.cells[0]) or "CellTimeoutError" in _outputs(notebook.cells[0])
    assert "encore là" in _outputs(notebook.cells[1])


def test_the_launcher_needs_nothing_but_the_standard_library():
    launcher = Path(sys.modules["mda_checks.grade.sandbox"].__file__).with_name("sandbox_launch.py")
    imports = [line for line in launcher.read_text(encoding="utf-8").splitlines() if line.startswith(("import ", "from "))]
    assert all(line.split()[1].split(".")[0] in {"__future__", "json", "os", "shutil", "sys"} for line in imports), imports
