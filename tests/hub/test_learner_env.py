"""The learner runtime installs alone: the learners' environment (deploy/installer-apprenant.sh) holds mda_apprenant
and nothing of the trainer's, and every bloc's blank copy runs there, in that environment's own kernel."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from mda_apprenant.check.result import Status
from mda_checks.notebook import cells
from tests.conftest import ASSIGNMENTS, COURSE
from tests.hub.harness import skip_reason

pytestmark = pytest.mark.xdist_group("environnement-apprenant")

INDEX = ("pypi.org", 443)
CELL_SECONDS = 300  # a blank cell on a loaded machine; kernel start-up has its own, longer wait in jupyter_client


def _network_down() -> str | None:
    """Why PyPI cannot be reached from here (French), or None."""
    try:
        socket.create_connection(INDEX, timeout=15).close()
    except OSError as problem:
        return f"réseau indisponible ({INDEX[0]} injoignable : {problem})"
    return None


@pytest.fixture(scope="module")
def learner_prefix():
    """The learners' environment the hub tests build and cache; skipped only where it cannot be built."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    from tests.hub.learner_env import learner_env

    try:
        prefix, lock = learner_env()
    except AssertionError:
        down = _network_down()
        if down:
            pytest.skip(f"l'environnement des apprenants ne peut pas être construit ici : {down}")
        raise
    try:
        yield prefix
    finally:
        lock.release()


def _run_python(prefix: Path, code: str) -> subprocess.CompletedProcess:
    """The environment's Python as a learner's server runs it: from /, no PYTHONPATH, nothing of this test's."""
    return subprocess.run([str(prefix / "bin" / "python"), "-c", code], cwd="/", capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin"}, timeout=300)


def test_the_environment_has_the_learner_runtime_and_nothing_of_the_trainers(learner_prefix):
    runtime = _run_python(learner_prefix, "import mda_apprenant, mda_apprenant.widgets, mda_apprenant.exchange_fetch; "
                                          "print(mda_apprenant.__file__)")
    assert runtime.returncode == 0, runtime.stderr
    assert Path(runtime.stdout.strip()).is_relative_to(learner_prefix)  # the installed copy, not this clone's
    for trainer in ("mda_checks", "mda_reference"):
        done = _run_python(learner_prefix, f"import {trainer}")
        assert done.returncode == 1 and f"No module named '{trainer}'" in done.stderr, done.stderr
    assert not (learner_prefix / "bin" / "mda").exists()
    heavy = _run_python(learner_prefix, "import importlib.util as u; print([m for m in ('dask', 'distributed', "
                                        "'psycopg', 'jsonschema_rs', 'playwright') if u.find_spec(m)])")
    assert heavy.stdout.strip() == "[]", heavy.stdout  # the trainer's dependencies are not installed either


def _learner_kernel(prefix: Path, folder: Path) -> KernelManager:
    """A kernel of the learners' environment (its own Python and ipykernel), by a kernel spec written in `folder`."""
    spec = folder / "noyaux" / "apprenant"
    spec.mkdir(parents=True)
    argv = [str(prefix / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Apprenant", "language": "python"}),
                                      encoding="utf-8")
    return KernelManager(kernel_name="apprenant", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)]))


def _blank_run(prefix: Path, folder: Path, home: Path) -> tuple[list[str], list]:
    """Run every notebook of a copy of a bloc's release/ folder, each in a new kernel of the learners' environment:
    the first error of each notebook that raises, and the notebooks as run."""
    errors, notebooks = [], []
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=CELL_SECONDS, km=_learner_kernel(prefix, home / path.stem),
                                resources={"metadata": {"path": str(folder)}})
        try:
            client.execute(env={"PATH": f"{prefix / 'bin'}:/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(home)})
        except CellExecutionError as error:
            errors.append(f"{path.name} : {str(error)[-2000:]}")
        notebooks.append(notebook)
    return errors, notebooks


def _shown(notebook) -> str:
    """Everything the run displayed (plain text of results and displays, printed text)."""
    return "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                     for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", []))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_blank_copy_of_the_bloc_runs_in_the_learners_environment(learner_prefix, assignment, tmp_path):
    """Blank answers are « non traitée » in the check cells, never an error: the runtime alone suffices."""
    folder = tmp_path / assignment
    shutil.copytree(COURSE.release / assignment, folder)
    home = tmp_path / "maison"
    home.mkdir()
    os.chmod(home, 0o700)
    errors, notebooks = _blank_run(learner_prefix, folder, home)
    assert notebooks and errors == []
    for notebook in notebooks:  # run to the end, and its checks (if any) say the blank answers are not done
        assert all(c.get("execution_count") for c in notebook.cells if c.cell_type == "code" and c.source.strip())
        if any(cells.is_autograded_test(c) for c in notebook.cells):
            assert Status.MISSING.value in _shown(notebook)
    assert any(cells.is_autograded_test(c) for notebook in notebooks for c in notebook.cells)


def test_the_blank_run_reports_a_notebook_that_needs_the_trainers_package(learner_prefix, tmp_path, monkeypatch):
    """The run above can fail: a notebook that imports mda_checks raises in the learners' kernel, and is reported;
    its kernel sees neither the tester's environment nor home (its first cell checks it, then the import fails)."""
    monkeypatch.setenv("MDA_TEST_ENVIRONNEMENT_DU_TESTEUR", "1")
    folder = tmp_path / "bloc"
    folder.mkdir()
    home = tmp_path / "maison"
    home.mkdir()
    isolated = nbformat.v4.new_code_cell(f"import os\nassert 'MDA_TEST_ENVIRONNEMENT_DU_TESTEUR' not in os.environ\n"
                                         f"assert os.environ['HOME'] == {str(home)!r}\nassert 'PYTHONPATH' not in os.environ")
    notebook = nbformat.v4.new_notebook(cells=[isolated, nbformat.v4.new_code_cell("from mda_checks import Amount")])
    nbformat.write(notebook, folder / "carnet.ipynb")
    errors, _ = _blank_run(learner_prefix, folder, home)
    assert len(errors) == 1 and "No module named 'mda_checks'" in errors[0], errors
    notebook.cells.insert(1, nbformat.v4.new_code_cell("1 / 0"))  # a failing cell before it is the one reported
    (folder / "carnet.ipynb").unlink()  # under another name: each notebook's kernel spec lies in a folder of its name
    nbformat.write(notebook, folder / "carnet-2.ipynb")
    errors, _ = _blank_run(learner_prefix, folder, home)
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0], errors
