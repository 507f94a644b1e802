"""One-line predicates over a cell's metadata, the single source of truth.

``metadata.nbgrader`` says how nbgrader treats the cell; ``metadata.mda.ce``
lists the evaluation criteria (CE codes) a graded cell assesses.
"""
from __future__ import annotations

from nbformat import NotebookNode


def nbgrader(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_grade(cell: NotebookNode) -> bool:
    return bool(nbgrader(cell).get("grade"))


def is_solution(cell: NotebookNode) -> bool:
    return bool(nbgrader(cell).get("solution"))


def is_task(cell: NotebookNode) -> bool:
    return bool(nbgrader(cell).get("task"))


def is_locked(cell: NotebookNode) -> bool:
    return bool(nbgrader(cell).get("locked"))


def is_autograded_test(cell: NotebookNode) -> bool:
    """A test cell: nbgrader scores it from its output."""
    return is_grade(cell) and not is_solution(cell) and cell.cell_type == "code"


def is_manually_graded(cell: NotebookNode) -> bool:
    """An answer or task a trainer (or the jury) grades in formgrader."""
    return (is_grade(cell) and is_solution(cell)) or is_task(cell)


def is_graded(cell: NotebookNode) -> bool:
    return is_autograded_test(cell) or is_manually_graded(cell)


def grade_id(cell: NotebookNode) -> str:
    return nbgrader(cell).get("grade_id", "")


def points(cell: NotebookNode) -> float:
    return float(nbgrader(cell).get("points", 0))


def ce_codes(cell: NotebookNode) -> tuple[str, ...]:
    return tuple(cell.get("metadata", {}).get("mda", {}).get("ce", ()))
