"""Every master runs top to bottom with its solutions; every learner's copy runs blank."""
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from mda_apprenant.check.handover import MAX_NESTING, MAX_NODES, MIME_TYPE, within_caps
from mda_checks.scoring.reference import reference_expected
from mda_checks.scoring.score_cells import score_notebook
from mda_checks.notebook import cells
from tests.conftest import ASSIGNMENTS, COURSE, REPO
from tests.hub.harness import skip_reason as learners_environment_missing

MASTERS = [(a, p) for a in ASSIGNMENTS for p in COURSE.source_notebooks(a)]
RELEASED = [(a, p) for a in ASSIGNMENTS for p in sorted((COURSE.release / a).glob("*.ipynb"))]


def _in_copy(path, tmp_path):
    """Run in a copy of the notebook's folder: notebooks write files (Excel exports …)."""
    folder = tmp_path / path.parent.name
    shutil.copytree(path.parent, folder)
    return folder / path.name


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   allow_errors=True).execute()
    return notebook


@pytest.mark.parametrize("assignment, path", [pytest.param(a, p, id=p.stem) for a, p in MASTERS])
def test_master_runs_with_solutions_and_every_check_gives_full_points(assignment, path, tmp_path):
    """The kernel hands each answer over as data; the trusted step scores it in full."""
    notebook = _execute(_in_copy(path, tmp_path))
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        where = f"{path.name}:{cells.grade_id(cell) or cell.get('id')}"
        assert not [o for o in cell.outputs if o.output_type == "error"], where
        assert not [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"], where
        if cells.is_autograded_test(cell):
            handed = [o for o in cell.outputs if MIME_TYPE in o.get("data", {})]
            assert len(handed) == 1 and "text/html" in handed[0].data, where
            # the caps of a hand-over keep a wide margin over every honest answer (mda_apprenant.check.handover)
            assert within_caps(handed[0].data[MIME_TYPE], MAX_NODES // 20, MAX_NESTING // 4), where
    expected_of = reference_expected(REPO, assignment, path.parent / "data")
    for cell, result in zip([c for c in notebook.cells if cells.is_autograded_test(c)],
                            score_notebook(notebook, expected_of)):
        assert result.score == cells.points(cell), (cells.grade_id(cell), result.text())


def _blank_run_error(path, home) -> str | None:
    """Run a learner's copy top to bottom as nbval --nbval-lax did (without a nested pytest), in a kernel that
    sees only PATH, MPLBACKEND and a home of its own: the first error, or None."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(env={"PATH": os.environ["PATH"], "MPLBACKEND": "Agg", "HOME": str(home)})
    except CellExecutionError as error:
        return f"{path.name} : {str(error)[-3000:]}"
    return None


#: where the learners' environment can be built (root, as in CI), tests/hub/test_learner_env.py runs every blank
#: copy there, in that environment's own kernel, and checks more of each run: running them here too would only
#: repeat it; elsewhere they run here, in the course's environment, so a broken copy never hides behind a skip
IN_LEARNERS_ENVIRONMENT = pytest.mark.skipif(
    learners_environment_missing() is None,
    reason="copies vierges exécutées dans l'environnement des apprenants (tests/hub/test_learner_env.py)")


@IN_LEARNERS_ENVIRONMENT
@pytest.mark.parametrize("assignment, path", [pytest.param(a, p, id=p.stem) for a, p in RELEASED])
def test_learners_copy_runs_blank_without_error(assignment, path, tmp_path):
    """The copy a learner opens runs from top to bottom with no error."""
    error = _blank_run_error(_in_copy(path, tmp_path), tmp_path)
    assert error is None, error


@IN_LEARNERS_ENVIRONMENT
def test_the_blank_run_sees_only_its_own_environment_and_reports_a_failing_cell(tmp_path, monkeypatch):
    """The blank run can fail (an error in any cell is reported), and its kernel sees neither the tester's
    environment nor home, as the nested nbval run did not."""
    monkeypatch.setenv("MDA_TEST_ENVIRONNEMENT_DU_TESTEUR", "1")
    path = _in_copy(RELEASED[0][1], tmp_path)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(1, nbformat.v4.new_code_cell(
        f"import os\nassert 'MDA_TEST_ENVIRONNEMENT_DU_TESTEUR' not in os.environ\n"
        f"assert os.environ['HOME'] == {str(tmp_path)!r}"))
    nbformat.write(notebook, path)
    assert _blank_run_error(path, tmp_path) is None
    notebook.cells.insert(2, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(notebook, path)
    error = _blank_run_error(path, tmp_path)
    assert error is not None and "ZeroDivisionError" in error
