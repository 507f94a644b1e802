"""The jury's minutes (procès-verbal) of a session: a printable workbook, an HTML page and its PDF.

One row per candidate: name, id, the proposal and its reason, then the jury's decision (a list:
validé / non validé / ajourné) and its comment, filled from the register when already recorded;
below, « Fait à …, le … » and a signature line per member of the jury. The workbook, filled in by
the jury, can be given back to ``mda jury BLOC --decisions`` (``read_filled_minutes``).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

from mda_apprenant.check.formatting import format_points
from mda_checks.csv_input import TableError, column_key
from mda_checks.jury.decisions import CONSEQUENCE, DECISIONS, DecisionInput, DecisionLine, read_decisions_csv
from mda_checks.report.excel import Column, style_sheet
from mda_checks.config import LOCALE
from mda_checks.grade.reasons import exception_words
from mda_checks.referentiel import bloc_label

SHEET, ABOUT = "Procès-verbal", "Session"
COLUMNS = [Column("Candidat", 20, wrap=True), Column("Identifiant", 14, wrap=True), Column("Proposition", 12, centre=True),
           Column("Motif de la proposition", 52, wrap=True), Column("Décision du jury", 13, centre=True),
           Column("Commentaire du jury", 30, wrap=True)]
ABOUT_COLUMNS = [Column("Rubrique", 22, wrap=True), Column("Valeur", 100, wrap=True)]
BLANK_SIGNATURES = 3  # lines to fill by hand when no member is named
STEM = "proces-verbal"


def day_text(day: str) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(day), format="long", locale=LOCALE)


def minutes_rows(content: dict, decisions: dict[str, DecisionLine]) -> list[dict]:
    """The candidates as the minutes show them, with the decision already recorded (if any)."""
    rows = []
    for candidate in content["candidats"]:
        decided = decisions.get(candidate["apprenant"])
        rows.append({**candidate, "points_text": f"{format_points(candidate['points'])} / "
                                                  f"{format_points(candidate['points_max'])}",
                     "decision": decided.decision if decided else "",
                     "commentaire": decided.commentaire if decided else "",
                     "decide_le": decided.horodatage if decided else ""})
    return rows


def signatories(content: dict) -> list[str]:
    return list(content["membres"]) or [""] * BLANK_SIGNATURES


def write_minutes_workbook(content: dict, decisions: dict[str, DecisionLine], path: Path) -> Path:
    """« Procès-verbal » (candidates, decisions, signatures) and « Session » (bloc, date, rules)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    rows = minutes_rows(content, decisions)
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append([row["nom"], row["apprenant"], row["proposition"], row["motif"], row["decision"],
                      row["commentaire"]])
    title = f"Procès-verbal du jury — {bloc_label(content['devoir'])} — session du {day_text(content['date'])}"
    style_sheet(sheet, COLUMNS, title)
    sheet.oddFooter.left.text = f"Session {content['session']}"
    sheet.freeze_panes = "A2"
    choices = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Décision du jury",
                             error=f"Choisissez : {', '.join(DECISIONS)}.")
    sheet.add_data_validation(choices)
    if rows:
        choices.add(f"E2:E{len(rows) + 1}")
    _signature_block(sheet, content, len(rows) + 3)
    about = book.create_sheet(ABOUT)
    about.append([c.header for c in ABOUT_COLUMNS])
    for key, value in [("Session", content["session"]), ("Bloc", f"{bloc_label(content['devoir'])} : {content['intitule']}"),
                       ("Date", day_text(content["date"])), ("Lieu", content["lieu"] or ""),
                       ("Membres du jury", "\n".join(content["membres"]) or "non renseignés"),
                       *(("Règle", rule) for rule in content["regles"]),
                       ("Décisions possibles", ", ".join(DECISIONS) + " ; un commentaire est demandé quand la "
                        "décision diffère de la proposition."),
                       ("Généré le", f"{content['genere_le']} (heure de Paris)")]:
        about.append([key, value])
    style_sheet(about, ABOUT_COLUMNS, f"Procès-verbal du jury — session {content['session']}")
    book.save(path)
    return path


def _signature_block(sheet, content: dict, start: int) -> None:
    """« Fait à …, le … », then one line per member: name and quality, and room to sign."""
    place = content["lieu"] or "…………………………"
    sheet.cell(row=start, column=1, value=f"Fait à {place}, le {day_text(content['date'])}.").font = Font(bold=True)
    header = start + 1
    for column, text in ((1, "Membre du jury (nom et qualité)"), (4, "Signature")):
        cell = sheet.cell(row=header, column=column, value=text)
        cell.font = Font(bold=True)
    line = Side(style="thin", color="555555")
    for offset, member in enumerate(signatories(content), start=1):
        row = header + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        sheet.cell(row=row, column=1, value=member).alignment = Alignment(vertical="center", wrap_text=True)
        sheet.row_dimensions[row].height = 42
        for column in range(1, 7):
            sheet.cell(row=row, column=column).border = Border(left=line, right=line, top=line, bottom=line)


def read_filled_minutes(path: Path) -> tuple[list[DecisionInput], str]:
    """The decisions of a filled minutes workbook, and the session it belongs to."""
    try:
        book = load_workbook(path, data_only=True)
    except Exception as problem:  # noqa: BLE001 - any unreadable workbook gets the same French answer
        raise TableError(path, [f"classeur illisible ({exception_words(type(problem).__name__)}) : donnez le procès-verbal écrit par "
                                "`mda jury`, enregistré au format .xlsx"], CONSEQUENCE) from None
    if SHEET not in book.sheetnames or ABOUT not in book.sheetnames:
        raise TableError(path, [f"ce classeur n'est pas un procès-verbal de `mda jury` (feuilles « {SHEET} » et "
                                f"« {ABOUT} » attendues, trouvées : {', '.join(book.sheetnames)})"], CONSEQUENCE)
    session = next((str(row[1]).strip() for row in book[ABOUT].iter_rows(min_row=2, values_only=True)
                    if row and row[0] == "Session" and row[1]), None)
    if not session:
        raise TableError(path, [f"feuille « {ABOUT} » : la ligne « Session » manque"], CONSEQUENCE)
    sheet = book[SHEET]
    keys = {column_key(str(cell.value or "")): index for index, cell in enumerate(sheet[1])}
    wanted = {"identifiant": "Identifiant", "decisiondujury": "Décision du jury",
              "commentairedujury": "Commentaire du jury"}
    missing = [label for key, label in wanted.items() if key not in keys]
    if missing:
        raise TableError(path, [f"feuille « {SHEET} », ligne 1 : colonne(s) manquante(s) : {', '.join(missing)}"],
                         CONSEQUENCE)
    entries = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        student = str(row[keys["identifiant"]] or "").strip()
        if not student:
            break  # the candidates end where the signature block begins
        entries.append(DecisionInput(f"feuille « {SHEET} », ligne {number}", student,
                                     str(row[keys["decisiondujury"]] or "").strip(),
                                     str(row[keys["commentairedujury"]] or "").strip()))
    return entries, session


def minutes_html(content: dict, decisions: dict[str, DecisionLine]) -> str:
    from mda_checks.report.html import environment

    return environment().get_template("jury/proces_verbal.html.j2").render(
        **content, libelle_bloc=bloc_label(content["devoir"]), rows=minutes_rows(content, decisions),
        signatories=signatories(content),
        day=day_text(content["date"]), decisions_list=DECISIONS)


def write_minutes(content: dict, decisions: dict[str, DecisionLine], folder: Path, renderer=None) -> list[Path]:
    """proces-verbal.xlsx and .html in the session's folder, and its .pdf when a renderer is given."""
    workbook = write_minutes_workbook(content, decisions, folder / f"{STEM}.xlsx")
    page = minutes_html(content, decisions)
    html_path = folder / f"{STEM}.html"
    html_path.write_text(page, encoding="utf-8")
    written = [workbook, html_path]
    if renderer is not None:
        written.append(renderer.render(page, folder / f"{STEM}.pdf",
                                       footer=f"Procès-verbal du jury — session {content['session']}",
                                       landscape=True))
    return written


def read_decisions(path: Path) -> tuple[list[DecisionInput], str | None]:
    """The decisions of a file (CSV, or the minutes' workbook filled in) and the session it names
    (the workbook's; None for a CSV)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"fichier introuvable : {path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_filled_minutes(path)
    return read_decisions_csv(path), None
