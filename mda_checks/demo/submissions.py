"""Build learners' submissions from the course itself: solved, blank, or with known slips.

A submission starts from the copy the learner received: the common one (release/<bloc>/) or,
given ``own_copy``, the folder of their personal copy (``mda release``: their own data/ and
statements quoting its numbers); answers are filled in from the masters' solutions.
"""
from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from mda_checks.course import Course
from mda_checks.notebook import cells

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Slip:
    """A classic mistake written into a solved answer cell, and what it must cost.

    ``old`` is replaced by ``new`` in the answer cell ``cell`` of ``notebook``; the
    test cell ``test_cell`` must then lose exactly ``lost`` points on the common case
    (source/<bloc>/data) and its message must contain ``message``, a phrase of the cause of
    one and only one of the mistakes the reference recognises for that check. On a learner's
    own variant, the points it must cost are computed (``slip_costs``): a table's share of
    right values depends on the data.
    """

    notebook: str
    cell: str
    old: str
    new: str
    test_cell: str
    lost: float
    message: str


def without_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def release_notebooks(course: Course, assignment: str, own_copy: Path | None = None) -> dict[str, NotebookNode]:
    """The notebooks a learner received: their personal copy's (`own_copy`), else release/'s."""
    folder = Path(own_copy) if own_copy is not None else course.release / assignment
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def solved(release: NotebookNode, source: NotebookNode) -> NotebookNode:
    """The learner's copy with every answer cell filled in from the master's solution."""
    answers = {cells.grade_id(c): c.source for c in source.cells if cells.is_solution(c)}
    filled = copy.deepcopy(release)
    for cell in filled.cells:
        if cells.is_solution(cell) and cells.grade_id(cell) in answers:
            cell.source = without_markers(answers[cells.grade_id(cell)])
    return filled


def apply_slip(notebook: NotebookNode, slip: Slip) -> NotebookNode:
    for cell in notebook.cells:
        if cells.grade_id(cell) == slip.cell:
            if slip.old not in cell.source:
                raise ValueError(f"slip {slip.test_cell}: « {slip.old} » absent de la cellule {slip.cell}")
            cell.source = cell.source.replace(slip.old, slip.new)
            return notebook
    raise ValueError(f"slip {slip.test_cell}: cellule {slip.cell} absente de {slip.notebook}")


def solved_submission(course: Course, assignment: str, own_copy: Path | None = None) -> dict[str, NotebookNode]:
    masters = course.read_source(assignment)
    return {name: solved(nb, masters[name]) for name, nb in release_notebooks(course, assignment, own_copy).items()}


def blank_submission(course: Course, assignment: str, own_copy: Path | None = None) -> dict[str, NotebookNode]:
    return release_notebooks(course, assignment, own_copy)


def slipped_submission(course: Course, assignment: str, slips: list[Slip],
                       own_copy: Path | None = None) -> dict[str, NotebookNode]:
    notebooks = solved_submission(course, assignment, own_copy)
    for slip in slips:
        apply_slip(notebooks[slip.notebook], slip)
    return notebooks


def write_submission(
    course: Course, student: str, assignment: str, notebooks: dict[str, NotebookNode], when: datetime | None = None,
    own_copy: Path | None = None,
) -> Path:
    """Write notebooks under submitted/, as nbgrader expects; with `own_copy`, the data/ of the learner's
    personal copy too, as a learner hands in their whole folder (grading never reads it: the
    learner's case is regenerated from the course's key)."""
    folder = course.step("submitted") / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if own_copy is not None and (Path(own_copy) / "data").is_dir():
        shutil.copytree(Path(own_copy) / "data", folder / "data", dirs_exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{name}.ipynb")
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    (folder / "timestamp.txt").write_text(stamp + "\n", encoding="utf-8")
    return folder
