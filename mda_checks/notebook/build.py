"""Building notebook cells with the right nbgrader and mda metadata.

Used to write master notebooks programmatically and by the tests to make small
notebooks. Trainers editing masters in JupyterLab set the same metadata with
nbgrader's « Create Assignment » toolbar and the metadata editor (``mda.ce``).
"""
from __future__ import annotations

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from mda_checks.notebook.rubric import header_markdown

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None,
              task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": task}
    if grade or task:
        meta["points"] = points
    return meta


def markdown(text: str, lock: str | None = None) -> NotebookNode:
    """Instructions; `lock` (a grade_id) makes the cell read-only and restored at grading."""
    cell = new_markdown_cell(text.strip())
    if lock:
        cell.metadata["nbgrader"] = _nbgrader(lock, grade=False, solution=False, locked=True)
    return cell


def code(source: str, lock: str | None = None) -> NotebookNode:
    cell = new_code_cell(source.strip())
    if lock:
        cell.metadata["nbgrader"] = _nbgrader(lock, grade=False, solution=False, locked=True)
    return cell


def answer(grade_id: str, source: str) -> NotebookNode:
    """A code cell the learner completes (the solution region is cleared in release/)."""
    cell = new_code_cell(source.strip())
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=False, solution=True, locked=False)
    return cell


def autotest(grade_id: str, source: str, points: float, ce: list[str]) -> NotebookNode:
    """A locked test cell scored by nbgrader from its last expression."""
    cell = new_code_cell(source.strip())
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=False, locked=True, points=points)
    cell.metadata["mda"] = {"ce": list(ce)}
    return cell


def manual(grade_id: str, model_answer: str, points: float, ce: list[str]) -> NotebookNode:
    """A written answer graded by hand in formgrader; the model answer stays in source/."""
    cell = new_markdown_cell(model_answer.strip())
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=True, locked=False, points=points)
    cell.metadata["mda"] = {"ce": list(ce)}
    return cell


def rubric(grade_id: str, ce: list[str], points: float, items: list[str]) -> NotebookNode:
    """The locked grid shown above a manual answer: its generated header (points, CE wording), what earns them."""
    lines = [header_markdown(points, ce), "", "Ce qui rapporte les points :", ""]
    lines += [f"- {item}" for item in items]
    return markdown("\n".join(lines), lock=grade_id)


def jury_task(grade_id: str, ce: list[str], points: float, behaviours: list[str], situation: str) -> NotebookNode:
    """A jury grid for an oral role play: nbgrader task cell, graded in formgrader, pending until then.

    The learner sees the grid (what the jury will observe); the jury's marks land
    in the same gradebook as the written answers.
    """
    lines = [header_markdown(points, ce, jury=True), "", f"**Situation** — {situation}", "",
             "Comportements observables qui rapportent les points :", ""]
    lines += [f"- {item}" for item in behaviours]
    cell = new_markdown_cell("\n".join(lines))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=False, solution=False, locked=True, points=points, task=True)
    cell.metadata["mda"] = {"ce": list(ce)}
    return cell


def notebook(cells: list[NotebookNode]) -> NotebookNode:
    """A notebook with stable cell ids (grade_id when there is one) and no outputs."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id or f"cellule-{index:03d}"
    nbformat.validate(nb)
    return nb
