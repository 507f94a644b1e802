"""SanitizeAnswers rewrites what the learner wrote in a graded notebook, and only that."""
from __future__ import annotations

import copy

import nbformat
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from mda_checks.grade.preprocessors.sanitize_answers import restored_from_gradebook, sanitize_notebook
from mda_checks.notebook import cells
from tests.conftest import REPO
from tests.grade.hostile_html import ANSWER_TEXT, dangers, hostile_answer, payloads

NOTEBOOK = REPO / "release" / "bloc3" / "03_animation_conflits.ipynb"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _output(html: str, **metadata) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "x"}, metadata=metadata)


def hostile_notebook() -> nbformat.NotebookNode:
    """The released notebook as a hostile learner hands it in: answers, an added cell, outputs, attachments."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for n, cell in enumerate(c for c in nb.cells if cells.is_solution(c) and c.cell_type == "markdown"):
        cell.source = "![collée](attachment:collee.png)\n\n" + hostile_answer(n + 1)
        cell["attachments"] = {"collee.png": {"image/png": PNG}}
    corpus = "\n\n".join(payloads().values())
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Cellule ajoutée\n\n" + corpus))
    nb.cells.insert(2, nbformat.v4.new_code_cell("display(...)", outputs=[
        _output(corpus, filenames={"image/png": "https://exemple.fr/pixel.png"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": corpus})]))
    nb.cells.insert(3, nbformat.v4.new_raw_cell('<div class="modal-backdrop in" id="submission_id">brut</div>' + corpus))
    check = next(c for c in nb.cells if cells.is_autograded_test(c))
    check.outputs = [_output('<div class="mda-check mda-juste" role="status"><strong>✔ juste</strong></div>')]
    return nb


def test_answers_added_cells_and_learner_outputs_keep_their_text_and_nothing_active():
    nb = sanitize_notebook(hostile_notebook())
    answers = [c for c in nb.cells if cells.is_solution(c) and c.cell_type == "markdown"]
    assert answers
    for n, cell in enumerate(answers):
        assert "\n" not in cell.source and cell.source.startswith("<div>")
        rendered = markdown2html_mistune(cell.source)  # as nbconvert, formgrader, the feedback read it again
        assert dangers(rendered) == [], cells.grade_id(cell)
        assert ANSWER_TEXT.format(n=n + 1) in rendered and f"data:image/png;base64,{PNG}" in rendered
        assert "attachments" not in cell
    assert "Cellule ajoutée" in nb.cells[1].source and dangers(markdown2html_mistune(nb.cells[1].source)) == []
    html, markdown = nb.cells[2].outputs
    assert dangers(html.data["text/html"]) == [] and "filenames" not in html.metadata
    assert dangers(markdown2html_mistune(markdown.data["text/markdown"])) == []
    assert nb.cells[3].cell_type == "raw" and dangers(nb.cells[3].source) == [] and "brut" in nb.cells[3].source


def test_the_hostile_notebook_was_active_before_so_the_test_can_fail():
    nb = hostile_notebook()
    answer = next(c for c in nb.cells if cells.is_solution(c) and c.cell_type == "markdown")
    assert dangers(markdown2html_mistune(answer.source.split("\n\n", 1)[1]))  # (nbconvert needs the attachments)
    assert dangers(nb.cells[2].outputs[0].data["text/html"])
    assert dangers(nb.cells[3].source)


def test_statements_jury_grids_and_check_messages_are_left_as_written():
    before = hostile_notebook()
    after = sanitize_notebook(copy.deepcopy(before))
    kept = [(b, a) for b, a in zip(before.cells, after.cells)
            if (b.cell_type == "markdown" and restored_from_gradebook(b)) or cells.is_autograded_test(b)]
    assert len(kept) > 5
    for b, a in kept:
        assert a == b, cells.grade_id(b)
    check = next(c for c in after.cells if cells.is_autograded_test(c) and c.outputs)
    assert 'class="mda-check mda-juste"' in check.outputs[0].data["text/html"]


def test_an_unlocked_cell_or_one_without_a_grade_id_is_the_learners():
    locked = nbformat.v4.new_markdown_cell("x", metadata={"nbgrader": {"locked": True, "grade_id": "intro"}})
    assert restored_from_gradebook(locked)
    for metadata in ({}, {"nbgrader": {"locked": True}}, {"nbgrader": {"locked": False, "grade_id": "q1"}},
                     {"nbgrader": {"solution": True, "grade": True, "grade_id": "q1", "locked": False}}):
        assert not restored_from_gradebook(nbformat.v4.new_markdown_cell("x", metadata=metadata)), metadata
