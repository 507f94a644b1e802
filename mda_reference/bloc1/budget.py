"""04_budget_rentabilite: 2026 budget, contribution margin, break-even (value, units, days, date), arbitrage."""
import calendar
import datetime as dt
import math

import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_reference.bloc1.answers import reference
from mda_reference.bloc1.plan_action import actions
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
    return Expected(summary(data), hint="Produits et charges se lisent dans la colonne nature du budget.")


@reference.answer("budget_investissement")
def investment_budget(data: CaseData) -> Expected:
    return Expected(totals(data)["investissement"])


@reference.answer("taux_mcv")
def contribution_rate(data: CaseData) -> Expected:
    return Expected(mcv_rate(data), mistakes=[Mistake(
        totals(data)["taux_marge_brute"],
        "c'est le taux de marge brute (seuls les achats sont déduits) : le taux de MCV déduit toutes les charges variables.", "methode")])


@reference.answer("seuil_rentabilite")
def break_even_value(data: CaseData) -> Expected:
    return Expected(break_even(data), mistakes=[
        Mistake(break_even(data, net_fixed=False),
                "la subvention et les autres produits n'ont pas été déduits des charges fixes.", "net_brut"),
        Mistake(break_even(data, rate=totals(data)["taux_marge_brute"]),
                "le taux de marge brute est utilisé à la place du taux de MCV.", "methode"),
    ])


@reference.answer("seuil_quantite")
def break_even_units(data: CaseData) -> Expected:
    units = break_even(data) / data.parameter("prix_moyen_vae_ht_2026")
    return Expected(math.ceil(units), mistakes=[
        Mistake(units, "le nombre de vélos n'est pas arrondi à l'unité supérieure.", "arrondi")])


def delay_days(data: CaseData, year_days: float = 360) -> float:
    return break_even(data) / totals(data)["ca"] * year_days


@reference.answer("delai_point_mort_jours")
def break_even_days(data: CaseData) -> Expected:
    return Expected(delay_days(data), mistakes=[
        Mistake(delay_days(data, 365), "vous avez compté 365 jours au lieu de 360 (année commerciale).", "decompte")])


def seasonal_date(data: CaseData) -> dt.date:
    months = data("ventes_mensuelles_2026.csv")
    cumulated = months["ca_prevu_eur"].cumsum()
    target = break_even(data)
    index = int((cumulated >= target).idxmax())
    before = cumulated.iloc[index - 1] if index else 0.0
    fraction = (target - before) / months["ca_prevu_eur"].iloc[index]
    month = index + 1
    day = max(1, math.ceil(fraction * calendar.monthrange(YEAR, month)[1]))
    return dt.date(YEAR, month, day)


def regular_date(data: CaseData) -> dt.date:
    days = delay_days(data)
    month = math.ceil(days / 30)
    return dt.date(YEAR, month, min(math.ceil(days - 30 * (month - 1)), calendar.monthrange(YEAR, month)[1]))


@reference.answer("date_point_mort")
def break_even_date(data: CaseData) -> Expected:
    return Expected(seasonal_date(data), mistakes=[
        Mistake(regular_date(data), "les ventes sont supposées régulières alors qu'elles sont saisonnières : "
                                    "cumulez le CA mois par mois.", "methode")])


@reference.answer("marge_securite")
def safety_margin(data: CaseData) -> Expected:
    return Expected(totals(data)["ca"] - break_even(data))


@reference.answer("indice_securite")
def safety_index(data: CaseData) -> Expected:
    t = totals(data)
    return Expected((t["ca"] - break_even(data)) / t["ca"])


def arbitrage(data: CaseData, cost: str = "cout_ht_eur") -> float:
    frame = actions(data).set_index("action_id")
    rate = data.parameter("taux_mcv_actions")
    change = frame.at[CUT, cost] - frame.at[CUT, "ca_attendu_ht_eur"] * rate
    change += EXTENSION * (frame.at[EXTENDED, "ca_attendu_ht_eur"] * rate - frame.at[EXTENDED, cost])
    return summary(data)["Résultat prévisionnel"] + change


@reference.answer("resultat_apres_arbitrage")
def result_after_arbitrage(data: CaseData) -> Expected:
    return Expected(arbitrage(data), mistakes=[
        Mistake(arbitrage(data, cost="cout_ttc_eur"), "les coûts des actions sont restés TTC : raisonnez HT.", "ht_ttc")])


@reference.answer("export_excel")
def excel_export(data: CaseData) -> Expected:
    return Expected(summary(data))
