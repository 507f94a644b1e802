"""01_lancement_organisation: capacity, utilisation, overloads, hours to delegate, accommodations."""
from __future__ import annotations

import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc3.answers import reference
from mda_reference.carried import numbers_of
from mda_reference.registry import CaseData


def capacity(team: pd.DataFrame, full_time_hours: float, weeks: float, *, contract_hours: bool = True,
             absences: bool = True, affaire_share: bool = True) -> pd.Series:
    """Hours each person can give the affaire over the phase.

    capacity = (full-time weekly hours × working-time share × weeks − planned absences) × share of the affaire.
    The keyword switches rebuild the classic mistakes (calendar hours for a part-timer …).
    """
    team = team.set_index("personne_id")
    weekly = full_time_hours * (team["quotite"] if contract_hours else 1.0)
    available = weekly * weeks - (team["absences_prevues_h"] if absences else 0.0)
    return available * (team["part_affaire"] if affaire_share else 1.0)


def load(data: CaseData) -> pd.Series:
    return data("charge_affaire.csv").groupby("personne_id")["heures_prevues"].sum()


def team_capacity(data: CaseData, **switches) -> pd.Series:
    return capacity(data("equipe_affaire.csv"), data.parameter("duree_hebdo_temps_plein"),
                    data.parameter("semaines_phase"), **switches)


def overload_hours(load_h: pd.Series, capacity_h: pd.Series) -> float:
    """Hours beyond capacity, person by person: a spare hour of one person does not absorb another's overload."""
    return float((load_h - capacity_h).clip(lower=0).sum())


@reference.answer("charge_par_personne")
def workload_per_person(data: CaseData) -> Expected:
    tasks = data("charge_affaire.csv")
    return Expected(load(data), mistakes=[
        Mistake(tasks.groupby("personne_id")["heures_prevues"].count(),
                "vous avez compté le nombre de tâches au lieu d'additionner les heures prévues.", "methode"),
    ], hint="Additionnez les heures prévues des tâches de chaque personne (groupby puis sum).")


@reference.answer("taux_utilisation")
def utilisation(data: CaseData) -> Expected:
    """Carried: the learner's own workload per person over the capacity of the statement."""
    capacity_h = team_capacity(data)

    def learners_load(charge_par_personne):
        return numbers_of(charge_par_personne, like=capacity_h.index)

    def of(**switches):
        def rate(charge_par_personne):
            return learners_load(charge_par_personne) / team_capacity(data, **switches)
        return rate

    def inverted(charge_par_personne):
        return capacity_h / learners_load(charge_par_personne)

    return Expected(of(), mistakes=[
        Mistake(of(contract_hours=False),
                "la capacité des personnes à temps partiel est calculée sur 35 h par semaine au lieu de "
                "leurs heures contractuelles (35 h × quotité).", "net_brut"),
        Mistake(of(absences=False), "les absences prévues n'ont pas été déduites de la capacité.", "methode"),
        Mistake(of(affaire_share=False),
                "la charge est rapportée à tout le temps de travail, pas à la part affectée à l'affaire.", "methode"),
        Mistake(inverted, "le rapport est inversé : c'est la charge divisée par la capacité.", "methode"),
    ], hint="Taux d'utilisation = charge prévue ÷ capacité, la capacité suivant la formule de l'énoncé.")


@reference.answer("personnes_surchargees")
def overloaded(data: CaseData) -> Expected:
    """Carried: the people whose own utilisation rate, as the learner computed it, is above 1."""
    threshold = data.parameter("seuil_surcharge")

    def above(taux_utilisation):
        rate = numbers_of(taux_utilisation)
        return sorted(rate[rate > threshold].index)

    def below(taux_utilisation):
        rate = numbers_of(taux_utilisation)
        return sorted(rate[rate < threshold].index)

    return Expected(above, mistakes=[
        Mistake(below, "vous avez retenu les personnes sous-chargées (taux inférieur à 100 %).", "methode"),
    ], hint="Une personne est surchargée quand son taux d'utilisation dépasse 1 (100 %).")


def learners_capacity(charge_par_personne, taux_utilisation, like) -> pd.Series:
    """The capacity each person's utilisation rate was computed with, as the learner computed it: load ÷ rate
    (a rate of 0 is a person without load: no overload whatever the capacity)."""
    load_h = numbers_of(charge_par_personne, like=like)
    rate = numbers_of(taux_utilisation, like=like).reindex(load_h.index)
    return (load_h / rate.where(rate != 0)).fillna(float("inf"))


@reference.answer("heures_a_deleguer")
def hours_to_delegate(data: CaseData) -> Expected:
    """Carried: the hours of the learner's own workload beyond their own capacity, person by person.

    The capacity is not graded on its own: it is read in the learner's utilisation rates (load ÷ rate), so
    a capacity slip is charged once, in the rate.
    """
    people = team_capacity(data).index

    def person_by_person(charge_par_personne, taux_utilisation):
        return overload_hours(numbers_of(charge_par_personne, like=people),
                              learners_capacity(charge_par_personne, taux_utilisation, people))

    def team_balance(charge_par_personne, taux_utilisation):
        capacity_h = learners_capacity(charge_par_personne, taux_utilisation, people)
        return float(numbers_of(charge_par_personne).sum() - capacity_h[capacity_h != float("inf")].sum())

    return Expected(person_by_person, mistakes=[
        Mistake(team_balance, "vous avez fait le solde charge − capacité de toute l'équipe : les heures libres des uns "
                              "ne compensent pas d'office les surcharges des autres (compétences, sites, horaires).",
                "methode"),
    ], hint="Pour chaque personne surchargée, charge − capacité ; puis additionnez (les autres comptent pour 0).")


@reference.answer("taches_en_binome")
def tasks_in_pairs(data: CaseData) -> Expected:
    tasks = data("charge_affaire.csv").merge(data("equipe_affaire.csv"), on="personne_id")
    heavy = tasks["manutention_lourde"] == "oui"
    paired = tasks["manutention_en_binome"] == "oui"
    return Expected(sorted(tasks.loc[heavy & paired, "tache_id"]), mistakes=[
        Mistake(sorted(tasks.loc[heavy, "tache_id"]),
                "vous avez retenu toutes les tâches de manutention lourde, y compris celles de personnes "
                "sans aménagement de poste.", "methode"),
    ], hint="Croisez les tâches (manutention_lourde) et l'équipe (manutention_en_binome) avec merge.")
