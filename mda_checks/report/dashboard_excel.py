"""The dashboard's export: the current view in an Excel workbook, with the jury's workbook looks.

pandas writes the tables (openpyxl); ``excel.style_sheet`` gives them the looks of
``grille_competences.xlsx``: coloured header, statuses in words with their fill, points as
numbers (``0.0#``), A4 landscape printing with the header repeated. A view with rows of a group
assignment has four more columns (« Groupe », « Part », « Points du groupe », « Points à l'oral »,
``dashboard.GROUP_HEADERS``): the sheet's columns follow the view's headers.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from mda_checks.report.excel import POINTS_FORMAT, Column, style_sheet

VIEW_SHEET, ABOUT_SHEET, MESSAGES_SHEET = "Vue", "Filtres", "Messages"
VIEW_COLUMNS = [Column("Apprenant", 22, wrap=True), Column("Bloc", 8, centre=True), Column("CE", 10),
                Column("Critère d'évaluation", 56, wrap=True), Column("Statut", 13, status=True),
                Column("Points", 9, POINTS_FORMAT), Column("Maximum", 10, POINTS_FORMAT),
                Column("Variante", 12, centre=True)]
#: the columns of a view with rows of a group assignment, by header
GROUP_VIEW_COLUMNS = [Column("Groupe", 12, wrap=True), Column("Part", 18, wrap=True),
                      Column("Points du groupe", 10, POINTS_FORMAT), Column("Points à l'oral", 10, POINTS_FORMAT)]
ABOUT_COLUMNS = [Column("Filtre", 18), Column("Valeur", 60, wrap=True)]
MESSAGE_COLUMNS = [Column("Bloc", 8, centre=True), Column("Carnet", 18, wrap=True), Column("Cellule", 16, wrap=True),
                   Column("CE", 12, wrap=True), Column("Résultat", 14, status=True),
                   Column("Points", 9, POINTS_FORMAT), Column("Maximum", 10, POINTS_FORMAT),
                   Column("Message", 48, wrap=True), Column("Commentaire", 28, wrap=True)]


def _sheet(writer: pd.ExcelWriter, frame: pd.DataFrame, name: str, columns: list[Column], title: str) -> None:
    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    style_sheet(sheet, columns, title)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def view_columns(view: pd.DataFrame) -> list[Column]:
    """The looks of each column of the view, in the view's order (with or without the group columns)."""
    looks = {column.header: column for column in VIEW_COLUMNS + GROUP_VIEW_COLUMNS}
    return [looks[header] for header in view.columns]


def write_dashboard_workbook(path: Path, view: pd.DataFrame, about: list[tuple[str, str]],
                             messages: pd.DataFrame | None = None) -> Path:
    """« Vue » (the view's rows, French headers), « Filtres » (what was chosen) and, for one
    learner, « Messages »."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _sheet(writer, view, VIEW_SHEET, view_columns(view), "Tableau de bord de la promotion — vue exportée")
        _sheet(writer, pd.DataFrame(about, columns=[c.header for c in ABOUT_COLUMNS]), ABOUT_SHEET, ABOUT_COLUMNS,
               "Tableau de bord de la promotion — filtres")
        if messages is not None:
            _sheet(writer, messages, MESSAGES_SHEET, MESSAGE_COLUMNS, "Tableau de bord de la promotion — messages")
    return path
