"""The jury's workbook (openpyxl): a sheet per bloc, learners × CE, formatted and frozen.

Each CE has two columns: the status in words (readable in greyscale and when printed)
and the points « x / y ». Colours only repeat what the words say.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from mda_checks.check.formatting import format_points
from mda_checks.config import ACQUIRED_THRESHOLD
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING

FILLS = {ACQUIRED: PatternFill("solid", fgColor="C9E4D4"), PENDING: PatternFill("lightGray", fgColor="BDBDBD"),
         NOT_ACQUIRED: PatternFill(None), NOT_ASSESSED: PatternFill(None)}
FONTS = {ACQUIRED: Font(bold=True), NOT_ACQUIRED: Font(bold=False), PENDING: Font(italic=True),
         NOT_ASSESSED: Font(color="808080")}
HEADER_FILL = PatternFill("solid", fgColor="2B6A4F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Border(*(Side(style="thin", color="999999"),) * 4)


def bloc_sheet(grid: pd.DataFrame, facts: pd.DataFrame, assignment: str) -> pd.DataFrame:
    """Wide table of one bloc: a row per learner, two columns per CE."""
    rows = grid[grid["devoir"] == assignment]
    table = {}
    for student, own in rows.groupby("apprenant", sort=True):
        fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
        line = {"Apprenant": student}
        if len(fact):
            line["Points du bloc"] = f"{format_points(fact.iloc[0]['points'])} / {format_points(fact.iloc[0]['points_max'])}"
            line["Retard (h)"] = fact.iloc[0]["retard_h"]
        for row in own.itertuples():
            line[row.ce] = row.statut
            line[f"{row.ce} (points)"] = f"{format_points(row.points)} / {format_points(row.points_max)}"
        table[student] = line
    return pd.DataFrame(list(table.values()))


def legend(grid: pd.DataFrame) -> pd.DataFrame:
    criteria = grid.drop_duplicates("ce")[["bloc", "ce", "libelle", "cellules"]]
    return criteria.rename(columns={"bloc": "Bloc", "ce": "CE", "libelle": "Critère d'évaluation",
                                    "cellules": "Cellules notées (carnet:cellule)"})


def _format(sheet, wrap_columns: tuple[int, ...] = ()) -> None:
    for cell in sheet[1]:
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, THIN
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.freeze_panes = "B2"
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=sheet.max_row), start=1):
        longest = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        width = 60 if index in wrap_columns else min(max(12, longest + 2), 40)
        sheet.column_dimensions[get_column_letter(index)].width = width
        for cell in column[1:]:
            cell.border = THIN
            if index in wrap_columns:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            status = cell.value
            if status in FILLS:
                cell.fill, cell.font = FILLS[status], FONTS[status]
                cell.alignment = Alignment(horizontal="center")


def write_workbook(grid: pd.DataFrame, facts: pd.DataFrame, path: Path) -> Path:
    """A sheet « Légende », then one sheet per bloc."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        intro = pd.DataFrame({"Règle": [
            "Points d'un CE : somme des points des cellules notées qui le déclarent (une cellule compte pour chacun de ses CE).",
            f"Acquis : points / maximum ≥ {format_points(ACQUIRED_THRESHOLD * 100)} % ; non acquis sinon.",
            "En attente : une note manuelle manque encore pour ce CE.",
            "Non évalué : aucune cellule notée n'évalue encore ce CE.",
        ]})
        intro.to_excel(writer, sheet_name="Légende", index=False)
        legend(grid).to_excel(writer, sheet_name="Légende", index=False, startrow=len(intro) + 2)
        for assignment in dict.fromkeys(grid["devoir"]):
            bloc_sheet(grid, facts, assignment).to_excel(writer, sheet_name=assignment, index=False)
        for name, sheet in writer.sheets.items():
            _format(sheet, wrap_columns=(1, 3) if name == "Légende" else ())
            if name == "Légende":
                sheet.freeze_panes = None
    return path
