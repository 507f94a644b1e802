"""Bloc 2 reference formulas against the worked examples of formules-reference.md, on tiny case files; carried questions."""
import math

import nbformat
import numpy as np
import pandas as pd
import pytest

from mda_apprenant import Amount, Carried, Choice, Quantity, Rate, Status, Table
from mda_checks.casedata import generate_case
from mda_reference.bloc2 import appel_offres, communication, portefeuille, prospection, reference
from mda_reference.registry import CaseData
from tests.conftest import REPO
from tests.reference.carried import Bloc, Case, resolved

#: learner variable -> grade_id of its check cell, where they differ
ALIASES = {"rfm": "rfm_brut", "scores": "scores_rfm", "segments": "segments_rfm"}


def worked(key, data):
    """The expected answer of `key` on `data` (a carried one worked on the reference's own earlier results)."""
    return resolved(reference, key, data, ALIASES)


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
    expected = worked("cac_canal", prospection_case)
    assert expected.value["B"] == 300
    assert expected.mistakes[0].value["B"] == 200  # marketing only: a convention slip, half the points
    assert prospection.ltv_to_cac(prospection_case)["B"] == pytest.approx(1_000 / 300)


def test_leads_needed_round_up_and_rounding_down_keeps_half(prospection_case):
    expected = worked("leads_necessaires", prospection_case)
    needed = 7 / (56 / 350)
    assert expected.value == math.ceil(needed)
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
    expected = worked("prix_vente_ht", tender_case)
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


def _master_solution(notebook: str, cell_id: str) -> str:
    master = nbformat.read(REPO / "source" / "bloc2" / f"{notebook}.ipynb", as_version=4)
    source = next(c.source for c in master.cells if c.get("id") == cell_id)
    return source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]


def _tied_orders(seed: int) -> pd.DataFrame:
    """Orders whose per-client totals tie often (a few distinct amounts), rows in random order."""
    rng = np.random.default_rng(seed)
    clients = [f"E{k:03d}" for k in rng.permutation(200)]
    return pd.DataFrame({"client_id": clients * 2, "montant_ht_eur": rng.integers(1, 6, 400) * 100.0})


def _abc_of(solution: str, orders: pd.DataFrame) -> pd.Series:
    scope = {"pd": pd, "commandes": orders}
    exec(solution, scope)  # noqa: S102 (the master's own solution, trusted)
    return scope["classes_abc"]


@pytest.mark.parametrize("seed", range(5))
def test_the_masters_abc_keeps_tied_clients_in_client_id_order(seed):
    """Ex aequo at a class boundary get the class the stated convention gives (client_id order), whatever
    the machine: an ordinary sort (quicksort, SIMD on recent processors) may order them otherwise."""
    orders = _tied_orders(seed)
    expected = portefeuille.abc_classes(orders.groupby("client_id")["montant_ht_eur"].sum())
    answer = _abc_of(_master_solution("03_portefeuille_clients", "reponse_abc"), orders)
    assert answer.sort_index().to_dict() == expected.sort_index().to_dict()


def test_the_tie_check_fails_on_a_sort_that_breaks_ties_another_way():
    """The check above can fail: client_id order reversed among ties changes classes at the boundaries."""
    orders = _tied_orders(0)
    master = _master_solution("03_portefeuille_clients", "reponse_abc")
    solution = master.replace(".sum().sort_values(", ".sum().sort_index(ascending=False).sort_values(")
    assert solution != master
    expected = portefeuille.abc_classes(orders.groupby("client_id")["montant_ht_eur"].sum())
    assert _abc_of(solution, orders).sort_index().to_dict() != expected.sort_index().to_dict()


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
    increase = worked("hausse_volume", data).value
    assert increase == pytest.approx(0.25)
    assert (1 + increase) * (100 * 0.95 - 75) == pytest.approx(100 - 75)
    assert worked("remise_maximale", data).value == pytest.approx(1 - 75 / 80)
    assert Rate("Volume", 0.05).grade(worked("hausse_volume", data), 2).score == 0


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
    from tests.course.written_numbers import forms_standing_alone_in

    data = COURSE.source / "bloc2" / "data"
    forms = set()
    for key in set(reference.keys()) - RAW_PER_CLIENT:
        for number in _numbers(worked(key, data).value):
            forms |= _telling_forms(number)
    # the data files hold thousands of amounts to the cent: four digits (« 23.72 ») meet one of them by chance
    forms = {f for f in forms if len(re.sub(r"[^0-9]", "", f).lstrip("0")) >= 5}
    assert len(forms) > 50
    texts = {p.name: p.read_text(encoding="utf-8") for p in (COURSE.release / "bloc2" / "data").glob("*.csv")}
    # each form standing alone: « 23.72 » is not a leak inside « 123.72 »
    assert texts and not [(name, f) for name, text in texts.items() for f in sorted(forms_standing_alone_in(forms, text))]


def test_value_at_stake_accepts_a_one_column_table_and_rejects_other_shapes(tmp_path):
    orders = pd.DataFrame({"client_id": ["E1"], "date": ["2025-02-01"], "montant_ht_eur": [100.0]})
    derive = portefeuille.value_at_stake(case(tmp_path, commandes_2024_2025=orders)).value
    assert derive(segments=pd.DataFrame({"segment": ["Champions"]}, index=["E1"])).to_dict() == {"Champions": 100.0}
    with pytest.raises(TypeError):
        derive(segments=["Champions"])


# -- carried questions: graded on the learner's own earlier results (error carried forward) ---------------------------
BLOC = Bloc("bloc2")


def parameter(d, name):
    return d.parameter(name)


def channel_spend(d):
    return d("depenses_prospection_2025.csv").groupby("canal")["montant_ht_eur"].sum()


def stage_rates_by_hand(d, entonnoir):
    e = entonnoir
    return pd.DataFrame({"lead_mql": e["mql"] / e["leads"], "mql_sql": e["sql"] / e["mql"],
                         "sql_opportunite": e["opportunites"] / e["sql"],
                         "opportunite_client": e["clients"] / e["opportunites"], "global": e["clients"] / e["leads"]})


def ltv_by_channel(d):
    target = d("leads_2025.csv").groupby("canal")["cible"].first()
    return target.map({k: parameter(d, f"marge_annuelle_client_{k.lower()}") / parameter(d, f"attrition_prevue_{k.lower()}")
                       for k in ("B2B", "B2C")})


def bids(d):
    return d("ao_offres_concurrents.csv").set_index("candidat")


def price_scores_by_hand(d, prix_vente_ht):
    prices = bids(d)["montant_ttc_eur"] / (1 + parameter(d, "taux_tva"))
    prices["Cyclonord"] = prix_vente_ht
    return 10 * prices.min() / prices


def totals_by_hand(d, notes_prix):
    b = bids(d)
    return (parameter(d, "ao_poids_prix") * notes_prix + parameter(d, "ao_poids_technique") * b["note_technique"]
            + parameter(d, "ao_poids_environnement") * b["note_environnement"])


def price_to_win_by_hand(d, notes_totales, notes_prix, prix_vente_ht):
    """The notebook's formula, on the competitors' prices the learner scored: their price scores are
    10 × Pmin / P, so a competitor's price is Cyclonord's × Cyclonord's score / its score."""
    b = bids(d)
    prices = prix_vente_ht * notes_prix["Cyclonord"] / notes_prix
    pmin = prices.drop("Cyclonord").min()
    rest = (parameter(d, "ao_poids_technique") * b.loc["Cyclonord", "note_technique"]
            + parameter(d, "ao_poids_environnement") * b.loc["Cyclonord", "note_environnement"])
    price = 0.5 * 10 * pmin / (notes_totales.drop("Cyclonord").max() - rest)
    assert price > pmin  # the statement's case: the competitors' scores do not move
    return price


def competitors_ttc(d, scores):
    """Price scores that compare the competitors' TTC amounts with Cyclonord's HT price (the learner's price HT)."""
    prices = bids(d)["montant_ttc_eur"].copy()
    prices["Cyclonord"] = BLOC.right("prix_vente_ht")
    return 10 * prices.min() / prices


def rank_away(d, totals):
    """Totals that move Cyclonord to another rank."""
    moved = totals.copy()
    first = totals.rank(ascending=False, method="min")["Cyclonord"] == 1
    moved["Cyclonord"] = totals.min() - 1 if first else totals.max() + 1
    return moved


def quintiles(values, labels):
    return pd.qcut(values.rank(method="first"), 5, labels=labels).astype(int)


def rfm_scores_by_hand(d, rfm):
    rfm = rfm.sort_index()
    return pd.DataFrame({"R": quintiles(rfm["recence"], [5, 4, 3, 2, 1]),
                         "F": quintiles(rfm["frequence"], [1, 2, 3, 4, 5]),
                         "M": quintiles(rfm["montant"], [1, 2, 3, 4, 5])})


def revenue_2025_only(d, rfm):
    """An R, F, M table whose amount covers 2025 only (a wrong perimeter)."""
    orders = d("commandes_2024_2025.csv")
    revenue = orders[orders["date"].str[:4] == "2025"].groupby("client_id")["montant_ht_eur"].sum()
    return rfm.assign(montant=revenue.reindex(rfm.index).fillna(0.0))


def segment(r, f, m):
    if r >= 4 and f >= 4 and m >= 4:
        return "Champions"
    if r >= 4 and f >= 3:
        return "Fidèles"
    if r >= 4:
        return "Nouveaux"
    if r <= 2 and f >= 4:
        return "À risque"
    if r <= 2 and f <= 2:
        return "Perdus"
    return "À surveiller"


def value_at_stake_by_hand(d, segments):
    orders = d("commandes_2024_2025.csv")
    revenue = orders[orders["date"].str[:4] == "2025"].groupby("client_id")["montant_ht_eur"].sum()
    return revenue.reindex(segments.index).fillna(0.0).groupby(segments).sum()


def offer(d, column="prix_catalogue_ht_eur"):
    quote = d("demande_lumen.csv").merge(d("catalogue_2026.csv"), on="reference")
    return (quote["quantite"] * quote[column]).sum()


def offer_cost(d):
    return offer(d, "cout_revient_ht_eur")


def budget_ht(d):
    return parameter(d, "budget_client_ttc") / (1 + parameter(d, "taux_tva"))


def kept(d):
    moves = d("negociation_lumen.csv")
    return moves[moves["retenue"] == "oui"]


def every_request(d, effects):
    """QCD effects that count the refused requests too (a wrong perimeter)."""
    moves = d("negociation_lumen.csv")
    return (moves["effet_prix_ht_eur"] - moves["effet_cout_ht_eur"]).groupby(moves["axe_qcd"]).sum()


def concessions_behind(d, effects):
    """The concessions a learner's QCD effects come from: every request when they match every_request, else those kept."""
    everything = every_request(d, effects)
    moves = d("negociation_lumen.csv")
    if effects.reindex(everything.index).sub(everything).abs().max() < 0.01:
        return moves
    return kept(d)


def budget_left_ttc(d, gap):
    """The gap to the budget stated TTC (not converted to HT)."""
    return offer(d) - parameter(d, "budget_client_ttc")


def rate_on_cost(d, rate):
    """A margin rate computed on the cost (taux de marge) instead of the price."""
    return (offer(d) - offer_cost(d)) / offer_cost(d)


def with_vat(d, amount):
    return amount * (1 + parameter(d, "taux_tva"))


MORE_LEADS = {"entonnoir": lambda d, e: e.assign(leads=e["leads"] + 40, mql=e["mql"] + 10)}
MORE_CLIENTS = {"entonnoir": lambda d, e: e.assign(clients=e["clients"] + 3)}
OFFER_TTC = {"montant_offre_ht": with_vat}

CARRIED = {
    # 01_prospection: a funnel counted wrong, a rate or a CAC wrong, carried to what follows
    "taux_etapes": Case(lambda v: Table("Taux", v, unit="rate", columns=list(v.columns)), stage_rates_by_hand,
                        MORE_LEADS),
    "taux_global": Case(lambda v: Rate("Taux global", v),
                        lambda d, entonnoir: entonnoir["clients"].sum() / entonnoir["leads"].sum(), MORE_LEADS),
    "leads_necessaires": Case(
        lambda v: Quantity("Leads", v, unit="leads"),
        lambda d, taux_global: math.ceil(parameter(d, "objectif_nouveaux_clients_2026") / taux_global),
        {"taux_global": lambda d, rate: rate * 1.25}),
    "cout_par_lead": Case(lambda v: Table("Coût par lead", v, unit="amount"),
                          lambda d, entonnoir: channel_spend(d) / entonnoir["leads"], MORE_LEADS),
    "cac_canal": Case(lambda v: Table("CAC", v, unit="amount"),
                      lambda d, entonnoir: channel_spend(d) / entonnoir["clients"], MORE_CLIENTS),
    "cac_global": Case(lambda v: Amount("CAC global", v),
                       lambda d, entonnoir: channel_spend(d).sum() / entonnoir["clients"].sum(), MORE_CLIENTS),
    "ltv_cac": Case(lambda v: Table("LTV/CAC", v, unit="ratio"), lambda d, cac_canal: ltv_by_channel(d) / cac_canal,
                    {"cac_canal": lambda d, cac: cac * 1.3}),
    "canal_a_reduire": Case(lambda v: Choice("Canal à réduire", v), lambda d, ltv_cac: ltv_cac.idxmin(),
                            {"ltv_cac": lambda d, r: r.where(r.index != r.idxmin(), r.max() + 1)}),
    "canal_a_renforcer": Case(lambda v: Choice("Canal à renforcer", v), lambda d, ltv_cac: ltv_cac.idxmax(),
                              {"ltv_cac": lambda d, r: r.where(r.index != r.idxmax(), r.min() - 1)}),
    # 02_appel_offres: the options left in the déboursé sec cascade down to the rank
    "prix_vente_ht": Case(
        lambda v: Amount("PVHT", v),
        lambda d, debourse_sec: debourse_sec * (1 + parameter(d, "ao_taux_frais_chantier"))
        / (1 - parameter(d, "ao_taux_frais_generaux") - parameter(d, "ao_taux_benefice")),
        {"debourse_sec": lambda d, ds: (d("ao_chiffrage.csv")["quantite"]
                                        * d("ao_chiffrage.csv")["cout_unitaire_ht_eur"]).sum()}),
    "montant_ttc": Case(lambda v: Amount("TTC", v), lambda d, prix_vente_ht: with_vat(d, prix_vente_ht),
                        {"prix_vente_ht": lambda d, price: price * 1.05}),
    "notes_prix": Case(lambda v: Table("Notes prix", v, unit="ratio"), price_scores_by_hand,
                       {"prix_vente_ht": lambda d, price: price * 0.8}),
    "notes_totales": Case(lambda v: Table("Notes totales", v, unit="ratio"), totals_by_hand,
                          {"notes_prix": lambda d, scores: scores * 0.9}),
    "rang_cyclonord": Case(lambda v: Quantity("Rang", v, unit="rang"),
                           lambda d, notes_totales: int(notes_totales.rank(ascending=False, method="min")["Cyclonord"]),
                           {"notes_totales": rank_away}),
    "prix_gagnant_ht": Case(lambda v: Amount("Prix gagnant", v), price_to_win_by_hand,
                            {"notes_totales": lambda d, totals: totals.where(totals.index == "Cyclonord", totals - 0.3),
                             "notes_prix": competitors_ttc,
                             "prix_vente_ht": lambda d, price: price * 0.8}),
    # 03_portefeuille_clients
    "scores_rfm": Case(lambda v: Table("Scores RFM", v, unit="quantity", columns=["R", "F", "M"]), rfm_scores_by_hand,
                       {"rfm": revenue_2025_only}),
    "segments_rfm": Case(lambda v: Table("Segments", v),
                         lambda d, scores: scores.apply(lambda s: segment(s["R"], s["F"], s["M"]), axis=1),
                         {"scores": lambda d, scores: scores.assign(R=6 - scores["R"])}),
    "valeur_en_jeu": Case(lambda v: Table("Valeur en jeu", v, unit="amount"), value_at_stake_by_hand,
                          {"segments": lambda d, s: s.replace("Champions", "Fidèles")}),
    # 05_offre_negociation: an offer amount left TTC, carried to every figure built on it
    "ecart_budget": Case(lambda v: Amount("Écart", v), lambda d, montant_offre_ht: montant_offre_ht - budget_ht(d),
                         OFFER_TTC),
    "remise_necessaire": Case(lambda v: Rate("Remise", v),
                              lambda d, montant_offre_ht, ecart_budget: ecart_budget / montant_offre_ht,
                              {**OFFER_TTC, "ecart_budget": budget_left_ttc}),
    "taux_marque_offre": Case(lambda v: Rate("Taux de marque", v),
                              lambda d, montant_offre_ht: (montant_offre_ht - offer_cost(d)) / montant_offre_ht,
                              OFFER_TTC),
    "marge_apres_remise": Case(
        lambda v: Amount("Marge", v),
        lambda d, montant_offre_ht, taux_marque_offre:
            montant_offre_ht * (1 - parameter(d, "remise_etudiee")) - montant_offre_ht * (1 - taux_marque_offre),
        {**OFFER_TTC, "taux_marque_offre": rate_on_cost}),
    "hausse_volume": Case(
        lambda v: Rate("Hausse", v),
        lambda d, taux_marque_offre: parameter(d, "remise_etudiee") / (taux_marque_offre - parameter(d, "remise_etudiee")),
        {"taux_marque_offre": rate_on_cost}),
    "remise_maximale": Case(
        lambda v: Rate("Remise maximale", v),
        lambda d, montant_offre_ht, taux_marque_offre:
            1 - montant_offre_ht * (1 - taux_marque_offre) / (montant_offre_ht * (1 - parameter(d, "taux_marque_plancher"))),
        {**OFFER_TTC, "taux_marque_offre": rate_on_cost}),
    "marge_finale": Case(
        lambda v: Amount("Marge finale", v),
        lambda d, montant_offre_ht, taux_marque_offre, effets_qcd:
            montant_offre_ht * taux_marque_offre + effets_qcd.sum(),
        {**OFFER_TTC, "taux_marque_offre": rate_on_cost, "effets_qcd": every_request}),
    "taux_marque_final": Case(
        lambda v: Rate("Taux de marque final", v),
        lambda d, marge_finale, montant_offre_ht, effets_qcd:
            marge_finale / (montant_offre_ht + concessions_behind(d, effets_qcd)["effet_prix_ht_eur"].sum()),
        {"marge_finale": lambda d, margin: margin + 1_000, **OFFER_TTC, "effets_qcd": every_request}),
}


def test_a_wrong_dry_cost_costs_its_point_once_down_to_the_rank():
    """The cascade of the brief: déboursé sec with the options → price, TTC amount, price scores, totals, rank."""
    ds = CARRIED["prix_vente_ht"].wrong["debourse_sec"](BLOC.data, BLOC.right("debourse_sec"))
    assert BLOC.grade_check("debourse_sec", ds).score == 0
    price = CARRIED["prix_vente_ht"].by_hand(BLOC.data, debourse_sec=ds)
    scores = price_scores_by_hand(BLOC.data, price)
    totals = totals_by_hand(BLOC.data, scores)
    rank = int(totals.rank(ascending=False, method="min")["Cyclonord"])
    for key, value, given in [("prix_vente_ht", price, {"debourse_sec": ds}),
                              ("montant_ttc", with_vat(BLOC.data, price), {"prix_vente_ht": price}),
                              ("notes_prix", scores, {"prix_vente_ht": price}),
                              ("notes_totales", totals, {"notes_prix": scores}),
                              ("rang_cyclonord", rank, {"notes_totales": totals})]:
        answer = BLOC.specs[key].build(value, BLOC.resolved(key, **given), inputs=given)
        assert answer.grade(BLOC.expected(key), 2).score == 2, key


def test_a_funnel_without_its_columns_cannot_carry_and_says_so():
    result = Carried(Rate("Taux global", 0.02), entonnoir=pd.DataFrame({"a": [1]})).grade(
        BLOC.expected("taux_global"), 1)
    assert result.score == 0 and result.status is Status.INVALID and "résultat précédent" in result.message
