"""An independent solution for the example company (written from the statements, not from the reference)
scores full on its data, and a classic slip earns the barème's credit with its cause."""
from __future__ import annotations

import pandas as pd
import pytest

from mda_checks.assign.case_check import POINTS
from mda_apprenant.check.result import Status
from tests.company.helpers import example_dossier, grade
from tests.conftest import COURSE


@pytest.fixture(scope="module")
def numeria(tmp_path_factory):
    return {bloc: example_dossier(tmp_path_factory.mktemp(f"numeria{bloc}"), bloc, COURSE) for bloc in (1, 2)}


def read(folder, name):
    return pd.read_csv(folder / name)


def parameter(folder, file, name):
    frame = read(folder, file)
    return float(frame.loc[frame["parametre"] == name, "valeur"].iloc[0])


def bloc1_answers(folder) -> dict[str, object]:
    market = read(folder, "marche_vae.csv")
    clean = market.drop_duplicates()
    by_year = clean.groupby("annee")["ca_meur"].sum()
    players = read(folder, "concurrents_2025.csv")
    actions = read(folder, "actions_pac.csv")
    invoices = read(folder, "factures_2024_2025.csv")
    year = invoices[invoices["date"].str.startswith("2025")]
    revenue = year["montant_ht_eur"].sum()
    return {
        "nb_doublons": int(len(market) - len(clean)),
        "tcam_marche": (by_year[2025] / by_year[2021]) ** 0.25 - 1,
        "parts_marche": pd.Series(players["ca_vae_2025_keur"].to_numpy() / players["ca_vae_2025_keur"].sum(),
                                  index=players["concurrent"]),
        "cout_pac_ht": actions["cout_ttc_eur"].sum() / (1 + parameter(folder, "hypotheses_2026.csv", "taux_tva")),
        "ca_2025": revenue,
        "taux_marque": (revenue - year["cout_achat_ht_eur"].sum()) / revenue,
    }


def bloc2_answers(folder) -> dict[str, object]:
    quote = read(folder, "demande_lumen.csv").merge(read(folder, "catalogue_2026.csv"), on="reference")
    costing = read(folder, "ao_chiffrage.csv")
    required = costing[costing["exigence"] != "option"]
    return {
        "montant_offre_ht": float((quote["quantite"] * quote["prix_catalogue_ht_eur"]).sum()),
        "debourse_sec": float((required["quantite"] * required["cout_unitaire_ht_eur"]).sum()),
    }


@pytest.mark.parametrize("bloc, answers", [(1, bloc1_answers), (2, bloc2_answers)])
def test_an_independent_solution_scores_full_on_the_example_company(numeria, bloc, answers):
    for grade_id, value in answers(numeria[bloc]).items():
        result = grade(COURSE, f"bloc{bloc}", numeria[bloc], grade_id, value)
        assert result.score == POINTS, (grade_id, result.message)


def test_the_example_company_has_its_own_right_answers(numeria):
    """Not Cyclonord's numbers: the example's answers are computed from its own data."""
    common = bloc1_answers(COURSE.source / "bloc1" / "data")
    for grade_id, value in bloc1_answers(numeria[1]).items():
        if grade_id in ("cout_pac_ht", "ca_2025", "tcam_marche"):
            assert grade(COURSE, "bloc1", numeria[1], grade_id, value).status is Status.CORRECT
            assert grade(COURSE, "bloc1", numeria[1], grade_id, common[grade_id]).status is not Status.CORRECT


@pytest.mark.parametrize("bloc, grade_id, slip", [
    (1, "cout_pac_ht", lambda folder, right: read(folder, "actions_pac.csv")["cout_ttc_eur"].sum()),
    (2, "montant_offre_ht", lambda folder, right: right * (1 + parameter(folder, "hypotheses_bloc2.csv", "taux_tva"))),
])
def test_ttc_for_ht_earns_the_baremes_credit_with_its_cause(numeria, bloc, grade_id, slip):
    folder = numeria[bloc]
    right = (bloc1_answers if bloc == 1 else bloc2_answers)(folder)[grade_id]
    result = grade(COURSE, f"bloc{bloc}", folder, grade_id, slip(folder, right))
    assert result.score == POINTS / 2 and "TTC" in result.message and "Cause probable" in result.message


def test_the_tender_ranks_the_company_by_its_own_row(numeria):
    """Bloc 2's tender: the company's bid is the row named in entreprise.csv, never Cyclonord's."""
    from mda_checks.assign.case_check import assignment_checks
    from mda_checks.company.example import NAME
    from mda_checks.scoring.reference import reference_expected
    from mda_checks.scoring.right_answers import RightAnswers

    right = RightAnswers(reference_expected(COURSE.root, "bloc2", numeria[2]))
    totals = None
    for check in assignment_checks(COURSE, "bloc2"):
        _, expected = right.of(check.grade_id, check.spec)
        if check.grade_id == "notes_totales":
            totals = expected.value
            break
    assert NAME in totals.index and "Cyclonord" not in totals.index
    rank = int(totals.rank(ascending=False, method="min")[NAME])
    assert grade(COURSE, "bloc2", numeria[2], "rang_cyclonord", rank).score == POINTS
