"""Bloc 3 reference: formulas against the worked examples, every check against right and wrong answers;
carried questions."""
import math

import numpy as np
import pandas as pd
import pytest

from mda_apprenant import Amount, Carried, Choice, DateValue, Duration, Rate, Ratio, Selection, Status, Table
from mda_checks.casedata import generate_case
from mda_reference.bloc3 import expected, gepp, organisation, recrutement, reference, suivi
from mda_reference.registry import CaseData
from tests.conftest import COURSE
from tests.reference.carried import Bloc, Case

DATA = COURSE.source / "bloc3" / "data"
BLOC = Bloc("bloc3")


# -- formulas: formules-reference.md, section 6, and the notebooks' conventions ---------------------
REQUIRED, CURRENT = [3, 4, 2, 3], [1, 4, 3, 2]


def test_gaps_need_and_coverage_match_the_worked_example():
    assert gepp.gaps(REQUIRED, CURRENT).tolist() == [2, 0, -1, 1]
    assert gepp.training_need(REQUIRED, CURRENT) == 3
    assert gepp.training_need(REQUIRED, CURRENT, clip=False) == 2  # the slip the clipping avoids
    assert gepp.coverage_rate(REQUIRED, CURRENT) == 0.5


def test_training_cost_matches_the_worked_example():
    per_trainee = gepp.cost_per_trainee(700, 80, 300, 30, 14)
    assert per_trainee == 900
    assert 3 * per_trainee == 2_700
    assert gepp.cost_per_trainee(700, 80, 300, 30, 14, salary=False) == 480
    assert gepp.cost_per_trainee(700, 80, 300, 30, 14, deduct_opco=False) == 1_200


def test_capacity_uses_contract_hours_absences_and_the_affaire_share():
    team = pd.DataFrame({"personne_id": ["A", "B"], "quotite": [1.0, 0.8], "part_affaire": [0.5, 1.0],
                         "absences_prevues_h": [14, 0]})
    capacity = organisation.capacity(team, 35, 12)
    assert capacity.to_dict() == {"A": (420 - 14) * 0.5, "B": 336.0}
    assert organisation.capacity(team, 35, 12, contract_hours=False)["B"] == 420


def test_overload_hours_do_not_net_spare_capacity():
    load = pd.Series({"A": 120.0, "B": 50.0})
    capacity = pd.Series({"A": 100.0, "B": 80.0})
    assert organisation.overload_hours(load, capacity) == 20
    assert (load - capacity).sum() == -10  # the net balance would hide the overload


def test_variances_follow_actual_minus_planned():
    frame = pd.DataFrame({"budget_eur": [1_000.0], "avancement_prevu": [0.5], "avancement_reel": [0.4],
                          "cout_reel_eur": [450.0]}, index=["WP"])
    gaps = suivi.variances(frame)
    assert gaps.loc["WP", "ecart_delai"] == pytest.approx(-100)  # late
    assert gaps.loc["WP", "ecart_cout"] == pytest.approx(50)    # overspent
    assert suivi.alerts(frame, 0.10) == [] and suivi.alerts(frame, 0.04) == ["WP"]


def test_forecast_end_divides_the_planned_duration_by_the_spi():
    start, end = pd.Timestamp("2026-03-02"), pd.Timestamp("2026-05-22")
    assert suivi.forecast_end(start, end, 1.0) == end
    assert suivi.forecast_end(start, end, 0.9) == start + pd.Timedelta(days=90)


def test_variant_weights_are_brought_back_to_one(tmp_path):
    pd.DataFrame({"critere": ["a", "b"], "libelle": ["a", "b"], "poids": [0.5, 0.5],
                  "poids_variante": [0.5, 1.5]}).to_csv(tmp_path / "grille_recrutement.csv", index=False)
    pd.DataFrame({"candidat_id": ["X", "Y"], "canal": ["", ""], "a": [4, 2], "b": [2, 4]}).to_csv(
        tmp_path / "candidats.csv", index=False)
    data = CaseData(tmp_path)
    assert recrutement.weighted_scores(data).to_dict() == {"X": 3.0, "Y": 3.0}
    assert recrutement.weighted_scores(data, "poids_variante").to_dict() == {"X": 2.5, "Y": 3.5}
    assert recrutement.weighted_scores(data, "poids_variante", renormalise=False)["Y"] == 7.0


# -- every check: the expected value scores full, each declared mistake its stated credit, a wrong value less
KINDS = {
    "charge_par_personne": lambda v: Table("t", v, unit="duration"),
    "taux_utilisation": lambda v: Table("t", v, unit="rate"),
    "personnes_surchargees": lambda v: Selection("s", v, key="personne_id"),
    "heures_a_deleguer": lambda v: Duration("q", v, unit="heures"),
    "taches_en_binome": lambda v: Selection("s", v, key="tache_id"),
    "valeur_acquise": lambda v: Table("t", v, unit="amount"),
    "ecarts": lambda v: Table("t", v, unit="amount", columns=["ecart_delai", "ecart_cout"]),
    "taches_en_alerte": lambda v: Selection("s", v, key="tache_id"),
    "spi": lambda v: Ratio("r", v),
    "date_fin_prevue": lambda v: DateValue("d", v),
    "cout_final_prevu": lambda v: Amount("a", v),
    "evolution_ambiance": lambda v: Table("t", v, unit="ratio"),
    "collectifs_vigilance": lambda v: Selection("s", v, key="collectif"),
    "ecarts_competences": lambda v: Table("t", v, unit="quantity", columns=list(v.columns)
                                          if isinstance(v, pd.DataFrame) else None),
    "besoins_formation": lambda v: Table("t", v, unit="quantity"),
    "taux_couverture": lambda v: Rate("r", v),
    "competences_non_couvertes": lambda v: Selection("s", v, key="competence"),
    "cout_plan": lambda v: Amount("a", v),
    "scores": lambda v: Table("t", v, unit="ratio"),
    "rangs": lambda v: Table("t", v, unit="quantity"),
    "scores_variante": lambda v: Table("t", v, unit="ratio"),
    "candidat_retenu_variante": lambda v: Choice("c", v),
}


def test_every_registered_answer_has_a_kind_here():
    assert sorted(KINDS) == reference.keys()


def _wrong(value):
    """A plainly wrong answer of the same form."""
    if isinstance(value, pd.DataFrame):
        return value + 7
    if isinstance(value, pd.Series):
        return value * 1.5 + 3
    if isinstance(value, list):
        return value[:-1] or ["inconnu"]
    if isinstance(value, pd.Timestamp):
        return value + pd.Timedelta(days=20)
    if isinstance(value, str):
        return "CAND-00"
    return value * 1.5 + 3


@pytest.mark.parametrize("key", sorted(KINDS))
def test_expected_scores_full_mistakes_their_credit_and_wrong_values_less(key):
    answer = BLOC.resolved(key)  # a carried question: worked on the right earlier results
    assert KINDS[key](answer.value).grade(answer, 2).score == 2
    for mistake in answer.mistakes:
        result = KINDS[key](mistake.value).grade(answer, 2)
        if isinstance(answer.value, (pd.Series, pd.DataFrame, list, set)):
            # a table or a list keeps the better of the mistake's credit and its share of right values
            assert 2 * mistake.credit - 1e-9 <= result.score < 2, mistake.cause
        else:
            assert result.score == pytest.approx(2 * mistake.credit), mistake.cause
        assert mistake.cause in result.message
    wrong = KINDS[key](_wrong(answer.value)).grade(answer, 2)
    assert wrong.score < 2 and wrong.status is not Status.CORRECT
    assert KINDS[key](...).grade(answer, 2).score == 0


@pytest.mark.parametrize("key", sorted(KINDS))
def test_declared_mistakes_differ_from_the_expected_value(key):
    """A mistake equal to the right answer would never be reached and misleads the reader."""
    answer = BLOC.resolved(key)
    for mistake in answer.mistakes:
        assert KINDS[key](mistake.value).grade(answer, 1).status is not Status.CORRECT, mistake.cause


# -- the case: what the questions and the slips rely on ---------------------------------------------
def test_case_has_the_situations_the_questions_need():
    data = CaseData(DATA)
    rate = organisation.load(data) / organisation.team_capacity(data)
    team = data("equipe_affaire.csv").set_index("personne_id")
    part_timers = team.index[team["quotite"] < 1]
    assert len(part_timers) >= 2 and (rate > 1).sum() >= 3
    # the part-timer slip changes the utilisation but not who is overloaded nor the hours to delegate
    slipped = organisation.load(data) / organisation.team_capacity(data, contract_hours=False)
    assert (rate[part_timers] < 1).all() and (slipped[part_timers] < rate[part_timers]).all()
    # the winner changes with the variant weights, and no two candidates tie
    scores = recrutement.weighted_scores(data)
    assert scores.idxmax() != recrutement.weighted_scores(data, "poids_variante").idxmax()
    assert scores.is_unique
    # some skills nobody masters, some gaps negative (so clipping matters)
    assert expected("competences_non_couvertes", DATA).value
    assert (gepp.competency_map(data)["ecart"] < 0).any()


def test_personal_data_is_professional_only():
    case = generate_case(3)
    forbidden = {"age", "sexe", "genre", "nationalite", "date_naissance", "handicap", "rqth", "sante", "photo"}
    for name, frame in case.items():
        assert not forbidden & {c.lower() for c in frame.columns}, name
    text = " ".join(case["equipe_affaire.csv"].astype(str).to_numpy().ravel()).lower()
    assert not any(word in text for word in ("rqth", "handicap", "maladie", "malvoyan", "braille"))
    assert set(case["candidats.csv"].columns) == {"candidat_id", "canal", *case["grille_recrutement.csv"]["critere"]}


def test_weights_of_the_grid_sum_to_one():
    grid = generate_case(3)["grille_recrutement.csv"]
    assert math.isclose(grid["poids"].sum(), 1.0) and not math.isclose(grid["poids_variante"].sum(), 1.0)
    assert np.isfinite(grid[["poids", "poids_variante"]].to_numpy()).all()


# -- carried questions: graded on the learner's own earlier results (error carried forward) ---------------------------
def capacity_by_hand(d):
    team = d("equipe_affaire.csv").set_index("personne_id")
    return (d.parameter("duree_hebdo_temps_plein") * team["quotite"] * d.parameter("semaines_phase")
            - team["absences_prevues_h"]) * team["part_affaire"]


def tracking(d):
    return d("suivi_avancement.csv").set_index("tache_id")


def planned(d):
    return tracking(d)["avancement_prevu"] * tracking(d)["budget_eur"]


def alerts_by_hand(d, ecarts):
    limit = d.parameter("seuil_alerte_ecart") * tracking(d)["budget_eur"]
    return [t for t in tracking(d).index
            if abs(ecarts.loc[t, "ecart_delai"]) > limit[t] or abs(ecarts.loc[t, "ecart_cout"]) > limit[t]]


def end_date_by_hand(d, spi):
    milestones = d("jalons_affaire.csv").set_index("jalon")["date"].map(pd.Timestamp)
    start, end = milestones["Réunion de lancement"], milestones["Fin prévue de la phase de déploiement"]
    return start + pd.Timedelta(days=(end - start).days / spi)


def watched_by_hand(d, evolution_ambiance):
    survey = d("barometre_equipe.csv")
    last = survey[survey["semaine"] == survey["semaine"].max()].set_index("collectif")["score_information"]
    return [g for g in evolution_ambiance.index
            if evolution_ambiance[g] <= d.parameter("seuil_baisse_ambiance") or last[g] < d.parameter("seuil_information")]


def plan_cost_by_hand(d, ecarts_competences):
    catalogue = d("catalogue_formations.csv").set_index("competence")
    per_trainee = (catalogue["cout_pedagogique_ht_eur"] + catalogue["frais_annexes_eur"]
                   - catalogue["prise_en_charge_opco_eur"] + d.parameter("cout_horaire_charge_eur") * catalogue["duree_h"])
    return sum(per_trainee[skill] for skill in ecarts_competences.columns
               for gap in ecarts_competences[skill] if gap > 0)


def marks(d):
    return d("candidats.csv").set_index("candidat_id").drop(columns="canal")


def part_timers_on_35_hours(d):
    """The capacity of a learner who counted part-timers on a full 35-hour week (a convention slip)."""
    return organisation.team_capacity(d, contract_hours=False)


def hours_per_person(d, load):
    return d("charge_affaire.csv").groupby("personne_id")["heures_prevues"].count().astype(float)


CARRIED = {
    # 01_lancement_organisation
    "taux_utilisation": Case(lambda v: Table("Taux", v, unit="rate"),
                             lambda d, charge_par_personne: charge_par_personne / capacity_by_hand(d),
                             {"charge_par_personne": hours_per_person}),
    "personnes_surchargees": Case(
        lambda v: Selection("Surchargées", v, key="personne_id"),
        lambda d, taux_utilisation: sorted(taux_utilisation[taux_utilisation > 1].index),
        {"taux_utilisation": lambda d, rate: rate * 1.3}),
    "heures_a_deleguer": Case(
        lambda v: Duration("Heures", v, unit="heures"),
        lambda d, charge_par_personne, taux_utilisation:
            float((charge_par_personne - charge_par_personne / taux_utilisation).clip(lower=0).sum()),
        {"charge_par_personne": lambda d, load: load + 20,
         "taux_utilisation": lambda d, rate: rate * 1.3}),
    # 02_suivi_avancement: earned value valued on the planned progress, carried to the variances and forecasts
    "ecarts": Case(
        lambda v: Table("Écarts", v, unit="amount", columns=["ecart_delai", "ecart_cout"]),
        lambda d, valeur_acquise: pd.DataFrame({"ecart_delai": valeur_acquise - planned(d),
                                                "ecart_cout": tracking(d)["cout_reel_eur"] - valeur_acquise}),
        {"valeur_acquise": lambda d, ev: planned(d)}),
    "taches_en_alerte": Case(lambda v: Selection("Alertes", v, key="tache_id"), alerts_by_hand,
                             # every gap 20 % of its budget further: the alerts change on any case
                             {"ecarts": lambda d, gaps: gaps.add(0.2 * d("suivi_avancement.csv")
                                                                 .set_index("tache_id")["budget_eur"], axis=0)}),
    "spi": Case(lambda v: Ratio("SPI", v), lambda d, valeur_acquise: valeur_acquise.sum() / planned(d).sum(),
                {"valeur_acquise": lambda d, ev: ev * 0.9}),
    "date_fin_prevue": Case(lambda v: DateValue("Fin", v), end_date_by_hand, {"spi": lambda d, index: index * 0.9}),
    "cout_final_prevu": Case(
        lambda v: Amount("Coût final", v),
        lambda d, valeur_acquise: tracking(d)["budget_eur"].sum()
        / (valeur_acquise.sum() / tracking(d)["cout_reel_eur"].sum()),
        {"valeur_acquise": lambda d, ev: ev * 0.9}),
    # 03_animation_conflits
    "collectifs_vigilance": Case(lambda v: Selection("Vigilance", v, key="collectif"), watched_by_hand,
                                 {"evolution_ambiance": lambda d, change: -change}),
    # 04_gepp_formation: gaps of the wrong sign, carried to the needs and to the plan
    "besoins_formation": Case(lambda v: Table("Besoins", v, unit="quantity"),
                              lambda d, ecarts_competences: ecarts_competences.clip(lower=0).sum(),
                              {"ecarts_competences": lambda d, gaps: -gaps}),
    "cout_plan": Case(lambda v: Amount("Coût du plan", v), plan_cost_by_hand,
                      {"ecarts_competences": lambda d, gaps: -gaps}),
    # 05_recrutement
    "rangs": Case(lambda v: Table("Rangs", v, unit="quantity"), lambda d, scores: scores.rank(ascending=False),
                  {"scores": lambda d, score: marks(d).mean(axis=1)}),
    "candidat_retenu_variante": Case(
        lambda v: Choice("En tête", v), lambda d, scores_variante: scores_variante.idxmax(),
        {"scores_variante": lambda d, score: recrutement.weighted_scores(d)}),
}


def test_the_part_timer_capacity_slip_costs_the_rate_only():
    """Capacity of part-timers on 35 h: the rate keeps half; who is overloaded and the hours to delegate follow
    the learner's rates (their capacity is read there: load ÷ rate), so the slip costs nothing more."""
    capacity = part_timers_on_35_hours(BLOC.data)
    load = BLOC.right("charge_par_personne")
    rate = load / capacity
    assert 1.0 <= BLOC.grade_check("taux_utilisation", rate).score < 2  # half, or the share of right rates
    overloaded = Carried(Selection("s", sorted(rate[rate > 1].index), key="personne_id"), taux_utilisation=rate)
    assert overloaded.grade(BLOC.expected("personnes_surchargees"), 1).score == 1
    over = float((load - capacity).clip(lower=0).sum())
    hours = Carried(Duration("h", over, unit="heures"), charge_par_personne=load, taux_utilisation=rate)
    assert hours.grade(BLOC.expected("heures_a_deleguer"), 2).score == 2
