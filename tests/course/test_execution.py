"""Every master runs top to bottom with its solutions; every learner's copy runs blank."""
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from mda_checks.check.handover import MAX_NESTING, MAX_NODES, MIME_TYPE, within_caps
from mda_checks.scoring.reference import reference_expected
from mda_checks.scoring.score_cells import score_notebook
from mda_checks.notebook import cells
from tests.conftest import ASSIGNMENTS, COURSE, REPO

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
            # the caps of a hand-over keep a wide margin over every honest answer (mda_checks.check.handover)
            assert within_caps(handed[0].data[MIME_TYPE], MAX_NODES // 20, MAX_NESTING // 4), where
    expected_of = reference_expected(REPO, assignment, path.parent / "data")
    for cell, result in zip([c for c in notebook.cells if cells.is_autograded_test(c)],
                            score_notebook(notebook, expected_of)):
        assert result.score == cells.points(cell), (cells.grade_id(cell), result.text())


@pytest.mark.parametrize("assignment, path", [pytest.param(a, p, id=p.stem) for a, p in RELEASED])
def test_learners_copy_runs_blank_without_error(assignment, path, tmp_path):
    """nbval --nbval-lax: the copy a learner opens runs from top to bottom with no error."""
    path = _in_copy(path, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         str(path)],
        cwd=path.parent, capture_output=True, text=True, timeout=300,
        env={"PATH": os.environ["PATH"], "MPLBACKEND": "Agg", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout[-3000:]
