"""Reports say which data each learner's copy was graded on: their own variant, or the common case.

In the cohort (conftest.py), alice has a variant of each bloc (two names), bruno the common case.
"""
import openpyxl

from mda_checks.report.competencies import COLUMNS, data_label
from mda_checks.report.html import page_name
from mda_checks.variants.learner_case import COMMON
from mda_checks.referentiel import bloc_label
from tests.report.conftest import VARIANTS
from tests.report.test_html_report import Page
from tests.report.test_workbook import ALICE, columns

EXPECTED = {("alice", "bloc1"): "V-3F9A2C", ("alice", "bloc2"): "V-0B71D4",
            ("bruno", "bloc1"): COMMON, ("bruno", "bloc2"): COMMON}


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_grid_has_the_variant_of_every_learner_and_assignment(cohort):
    assert list(cohort.grid.columns) == COLUMNS and COLUMNS[-1] == "variante"
    pairs = cohort.grid.groupby(["apprenant", "devoir"])["variante"].unique()
    assert {key: list(value) for key, value in pairs.items()} == {key: [name] for key, name in EXPECTED.items()}
    assert {(a, s): n for (s, a), n in EXPECTED.items() if n != COMMON} == VARIANTS


def test_the_data_label_names_a_variant_or_the_common_case():
    assert data_label("V-3F9A2C") == "variante V-3F9A2C"
    assert data_label(COMMON) == "cas commun" and data_label("") == "cas commun"


def test_each_learner_page_says_which_data_each_bloc_was_graded_on(cohort):
    alice, bruno = words(cohort.page("alice")), words(cohort.page("bruno"))
    # under each bloc's title, in the bloc's order: alice's two variants, bruno's common case
    assert alice.index(f"{bloc_label('bloc1')} :") < alice.index("Données : variante V-3F9A2C") \
        < alice.index(f"{bloc_label('bloc2')} :") \
        < alice.index("Données : variante V-0B71D4")
    assert bruno.count("Données : cas commun") == 2 and "variante" not in bruno
    lines = [text for tag, attrs, text in Page(cohort.page("alice")).elements if attrs.get("class") == "donnees"]
    assert lines == ["Données : variante V-3F9A2C", "Données : variante V-0B71D4"]


def test_the_promotion_page_shows_each_learners_data_beside_their_points(cohort):
    text = cohort.index.read_text(encoding="utf-8")
    learners = text.split("<h2>Apprenants</h2>")[1]
    alice, bruno = (learners.split(f'href="apprenants/{page_name(student)}"')[1].split("</tr>")[0]
                    for student in ("alice", "bruno"))
    found = {student: [t for tag, attrs, t in Page(row).elements if attrs.get("class") == "donnees"]
             for student, row in (("alice", alice), ("bruno", bruno))}
    assert found == {"alice": ["variante V-3F9A2C", "variante V-0B71D4"], "bruno": ["cas commun", "cas commun"]}


def test_the_workbook_summary_has_a_variant_column(cohort):
    book = openpyxl.load_workbook(cohort.workbook)
    sheet = book["Synthèse"]
    header = columns(sheet)
    rows = {(row[0].value, row[1].value): row[header["Variante"]].value for row in sheet.iter_rows(min_row=2)}
    assert rows == {(ALICE if student == "alice" else student, bloc_label(bloc)): name
                    for (student, bloc), name in EXPECTED.items()}
    legend = " ".join(str(cell.value) for cell in book["Légende"]["A"])
    assert "Variante :" in legend and "cas commun" in legend
