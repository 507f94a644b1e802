"""French formatting of the numbers echoed back to learners (babel, fr_FR)."""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from mda_checks.config import LOCALE


def format_number(value: float, digits: int = 4) -> str:
    """1234.5 -> '1 234,5' (up to `digits` decimals, no trailing zeros)."""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_euros(value: float) -> str:
    """1234.5 -> '1 234,50 €'."""
    return format_currency(value, "EUR", locale=LOCALE)


def format_rate(value: float) -> str:
    """0.0525 -> '0,0525 (soit 5,25 %)': the decimal learners typed, then the percent."""
    return f"{format_number(value, 6)} (soit {format_number(value * 100, 4)} %)"


def format_day(value: dt.date) -> str:
    """2025-08-23 -> '23 août 2025'."""
    return format_date(value, format="long", locale=LOCALE)


def format_points(value: float | None) -> str:
    """Points as shown in messages: 1.5 -> '1,5'."""
    if value is None:
        return "–"
    return format_number(round(value, 2), 2)
