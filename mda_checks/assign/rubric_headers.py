"""The header of every grading grid of the masters, generated (``mda_checks.notebook.rubric``).

A grid is a jury's task cell, or the locked markdown cell right above a written answer graded by
hand: its points and criteria are the graded cell's (``metadata.nbgrader.points``,
``metadata.mda.ce``). ``mda build`` refreshes the headers before generating release/, as it does
the barème blocks; a test says when the committed masters are stale.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from mda_checks.course import Course
from mda_checks.notebook import cells
from mda_checks.notebook.rubric import header_markdown, with_header


def graded_by_grid(notebook: NotebookNode) -> list[tuple[NotebookNode, NotebookNode]]:
    """(grid cell, graded cell) pairs: a task grades itself; a rubric grades the answer below it."""
    pairs = []
    for index, cell in enumerate(notebook.cells):
        if cells.is_task(cell):
            pairs.append((cell, cell))
        elif cells.is_manually_graded(cell) and index and _is_rubric(notebook.cells[index - 1]):
            pairs.append((notebook.cells[index - 1], cell))
    return pairs


def _is_rubric(cell: NotebookNode) -> bool:
    return cell.cell_type == "markdown" and cells.is_locked(cell) and not cells.is_graded(cell)


def refreshed(grid: NotebookNode, graded: NotebookNode) -> str:
    block = header_markdown(cells.points(graded), cells.ce_codes(graded), jury=cells.is_task(graded))
    return with_header(grid.source, block)


def refresh_rubrics(course: Course, assignment: str, write: bool = True) -> list[Path]:
    """Regenerate the grid headers of each master of `assignment`; return the notebooks that changed."""
    changed = []
    for path in course.source_notebooks(assignment):
        notebook = nbformat.read(path, as_version=4)
        stale = [(grid, text) for grid, graded in graded_by_grid(notebook)
                 if (text := refreshed(grid, graded)) != grid.source]
        if stale:
            changed.append(path)
            if write:
                for grid, text in stale:
                    grid.source = text
                nbformat.write(notebook, path)
    return changed
