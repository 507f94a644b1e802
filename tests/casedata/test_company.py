"""The statements name the case's company: Cyclonord for every generated case, the host company's own name otherwise."""
import pandas as pd
import pytest

from mda_checks.assign.statements import case_parameters
from mda_checks.casedata import regenerate_case
from mda_checks.casedata.company import COMMON_COMPANY, COMMON_PRESENTATION, company_parameters, elided


def identity(**rows) -> dict[str, pd.DataFrame]:
    return {"entreprise.csv": pd.DataFrame({"parametre": list(rows), "valeur": list(rows.values()),
                                            "unite": [""] * len(rows)})}


def test_de_and_que_elide_before_a_vowel_only():
    assert elided("de", "Cyclonord") == "de Cyclonord" and elided("que", "Cyclonord") == "que Cyclonord"
    assert elided("de", "Alpha Conseil") == "d'Alpha Conseil" and elided("que", "Alpha Conseil") == "qu'Alpha Conseil"
    assert elided("de", "Écoloc") == "d'Écoloc" and elided("de", "Numéria Services") == "de Numéria Services"


@pytest.mark.parametrize("bloc", [1, 2])
@pytest.mark.parametrize("seed", [2026, 7, 1])
def test_every_generated_case_tells_cyclonords_story(bloc, seed):
    parameters = case_parameters(f"bloc{bloc}", regenerate_case(bloc, seed, 0))
    assert parameters["entreprise"] == COMMON_COMPANY == "Cyclonord"
    assert parameters["de_entreprise"] == "de Cyclonord"
    assert parameters["presentation_entreprise"] == COMMON_PRESENTATION


def test_a_host_company_is_named_by_its_identity_file_and_presents_itself():
    rows = dict(entreprise="Alpha Conseil", secteur_entreprise="Conseil en recrutement", devise="EUR",
                presentation="Alpha Conseil (Nantes, 12 salariés) recrute des cadres pour les PME")
    parameters = company_parameters(identity(**rows))
    assert parameters["entreprise"] == "Alpha Conseil" and parameters["de_entreprise"] == "d'Alpha Conseil"
    assert parameters["presentation_entreprise"] == "Alpha Conseil (Nantes, 12 salariés) recrute des cadres pour les PME."
    assert "Cyclonord" not in "".join(parameters.values())


def test_without_a_presentation_row_the_story_opens_neutrally_on_name_and_sector():
    parameters = company_parameters(identity(entreprise="Alpha Conseil", secteur_entreprise="Conseil en recrutement",
                                             devise="EUR"))
    assert parameters["presentation_entreprise"] == (
        "Alpha Conseil est votre entreprise d'accueil (secteur : Conseil en recrutement).")
    assert "vélo" not in parameters["presentation_entreprise"]


def test_the_identity_rows_reach_the_statements_of_both_blocs():
    """case_parameters reads entreprise.csv like a hypotheses file, then the company's parameters: they agree."""
    frames = {**regenerate_case(2, 7, 0), **identity(entreprise="Alpha Conseil", secteur_entreprise="Conseil",
                                                      devise="EUR")}
    parameters = case_parameters("bloc2", frames)
    assert parameters["entreprise"] == "Alpha Conseil" and parameters["que_entreprise"] == "qu'Alpha Conseil"
