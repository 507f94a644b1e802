"""04_budget_rentabilite: 2026 budget, contribution margin, break-even (value, units, days, date), arbitrage."""
import calendar
import datetime as dt
import math

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc1.answers import reference
from mda_reference.bloc1.plan_action import actions
from mda_reference.carried import entry, number, numbers_of
from mda_reference.registry import CaseData

LINES = ["Chiffre d'affaires", "Charges variables", "Marge sur coûts variables", "Charges fixes",
         "Autres produits", "Résultat prévisionnel"]
YEAR = 2026
#: the committee's arbitrage: drop the trade fair, extend the in-company trial days by half
CUT, EXTENDED, EXTENSION = "A01", "A03", 0.5


def totals(data: CaseData) -> dict[str, float]:
    lines = data("budget_2026.csv")
    by_nature = lines.groupby("nature")["montant_eur"].sum()
    revenue, variable = by_nature["chiffre d'affaires"], by_nature["variable"]
    purchases = lines.loc[lines["poste"].str.startswith("Achats"), "montant_eur"].sum()
    return {
        "ca": revenue, "cv": variable, "mcv": revenue - variable, "cf": by_nature["fixe"],
        "autres": by_nature["autre produit"], "investissement": by_nature["investissement"],
        "taux_marge_brute": (revenue - purchases) / revenue,
    }


def summary(data: CaseData) -> pd.Series:
    t = totals(data)
    return pd.Series(dict(zip(LINES, [t["ca"], t["cv"], t["mcv"], t["cf"], t["autres"], t["mcv"] - t["cf"] + t["autres"]])))


def mcv_rate(data: CaseData) -> float:
    t = totals(data)
    return t["mcv"] / t["ca"]


def break_even(data: CaseData, net_fixed: bool = True, rate: float | None = None) -> float:
    t = totals(data)
    fixed = t["cf"] - t["autres"] if net_fixed else t["cf"]
    return fixed / (rate if rate is not None else mcv_rate(data))


@reference.answer("synthese_budget")
def budget_summary(data: CaseData) -> Expected:
    t, right = totals(data), summary(data)
    without_other_income = right.copy()
    without_other_income["Résultat prévisionnel"] = t["mcv"] - t["cf"]
    with_investments = right.copy()
    with_investments["Charges fixes"] = t["cf"] + t["investissement"]
    with_investments["Résultat prévisionnel"] -= t["investissement"]
    return Expected(right, mistakes=[
        Mistake(without_other_income, "le résultat prévisionnel oublie les autres produits : MCV − charges fixes "
                                      "+ autres produits.", "perimetre"),
        Mistake(with_investments, "les investissements sont comptés dans les charges fixes ; ils ne passent pas "
                                  "dans le résultat.", "perimetre"),
    ], hint="Produits et charges se lisent dans la colonne nature du budget.")


@reference.answer("budget_investissement")
def investment_budget(data: CaseData) -> Expected:
    t = totals(data)
    return Expected(t["investissement"], mistakes=[Mistake(
        t["investissement"] + t["cf"], "les charges fixes sont ajoutées aux investissements ; seuls les postes de "
                                       "nature « investissement » comptent.", "perimetre")])


@reference.answer("taux_mcv")
def contribution_rate(data: CaseData) -> Expected:
    t = totals(data)
    return Expected(mcv_rate(data), mistakes=[
        Mistake(t["taux_marge_brute"], "c'est le taux de marge brute (seuls les achats sont déduits) : le taux de MCV "
                                       "déduit toutes les charges variables.", "methode"),
        Mistake(t["mcv"] / t["cv"], "la marge sur coûts variables est rapportée aux charges variables ; le taux de "
                                    "MCV la rapporte au chiffre d'affaires.", "methode"),
    ])


@reference.answer("seuil_rentabilite")
def break_even_value(data: CaseData) -> Expected:
    """Carried: the fixed costs over the learner's own contribution margin rate."""
    t = totals(data)

    def on_net_fixed_costs(taux_mcv):
        return (t["cf"] - t["autres"]) / number(taux_mcv)

    def on_gross_fixed_costs(taux_mcv):
        return t["cf"] / number(taux_mcv)

    return Expected(on_net_fixed_costs, mistakes=[
        Mistake(on_gross_fixed_costs,
                "la subvention et les autres produits n'ont pas été déduits des charges fixes.", "net_brut"),
        Mistake(break_even(data, rate=t["taux_marge_brute"]),
                "le taux de marge brute est utilisé à la place du taux de MCV.", "methode"),
    ])


@reference.answer("seuil_quantite")
def break_even_units(data: CaseData) -> Expected:
    """Carried: the learner's own break-even in value over the average price (net fixed costs over the unit
    margin: the same fixed costs and rate as the break-even in value, so an error there is charged there)."""
    t = totals(data)
    price = data.parameter("prix_moyen_vae_ht_2026")

    def units(seuil_rentabilite):
        return number(seuil_rentabilite) / price

    def rounded_up(seuil_rentabilite):
        return math.ceil(units(seuil_rentabilite))

    def rounded_down(seuil_rentabilite):
        return math.floor(units(seuil_rentabilite))

    def rounded_to_nearest(seuil_rentabilite):
        return round(units(seuil_rentabilite))

    def on_gross_fixed_costs(seuil_rentabilite):
        return math.ceil(units(seuil_rentabilite) * t["cf"] / (t["cf"] - t["autres"]))

    return Expected(rounded_up, mistakes=[
        Mistake(units, "le nombre de vélos n'est pas arrondi à l'unité supérieure.", "arrondi"),
        Mistake(rounded_down, "arrondi à l'unité inférieure (ou la plus proche) : le seuil ne serait pas atteint "
                              "(arrondir au-dessus).", "arrondi"),
        Mistake(rounded_to_nearest, "arrondi à l'unité la plus proche : un seuil en vélos s'arrondit à l'unité "
                                    "supérieure.", "arrondi"),
        # the same convention as the break-even in value: the same credit
        Mistake(on_gross_fixed_costs, "la subvention et les autres produits n'ont pas été déduits des charges "
                                      "fixes (charges fixes nettes).", "net_brut")])


def delay_days(data: CaseData, year_days: float = 360, target: float | None = None) -> float:
    """Days to break even with regular sales, for the reference break-even or a learner's ``target``."""
    return (break_even(data) if target is None else target) / totals(data)["ca"] * year_days


@reference.answer("delai_point_mort_jours")
def break_even_days(data: CaseData) -> Expected:
    """Carried: the learner's own break-even over the revenue."""
    def commercial_year(seuil_rentabilite):
        return delay_days(data, target=number(seuil_rentabilite))

    def calendar_year(seuil_rentabilite):
        return delay_days(data, 365, target=number(seuil_rentabilite))

    return Expected(commercial_year, mistakes=[
        Mistake(calendar_year, "vous avez compté 365 jours au lieu de 360 (année commerciale).", "decompte")])


def seasonal_date(data: CaseData, target: float | None = None) -> dt.date:
    """The day the cumulated monthly revenue reaches the break-even (the reference's or a learner's ``target``)."""
    months = data("ventes_mensuelles_2026.csv")
    cumulated = months["ca_prevu_eur"].cumsum()
    target = break_even(data) if target is None else target
    if not 0 < target <= cumulated.iloc[-1]:
        raise ValueError("no break-even date in the year for this break-even")
    index = int((cumulated >= target).idxmax())
    before = cumulated.iloc[index - 1] if index else 0.0
    fraction = (target - before) / months["ca_prevu_eur"].iloc[index]
    month = index + 1
    day = max(1, math.ceil(fraction * calendar.monthrange(YEAR, month)[1]))
    return dt.date(YEAR, month, day)


def regular_date(data: CaseData, target: float | None = None) -> dt.date:
    """The date of the regular-sales delay (months of 30 days), kept within the year."""
    days = delay_days(data, target=target)
    month = min(max(math.ceil(days / 30), 1), 12)
    day = min(max(math.ceil(days - 30 * (month - 1)), 1), calendar.monthrange(YEAR, month)[1])
    return dt.date(YEAR, month, day)


@reference.answer("date_point_mort")
def break_even_date(data: CaseData) -> Expected:
    """Carried: the day the cumulated revenue reaches the learner's own break-even."""
    def seasonal(seuil_rentabilite):
        return seasonal_date(data, number(seuil_rentabilite))

    def regular(seuil_rentabilite):
        return regular_date(data, number(seuil_rentabilite))

    return Expected(seasonal, mistakes=[
        Mistake(regular, "les ventes sont supposées régulières alors qu'elles sont saisonnières : "
                         "cumulez le CA mois par mois.", "methode")])


@reference.answer("marge_securite")
def safety_margin(data: CaseData) -> Expected:
    """Carried: the revenue less the learner's own break-even."""
    revenue = totals(data)["ca"]

    other_income = totals(data)["autres"]

    def margin(seuil_rentabilite):
        return revenue - number(seuil_rentabilite)

    def index(seuil_rentabilite):
        return margin(seuil_rentabilite) / revenue

    def with_other_income(seuil_rentabilite):
        return revenue + other_income - number(seuil_rentabilite)

    return Expected(margin, mistakes=[
        Mistake(index, "c'est l'indice de sécurité (un taux) ; la marge de sécurité est en euros : CA − SR.", "methode"),
        Mistake(with_other_income, "les autres produits sont ajoutés au chiffre d'affaires ; la marge de sécurité "
                                   "est CA − SR.", "perimetre")])


@reference.answer("indice_securite")
def safety_index(data: CaseData) -> Expected:
    """Carried: the learner's own safety margin over the revenue."""
    revenue = totals(data)["ca"]

    def index(marge_securite):
        return number(marge_securite) / revenue

    def on_the_break_even(marge_securite):  # the break-even behind the learner's margin: revenue − margin
        return number(marge_securite) / (revenue - number(marge_securite))

    return Expected(index, mistakes=[Mistake(
        on_the_break_even, "la marge de sécurité est rapportée au seuil de rentabilité ; l'indice la rapporte au "
                           "chiffre d'affaires.", "methode")])


def arbitrage(data: CaseData, cost: str = "cout_ht_eur") -> float:
    frame = actions(data).set_index("action_id")
    rate = data.parameter("taux_mcv_actions")
    change = frame.at[CUT, cost] - frame.at[CUT, "ca_attendu_ht_eur"] * rate
    change += EXTENSION * (frame.at[EXTENDED, "ca_attendu_ht_eur"] * rate - frame.at[EXTENDED, cost])
    return summary(data)["Résultat prévisionnel"] + change


@reference.answer("resultat_apres_arbitrage")
def result_after_arbitrage(data: CaseData) -> Expected:
    """Carried: the « Résultat prévisionnel » of the learner's own budget summary, corrected by the arbitrage."""
    planned = summary(data)["Résultat prévisionnel"]
    change_ht, change_ttc = arbitrage(data) - planned, arbitrage(data, cost="cout_ttc_eur") - planned

    def after(synthese_budget):
        return number(entry(synthese_budget, "Résultat prévisionnel")) + change_ht

    def after_ttc(synthese_budget):
        return number(entry(synthese_budget, "Résultat prévisionnel")) + change_ttc

    return Expected(after, mistakes=[
        Mistake(after_ttc, "les coûts des actions sont restés TTC : raisonnez HT.", "ht_ttc")])


@reference.answer("export_excel")
def excel_export(data: CaseData) -> Expected:
    """Carried: the workbook holds the learner's own budget summary."""
    def workbook(synthese_budget):
        return numbers_of(synthese_budget, like=LINES)

    return Expected(workbook, hint="La feuille reprend la Series synthese_budget : libellés en colonne A, montants "
                                   "en colonne B.")
