"""The minutes and the jury's sheets print on A4 landscape without shrinking; without Chromium, a French message."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from mda_checks.jury import pdf
from mda_checks.jury.minutes import BLANK_SIGNATURES, minutes_html, write_minutes_workbook
from mda_checks.jury.overview import JuryLine, PastDecision
from mda_checks.report.excel import PRINTABLE_PX, column_pixels, write_workbook
from mda_checks.report.comments import COMMENT_COLUMNS

CONTENT = {"session": "bloc1-2026-12-10", "devoir": "bloc1", "bloc": 1, "intitule": "Stratégie", "date": "2026-12-10",
           "membres": [], "lieu": "", "regles": ["Une règle."], "genere_le": "10 décembre 2026 à 09:00",
           "candidats": [{"apprenant": "alice", "nom": "Alice Martin", "points": 97.5, "points_max": 101.0,
                          "proposition": "non validé", "motif": "Non acquises : C1.1.", "variante": ""}]}


def sheet_width(sheet) -> int:
    return sum(column_pixels(sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width)
               for i in range(1, 7))


def test_the_minutes_workbook_fits_a4_landscape_and_leaves_signature_lines_when_no_member_is_named(tmp_path):
    book = openpyxl.load_workbook(write_minutes_workbook(CONTENT, {}, tmp_path / "pv.xlsx"))
    sheet = book["Procès-verbal"]
    assert sheet_width(sheet) <= PRINTABLE_PX and sheet.sheet_properties.pageSetUpPr.fitToPage
    texts = [c.value for row in sheet.iter_rows() for c in row]
    assert "Fait à …………………………, le 10 décembre 2026." in texts and "Signature" in texts
    assert len([r for r in sheet.row_dimensions.values() if r.height == 42]) == BLANK_SIGNATURES
    page = minutes_html(CONTENT, {})
    assert page.count("……………………………………") == BLANK_SIGNATURES and '<html lang="fr">' in page


def test_the_jury_and_comment_sheets_print_without_shrinking(cohort, tmp_path):
    past = (PastDecision("10 décembre 2026 à 18:00", "s", "non validé", "validé", "commentaire", "", "jury"),)
    jury = {(s, a): JuryLine("non validé", "motif", "validé", "commentaire", "10 décembre 2026 à 18:00", "s",
                             history=past)
            for s, a in cohort.grid[["apprenant", "devoir"]].drop_duplicates().itertuples(index=False)}
    comments = pd.DataFrame([["alice", "bloc1", "carnet", "q0", 0.5, 4.0, False, "À revoir."]], columns=COMMENT_COLUMNS)
    book = openpyxl.load_workbook(write_workbook(cohort.grid, cohort.facts, tmp_path / "g.xlsx", jury, comments))
    assert book.sheetnames == ["Légende", "Synthèse", "Jury", "Historique des décisions", "bloc1", "bloc2",
                               "Commentaires", "Critères"]
    for name in ("Jury", "Historique des décisions", "Commentaires"):
        sheet = book[name]
        widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, sheet.max_column + 1)]
        assert sum(column_pixels(w) for w in widths) <= PRINTABLE_PX, name
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    rows = list(book["Jury"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:5] == ("Alice Martin (alice)", "Bloc 1 — Stratégie commerciale durable", "non validé", "motif",
                           "validé")
    assert list(book["Commentaires"].iter_rows(min_row=2, values_only=True))[0][-1] == "À revoir."


def test_without_chromium_the_pdf_is_refused_with_a_french_message(monkeypatch):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    with pytest.raises(pdf.ChromiumMissing, match="Chromium est introuvable.*apt-get install chromium"):
        with pdf.PdfRenderer():
            pass
    with pytest.raises(FileNotFoundError):  # `mda` prints it as « Erreur : … » and stops with status 2
        with pdf.PdfRenderer(executable=None):
            pass
