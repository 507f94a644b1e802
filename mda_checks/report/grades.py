"""The grades export in nbgrader's own format."""
from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin


def export_nbgrader_csv(db_url: str, path: Path) -> Path:
    """nbgrader's own CSV export (its columns), as `nbgrader export` writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(db_url) as gb:
        CsvExportPlugin(to=str(path)).export(gb)
    return path
