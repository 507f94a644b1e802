"""Single-value answers: amounts, rates, ratios, quantities, durations, dates, choices."""
from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import unicodedata
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mda_apprenant.check.base import Answer, InvalidAnswer, not_answered
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.formatting import format_day, format_euros, format_number, format_rate
from mda_apprenant.check.result import CheckResult, Status
from mda_apprenant.bareme import PERCENT_LOOKING, TOLERANCES, Tolerance, is_whole, within
from mda_apprenant.config import ROUNDING_HINT_REL


class Opaque:
    """An object the learner's kernel could only describe by its type name (a module, a function …)."""

    def __init__(self, type_name: str):
        self.type_name = "".join(ch for ch in str(type_name)[:60] if ch.isalnum() or ch in "_.") or "inconnu"

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def describe_type(value: Any) -> str:
    """The learner-facing name of a Python object's type."""
    if isinstance(value, Opaque):
        return f"un objet de type {value.type_name}"
    if isinstance(value, str):
        return "un texte (str)"
    if isinstance(value, pd.DataFrame):
        return "un tableau (DataFrame)"
    if isinstance(value, pd.Series):
        return "une colonne (Series)"
    if isinstance(value, (list, tuple, set)):
        return f"une collection ({type(value).__name__})"
    if value is None:
        return "None (aucune valeur)"
    return f"un objet de type {type(value).__name__}"


#: where an infinite value comes from (scalars and tables say it alike)
INFINITE_HINT = "Vérifiez les divisions : un dénominateur vaut 0."


def to_number(value: Any) -> float:
    """A finite float, or InvalidAnswer explaining what was given instead."""
    if value is Ellipsis:
        raise not_answered()
    if isinstance(value, bool):
        raise InvalidAnswer("La réponse est un booléen (True/False), pas un nombre.")
    if isinstance(value, numbers.Real):
        number = float(value)
    elif isinstance(value, (pd.Series, pd.DataFrame)) and value.size == 1:
        raise InvalidAnswer(
            f"La réponse est {describe_type(value)} d'une seule valeur, pas un nombre.",
            "Extrayez le nombre, par exemple avec .iloc[0] ou .item().",
        )
    elif isinstance(value, str):
        raise InvalidAnswer(
            f"La réponse est un texte (« {value[:40]} »), pas un nombre.",
            "Calculez la valeur avec Python plutôt que de la saisir entre guillemets.",
        )
    else:
        raise InvalidAnswer(f"La réponse est {describe_type(value)}, pas un nombre.")
    if math.isnan(number):
        raise InvalidAnswer(
            "La réponse vaut NaN : une valeur non numérique (valeur manquante).",
            "Une colonne vide, un filtre qui ne garde aucune ligne ou une division 0/0 produisent NaN.",
        )
    if math.isinf(number):
        raise InvalidAnswer(f"La réponse est une valeur infinie ({'-inf' if number < 0 else 'inf'}).",
                            INFINITE_HINT)
    return number


class Scalar(Answer):
    """A number compared with a tolerance; known mistakes earn a message and their credit."""

    kind: ClassVar[str] = "ratio"
    unit: str = ""  # a class default; Quantity and Duration set it per answer

    def coerce(self) -> float:
        return to_number(self.value)

    def show(self, value: float) -> str:
        return f"{format_number(value)}{(' ' + self.unit) if self.unit else ''}"

    def preview(self, value: float) -> str:
        return f"Votre réponse : {self.show(value)}."

    def generic_mistakes(self, expected: float) -> list[Mistake]:
        if expected == 0:
            return []
        return [Mistake(-expected, "le signe est inversé (convention : écart = réel − prévu).", "signe")]

    def compare(self, value: float, expected: Expected, points: float) -> CheckResult:
        tolerance = expected.tolerance or TOLERANCES[self.kind]
        target = float(expected.value)
        shown = f"Votre réponse : {self.show(value)}."
        if tolerance.accepts(value, target):
            return self.result(Status.CORRECT, f"{shown} C'est juste.", points, points)
        # a mistake is recognised at the question's precision; an unrounded count, at float noise
        recognise = Tolerance(abs=0) if tolerance.integer else tolerance
        for mistake in (*expected.mistakes, *self.generic_mistakes(target)):
            if recognise.accepts(value, float(mistake.value)):
                return self.mistaken(shown, mistake, points)
        if tolerance.integer and not is_whole(value) and target in (math.floor(value), math.ceil(value)):
            return self.mistaken(shown, Mistake(value, "le résultat n'est pas un nombre entier : arrondissez-le "
                                                       "selon la règle de la question.", "arrondi"), points)
        if target != 0 and within(value, target, ROUNDING_HINT_REL * abs(target)):
            return self.result(
                Status.WRONG,
                f"{shown} La valeur est proche mais hors tolérance ({tolerance.describe()}).",
                0.0,
                points,
                "N'arrondissez pas les résultats intermédiaires ; arrondissez seulement l'affichage.",
            )
        return self.result(Status.WRONG, f"{shown} Ce n'est pas le résultat attendu.", 0.0, points, expected.hint)


class Amount(Scalar):
    """An amount in euros (HT unless the question says otherwise)."""

    expects = "un montant en euros (nombre)"
    kind = "amount"

    def show(self, value: float) -> str:
        return format_euros(value)


class Rate(Scalar):
    """A rate written as a decimal: 0.25 for 25 %."""

    expects = "un taux en décimal, par exemple 0.25 pour 25 %"
    kind = "rate"

    def show(self, value: float) -> str:
        return format_rate(value)

    def advise(self, value: float) -> str | None:
        if abs(value) > PERCENT_LOOKING:
            return "Ce taux dépasse 150 % : s'il s'agit d'un pourcentage, écrivez-le en décimal (0.25 pour 25 %)."
        return None

    def generic_mistakes(self, expected: float) -> list[Mistake]:
        percent = Mistake(
            expected * 100,
            "le taux est exprimé en pourcentage ; il est attendu en décimal (0.25 pour 25 %).",
            "pourcentage",
        )
        return [percent, *super().generic_mistakes(expected)]


class Ratio(Scalar):
    """A plain ratio or index without unit (LTV/CAC, levier opérationnel …)."""

    expects = "un nombre (ratio sans unité)"
    kind = "ratio"


class Quantity(Scalar):
    """A count or a number of units (clients, vélos, leads …)."""

    expects = "un nombre d'unités"
    kind = "quantity"

    def __init__(self, label: str, value: Any, unit: str = "unités"):
        super().__init__(label, value)
        self.unit = unit
        self.expects = f"un nombre de {unit}"

    def advise(self, value: float) -> str | None:
        if not is_whole(value):
            return "Ce nombre n'est pas entier : arrondissez-le selon la règle de la question (math.ceil, round…)."
        return None


class Duration(Scalar):
    """A duration in days, months or years, as the question states."""

    kind = "duration"

    def __init__(self, label: str, value: Any, unit: str = "jours"):
        super().__init__(label, value)
        self.unit = unit
        self.expects = f"une durée en {unit} (nombre)"


def to_date(value: Any) -> dt.date:
    if value is Ellipsis:
        raise not_answered()
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is pd.NaT:
        raise InvalidAnswer("La date vaut NaT (date manquante).",
                            "Une date manquante vient souvent d'un filtre vide ou d'une conversion ratée (pd.to_datetime).")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise InvalidAnswer(
                f"Le texte « {value[:30]} » n'est pas une date au format AAAA-MM-JJ.",
                "Utilisez pd.Timestamp(...) ou une chaîne comme '2025-08-23'.",
            ) from None
    raise InvalidAnswer(f"La réponse est {describe_type(value)}, pas une date.")


class DateValue(Answer):
    """A calendar date, accepted within ±1 day (the day-count convention is stated)."""

    expects = "une date (pd.Timestamp, datetime.date ou 'AAAA-MM-JJ')"

    def coerce(self) -> dt.date:
        return to_date(self.value)

    def preview(self, value: dt.date) -> str:
        return f"Votre réponse : {format_day(value)}."

    def compare(self, value: dt.date, expected: Expected, points: float) -> CheckResult:
        tolerance = expected.tolerance or TOLERANCES["date"]
        shown = f"Votre réponse : {format_day(value)}."

        def close(other: Any) -> bool:
            return abs((value - to_date(other)).days) <= tolerance.abs

        if close(expected.value):
            return self.result(Status.CORRECT, f"{shown} C'est juste.", points, points)
        for mistake in expected.mistakes:
            if close(mistake.value):
                return self.mistaken(shown, mistake, points)
        return self.result(Status.WRONG, f"{shown} Ce n'est pas la date attendue.", 0.0, points, expected.hint)


#: letters that Unicode does not decompose into a base letter and an accent
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def normalise_text(value: Any) -> str:
    """Compare labels without case, accents, ligatures or surrounding spaces; 2024.0 reads as 2024."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        value = int(value)  # type: ignore[call-overload]  # a Real has __int__ at run time
    return _normalised(str(value))


@functools.lru_cache(maxsize=65_536)
def _normalised(text: str) -> str:
    """The text part of normalise_text, cached: a table compares the same labels many times."""
    text = unicodedata.normalize("NFKD", text.strip().casefold().translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class Choice(Answer):
    """One option among several (a segment, a channel, a competitor …)."""

    def __init__(self, label: str, value: Any, options: list[str] | None = None):
        super().__init__(label, value)
        self.options = list(options) if options is not None else None
        self.expects = "un texte" + (f" parmi : {', '.join(self.options)}" if self.options else "")

    def coerce(self) -> str:
        if self.value is Ellipsis:
            raise not_answered()
        if not isinstance(self.value, str):
            raise InvalidAnswer(f"La réponse est {describe_type(self.value)}, pas un texte.", f"Attendu : {self.expects}.")
        if self.options is not None:
            known = {normalise_text(o): o for o in self.options}
            if normalise_text(self.value) not in known:
                raise InvalidAnswer(f"« {self.value} » ne fait pas partie des choix possibles.", f"Attendu : {self.expects}.")
            return known[normalise_text(self.value)]
        return self.value.strip()

    def preview(self, value: str) -> str:
        return f"Votre réponse : « {value} »."

    def compare(self, value: str, expected: Expected, points: float) -> CheckResult:
        shown = f"Votre réponse : « {value} »."
        if normalise_text(value) == normalise_text(expected.value):
            return self.result(Status.CORRECT, f"{shown} C'est juste.", points, points)
        for mistake in expected.mistakes:
            if normalise_text(value) == normalise_text(mistake.value):
                return self.mistaken(shown, mistake, points)
        return self.result(Status.WRONG, f"{shown} Ce n'est pas le choix attendu.", 0.0, points, expected.hint)


__all__ = ["Amount", "Choice", "DateValue", "Duration", "Quantity", "Rate", "Ratio", "Scalar", "Tolerance"]
