"""Bloc 1 reference: the formulas reproduce the worked examples of the formula sheet; carried questions."""
import calendar
import datetime as dt
import math

import pandas as pd
import pytest

from mda_apprenant import (Amount, Carried, Choice, DateValue, Duration, ExcelTable, Quantity, Rate, Ratio, Selection,
                        Status, Table)
from mda_apprenant.check.expected import Expected
from mda_apprenant.check.workbook import WorkbookContent
from mda_checks.scoring.reference import load_reference
from tests.conftest import COURSE
from tests.reference.carried import Bloc, Case, resolved

ref = load_reference(COURSE.root, "bloc1")


def value_of(key, data):
    """The expected value of `key` on `data` (a carried one worked on the reference's own earlier results)."""
    return resolved(ref.reference, key, data).value


@pytest.fixture
def worked_example(tmp_path):
    """CA 500 000, CV 300 000, CF 120 000 and the seasonal months of the formula sheet."""
    budget = pd.DataFrame([
        ("Ventes de vélos (VAE)", "produit", "chiffre d'affaires", 500_000.0),
        ("Achats de vélos et composants consommés", "charge", "variable", 200_000.0),
        ("Transport sur ventes", "charge", "variable", 100_000.0),
        ("Charges fixes", "charge", "fixe", 120_000.0),
        ("Subvention", "produit", "autre produit", 0.0),
        ("Atelier", "investissement", "investissement", 10_000.0),
    ], columns=["poste", "categorie", "nature", "montant_eur"])
    budget.to_csv(tmp_path / "budget_2026.csv", index=False)
    months = [10, 10, 15, 20, 30, 50, 90, 100, 60, 40, 30, 45]
    pd.DataFrame({"mois": [f"2026-{m:02d}" for m in range(1, 13)], "ca_prevu_eur": [m * 1000.0 for m in months]}) \
        .to_csv(tmp_path / "ventes_mensuelles_2026.csv", index=False)
    return tmp_path


def test_break_even_worked_example(worked_example):
    assert value_of("taux_mcv", worked_example) == pytest.approx(0.40)
    assert value_of("seuil_rentabilite", worked_example) == pytest.approx(300_000)
    assert value_of("marge_securite", worked_example) == pytest.approx(200_000)
    assert value_of("indice_securite", worked_example) == pytest.approx(0.40)
    # 270 days would be 9 months for SR/CA = 0.75; here SR/CA = 0.6 -> 216 days
    assert value_of("delai_point_mort_jours", worked_example) == pytest.approx(216)


def test_seasonal_break_even_date_worked_example(worked_example):
    """Sheet: cumulated to end of July 225 k, (300 - 225) / 100 = 0.75 of August -> about 23 August."""
    expected = resolved(ref.reference, "date_point_mort", worked_example)
    assert expected.value == dt.date(2026, 8, 24)  # 0.75 × 31 days = 23.25 -> the 24th, within ±1 day of the sheet
    regular = expected.mistakes[0].value
    assert regular == dt.date(2026, 8, 6)  # the sheet's regular-sales figure: 7.2 months -> about 6 August


def test_expected_values_follow_the_data(worked_example):
    before = value_of("seuil_rentabilite", worked_example)
    budget = pd.read_csv(worked_example / "budget_2026.csv")
    budget.loc[budget["nature"] == "fixe", "montant_eur"] = 160_000.0
    budget.to_csv(worked_example / "budget_2026.csv", index=False)
    assert value_of("seuil_rentabilite", worked_example) == pytest.approx(400_000) != before


def test_every_expected_value_is_an_expected_object():
    data = COURSE.source / "bloc1" / "data"
    for key in ref.reference.keys():
        assert isinstance(ref.expected(key, data), Expected), key


def test_known_mistakes_differ_from_the_expected_value():
    """A mistake equal to the right answer would hide a wrong formula."""
    data = COURSE.source / "bloc1" / "data"
    for key in ref.reference.keys():
        expected = resolved(ref.reference, key, data)
        for mistake in expected.mistakes:
            if isinstance(expected.value, (float, int)):
                assert abs(float(mistake.value) - float(expected.value)) > 0.01, key
            elif isinstance(expected.value, pd.Series):
                assert not mistake.value.reindex(expected.value.index).equals(expected.value), key
            else:
                assert mistake.value != expected.value, key


# -- carried questions: graded on the learner's own earlier results (error carried forward) ---------------------------
BLOC = Bloc("bloc1")


def by_nature(d):
    return d("budget_2026.csv").groupby("nature")["montant_eur"].sum()


def net_fixed(d):
    n = by_nature(d)
    return n["fixe"] - n["autre produit"]


def revenue(d):
    return by_nature(d)["chiffre d'affaires"]


def gross_margin_rate(d):
    lines = d("budget_2026.csv")
    purchases = lines.loc[lines["poste"].str.startswith("Achats"), "montant_eur"].sum()
    return (revenue(d) - purchases) / revenue(d)


def profile_of(d, ids):
    chosen = d("clients_b2b.csv").set_index("client_id").loc[list(ids)]
    return pd.Series({c: chosen[c].value_counts().sort_index().idxmax()
                      for c in ["secteur", "effectif_tranche", "departement"]})


def other_sector(d, icp):
    """The ICP with another sector (a learner who misread the most frequent one)."""
    sectors = sorted(set(d("prospects.csv")["secteur"]) - {icp["secteur"]})
    return icp.where(icp.index != "secteur", sectors[0])


def break_even_date(d, seuil_rentabilite):
    """Seasonal sales: the month where the cumulated revenue reaches the break-even, interpolated, day rounded up."""
    months = d("ventes_mensuelles_2026.csv")["ca_prevu_eur"].tolist()
    before = 0.0
    for number, sales in enumerate(months, start=1):
        if before + sales >= seuil_rentabilite:
            days = calendar.monthrange(2026, number)[1]
            return dt.date(2026, number, max(1, math.ceil((seuil_rentabilite - before) / sales * days)))
        before += sales
    raise AssertionError("no break-even in the year")


def in_workbook(summary):
    return ExcelTable("Synthèse dans Excel", WorkbookContent("budget_2026.xlsx", True,
                                                           {"Synthèse": summary.rename("montant_eur").to_frame()}),
                      sheet="Synthèse")


def without_other_income(d, summary):
    """A summary whose result forgets the other income (MCV − fixed costs)."""
    return summary.where(summary.index != "Résultat prévisionnel",
                         summary["Marge sur coûts variables"] - summary["Charges fixes"])


def arbitrage_change(d):
    actions = d("actions_pac.csv").set_index("action_id")
    cost = actions["cout_ttc_eur"] / (1 + d.parameter("taux_tva"))
    margin = actions["ca_attendu_ht_eur"] * d.parameter("taux_mcv_actions")
    return (cost["A01"] - margin["A01"]) + 0.5 * (margin["A03"] - cost["A03"])


def active(d, year):
    invoices = d("factures_2024_2025.csv")
    return set(invoices.loc[invoices["date"].str[:4] == str(year), "client_id"])


def margin_per_active_2025(d):
    invoices = d("factures_2024_2025.csv")
    year = invoices[invoices["date"].str[:4] == "2025"]
    return (year["montant_ht_eur"].sum() - year["cout_achat_ht_eur"].sum()) / len(active(d, 2025))


CARRIED = {
    # 02_cible_objectifs
    "profil_icp": Case(
        lambda v: Table("Profil ICP", v), lambda d, clients_haute_valeur: profile_of(d, clients_haute_valeur),
        {"clients_haute_valeur": lambda d, ids: d("clients_b2b.csv").nsmallest(len(ids), "marge_brute_2025_eur")
         ["client_id"].tolist()}),
    "scores_prospects": Case(
        lambda v: Table("Scores des prospects", v, unit="quantity"),
        lambda d, profil_icp: (lambda p: 40 * (p["secteur"] == profil_icp["secteur"])
                               + 35 * (p["effectif_tranche"] == profil_icp["effectif_tranche"])
                               + 25 * (p["departement"] == profil_icp["departement"]))(
            d("prospects.csv").set_index("prospect_id")),
        {"profil_icp": other_sector}),
    "prospects_prioritaires": Case(
        lambda v: Selection("Prospects prioritaires", v),
        lambda d, scores_prospects: [p for p, s in scores_prospects.items() if s >= 60],
        {"scores_prospects": lambda d, s: s + 25}),
    "nouveaux_clients_necessaires": Case(
        lambda v: Quantity("Nouveaux clients", v, unit="clients"),
        lambda d, objectif_ca_b2b_2026: math.ceil(
            (objectif_ca_b2b_2026 - d("clients_b2b.csv")["ca_2025_eur"].sum())
            / d("clients_b2b.csv").query("anciennete_ans == 0")["ca_2025_eur"].mean()),
        {"objectif_ca_b2b_2026": lambda d, objective: objective * 1.05}),
    # 03_plan_action
    "action_a_couper": Case(
        lambda v: Choice("Action à supprimer", v), lambda d, roi_actions: roi_actions.idxmin(),
        {"roi_actions": lambda d, roi: roi.where(roi.index != roi.idxmax(), -5.0)}),
    # 04_budget_rentabilite: the gross break-even (subsidy not deducted) is the classic upstream slip
    "seuil_rentabilite": Case(
        lambda v: Amount("Seuil de rentabilité", v), lambda d, taux_mcv: net_fixed(d) / taux_mcv,
        {"taux_mcv": lambda d, rate: gross_margin_rate(d)}),
    "seuil_quantite": Case(
        lambda v: Quantity("Seuil en quantité", v, unit="vélos"),
        lambda d, seuil_rentabilite: math.ceil(seuil_rentabilite / d.parameter("prix_moyen_vae_ht_2026")),
        {"seuil_rentabilite": lambda d, sr: by_nature(d)["fixe"] / ((revenue(d) - by_nature(d)["variable"]) / revenue(d))}),
    "delai_point_mort_jours": Case(
        lambda v: Duration("Délai du point mort", v, unit="jours"),
        lambda d, seuil_rentabilite: seuil_rentabilite / revenue(d) * 360,
        {"seuil_rentabilite": lambda d, sr: by_nature(d)["fixe"] / ((revenue(d) - by_nature(d)["variable"]) / revenue(d))}),
    "date_point_mort": Case(
        lambda v: DateValue("Date du point mort", v), break_even_date,
        {"seuil_rentabilite": lambda d, sr: sr * 1.15}),
    "marge_securite": Case(
        lambda v: Amount("Marge de sécurité", v), lambda d, seuil_rentabilite: revenue(d) - seuil_rentabilite,
        {"seuil_rentabilite": lambda d, sr: by_nature(d)["fixe"] / ((revenue(d) - by_nature(d)["variable"]) / revenue(d))}),
    "indice_securite": Case(
        lambda v: Rate("Indice de sécurité", v), lambda d, marge_securite: marge_securite / revenue(d),
        {"marge_securite": lambda d, margin: margin - 85_700}),
    "resultat_apres_arbitrage": Case(
        lambda v: Amount("Résultat après arbitrage", v),
        lambda d, synthese_budget: synthese_budget["Résultat prévisionnel"] + arbitrage_change(d),
        {"synthese_budget": without_other_income}),
    "export_excel": Case(
        in_workbook, lambda d, synthese_budget: synthese_budget, {"synthese_budget": without_other_income}),
    # 05_kpi_direction
    "clv": Case(
        lambda v: Amount("Valeur vie client", v), lambda d, taux_attrition: margin_per_active_2025(d) / taux_attrition,
        {"taux_attrition": lambda d, churn: len(active(d, 2024) - active(d, 2025)) / len(active(d, 2025))}),
    "ltv_cac": Case(
        lambda v: Ratio("LTV / CAC", v), lambda d, clv, cac: clv / cac,
        {"clv": lambda d, value: value * 1.3, "cac": lambda d, value: value / 2}),
}


def test_a_break_even_on_gross_fixed_costs_costs_its_points_once():
    """The example of the barème: the subsidy left in the fixed costs loses half of the break-even, nothing after."""
    rate = BLOC.right("taux_mcv")
    gross = by_nature(BLOC.data)["fixe"] / rate
    assert BLOC.grade_check("seuil_rentabilite", gross).score == 1.0  # net_brut: half the points
    days, margin = gross / revenue(BLOC.data) * 360, revenue(BLOC.data) - gross
    units = math.ceil(by_nature(BLOC.data)["fixe"] / (BLOC.data.parameter("prix_moyen_vae_ht_2026") * rate))
    for key, value, given in [("seuil_quantite", units, {"seuil_rentabilite": gross}),
                              ("delai_point_mort_jours", days, {"seuil_rentabilite": gross}),
                              ("date_point_mort", break_even_date(BLOC.data, gross), {"seuil_rentabilite": gross}),
                              ("marge_securite", margin, {"seuil_rentabilite": gross}),
                              ("indice_securite", margin / revenue(BLOC.data), {"marge_securite": margin})]:
        answer = BLOC.specs[key].build(value, BLOC.resolved(key, **given), inputs=given)
        assert answer.grade(BLOC.expected(key), 2).score == 2, key


def test_carried_reads_labels_without_case_and_rejects_other_forms():
    summary = BLOC.right("synthese_budget").rename(lambda label: label.upper())
    derive = BLOC.expected("resultat_apres_arbitrage").value
    assert derive(synthese_budget=summary) == pytest.approx(BLOC.resolved("resultat_apres_arbitrage").value)
    result = Carried(Amount("Résultat", 1.0), synthese_budget="pas une série").grade(
        BLOC.expected("resultat_apres_arbitrage"), 2)
    assert result.score == 0 and result.status is Status.INVALID
    no_date = Carried(DateValue("Date", dt.date(2026, 12, 31)), seuil_rentabilite=1e12).grade(
        BLOC.expected("date_point_mort"), 2)
    assert no_date.score == 0 and "résultat précédent" in no_date.message


def test_gross_fixed_costs_in_the_units_only_are_the_same_convention_slip_as_in_value():
    """A learner whose break-even in value is right, but who left the subsidy in the fixed costs of the units."""
    rate = BLOC.right("taux_mcv")
    price = BLOC.data.parameter("prix_moyen_vae_ht_2026")
    in_units = math.ceil(by_nature(BLOC.data)["fixe"] / (price * rate))
    result = BLOC.grade_check("seuil_quantite", in_units)
    in_value = BLOC.grade_check("seuil_rentabilite", by_nature(BLOC.data)["fixe"] / rate)
    assert result.score / result.points == in_value.score / in_value.points == 0.5
    assert "charges fixes" in result.message
