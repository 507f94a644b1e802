"""Answers made of several values: labelled tables and selections of items."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from mda_apprenant.check.base import Answer, InvalidAnswer, not_answered
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.result import CheckResult, Status
from mda_apprenant.check.scalars import INFINITE_HINT, describe_type, normalise_text
from mda_apprenant.bareme import PERCENT_LOOKING, TABLE_MISTAKE_MIN_SHARE, TOLERANCES, is_whole

#: how many wrong labels a message lists before saying « … »
SHOWN_LABELS = 6


def _label_list(labels: Iterable[Any]) -> str:
    labels = [str(x) for x in labels]
    shown = ", ".join(labels[:SHOWN_LABELS])
    return shown + (" …" if len(labels) > SHOWN_LABELS else "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def is_non_finite(value: Any) -> bool:
    """A number that is inf, −inf or NaN: never within a tolerance (``bareme.within``)."""
    return _is_number(value) and not math.isfinite(float(value))


def values_of(values: pd.Series | pd.Index) -> list[Any]:
    """The values of a column or an index, as iterating over it gives them.

    A text column (pandas' string dtype, the default for text read from a CSV file) iterates one
    value at a time through its array's ``__getitem__``; its values are read whole here, the same
    objects (each text, and the dtype's missing value), at a fraction of the cost."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.to_numpy(dtype=object).tolist()
    return list(values)


def rows_of(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rows of `frame` as tuples of its values: ``frame.itertuples(index=False, name=None)``, read by column
    (a frame without columns has one empty row per label, as there)."""
    if frame.shape[1] == 0:
        return [()] * len(frame)
    return list(zip(*(values_of(frame.iloc[:, k]) for k in range(frame.shape[1]))))


def non_finite_rows(frame: pd.DataFrame) -> list[Any]:
    """Labels of the rows that hold a non-finite number, in any column."""
    return [label for label, values in zip(values_of(frame.index), rows_of(frame))
            if any(is_non_finite(v) for v in values)]


def _original_labels(value: Any) -> dict[str, str]:
    """Normalised label -> label as written in the data, for messages."""
    index = value.keys() if isinstance(value, dict) else values_of(value.index)
    return {normalise_text(i): str(i) for i in index}


def to_frame(value: Any, columns: list[str] | None) -> pd.DataFrame:
    """A DataFrame indexed by normalised labels, or InvalidAnswer."""
    if value is Ellipsis:
        raise not_answered()
    if isinstance(value, dict):
        value = pd.Series(value)
    if isinstance(value, pd.DataFrame) and not columns:
        if value.shape[1] != 1:
            raise InvalidAnswer(
                "La réponse est un tableau à plusieurs colonnes ; une seule série de valeurs est attendue.",
                "Sélectionnez la colonne voulue, par exemple df['colonne'].",
            )
        value = value.iloc[:, 0]
    if isinstance(value, pd.Series):
        frame = value.to_frame(name=columns[0] if columns else "valeur")
    elif isinstance(value, pd.DataFrame):
        frame = value
    else:
        raise InvalidAnswer(
            f"La réponse est {describe_type(value)}, pas un tableau pandas.",
            "Attendu : une Series (une valeur par libellé) ou un DataFrame.",
        )
    if columns:
        missing = [c for c in columns if c not in frame.columns]
        if missing and frame.shape[1] == 1 and len(columns) == 1:
            frame = frame.set_axis(columns, axis=1)
        elif missing:
            raise InvalidAnswer(
                f"Colonne(s) manquante(s) : {', '.join(missing)}.",
                f"Colonnes présentes : {', '.join(map(str, frame.columns)) or 'aucune'}.",
            )
        frame = frame[columns]
    if frame.empty:
        raise InvalidAnswer("Le tableau est vide.", "Vérifiez vos filtres : aucune ligne n'a été conservée.")
    if frame.index.has_duplicates:
        raise InvalidAnswer(
            "Certains libellés apparaissent plusieurs fois dans l'index.",
            "Regroupez les lignes (groupby) pour obtenir une ligne par libellé.",
        )
    labels = [normalise_text(i) for i in values_of(frame.index)]
    if len(set(labels)) < len(labels):
        counts = Counter(labels)
        twins = sorted({str(i) for i, label in zip(frame.index, labels) if counts[label] > 1})
        raise InvalidAnswer(
            f"Des libellés ne diffèrent que par les majuscules, les accents ou des espaces : {', '.join(twins[:4])}.",
            "Harmonisez l'écriture des libellés (par exemple avec .str.strip()) puis regroupez les lignes.",
        )
    return frame.set_axis(labels, axis=0)


class Table(Answer):
    """Values by label (a Series, or a DataFrame with named columns), graded cell by cell.

    Partial credit is the share of right values, rows that should not be there counting
    as wrong ones; a recognised mistake keeps the better of its credit and that share.
    """

    def __init__(self, label: str, value: Any, unit: str = "ratio", columns: list[str] | None = None):
        super().__init__(label, value)
        self.unit = unit
        self.columns = list(columns) if columns else None
        what = f"un DataFrame avec les colonnes {', '.join(self.columns)}" if self.columns else "une Series"
        self.expects = f"{what}, indexé par libellé"

    def coerce(self) -> pd.DataFrame:
        frame = to_frame(self.value, self.columns)
        if frame.isna().any().any():  # NaN in numbers, None or NaN in texts
            raise InvalidAnswer(
                "Le tableau contient des valeurs manquantes ou non numériques (NaN ou None).",
                "Vérifiez les jointures, les filtres et les divisions par zéro.",
            )
        return frame

    def preview(self, frame: pd.DataFrame) -> str:
        return f"Votre tableau : {len(frame)} ligne(s) × {frame.shape[1]} colonne(s)."

    def _shown(self, labels: list[Any]) -> list[str]:
        """Labels as the learner wrote them (normalised ones otherwise), for messages."""
        if not isinstance(self.value, (dict, pd.Series, pd.DataFrame)):
            return [str(label) for label in labels]
        names = _original_labels(self.value)
        return [names.get(label, str(label)) for label in labels]

    def advise(self, frame: pd.DataFrame) -> str | None:
        infinite = non_finite_rows(frame)
        if infinite:
            return (f"Valeur infinie (inf) à la ligne ou aux lignes : {_label_list(self._shown(infinite))} ; "
                    f"elle sera comptée fausse. {INFINITE_HINT}")
        numbers = frame.select_dtypes(include="number").to_numpy(dtype=float).ravel()
        if self.unit == "rate" and (abs(numbers) > PERCENT_LOOKING).any():
            return ("Des taux dépassent 150 % : s'ils sont en pourcentage, écrivez-les en décimal "
                    "(0.25 pour 25 %).")
        if self.unit == "quantity" and not all(is_whole(float(n)) for n in numbers):
            return "Des nombres ne sont pas entiers : arrondissez-les selon la règle de la question."
        return None

    def generic_mistakes(self, target: pd.DataFrame) -> list[Mistake]:
        """Slips recognised in any table of this unit: rates written as percentages (as for a single Rate)."""
        if self.unit != "rate":
            return []
        numeric = target.select_dtypes(include="number")
        if numeric.empty or not numeric.to_numpy().any():
            return []
        percent = target.copy()
        percent[numeric.columns] = numeric * 100
        return [Mistake(percent, "les taux sont exprimés en pourcentage ; ils sont attendus en décimal "
                                 "(0.25 pour 25 %).", "pourcentage")]

    def _prepared(self, frame: pd.DataFrame) -> Any:
        """The learner's table as ``_matches`` reads it (by label, then column), prepared once per grading for the
        comparison with the right answer and with each listed slip."""
        columns = values_of(frame.columns)
        return {label: dict(zip(columns, values)) for label, values in zip(values_of(frame.index), rows_of(frame))}

    def _matches(self, prepared: Any, target: pd.DataFrame, tolerance) -> tuple[int, list[str]]:
        """Number of target cells matched, and the labels of rows with a wrong or missing cell."""
        given_rows: dict[Any, dict[Any, Any]] = prepared
        columns = values_of(target.columns)
        ok, wrong = 0, []
        for label, values in zip(values_of(target.index), rows_of(target)):
            row = given_rows.get(label)
            row_ok = row is not None
            for column, expected in zip(columns, values):
                if row is None or column not in row:
                    row_ok = False
                    continue
                given = row[column]
                if _is_number(expected) and _is_number(given):
                    good = tolerance.accepts(float(given), float(expected))
                else:
                    good = normalise_text(given) == normalise_text(expected)
                ok += good
                row_ok &= bool(good)
            if not row_ok:
                wrong.append(label)
        return ok, wrong

    def compare(self, frame: pd.DataFrame, expected: Expected, points: float) -> CheckResult:
        tolerance = expected.tolerance or TOLERANCES[self.unit]
        target = to_frame(expected.value, self.columns)
        total = target.size
        prepared = self._prepared(frame)
        ok, wrong = self._matches(prepared, target, tolerance)
        names = _original_labels(expected.value)
        wrong_shown = [names.get(w, w) for w in wrong]
        extra = [label for label in values_of(frame.index) if label not in target.index]
        if ok == total and not extra:
            return self.result(Status.CORRECT, f"Les {total} valeurs sont justes.", points, points)
        # a row that should not be there counts as wrong values (an unfiltered table is not right)
        share = ok / (total + len(extra) * target.shape[1])
        for mistake in (*expected.mistakes, *self.generic_mistakes(target)):
            mistaken_ok, _ = self._matches(prepared, to_frame(mistake.value, self.columns), tolerance)
            if mistaken_ok > ok and mistaken_ok >= TABLE_MISTAKE_MIN_SHARE * total:
                return self.mistaken("", mistake, points, share)
        parts = [f"{ok} valeur(s) juste(s) sur {total}."]
        if wrong:
            parts.append(f"À revoir : {_label_list(wrong_shown)}.")
        infinite = non_finite_rows(frame)
        if infinite:
            parts.append(f"Valeur(s) infinie(s), comptée(s) fausse(s) : {_label_list(self._shown(infinite))}.")
        if extra:
            parts.append(f"Ligne(s) en trop, comptées comme fausses : {_label_list(self._shown(extra))}.")
        status = Status.PARTIAL if share else Status.WRONG
        return self.result(status, " ".join(parts), points * share, points, expected.hint)


def to_label_set(value: Any, key: str | None) -> set[str]:
    if value is Ellipsis:
        raise not_answered()
    if isinstance(value, pd.DataFrame):
        if key and key in value.columns:
            value = value[key]
        elif key and value.index.name == key:
            value = value.index
        else:
            raise InvalidAnswer(
                "La réponse est un tableau (DataFrame) : indiquez seulement les identifiants.",
                f"Par exemple : df['{key or 'identifiant'}'].tolist().",
            )
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        raise InvalidAnswer(
            f"La réponse est {describe_type(value)}, pas une liste d'identifiants.",
            "Attendu : une liste, par exemple ['C001', 'C002'].",
        )
    labels = [normalise_text(v) for v in list(value)]
    if not labels:
        raise InvalidAnswer("La liste est vide.", "Vérifiez votre filtre : aucun élément n'a été retenu.")
    return set(labels)


class Selection(Answer):
    """A set of items (client ids, actions …): credit is the overlap |A∩E| / |A∪E|
    (or a recognised mistake's credit, when better)."""

    def __init__(self, label: str, value: Any, key: str | None = None):
        super().__init__(label, value)
        self.key = key
        self.expects = "une liste d'identifiants" + (f" ({key})" if key else "")

    def coerce(self) -> set[str]:
        return to_label_set(self.value, self.key)

    def preview(self, labels: set[str]) -> str:
        return f"Votre sélection : {len(labels)} élément(s)."

    def advise(self, labels: set[str]) -> str | None:
        values = self.value if isinstance(self.value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)) else []
        if any(is_non_finite(v) for v in values):
            return ("La liste contient une valeur infinie ou non numérique (inf, NaN) : elle ne peut correspondre "
                    "à aucun élément attendu.")
        return None

    def compare(self, given: set[str], expected: Expected, points: float) -> CheckResult:
        target = to_label_set(expected.value, self.key)
        missing, extra = target - given, given - target
        if not missing and not extra:
            return self.result(Status.CORRECT, f"Les {len(target)} éléments attendus sont tous là, sans intrus.", points, points)
        overlap = len(given & target) / len(given | target)
        for mistake in expected.mistakes:
            if given == to_label_set(mistake.value, self.key):
                return self.mistaken("", mistake, points, overlap)
        message = (
            f"{len(given)} élément(s) retenu(s) : {len(missing)} élément(s) attendu(s) manquant(s), "
            f"{len(extra)} élément(s) en trop."
        )
        status = Status.PARTIAL if overlap else Status.WRONG
        return self.result(status, message, points * overlap, points, expected.hint)
