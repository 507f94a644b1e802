"""Schedules: dates by label (next due dates of obligations), graded date by date."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from mda_apprenant.check.base import InvalidAnswer
from mda_apprenant.check.scalars import to_date
from mda_apprenant.check.tables import Table, _original_labels, to_frame


def _to_dates(frame: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every cell as a datetime.date, or InvalidAnswer naming the first bad label."""
    names = names or {}
    converted = frame.astype(object)
    for label, row in frame.iterrows():
        for column, value in row.items():
            try:
                converted.at[label, column] = to_date(value)
            except InvalidAnswer as problem:
                raise InvalidAnswer(f"« {names.get(label, label)} » : {problem.message}", problem.hint) from None
    return converted


class DateTable(Table):
    """Dates by label (a Series of pd.Timestamp, dates or 'AAAA-MM-JJ' texts).

    Each date is right within the tolerance in days (TOLERANCES["date"] unless the
    expected value sets its own); partial credit is the share of right dates.
    """

    def __init__(self, label: str, value: Any, columns: list[str] | None = None):
        super().__init__(label, value, unit="date", columns=columns)
        self.expects = "une Series de dates (pd.Timestamp ou 'AAAA-MM-JJ'), indexée par libellé"

    def coerce(self) -> pd.DataFrame:
        frame = to_frame(self.value, self.columns)
        names = _original_labels(self.value) if isinstance(self.value, (dict, pd.Series, pd.DataFrame)) else {}
        return _to_dates(frame, names)

    def preview(self, frame: pd.DataFrame) -> str:
        return f"Votre échéancier : {len(frame)} date(s)."

    def _prepared(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame  # read date by date with .at

    def _matches(self, prepared: Any, target: pd.DataFrame, tolerance) -> tuple[int, list[str]]:
        frame: pd.DataFrame = prepared
        target = _to_dates(target)
        ok, wrong = 0, []
        for label, row in target.iterrows():
            row_ok = True
            for column, expected in row.items():
                given = frame.at[label, column] if label in frame.index and column in frame.columns else None
                good = isinstance(given, dt.date) and abs((given - expected).days) <= tolerance.abs
                ok += good
                row_ok &= good
            if not row_ok:
                wrong.append(label)
        return ok, wrong


__all__ = ["DateTable"]
