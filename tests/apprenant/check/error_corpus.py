"""The 15 commonest beginner errors in pandas and matplotlib, each with the French words it must get.

Each entry is an answer cell a learner could write in the workbooks (on the small case of SETUP),
the phrase its explanation must contain, and the phrase of its hint. The answer cell assigns
``rN`` after (or on) the failing line, as a workbook's answer cell does.
"""
from __future__ import annotations

from dataclasses import dataclass

SETUP = '''import pandas as pd
import matplotlib.pyplot as plt
from mda_apprenant import Amount
marche = pd.DataFrame({"annee": [2021, 2022, 2025], "segment": ["Urbain", "VTC", "Urbain"],
                       "ca_meur": [10.0, 12.0, 15.0]})
marche_propre = marche.drop_duplicates()
ca_par_annee = marche_propre.groupby("annee")["ca_meur"].sum()
nb_clients = 0
'''
#: a data file beside the notebook, for the « file not found » error
DATA_FILE = "data/marche_vae.csv"


@dataclass(frozen=True)
class BeginnerError:
    name: str
    answer: str      # the answer cell (it assigns `variable`)
    variable: str
    summary: str     # must appear in the French explanation (and so in every check's message)
    hint: str        # must appear in its hint
    line: int        # the failing line of the cell


CORPUS = [
    BeginnerError("nom mal orthographié", 'r1 = marche_propr["ca_meur"].sum()', "r1",
                  "le nom « marche_propr » n'existe pas", "Vouliez-vous dire « marche_propre » ?", 1),
    BeginnerError("colonne inexistante", 'r2 = marche["ca_vae_2025"].sum()', "r2",
                  "la colonne « ca_vae_2025 » n'existe pas dans le tableau",
                  "Colonnes disponibles : « annee », « segment », « ca_meur »", 1),
    BeginnerError("étiquette absente de l'index", "r3 = ...\nr3 = ca_par_annee[2025] / ca_par_annee[2012] - 1", "r3",
                  "l'étiquette 2012 n'est celle d'aucune valeur de la série",
                  "Étiquettes disponibles : « 2021 », « 2022 », « 2025 »", 2),
    BeginnerError("position hors du tableau", 'r4 = marche.iloc[10]["ca_meur"]', "r4",
                  "position hors du tableau : il a 3 ligne(s)", ".iloc[…] lit par position", 1),
    BeginnerError("méthode mal orthographiée", 'r5 = marche.groupBy("segment")["ca_meur"].sum()', "r5",
                  "un tableau (DataFrame) n'a ni attribut ni colonne « groupBy »", "Vouliez-vous dire « groupby » ?", 1),
    BeginnerError("calcul sur un texte", 'r6 = marche["segment"].iloc[0] / 2', "r6",
                  "l'opération « / » est impossible entre un texte (str) et un nombre entier (int)",
                  "convertissez-la en nombre", 1),
    BeginnerError("texte + nombre", 'r7 = "CA : " + 15', "r7",
                  "un texte ne s'additionne qu'à un texte, pas à un nombre entier (int)", "str(valeur)", 1),
    BeginnerError("parenthèses au lieu de crochets", 'r8 = marche("ca_meur").sum()', "r8",
                  "un tableau (DataFrame) n'est pas une fonction", "Les crochets lisent une colonne", 1),
    BeginnerError("and entre deux conditions", 'r9 = marche[marche["ca_meur"] > 10 and marche["annee"] > 2021]', "r9",
                  "une condition sur une colonne entière ne s'écrit pas avec and, or, not ou if",
                  "avec &, | et ~", 1),
    BeginnerError("nombre écrit à la française", 'r10 = float("1 234,5")', "r10",
                  "le texte « 1 234,5 » n'est pas un nombre écrit à la façon de Python", 'decimal=","', 1),
    BeginnerError("division par zéro", "r11 = 150000 / nb_clients", "r11",
                  "division par zéro : le dénominateur vaut 0", "un filtre qui ne garde aucune ligne", 1),
    BeginnerError("fichier introuvable", 'r12 = pd.read_csv("data/marche.csv")', "r12",
                  "le fichier « data/marche.csv » est introuvable", "Vouliez-vous dire « data/marche_vae.csv » ?", 1),
    BeginnerError("parenthèse non fermée", "r13 = (ca_par_annee[2025] / ca_par_annee[2021]", "r13",
                  "erreur de syntaxe, la cellule n'a pas été exécutée : l'instruction est incomplète",
                  "Fermez chaque ( par )", 1),
    BeginnerError("graphique : longueurs différentes", "plt.plot(ca_par_annee.index, [1, 2])\nr14 = 1", "r14",
                  "les deux séries du graphique n'ont pas la même longueur (x : 3 valeurs, y : 2)",
                  "deux colonnes du même tableau", 1),
    BeginnerError("graphique : option inconnue", 'plt.plot(ca_par_annee.index, ca_par_annee, colour="red")\nr15 = 1',
                  "r15", "l'option « colour »", "Vouliez-vous dire « color » ?", 1),
]


def check_cell(error: BeginnerError) -> str:
    return f'# Vérification\nreponse = Amount("Réponse {error.variable}", {error.variable})\nreponse'


def expected_message(error: BeginnerError) -> str:
    """The start of what the check cell, « Vérifier mon carnet » and the grade all say."""
    return f"La cellule de réponse a levé une erreur : ligne {error.line}, {error.summary}"
