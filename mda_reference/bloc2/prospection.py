"""01_prospection: funnel by channel, leads needed, cost per lead, CAC, LTV/CAC, follow-up."""
import math

import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_reference.bloc2.answers import ANALYSIS_DATE, reference
from mda_reference.registry import CaseData

#: funnel stage -> the CRM date column that records a lead passing it
STAGES = {"leads": "date_creation", "mql": "date_mql", "sql": "date_sql", "opportunites": "date_opportunite",
          "clients": "date_signature"}
RATES = {"lead_mql": ("leads", "mql"), "mql_sql": ("mql", "sql"), "sql_opportunite": ("sql", "opportunites"),
         "opportunite_client": ("opportunites", "clients")}


def funnel(data: CaseData) -> pd.DataFrame:
    counts = data("leads_2025.csv").groupby("canal")[list(STAGES.values())].count()
    return counts.set_axis(list(STAGES), axis=1)


def stage_rates(counts: pd.DataFrame) -> pd.DataFrame:
    rates = pd.DataFrame({name: counts[after] / counts[before] for name, (before, after) in RATES.items()})
    rates["global"] = counts["clients"] / counts["leads"]
    return rates


def spend(data: CaseData, natures=("marketing", "commercial")) -> pd.Series:
    frame = data("depenses_prospection_2025.csv")
    return frame[frame["nature"].isin(natures)].groupby("canal")["montant_ht_eur"].sum()


def lifetime_value(data: CaseData) -> pd.Series:
    """LTV of a new client of each channel: yearly margin / expected yearly churn of its target."""
    target = data("leads_2025.csv").groupby("canal")["cible"].first()
    ltv = {kind: data.parameter(f"marge_annuelle_client_{kind.lower()}") / data.parameter(f"attrition_prevue_{kind.lower()}")
           for kind in ("B2B", "B2C")}
    return target.map(ltv)


def ltv_to_cac(data: CaseData) -> pd.Series:
    return lifetime_value(data) / (spend(data) / funnel(data)["clients"])


@reference.answer("entonnoir")
def funnel_counts(data: CaseData) -> Expected:
    counts = funnel(data)
    frame = data("leads_2025.csv")
    current = frame.assign(etape=frame[list(STAGES.values())].notna().sum(axis=1))
    only_current = pd.DataFrame({name: current[current["etape"] == k + 1].groupby("canal").size()
                                 for k, name in enumerate(STAGES)}).fillna(0)
    return Expected(counts, mistakes=[Mistake(
        only_current, "vous avez compté les leads arrêtés à chaque étape ; un lead devenu SQL est aussi un MQL "
                      "(comptez toutes les dates renseignées).", "methode")])


@reference.answer("taux_etapes")
def funnel_rates(data: CaseData) -> Expected:
    counts = funnel(data)
    on_leads = pd.DataFrame({name: counts[after] / counts["leads"] for name, (_, after) in RATES.items()})
    on_leads["global"] = counts["clients"] / counts["leads"]
    return Expected(stage_rates(counts), mistakes=[Mistake(
        on_leads, "chaque étape est rapportée aux leads ; le taux d'une étape se calcule sur l'étape précédente.", "base_taux")])


@reference.answer("taux_global")
def overall_rate(data: CaseData) -> Expected:
    counts = funnel(data)
    return Expected(counts["clients"].sum() / counts["leads"].sum(), mistakes=[Mistake(
        stage_rates(counts)["global"].mean(),
        "c'est la moyenne des taux des canaux ; le taux global rapporte le total des clients au total des leads.", "methode")])


@reference.answer("leads_necessaires")
def leads_needed(data: CaseData) -> Expected:
    counts = funnel(data)
    needed = data.parameter("objectif_nouveaux_clients_2026") / (counts["clients"].sum() / counts["leads"].sum())
    mistakes = []
    if math.floor(needed) != math.ceil(needed):
        mistakes.append(Mistake(math.floor(needed), "le résultat est arrondi à l'entier inférieur : il manquerait "
                                                    "des leads pour atteindre l'objectif (arrondir au-dessus).", "arrondi"))
    return Expected(math.ceil(needed), mistakes=mistakes,
                    hint="Leads nécessaires = objectif de nouveaux clients / taux de conversion global.")


@reference.answer("cout_par_lead")
def cost_per_lead(data: CaseData) -> Expected:
    return Expected(spend(data) / funnel(data)["leads"], mistakes=[Mistake(
        spend(data, ("marketing",)) / funnel(data)["leads"],
        "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté.", "net_brut")])


@reference.answer("cac_canal")
def cac_by_channel(data: CaseData) -> Expected:
    clients = funnel(data)["clients"]
    return Expected(spend(data) / clients, mistakes=[
        Mistake(spend(data, ("marketing",)) / clients,
                "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté dans le CAC.", "net_brut"),
        Mistake(spend(data) / funnel(data)["leads"],
                "c'est le coût par lead ; le CAC divise les dépenses par les nouveaux clients.", "methode"),
    ])


@reference.answer("cac_global")
def cac_overall(data: CaseData) -> Expected:
    clients = funnel(data)["clients"]
    return Expected(spend(data).sum() / clients.sum(), mistakes=[
        Mistake(spend(data, ("marketing",)).sum() / clients.sum(),
                "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté dans le CAC.", "net_brut"),
        Mistake((spend(data) / clients).mean(),
                "c'est la moyenne des CAC des canaux ; le CAC global divise toutes les dépenses par tous les clients.", "methode"),
    ])


@reference.answer("ltv_cac")
def ltv_cac(data: CaseData) -> Expected:
    yearly = data("leads_2025.csv").groupby("canal")["cible"].first().map(
        lambda kind: data.parameter(f"marge_annuelle_client_{kind.lower()}"))
    return Expected(ltv_to_cac(data), mistakes=[Mistake(
        yearly / (spend(data) / funnel(data)["clients"]),
        "la LTV retenue est la marge d'une seule année ; elle couvre toute la durée de vie (marge / attrition).", "methode")])


@reference.answer("canal_a_reduire")
def channel_to_cut(data: CaseData) -> Expected:
    return Expected(ltv_to_cac(data).idxmin(), hint="Le canal dont le ratio LTV/CAC est le plus faible.")


@reference.answer("canal_a_renforcer")
def channel_to_fund(data: CaseData) -> Expected:
    return Expected(ltv_to_cac(data).idxmax(), hint="Le canal dont le ratio LTV/CAC est le plus élevé.")


@reference.answer("opportunites_a_relancer")
def follow_ups(data: CaseData) -> Expected:
    frame = data("leads_2025.csv")
    silence = (ANALYSIS_DATE - pd.to_datetime(frame["date_dernier_contact"])).dt.days
    open_deals = frame["date_opportunite"].notna() & (frame["statut"] == "en cours")
    limit = data.parameter("delai_relance_jours")
    return Expected(frame.loc[open_deals & (silence > limit), "lead_id"].tolist(), mistakes=[Mistake(
        frame.loc[(frame["statut"] == "en cours") & (silence > limit), "lead_id"].tolist(),
        "la sélection garde tous les leads en cours, pas seulement les opportunités.", "methode")],
        hint="Opportunité ouverte (date d'opportunité renseignée, statut « en cours ») sans contact depuis plus de 30 jours.")
