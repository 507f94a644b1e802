"""02_cible_objectifs: high-value clients, Ideal Customer Profile, prospect scoring, 2026 objective."""
import math

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc1.answers import reference
from mda_reference.carried import labels, normalised, number, numbers_of, series
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


def chosen_clients(data: CaseData, clients_haute_valeur) -> pd.DataFrame:
    """The clients of a learner's list of identifiers (identifiers compared without case)."""
    frame = clients(data)
    return frame[pd.Series(normalised(frame["client_id"]), index=frame.index).isin(labels(clients_haute_valeur))]


@reference.answer("profil_icp")
def ideal_profile(data: CaseData) -> Expected:
    """Carried: the profile of the learner's own high-value clients."""
    def of_the_learners_clients(clients_haute_valeur):
        return profile(chosen_clients(data, clients_haute_valeur))

    return Expected(
        of_the_learners_clients,
        mistakes=[Mistake(profile(clients(data)), "le profil décrit l'ensemble des clients, pas les clients à forte valeur.", "methode")],
    )


def scores(data: CaseData, icp: pd.Series | None = None) -> pd.Series:
    """Each prospect's score against the reference profile, or against a learner's ``icp``."""
    icp = profile(top_clients(data)) if icp is None else icp
    prospects = data("prospects.csv").set_index("prospect_id")
    return sum(weight * (pd.Series(normalised(prospects[c]), index=prospects.index) == normalised([icp[c]])[0])
               for c, weight in CRITERIA_WEIGHTS.items()).astype(int)


@reference.answer("scores_prospects")
def prospect_scores(data: CaseData) -> Expected:
    """Carried: the scores against the learner's own ICP profile."""
    def against_the_learners_profile(profil_icp):
        return scores(data, series(profil_icp, like=CRITERIA_WEIGHTS))

    return Expected(against_the_learners_profile,
                    hint="Score = 40 si même secteur + 35 si même tranche d'effectif + 25 si même département.")


@reference.answer("prospects_prioritaires")
def priority_prospects(data: CaseData) -> Expected:
    """Carried: the learner's own scores, at least 60."""
    def at_least(scores_prospects):
        score = numbers_of(scores_prospects)
        return score[score >= PRIORITY_SCORE].index.tolist()

    def above(scores_prospects):
        score = numbers_of(scores_prospects)
        return score[score > PRIORITY_SCORE].index.tolist()

    return Expected(at_least,
                    mistakes=[Mistake(above, "le seuil est exclu : un score de 60 exactement est prioritaire (≥ 60).",
                                      "bornes")])


def objective(data: CaseData) -> float:
    return clients(data)["ca_2025_eur"].sum() * (1 + data.parameter("objectif_croissance_ca_b2b_2026"))


@reference.answer("objectif_ca_b2b_2026")
def revenue_objective(data: CaseData) -> Expected:
    revenue, growth = clients(data)["ca_2025_eur"].sum(), data.parameter("objectif_croissance_ca_b2b_2026")
    return Expected(objective(data), mistakes=[
        Mistake(revenue * growth, "c'est la hausse du chiffre d'affaires ; l'objectif est le CA 2025 augmenté de "
                                  "cette hausse : CA × (1 + taux).", "methode"),
        Mistake(revenue / (1 - growth), "la croissance est rapportée à l'objectif (CA / (1 − taux)) ; elle se "
                                        "rapporte au CA de départ, 2025 : CA × (1 + taux).", "methode"),
    ], hint="Objectif = CA B2B 2025 × (1 + taux de croissance visé).")


@reference.answer("nouveaux_clients_necessaires")
def new_clients_needed(data: CaseData) -> Expected:
    """Carried: the gap between the learner's own objective and the 2025 revenue."""
    frame = clients(data)
    revenue = frame["ca_2025_eur"].sum()
    new_client_revenue = frame.loc[frame["anciennete_ans"] == 0, "ca_2025_eur"].mean()

    def exact(objectif_ca_b2b_2026):
        return (number(objectif_ca_b2b_2026) - revenue) / new_client_revenue

    def rounded_up(objectif_ca_b2b_2026):
        return math.ceil(exact(objectif_ca_b2b_2026))

    def rounded_down(objectif_ca_b2b_2026):
        return math.floor(exact(objectif_ca_b2b_2026))

    def rounded_to_nearest(objectif_ca_b2b_2026):
        return round(exact(objectif_ca_b2b_2026))

    def on_all_clients(objectif_ca_b2b_2026):
        return math.ceil((number(objectif_ca_b2b_2026) - revenue) / frame["ca_2025_eur"].mean())

    return Expected(
        rounded_up,
        mistakes=[
            Mistake(exact, "le résultat n'est pas arrondi à l'entier supérieur (on ne signe pas une fraction de client).", "arrondi"),
            Mistake(rounded_down, "arrondi à l'entier inférieur (ou au plus proche) : l'objectif ne serait pas "
                                  "atteint.", "arrondi"),
            Mistake(rounded_to_nearest, "arrondi à l'entier le plus proche : un nombre de clients qui doit suffire "
                                        "s'arrondit au-dessus.", "arrondi"),
            Mistake(on_all_clients,
                    "le CA moyen de tous les clients est utilisé, et non celui des clients arrivés en 2025.", "methode"),
        ],
    )
