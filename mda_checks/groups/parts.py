"""Which graded cells are a member's own and which are the group's, from the masters' metadata.

The single source of truth: ``metadata.mda.individuel = true`` on a master notebook (every cell of
it is individual, e.g. bloc 4's oral defence grids) or on one cell. In a group assignment every
other graded cell is the group's part: graded once on the group's copy, written for every member.
"""
from __future__ import annotations

from mda_checks.course import Course
from mda_checks.notebook import cells

GROUP_PART, INDIVIDUAL_PART = "groupe", "individuelle"


def individual_flag(metadata) -> bool:
    return bool((metadata or {}).get("mda", {}).get("individuel"))


def individual_notebooks(course: Course, assignment: str) -> set[str]:
    """Notebooks (names without .ipynb) whose every cell is individual."""
    return {name for name, nb in course.read_source(assignment).items() if individual_flag(nb.metadata)}


def individual_cells(course: Course, assignment: str) -> set[tuple[str, str]]:
    """(notebook, grade_id) of every individual graded cell of the assignment."""
    found = set()
    for name, nb in course.read_source(assignment).items():
        whole = individual_flag(nb.metadata)
        for cell in nb.cells:
            if cells.is_graded(cell) and (whole or individual_flag(cell.get("metadata"))):
                found.add((name, cells.grade_id(cell)))
    return found
