"""Bloc 3 case: Cyclonord kicks off a signed contract with a local authority.

The affaire: the Communauté d'agglomération Lys-Deûle (a fictional authority)
buys 240 electric bikes (200 urban, 40 cargo) for its staff and a long-term
rental service, with marking, delivery to 12 sites, training of staff and three
years of maintenance. Files: the affaire's milestones and parameters, the team
(internal staff and two partners), the planned workload per task, the progress
report at the status date, a weekly team pulse survey, the competency map, the
training catalogue, and the recruitment grid with anonymised candidates.

Every person is fictional. The team sheet states working-time particulars
(part-time, apprenticeship, remote work) and one workplace accommodation, never
a health condition: an accommodation is organised, it is not a criterion.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mda_checks.casedata.draws import step_draw

START, END, STATUS = "2026-03-02", "2026-05-22", "2026-04-10"

TEAM = [
    # id, first name, last name, job, organisation, status, working-time share (quotité),
    # share of that time given to the affaire, planned absences over the phase (h),
    # remote-work days a week, heavy handling done in pairs (accommodation), accommodation (plain words)
    ("P01", "Vous", "(manager d'affaires)", "Manager d'affaires", "Cyclonord", "CDI", 1.0, 0.5, 0, 1, "non", ""),
    ("P02", "Karim", "Benali", "Chef d'atelier montage", "Cyclonord", "CDI", 1.0, 0.6, 21, 0, "non", ""),
    ("P03", "Sophie", "Lemaire", "Technicienne de maintenance", "Cyclonord", "CDI temps partiel (4 jours)",
     0.8, 0.75, 0, 0, "non", ""),
    ("P04", "Thomas", "Nguyen", "Technicien de maintenance", "Cyclonord", "CDI", 1.0, 0.8, 0, 0, "oui",
     "Établi réglable ; manutentions de plus de 15 kg réalisées en binôme"),
    ("P05", "Inès", "Carpentier", "Chargée de logistique", "Cyclonord", "CDI", 1.0, 0.6, 14, 2, "non", ""),
    ("P06", "Lucas", "Dumont", "Chargé de clientèle (alternant)", "Cyclonord", "Contrat d'apprentissage (3 jours sur 5)",
     0.6, 0.5, 0, 0, "non", ""),
    ("P07", "Nadia", "Haddad", "Formatrice produits", "Cyclonord", "CDI temps partiel choisi (mi-temps)",
     0.5, 0.9, 0, 1, "non", "Supports de réunion transmis la veille dans un format texte accessible"),
    ("P08", "Jean-Pierre", "Morel", "Technicien senior, référent qualité", "Cyclonord", "CDI", 1.0, 0.7, 70, 0, "non", ""),
    ("E01", "Amandine", "Roy", "Responsable marquage (partenaire)", "Marquage Nord Services", "Prestataire",
     1.0, 0.2, 0, 0, "non", ""),
    ("E02", "Yanis", "Moreau", "Coordinateur livraisons (partenaire)", "LogiVélo Transport", "Prestataire",
     1.0, 0.25, 0, 0, "non", ""),
]

#: how the share of the affaire and the planned absences of each person move from the sheet above. The chef
#: d'atelier's stay as they are (the case's conflict starts from his overload), and so do the part-timers'
#: (none of them is overloaded: a capacity slip on their working time changes their rate, not who is
#: overloaded)
SHARE_STEPS, ABSENCE_STEPS = (-0.1, -0.05, 0.0, 0.05, 0.1), (-7, 0, 0, 7, 14)
FIXED_PERSONS = ("P02", *(p[0] for p in TEAM if p[6] < 1))
#: a full-time week and the weeks of the phase (hypotheses), and the people a case overloads at least
FULL_TIME_HOURS, PHASE_WEEKS, OVERLOADED = 35, 12, 3

TASKS = [
    # id, lot, task, person, base hours, heavy handling
    ("T01", "Approvisionnement", "Commandes et suivi des fournisseurs (moteurs, batteries)", "P05", 90, "non"),
    ("T02", "Approvisionnement", "Réception et contrôle des composants", "P05", 70, "oui"),
    ("T03", "Assemblage", "Assemblage des 200 VAE urbains", "P02", 180, "non"),
    ("T04", "Assemblage", "Assemblage des 40 VAE cargo", "P04", 150, "oui"),
    ("T05", "Assemblage", "Réglages et essais sur route", "P03", 120, "non"),
    ("T06", "Assemblage", "Contrôle qualité et procès-verbaux de réception", "P08", 140, "non"),
    ("T07", "Préparation et livraison", "Marquage antivol et plaques d'identification", "E01", 75, "non"),
    ("T08", "Préparation et livraison", "Préparation des lots et chargement des camions", "P04", 90, "oui"),
    ("T09", "Préparation et livraison", "Livraison sur les 12 sites de l'agglomération", "E02", 125, "oui"),
    ("T10", "Préparation et livraison", "Planification des livraisons avec les sites", "P05", 55, "non"),
    ("T11", "Formation et accompagnement", "Guide usager (avec une version FALC)", "P07", 60, "non"),
    ("T12", "Formation et accompagnement", "Sessions de prise en main pour les agents", "P07", 100, "non"),
    ("T13", "Formation et accompagnement", "Relation usagers et réclamations", "P06", 105, "non"),
    ("T14", "Maintenance", "Plan de maintenance préventive et paramétrage de la GMAO", "P08", 110, "non"),
    ("T15", "Maintenance", "Diagnostic des batteries avant livraison", "P04", 130, "non"),
    ("T16", "Maintenance", "Interventions SAV de la première période", "P03", 100, "non"),
    ("T17", "Assemblage", "Encadrement de l'atelier et ordonnancement", "P02", 120, "non"),
    ("T18", "Pilotage", "Pilotage de l'affaire et reporting au client", "P01", 125, "non"),
    ("T19", "Pilotage", "Comités de suivi avec l'agglomération", "P01", 60, "non"),
    ("T20", "Maintenance", "Stock de pièces détachées (réception des palettes)", "P08", 40, "oui"),
]
#: heavy-handling tasks the planning may give to another person than above (one of these, drawn); the person
#: whose accommodation asks for a partner on heavy handling keeps at least one of them
REASSIGNABLE = {"T02": ("P05", "P04"), "T04": ("P04", "P02"), "T08": ("P04", "P05"), "T20": ("P08", "P04")}
PAIRED, KEPT = "P04", "T04"
#: spread of each task's planned hours around its base
HOURS_SPREAD = 0.06

WORK_PACKAGES = [
    # id, work package, owner, budget €, planned start, planned end,
    # actual/planned progress factor, cost overrun factor
    ("WP01", "Approvisionnement des composants et batteries", "P05", 182_000, "2026-03-02", "2026-03-27", 1.00, 1.12),
    ("WP02", "Assemblage des VAE urbains", "P02", 96_000, "2026-03-09", "2026-05-08", 0.80, 1.04),
    ("WP03", "Assemblage des VAE cargo", "P04", 54_000, "2026-03-16", "2026-05-15", 0.70, 1.18),
    ("WP04", "Contrôle qualité et réception", "P08", 28_000, "2026-03-23", "2026-05-15", 0.90, 1.02),
    ("WP05", "Marquage antivol (partenaire)", "E01", 12_000, "2026-03-30", "2026-05-15", 1.60, 0.97),
    ("WP06", "Livraisons sur sites (partenaire)", "E02", 24_000, "2026-04-13", "2026-05-22", 1.00, 1.00),
    ("WP07", "Formation des agents référents", "P07", 18_000, "2026-05-04", "2026-05-22", 1.00, 1.00),
    ("WP08", "Guide usager et supports FALC", "P07", 8_000, "2026-03-02", "2026-04-03", 1.00, 0.93),
    ("WP09", "GMAO et plan de maintenance préventive", "P08", 22_000, "2026-03-09", "2026-04-24", 0.65, 1.12),
    ("WP10", "Pilotage et reporting", "P01", 30_000, "2026-03-02", "2026-05-22", 1.00, 1.01),
]
#: how the pace of the affaire's production moves from the factors above (one step for all its work packages:
#: the affaire is behind schedule, as its status meeting finds), and how each of their paces and cost overruns
#: moves on top of it. The supplies are done and overspent, the marking well ahead: whatever the case, the
#: status meeting has a cost alert on time, a delay alert and an alert for being ahead.
AFFAIRE_PACE_STEPS = (-0.25, -0.2, -0.15, -0.1, -0.05)
PACE_STEPS, OVERRUN_STEPS = (-0.2, -0.15, -0.1, -0.05, 0.0, 0.05, 0.1), (-0.05, -0.03, 0.0, 0.03, 0.05)
SETTLED = {"WP01": ((0.0,), (0.0, 0.02, 0.04)), "WP05": ((0.0, 0.1, 0.2), (-0.02, 0.0, 0.02))}

GROUPS = {
    # collective: (ambiance trajectory first -> last week, information score last week, responses)
    "Atelier montage": (3.9, 2.7, 3.4, 5),
    "Maintenance": (3.7, 3.5, 3.3, 4),
    "Logistique et livraisons": (3.6, 3.3, 2.5, 4),
    "Relation usagers et formation": (4.1, 4.2, 3.8, 4),
    "Partenaires": (3.5, 3.2, 3.2, 6),
}
#: the two collectives of the case's conflict keep their signals (the workshop's fall of ambiance, the logistics'
#: lack of information); each other collective shows a fall (FALL) or an information gap (GAP) with this chance
CONFLICT_GROUPS, SIGNAL_CHANCE = ("Atelier montage", "Logistique et livraisons"), 0.3
FALL, STEADY, GAP, INFORMED = (1.0, 1.3), (-0.2, 0.5), (2.4, 2.8), (3.2, 3.9)
WEEKS = ["2026-S10", "2026-S11", "2026-S12", "2026-S13", "2026-S14", "2026-S15"]

SKILLS = [
    ("Assemblage et réglage de VAE", "technique (hard skill)"),
    ("Diagnostic batteries et habilitation électrique", "technique (hard skill)"),
    ("Maintenance préventive de flotte (GMAO)", "technique (hard skill)"),
    ("Exécution d'un marché public", "technique (hard skill)"),
    ("Outils collaboratifs numériques", "technique (hard skill)"),
    ("Relation usagers et pédagogie", "comportementale (soft skill)"),
    ("Coopération en équipe hybride", "comportementale (soft skill)"),
    ("Organisation et gestion des priorités", "développement personnel"),
]
#: required level of each internal person for each skill above (scale 1 to 4)
REQUIRED = {
    "P01": [1, 1, 2, 3, 3, 3, 4, 3],
    "P02": [4, 2, 2, 1, 2, 2, 3, 3],
    "P03": [3, 3, 3, 1, 2, 2, 2, 2],
    "P04": [3, 3, 3, 1, 2, 2, 2, 2],
    "P05": [1, 1, 2, 2, 3, 2, 3, 3],
    "P06": [1, 1, 1, 1, 3, 3, 2, 2],
    "P07": [2, 1, 1, 1, 3, 4, 3, 2],
    "P08": [4, 3, 4, 2, 2, 2, 2, 3],
}
#: how a required level moves from the grid above (the posts of the affaire differ from case to case)
REQUIRED_STEPS = (-1, 0, 0, 0, 1)
#: each person's experience moves all their current levels (the ones not fixed below) by one of these
EXPERIENCE_STEPS = (-1, 0, 0, 1)
#: current levels fixed by the case (the rest is drawn around the required level)
FIXED_CURRENT = {
    ("P02", 0): 4, ("P08", 2): 4, ("P07", 5): 4, ("P01", 6): 3, ("P01", 7): 3, ("P06", 4): 4,
    ("P04", 1): 2, ("P03", 1): 1, ("P08", 1): 2, ("P01", 3): 2,
}
#: skills nobody masters yet (level 3 or more): the affaire must recruit or call on a partner. Battery diagnosis
#: always (the case recruits for it), and one or two of OTHER_GAPS, drawn
UNMASTERED, OTHER_GAPS = (1,), (2, 3, 4, 5, 6, 7)

TRAININGS = [
    # skill index, training, provider, hours, tuition € HT, expenses €, OPCO funding € (per trainee)
    (0, "Montage avancé et réglages de VAE", "Institut du cycle Hauts-de-France", 14, 650, 60, 280),
    (1, "Habilitation électrique véhicules et batteries lithium", "Formelec Nord", 21, 1_100, 120, 450),
    (2, "Maintenance préventive et GMAO", "Formelec Nord", 14, 700, 80, 300),
    (3, "Exécuter un marché public", "CCI Grand Lille formation", 7, 450, 0, 200),
    (4, "Outils collaboratifs : Teams, SharePoint, Planner", "Numérique pour tous", 7, 300, 0, 150),
    (5, "Pédagogie et relation usagers", "Atelier Transmettre", 14, 800, 60, 300),
    (6, "Coopérer en équipe hybride", "Atelier Transmettre", 7, 520, 0, 250),
    (7, "Gestion du temps et des priorités", "CCI Grand Lille formation", 7, 390, 0, 150),
]

CRITERIA = [
    # column, label, weight, weight in the variant the directors ask about
    ("diagnostic_batteries", "Diagnostic de batteries et habilitation électrique", 0.35, 0.35),
    ("maintenance_flotte", "Maintenance préventive d'une flotte", 0.25, 0.25),
    ("relation_usagers", "Relation avec les usagers", 0.15, 0.35),
    ("organisation", "Organisation et autonomie sur plusieurs sites", 0.15, 0.15),
    ("motivation", "Motivation pour le poste et le projet", 0.10, 0.10),
]
#: the weight the directors consider for the user-relations criterion (drawn), and how each mark moves
VARIANT_WEIGHTS, MARK_STEPS = (0.25, 0.30, 0.35, 0.40), (-2, -1, 0, 1, 2)
#: scores closer than this are a tie: the case has none (ranks are whole numbers, one candidate leads), in
#: the weighted scores nor in the plain means of the marks (a classic slip, whose ranks are graded too)
LEAD = 0.01
CANDIDATES = [
    # anonymised id, sourcing channel, marks (1 to 5) in the order of CRITERIA
    ("CAND-01", "France Travail", (3, 3, 4, 4, 3)),
    ("CAND-02", "Cooptation", (4, 3, 2, 3, 2)),
    ("CAND-03", "Site emploi", (5, 4, 2, 3, 4)),
    ("CAND-04", "Salon de l'alternance", (2, 3, 5, 4, 4)),
    ("CAND-05", "Réseau des écoles", (4, 3, 5, 3, 4)),
    ("CAND-06", "Candidature spontanée", (3, 4, 3, 5, 3)),
]


def milestones() -> pd.DataFrame:
    rows = [
        ("Notification du marché", "2026-02-02"),
        ("Réunion de lancement", START),
        ("Point d'avancement", STATUS),
        ("Fin prévue de la phase de déploiement", END),
        ("Fin du contrat de maintenance", "2029-05-31"),
    ]
    return pd.DataFrame(rows, columns=["jalon", "date"])


def hypotheses(rng: np.random.Generator) -> pd.DataFrame:
    """The affaire's parameters: the hourly cost, the training budget and the contract's amount vary with the
    case; the thresholds and conventions do not (the grading's messages quote them)."""
    rows = [
        ("duree_hebdo_temps_plein", FULL_TIME_HOURS, "heures", "durée hebdomadaire d'un temps plein"),
        ("semaines_phase", PHASE_WEEKS, "semaines", "phase de déploiement du 2 mars au 22 mai 2026"),
        ("seuil_surcharge", 1.0, "taux", "une personne est surchargée au-delà de 100 % de sa capacité"),
        ("seuil_alerte_ecart", 0.10, "taux", "seuil d'alerte d'un écart, en part du budget de la tâche"),
        ("seuil_baisse_ambiance", -0.8, "points", "baisse de l'ambiance qui déclenche une vigilance"),
        ("seuil_information", 3.0, "points", "score d'information minimal la dernière semaine"),
        ("niveau_maitrise", 3, "niveau", "niveau à partir duquel une compétence est maîtrisée"),
        ("cout_horaire_charge_eur", step_draw(rng, 28, 36, 1), "euros", "coût horaire moyen chargé d'un salarié en formation"),
        ("budget_formation_eur", step_draw(rng, 12_000, 16_000, 500), "euros", "budget formation alloué à l'affaire"),
        ("montant_marche_ht_eur", step_draw(rng, 1_080_000, 1_160_000, 10_000), "euros",
         "montant du marché (fourniture et maintenance 3 ans)"),
    ]
    return pd.DataFrame(rows, columns=["parametre", "valeur", "unite", "commentaire"])


def team(rng: np.random.Generator) -> pd.DataFrame:
    """The team sheet: each person's share of the affaire and planned absences are the case's own."""
    rows = []
    for person in TEAM:
        pid, share, absences = person[0], person[7], person[8]
        if pid not in FIXED_PERSONS:
            share = round(float(np.clip(share + rng.choice(SHARE_STEPS), 0.1, 1.0)), 2)
            absences = int(max(0, absences + rng.choice(ABSENCE_STEPS))) if pid.startswith("P") else absences
        rows.append((*person[:7], share, absences, *person[9:]))
    return pd.DataFrame(rows, columns=[
        "personne_id", "prenom", "nom", "poste", "structure", "statut", "quotite", "part_affaire",
        "absences_prevues_h", "teletravail_jours_semaine", "manutention_en_binome", "amenagement_poste",
    ])


def overloads(team_sheet: pd.DataFrame, tasks: pd.DataFrame) -> pd.Series:
    """Each person's planned hours over their capacity on the affaire (the statement's convention)."""
    people = team_sheet.set_index("personne_id")
    capacity = (FULL_TIME_HOURS * people["quotite"] * PHASE_WEEKS - people["absences_prevues_h"]) * people["part_affaire"]
    return tasks.groupby("personne_id")["heures_prevues"].sum() / capacity


def staffing(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The team sheet and the planned workload, drawn again until the case has the situations notebook 1 asks
    about: at least OVERLOADED people overloaded, every part-timer below capacity."""
    while True:
        team_sheet, tasks = team(rng), workload(rng)
        rates = overloads(team_sheet, tasks)
        part_timers = team_sheet.loc[team_sheet["quotite"] < 1, "personne_id"]
        if (rates > 1).sum() >= OVERLOADED and (rates.reindex(part_timers) < 1).all():
            return team_sheet, tasks


def workload(rng: np.random.Generator) -> pd.DataFrame:
    assigned = {tid: str(rng.choice(people)) for tid, people in REASSIGNABLE.items()}
    if PAIRED not in assigned.values():
        assigned[KEPT] = PAIRED
    rows = [(tid, lot, task, assigned.get(tid, who), int(round(hours * rng.normal(1, HOURS_SPREAD))), heavy)
            for tid, lot, task, who, hours, heavy in TASKS]
    return pd.DataFrame(rows, columns=["tache_id", "lot", "tache", "personne_id", "heures_prevues", "manutention_lourde"])


def progress(rng: np.random.Generator) -> pd.DataFrame:
    status = pd.Timestamp(STATUS)
    rows, affaire = [], rng.choice(AFFAIRE_PACE_STEPS)
    for wid, name, owner, budget, start, end, pace, overrun in WORK_PACKAGES:
        if wid in SETTLED:
            paces, overruns = SETTLED[wid]
            pace, overrun = pace + rng.choice(paces), overrun + rng.choice(overruns)
        else:
            pace, overrun = max(0.3, pace + affaire + rng.choice(PACE_STEPS)), overrun + rng.choice(OVERRUN_STEPS)
        start_, end_ = pd.Timestamp(start), pd.Timestamp(end)
        planned = float(np.clip((status - start_).days / (end_ - start_).days, 0, 1))
        planned = round(planned, 2)
        actual = round(min(1.0, planned * pace * rng.normal(1, 0.03)) * 20) / 20  # reported by steps of 5 %
        budget_ = float(round(budget * rng.normal(1, 0.02), -2))
        cost = float(round(actual * budget_ * overrun * rng.normal(1, 0.01), -1))
        rows.append((wid, name, owner, budget_, start, end, planned, actual, cost))
    return pd.DataFrame(rows, columns=[
        "tache_id", "tache", "responsable", "budget_eur", "debut_prevu", "fin_prevue",
        "avancement_prevu", "avancement_reel", "cout_reel_eur",
    ])


def group_signals(rng: np.random.Generator) -> dict[str, tuple[float, float, float, int]]:
    """Each collective's (first ambiance, last ambiance, last information score, responses) in this case."""
    found = {}
    for group, (first, last, information, answers) in GROUPS.items():
        if group not in CONFLICT_GROUPS:
            fall = rng.random() < SIGNAL_CHANCE
            last = round(first - rng.uniform(*(FALL if fall else STEADY)), 1)
            information = round(rng.uniform(*(GAP if rng.random() < SIGNAL_CHANCE else INFORMED)), 1)
        found[group] = (first, last, information, answers)
    return found


def pulse_survey(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for group, (first, last, information, answers) in group_signals(rng).items():
        for k, week in enumerate(WEEKS):
            share = k / (len(WEEKS) - 1)
            ambiance = first + (last - first) * share ** 1.5
            info = 3.7 + (information - 3.7) * share
            charge = 3.8 - 0.9 * share if group == "Atelier montage" else 3.6 + rng.normal(0, 0.15)
            noise = 0 if k in (0, len(WEEKS) - 1) else rng.normal(0, 0.1)
            rows.append((week, group, answers, round(ambiance + noise, 1), round(info + (0 if k == len(WEEKS) - 1
                         else rng.normal(0, 0.1)), 1), round(float(charge), 1)))
    frame = pd.DataFrame(rows, columns=["semaine", "collectif", "nb_reponses", "score_ambiance",
                                        "score_information", "score_charge_soutenable"])
    # the first and last weeks carry a small random shift too, so each seed gives a variant
    frame.loc[frame["semaine"] == WEEKS[0], "score_ambiance"] += rng.choice([-0.1, 0.0, 0.1], len(GROUPS))
    frame["score_ambiance"] = frame["score_ambiance"].round(1)
    return frame.sort_values(["semaine", "collectif"], kind="stable").reset_index(drop=True)


def competency_map(rng: np.random.Generator) -> pd.DataFrame:
    """Required and current levels; the skills nobody masters are drawn, every other skill has a master."""
    names = {p[0]: p[1] for p in TEAM}
    gaps = set(UNMASTERED) | {int(k) for k in rng.choice(OTHER_GAPS, int(rng.integers(1, 3)), replace=False)}
    current, requirements = {}, {}
    for person, grid in REQUIRED.items():
        requirements[person] = required = [int(np.clip(level + rng.choice(REQUIRED_STEPS), 1, 4)) for level in grid]
        experience = rng.choice(EXPERIENCE_STEPS)
        for k, level in enumerate(required):
            if (person, k) in FIXED_CURRENT:
                level_now = FIXED_CURRENT[(person, k)]
            else:
                level_now = int(np.clip(level + experience + rng.choice([-2, -1, 0, 0, 1], p=[0.1, 0.3, 0.3, 0.15, 0.15]),
                                        1, 4))
            current[person, k] = min(level_now, 2) if k in gaps else level_now
    for k in set(range(len(SKILLS))) - gaps:
        if max(current[person, k] for person in REQUIRED) < 3:  # the one who needs it most masters it
            expert = max(REQUIRED, key=lambda person: requirements[person][k])
            current[expert, k] = 3
    rows = [(person, names[person], skill, family, required[k], current[person, k])
            for person, required in requirements.items() for k, (skill, family) in enumerate(SKILLS)]
    return pd.DataFrame(rows, columns=["personne_id", "prenom", "competence", "famille", "niveau_requis", "niveau_actuel"])


def training_catalogue(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, name, provider, hours, tuition, expenses, opco in TRAININGS:
        rows.append((SKILLS[k][0], name, provider, hours, float(round(tuition * rng.normal(1, 0.03), -1)),
                     float(expenses), float(opco)))
    return pd.DataFrame(rows, columns=[
        "competence", "formation", "organisme", "duree_h", "cout_pedagogique_ht_eur", "frais_annexes_eur",
        "prise_en_charge_opco_eur",
    ])


def recruitment_grid(rng: np.random.Generator) -> pd.DataFrame:
    variant = float(rng.choice(VARIANT_WEIGHTS))
    rows = [(column, label, weight, variant if column == "relation_usagers" else other)
            for column, label, weight, other in CRITERIA]
    return pd.DataFrame(rows, columns=["critere", "libelle", "poids", "poids_variante"])


def _apart(scores: np.ndarray, leader_only: bool = False) -> bool:
    """No tie among `scores` (or for the first place only)."""
    ordered = np.sort(scores)
    gaps = ordered[-1:] - ordered[-2:-1] if leader_only else np.diff(ordered)
    return bool((gaps >= LEAD).all())


def candidates(rng: np.random.Generator, grid: pd.DataFrame) -> pd.DataFrame:
    """The candidates' marks: each moved from the marks above, redrawn until no tie decides a rank or a leader
    and the variant of the weights puts another candidate first (notebook 5 asks about that change)."""
    base = np.array([marks for _, _, marks in CANDIDATES])
    weights, variant = (grid[column].to_numpy(float) for column in ("poids", "poids_variante"))
    while True:
        marks = np.clip(base + rng.choice(MARK_STEPS, base.shape), 1, 5)
        initial, changed = marks @ (weights / weights.sum()), marks @ (variant / variant.sum())
        if (_apart(initial) and _apart(marks.mean(axis=1)) and _apart(changed, leader_only=True)
                and initial.argmax() != changed.argmax()):  # the directors' variant changes the leader
            break
    rows = [(cid, channel, *(int(m) for m in row)) for (cid, channel, _), row in zip(CANDIDATES, marks)]
    return pd.DataFrame(rows, columns=["candidat_id", "canal", *[c[0] for c in CRITERIA]])


def generate(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    grid = recruitment_grid(rng)
    team_sheet, tasks = staffing(rng)
    return {
        "jalons_affaire.csv": milestones(),
        "hypotheses_affaire.csv": hypotheses(rng),
        "equipe_affaire.csv": team_sheet,
        "charge_affaire.csv": tasks,
        "suivi_avancement.csv": progress(rng),
        "barometre_equipe.csv": pulse_survey(rng),
        "cartographie_competences.csv": competency_map(rng),
        "catalogue_formations.csv": training_catalogue(rng),
        "grille_recrutement.csv": grid,
        "candidats.csv": candidates(rng, grid),
    }


#: notebook 4's worked example: this many trainees of the training of this skill
EXAMPLE_TRAINEES = 3
EXAMPLE_SKILL = SKILLS[2][0]


def statement_parameters(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Numbers the statements quote from the files: notebook 1's count of tasks, notebook 4's worked
    example of a training's real cost (a catalogue line of the variant, at the case's hourly cost: an
    illustration, not an answer) and the weight of the user-relations criterion that notebook 5's
    variant changes."""
    from mda_checks.assign.statements import format_number, format_parameter

    hourly = float(frames["hypotheses_affaire.csv"].set_index("parametre")["valeur"]["cout_horaire_charge_eur"])
    line = frames["catalogue_formations.csv"].set_index("competence").loc[EXAMPLE_SKILL]
    tuition, expenses, funding = (float(line[c]) for c in ("cout_pedagogique_ht_eur", "frais_annexes_eur",
                                                           "prise_en_charge_opco_eur"))
    hours = float(line["duree_h"])
    per_trainee = tuition + expenses - funding + hours * hourly
    criteria = frames["grille_recrutement.csv"].set_index("critere")
    return {
        "nb_taches": format_number(len(frames["charge_affaire.csv"])),
        "exemple_formation": str(line["formation"]),
        "exemple_stagiaires": format_number(EXAMPLE_TRAINEES),
        "exemple_cout_pedagogique": format_parameter(tuition, "euros"),
        "exemple_frais_annexes": format_parameter(expenses, "euros"),
        "exemple_prise_en_charge_opco": format_parameter(funding, "euros"),
        "exemple_duree": format_parameter(hours, "heures"),
        "exemple_calcul": f"({format_number(tuition)} + {format_number(expenses)} − {format_number(funding)} + "
                          f"{format_number(hours)} × {format_number(hourly)})",
        "exemple_cout_stagiaire": format_parameter(per_trainee, "euros"),
        "exemple_cout_total": format_parameter(per_trainee * EXAMPLE_TRAINEES, "euros"),
        "poids_relation_usagers": format_number(float(criteria.loc["relation_usagers", "poids"])),
        "poids_variante_relation_usagers": format_number(float(criteria.loc["relation_usagers", "poids_variante"])),
    }
