"""Bloc 4 reference formulas against the worked examples of formules-reference §5, and wrong answers;
carried questions."""
import pandas as pd
import pytest

from mda_apprenant import Amount, Carried, Duration, Rate, Selection, Table
from mda_reference.bloc4 import expected, reference
from mda_reference.bloc4.lean import process_cycle_efficiency, takt_time
from mda_reference.bloc4.obligations_litiges import count_back, dso, next_due_date, roll_to_monday
from mda_reference.bloc4.rapport_crise import zone_of
from mda_reference.bloc4.tableau_de_bord import price_variance, quantity_variance
from tests.conftest import COURSE
from tests.reference.carried import Bloc, Case

DATA = COURSE.source / "bloc4" / "data"
BLOC = Bloc("bloc4")
ZONES = pd.DataFrame({"zone": ["acceptable", "acceptable sous contrôle", "inacceptable"],
                      "criticite_min": [1, 5, 10], "criticite_max": [4, 9, 20]})


def test_takt_time_is_available_time_over_demand():
    assert takt_time(120, 1, 100) == pytest.approx(1.2)
    assert takt_time(16 * 60, 1, 500) == pytest.approx(1.92)


def test_pce_basis_working_hours_versus_calendar_hours():
    """4 h of value-added time in a 5-day lead time: 10 % on 8-hour days, 3.3 % on 24-hour days."""
    assert process_cycle_efficiency(4, 5, 8) == pytest.approx(0.10)
    assert process_cycle_efficiency(4, 5, 24) == pytest.approx(0.0333, abs=1e-4)


def test_revenue_variances_split_the_total_variance():
    quantity, price = quantity_variance(1_100, 1_000, 50), price_variance(48, 50, 1_100)
    assert quantity == 5_000 and price == -2_200
    assert quantity + price == 1_100 * 48 - 1_000 * 50 == 2_800


def test_dso_global_method_day_basis_and_ttc():
    assert dso(180_000, 1_200_000, 360) == pytest.approx(54)
    assert dso(180_000, 1_200_000, 365) == pytest.approx(54.75)
    assert dso(180_000, 1_200_000 / 1.2, 360) == pytest.approx(64.8)  # CA HT: wrong but common


def test_dso_count_back_method():
    assert count_back(180_000, [100_000, 90_000, 110_000], [30, 30, 30]) == pytest.approx(56.67, abs=0.01)
    assert count_back(50_000, [100_000, 90_000], [30, 30]) == pytest.approx(15)


def test_criticality_zones_include_their_bounds():
    assert [zone_of(c, ZONES) for c in (4, 5, 9, 10)] == [
        "acceptable", "acceptable sous contrôle", "acceptable sous contrôle", "inacceptable"]
    assert {p * g for p in range(1, 5) for g in range(1, 5)} == {1, 2, 3, 4, 6, 8, 9, 12, 16}


def test_due_dates_roll_weekends_to_monday_and_start_at_the_reference_date():
    assert roll_to_monday(pd.Timestamp("2026-03-14")) == pd.Timestamp("2026-03-16")  # Saturday
    assert roll_to_monday(pd.Timestamp("2026-03-15")) == pd.Timestamp("2026-03-16")  # Sunday
    assert roll_to_monday(pd.Timestamp("2026-03-13")) == pd.Timestamp("2026-03-13")
    monthly = {"obligation": "DSN", "frequence": "mensuelle", "jour": 15, "mois": None}
    assert next_due_date(monthly, pd.Timestamp("2026-02-13")) == pd.Timestamp("2026-02-16")
    assert next_due_date(monthly, pd.Timestamp("2026-02-16")) == pd.Timestamp("2026-02-16")
    assert next_due_date(monthly, pd.Timestamp("2026-02-13"), roll=False) == pd.Timestamp("2026-02-15")
    quarterly = {"obligation": "IS", "frequence": "trimestrielle", "jour": 15, "mois": "3;6;9;12"}
    assert next_due_date(quarterly, pd.Timestamp("2026-12-16")) == pd.Timestamp("2027-03-15")
    notice = {"obligation": "Préavis", "frequence": "ponctuelle", "date_evenement": "2026-07-01", "decalage_mois": -3}
    assert next_due_date(notice, pd.Timestamp("2026-01-10")) == pd.Timestamp("2026-04-01")


def test_every_expected_value_is_computed_from_the_case_files():
    for key in reference.keys():
        assert expected(key, DATA).value is not None, key


@pytest.mark.parametrize("key, wrong, share, cause", [
    ("dso_jours", lambda e: e.mistakes[0].value, 0.5, "365"),
    ("dso_jours", lambda e: e.value + 3, 0.0, ""),
    ("dso_jours", lambda e: e.value * 1.2, 0.5, "HT"),
    ("pce", lambda e: e.value / 3, 0.5, "calendaires"),
    ("takt_time_min", lambda e: e.value + 1, 0.0, ""),
])
def test_wrong_scalar_answers_lose_their_points_with_a_cause(key, wrong, share, cause):
    target = BLOC.resolved(key)  # a carried question (pce): worked on the right earlier results
    kind = Rate if key == "pce" else Duration
    result = kind("réponse", wrong(target)).grade(target, 2)
    assert result.score == 2 * share and cause in result.message
    assert kind("réponse", target.value).grade(target, 2).score == 2


def test_price_variance_on_planned_quantities_is_a_wrong_method():
    target = BLOC.resolved("ecarts_prix")  # carried: worked on the right quantity variances
    result = Table("Écarts sur prix", target.mistakes[0].value, unit="amount").grade(target, 2)
    # no credit for the method; the rows whose quantities did not change keep their share
    wrong_rows = (target.mistakes[0].value - target.value).abs().gt(0.01).sum()
    share = 1 - wrong_rows / len(target.value)
    assert result.score == pytest.approx(2 * share, abs=0.01) and "quantités prévues" in result.message
    assert result.score < 2


def test_amount_at_risk_counted_twice_scores_nothing():
    target = expected("montant_a_risque", DATA)
    result = Amount("Montant à risque", target.mistakes[0].value).grade(target, 2)
    assert result.score == 0 and "deux fois" in result.message


# -- carried questions: graded on the learner's own earlier results (error carried forward) ---------------------------
def stream(d):
    return d("flux_revision.csv")


def hours_per_day(d):
    return d.parameter("heures_ouvrees_par_jour")


def off_target_by_hand(d, indicateurs_qcd):
    targets = d("objectifs_2025.csv").set_index("indicateur")
    return [name for name in ["Qualité", "Coût", "Délai"]
            if not (indicateurs_qcd[name] >= targets.loc[name, "objectif"] if targets.loc[name, "sens"] == "au moins"
                    else indicateurs_qcd[name] <= targets.loc[name, "objectif"])]


def quality_across_its_target(d, qcd):
    target = d("objectifs_2025.csv").set_index("indicateur").loc["Qualité", "objectif"]
    return qcd.where(qcd.index != "Qualité", target - 0.05 if qcd["Qualité"] >= target else target + 0.02)


def revenue(d):
    return d("ordres_travail_2025.csv")["montant_ht_eur"].sum()


def realised(d):
    orders = d("ordres_travail_2025.csv")
    return d("budget_prestations_2025.csv").set_index("prestation").join(
        orders.groupby("prestation")["montant_ht_eur"].agg(volume_reel="count", ca_reel="sum"))


def hours_for_volumes(d, gaps):
    """Quantity variances of a learner who counted the labour hours of each service as its volume."""
    frame = realised(d)
    hours = d("ordres_travail_2025.csv").groupby("prestation")["heures_mo"].sum()
    return (hours - frame["volume_prevu"]) * frame["prix_moyen_prevu_ht_eur"]


def price_variances_by_hand(d, ecarts_quantite):
    """The notebook's formula on the learner's own actual volumes (those their quantity variances were computed
    with): volume = planned volume + variance ÷ planned price; actual price = actual revenue ÷ that volume."""
    frame = realised(d)
    volume = frame["volume_prevu"] + ecarts_quantite / frame["prix_moyen_prevu_ht_eur"]
    return (frame["ca_reel"] / volume - frame["prix_moyen_prevu_ht_eur"]) * volume


def ranking_by_hand(d, matrice_criticite):
    register = d("registre_risques.csv").set_index("risque_id")
    register["criticite"] = matrice_criticite["criticite"]
    ordered = register.reset_index().sort_values(["criticite", "gravite", "risque_id"], ascending=[False, False, True])
    return pd.Series(range(1, len(ordered) + 1), index=ordered["risque_id"])


def additive(d, matrix):
    register = d("registre_risques.csv").set_index("risque_id")
    return matrix.assign(criticite=register["probabilite"] + register["gravite"])


CARRIED = {
    # 01_lean_flux: a lead time in 24-hour days, a value-added time with the necessary activities, carried
    "pce": Case(
        lambda v: Rate("PCE", v),
        lambda d, temps_va_heures, lead_time_jours: temps_va_heures / (lead_time_jours * hours_per_day(d)),
        {"temps_va_heures": lambda d, hours: stream(d).loc[stream(d)["categorie"] != "gaspillage", "duree_h"].sum(),
         "lead_time_jours": lambda d, days: stream(d)["duree_h"].sum() / 24}),
    "pce_apres": Case(
        lambda v: Rate("PCE après", v),
        lambda d, temps_va_heures, lead_time_jours, gain_lead_time_jours:
            temps_va_heures / ((lead_time_jours - gain_lead_time_jours) * hours_per_day(d)),
        {"temps_va_heures": lambda d, hours: hours * 1.2, "lead_time_jours": lambda d, days: days * 1.1,
         "gain_lead_time_jours": lambda d, days: days * hours_per_day(d) / 24}),
    # 03_tableau_de_bord
    "indicateurs_hors_objectif": Case(lambda v: Selection("Hors objectif", v), off_target_by_hand,
                                      {"indicateurs_qcd": quality_across_its_target}),
    "ecarts_prix": Case(lambda v: Table("Écarts sur prix", v, unit="amount"), price_variances_by_hand,
                        {"ecarts_quantite": hours_for_volumes}),
    # 04_rapport_crise
    "taux_resultat": Case(
        lambda v: Rate("Taux de résultat", v), lambda d, resultat_centre: resultat_centre / revenue(d),
        {"resultat_centre": lambda d, result: revenue(d) - d("charges_centre_2025.csv")["budget_eur"].sum()}),
    "rang_risques": Case(lambda v: Table("Rangs", v, unit="quantity"), ranking_by_hand, {"matrice_criticite": additive}),
}


def test_the_calendar_basis_slip_in_the_pce_keeps_half_on_the_learners_own_times():
    va, lead = BLOC.right("temps_va_heures") * 1.2, BLOC.right("lead_time_jours")
    result = Carried(Rate("PCE", va / (lead * 24)), temps_va_heures=va, lead_time_jours=lead).grade(
        BLOC.expected("pce"), 2)
    assert result.score == 1 and "calendaires" in result.message


def test_zone_bounds_shifted_either_way_are_the_same_convention_slip():
    target = expected("matrice_criticite", DATA)
    causes = [m for m in target.mistakes if m.slip == "bornes"]
    assert len(causes) == 2
    scores = []
    for mistake in causes:
        result = Table("Matrice", mistake.value, unit="quantity", columns=["criticite", "zone"]).grade(target, 3)
        assert mistake.cause in result.message and 1.5 <= result.score < 3
        scores.append(result.score)
    # either way, the share of right cells is kept (it beats the convention's half): the same rule both ways
    right_cells = [(m.value == target.value).to_numpy().sum() / target.value.size for m in causes]
    assert scores == [pytest.approx(3 * share, abs=0.01) for share in right_cells]
