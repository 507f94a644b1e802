"""DropDuplicateIds: nbgrader's DeduplicateIds, whose set-aside copies become ordinary cells.

A learner who copies a check or answer cell hands in two cells with one ``grade_id``. nbgrader's
DeduplicateIds keeps the last one and empties the others' ``nbgrader`` metadata, which nbgrader
0.9.6's metadata check then refuses (``KeyError: 'grade_id'``): the whole notebook failed. Here
the set-aside copies lose their ``nbgrader`` metadata altogether, so the last copy is graded, in
``mda grade``, plain ``nbgrader autograde`` and formgrader alike (the journal names the duplicate:
``grade.inspect.compare_tests``).
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors import DeduplicateIds


class DropDuplicateIds(DeduplicateIds):
    """Keep the last copy of a duplicated nbgrader cell; the earlier copies are plain cells."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int) -> tuple[NotebookNode, dict]:
        had_metadata = bool(cell.metadata.get("nbgrader"))
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had_metadata and cell.metadata.get("nbgrader") == {}:  # emptied as a duplicate
            del cell.metadata["nbgrader"]
        return cell, resources
