"""Answers saved to a file by the learner: a table exported to an Excel workbook."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mda_checks.check.base import InvalidAnswer, not_answered
from mda_checks.check.scalars import describe_type
from mda_checks.check.tables import Table


class ExcelTable(Table):
    """A table the learner wrote to an .xlsx file (first column = labels), graded like ``Table``."""

    def __init__(self, label: str, path: Any, sheet: str, unit: str = "amount"):
        super().__init__(label, path, unit=unit)
        self.sheet = sheet
        self.expects = f"un fichier Excel (.xlsx) avec une feuille « {sheet} » : libellés en colonne A, valeurs en colonne B"

    def coerce(self) -> pd.DataFrame:
        if self.value is Ellipsis:
            raise not_answered()
        if not isinstance(self.value, (str, Path)):
            raise InvalidAnswer(f"La réponse est {describe_type(self.value)}, pas un chemin de fichier.",
                                "Indiquez le nom du fichier entre guillemets, par exemple \"budget_2026.xlsx\".")
        path = Path(self.value)
        if path.suffix.lower() != ".xlsx":
            raise InvalidAnswer(f"« {path.name} » n'est pas un classeur Excel (.xlsx).")
        if not path.is_file():
            raise InvalidAnswer(f"Le fichier « {path} » n'existe pas dans le dossier du carnet.",
                                "Exécutez d'abord la cellule qui écrit le fichier (to_excel).")
        try:
            sheets = pd.read_excel(path, sheet_name=None, index_col=0, engine="openpyxl")
        except Exception as exc:
            raise InvalidAnswer(f"Le fichier « {path.name} » ne peut pas être lu comme un classeur Excel "
                                f"({type(exc).__name__}).") from None
        if self.sheet not in sheets:
            raise InvalidAnswer(f"Le classeur n'a pas de feuille « {self.sheet} ».",
                                f"Feuilles présentes : {', '.join(sheets) or 'aucune'}.")
        self.value = sheets[self.sheet]
        return super().coerce()
