"""SanitizeAnswers: the graded notebook keeps only safe HTML of what the learner wrote (autograde step).

The graded notebook is what formgrader, the feedback pages, ``jupyter nbconvert`` and JupyterLab
(« Open live notebook ») render on the trainer's side. This step rewrites, in that notebook, every
piece of HTML the learner controls into its cleaned form (``safe_html``), so that each of these
renderers gets harmless HTML, whatever its own sanitizing:

- each markdown cell the learner could write: answers, cells the learner added, and any cell that
  nbgrader did not restore from the gradebook. The statements (locked cells with a grade id,
  restored by nbgrader's OverwriteCells) are the trainer's and stay as written;
- the HTML and markdown outputs of every code cell but the check cells (whose only output is
  written by ScoreAnswers), the output metadata that could point an image at an address, and raw
  cells (nbconvert shows them as HTML).

It runs after SaveAutoGrades: nbgrader has already compared each answer with its checksum (an
unchanged answer scores 0, a changed one waits for its manual grade), on the learner's own text.
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from mda_checks.grade.safe_html import as_markdown, clean_html, markdown_html
from mda_checks.notebook import cells


def restored_from_gradebook(cell: NotebookNode) -> bool:
    """A locked cell with a grade id: nbgrader's OverwriteCells put the gradebook's text back in it
    (an unknown grade id is removed by OverwriteCells, a duplicate one by DeduplicateIds)."""
    return cells.is_locked(cell) and bool(cells.grade_id(cell))


def sanitize_markdown_cell(cell: NotebookNode) -> None:
    cell.source = as_markdown(markdown_html(cell.source, cell.get("attachments")))
    cell.pop("attachments", None)  # embedded in the HTML as data, when they are images


def sanitize_outputs(cell: NotebookNode) -> None:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            data["text/html"] = clean_html(_text(data["text/html"]))
        if "text/markdown" in data:
            data["text/markdown"] = as_markdown(markdown_html(_text(data["text/markdown"])))
        output.get("metadata", {}).pop("filenames", None)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def sanitize_notebook(nb: NotebookNode) -> NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not restored_from_gradebook(cell):
            sanitize_markdown_cell(cell)
        elif cell.cell_type == "code" and not cells.is_autograded_test(cell):
            sanitize_outputs(cell)
        elif cell.cell_type == "raw":  # the course has none: nbconvert shows the learner's as HTML
            cell.source = clean_html(cell.source)
    return nb


class SanitizeAnswers(NbGraderPreprocessor):
    """Rewrite the learner's HTML of the graded notebook into safe HTML (after SaveAutoGrades)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        return sanitize_notebook(nb), resources
