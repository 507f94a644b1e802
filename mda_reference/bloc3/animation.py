"""03_animation_conflits: the team pulse survey, early signals of tension."""
from __future__ import annotations

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.carried import numbers_of
from mda_reference.registry import CaseData


def by_week(data: CaseData, column: str) -> pd.DataFrame:
    survey = data("barometre_equipe.csv")
    return survey.pivot_table(index="collectif", columns="semaine", values=column, aggfunc="mean")


def ambiance_change(data: CaseData) -> pd.Series:
    table = by_week(data, "score_ambiance")
    return table[table.columns.max()] - table[table.columns.min()]


def watch_list(data: CaseData, *, ambiance: bool = True, information: bool = True,
               change: pd.Series | None = None) -> list[str]:
    """Groups to watch, on the reference's change of ambiance or a learner's ``change``."""
    info = by_week(data, "score_information")
    last_info = info[info.columns.max()]
    change = ambiance_change(data) if change is None else change.reindex(last_info.index)
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
    """Carried: the groups whose own change of ambiance, as the learner computed it, is a fall of 0.8 or more."""
    groups = by_week(data, "score_information").index

    def of(**switches):
        def watched(evolution_ambiance):
            return watch_list(data, change=numbers_of(evolution_ambiance, like=groups), **switches)
        return watched

    return Expected(of(), mistakes=[
        Mistake(of(information=False), "seule la baisse de l'ambiance a été examinée.", "methode"),
        Mistake(of(ambiance=False), "seul le score d'information a été examiné.", "methode"),
    ], hint="Vigilance si l'ambiance baisse d'au moins 0,8 point OU si l'information de la dernière semaine est sous 3.")
