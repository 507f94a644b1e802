"""02_cible_objectifs: high-value clients, Ideal Customer Profile, prospect scoring, 2026 objective."""
import math

import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_reference.bloc1.answers import reference
from mda_reference.registry import CaseData

HIGH_VALUE_SHARE = 0.20
CRITERIA_WEIGHTS = {"secteur": 40, "effectif_tranche": 35, "departement": 25}
PRIORITY_SCORE = 60


def clients(data: CaseData) -> pd.DataFrame:
    return data("clients_b2b.csv")


def top_clients(data: CaseData, column: str = "marge_brute_2025_eur") -> pd.DataFrame:
    frame = clients(data)
    return frame.nlargest(round(HIGH_VALUE_SHARE * len(frame)), column)


def profile(frame: pd.DataFrame) -> pd.Series:
    """The most frequent value of each ICP criterion (first in sort order on a tie)."""
    return pd.Series({c: frame[c].value_counts().sort_index().idxmax() for c in CRITERIA_WEIGHTS})


@reference.answer("clients_haute_valeur")
def high_value_clients(data: CaseData) -> Expected:
    return Expected(
        top_clients(data)["client_id"].tolist(),
        mistakes=[Mistake(top_clients(data, "ca_2025_eur")["client_id"].tolist(),
                          "les clients sont classés sur le chiffre d'affaires et non sur la marge brute.", "methode")],
    )


@reference.answer("profil_icp")
def ideal_profile(data: CaseData) -> Expected:
    return Expected(
        profile(top_clients(data)),
        mistakes=[Mistake(profile(clients(data)), "le profil décrit l'ensemble des clients, pas les clients à forte valeur.", "methode")],
    )


def scores(data: CaseData) -> pd.Series:
    icp = profile(top_clients(data))
    prospects = data("prospects.csv").set_index("prospect_id")
    return sum(weight * (prospects[c] == icp[c]) for c, weight in CRITERIA_WEIGHTS.items()).astype(int)


@reference.answer("scores_prospects")
def prospect_scores(data: CaseData) -> Expected:
    return Expected(scores(data), hint="Score = 40 si même secteur + 35 si même tranche d'effectif + 25 si même département.")


@reference.answer("prospects_prioritaires")
def priority_prospects(data: CaseData) -> Expected:
    score = scores(data)
    return Expected(score[score >= PRIORITY_SCORE].index.tolist(),
                    mistakes=[Mistake(score[score > PRIORITY_SCORE].index.tolist(),
                                      "le seuil est exclu : un score de 60 exactement est prioritaire (≥ 60).", "bornes")])


def objective(data: CaseData) -> float:
    return clients(data)["ca_2025_eur"].sum() * (1 + data.parameter("objectif_croissance_ca_b2b_2026"))


@reference.answer("objectif_ca_b2b_2026")
def revenue_objective(data: CaseData) -> Expected:
    return Expected(objective(data), hint="Objectif = CA B2B 2025 × (1 + taux de croissance visé).")


@reference.answer("nouveaux_clients_necessaires")
def new_clients_needed(data: CaseData) -> Expected:
    frame = clients(data)
    gap = objective(data) - frame["ca_2025_eur"].sum()
    new_client_revenue = frame.loc[frame["anciennete_ans"] == 0, "ca_2025_eur"].mean()
    exact = gap / new_client_revenue
    return Expected(
        math.ceil(exact),
        mistakes=[
            Mistake(exact, "le résultat n'est pas arrondi à l'entier supérieur (on ne signe pas une fraction de client).", "arrondi"),
            Mistake(math.floor(exact), "arrondi à l'entier inférieur : l'objectif ne serait pas atteint.", "arrondi"),
            Mistake(math.ceil(gap / frame["ca_2025_eur"].mean()),
                    "le CA moyen de tous les clients est utilisé, et non celui des clients arrivés en 2025.", "methode"),
        ],
    )
