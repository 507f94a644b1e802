"""What a chart shows, as plain data: extracted from a matplotlib figure in the learner's kernel.

A figure cannot cross from the grading kernel to the trusted grader (it is a live
object, and unpickling one would run the kernel's code). What the criteria of a chart
need is small and plain: per Axes, its texts, how many marks it draws, what kind of
marks they are (bar series, curves, scatters, colour grids), the level of each straight
horizontal or vertical line (objectives, thresholds), and the style and colour (RGBA) of
each series. ``describe_figure`` extracts them; the grader reads them as a
``FigureFacts`` and never needs matplotlib objects. Sizes are capped: a chart with
thousands of series is described by its first ones. Every number is finite (JSON).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The learner's code runs in this kernel before the check cells: builtins it replaces
# (abs, round …) must not change what is handed over, so this module keeps its own.
from builtins import (  # noqa: E402,A004,UP029
    abs, any, bool, enumerate, float, getattr, hasattr, int, isinstance, len, list, max, round, str, sum, tuple,
)

#: at most this many series (lines, patches, collections, colours) are described per Axes
MAX_ITEMS = 500
#: colour maps are described by this many RGBA samples
COLORMAP_SAMPLES = 64
#: texts (titles, labels) are cut to this many characters
MAX_TEXT = 300
#: straight segments described per line collection (hlines, vlines)
MAX_SEGMENTS = 50
#: legend labels kept per legend, and their length
MAX_LABELS, MAX_LABEL = 50, 100


def _rgba(colour) -> list[float]:
    from matplotlib.colors import to_rgba

    return [round(float(c), 4) for c in to_rgba(colour)]


def _style(value: Any) -> str:
    return "" if value in ("None", " ", "", None) else str(value)[:40]


def _number(value) -> float | None:
    """A finite float rounded for JSON, or None (NaN, infinite, not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 6) if number == number and abs(number) != float("inf") else None


def _level(values) -> float | None:
    """The common value of a line's coordinates when they are all equal (a straight line), else None."""
    import numpy as np

    try:
        values = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        return None
    if len(values) < 2 or not np.all(np.isfinite(values)) or np.ptp(values) > 1e-9 * max(1.0, abs(values[0])):
        return None
    return _number(values[0])


def _span(xy) -> list[float | None] | None:
    """[x min, x max, y min, y max] of finite points (data coordinates), or None."""
    import numpy as np

    try:
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        return None
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if not len(xy):
        return None
    return [_number(v) for v in (xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max())]


def _line(line) -> dict:
    """One Line2D: visibility, vertices, style, marker, colour, and its level if it is straight.

    ``horizontal`` is the y level of a line whose points all have the same y (``axhline``,
    or a constant series drawn with ``plot``), ``vertical`` the x level of one whose points
    all have the same x; a line reduced to one point is neither. ``span`` is the range of
    its points on each axis.
    """
    try:
        xy = line.get_xydata()  # converted coordinates: dates and categories are numbers here
        horizontal, vertical, span = _level(xy[:, 1]), _level(xy[:, 0]), _span(xy)
    except Exception:  # noqa: BLE001 - coordinates a unit converter cannot read: not a straight line
        horizontal = vertical = span = None
    if horizontal is not None and vertical is not None:
        horizontal = vertical = None
    return {"visible": bool(line.get_visible()), "points": len(line.get_xdata()),
            "style": _style(line.get_linestyle()), "marker": _style(line.get_marker()),
            "color": _rgba(line.get_color()), "horizontal": horizontal, "vertical": vertical, "span": span}


def _dashes(style) -> str:
    """A line collection's style (offset, dash pattern) as text: « - » when solid."""
    offset, pattern = style
    return "-" if not pattern else "dash " + " ".join(str(round(float(d), 1)) for d in pattern)[:34]


def _straight(collection) -> list[dict]:
    """The horizontal and vertical segments of a line collection (``hlines``, ``vlines``), with their style."""
    styles = collection.get_linestyles() or [(0, None)]
    found = []
    for i, segment in enumerate(collection.get_segments()[:MAX_SEGMENTS]):
        horizontal, vertical = _level(segment[:, 1]), _level(segment[:, 0])
        if (horizontal is None) == (vertical is None):
            continue
        found.append({"axis": "y" if horizontal is not None else "x",
                      "level": horizontal if horizontal is not None else vertical,
                      "style": _dashes(styles[i % len(styles)])})
    return found


def _kind(collection) -> str:
    """What a collection draws: « points » (scatter), « lines », « mesh » (colour grid), « area » or « other »."""
    from matplotlib import collections as mc

    if isinstance(collection, (mc.QuadMesh, mc.PolyQuadMesh)):
        return "mesh"
    if isinstance(collection, mc.PathCollection):
        return "points"
    if isinstance(collection, mc.LineCollection):
        return "lines"
    if isinstance(collection, mc.PolyCollection):
        return "area"
    return "other"


def _bars(axes) -> list[dict]:
    """The bar series of one Axes (``bar``, ``barh``, ``hist``, pandas' bar plots): orientation and bar count."""
    from matplotlib.container import BarContainer

    return [{"orientation": "horizontal" if getattr(c, "orientation", "vertical") == "horizontal" else "vertical",
             "count": len(c.patches), "visible": any(bool(p.get_visible()) for p in c.patches)}
            for c in axes.containers[:MAX_ITEMS] if isinstance(c, BarContainer)]


def _grid(shape) -> list[int]:
    """[rows, columns] of a colour grid from its array shape ([0, 0] when it is not a grid)."""
    return [int(shape[0]), int(shape[1])] if len(shape) >= 2 else [0, 0]


def _legend_labels(legend) -> list[str]:
    """The labels of a legend's entries that are not empty (none when there is no legend)."""
    if legend is None:
        return []
    return [t.get_text()[:MAX_LABEL] for t in legend.get_texts()[:MAX_LABELS] if t.get_text().strip()]


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
    kind = _kind(collection)
    grid = None
    if kind == "mesh":  # the mesh's corners: one more row and column than its cells
        rows, columns = collection.get_coordinates().shape[:2]
        grid = [int(rows) - 1, int(columns) - 1]
    return {"visible": bool(collection.get_visible()), "mapped": collection.get_array() is not None,
            "faces": faces, "edges": edges, "shape": shape, "hatch": _style(collection.get_hatch()),
            "kind": kind, "size": len(collection.get_offsets()) if kind == "points" else len(paths),
            "straight": _straight(collection) if kind == "lines" else [], "grid": grid,
            "span": _span(collection.get_offsets()) if kind == "points" else None}


def _title(axes) -> str:
    """The Axes' titles (left, centre, right) that are not empty, joined."""
    return " ".join(t for t in (axes.get_title(loc) for loc in ("left", "center", "right")) if t.strip())


def _axes(axes) -> dict:
    return {
        "colorbar": hasattr(axes, "_colorbar"),
        "position": [_number(v) or 0.0 for v in axes.get_position(original=True).bounds],
        "plotted": plotted_count(axes),
        "images": sum(1 for image in axes.images if image.get_visible()),
        "image_grids": [_grid(getattr(image.get_array(), "shape", ())) for image in axes.images[:50]
                        if image.get_visible()],
        "title": _title(axes)[:MAX_TEXT],
        "xlabel": axes.get_xlabel()[:MAX_TEXT],
        "ylabel": axes.get_ylabel()[:MAX_TEXT],
        "texts": len(axes.texts),
        "legend": axes.get_legend() is not None,
        "legend_labels": _legend_labels(axes.get_legend()),
        "bars": _bars(axes),
        "lines": [_line(line) for line in axes.lines[:MAX_ITEMS]],
        "patches": [{"visible": bool(p.get_visible()), "face": [round(float(c), 3) for c in p.get_facecolor()],
                     "hatch": _style(p.get_hatch())} for p in axes.patches[:MAX_ITEMS]],
        "collections": [_collection(c) for c in axes.collections[:MAX_ITEMS]],
        "colormaps": [_colormap(image.get_cmap()) for image in axes.images[:20]]
        + [_colormap(c.get_cmap()) for c in axes.collections[:20] if c.get_visible() and c.get_array() is not None],
    }


def describe_figure(figure) -> dict:
    """The JSON-ready description of a matplotlib Figure (learner's kernel side)."""
    return {"suptitle": figure.get_suptitle()[:MAX_TEXT], "axes": [_axes(ax) for ax in figure.axes[:50]],
            "legend_labels": [label for legend in figure.legends[:10] for label in _legend_labels(legend)][:MAX_LABELS]}


@dataclass(frozen=True)
class FigureFacts:
    """A chart as the grader sees it: the description made by ``describe_figure``."""

    suptitle: str
    axes: tuple[dict, ...]
    #: labels of the figure's own legends (``fig.legend()``), besides those of each Axes
    legend_labels: tuple[str, ...] = ()

    @classmethod
    def of(cls, description: dict) -> FigureFacts:
        return cls(str(description.get("suptitle", "")), tuple(description.get("axes", ())),
                   tuple(description.get("legend_labels", ())))

    @classmethod
    def from_figure(cls, figure) -> FigureFacts:
        return cls.of(describe_figure(figure))
