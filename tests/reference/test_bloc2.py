"""Bloc 2 reference formulas against the worked examples of formules-reference.md, on tiny case files."""
import math

import numpy as np
import pandas as pd
import pytest

from mda_checks import Amount, Rate, Table
from mda_checks.casedata import generate_case
from mda_reference.bloc2 import appel_offres, communication, negociation, portefeuille, prospection
from mda_reference.registry import CaseData


def case(folder, **files) -> CaseData:
    """A CaseData over the given frames (keyword = file name without .csv)."""
    for name, frame in files.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return CaseData(folder)


def hypotheses(**values) -> pd.DataFrame:
    return pd.DataFrame({"parametre": list(values), "valeur": list(values.values())})


# -- prospection: funnel 300 → 90 → 36 → 27 → 6, CAC (10 000 + 5 000) / 50 = 300, LTV/CAC 1 000 / 300 ---------------
def leads(channel, target, counts):
    rows = []
    for k in range(counts[0]):
        dates = ["2025-01-01" if k < n else None for n in counts]
        rows.append((channel, target, *dates))
    return pd.DataFrame(rows, columns=["canal", "cible", "date_creation", "date_mql", "date_sql", "date_opportunite",
                                       "date_signature"])


@pytest.fixture
def prospection_case(tmp_path):
    frame = pd.concat([leads("A", "B2B", [300, 90, 36, 27, 6]), leads("B", "B2C", [50, 50, 50, 50, 50])])
    spend = pd.DataFrame({"canal": ["A", "B", "B"], "poste": ["x", "y", "z"],
                          "nature": ["marketing", "marketing", "commercial"],
                          "montant_ht_eur": [1_800.0, 10_000.0, 5_000.0]})
    return case(tmp_path, leads_2025=frame, depenses_prospection_2025=spend, hypotheses_bloc2=hypotheses(
        marge_annuelle_client_b2b=100, attrition_prevue_b2b=0.25, marge_annuelle_client_b2c=50,
        attrition_prevue_b2c=0.05, objectif_nouveaux_clients_2026=7))


def test_funnel_stage_rates_and_overall_rate(prospection_case):
    rates = prospection.stage_rates(prospection.funnel(prospection_case)).loc["A"]
    assert list(rates.round(4)) == [0.30, 0.40, 0.75, 0.2222, 0.02]
    assert rates["global"] == pytest.approx(np.prod(rates.drop("global")))


def test_cac_counts_sales_time_and_ltv_cac(prospection_case):
    expected = prospection.cac_by_channel(prospection_case)
    assert expected.value["B"] == 300
    assert expected.mistakes[0].value["B"] == 200  # marketing only: a convention slip, half the points
    assert prospection.ltv_to_cac(prospection_case)["B"] == pytest.approx(1_000 / 300)


def test_leads_needed_round_up_and_rounding_down_keeps_half(prospection_case):
    expected = prospection.leads_needed(prospection_case)
    needed = 7 / (56 / 350)
    assert expected.value == math.ceil(needed)
    from mda_checks import Quantity
    assert Quantity("Leads", math.floor(needed)).grade(expected, 1).score == 0.5
    assert Quantity("Leads", 7 * 350).grade(expected, 1).score == 0


# -- tender: PVHT 137 500 for DS 100 000 (FC 10 % of DS, FG 15 % and B 5 % of the price), scores 10 / 8.333 / 6.667 ---
@pytest.fixture
def tender_case(tmp_path):
    costing = pd.DataFrame({"ligne": ["D01", "D02"], "exigence": ["E01", "option"], "poste": ["a", "b"],
                            "nature": ["matériaux", "matériaux"], "quantite": [1, 10], "unite": ["u", "u"],
                            "cout_unitaire_ht_eur": [100_000.0, 50.0]})
    bids = pd.DataFrame({"candidat": ["X", "Y", "Cyclonord"], "montant_ttc_eur": [120_000.0, 180_000.0, np.nan],
                         "note_technique": [6.0, 8.0, 9.0], "note_environnement": [0.0, 0.0, 0.0]})
    return case(tmp_path, ao_chiffrage=costing, ao_offres_concurrents=bids, hypotheses_bloc2=hypotheses(
        taux_tva=0.20, ao_taux_frais_chantier=0.10, ao_taux_frais_generaux=0.15, ao_taux_benefice=0.05,
        ao_note_maximale=10, ao_poids_prix=0.60, ao_poids_technique=0.40, ao_poids_environnement=0.0))


def test_cost_build_up_to_the_price(tender_case):
    assert appel_offres.dry_cost(tender_case) == 100_000  # the option line is left out
    expected = appel_offres.price_answer(tender_case)
    assert expected.value == pytest.approx(137_500)
    assert expected.mistakes[0].value == pytest.approx(132_825)  # cascade on cost: half the points
    assert Amount("PVHT", 132_825).grade(expected, 2).score == 1


def test_price_scores_and_weighted_totals_of_the_worked_example(tender_case):
    prices = appel_offres.bids_ht(tender_case, ours=120_000)  # X 100 000, Y 150 000, Cyclonord 120 000 HT
    scores = appel_offres.price_scores(tender_case, prices)
    assert list(scores[["X", "Cyclonord", "Y"]].round(3)) == [10, 8.333, 6.667]
    totals = appel_offres.weighted(tender_case, scores)
    assert list(totals[["X", "Cyclonord", "Y"]].round(3)) == [8.4, 8.6, 7.2]


def test_price_to_win_equalises_the_best_competitor(tender_case):
    price = appel_offres.price_to_win(tender_case)
    prices = appel_offres.bids_ht(tender_case, ours=price)
    totals = appel_offres.weighted(tender_case, appel_offres.price_scores(tender_case, prices))
    assert totals["Cyclonord"] == pytest.approx(totals.drop("Cyclonord").max())
    assert appel_offres.price_to_win(tender_case, competitors_ttc=True) == pytest.approx(1.2 * price)


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_price_to_win_holds_on_other_variants_of_the_case(tmp_path, seed):
    data = case(tmp_path, **{name[:-4]: frame for name, frame in generate_case(2, seed).items()})
    price = appel_offres.price_to_win(data)
    totals = appel_offres.weighted(data, appel_offres.price_scores(data, appel_offres.bids_ht(data, ours=price)))
    assert totals["Cyclonord"] == pytest.approx(totals.drop("Cyclonord").max())


# -- portfolio: RFM ties, ABC boundary rule -----------------------------------------------------------------------------
def test_recency_ties_are_broken_in_table_order_and_r_is_reversed():
    recency = pd.Series([5, 40, 12, 90, 40], index=list("ABCDE"))
    assert portefeuille.quintile(recency, reverse=True).to_dict() == {"A": 5, "B": 3, "C": 4, "D": 1, "E": 2}


def test_abc_boundary_customer_stays_in_its_class():
    revenue = pd.Series([450, 250, 150, 70, 40, 20, 10, 6, 3, 1], index=[f"C{k:02d}" for k in range(1, 11)])
    crossing = portefeuille.abc_classes(revenue).value_counts().to_dict()
    at_most = portefeuille.abc_classes(revenue, crossing_in_class=False).value_counts().to_dict()
    assert crossing == {"A": 3, "B": 2, "C": 5}
    assert at_most == {"A": 2, "B": 2, "C": 6}


def test_segment_grid_is_read_top_to_bottom():
    scores = pd.DataFrame({"R": [5, 5, 4, 1, 2, 3], "F": [5, 3, 1, 5, 1, 5], "M": [5, 1, 5, 5, 5, 5]})
    assert list(portefeuille.apply_grid(scores)) == ["Champions", "Fidèles", "Nouveaux", "À risque", "Perdus",
                                                    "À surveiller"]


# -- churn: start 200, lost 20, new 30 → 0.10 on the start base, 0.0952 on the end base -------------------------------------
def test_churn_uses_the_start_of_period_base(tmp_path):
    rows = [(f"C{k:03d}", "2024-03-01") for k in range(200)]
    rows += [(f"C{k:03d}", "2025-03-01") for k in range(20, 230)]
    orders = pd.DataFrame(rows, columns=["client_id", "date"]).assign(montant_ht_eur=1.0)
    expected = communication.churn(case(tmp_path, commandes_2024_2025=orders))
    assert expected.value == pytest.approx(0.10)
    assert expected.mistakes[0].value == pytest.approx(20 / 210)
    assert Rate("Attrition", 20 / 210).grade(expected, 2).score == 1
    assert Rate("Attrition", 0.90).grade(expected, 2).score == 0


# -- negotiation: volume to keep the margin after a discount ----------------------------------------------------------------
def test_volume_increase_keeps_the_same_margin(tmp_path):
    data = case(tmp_path, demande_lumen=pd.DataFrame({"reference": ["V"], "quantite": [1]}),
                catalogue_2026=pd.DataFrame({"reference": ["V"], "designation": ["vélo"],
                                             "prix_catalogue_ht_eur": [100.0], "cout_revient_ht_eur": [75.0]}),
                hypotheses_bloc2=hypotheses(remise_etudiee=0.05, taux_marque_plancher=0.20, taux_tva=0.2,
                                            budget_client_ttc=120))
    increase = negociation.volume_increase(data).value
    assert increase == pytest.approx(0.25)
    assert (1 + increase) * (100 * 0.95 - 75) == pytest.approx(100 - 75)
    assert negociation.max_discount(data).value == pytest.approx(1 - 75 / 80)
    assert Rate("Volume", 0.05).grade(negociation.volume_increase(data), 2).score == 0


def test_value_at_stake_follows_the_learners_segments(tmp_path):
    orders = pd.DataFrame({"client_id": ["E1", "E2", "P1"], "date": ["2025-02-01", "2024-02-01", "2025-06-01"],
                           "montant_ht_eur": [100.0, 50.0, 10.0]})
    data = case(tmp_path, commandes_2024_2025=orders)
    segments = pd.Series({"e1": "Champions", "E2": "Perdus", "P1": "Champions"})
    derived = portefeuille.value_at_stake(data).value(segments=segments)
    assert derived.to_dict() == {"Champions": 110.0, "Perdus": 0.0}
    assert Table("Valeur", derived, unit="amount").grade(derived, 1).score == 1


# -- no expected value in the files learners receive ----------------------------------------------------------------------
#: per-client raw metrics: a one-order client's M is that order's amount, which the data must show
RAW_PER_CLIENT = {"rfm_brut"}


def test_no_expected_value_in_the_released_data_files():
    import re

    from tests.conftest import COURSE
    from tests.course.test_release import _numbers, _telling_forms

    reference = COURSE.import_reference("bloc2").reference
    data = COURSE.source / "bloc2" / "data"
    forms = set()
    for key in set(reference.keys()) - RAW_PER_CLIENT:
        for number in _numbers(reference.expected(key, data).value):
            forms |= _telling_forms(number)
    assert len(forms) > 50
    texts = {p.name: p.read_text(encoding="utf-8") for p in (COURSE.release / "bloc2" / "data").glob("*.csv")}
    whole = {f: re.compile(r"(?<![\d.])" + re.escape(f) + r"(?!\d)") for f in forms}
    assert texts and not [(name, f) for name, text in texts.items() for f, pattern in whole.items()
                          if pattern.search(text)]


def test_value_at_stake_accepts_a_one_column_table_and_rejects_other_shapes(tmp_path):
    orders = pd.DataFrame({"client_id": ["E1"], "date": ["2025-02-01"], "montant_ht_eur": [100.0]})
    derive = portefeuille.value_at_stake(case(tmp_path, commandes_2024_2025=orders)).value
    assert derive(segments=pd.DataFrame({"segment": ["Champions"]}, index=["E1"])).to_dict() == {"Champions": 100.0}
    with pytest.raises(TypeError):
        derive(segments=["Champions"])
