"""The looks of the statuses, and the chart of the competency grid (matplotlib, PNG data URI).

One place says how each status looks (letter, colours, hatching): the bar chart, the HTML
heat map (a table, see html.py) and their legends all read LOOKS. Readable in greyscale and
without colour: statuses differ by grey level AND hatching in the chart, and by a letter in
each cell of the heat map (the colour only repeats the letter).
"""
from __future__ import annotations

import base64
import io
import struct
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING  # noqa: E402


@dataclass(frozen=True)
class StatusLook:
    letter: str   # what the heat map writes in the cell: it carries the meaning
    fill: str     # background colour (chart bars, heat-map cells)
    ink: str      # colour of the letter on that background
    hatch: str    # matplotlib hatching of the bars
    css: str      # CSS class suffix
    background: str  # CSS background of a heat-map cell (hatching drawn as stripes)


LOOKS = {
    ACQUIRED: StatusLook("A", "#2b6a4f", "#ffffff", "", "acquis", "#2b6a4f"),
    NOT_ACQUIRED: StatusLook("N", "#ffffff", "#000000", "///", "non-acquis",
                             "repeating-linear-gradient(135deg, #ffffff 0 4px, #d4d4d4 4px 6px)"),
    PENDING: StatusLook("E", "#bdbdbd", "#000000", "..", "en-attente", "#bdbdbd"),
    NOT_ASSESSED: StatusLook("–", "#ffffff", "#666666", "", "non-evalue", "#ffffff"),
}
STYLE = {status: (LOOKS[status].fill, LOOKS[status].hatch) for status in (ACQUIRED, NOT_ACQUIRED, PENDING)}
LETTERS = {status: look.letter for status, look in LOOKS.items()}
DPI = 110
FONT_SIZE = 9  # points: at DPI 110 and the width below, as large as the page's text once in the page


def to_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def png_size(data_uri: str) -> tuple[int, int]:
    """(width, height) in pixels of a PNG data URI (read from its IHDR header)."""
    data = base64.b64decode(data_uri.split(",", 1)[1])
    return struct.unpack(">II", data[16:24])


def _counts(grid: pd.DataFrame) -> pd.DataFrame:
    """CE (in the grid's order) × status: how many learners."""
    assessed = grid[grid["statut"] != NOT_ASSESSED]
    counts = assessed.pivot_table(index="ce", columns="statut", values="apprenant", aggfunc="count", fill_value=0)
    order = list(dict.fromkeys(assessed["ce"]))
    return counts.reindex(index=order, columns=list(STYLE), fill_value=0)


def status_distribution_figure(grid: pd.DataFrame, title: str):
    """Horizontal stacked bars: how many learners have each status, per CE; the legend sits
    right under the title, at the same distance from the bars whatever the number of CE."""
    counts = _counts(grid).iloc[::-1]  # first CE at the top
    figure, axis = plt.subplots(figsize=(7.5, 0.3 * len(counts) + 1.2), layout="constrained")
    left = np.zeros(len(counts))
    for status, (colour, hatch) in STYLE.items():
        axis.barh(counts.index, counts[status], left=left, color=colour, hatch=hatch, edgecolor="#333333",
                  linewidth=0.6, label=status)
        left += counts[status].to_numpy()
    axis.set_xlabel("Nombre d'apprenants", fontsize=FONT_SIZE)
    axis.tick_params(labelsize=FONT_SIZE)
    axis.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # a MaxNLocator
    axis.margins(y=0.01)
    axis.spines[["top", "right"]].set_visible(False)
    figure.suptitle(title, fontsize=FONT_SIZE + 2)
    axis.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False, fontsize=FONT_SIZE,
                borderaxespad=0.2)
    return figure


def status_distribution(grid: pd.DataFrame, title: str) -> str:
    return to_data_uri(status_distribution_figure(grid, title))


def _learners(count: int) -> str:
    return f"{count} apprenant{'s' if count > 1 else ''}"


def distribution_alt(grid: pd.DataFrame, assignment: str) -> str:
    """The chart's alternative text: what it shows, for which bloc, and what it says."""
    counts = _counts(grid)
    if counts.empty:
        return f"{assignment} : aucun critère évalué, graphique vide."
    learners = grid["apprenant"].nunique()
    totals = counts.sum()
    least = counts[ACQUIRED].idxmin()
    parts = [f"{int(totals[status])} {status}" for status in STYLE if totals[status]]
    return (f"{assignment} : barres empilées du nombre d'apprenants par statut (acquis, non acquis, en attente) "
            f"pour chacun des {len(counts)} critères évalués, sur {_learners(learners)}. "
            f"En tout : {', '.join(parts)}. Critère le moins souvent acquis : {least} "
            f"({_learners(int(counts.at[least, ACQUIRED]))} sur {learners}).")
