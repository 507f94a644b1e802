"""Answers saved to a file by the learner: a table exported to an Excel workbook.

The learner's kernel reads the workbook (``read_workbook``) and hands its sheets over
as data; the grader never opens a file the learner wrote.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mda_apprenant.check.base import InvalidAnswer, not_answered
from mda_apprenant.check.scalars import describe_type
from mda_apprenant.check.tables import Table
from mda_apprenant.check.workbook import WorkbookContent, read_workbook


class ExcelTable(Table):
    """A table the learner wrote to an .xlsx file (first column = labels), graded like ``Table``."""

    def __init__(self, label: str, path: Any, sheet: str, unit: str = "amount"):
        super().__init__(label, path, unit=unit)
        self.sheet = sheet
        self.expects = f"un fichier Excel (.xlsx) avec une feuille « {sheet} » : libellés en colonne A, valeurs en colonne B"

    def handover_value(self) -> Any:
        if isinstance(self.value, (str, Path)):
            return read_workbook(self.value)
        return self.value

    def coerce(self) -> pd.DataFrame:
        content = self.value
        if content is Ellipsis:
            raise not_answered()
        if isinstance(content, (str, Path)):  # in the learner's kernel
            content = read_workbook(content)
        if not isinstance(content, WorkbookContent):
            raise InvalidAnswer(f"La réponse est {describe_type(content)}, pas un chemin de fichier.",
                                "Indiquez le nom du fichier entre guillemets, par exemple \"budget_2026.xlsx\".")
        path = Path(content.name)
        if path.suffix.lower() != ".xlsx":
            raise InvalidAnswer(f"« {path.name} » n'est pas un classeur Excel (.xlsx).")
        if not content.exists:
            raise InvalidAnswer(f"Le fichier « {path} » n'existe pas dans le dossier du carnet.",
                                "Exécutez d'abord la cellule qui écrit le fichier (to_excel).")
        if content.error:
            raise InvalidAnswer(f"Le fichier « {path.name} » ne peut pas être lu comme un classeur Excel "
                                f"({content.error}).")
        if self.sheet not in content.sheets:
            raise InvalidAnswer(f"Le classeur n'a pas de feuille « {self.sheet} ».",
                                f"Feuilles présentes : {', '.join(content.sheets) or 'aucune'}.")
        return to_table(self, content.sheets[self.sheet])


def to_table(answer: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Check a sheet's content as the ``Table`` answer it stands for."""
    sheet_answer = Table(answer.label, frame, unit=answer.unit, columns=answer.columns)
    return sheet_answer.coerce()
