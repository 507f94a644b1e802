"""04_gepp_formation: competency gaps, training needs, coverage, skills nobody masters, training plan cost.

Conventions (formules-reference, section 6; clipping and coverage are the notebook's own):
gap = required level − current level (scale 1 to 4); training need = max(gap, 0);
coverage rate = share of (person, skill) pairs where current ≥ required;
a skill is covered when at least one person reaches the mastery level (3);
real cost per trainee = tuition HT + expenses − OPCO funding + loaded hourly cost × hours.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.carried import table
from mda_reference.registry import CaseData


# -- formulas (checked against the worked examples in tests/reference/test_bloc3.py) --------------
def gaps(required: Sequence[float], current: Sequence[float]) -> np.ndarray:
    """Competency gap = required − current: positive means a level to gain."""
    return np.asarray(required, dtype=float) - np.asarray(current, dtype=float)


def training_need(required: Sequence[float], current: Sequence[float], *, clip: bool = True) -> float:
    """Levels to gain: the sum of the gaps clipped at 0 (a level above the requirement offsets nothing)."""
    g = gaps(required, current)
    return float((np.clip(g, 0, None) if clip else g).sum())


def coverage_rate(required: Sequence[float], current: Sequence[float]) -> float:
    """Share of pairs where the current level reaches the required level."""
    return float((np.asarray(current) >= np.asarray(required)).mean())


def cost_per_trainee(tuition: float, expenses: float, opco: float, hourly_cost: float, hours: float, *,
                     deduct_opco: bool = True, salary: bool = True) -> float:
    """Real cost of one trainee: tuition HT + expenses − OPCO funding (+ loaded salary of the training hours)."""
    return tuition + expenses - (opco if deduct_opco else 0.0) + (hourly_cost * hours if salary else 0.0)


# -- the case ---------------------------------------------------------------------------------------
def competency_map(data: CaseData) -> pd.DataFrame:
    frame = data("cartographie_competences.csv")
    frame["ecart"] = gaps(frame["niveau_requis"], frame["niveau_actuel"])
    return frame


def learners_gaps(data: CaseData, ecarts_competences) -> pd.DataFrame:
    """A learner's gap matrix (one row per person, one column per skill), as numbers."""
    frame = data("cartographie_competences.csv")
    skills = sorted(frame["competence"].unique())
    return table(ecarts_competences, skills, like=frame["personne_id"].unique()).astype(float)


def plan_cost(data: CaseData, *, deduct_opco: bool = True, salary: bool = True, by_levels: bool = False,
              gaps: pd.DataFrame | None = None) -> float:
    """One training per person and skill with a gap > 0, costed per trainee.

    ``gaps``: a learner's gap matrix (persons × skills) instead of the reference's gaps.
    """
    if gaps is None:
        frame = competency_map(data)
        needs = frame[frame["ecart"] > 0]
        trainees = needs.groupby("competence")["ecart"].sum() if by_levels else needs.groupby("competence").size()
    else:
        trainees = gaps.clip(lower=0).sum() if by_levels else (gaps > 0).sum()
    catalogue = data("catalogue_formations.csv").set_index("competence")
    hourly = data.parameter("cout_horaire_charge_eur")
    unit = pd.Series({
        skill: cost_per_trainee(row.cout_pedagogique_ht_eur, row.frais_annexes_eur, row.prise_en_charge_opco_eur,
                                hourly, row.duree_h, deduct_opco=deduct_opco, salary=salary)
        for skill, row in catalogue.iterrows()
    })
    return float((trainees * unit.reindex(trainees.index)).sum())


@reference.answer("ecarts_competences")
def gap_matrix(data: CaseData) -> Expected:
    frame = competency_map(data)
    matrix = frame.pivot_table(index="personne_id", columns="competence", values="ecart", aggfunc="sum")
    return Expected(matrix, mistakes=[
        Mistake(-matrix, "le signe est inversé : écart = niveau requis − niveau actuel.", "signe"),
    ], hint="Colonne ecart = niveau_requis − niveau_actuel, puis pivot_table (personnes en lignes, compétences en colonnes).")


@reference.answer("besoins_formation")
def training_needs(data: CaseData) -> Expected:
    """Carried: the positive gaps of the learner's own gap matrix, added up by skill."""
    def clipped(ecarts_competences):
        return learners_gaps(data, ecarts_competences).clip(lower=0).sum()

    def not_clipped(ecarts_competences):
        return learners_gaps(data, ecarts_competences).sum()

    def people(ecarts_competences):
        return (learners_gaps(data, ecarts_competences) > 0).sum().astype(float)

    return Expected(clipped, mistakes=[
        Mistake(not_clipped,
                "les écarts négatifs n'ont pas été ramenés à 0 : un collaborateur au-dessus du niveau requis "
                "ne compense pas le besoin d'un autre.", "signe"),
        Mistake(people, "vous avez compté les personnes concernées, pas les niveaux à acquérir.", "methode"),
    ], hint="Besoin = écart ramené à 0 quand il est négatif (clip(lower=0)), additionné par compétence.")


@reference.answer("taux_couverture")
def coverage(data: CaseData) -> Expected:
    frame = competency_map(data)
    rate = coverage_rate(frame["niveau_requis"], frame["niveau_actuel"])
    strict = float((frame["niveau_actuel"] > frame["niveau_requis"]).mean())
    return Expected(rate, mistakes=[
        Mistake(strict, "un niveau égal au niveau requis couvre le besoin (comparaison ≥, pas >).", "bornes"),
        Mistake(1 - rate, "c'est la part des besoins non couverts.", "methode"),
    ], hint="Part des couples (personne, compétence) dont le niveau actuel atteint au moins le niveau requis.")


@reference.answer("competences_non_couvertes")
def uncovered_skills(data: CaseData) -> Expected:
    frame = competency_map(data)
    best = frame.groupby("competence")["niveau_actuel"].max()
    mastery = data.parameter("niveau_maitrise")
    with_gap = frame[frame["ecart"] > 0]["competence"].unique()
    return Expected(sorted(best[best < mastery].index), mistakes=[
        Mistake(sorted(with_gap), "vous avez retenu toutes les compétences où quelqu'un a un écart ; une "
                                  "compétence est couverte dès qu'une personne au moins la maîtrise (niveau 3).", "methode"),
    ], hint="Pour chaque compétence, le niveau actuel le plus haut de l'équipe : non couverte s'il est inférieur à 3.")


@reference.answer("cout_plan")
def training_plan_cost(data: CaseData) -> Expected:
    """Carried: one trainee per positive gap of the learner's own gap matrix."""
    def of(**switches):
        def cost(ecarts_competences):
            return plan_cost(data, gaps=learners_gaps(data, ecarts_competences), **switches)
        return cost

    return Expected(of(), mistakes=[
        Mistake(of(deduct_opco=False), "la prise en charge de l'OPCO n'a pas été déduite du coût.", "net_brut"),
        Mistake(of(salary=False),
                "le coût salarial des heures de formation n'est pas compté (convention : il est inclus).", "net_brut"),
        Mistake(of(deduct_opco=False, salary=False),
                "ni la prise en charge de l'OPCO ni le coût salarial ne sont pris en compte.", "methode"),
        Mistake(of(by_levels=True),
                "le nombre de stagiaires est compté en niveaux à acquérir ; c'est une formation par personne "
                "et par compétence.", "methode"),
    ], hint="Par stagiaire : coût pédagogique + frais annexes − prise en charge OPCO + coût horaire chargé × durée.")
