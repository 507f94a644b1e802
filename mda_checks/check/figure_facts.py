"""What a chart shows, as plain data: extracted from a matplotlib figure in the learner's kernel.

A figure cannot cross from the grading kernel to the trusted grader (it is a live
object, and unpickling one would run the kernel's code). What the criteria of a chart
need is small and plain: per Axes, its texts, how many marks it draws, and the style
and colour (RGBA) of each series. ``describe_figure`` extracts them; the grader reads
them as a ``FigureFacts`` and never needs matplotlib objects. Sizes are capped: a chart
with thousands of series is described by its first ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The learner's code runs in this kernel before the check cells: builtins it replaces
# (abs, round …) must not change what is handed over, so this module keeps its own.
from builtins import bool, float, int, len, list, round, str  # noqa: E402,A004

#: at most this many series (lines, patches, collections, colours) are described per Axes
MAX_ITEMS = 500
#: colour maps are described by this many RGBA samples
COLORMAP_SAMPLES = 64
#: texts (titles, labels) are cut to this many characters
MAX_TEXT = 300


def _rgba(colour) -> list[float]:
    from matplotlib.colors import to_rgba

    return [round(float(c), 4) for c in to_rgba(colour)]


def _style(value: Any) -> str:
    return "" if value in ("None", " ", "", None) else str(value)[:40]


def plotted_count(axes) -> int:
    """Points of scatters, bars and line vertices drawn on one Axes."""
    count = sum(len(c.get_offsets()) for c in axes.collections if hasattr(c, "get_offsets"))
    count += len(axes.patches)
    count += sum(len(line.get_xdata()) for line in axes.lines)
    return count


def _colormap(cmap) -> list[list[float]]:
    samples = cmap.N if cmap.N < COLORMAP_SAMPLES else COLORMAP_SAMPLES
    return [[round(float(c), 4) for c in cmap(i / max(samples - 1, 1))] for i in range(samples)]


def _collection(collection) -> dict:
    import numpy as np

    faces = [[round(float(c), 3) for c in rgba] for rgba in collection.get_facecolors()[:MAX_ITEMS]]
    edges = [[round(float(c), 3) for c in rgba] for rgba in collection.get_edgecolors()[:MAX_ITEMS]]
    paths = collection.get_paths()
    shape = np.round(paths[0].vertices, 2).ravel()[:128].tolist() if paths else []
    return {"visible": bool(collection.get_visible()), "mapped": collection.get_array() is not None,
            "faces": faces, "edges": edges, "shape": shape, "hatch": _style(collection.get_hatch())}


def _axes(axes) -> dict:
    return {
        "colorbar": hasattr(axes, "_colorbar"),
        "plotted": plotted_count(axes),
        "images": len(axes.images),
        "title": axes.get_title()[:MAX_TEXT],
        "xlabel": axes.get_xlabel()[:MAX_TEXT],
        "ylabel": axes.get_ylabel()[:MAX_TEXT],
        "texts": len(axes.texts),
        "legend": axes.get_legend() is not None,
        "lines": [{"visible": bool(line.get_visible()), "points": len(line.get_xdata()),
                   "style": _style(line.get_linestyle()), "marker": _style(line.get_marker()),
                   "color": _rgba(line.get_color())} for line in axes.lines[:MAX_ITEMS]],
        "patches": [{"visible": bool(p.get_visible()), "face": [round(float(c), 3) for c in p.get_facecolor()],
                     "hatch": _style(p.get_hatch())} for p in axes.patches[:MAX_ITEMS]],
        "collections": [_collection(c) for c in axes.collections[:MAX_ITEMS]],
        "colormaps": [_colormap(image.get_cmap()) for image in axes.images[:20]]
        + [_colormap(c.get_cmap()) for c in axes.collections[:20] if c.get_visible() and c.get_array() is not None],
    }


def describe_figure(figure) -> dict:
    """The JSON-ready description of a matplotlib Figure (learner's kernel side)."""
    return {"suptitle": figure.get_suptitle()[:MAX_TEXT], "axes": [_axes(ax) for ax in figure.axes[:50]]}


@dataclass(frozen=True)
class FigureFacts:
    """A chart as the grader sees it: the description made by ``describe_figure``."""

    suptitle: str
    axes: tuple[dict, ...]

    @classmethod
    def of(cls, description: dict) -> "FigureFacts":
        return cls(str(description.get("suptitle", "")), tuple(description.get("axes", ())))

    @classmethod
    def from_figure(cls, figure) -> "FigureFacts":
        return cls.of(describe_figure(figure))
