"""The jury's workbook (openpyxl): rules, a summary, a sheet per bloc and the criteria; printable.

- « Légende »: how to read the workbook (statuses, points, lateness, Paris time);
- « Synthèse »: a row per learner and bloc: points and maximum (numbers), CE counts by
  status, submission time (Paris), lateness and the data the copy was graded on (« Variante »:
  the learner's own variant, or « cas commun »);
- one sheet per bloc (« bloc1 »…): a row per learner and CE: the criterion's text, its status
  in words (readable in greyscale and printed; colours only repeat the words), points and
  maximum as numbers. Each learner starts a new printed page;
- « Critères »: the CE of the grid and the graded cells that assess them.

Points are numbers with the format ``0.0#``: Excel writes the decimal separator of its
locale (« 97,5 » in a French Excel). Every sheet prints on A4 landscape, fitted to the page's
width, its header row repeated on every page; column widths are set so that a bloc's sheet
fits the width of the page without being shrunk.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from mda_apprenant.check.formatting import format_points
from mda_checks.config import ACQUIRED_THRESHOLD
from mda_checks.referentiel import bloc_label
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING, shown_names
from mda_checks.report.timing import excel_time, format_lateness

FILLS = {ACQUIRED: PatternFill("solid", fgColor="C9E4D4"), PENDING: PatternFill("lightGray", fgColor="BDBDBD"),
         NOT_ACQUIRED: PatternFill(None), NOT_ASSESSED: PatternFill(None)}
FONTS = {ACQUIRED: Font(bold=True), NOT_ACQUIRED: Font(bold=False), PENDING: Font(italic=True),
         NOT_ASSESSED: Font(color="808080")}
HEADER_FILL = PatternFill("solid", fgColor="2B6A4F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Border(*(Side(style="thin", color="999999"),) * 4)

POINTS_FORMAT = "0.0#"            # 97.5 -> « 97,5 » in a French Excel, 2.25 -> « 2,25 », 3 -> « 3,0 »
TIME_FORMAT = "dd/mm/yyyy hh:mm"  # shown « 27/11/2026 19:00 »
ON_TIME = "aucun"

# Page: A4 landscape (29,7 cm) with 1 cm side margins. A column of width w (characters of the
# default font) takes about 7·w + 5 pixels at 96 dpi; a bloc's columns must fit in PRINTABLE_PX.
MARGIN_INCHES = 0.4
PRINTABLE_PX = round((29.7 / 2.54 - 2 * MARGIN_INCHES) * 96)


def column_pixels(width: float) -> int:
    return round(7 * width + 5)


class Column:
    """A column of a sheet: header, width, and how its cells look."""

    def __init__(self, header: str, width: float, number_format: str | None = None, wrap: bool = False,
                 status: bool = False, centre: bool = False):
        self.header, self.width, self.number_format = header, width, number_format
        self.wrap, self.status, self.centre = wrap, status, centre


BLOC_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("CE", 10),
                Column("Critère d'évaluation", 66, wrap=True), Column("Statut", 13, status=True),
                Column("Points", 9, POINTS_FORMAT), Column("Maximum", 10, POINTS_FORMAT)]
SUMMARY_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Bloc", 16, wrap=True), Column("Points", 9, POINTS_FORMAT),
                   Column("Maximum", 10, POINTS_FORMAT), Column("CE acquis", 10, centre=True),
                   Column("CE non acquis", 10, centre=True), Column("CE en attente", 10, centre=True),
                   Column("CE non évalués", 10, centre=True),
                   Column("Rendu le (heure de Paris)", 18, TIME_FORMAT), Column("Retard", 12),
                   Column("Variante", 12, centre=True)]
#: a group assignment's sheet (mda_checks.groups): the learner's group, and per CE the part its evidence comes
#: from (the group's dossier, the member's own oral) with the points of each
GROUP_BLOC_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Groupe", 14, wrap=True), Column("CE", 10),
                      Column("Critère d'évaluation", 38, wrap=True), Column("Part", 14, wrap=True),
                      Column("Statut", 12, status=True), Column("Points du groupe", 9, POINTS_FORMAT),
                      Column("Points à l'oral", 9, POINTS_FORMAT), Column("Points", 8, POINTS_FORMAT),
                      Column("Maximum", 9, POINTS_FORMAT)]
#: the jury's proposal (jury.toml) and its recorded decision, per learner and bloc (mda_checks.jury)
JURY_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Bloc", 12, wrap=True), Column("Proposition", 12, centre=True),
                Column("Motif de la proposition", 50, wrap=True), Column("Décision du jury", 13, centre=True),
                Column("Décidé le (heure de Paris)", 14, wrap=True), Column("Commentaire du jury", 24, wrap=True)]
#: every decision the register holds, per learner and bloc, oldest first: a changed decision keeps the one it replaced
HISTORY_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Bloc", 12, wrap=True),
                   Column("Enregistrée le (heure de Paris)", 14, wrap=True), Column("Session", 14, wrap=True),
                   Column("Proposition alors", 12, centre=True), Column("Décision du jury", 12, centre=True),
                   Column("Remplace", 11, centre=True), Column("Commentaire du jury", 34, wrap=True),
                   Column("Enregistrée par", 11, wrap=True)]
HISTORY_SHEET = "Historique des décisions"
#: the trainers' comments entered in formgrader, cell by cell
COMMENT_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Bloc", 12, wrap=True), Column("Carnet", 16, wrap=True),
                   Column("Cellule", 16, wrap=True), Column("Points", 9, POINTS_FORMAT),
                   Column("Maximum", 10, POINTS_FORMAT), Column("Commentaire du formateur", 60, wrap=True)]
CRITERIA_COLUMNS = [Column("Bloc", 16, wrap=True), Column("CE", 10), Column("Critère d'évaluation", 70, wrap=True),
                    Column("Cellules notées (carnet:cellule)", 40, wrap=True)]
#: the notebooks non corrigés (mda_checks.grade.ungraded: the same list as `mda grade` and the reports)
UNGRADED_COLUMNS = [Column("Apprenant", 18, wrap=True), Column("Bloc", 16, wrap=True), Column("Carnet", 24, wrap=True),
                    Column("Raison", 60, wrap=True), Column("Recorrigé à la prochaine correction", 14, centre=True)]
UNGRADED_SHEET = "Carnets non corrigés"
LEGEND_COLUMNS = [Column("Comment lire ce classeur", 130, wrap=True)]


def rules() -> list[str]:
    threshold = f"{format_points(ACQUIRED_THRESHOLD * 100)}\u00a0%"
    return [
        "Points d'un critère (CE) : somme des points des cellules notées qui le déclarent "
        "(une cellule compte entièrement pour chacun de ses CE).",
        f"Acquis : points / maximum ≥ {threshold} ; non acquis : moins de {threshold}.",
        "En attente : une note manuelle (formateur ou jury) manque encore pour ce CE.",
        "Non évalué : aucune cellule notée n'évalue encore ce CE.",
        "Points et maximum sont des nombres (colonnes « Points » et « Maximum ») : ils se trient et se calculent.",
        "Rendu le : date et heure du rendu, à l'heure de Paris (heure d'été ou d'hiver).",
        "Retard : durée après la date limite, en jours (j), heures (h) et minutes (min), "
        "arrondie à la minute supérieure, puis à l'heure au-delà d'un jour (ex. « 1 j 2 h ») ; "
        f"« {ON_TIME} » si la copie a été rendue à temps.",
        "Variante : les données du cas sur lesquelles la copie a été corrigée. « V-3F9A2C » : la variante "
        "propre à l'apprenant, publiée avec sa copie personnelle (mda release) ; « cas commun » : les données "
        "communes à la promotion (aucune copie personnelle publiée pour ce bloc).",
        "Devoir de groupe (bloc 4 : dossier collectif, soutenu individuellement) : « Groupe » nomme le groupe "
        "de l'apprenant et ses membres ; « Part » dit d'où viennent les points du CE : « dossier du groupe » (la "
        "copie rendue par le groupe, corrigée une fois, mêmes points pour chaque membre), « soutenance "
        "individuelle » (la grille du jury de l'apprenant) ou les deux ; « Points du groupe » et « Points à "
        "l'oral » en donnent le détail.",
        "Feuille « Synthèse » : une ligne par apprenant et par bloc. Une feuille par bloc : une ligne par "
        "apprenant et par CE, chaque apprenant sur une nouvelle page à l'impression. "
        "Feuille « Critères » : les CE et les cellules notées qui les évaluent.",
        "Feuille « Jury » : pour chaque apprenant et chaque bloc, la proposition des règles de jury.toml (validé, non "
        "validé, en attente) et son motif, à côté de la décision du jury enregistrée (mda jury --decisions), de sa "
        "date et de son commentaire. Feuille « Historique des décisions » : chaque décision enregistrée, datée, la plus "
        "ancienne d'abord ; une décision modifiée (mda jury --modifier) garde la ligne de celle qu'elle remplace. "
        "Feuille « Commentaires » : les commentaires saisis par les formateurs dans "
        "formgrader, cellule par cellule.",
        f"Feuille « {UNGRADED_SHEET} » (quand la correction en a laissé) : chaque carnet qui n'a pas pu être corrigé "
        "(absent, vide, illisible, ou correction en échec) et sa raison ; il vaut 0 point automatique tant qu'il n'est "
        "pas corrigé. Ce sont les mêmes carnets que ceux nommés par « mda grade » et par le rapport HTML.",
    ]


def bloc_rows(grid: pd.DataFrame, assignment: str) -> list[list]:
    """A row per learner and CE of one bloc, learners in order."""
    rows = grid[grid["devoir"] == assignment].sort_values("apprenant", kind="stable")
    names = shown_names(rows)
    return [[names[r.apprenant], r.ce, r.libelle, r.statut, float(r.points), float(r.points_max)]
            for r in rows.itertuples()]


def ungraded_rows(grid: pd.DataFrame, ungraded: list) -> list[list]:
    """A row per notebook non corrigé: the learner, the bloc, the notebook, the reason, whether it is retried."""
    names = shown_names(grid)
    return [[names.get(u.student, u.student), bloc_label(u.assignment), u.notebook, u.reason,
             "oui" if u.retried else "non (nouveau rendu)"] for u in ungraded]


def group_label(grid: pd.DataFrame, group: str) -> str:
    """« G1 : alice, bob, chloé » (the members the grid knows), « aucun groupe » for a learner in none."""
    if not group:
        return "aucun groupe"
    members = sorted(set(grid.loc[grid["groupe"] == group, "apprenant"]))
    return f"{group} : {', '.join(members)}"


def is_group_assignment(grid: pd.DataFrame, assignment: str) -> bool:
    return "part" in grid and bool((grid.loc[grid["devoir"] == assignment, "part"].fillna("") != "").any())


def group_bloc_rows(grid: pd.DataFrame, assignment: str) -> list[list]:
    """A group assignment's rows: the learner, their group, and each CE's part and points by part."""
    rows = grid[grid["devoir"] == assignment].sort_values("apprenant", kind="stable")
    names = shown_names(rows)
    return [[names[r.apprenant], group_label(rows, r.groupe), r.ce, r.libelle, r.part, r.statut,
             float(r.points_groupe or 0), float(r.points_individuels or 0), float(r.points), float(r.points_max)]
            for r in rows.itertuples()]


def summary_rows(grid: pd.DataFrame, facts: pd.DataFrame) -> list[list]:
    """A row per learner and bloc: totals from the gradebook, CE counted by status."""
    lines, names = [], shown_names(grid)
    for (student, assignment), own in grid.groupby(["apprenant", "devoir"], sort=False):
        fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
        fact = fact.iloc[0] if len(fact) else None
        counts = own["statut"].value_counts()
        lines.append([
            names[student], bloc_label(assignment),
            float(fact["points"] if fact is not None else own["points"].sum()),
            float(fact["points_max"] if fact is not None else own["points_max"].sum()),
            *(int(counts.get(status, 0)) for status in (ACQUIRED, NOT_ACQUIRED, PENDING, NOT_ASSESSED)),
            excel_time(fact["rendu_le"]) if fact is not None else None,
            (format_lateness(fact["retard_s"]) or ON_TIME) if fact is not None else "",
            own["variante"].iloc[0],
        ])
    return sorted(lines, key=lambda line: (line[0], line[1]))


def jury_rows(grid: pd.DataFrame, jury: dict) -> list[list]:
    """A row per learner and bloc: the proposal and its reason, the decision recorded (or not yet)."""
    names = shown_names(grid)
    return [[names[student], bloc_label(assignment), line.proposition, line.motif, line.decision_text, line.decided_on,
             line.commentaire] for (student, assignment), line in sorted(jury.items(), key=lambda i: (names[i[0][0]],
                                                                                                      i[0][1]))
            if student in names]


def history_rows(grid: pd.DataFrame, jury: dict) -> list[list]:
    """A row per decision recorded: learners and blocs in order, each one's decisions oldest first."""
    names = shown_names(grid)
    return [[names[student], bloc_label(assignment), past.decided_on, past.session, past.proposition, past.decision,
             past.replaces, past.commentaire, past.author]
            for (student, assignment), line in sorted(jury.items(), key=lambda i: (names.get(i[0][0], ""), i[0][1]))
            if student in names for past in line.history]


def comment_rows(grid: pd.DataFrame, comments: pd.DataFrame) -> list[list]:
    names = shown_names(grid)
    return [[names.get(c.apprenant, c.apprenant), bloc_label(c.devoir), c.carnet, c.cellule,
             None if c.points is None or pd.isna(c.points) else float(c.points),
             None if c.points_max is None or pd.isna(c.points_max) else float(c.points_max), c.commentaire]
            for c in comments.itertuples()]


def criteria_rows(grid: pd.DataFrame) -> list[list]:
    criteria = grid.drop_duplicates("ce")
    return [[bloc_label(f"bloc{int(r.bloc)}"), r.ce, r.libelle, r.cellules] for r in criteria.itertuples()]


def print_setup(sheet: Worksheet, title: str) -> None:
    """A4 landscape, fitted to the page's width (as many pages as needed in height), header row
    repeated on every page, the sheet's name above and the page number below."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = MARGIN_INCHES
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddHeader.center.text = title
    sheet.oddFooter.center.text = "Page &P sur &N"


def write_sheet(sheet: Worksheet, columns: list[Column], rows: list[list], title: str) -> None:
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append(row)
    style_sheet(sheet, columns, title)


def style_sheet(sheet: Worksheet, columns: list[Column], title: str) -> None:
    """The workbook's looks on a sheet whose first row is the header (also a sheet pandas wrote):
    widths, header colours, borders, number formats, statuses in words with their fill, printing."""
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(row=1, column=index)
        header.fill, header.font, header.border = HEADER_FILL, HEADER_FONT, THIN
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.border = THIN
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top",
                                       horizontal="center" if column.status or column.centre else None)
            if column.number_format:
                cell.number_format = column.number_format
            if column.status and cell.value in FILLS:
                cell.fill, cell.font = FILLS[cell.value], FONTS[cell.value]
    print_setup(sheet, title)


def write_workbook(grid: pd.DataFrame, facts: pd.DataFrame, path: Path, jury: dict | None = None,
                   comments: pd.DataFrame | None = None, ungraded: list | None = None) -> Path:
    """« Légende », « Synthèse », « Jury » and « Historique des décisions » (with `jury`:
    ``mda_checks.jury.overview``), a sheet per bloc,
    « Commentaires » (with `comments`: ``report/comments.py``), « Carnets non corrigés » (with `ungraded`:
    ``mda_checks.grade.ungraded``), « Critères »."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    legend = book.active
    legend.title = "Légende"
    write_sheet(legend, LEGEND_COLUMNS, [[rule] for rule in rules()], "Grille de compétences — légende")

    summary = book.create_sheet("Synthèse")
    write_sheet(summary, SUMMARY_COLUMNS, summary_rows(grid, facts), "Grille de compétences — synthèse")
    summary.freeze_panes = "B2"
    summary.auto_filter.ref = summary.dimensions
    if jury is not None:
        sheet = book.create_sheet("Jury")
        write_sheet(sheet, JURY_COLUMNS, jury_rows(grid, jury), "Grille de compétences — proposition et décision du jury")
        sheet.freeze_panes = "B2"
        sheet = book.create_sheet(HISTORY_SHEET)
        write_sheet(sheet, HISTORY_COLUMNS, history_rows(grid, jury), f"Grille de compétences — {HISTORY_SHEET.lower()} "
                    "du jury")
        sheet.freeze_panes = "B2"

    for assignment in dict.fromkeys(grid["devoir"]):
        sheet = book.create_sheet(assignment)
        grouped = is_group_assignment(grid, assignment)
        rows = group_bloc_rows(grid, assignment) if grouped else bloc_rows(grid, assignment)
        write_sheet(sheet, GROUP_BLOC_COLUMNS if grouped else BLOC_COLUMNS, rows,
                    f"Grille de compétences — {bloc_label(assignment)}")
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
        for index in range(1, len(rows)):  # rows[index] is on sheet row index + 2
            if rows[index][0] != rows[index - 1][0]:
                sheet.row_breaks.append(Break(id=index + 1))  # page break after the previous learner's last row

    if ungraded:
        sheet = book.create_sheet(UNGRADED_SHEET)
        write_sheet(sheet, UNGRADED_COLUMNS, ungraded_rows(grid, ungraded), f"Grille de compétences — {UNGRADED_SHEET}")
        sheet.freeze_panes = "B2"
    if comments is not None:
        sheet = book.create_sheet("Commentaires")
        write_sheet(sheet, COMMENT_COLUMNS, comment_rows(grid, comments), "Grille de compétences — commentaires des "
                    "formateurs")
        sheet.freeze_panes = "B2"
    criteria = book.create_sheet("Critères")
    write_sheet(criteria, CRITERIA_COLUMNS, criteria_rows(grid), "Grille de compétences — critères d'évaluation")
    criteria.freeze_panes = "A2"
    book.save(path)
    return path
