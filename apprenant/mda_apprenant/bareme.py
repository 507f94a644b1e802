"""The barème, written once: how close an answer must be, and what a recognised slip keeps.

The check kinds apply it, the grader-only reference names each classic mistake by its
slip here (never by a credit of its own), and the « Barème » block of every notebook is
generated from it (``mda bareme``), so the rule a learner reads is the rule applied.

It is public: the learner's kernel imports it with the answer kinds, and it holds no
expected value.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

#: binary rounding of a computation (100.01 - 100.0 is 0.010000000000005): absolute, then relative
FLOAT_NOISE_ABS = 1e-9
FLOAT_NOISE_REL = 1e-12


def within(value: float, expected: float, margin: float) -> bool:
    """|value − expected| ≤ margin, float noise aside. A non-finite number (inf, −inf, NaN), given or
    expected, is never within any margin: the noise grows with the size of the values, and
    inf − x ≤ inf would accept an infinite answer for every expected amount."""
    if not (math.isfinite(value) and math.isfinite(expected)):
        return False
    noise = FLOAT_NOISE_ABS + FLOAT_NOISE_REL * max(abs(value), abs(expected))
    return abs(value - expected) <= margin + noise


@dataclass(frozen=True)
class Tolerance:
    """A value is accepted when |value − expected| ≤ ``abs``, float noise aside (``within``:
    never for a non-finite value).

    ``integer``: the answer must be a whole number (counts, ranks, levels) equal to the
    expected one; a fractional value is never accepted, however close.
    """

    abs: float
    integer: bool = False

    def accepts(self, value: float, expected: float) -> bool:
        if self.integer and not is_whole(value):
            return False
        return within(value, expected, self.abs)

    def describe(self) -> str:
        return "nombre entier exact" if self.integer else f"±{self.abs:g}".replace(".", ",")


def is_whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) <= FLOAT_NOISE_ABS + FLOAT_NOISE_REL * abs(value)


#: How close an answer of each kind must be (the « Conventions communes » of every notebook).
TOLERANCES = {
    "amount": Tolerance(abs=0.01),              # euros, to the cent
    "rate": Tolerance(abs=1e-4),                # decimals: 0.0001 = 0.01 percentage point
    "ratio": Tolerance(abs=1e-3),               # plain ratios, indices and scores
    "quantity": Tolerance(abs=0, integer=True),  # counts, ranks, levels: whole numbers
    "duration": Tolerance(abs=0.01),            # days, hours or minutes, to the hundredth
    "date": Tolerance(abs=1),                   # calendar dates, ±1 day
    "exact_date": Tolerance(abs=0),             # dates whose rule moves them by one day (week-ends)
}

#: How each tolerance is stated to learners (same keys as TOLERANCES).
TOLERANCE_TEXT = {
    "amount": ("Montants", "en euros **HT** sauf mention contraire ; au centime près"),
    "rate": ("Taux", "en **décimal** (0.25 pour 25 %) ; à 0,0001 près"),
    "ratio": ("Ratios, indices et scores", "à 0,001 près"),
    "quantity": ("Quantités, rangs et niveaux", "**nombre entier** exact (arrondi selon la règle de la question)"),
    "duration": ("Durées", "en jours, heures ou minutes selon la question ; au centième près"),
    "date": ("Dates", "à ± 1 jour (au jour près quand la question fixe une règle de report)"),
}


class Family(str, Enum):
    CONVENTION = "convention"
    METHOD = "méthode"


@dataclass(frozen=True)
class SlipKind:
    """A kind of classic mistake: a convention of the notebook not applied, or a wrong method."""

    key: str
    family: Family
    credit: float
    #: French, completes « Erreurs de convention reconnues : … »
    title: str


#: Share of the points kept by a convention slip (a rule of the conventions table not applied).
CONVENTION_CREDIT = 0.5

_SLIPS = (
    SlipKind("pourcentage", Family.CONVENTION, CONVENTION_CREDIT, "un pourcentage au lieu d'un décimal"),
    SlipKind("ht_ttc", Family.CONVENTION, CONVENTION_CREDIT, "TTC au lieu de HT (ou l'inverse)"),
    SlipKind("decompte", Family.CONVENTION, CONVENTION_CREDIT,
             "le décompte des jours ou des périodes (360 ou 365 jours, jours ouvrés, nombre d'évolutions)"),
    SlipKind("signe", Family.CONVENTION, CONVENTION_CREDIT, "le signe ou le sens d'un écart (écart = réel − prévu)"),
    SlipKind("base_taux", Family.CONVENTION, CONVENTION_CREDIT,
             "la base d'un taux ou d'une pondération (début ou fin de période, prix ou coût)"),
    SlipKind("arrondi", Family.CONVENTION, CONVENTION_CREDIT, "la règle d'arrondi (entier supérieur ou inférieur)"),
    SlipKind("sens_classement", Family.CONVENTION, CONVENTION_CREDIT,
             "le sens d'un classement ou d'une échelle (rang 1 = meilleur)"),
    SlipKind("net_brut", Family.CONVENTION, CONVENTION_CREDIT,
             "un montant, un coût ou une capacité bruts au lieu de nets, ou l'inverse (déductions, coût complet)"),
    SlipKind("bornes", Family.CONVENTION, CONVENTION_CREDIT, "un seuil inclus ou exclu à tort (≥ ou >)"),
    SlipKind("date_reference", Family.CONVENTION, CONVENTION_CREDIT, "la date de référence du calcul"),
    SlipKind("prevision", Family.CONVENTION, CONVENTION_CREDIT, "l'hypothèse de prévision fixée par le carnet"),
    SlipKind("preparation", Family.METHOD, 0.5,
             "des données non préparées comme demandé (doublons), le calcul étant juste par ailleurs"),
    SlipKind("methode", Family.METHOD, 0.0, "une méthode ou une formule fausse"),
    SlipKind("perimetre", Family.METHOD, 0.0, "un mauvais périmètre (lignes, population ou période)"),
)

#: The catalogue of slips, by key: a reference's ``Mistake`` names one of them.
SLIPS: dict[str, SlipKind] = {slip.key: slip for slip in _SLIPS}


def slip(key: str) -> SlipKind:
    try:
        return SLIPS[key]
    except KeyError:
        raise ValueError(f"unknown slip {key!r}: the barème knows {', '.join(SLIPS)}") from None


#: A rate above this (150 %) most likely is a percentage: the learner's self-check warns.
PERCENT_LOOKING = 1.5

#: Share of right values under which a recognised mistake is not named for a table (too far from it).
TABLE_MISTAKE_MIN_SHARE = 0.8


def _points_text(credit: float) -> str:
    return "la moitié des points" if credit == 0.5 else f"{credit:.0%} des points".replace("%", " %")


def bareme_markdown(conventions_used: Iterable[str] = (), carried: Iterable[str] = ()) -> str:
    """The « Barème » block of a notebook: the common conventions and the rules of credit.

    ``conventions_used``: keys of the convention slips this notebook's checks recognise;
    ``carried``: labels of the questions graded from the learner's earlier results.
    """
    rows = "\n".join(f"| {subject} | {text} |" for subject, text in TOLERANCE_TEXT.values())
    named = {slip(k).key for k in conventions_used}
    used = [s for s in _SLIPS if s.key in named and s.family is Family.CONVENTION]  # in the catalogue's order
    partial_methods = [s for s in _SLIPS if s.family is Family.METHOD and s.credit > 0]
    lines = [
        "**Conventions communes à tous les carnets** (tolérances de la correction)",
        "",
        "| Forme de la réponse | Convention et tolérance |",
        "|---|---|",
        rows,
        "| Écarts | écart = réel − prévu |",
        "",
        "**Barème des réponses calculées** (le même dans tous les carnets)",
        "",
        "- Une réponse juste, dans la tolérance ci-dessus, rapporte tous les points de la question ; "
        "n'arrondissez pas en cours de calcul.",
        f"- **Erreur de convention** (une règle des tableaux de conventions non appliquée) : "
        f"{_points_text(CONVENTION_CREDIT)}, avec sa cause dans le message de correction."
        + (" Reconnues dans ce carnet : " + " ; ".join(s.title for s in used) + "." if used else ""),
        "- **Erreur de méthode** (une autre formule, un autre périmètre) : aucun point"
        + "".join(f", sauf {s.title} : {_points_text(s.credit)}" for s in partial_methods) + ".",
        "- **Tableau ou liste** : chaque valeur juste compte pour sa part ; une ligne ou un élément en trop "
        "compte comme une valeur fausse. Quand une erreur reconnue explique le tableau, vous obtenez le "
        "meilleur des deux : les points de cette erreur ou la part de vos valeurs justes.",
        "- **Erreur reportée** : une question qui réutilise un de vos résultats précédents est corrigée "
        "à partir de votre résultat (la valeur que sa cellule de vérification a transmise) ; une erreur n'est comptée qu'une fois. "
        "Une réponse recalculée juste à partir des données est juste aussi."
        + (" Dans ce carnet : " + " ; ".join(f"« {label} »" for label in carried) + "." if carried else ""),
        "- Une réponse absente, d'une autre forme (un texte au lieu d'un nombre) ou qui ne peut pas être "
        "lue ne rapporte rien ; le message de vérification dit pourquoi.",
    ]
    return "\n".join(lines)


def catalogue_markdown() -> str:
    """The catalogue of slips as a Markdown table (the authors' guide quotes it; a test keeps it in sync)."""
    lines = ["| Clé (`Mistake(…, slip)`) | Famille | Part des points | Erreur reconnue |", "|---|---|---|---|"]
    for kind in _SLIPS:
        share = f"{kind.credit:g}".replace(".", ",")
        lines.append(f"| `{kind.key}` | {kind.family.value} | {share} | {kind.title} |")
    return "\n".join(lines)
