"""Can a chart be read without colour? Series told apart by style or lightness; monotonic colour maps.

A reader who prints in greyscale, or who does not tell red from green, only sees
each colour's lightness (CIE L*, 0 = black, 100 = white). Two series stay
distinguishable when they differ by a mark that is not a colour (line style,
marker, hatch, kind of mark) or when their lightness differs enough. Colours read
off a colour map (heat maps, colour-scaled scatters) stay ordered only when the
map's lightness varies monotonically (Greys, YlOrRd, viridis …; not RdYlGn).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from matplotlib.colors import to_rgba

from mda_apprenant.check.figure_facts import FigureFacts

#: lightness gap (CIE L*, 0–100) between two series told apart by colour only
MIN_LIGHTNESS_GAP = 20.0
#: a colour map must span at least this lightness range, monotonically
MIN_COLORMAP_RANGE = 30.0
#: lightness reversals smaller than this are sampling noise
COLORMAP_NOISE = 1.0


def lightness(colour) -> float:
    """CIE L* of an sRGB colour (any matplotlib colour specification)."""
    red, green, blue, _ = to_rgba(colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    f = luminance ** (1 / 3) if luminance > 216 / 24389 else (24389 / 27 * luminance + 16) / 116
    return 116 * f - 16


def colormap_is_monotonic(samples: list) -> bool:
    """True when a colour map's lightness (its RGBA samples) only rises or only falls, over a readable range."""
    values = np.array([lightness(rgba) for rgba in samples])
    if len(values) < 2:
        return False
    steps = np.diff(values)
    ordered = bool(np.all(steps >= -COLORMAP_NOISE) or np.all(steps <= COLORMAP_NOISE))
    return ordered and abs(values[-1] - values[0]) >= MIN_COLORMAP_RANGE


@dataclass(frozen=True)
class Series:
    """One group of marks a reader must tell apart from the others."""

    marks: tuple       # what is not colour: kind of mark, line style, marker, hatch
    lightness: float


def series_of(axes: dict) -> list[Series]:
    """Lines, groups of same-looking bars or areas, and single-coloured collections of one Axes (its facts)."""
    found = [Series(("ligne", line["style"], line["marker"]), lightness(line["color"]))
             for line in axes["lines"] if line["visible"] and line["points"]]
    groups: dict[tuple[Any, Any], tuple[Any, ...]]
    groups = {}
    for patch in axes["patches"]:
        if patch["visible"]:
            face = tuple(patch["face"])
            groups.setdefault((face, patch["hatch"]), face)
    found += [Series(("surface", hatch), lightness(face)) for (_, hatch), face in groups.items()]
    for collection in axes["collections"]:
        if not collection["visible"] or collection["mapped"]:
            continue
        faces = collection["faces"]
        colours = faces if faces and any(c[3] for c in faces) else collection["edges"]
        shape = tuple(collection["shape"])
        for colour in {tuple(c) for c in colours}:
            found.append(Series(("points", shape, collection["hatch"]), lightness(colour)))
    return found


def distinguishable(series: list[Series]) -> bool:
    """Every pair differs by a mark that is not colour, or by enough lightness."""
    return all(a.marks != b.marks or abs(a.lightness - b.lightness) >= MIN_LIGHTNESS_GAP
               for a, b in combinations(series, 2))


def readable_without_colour(figure: FigureFacts) -> bool:
    """The figure's series and colour maps can be read in greyscale and by colour-blind readers."""
    drawn = False
    for axes in figure.axes:
        series, cmaps = series_of(axes), axes["colormaps"]
        drawn |= bool(series or cmaps)
        if not distinguishable(series) or not all(colormap_is_monotonic(c) for c in cmaps):
            return False
    return drawn
