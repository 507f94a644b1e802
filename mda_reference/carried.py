"""Reading a learner's earlier results in a carried reference (error carried forward).

A check cell ``Carried(Amount("…", marge_securite), seuil_rentabilite=seuil_rentabilite)``
hands the learner's earlier results over with the answer; the reference then gives, instead
of a value, the function of those results that the question asks for, so an upstream
mistake costs its points once, where it was made. The results arrive decoded from the
learner's kernel (numbers, Series, DataFrames, lists): these helpers read them as the
learner's own code would, and raise (TypeError, KeyError, ValueError) on a result of another
form; ``Carried`` then scores the question 0 and sends the learner back to the earlier question.
"""
from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable
from typing import Any

import pandas as pd

from mda_apprenant.bareme import TOLERANCES
from mda_apprenant.check.scalars import normalise_text
from mda_apprenant.check.tables import to_label_set


def number(value: Any) -> float:
    """A learner's earlier number (a count, an amount, a rate), as a finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("a number is expected")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError("a finite number is expected")
    return result


def series(value: Any, like: Iterable[Any] | None = None) -> pd.Series:
    """A learner's labelled values as a Series (a dict or a one-column DataFrame is accepted too).

    With ``like`` (labels of the case data), a label that matches one of them without case,
    accents or surrounding spaces is written as in the data, so the Series aligns with it.
    """
    if isinstance(value, dict):
        value = pd.Series(value)
    elif isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        value = value.iloc[:, 0]
    if not isinstance(value, pd.Series):
        raise TypeError("a Series is expected")
    if like is not None:
        names = {normalise_text(label): label for label in like}
        value = value.set_axis([names.get(normalise_text(label), label) for label in value.index])
    return value


def numbers_of(value: Any, like: Iterable[Any] | None = None) -> pd.Series:
    """A learner's labelled numbers (see ``series``) as floats."""
    return series(value, like).astype(float)


def entry(value: Any, label: str) -> Any:
    """The value of ``label`` in a learner's labelled values, labels compared without case or accents."""
    found = [v for k, v in series(value).items() if normalise_text(k) == normalise_text(label)]
    if len(found) != 1:
        raise KeyError(label)
    return found[0]


def table(value: Any, columns: Iterable[str], like: Iterable[Any] | None = None) -> pd.DataFrame:
    """A learner's DataFrame with the named columns (its labels written as in ``like``, see ``series``)."""
    if not isinstance(value, pd.DataFrame):
        raise TypeError("a DataFrame is expected")
    columns = list(columns)
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise KeyError(", ".join(missing))
    value = value[columns]
    if like is not None:
        names = {normalise_text(label): label for label in like}
        value = value.set_axis([names.get(normalise_text(label), label) for label in value.index])
    return value


def labels(value: Any, key: str | None = None) -> set[str]:
    """A learner's list of identifiers, as normalised labels (as a ``Selection`` reads it)."""
    return to_label_set(value, key)


def normalised(values: Iterable[Any]) -> list[str]:
    """Labels of the case data, normalised to be compared with ``labels``."""
    return [normalise_text(v) for v in values]


def rows_behind(sums: Any, frame: pd.DataFrame, group: str, value: str, default: pd.Series) -> pd.Series:
    """The rows of ``frame`` a learner's sums by ``group`` were taken from (a mask of ``frame``'s index).

    A learner who kept other rows (a refused concession counted, a row left out) hands over the sums
    of ``value`` of the rows they kept, not the rows: in each group, the rows whose ``value`` adds up to
    the learner's sum, to the cent, are the ones they kept (the closest to ``default`` when several
    subsets do). A group whose sum no subset gives keeps the rows of ``default`` (the statement's): the
    learner's sum is then wrong for another reason, and the rows they kept are most likely the right ones.
    """
    given = numbers_of(sums, like=frame[group].unique())
    kept = default.copy()
    for label, rows in frame.groupby(group).groups.items():
        target = float(given.get(label, 0.0))
        subsets = (set(chosen) for size in range(len(rows) + 1) for chosen in itertools.combinations(rows, size))
        matching = [chosen for chosen in subsets
                    if TOLERANCES["amount"].accepts(float(frame.loc[list(chosen), value].sum()), target)]
        if matching:
            statement = {row for row in rows if default[row]}
            closest = min(matching, key=lambda chosen: len(chosen ^ statement))
            kept[rows] = [row in closest for row in rows]
    return kept


__all__ = ["entry", "labels", "normalised", "number", "numbers_of", "rows_behind", "series", "table"]
