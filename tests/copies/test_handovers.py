"""The hand-over a check cell is scored on is kept in its graded notebook, capped, read back validated, and shown
on no page: the feedback and formgrader render a graded notebook the same with or without it."""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mda_apprenant.check.handover import MIME_TYPE, serialise
from mda_apprenant.check.scalars import Amount
from mda_checks.copies import handovers
from mda_checks.copies.handovers import KEY, TOO_LARGE, keep_handover, read_handovers, scored_handover, stored_handovers
from mda_checks.nbgrader_api import course_config
from mda_checks.notebook import cells
from mda_checks.variants.compare import case_key, matches
from mda_checks.variants.learner_case import learner_case
from tests.conftest import REPO
from tests.copies.cohort import cohort_course, grade

LEARNER = "apprenant01"
pytestmark = pytest.mark.xdist_group("variants-bloc1")


@pytest.fixture(scope="module")
def graded(tmp_path_factory, variants_root):
    course = cohort_course(tmp_path_factory.mktemp("remises") / "cours", "bloc1", {LEARNER: LEARNER}, variants_root)
    return course, grade(course, "bloc1", LEARNER)


def test_every_scored_answer_is_kept_and_reads_back_as_the_right_answer(graded):
    course, folder = graded
    answers = read_handovers(folder)
    key = case_key(course, "bloc1", learner_case(course, "bloc1", LEARNER).folder)
    assert set(key) <= set(answers)  # every value check (figures and workbooks are kept too)
    assert all(matches(cell.spec, answers[grade_id], cell.right) for grade_id, cell in key.items()), \
        [g for g, c in key.items() if not matches(c.spec, answers[g], c.right)]


def _check_cell(*values) -> nbformat.NotebookNode:
    outputs = [new_output("execute_result", data={"text/plain": "…", MIME_TYPE: serialise(Amount("Total", v))})
               for v in values]
    cell = new_code_cell('reponse = Amount("Total", total)\nreponse', outputs=outputs)
    cell.metadata.nbgrader = {"grade": True, "solution": False, "grade_id": "total", "points": 1}
    return cell


def _scored(cell, before: dict, after: dict) -> nbformat.NotebookNode:
    handed = scored_handover(cell, before, after)
    cell.outputs = [new_output("execute_result", data={"text/plain": "1.0"})]  # write_score's one output
    keep_handover(cell, handed)
    return cell


def test_only_the_one_hand_over_a_cell_was_scored_on_is_kept():
    scored = _scored(_check_cell(12.5), {}, {"total": 12.5})
    assert stored_handovers(new_notebook(cells=[scored]))["total"]["value"] == 12.5
    # two hand-overs (scored 0), or a hand-over that was not read (nothing new in the learner's results)
    assert not stored_handovers(new_notebook(cells=[_scored(_check_cell(1.0, 2.0), {}, {"total": 1.0})]))
    same = object()
    assert not stored_handovers(new_notebook(cells=[_scored(_check_cell(3.0), {"total": same}, {"total": same})]))


def test_a_hand_over_above_the_cap_is_not_kept(monkeypatch):
    monkeypatch.setattr(handovers, "KEPT_HANDOVER_CHARS", 20)
    scored = _scored(_check_cell(12.5), {}, {"total": 12.5})
    assert stored_handovers(new_notebook(cells=[scored]))["total"] == TOO_LARGE


def test_kept_data_that_no_longer_fits_the_schema_is_not_read(tmp_path):
    good, bad = _scored(_check_cell(12.5), {}, {"total": 12.5}), _scored(_check_cell(7.0), {}, {"total": 7.0})
    bad.metadata.nbgrader.grade_id = "autre"
    bad.outputs[0].metadata["mda"][KEY]["value"] = {"$": "inconnu", "x": 1}
    nbformat.write(new_notebook(cells=[good, bad]), tmp_path / "carnet.ipynb")
    assert read_handovers(tmp_path) == {"total": 12.5}


def _without_kept(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        for output in cell.get("outputs", []):
            output.get("metadata", {}).get("mda", {}).pop(KEY, None)
    return stripped


def _exporter(template: str) -> HTMLExporter:
    """The exporter of nbgrader's GenerateFeedback (the course's French template) or of formgrader's grading page,
    configured as they configure it."""
    from nbgrader.server_extensions.formgrader import handlers

    config = course_config(REPO)
    config.HTMLExporter.template_name = template
    if "extra_template_basedirs" not in config.HTMLExporter:
        config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.HTMLExporter.extra_template_paths = [
        str(Path(handlers.__file__).parent / "static" / "node_modules" / "bootstrap" / "dist" / "css")]
    return HTMLExporter(config=config)


@pytest.mark.parametrize("template", ["feedback", "formgrade"])
def test_the_kept_answers_change_nothing_on_the_feedback_and_formgrader_pages(graded, template):
    _, folder = graded
    path = sorted(folder.glob("*.ipynb"))[0]
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:  # the scores nbgrader's GetGrades writes before rendering
        if cells.is_graded(cell):
            cell.metadata.nbgrader.score = 0.0
    kept = stored_handovers(notebook)
    assert kept and any(isinstance(v, dict) and v.get("value") is not None for v in kept.values())
    resources = {"assignment_id": "bloc1", "notebook_id": path.stem, "submission_id": "x", "index": 0, "total": 1,
                 "base_url": "", "student": LEARNER, "last_name": "", "first_name": "", "notebook_path": "x",
                 "nbgrader": {"notebook": path.stem, "score": 1.0, "max_score": 2.0, "late_penalty": 0.0}}
    exporter = _exporter(template)
    shown, _ = exporter.from_notebook_node(notebook, resources=dict(resources))
    bare, _ = exporter.from_notebook_node(_without_kept(notebook), resources=dict(resources))
    assert shown == bare
    assert MIME_TYPE not in shown and '"version"' not in shown and "&quot;version&quot;" not in shown


LEAKY = """{%- extends 'lab/index.html.j2' -%}
{% block execute_result %}<pre>{{ output.metadata | tojson }}</pre>{{ super() }}{% endblock execute_result %}
"""


def test_the_page_comparison_sees_a_template_that_writes_output_metadata(graded, tmp_path):
    """The comparison above can fail: a template that writes an output's metadata shows the kept answers."""
    _, folder = graded
    notebook = nbformat.read(sorted(folder.glob("*.ipynb"))[0], as_version=4)
    (tmp_path / "fuite").mkdir()
    (tmp_path / "fuite" / "conf.json").write_text('{"base_template": "lab", "mimetypes": {"text/html": true}}')
    (tmp_path / "fuite" / "index.html.j2").write_text(LEAKY)
    leaky = HTMLExporter(template_name="fuite", extra_template_basedirs=[str(tmp_path)])
    shown, _ = leaky.from_notebook_node(notebook)
    bare, _ = leaky.from_notebook_node(_without_kept(notebook))
    assert shown != bare and '"version"' in shown.replace("&#34;", '"').replace("&quot;", '"')
