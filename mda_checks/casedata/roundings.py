"""Counts the statement rounds up, drawn so that rounding them another way gives another number.

Leads needed, clients to sign, bikes at the break-even: the statement says « round up », and a
learner who rounds to the nearest or down must not find the right number by chance (41.7 rounded
to the nearest is the right 42). After the draw, the parameter the count follows is moved by its
step, the nearest values first, to the first one whose exact count has a fractional part between
0.1 and 0.4: rounding down or to the nearest then both give the number below, never the right one.
Without such a value within ``steps`` steps, the draw is left as it is: the case check redraws it.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

#: the fractional part of a rounded-up count: far from a whole number, below one half
FRACTION = (0.1, 0.4)


def clear_rounding(hypotheses: pd.DataFrame, parameter: str, count: Callable[[float], float], step: float,
                   steps: int = 10) -> None:
    """Move ``parameter`` of ``hypotheses`` (in place) so that ``count(value)`` is clearly between two whole numbers."""
    row = hypotheses.index[hypotheses["parametre"] == parameter][0]
    drawn = float(hypotheses.at[row, "valeur"])
    for k in sorted(range(-steps, steps + 1), key=lambda k: (abs(k), k)):
        value = round(drawn + k * step, 6)
        exact = count(value)
        if value > 0 and FRACTION[0] <= exact - math.floor(exact) <= FRACTION[1]:
            hypotheses.at[row, "valeur"] = value
            return
