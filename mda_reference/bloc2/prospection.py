"""01_prospection: funnel by channel, leads needed, cost per lead, CAC, LTV/CAC, follow-up."""
import math

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc2.answers import ANALYSIS_DATE, reference
from mda_reference.carried import number, numbers_of, table
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


def learners_funnel(data: CaseData, entonnoir) -> pd.DataFrame:
    """A learner's funnel table (one row per channel, the five stage columns), as numbers."""
    channels = data("leads_2025.csv")["canal"].unique()
    return table(entonnoir, list(STAGES), like=channels).astype(float)


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
    """Carried: the stage rates of the learner's own funnel."""
    def stage_on_stage(entonnoir):
        return stage_rates(learners_funnel(data, entonnoir))

    def stage_on_leads(entonnoir):
        counts = learners_funnel(data, entonnoir)
        on_leads = pd.DataFrame({name: counts[after] / counts["leads"] for name, (_, after) in RATES.items()})
        on_leads["global"] = counts["clients"] / counts["leads"]
        return on_leads

    return Expected(stage_on_stage, mistakes=[Mistake(
        stage_on_leads, "chaque étape est rapportée aux leads ; le taux d'une étape se calcule sur l'étape précédente.",
        "base_taux")])


@reference.answer("taux_global")
def overall_rate(data: CaseData) -> Expected:
    """Carried: all the clients of the learner's own funnel over all its leads."""
    def overall(entonnoir):
        counts = learners_funnel(data, entonnoir)
        return counts["clients"].sum() / counts["leads"].sum()

    def mean_of_channels(entonnoir):
        return stage_rates(learners_funnel(data, entonnoir))["global"].mean()

    return Expected(overall, mistakes=[Mistake(
        mean_of_channels,
        "c'est la moyenne des taux des canaux ; le taux global rapporte le total des clients au total des leads.", "methode")])


@reference.answer("leads_necessaires")
def leads_needed(data: CaseData) -> Expected:
    """Carried: the objective over the learner's own overall conversion rate, rounded up."""
    objective = data.parameter("objectif_nouveaux_clients_2026")

    def rounded_up(taux_global):
        return math.ceil(objective / number(taux_global))

    def rounded_down(taux_global):
        return math.floor(objective / number(taux_global))

    def rounded_to_nearest(taux_global):
        return round(objective / number(taux_global))

    return Expected(rounded_up, mistakes=[
        # rounded to the nearest, the count is either the number below (the same slip) or the right one: it is
        # listed so that the case check keeps draws where it is below
        Mistake(rounded_down, "le résultat est arrondi à l'entier inférieur (ou au plus proche) : il manquerait des "
                              "leads pour atteindre l'objectif (arrondir au-dessus).", "arrondi"),
        Mistake(rounded_to_nearest, "le résultat est arrondi à l'entier le plus proche : un nombre de leads qui doit "
                                    "suffire s'arrondit au-dessus.", "arrondi"),
    ], hint="Leads nécessaires = objectif de nouveaux clients / taux de conversion global.")


@reference.answer("cout_par_lead")
def cost_per_lead(data: CaseData) -> Expected:
    """Carried: the spend of each channel over the leads of the learner's own funnel."""
    def all_spend(entonnoir):
        return spend(data) / learners_funnel(data, entonnoir)["leads"]

    def marketing_only(entonnoir):
        return spend(data, ("marketing",)) / learners_funnel(data, entonnoir)["leads"]

    return Expected(all_spend, mistakes=[Mistake(
        marketing_only, "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté.", "net_brut")])


@reference.answer("cac_canal")
def cac_by_channel(data: CaseData) -> Expected:
    """Carried: the spend of each channel over the new clients of the learner's own funnel."""
    def all_spend(entonnoir):
        return spend(data) / learners_funnel(data, entonnoir)["clients"]

    def marketing_only(entonnoir):
        return spend(data, ("marketing",)) / learners_funnel(data, entonnoir)["clients"]

    def per_lead(entonnoir):
        return spend(data) / learners_funnel(data, entonnoir)["leads"]

    return Expected(all_spend, mistakes=[
        Mistake(marketing_only,
                "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté dans le CAC.", "net_brut"),
        Mistake(per_lead, "c'est le coût par lead ; le CAC divise les dépenses par les nouveaux clients.", "methode"),
    ])


@reference.answer("cac_global")
def cac_overall(data: CaseData) -> Expected:
    """Carried: all the spend over all the new clients of the learner's own funnel."""
    def all_spend(entonnoir):
        return spend(data).sum() / learners_funnel(data, entonnoir)["clients"].sum()

    def marketing_only(entonnoir):
        return spend(data, ("marketing",)).sum() / learners_funnel(data, entonnoir)["clients"].sum()

    def mean_of_channels(entonnoir):
        return (spend(data) / learners_funnel(data, entonnoir)["clients"]).mean()

    return Expected(all_spend, mistakes=[
        Mistake(marketing_only,
                "le temps commercial valorisé (dépenses de nature « commercial ») n'est pas compté dans le CAC.", "net_brut"),
        Mistake(mean_of_channels,
                "c'est la moyenne des CAC des canaux ; le CAC global divise toutes les dépenses par tous les clients.", "methode"),
    ])


@reference.answer("ltv_cac")
def ltv_cac(data: CaseData) -> Expected:
    """Carried: the LTV of each channel's target over the learner's own CAC."""
    ltv = lifetime_value(data)
    yearly = data("leads_2025.csv").groupby("canal")["cible"].first().map(
        lambda kind: data.parameter(f"marge_annuelle_client_{kind.lower()}"))

    def lifetime(cac_canal):
        return ltv / numbers_of(cac_canal, like=ltv.index)

    def one_year(cac_canal):
        return yearly / numbers_of(cac_canal, like=ltv.index)

    return Expected(lifetime, mistakes=[Mistake(
        one_year, "la LTV retenue est la marge d'une seule année ; elle couvre toute la durée de vie (marge / attrition).",
        "methode")])


@reference.answer("canal_a_reduire")
def channel_to_cut(data: CaseData) -> Expected:
    """Carried: the lowest of the learner's own LTV/CAC ratios."""
    def lowest(ltv_cac):
        return numbers_of(ltv_cac).idxmin()

    return Expected(lowest, hint="Le canal dont le ratio LTV/CAC est le plus faible.")


@reference.answer("canal_a_renforcer")
def channel_to_fund(data: CaseData) -> Expected:
    """Carried: the highest of the learner's own LTV/CAC ratios."""
    def highest(ltv_cac):
        return numbers_of(ltv_cac).idxmax()

    return Expected(highest, hint="Le canal dont le ratio LTV/CAC est le plus élevé.")


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
