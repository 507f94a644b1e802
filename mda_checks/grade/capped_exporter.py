"""The exporter of every autograde: a submitted notebook above the size cap is refused before it is read.

``nbgrader_config.py`` names it (``Autograde.exporter_class``), so plain ``nbgrader autograde`` and
formgrader's « Autograde » button refuse such a notebook too, not only ``mda grade`` (which never hands
one over: ``mda_checks.grade.inspect``). Its size alone decides (``GradingLimits.submission_bytes``);
the refusal's French reason ends in nbgrader's log, and nbgrader fails that submission without
writing any grade for it.
"""
from __future__ import annotations

from pathlib import Path

from nbconvert.exporters import NotebookExporter

from mda_checks.grade.inspect import NotebookTooLarge, size_problem


class SizeCappedExporter(NotebookExporter):
    """nbgrader's exporter (NotebookExporter), with the size cap checked before the file is opened."""

    def from_filename(self, filename: str, resources: dict | None = None, **kw):
        too_large = size_problem(Path(filename))
        if too_large:
            raise NotebookTooLarge(f"carnet trop volumineux ({too_large}) : refusé sans être lu ({filename})")
        return super().from_filename(filename, resources, **kw)
