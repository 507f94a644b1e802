"""Charts of the competency grid (matplotlib), returned as PNG data URIs for the HTML report.

Readable in greyscale: statuses differ by grey level AND hatching, and the heat map
writes a letter in each cell (A acquis, N non acquis, … en attente).
"""
from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING  # noqa: E402

STYLE = {  # status -> (fill colour, hatch)
    ACQUIRED: ("#2b6a4f", ""),
    NOT_ACQUIRED: ("#ffffff", "///"),
    PENDING: ("#bdbdbd", ".."),
}
LETTERS = {ACQUIRED: "A", NOT_ACQUIRED: "N", PENDING: "…"}


def to_data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def status_distribution(grid: pd.DataFrame, title: str) -> str:
    """Horizontal stacked bars: how many learners have each status, per CE."""
    assessed = grid[grid["statut"] != NOT_ASSESSED]
    counts = assessed.pivot_table(index="ce", columns="statut", values="apprenant", aggfunc="count", fill_value=0)
    order = [ce for ce in dict.fromkeys(assessed["ce"])][::-1]
    counts = counts.reindex(index=order, columns=list(STYLE), fill_value=0)
    figure, axis = plt.subplots(figsize=(7.5, 0.35 * len(counts) + 1.4))
    left = np.zeros(len(counts))
    for status, (colour, hatch) in STYLE.items():
        axis.barh(counts.index, counts[status], left=left, color=colour, hatch=hatch, edgecolor="#333333",
                  linewidth=0.6, label=status)
        left += counts[status].to_numpy()
    axis.set_xlabel("Nombre d'apprenants")
    axis.set_title(title)
    axis.legend(ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(counts), 1)), frameon=False)
    axis.spines[["top", "right"]].set_visible(False)
    return to_data_uri(figure)


def heat_map(grid: pd.DataFrame, title: str) -> str:
    """Learners × CE: share of the CE's points (grey scale), with the status letter in each cell."""
    assessed = grid[grid["statut"] != NOT_ASSESSED]
    rates = assessed.pivot_table(index="apprenant", columns="ce", values="taux", aggfunc="first", sort=False)
    statuses = assessed.pivot_table(index="apprenant", columns="ce", values="statut", aggfunc="first", sort=False)
    rates = rates.sort_index()
    statuses = statuses.reindex(index=rates.index, columns=rates.columns)
    figure, axis = plt.subplots(figsize=(0.42 * len(rates.columns) + 2.8, 0.3 * len(rates) + 1.6))
    image = axis.imshow(rates.to_numpy(dtype=float), cmap="Greys", vmin=0, vmax=1, aspect="auto")
    for (row, column), status in np.ndenumerate(statuses.to_numpy()):
        rate = rates.iat[row, column]
        axis.text(column, row, LETTERS.get(status, ""), ha="center", va="center", fontsize=7,
                  color="white" if rate > 0.55 else "black")
    axis.set_xticks(range(len(rates.columns)), rates.columns, rotation=90, fontsize=7)
    axis.set_yticks(range(len(rates.index)), rates.index, fontsize=7)
    axis.set_title(title)
    figure.colorbar(image, ax=axis, fraction=0.03, pad=0.02, label="part des points du CE")
    return to_data_uri(figure)
