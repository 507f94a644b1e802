"""`mda entreprise`: a fit dossier is registered like a variant; any failure registers nothing."""
from __future__ import annotations

import shutil

import pytest

from mda_checks.cli import main
from mda_checks.company.import_dossier import import_dossier
from mda_checks.company.register import CompanyMismatch, store_folder
from mda_checks.variants.learner_case import data_digest, learner_case
from mda_checks.variants.registry import read_registry, registry_path
from tests.company.helpers import example_dossier, rows, set_cell, set_parameter, write_rows
from tests.conftest import copy_course


@pytest.fixture(scope="module")
def example1(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("cours-exemple"))
    return example_dossier(tmp_path_factory.mktemp("exemple1"), 1, course)


@pytest.fixture
def course(tmp_path):
    return copy_course(tmp_path / "cours")


def nothing_registered(course, student="alice") -> bool:
    return not registry_path(course).exists() and not store_folder(course, "bloc1", student).exists()


def test_the_example_is_registered_as_the_learners_case(course, example1):
    report = import_dossier(course, "bloc1", "alice", example1)
    assert report.registered and not report.findings and not report.bareme
    record = read_registry(course)[("bloc1", "alice")]
    assert record.variante == "entreprise Numéria Services" and record.graine == "entreprise:alice"
    case = learner_case(course, "bloc1", "alice")
    assert case.folder == store_folder(course, "bloc1", "alice") and data_digest(case.folder) == record.empreinte
    assert data_digest(case.folder) == data_digest(example1)
    assert learner_case(course, "bloc1", "bob").is_variant is False  # nobody else changes case


def test_stored_files_changed_after_import_stop_grading_with_a_french_reason(course, example1):
    import_dossier(course, "bloc1", "alice", example1)
    set_cell(store_folder(course, "bloc1", "alice") / "clients_b2b.csv", 3, "ca_2025_eur", "1.0")
    with pytest.raises(CompanyMismatch, match="ne sont plus celles importées"):
        learner_case(course, "bloc1", "alice")


def test_only_the_contract_files_are_kept(course, example1, tmp_path):
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    (dossier / "notes_personnelles.csv").write_text("nom,email\nJean Dupont,jean@exemple.fr\n", encoding="utf-8")
    assert import_dossier(course, "bloc1", "alice", dossier).registered
    assert not (store_folder(course, "bloc1", "alice") / "notes_personnelles.csv").exists()


def test_a_degenerate_dataset_is_refused_with_the_reason_and_nothing_registered(course, example1, tmp_path):
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    table = rows(dossier / "clients_b2b.csv")
    table[1][table[0].index("ca_2025_eur")] = "5000.0"
    write_rows(dossier / "clients_b2b.csv", table[:2])  # one client
    facts = rows(dossier / "factures_2024_2025.csv")
    for row in facts[1:]:
        row[facts[0].index("montant_ht_eur")] = "5000.0"  # all revenues equal
    write_rows(dossier / "factures_2024_2025.csv", facts)
    report = import_dossier(course, "bloc1", "alice", dossier)
    assert not report.registered and nothing_registered(course)
    said = [f.text() for f in report.findings]
    assert any(t.startswith("clients_b2b.csv : 1 ligne(s) : il en faut au moins 30") for t in said), said
    assert any("factures_2024_2025.csv, colonne « montant_ht_eur » : toutes les valeurs sont égales" in t for t in said)


def test_a_slip_that_gives_the_right_answer_is_refused_and_cannot_be_waived(course, example1, tmp_path):
    """No VAT: the classic « TTC for HT » slip gives the right HT cost; the barème could not tell them apart."""
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    set_parameter(dossier / "hypotheses_2026.csv", "taux_tva", "0.0")
    waivers = {rule: "entreprise exonérée" for rule in ("signe", "periode", "effectif", "dispersion")}
    report = import_dossier(course, "bloc1", "alice", dossier, waivers)
    assert not report.findings and not report.registered and nothing_registered(course)
    assert any(line.startswith("question « cout_pac_ht » : l'erreur classique") and "TTC" in line
               and "donne le bon résultat" in line for line in report.bareme), report.bareme


def test_a_plausibility_rule_can_be_waived_with_a_reason_never_a_structure_rule(course, example1, tmp_path):
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    set_cell(dossier / "factures_2024_2025.csv", 4, "date", "2023-12-30")
    refused = import_dossier(course, "bloc1", "alice", dossier)
    assert [f.rule for f in refused.findings] == ["periode"] and nothing_registered(course)
    with pytest.raises(ValueError, match="doit être justifiée"):
        import_dossier(course, "bloc1", "alice", dossier, {"periode": " "})
    for rule in ("type", "identifiant", "bareme"):
        with pytest.raises(ValueError, match="ne peut pas faire l'objet d'une exception"):
            import_dossier(course, "bloc1", "alice", dossier, {rule: "raison"})
    assert nothing_registered(course)
    waived = import_dossier(course, "bloc1", "alice", dossier, {"periode": "exercice décalé, facture de décembre 2023"})
    assert waived.registered and [f.line for f in waived.waived] == [4]
    assert "exercice décalé" in (store_folder(course, "bloc1", "alice") / "derogations.json").read_text(encoding="utf-8")


def test_the_command_reports_in_french_and_returns_1_on_a_bad_dossier(course, example1, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(course.root)
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    set_cell(dossier / "factures_2024_2025.csv", 12, "montant_ht_eur", "12 000,50")
    assert main(["entreprise", "bloc1", "alice", str(dossier)]) == 1
    out = capsys.readouterr().out
    assert "Dossier refusé : 1 point(s)" in out and "rien n'est enregistré" in out
    assert "factures_2024_2025.csv, ligne 12, colonne « montant_ht_eur » : « 12 000,50 » n'est pas un montant" in out
    assert nothing_registered(course)
    assert main(["entreprise", "bloc3", "alice", str(dossier)]) == 2
    assert "seuls les blocs 1 et 2" in capsys.readouterr().err


def test_a_dossier_whose_numbers_the_statements_cannot_quote_is_refused(course, tmp_path):
    """Bloc 2's statements quote the quantities of the negotiated request by catalogue reference."""
    dossier = example_dossier(tmp_path / "bloc2", 2, course)
    for name in ("catalogue_2026.csv", "demande_lumen.csv"):
        path = dossier / name
        path.write_text(path.read_text(encoding="utf-8").replace("VAE-CARGO", "SRV-RACK"), encoding="utf-8")
    report = import_dossier(course, "bloc2", "alice", dossier)
    assert not report.findings and not report.registered
    assert report.bareme[0].startswith("les énoncés ne peuvent pas citer") and "VAE-CARGO" in report.bareme[0]
    assert not registry_path(course).exists() and not store_folder(course, "bloc2", "alice").exists()


def test_importing_over_an_existing_case_says_so(course, example1, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(course.root)
    assert main(["entreprise", "bloc1", "alice", str(example1)]) == 0
    assert "Attention" not in capsys.readouterr().out
    dossier = shutil.copytree(example1, tmp_path / "dossier")
    set_cell(dossier / "clients_b2b.csv", 3, "anciennete_ans", "12")
    assert main(["entreprise", "bloc1", "alice", str(dossier)]) == 0
    out = capsys.readouterr().out
    assert "alice avait déjà un cas pour bloc1 (entreprise Numéria Services" in out
    assert read_registry(course)["bloc1", "alice"].empreinte == data_digest(store_folder(course, "bloc1", "alice"))
