"""The statements' parameters: French formatting, rendering of « {{name}} », copies rendered from their master."""
from __future__ import annotations

import math

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.utils import compute_checksum

from mda_checks.assign.statements import (
    NBSP,
    RenderStatements,
    case_parameters,
    folder_parameters,
    format_number,
    format_parameter,
    master_templates,
    placeholders,
    render,
    render_copy,
)
from mda_checks.casedata import generate_case, write_frames
from mda_checks.notebook import build

THIN = "\u202f"  # babel's French thousands separator (narrow no-break space)
MINUS = "\u2212"


# -- French numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (111_000, f"111{THIN}000"),
    (111_000.0, f"111{THIN}000"),
    (0.5, "0,5"),
    (2.345, "2,35"),
    (-0.8, f"{MINUS}0,8"),
    (1_120_000, f"1{THIN}120{THIN}000"),
])
def test_format_number_writes_french_digits(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value, unit, text", [
    (111_000, "euros", f"111{THIN}000{NBSP}€"),
    (928.5, "euros", f"928,50{NBSP}€"),
    (0.12, "taux", f"12{NBSP}%"),
    (0.515, "taux", f"51,5{NBSP}%"),
    (1.0, "taux", f"100{NBSP}%"),
    (3, "ratio", "3"),
    (3, "", "3"),
    (30, "jours", f"30{NBSP}jours"),
    (1, "jours", f"1{NBSP}jour"),
    (7, "jours ouvrés", f"7{NBSP}jours ouvrés"),
    (1, "jours ouvrés", f"1{NBSP}jour ouvré"),
    (-0.8, "points", f"{MINUS}0,8{NBSP}point"),
    (3.0, "points", f"3{NBSP}points"),
    (1, "mois", f"1{NBSP}mois"),
    (3, "niveau", f"niveau{NBSP}3"),
    ("Maintenance préventive et GMAO", "", "Maintenance préventive et GMAO"),
])
def test_format_parameter_writes_the_value_as_a_statement_does(value, unit, text):
    assert format_parameter(value, unit) == text


def test_a_parameter_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="non fini"):
        format_parameter(math.nan, "euros")


# -- placeholders and rendering -------------------------------------------------------------------

def test_placeholders_are_names_in_double_braces():
    text = "Budget : {{budget_client_ttc}} ; remise {{ remise_etudiee }} ; pas {x}, ni {{1abc}}, ni {{ }}."
    assert placeholders(text) == {"budget_client_ttc", "remise_etudiee"}


def test_render_replaces_each_placeholder_by_its_formatted_value():
    parameters = {"budget_client_ttc": f"111{THIN}000{NBSP}€", "remise_etudiee": f"6{NBSP}%"}
    text = "Budget : {{budget_client_ttc}} TTC ; remise de {{ remise_etudiee }} sur {{budget_client_ttc}}."
    assert render(text, parameters) == (f"Budget : 111{THIN}000{NBSP}€ TTC ; remise de 6{NBSP}% "
                                        f"sur 111{THIN}000{NBSP}€.")
    assert render("Aucun paramètre ici.", {}) == "Aucun paramètre ici."


def test_an_unknown_placeholder_is_an_error_named_in_french():
    with pytest.raises(KeyError) as raised:
        render("Arrêt de {{crise_jours_arret}}, pénalité {{penalite_inconnue}} et {{budget}}.",
               {"crise_jours_arret": f"7{NBSP}jours ouvrés"})
    message = str(raised.value)
    assert "paramètre(s) inconnu(s) dans un énoncé : budget, penalite_inconnue" in message
    assert "fichiers d'hypothèses" in message and "crise_jours_arret" not in message


# -- copies rendered from their master -------------------------------------------------------------

def _master() -> nbformat.NotebookNode:
    return build.notebook([
        build.markdown("Budget annoncé : {{budget_client_ttc}} TTC.", lock="enonce_budget"),
        build.markdown("Pas de paramètre ici.", lock="enonce_fixe"),
        build.markdown("Sans grade_id : {{budget_client_ttc}}."),
        build.code("dictionnaire = {{'a': 1}}", lock="code_verrouille"),
        build.manual("reponse", "Réponse modèle : {{budget_client_ttc}}.", 2, ["CE2.6.5"]),
    ])


def test_master_templates_are_the_locked_statements_that_quote_parameters():
    master = _master()
    templates = master_templates(master)
    # the model answer has a grade_id but is not locked: in a copy, that cell is the learner's answer
    assert set(templates) == {"enonce_budget"}
    assert templates["enonce_budget"] == "Budget annoncé : {{budget_client_ttc}} TTC."


def test_render_copy_renders_by_grade_id_and_updates_the_checksums():
    master = _master()
    copy = nbformat.from_dict(nbformat.reads(nbformat.writes(master), as_version=4))
    common = copy.cells[0]
    common.source = f"Budget annoncé : 111{THIN}000{NBSP}€ TTC."  # the common copy, rendered from source data
    common.metadata.nbgrader["checksum"] = compute_checksum(common)
    fixed_before = copy.cells[1].source
    learner_answer = copy.cells[4]
    learner_answer.source = "VOTRE RÉPONSE ICI"
    rendered = render_copy(copy, master, {"budget_client_ttc": f"95{THIN}000{NBSP}€"})
    assert rendered == 1
    assert learner_answer.source == "VOTRE RÉPONSE ICI"  # a model answer never overwrites the learner's
    assert common.source == f"Budget annoncé : 95{THIN}000{NBSP}€ TTC."
    assert common.metadata.nbgrader["checksum"] == compute_checksum(common)
    assert copy.cells[1].source == fixed_before
    assert copy.cells[2].source == "Sans grade_id : {{budget_client_ttc}}."  # no grade_id: not a template


def test_render_copy_with_a_missing_parameter_fails_instead_of_shipping_braces():
    with pytest.raises(KeyError, match="budget_client_ttc"):
        render_copy(_master(), _master(), {})


# -- parameters of a case -------------------------------------------------------------------------

def test_case_parameters_are_the_hypotheses_and_what_the_generator_adds():
    frames = generate_case(4)
    parameters = case_parameters("bloc4", frames)
    hypotheses = frames["hypotheses_centre.csv"].set_index("parametre")
    for name, row in hypotheses.iterrows():
        assert parameters[name] == format_parameter(row["valeur"], row["unite"])
    assert parameters["zones_criticite"].startswith("acceptable de 1 à 4")
    assert parameters["delai_paiement_entreprise"] == f"45{NBSP}jours"


def test_a_frame_without_the_hypotheses_columns_adds_no_parameter():
    frames = generate_case(4)
    frames["autre.csv"] = pd.DataFrame({"parametre": ["x"], "valeur": [1.0]})  # no « unite »: not hypotheses
    assert "x" not in case_parameters("bloc4", frames)


@pytest.mark.parametrize("bloc", [1, 2, 3, 4])
@pytest.mark.parametrize("seed", [2026, 7])
def test_a_case_read_back_from_its_csv_files_quotes_the_same_parameters(bloc, seed, tmp_path):
    """A learner's copy is rendered from the drawn frames, their feedback from the CSV files: the same text."""
    frames = generate_case(bloc, seed)
    write_frames(frames, tmp_path)
    assert folder_parameters(f"bloc{bloc}", tmp_path) == case_parameters(f"bloc{bloc}", frames)


def test_generate_assignment_renders_the_common_copy_from_the_data_folder(tmp_path):
    write_frames(generate_case(4), tmp_path / "data")
    notebook = build.notebook([build.markdown("Arrêt de {{crise_jours_arret}}.", lock="enonce"),
                               build.markdown("Rien à rendre.", lock="fixe")])
    resources = {"metadata": {"path": str(tmp_path)}, "nbgrader": {"assignment": "bloc4"}}
    rendered, _ = RenderStatements().preprocess(notebook, resources)
    expected = folder_parameters("bloc4", tmp_path / "data")["crise_jours_arret"]
    assert rendered.cells[0].source == f"Arrêt de {expected}."
    assert rendered.cells[1].source == "Rien à rendre."


def test_a_notebook_without_placeholders_needs_no_data():
    notebook = build.notebook([build.markdown("Rien à rendre.", lock="fixe"), new_code_cell("x = {{}}"),
                               new_markdown_cell("Texte libre.")])
    resources = {"metadata": {"path": "/nulle/part"}, "nbgrader": {"assignment": "bloc4"}}
    rendered, _ = RenderStatements().preprocess(notebook, resources)
    assert [c.source for c in rendered.cells] == ["Rien à rendre.", "x = {{}}", "Texte libre."]
