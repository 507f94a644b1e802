"""02_suivi_avancement: earned value per task, variances, alerts, SPI, forecast end date and cost.

Conventions (stated in the notebook): variance = actual − planned, so
schedule variance = earned value − planned value (negative: late) and
cost variance = actual cost − earned value (positive: overspend).
"""
from __future__ import annotations

import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.registry import CaseData


def tracking(data: CaseData) -> pd.DataFrame:
    return data("suivi_avancement.csv").set_index("tache_id")


def earned_value(frame: pd.DataFrame) -> pd.Series:
    return frame["avancement_reel"] * frame["budget_eur"]


def planned_value(frame: pd.DataFrame) -> pd.Series:
    return frame["avancement_prevu"] * frame["budget_eur"]


def variances(frame: pd.DataFrame) -> pd.DataFrame:
    ev, pv, ac = earned_value(frame), planned_value(frame), frame["cout_reel_eur"]
    return pd.DataFrame({"ecart_delai": ev - pv, "ecart_cout": ac - ev})


def alerts(frame: pd.DataFrame, threshold: float, *, absolute: bool = True, delay: bool = True,
           cost: bool = True) -> list[str]:
    gaps = variances(frame)
    limit = threshold * frame["budget_eur"]
    late = (gaps["ecart_delai"].abs() > limit) if absolute else (gaps["ecart_delai"] < -limit)
    over = (gaps["ecart_cout"].abs() > limit) if absolute else (gaps["ecart_cout"] > limit)
    flagged = (late & delay) | (over & cost)
    return sorted(frame.index[flagged])


def spi(frame: pd.DataFrame) -> float:
    return float(earned_value(frame).sum() / planned_value(frame).sum())


def cpi(frame: pd.DataFrame) -> float:
    return float(earned_value(frame).sum() / frame["cout_reel_eur"].sum())


def milestones(data: CaseData) -> dict[str, pd.Timestamp]:
    table = data("jalons_affaire.csv").set_index("jalon")["date"]
    return {
        "start": pd.Timestamp(table["Réunion de lancement"]),
        "status": pd.Timestamp(table["Point d'avancement"]),
        "end": pd.Timestamp(table["Fin prévue de la phase de déploiement"]),
    }


def forecast_end(start: pd.Timestamp, end: pd.Timestamp, index: float) -> pd.Timestamp:
    """The end date if the whole phase runs at the observed pace: start + planned duration ÷ SPI."""
    return start + pd.Timedelta(days=(end - start).days / index)


@reference.answer("valeur_acquise")
def earned(data: CaseData) -> Expected:
    frame = tracking(data)
    return Expected(earned_value(frame), mistakes=[
        Mistake(planned_value(frame), "c'est la valeur planifiée (avancement prévu) ; la valeur acquise "
                                      "valorise l'avancement réel.", "methode"),
    ], hint="Valeur acquise = avancement réel × budget de la tâche.")


@reference.answer("ecarts")
def task_variances(data: CaseData) -> Expected:
    frame = tracking(data)
    gaps = variances(frame)
    pv, ac = planned_value(frame), frame["cout_reel_eur"]
    return Expected(gaps, mistakes=[
        Mistake(gaps.assign(ecart_cout=-gaps["ecart_cout"]),
                "le signe de l'écart de coût est inversé (convention : écart = réel − prévu, soit coût réel − "
                "valeur acquise ; un écart positif est un dépassement).", "signe"),
        Mistake(-gaps, "les signes des deux écarts sont inversés (convention : écart = réel − prévu).", "signe"),
        Mistake(gaps.assign(ecart_cout=ac - pv),
                "le coût réel est comparé à la valeur planifiée ; il doit l'être à la valeur acquise "
                "(le coût du travail réellement fait).", "methode"),
    ], hint="Écart de délai = valeur acquise − valeur planifiée ; écart de coût = coût réel − valeur acquise.")


@reference.answer("taches_en_alerte")
def flagged_tasks(data: CaseData) -> Expected:
    frame = tracking(data)
    threshold = data.parameter("seuil_alerte_ecart")
    return Expected(alerts(frame, threshold), mistakes=[
        Mistake(alerts(frame, threshold, absolute=False),
                "seuls les écarts défavorables ont été retenus ; le seuil s'applique à la valeur absolue de "
                "l'écart (une avance ou une économie importante signale aussi un plan à revoir).", "signe"),
        Mistake(alerts(frame, threshold, cost=False), "seuls les écarts de délai ont été examinés.", "methode"),
        Mistake(alerts(frame, threshold, delay=False), "seuls les écarts de coût ont été examinés.", "methode"),
    ], hint="Alerte si |écart de délai| ou |écart de coût| dépasse 10 % du budget de la tâche.")


@reference.answer("spi")
def schedule_index(data: CaseData) -> Expected:
    frame = tracking(data)
    return Expected(spi(frame), mistakes=[
        Mistake(1 / spi(frame), "le rapport est inversé : SPI = valeur acquise ÷ valeur planifiée.", "methode"),
        Mistake(cpi(frame), "c'est l'indice de performance des coûts (valeur acquise ÷ coût réel).", "methode"),
    ], hint="SPI = total des valeurs acquises ÷ total des valeurs planifiées.")


@reference.answer("date_fin_prevue")
def forecast_end_date(data: CaseData) -> Expected:
    frame, dates = tracking(data), milestones(data)
    index = spi(frame)
    duration = (dates["end"] - dates["start"]).days
    remaining = (dates["end"] - dates["status"]).days
    return Expected(forecast_end(dates["start"], dates["end"], index), mistakes=[
        Mistake(dates["start"] + pd.Timedelta(days=duration * index),
                "la durée prévue est multipliée par le SPI ; il faut la diviser (un SPI < 1 allonge la durée).", "methode"),
        Mistake(dates["status"] + pd.Timedelta(days=remaining / index),
                "seule la durée restante est corrigée ; la convention du carnet applique le SPI à toute la "
                "durée, comptée depuis la réunion de lancement.", "prevision"),
        Mistake(dates["end"], "c'est la date de fin prévue au planning, sans prévision.", "methode"),
    ], hint="Date de début + durée prévue (en jours) ÷ SPI.")


@reference.answer("cout_final_prevu")
def estimate_at_completion(data: CaseData) -> Expected:
    frame = tracking(data)
    budget, index = float(frame["budget_eur"].sum()), cpi(frame)
    ev, ac = float(earned_value(frame).sum()), float(frame["cout_reel_eur"].sum())
    return Expected(budget / index, mistakes=[
        Mistake(budget * index, "le budget est multiplié par l'indice de coût ; il faut le diviser.", "methode"),
        Mistake(ac + (budget - ev), "le reste à faire est compté au coût prévu ; la convention du carnet "
                                   "prolonge la performance de coût observée (budget ÷ CPI).", "prevision"),
        Mistake(budget, "c'est le budget initial, sans prévision.", "methode"),
    ], hint="Coût final prévu = budget total ÷ CPI, avec CPI = total des valeurs acquises ÷ total des coûts réels.")
