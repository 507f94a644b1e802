"""03_animation_conflits: the team pulse survey, early signals of tension."""
from __future__ import annotations

import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.registry import CaseData


def by_week(data: CaseData, column: str) -> pd.DataFrame:
    survey = data("barometre_equipe.csv")
    return survey.pivot_table(index="collectif", columns="semaine", values=column, aggfunc="mean")


def ambiance_change(data: CaseData) -> pd.Series:
    table = by_week(data, "score_ambiance")
    return table[table.columns.max()] - table[table.columns.min()]


def watch_list(data: CaseData, *, ambiance: bool = True, information: bool = True) -> list[str]:
    change = ambiance_change(data)
    info = by_week(data, "score_information")
    last_info = info[info.columns.max()]
    flagged = ((change <= data.parameter("seuil_baisse_ambiance")) & ambiance) | \
              ((last_info < data.parameter("seuil_information")) & information)
    return sorted(change.index[flagged])


@reference.answer("evolution_ambiance")
def ambiance_evolution(data: CaseData) -> Expected:
    change = ambiance_change(data)
    return Expected(change, mistakes=[
        Mistake(-change, "le signe est inversé (évolution = dernière semaine − première semaine).", "signe"),
    ], hint="Score d'ambiance de la semaine 2026-S15 − score de la semaine 2026-S10, par collectif.")


@reference.answer("collectifs_vigilance")
def groups_to_watch(data: CaseData) -> Expected:
    return Expected(watch_list(data), mistakes=[
        Mistake(watch_list(data, information=False), "seule la baisse de l'ambiance a été examinée.", "methode"),
        Mistake(watch_list(data, ambiance=False), "seul le score d'information a été examiné.", "methode"),
    ], hint="Vigilance si l'ambiance baisse d'au moins 0,8 point OU si l'information de la dernière semaine est sous 3.")
