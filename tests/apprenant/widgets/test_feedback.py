"""The what-if tools through the real grading and feedback pipeline: the graded kernel runs them
quietly, and the learner's feedback page shows their static chart, never an empty widget."""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from mda_checks.assign import build_course
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.exchange import ensure_exchange
from mda_checks.feedback import generate_feedback
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from mda_apprenant.widgets.common import WIDGET_VIEW
from tests.conftest import copy_course

pytestmark = [pytest.mark.xdist_group("widgets")]

STUDENT = "apprenant-simulateur"
#: (assignment, notebook, grade_id of the tool's cell, title of its static chart summary)
TOOLS = [("bloc1", "04_budget_rentabilite", "b1n4_simulateur", "Simulateur du seuil de rentabilité"),
         ("bloc4", "04_rapport_crise", "b4n4_simulateur", "Simulateur de la matrice des risques")]


@pytest.fixture(scope="module")
def graded():
    """A course reduced to the two notebooks with a tool, a solved submission of each, graded and fed back."""
    folder = Path(tempfile.mkdtemp(prefix="mda-simulateurs-"))
    course = copy_course(folder)
    keep = {(a, n) for a, n, _, _ in TOOLS}
    for assignment in course.assignments():
        if assignment not in {a for a, _ in keep}:
            shutil.rmtree(course.source / assignment)
            continue
        for path in course.source_notebooks(assignment):
            if (assignment, path.stem) not in keep:
                path.unlink()
    ensure_exchange(course)
    build_course(course)
    for assignment, _notebook, _, _ in TOOLS:
        write_submission(course, STUDENT, assignment, solved_submission(course, assignment))
    run_grading(course, plan_grading(course, [a for a, _, _, _ in TOOLS]), workers=1)
    problems = {a: generate_feedback(course_api(course.root), course, a, [STUDENT]) for a, _, _, _ in TOOLS}
    yield course, problems
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("assignment, notebook, grade_id, title", TOOLS, ids=[t[0] for t in TOOLS])
def test_the_graded_kernel_runs_the_tool_quietly(graded, assignment, notebook, grade_id, title):
    course, _ = graded
    path = course.step("autograded") / STUDENT / assignment / f"{notebook}.ipynb"
    graded_notebook = nbformat.read(path, as_version=4)
    (cell,) = [c for c in graded_notebook.cells if cells.grade_id(c) == grade_id]
    assert not [o for o in cell.outputs if o.output_type in ("error", "stream")], cell.outputs
    (output,) = cell.outputs
    assert "image/png" in output.data and title in output.data["text/plain"]
    assert not cells.is_grade(cell)  # an exploration aid: never graded
    assert "widgets" not in graded_notebook.metadata  # no saved widget state: pages show the static chart
    for other in graded_notebook.cells:  # the solved notebook is still fully correct around it
        assert not [o for o in other.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"]


@pytest.mark.parametrize("assignment, notebook, grade_id, title", TOOLS, ids=[t[0] for t in TOOLS])
def test_the_feedback_page_shows_the_static_chart_in_place_of_the_widget(graded, assignment, notebook, grade_id,
                                                                            title):
    course, problems = graded
    assert not problems[assignment], problems
    page = (course.step("feedback") / STUDENT / assignment / f"{notebook}.html").read_text(encoding="utf-8")
    # the tool's cell (its grade_id marks it in the page), then its output: the chart of the starting state
    start = re.search(rf'<div[^>]*{grade_id}"[^>]*>', page)
    assert start, f"the cell {grade_id} is not in the page"
    cell = page[start.end():page.index('<div class="cell', start.end())]
    output = cell[cell.index('<div class="output_wrapper">'):]
    image = re.search(r'<img[^>]*src="data:image/png;base64,[A-Za-z0-9+/=]{2000,}"[^>]*>', output)
    assert image, output[:2000]
    assert f'alt="{title} (outil non noté)' in image.group(0)  # its French text alternative
    assert WIDGET_VIEW not in page and "widget-view" not in page and "Loading widget" not in page
    assert f"{title} indisponible" not in page
