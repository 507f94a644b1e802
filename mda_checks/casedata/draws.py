"""Drawing a case's parameters: round figures within realistic bounds, as a committee or a buyer sets them."""
from __future__ import annotations

import numpy as np


def step_draw(rng: np.random.Generator, low: float, high: float, step: float) -> float:
    """A value drawn among low, low + step, … high (every value equally likely)."""
    return round(low + step * int(rng.integers(0, round((high - low) / step) + 1)), 6)
