"""The data contract: the example and the common case pass; each rule is reported with file, line and column."""
from __future__ import annotations

import shutil

import pytest

from mda_checks.company.validate import validate_dossier
from tests.company.helpers import example_dossier, rows, set_cell, set_parameter, write_rows
from tests.conftest import REPO


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return {bloc: example_dossier(tmp_path_factory.mktemp(f"exemple{bloc}"), bloc) for bloc in (1, 2)}


@pytest.fixture
def dossier(example, tmp_path):
    """A fresh copy of the bloc 1 example, to alter."""
    return shutil.copytree(example[1], tmp_path / "dossier")


def only(findings, **where):
    """The findings matching `where` (file, line, column, rule)."""
    return [f for f in findings if all(getattr(f, key) == value for key, value in where.items())]


@pytest.mark.parametrize("bloc", [1, 2])
def test_the_example_company_passes_the_contract(example, bloc):
    assert validate_dossier(f"bloc{bloc}", example[bloc]) == []


@pytest.mark.parametrize("bloc", [1, 2])
def test_the_common_case_passes_the_contract_but_names_no_company(bloc):
    """The contract describes what the notebooks read: Cyclonord's own files fit it."""
    findings = validate_dossier(f"bloc{bloc}", REPO / "source" / f"bloc{bloc}" / "data")
    assert [(f.file, f.rule) for f in findings] == [("entreprise.csv", "fichier")]


def test_a_missing_file_and_a_missing_column_are_named(dossier):
    (dossier / "prospects.csv").unlink()
    table = rows(dossier / "ventes_mensuelles_2026.csv")
    table[0][1] = "ca"
    write_rows(dossier / "ventes_mensuelles_2026.csv", table)
    findings = validate_dossier("bloc1", dossier)
    assert only(findings, file="prospects.csv", rule="fichier")
    [missing] = only(findings, file="ventes_mensuelles_2026.csv", column="ca_prevu_eur")
    assert missing.line == 1 and missing.rule == "colonnes" and "absente" in missing.text()


@pytest.mark.parametrize("value, said", [("12 000,50", "montant en euros"), ("douze mille", "montant en euros"),
                                         ("", "la case est vide"), ("nan", "montant en euros")])
def test_text_in_an_amount_is_reported_where_it_is(dossier, value, said):
    set_cell(dossier / "clients_b2b.csv", 7, "ca_2025_eur", value)
    [finding] = validate_dossier("bloc1", dossier)
    assert (finding.file, finding.line, finding.column, finding.rule) == ("clients_b2b.csv", 7, "ca_2025_eur", "type")
    assert said in finding.message
    text = finding.text()
    assert text.startswith("clients_b2b.csv, ligne 7, colonne « ca_2025_eur » : ") and "Error" not in text


def test_a_decimal_comma_gets_a_hint(dossier):
    set_cell(dossier / "clients_b2b.csv", 4, "ca_2025_eur", "1234,5")
    [finding] = validate_dossier("bloc1", dossier)
    assert "point décimal" in finding.message


@pytest.mark.parametrize("file, column, value, rule", [
    ("clients_b2b.csv", "nb_commandes_2025", "2.5", "type"),          # not a whole number
    ("factures_2024_2025.csv", "date", "31/12/2025", "type"),         # not a date AAAA-MM-JJ
    ("actions_pac.csv", "trimestre", "T5", "valeurs"),               # not an allowed value
    ("budget_2026.csv", "categorie", "charges", "valeurs"),
    ("factures_2024_2025.csv", "montant_ht_eur", "-120.5", "signe"),  # plausibility: a negative amount
    ("factures_2024_2025.csv", "date", "2023-06-30", "periode"),      # plausibility: outside the study period
    ("clients_b2b.csv", "client_id", "C001", "identifiant"),          # a duplicate identifier
])
def test_each_row_rule_names_its_line_and_column(dossier, file, column, value, rule):
    set_cell(dossier / file, 5, column, value)
    findings = validate_dossier("bloc1", dossier)
    assert [(f.file, f.line, f.column, f.rule) for f in findings] == [(file, 5, column, rule)], findings
    assert findings[0].waivable == (rule in ("signe", "periode"))


def test_a_row_with_too_many_values_is_reported(dossier):
    table = rows(dossier / "clients_b2b.csv")
    table[2] = table[2][:-1] + ["12 000", "50"]
    write_rows(dossier / "clients_b2b.csv", table)
    [finding] = validate_dossier("bloc1", dossier)
    assert (finding.line, finding.rule) == (3, "colonnes") and "virgule" in finding.message


def test_too_few_clients_and_equal_revenues_are_refused_with_the_reason(dossier):
    table = rows(dossier / "clients_b2b.csv")
    revenue = table[0].index("ca_2025_eur")
    for row in table[1:]:
        row[revenue] = "1000.0"
    write_rows(dossier / "clients_b2b.csv", table[:11])
    findings = validate_dossier("bloc1", dossier)
    assert {(f.file, f.rule) for f in findings} == {("clients_b2b.csv", "effectif"), ("clients_b2b.csv", "dispersion")}
    assert any("10 ligne(s) : il en faut au moins 30" in f.message for f in findings)
    assert any("toutes les valeurs sont égales" in f.message and f.column == "ca_2025_eur" for f in findings)


def test_an_unknown_client_a_missing_parameter_and_the_pac_line_are_structure(example, tmp_path):
    dossier = shutil.copytree(example[2], tmp_path / "bloc2")
    set_cell(dossier / "commandes_2024_2025.csv", 9, "client_id", "INCONNU")
    table = [row for row in rows(dossier / "hypotheses_bloc2.csv") if row[0] != "taux_tva"]
    write_rows(dossier / "hypotheses_bloc2.csv", table)
    findings = validate_dossier("bloc2", dossier)
    assert [(f.file, f.line, f.column, f.rule) for f in findings] == [
        ("commandes_2024_2025.csv", 9, "client_id", "identifiant"), ("hypotheses_bloc2.csv", None, "parametre", "parametres")]
    assert "« taux_tva » manque" in findings[1].message

    one = shutil.copytree(example[1], tmp_path / "bloc1")
    table = [row for row in rows(one / "budget_2026.csv") if "PAC" not in row[0]]
    write_rows(one / "budget_2026.csv", table)
    set_parameter(one / "entreprise.csv", "devise", "USD")
    found = {(f.file, f.column, f.rule) for f in validate_dossier("bloc1", one)}
    assert found == {("budget_2026.csv", "poste", "valeurs"), ("entreprise.csv", "valeur", "valeurs")}


def test_a_semicolon_file_and_a_latin1_file_are_refused_with_what_to_do(dossier):
    path = dossier / "prospects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    (dossier / "actions_pac.csv").write_bytes("action_id,action\nA01,Salon été\n".encode("latin-1"))
    findings = sorted(validate_dossier("bloc1", dossier), key=lambda f: f.file)
    assert [(f.file, f.rule) for f in findings] == [("actions_pac.csv", "fichier"), ("prospects.csv", "fichier")]
    assert "UTF-8" in findings[0].message and "points-virgules" in findings[1].message


def test_many_errors_are_counted_not_all_listed(dossier):
    table = rows(dossier / "factures_2024_2025.csv")
    for row in table[1:40]:
        row[table[0].index("montant_ht_eur")] = "x"
    write_rows(dossier / "factures_2024_2025.csv", table)
    findings = validate_dossier("bloc1", dossier)
    assert len(findings) == 6 and "… et 34 autre(s) ligne(s)" in findings[-1].message


def test_the_company_must_have_its_row_among_competitors_and_bidders(example, tmp_path):
    for bloc, file in ((1, "concurrents_2025.csv"), (2, "ao_offres_concurrents.csv")):
        dossier = shutil.copytree(example[bloc], tmp_path / f"bloc{bloc}")
        set_parameter(dossier / "entreprise.csv", "entreprise", "Autre Nom SARL")
        [finding] = validate_dossier(f"bloc{bloc}", dossier)
        assert (finding.file, finding.rule) == (file, "identifiant") and "« Autre Nom SARL »" in finding.message


def test_the_companys_bid_alone_is_left_blank_in_the_tender(example, tmp_path):
    """The tender notebook finds the company's row by its empty amount (its own bid, to compute): a filled own
    amount or a blank competitor is refused where it is (structure, no waiver)."""
    dossier = shutil.copytree(example[2], tmp_path / "bloc2")
    path = dossier / "ao_offres_concurrents.csv"
    table = rows(path)
    own = next(i for i, row in enumerate(table) if row[0] == "Numéria Services") + 1
    other = 2 if own != 2 else 3
    set_cell(path, own, "montant_ttc_eur", "99000")
    set_cell(path, other, "montant_ttc_eur", "")
    findings = validate_dossier("bloc2", dossier)
    assert sorted((f.file, f.line, f.column, f.rule) for f in findings) == sorted(
        [(path.name, own, "montant_ttc_eur", "identifiant"), (path.name, other, "montant_ttc_eur", "identifiant")])
    assert any("laisser cette colonne vide" in f.message for f in findings)
    assert any("seule la ligne de l'entreprise « Numéria Services »" in f.message for f in findings)


def test_an_identity_file_may_present_the_company_in_its_own_words(dossier):
    table = rows(dossier / "entreprise.csv")
    write_rows(dossier / "entreprise.csv", [row for row in table if row[0] != "presentation"])
    assert validate_dossier("bloc1", dossier) == []  # optional
    write_rows(dossier / "entreprise.csv", table + [["slogan", "Le meilleur", ""]])
    [finding] = validate_dossier("bloc1", dossier)
    assert (finding.file, finding.column) == ("entreprise.csv", "parametre")


def test_a_link_or_an_oversized_file_is_refused_unread(dossier, tmp_path, monkeypatch):
    """A dossier comes from outside: a link could bring any file of the trainer's machine into a copy."""
    secret = tmp_path / "secret.csv"
    shutil.copy(dossier / "prospects.csv", secret)  # even a file that would pass the contract
    (dossier / "prospects.csv").unlink()
    (dossier / "prospects.csv").symlink_to(secret)
    monkeypatch.setattr("mda_checks.company.validate.COMPANY_FILE_MAX_BYTES", 100_000)
    findings = sorted(validate_dossier("bloc1", dossier), key=lambda f: f.file)
    assert [(f.file, f.rule) for f in findings] == [("factures_2024_2025.csv", "fichier"), ("prospects.csv", "fichier")]
    assert "trop volumineux" in findings[0].message and "lien" in findings[1].message


@pytest.mark.parametrize("file, line, column, value", [
    ("entreprise.csv", None, "presentation", 'Numéria <img src=x onerror="alert(1)">'),  # a tag in the statements
    ("entreprise.csv", None, "secteur_entreprise", "Conseil {{budget_pac_ht}}"),          # a placeholder
    ("clients_b2b.csv", 2, "secteur", "Services `code`"),                                 # inline code, any text column
])
def test_a_text_carrying_markup_is_refused_where_it_is(dossier, file, line, column, value):
    """The dossier's texts reach the statements, the feedback and the reports: no markup in them."""
    if file == "entreprise.csv":
        table = rows(dossier / file)
        line = 1 + next(i for i, row in enumerate(table) if row[0] == column)
        set_parameter(dossier / file, column, value)
        column = "valeur"
    else:
        set_cell(dossier / file, line, column, value)
    [finding] = validate_dossier("bloc1", dossier)
    assert (finding.file, finding.line, finding.column, finding.rule) == (file, line, column, "type")
    assert "ni balise, ni accolade, ni accent grave" in finding.message
