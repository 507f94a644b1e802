"""The jury's workbook: points are numbers, maximum in its own column, every sheet printable on A4 landscape."""
# paperSize 9 is A4 in the OOXML list of paper sizes.
import openpyxl
from babel.numbers import format_decimal

from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, PENDING
from mda_checks.report.excel import PRINTABLE_PX, column_pixels

#: alice is in the roster (tests/report/conftest.py): the jury reads her name, then her id
ALICE = "Alice Martin (alice)"
#: a bloc as the jury reads it: the referential's title, never the assignment's id
BLOC1, BLOC2 = "Bloc 1 — Stratégie commerciale durable", "Bloc 2 — Conquête et fidélisation client"

A4_LANDSCAPE_PX = round(29.7 / 2.54 * 96)


def shown_in_french_excel(cell) -> str:
    """What a French Excel shows: the cell's number format, with the locale's decimal comma."""
    return format_decimal(cell.value, format=cell.number_format, locale="fr_FR")


def columns(sheet) -> dict:
    return {cell.value: index for index, cell in enumerate(sheet[1])}


def test_bloc_points_are_numbers_with_the_maximum_in_its_own_column(cohort):
    sheet = openpyxl.load_workbook(cohort.workbook)["Synthèse"]
    header = columns(sheet)
    rows = {(row[0].value, row[1].value): row for row in sheet.iter_rows(min_row=2)}
    points, maximum = rows[(ALICE, BLOC1)][header["Points"]], rows[(ALICE, BLOC1)][header["Maximum"]]
    assert isinstance(points.value, float) and points.value == 97.5 and points.data_type == "n"
    assert isinstance(maximum.value, (int, float)) and maximum.value == 101
    assert shown_in_french_excel(points) == "97,5"
    assert shown_in_french_excel(maximum) in ("101", "101,0")
    acquired = rows[(ALICE, BLOC1)][header["CE acquis"]].value
    assert (acquired, rows[(ALICE, BLOC1)][header["CE non acquis"]].value) == (24, 1)
    assert rows[(ALICE, BLOC2)][header["CE en attente"]].value == 1
    assert rows[(ALICE, BLOC2)][header["CE non évalués"]].value == 1


def test_each_bloc_sheet_has_a_row_per_learner_and_criterion_with_numeric_points(cohort):
    book = openpyxl.load_workbook(cohort.workbook)
    assert book.sheetnames == ["Légende", "Synthèse", "bloc1", "bloc2", "Critères"]
    sheet = book["bloc1"]
    assert [c.value for c in sheet[1]] == ["Apprenant", "CE", "Critère d'évaluation", "Statut", "Points", "Maximum"]
    assert sheet.max_row == 1 + 2 * 25 and sheet.freeze_panes == "B2"
    first = [c for c in sheet[2]]
    assert [c.value for c in first[:2]] == [ALICE, "CE1.1.1"] and first[2].value.startswith("Les ")
    assert first[3].value == NOT_ACQUIRED and first[3].font.b is False
    assert (first[4].value, first[5].value) == (0.5, 4) and shown_in_french_excel(first[4]) == "0,5"
    statuses = {row[3].value for row in sheet.iter_rows(min_row=2)}
    assert {ACQUIRED, NOT_ACQUIRED, PENDING} <= statuses  # in words, readable printed in black and white
    for sheet in (book["bloc1"], book["bloc2"]):
        for row in sheet.iter_rows(min_row=2):
            assert all(isinstance(cell.value, (int, float)) for cell in row[4:6])
            assert all(cell.number_format == "0.0#" for cell in row[4:6])


def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width_with_its_header_repeated(cohort):
    book = openpyxl.load_workbook(cohort.workbook)
    for sheet in book:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and int(setup.fitToWidth) == 1, sheet.title
        assert int(setup.fitToHeight) == 0, sheet.title  # as many pages as needed in height
        assert sheet.print_title_rows == "$1:$1", sheet.title
        assert "&P" in sheet.oddFooter.center.text, sheet.title


def test_every_sheet_fits_the_width_of_the_page_without_shrinking(cohort):
    """Column widths set so that fitting to the width leaves the text at its size (scale 100 %)."""
    book = openpyxl.load_workbook(cohort.workbook)
    for sheet in book:
        used = [openpyxl.utils.get_column_letter(i) for i in range(1, sheet.max_column + 1)]
        widths = [sheet.column_dimensions[letter].width for letter in used]
        assert all(width and width >= 8 for width in widths), (sheet.title, widths)
        total = sum(column_pixels(width) for width in widths)
        assert total <= PRINTABLE_PX < A4_LANDSCAPE_PX, (sheet.title, total)
        margins = sheet.page_margins
        assert round((margins.left + margins.right) * 96 + PRINTABLE_PX) <= A4_LANDSCAPE_PX


def test_each_learner_starts_a_new_printed_page_in_a_bloc_sheet(cohort):
    sheet = openpyxl.load_workbook(cohort.workbook)["bloc2"]
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert breaks == [1 + 37]  # after alice's 37 rows (and the header)
    assert sheet.cell(row=breaks[0], column=1).value == ALICE
    assert sheet.cell(row=breaks[0] + 1, column=1).value == "bruno"
