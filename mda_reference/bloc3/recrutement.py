"""05_recrutement: weighted scoring grid, ranking, and the effect of a changed weight."""
from __future__ import annotations

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.carried import numbers_of
from mda_reference.registry import CaseData


def weighted_scores(data: CaseData, column: str = "poids", *, renormalise: bool = True) -> pd.Series:
    """Score out of 5 = Σ mark × weight, the weights divided by their sum when asked."""
    grid = data("grille_recrutement.csv").set_index("critere")[column]
    weights = grid / grid.sum() if renormalise else grid
    marks = data("candidats.csv").set_index("candidat_id")[list(weights.index)]
    return marks.mul(weights, axis=1).sum(axis=1)


@reference.answer("scores")
def scores(data: CaseData) -> Expected:
    marks = data("candidats.csv").set_index("candidat_id").select_dtypes("number")
    return Expected(weighted_scores(data), mistakes=[
        Mistake(marks.mean(axis=1), "c'est la moyenne simple des notes, sans les pondérations.", "methode"),
    ], hint="Score = somme des notes × poids de chaque critère (les poids font 1 au total).")


@reference.answer("rangs")
def ranks(data: CaseData) -> Expected:
    """Carried: the ranks of the learner's own scores."""
    def best_first(scores):
        return numbers_of(scores).rank(ascending=False).astype(float)

    def worst_first(scores):
        return numbers_of(scores).rank(ascending=True).astype(float)

    return Expected(best_first, mistakes=[
        Mistake(worst_first, "le classement est inversé : le rang 1 revient au "
                             "meilleur score (rank(ascending=False)).", "sens_classement"),
    ], hint="score.rank(ascending=False) donne le rang 1 au meilleur score.")


@reference.answer("scores_variante")
def variant_scores(data: CaseData) -> Expected:
    return Expected(weighted_scores(data, "poids_variante"), mistakes=[
        Mistake(weighted_scores(data, "poids_variante", renormalise=False),
                "les poids de la variante n'ont pas été ramenés à un total de 1 (divisez-les par leur somme).", "base_taux"),
        Mistake(weighted_scores(data), "ce sont les scores de la grille initiale.", "methode"),
    ], hint="Poids de la variante ÷ leur somme, puis même calcul que les scores initiaux.")


@reference.answer("candidat_retenu_variante")
def variant_choice(data: CaseData) -> Expected:
    """Carried: the best of the learner's own variant scores."""
    initial = weighted_scores(data).idxmax()

    def leader(scores_variante):
        return numbers_of(scores_variante).idxmax()

    mistakes = [Mistake(initial, "c'est le candidat en tête avec la grille initiale, pas avec la variante.", "methode")]
    return Expected(leader, mistakes=mistakes,
                    hint="Le candidat dont le score recalculé avec les poids de la variante est le plus élevé.")
