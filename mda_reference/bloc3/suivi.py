"""02_suivi_avancement: earned value per task, variances, alerts, SPI, forecast end date and cost.

Conventions (stated in the notebook): variance = actual − planned, so
schedule variance = earned value − planned value (negative: late) and
cost variance = actual cost − earned value (positive: overspend).
"""
from __future__ import annotations

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.carried import number, numbers_of, table
from mda_reference.registry import CaseData


def tracking(data: CaseData) -> pd.DataFrame:
    return data("suivi_avancement.csv").set_index("tache_id")


def earned_value(frame: pd.DataFrame) -> pd.Series:
    return frame["avancement_reel"] * frame["budget_eur"]


def planned_value(frame: pd.DataFrame) -> pd.Series:
    return frame["avancement_prevu"] * frame["budget_eur"]


def variances(frame: pd.DataFrame, ev: pd.Series | None = None) -> pd.DataFrame:
    """Schedule and cost variances, with the reference's earned value or a learner's ``ev``."""
    ev = earned_value(frame) if ev is None else ev
    pv, ac = planned_value(frame), frame["cout_reel_eur"]
    return pd.DataFrame({"ecart_delai": ev - pv, "ecart_cout": ac - ev})


def learners_earned_value(frame: pd.DataFrame, valeur_acquise) -> pd.Series:
    return numbers_of(valeur_acquise, like=frame.index)


def alerts(frame: pd.DataFrame, threshold: float, *, absolute: bool = True, delay: bool = True,
           cost: bool = True, gaps: pd.DataFrame | None = None) -> list[str]:
    """Tasks whose variance is beyond the threshold, on the reference's variances or a learner's ``gaps``."""
    gaps = variances(frame) if gaps is None else gaps.reindex(frame.index)
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
    """Carried: the variances of the learner's own earned value."""
    frame = tracking(data)
    pv, ac = planned_value(frame), frame["cout_reel_eur"]

    def gaps_of(valeur_acquise):
        return variances(frame, learners_earned_value(frame, valeur_acquise))

    def cost_sign_reversed(valeur_acquise):
        gaps = gaps_of(valeur_acquise)
        return gaps.assign(ecart_cout=-gaps["ecart_cout"])

    def both_signs_reversed(valeur_acquise):
        return -gaps_of(valeur_acquise)

    def cost_against_plan(valeur_acquise):
        return gaps_of(valeur_acquise).assign(ecart_cout=ac - pv)

    return Expected(gaps_of, mistakes=[
        Mistake(cost_sign_reversed,
                "le signe de l'écart de coût est inversé (convention : écart = réel − prévu, soit coût réel − "
                "valeur acquise ; un écart positif est un dépassement).", "signe"),
        Mistake(both_signs_reversed, "les signes des deux écarts sont inversés (convention : écart = réel − prévu).",
                "signe"),
        Mistake(cost_against_plan,
                "le coût réel est comparé à la valeur planifiée ; il doit l'être à la valeur acquise "
                "(le coût du travail réellement fait).", "methode"),
    ], hint="Écart de délai = valeur acquise − valeur planifiée ; écart de coût = coût réel − valeur acquise.")


@reference.answer("taches_en_alerte")
def flagged_tasks(data: CaseData) -> Expected:
    """Carried: the alerts read on the learner's own variances."""
    frame = tracking(data)
    threshold = data.parameter("seuil_alerte_ecart")

    def of(**switches):
        def flagged(ecarts):
            gaps = table(ecarts, ["ecart_delai", "ecart_cout"], like=frame.index).astype(float)
            return alerts(frame, threshold, gaps=gaps, **switches)
        return flagged

    return Expected(of(), mistakes=[
        Mistake(of(absolute=False),
                "seuls les écarts défavorables ont été retenus ; le seuil s'applique à la valeur absolue de "
                "l'écart (une avance ou une économie importante signale aussi un plan à revoir).", "signe"),
        Mistake(of(cost=False), "seuls les écarts de délai ont été examinés.", "methode"),
        Mistake(of(delay=False), "seuls les écarts de coût ont été examinés.", "methode"),
    ], hint="Alerte si |écart de délai| ou |écart de coût| dépasse 10 % du budget de la tâche.")


@reference.answer("spi")
def schedule_index(data: CaseData) -> Expected:
    """Carried: the total of the learner's own earned values over the planned values."""
    frame = tracking(data)

    def index(valeur_acquise):
        return float(learners_earned_value(frame, valeur_acquise).sum() / planned_value(frame).sum())

    def inverted(valeur_acquise):
        return 1 / index(valeur_acquise)

    def cost_index(valeur_acquise):
        return float(learners_earned_value(frame, valeur_acquise).sum() / frame["cout_reel_eur"].sum())

    return Expected(index, mistakes=[
        Mistake(inverted, "le rapport est inversé : SPI = valeur acquise ÷ valeur planifiée.", "methode"),
        Mistake(cost_index, "c'est l'indice de performance des coûts (valeur acquise ÷ coût réel).", "methode"),
    ], hint="SPI = total des valeurs acquises ÷ total des valeurs planifiées.")


@reference.answer("date_fin_prevue")
def forecast_end_date(data: CaseData) -> Expected:
    """Carried: the planned duration divided by the learner's own SPI."""
    dates = milestones(data)
    duration = (dates["end"] - dates["start"]).days
    remaining = (dates["end"] - dates["status"]).days

    def divided(spi):
        return forecast_end(dates["start"], dates["end"], number(spi))

    def multiplied(spi):
        return dates["start"] + pd.Timedelta(days=duration * number(spi))

    def remaining_only(spi):
        return dates["status"] + pd.Timedelta(days=remaining / number(spi))

    return Expected(divided, mistakes=[
        Mistake(multiplied,
                "la durée prévue est multipliée par le SPI ; il faut la diviser (un SPI < 1 allonge la durée).", "methode"),
        Mistake(remaining_only,
                "seule la durée restante est corrigée ; la convention du carnet applique le SPI à toute la "
                "durée, comptée depuis la réunion de lancement.", "prevision"),
        Mistake(dates["end"], "c'est la date de fin prévue au planning, sans prévision.", "methode"),
    ], hint="Date de début + durée prévue (en jours) ÷ SPI.")


@reference.answer("cout_final_prevu")
def estimate_at_completion(data: CaseData) -> Expected:
    """Carried: the budget over the CPI of the learner's own earned values."""
    frame = tracking(data)
    budget, ac = float(frame["budget_eur"].sum()), float(frame["cout_reel_eur"].sum())

    def earned(valeur_acquise):
        return float(learners_earned_value(frame, valeur_acquise).sum())

    def divided(valeur_acquise):
        return budget / (earned(valeur_acquise) / ac)

    def multiplied(valeur_acquise):
        return budget * (earned(valeur_acquise) / ac)

    def rest_at_plan(valeur_acquise):
        return ac + (budget - earned(valeur_acquise))

    return Expected(divided, mistakes=[
        Mistake(multiplied, "le budget est multiplié par l'indice de coût ; il faut le diviser.", "methode"),
        Mistake(rest_at_plan, "le reste à faire est compté au coût prévu ; la convention du carnet "
                              "prolonge la performance de coût observée (budget ÷ CPI).", "prevision"),
        Mistake(budget, "c'est le budget initial, sans prévision.", "methode"),
    ], hint="Coût final prévu = budget total ÷ CPI, avec CPI = total des valeurs acquises ÷ total des coûts réels.")
