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

import numpy as np
from matplotlib.colors import to_rgba

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


def colormap_is_monotonic(cmap) -> bool:
    """True when the map's lightness only rises or only falls, over a readable range."""
    samples = cmap.N if cmap.N < 64 else 64
    values = np.array([lightness(cmap(x)) for x in np.linspace(0, 1, samples)])
    steps = np.diff(values)
    ordered = bool(np.all(steps >= -COLORMAP_NOISE) or np.all(steps <= COLORMAP_NOISE))
    return ordered and abs(values[-1] - values[0]) >= MIN_COLORMAP_RANGE


@dataclass(frozen=True)
class Series:
    """One group of marks a reader must tell apart from the others."""

    marks: tuple       # what is not colour: kind of mark, line style, marker, hatch
    lightness: float


def _line_marks(line) -> tuple:
    style = line.get_linestyle()
    marker = line.get_marker()
    return ("ligne", "" if style in ("None", " ", "", None) else style,
            "" if marker in ("None", " ", "", None) else str(marker))


def series_of(axes) -> list[Series]:
    """Lines, groups of same-looking bars or areas, and single-coloured collections of one Axes."""
    found = []
    for line in axes.lines:
        if line.get_visible() and len(line.get_xdata()):
            found.append(Series(_line_marks(line), lightness(line.get_color())))
    groups = {}
    for patch in axes.patches:
        if patch.get_visible():
            face = tuple(np.round(patch.get_facecolor(), 3))
            groups.setdefault((face, patch.get_hatch() or ""), face)
    found += [Series(("surface", hatch), lightness(face)) for (_, hatch), face in groups.items()]
    for collection in axes.collections:
        if not collection.get_visible() or collection.get_array() is not None:
            continue
        faces = collection.get_facecolors()
        colours = faces if len(faces) and faces[:, 3].any() else collection.get_edgecolors()
        shape = tuple(np.round(collection.get_paths()[0].vertices, 2).ravel()) if collection.get_paths() else ()
        for colour in {tuple(np.round(c, 3)) for c in colours}:
            found.append(Series(("points", hash(shape), collection.get_hatch() or ""), lightness(colour)))
    return found


def mapped_colormaps(axes) -> list:
    """Colour maps the Axes reads colours from (images, heat maps, colour-scaled points)."""
    mapped = [image.get_cmap() for image in axes.images]
    mapped += [c.get_cmap() for c in axes.collections if c.get_visible() and c.get_array() is not None]
    return mapped


def distinguishable(series: list[Series]) -> bool:
    """Every pair differs by a mark that is not colour, or by enough lightness."""
    return all(a.marks != b.marks or abs(a.lightness - b.lightness) >= MIN_LIGHTNESS_GAP
               for a, b in combinations(series, 2))


def readable_without_colour(figure) -> bool:
    """The figure's series and colour maps can be read in greyscale and by colour-blind readers."""
    drawn = False
    for axes in figure.axes:
        series, cmaps = series_of(axes), mapped_colormaps(axes)
        drawn |= bool(series or cmaps)
        if not distinguishable(series) or not all(colormap_is_monotonic(c) for c in cmaps):
            return False
    return drawn
