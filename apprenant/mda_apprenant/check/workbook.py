"""A learner's Excel workbook as read in their kernel: the data an ``ExcelTable`` answer hands over.

Plain data, apart from the answer kinds, so that the hand-over (``handover``) can encode it
without importing them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class WorkbookContent:
    """What a learner's .xlsx file holds, as read in the learner's kernel."""

    name: str
    exists: bool
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    error: str = ""  # why the file could not be read (exception type), if it could not


def read_workbook(path: str | Path) -> WorkbookContent:
    """Read every sheet of the learner's workbook (first column = labels); never raises."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return WorkbookContent(str(path), path.is_file())
    try:
        sheets = pd.read_excel(path, sheet_name=None, index_col=0, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported by its error's type
        return WorkbookContent(str(path), True, error=type(exc).__name__)
    return WorkbookContent(str(path), True, dict(sheets))
