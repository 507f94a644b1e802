"""autograde, sanitizing: a submitted copy's ``metadata.mda`` is put back as the master's, never trusted.

A learner can edit any metadata of their copy. nbgrader's ``OverwriteCells`` restores its own
(``metadata.nbgrader``) from the gradebook; this step does the same for ``metadata.mda``: each cell
gets its master's value (matched by grade_id; a cell the master does not hold gets none) and the
notebook gets the master's. A copy whose value differed is named in the log (French) and graded as
if untouched. What ``mda release`` wrote in a copy (its variant, its learner) is dropped with the
rest: grading reads a learner's variant from the course's registry, never from the notebook.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from mda_checks.course import Course
from mda_checks.notebook import cells
from mda_checks.notebook.metadata_schema import KEY


@lru_cache(maxsize=32)
def _master(path: Path, mtime_ns: int) -> tuple[dict | None, dict[str, dict]]:
    """The master's notebook-level ``mda`` and grade_id -> cell ``mda`` (read once per version of the file)."""
    master = nbformat.read(path, as_version=4)
    by_id = {cells.grade_id(c): c.metadata[KEY] for c in master.cells if cells.grade_id(c) and KEY in c.metadata}
    return master.metadata.get(KEY), by_id


def master_metadata(course: Course, assignment: str, notebook: str) -> tuple[dict | None, dict[str, dict]]:
    """What the master says; nothing (no ``mda`` anywhere) when the master is missing: trust nothing."""
    path = course.source / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return None, {}
    return _master(path, path.stat().st_mtime_ns)


def _put(metadata: dict, value: dict | None) -> bool:
    """Set ``metadata.mda`` to `value` (None: remove it); True when it was different."""
    changed = metadata.get(KEY) != value
    if value is None:
        metadata.pop(KEY, None)
    else:
        metadata[KEY] = copy.deepcopy(value)
    return changed


def restore_metadata(notebook: NotebookNode, master: tuple[dict | None, dict[str, dict]]) -> list[str]:
    """Put the master's ``metadata.mda`` back everywhere in `notebook`; return where it differed (French)."""
    whole, by_id = master
    changed = ["les métadonnées du carnet"] if _put(notebook.metadata, whole) else []
    for index, cell in enumerate(notebook.cells):
        grade_id = cells.grade_id(cell)
        if _put(cell.setdefault("metadata", {}), by_id.get(grade_id) if grade_id else None):
            changed.append(f"la cellule « {grade_id} »" if grade_id else f"la cellule n° {index + 1}")
    return changed


class RestoreMdaMetadata(NbGraderPreprocessor):
    """Sanitizing step after ``OverwriteCells``: ``metadata.mda`` as in the master (source/)."""

    course_root = Unicode("", help="The course folder (default: the one around the working folder)").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        course = Course(Path(self.course_root)) if self.course_root else Course.find()
        changed = restore_metadata(nb, master_metadata(course, info["assignment"], info["notebook"]))
        if changed:
            self.log.warning("Métadonnées mda modifiées dans la copie de %s (%s) : %s, remises comme dans l'original.",
                             info["student"], info["notebook"], ", ".join(changed))
        return nb, resources
