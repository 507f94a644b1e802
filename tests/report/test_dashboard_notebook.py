"""formateur/tableau_de_bord_promotion.ipynb: committed without outputs, and it runs headless (nbclient)
against a graded course, or says in French why there is nothing to show."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mda_checks.report.dashboard import NO_GRADEBOOK
from tests.conftest import REPO, copy_course
from tests.e2e.harness import graded_course

NOTEBOOK = Path("formateur") / "tableau_de_bord_promotion.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run_in(course_root: Path) -> nbformat.NotebookNode:
    """The dashboard notebook, copied into a course as it sits in the repository, run from its folder."""
    path = course_root / NOTEBOOK
    path.parent.mkdir(exist_ok=True)
    shutil.copy(REPO / NOTEBOOK, path)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def errors(notebook: nbformat.NotebookNode) -> list:
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_the_committed_notebook_has_no_outputs_and_sits_outside_release_and_source():
    notebook = nbformat.read(REPO / NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert "widgets" not in notebook.metadata  # no saved widget state (it would hold the promotion's grades)
    assert all("nbgrader" not in c.metadata for c in notebook.cells)  # not an assignment's notebook
    assert NOTEBOOK.parts[0] not in ("release", "source")
    assert len(code) <= 3 and "open_dashboard()" in "".join(c.source for c in code)  # thin: the logic is in the package


@pytest.mark.xdist_group("bloc2")
def test_the_notebook_runs_headless_against_a_graded_course():
    graded = graded_course("bloc2")
    notebook = run_in(graded.course.root)
    assert not errors(notebook), errors(notebook)
    last = [c for c in notebook.cells if c.cell_type == "code"][-1]
    views = [o for o in last.outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1, last.outputs  # the dashboard's widgets, not a message
    shutil.rmtree(graded.course.root / NOTEBOOK.parent)  # the graded course is shared with the bloc's other tests


def test_the_notebook_says_in_french_when_there_is_no_gradebook(tmp_path):
    course = copy_course(tmp_path / "cours")
    notebook = run_in(course.root)
    assert not errors(notebook), errors(notebook)
    last = [c for c in notebook.cells if c.cell_type == "code"][-1]
    shown = "".join(o.get("data", {}).get("text/html", "") for o in last.outputs)
    assert NO_GRADEBOOK.format(path="gradebook.db").split(" : ")[0] in shown
    assert WIDGET_VIEW not in str(last.outputs)
