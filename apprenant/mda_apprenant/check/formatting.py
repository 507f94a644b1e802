"""French formatting of the numbers echoed back to learners (babel, fr_FR)."""
from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from mda_apprenant.config import LOCALE


#: the minus sign of French typography (U+2212), one sign everywhere a number is shown
MINUS = "−"


def _minus(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def format_number(value: float, digits: int = 4) -> str:
    """1234.5 -> '1 234,5'; -3 -> '−3' (up to `digits` decimals, no trailing zeros)."""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return _minus(format_decimal(value, format=pattern, locale=LOCALE))


def format_euros(value: float) -> str:
    """1234.5 -> '1 234,50 €'; -12.5 -> '−12,50 €'."""
    return _minus(format_currency(value, "EUR", locale=LOCALE))


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
