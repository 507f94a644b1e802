"""Chart questions: each requirement a statement makes is a criterion of its reference FigureSpec.

Charts drawn from the case data, complete (full points) and each missing one stated
requirement (a share of the points lost, the requirement named in the message).
"""
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from mda_apprenant import FigureAnswer, Status  # noqa: E402
from mda_reference.bloc1 import expected as expected1  # noqa: E402
from mda_reference.bloc2 import expected as expected2  # noqa: E402
from mda_reference.bloc4 import expected as expected4  # noqa: E402
from tests.conftest import COURSE  # noqa: E402

DATA1, DATA2, DATA4 = (COURSE.source / bloc / "data" for bloc in ("bloc1", "bloc2", "bloc4"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def grade(fig, expected):
    return FigureAnswer("Graphique", fig).grade(expected, 2)


def dressed(ax, legend=True):
    ax.set_title("Titre")
    ax.set_xlabel("Abscisse")
    ax.set_ylabel("Ordonnée")
    if legend:
        ax.legend()


# -- bloc 1, notebook 5: « distinguez les courbes aussi par le style de trait ou les marqueurs »
def monthly(styles):
    invoices = pd.read_csv(DATA1 / "factures_2024_2025.csv", parse_dates=["date"])
    table = invoices.groupby([invoices["date"].dt.year, invoices["date"].dt.month])["montant_ht_eur"].sum().unstack(0)
    fig, ax = plt.subplots()
    for year, style in zip((2024, 2025), styles):
        ax.plot(table.index, table[year], label=str(year), **style)
    dressed(ax)
    return fig


def test_monthly_revenue_colour_only_curves_lose_the_style_criterion():
    expected = expected1("graphique_ca_mensuel", DATA1)
    assert grade(monthly([{"marker": "o"}, {"marker": "s", "linestyle": "--"}]), expected).score == 2
    result = grade(monthly([{"color": "#1f4e79"}, {"color": "#c6dbef"}]), expected)
    assert result.status is Status.PARTIAL and result.score < 2 and "style de trait" in result.message


def test_monthly_revenue_legend_names_the_years():
    fig = monthly([{"marker": "o"}, {"marker": "s", "linestyle": "--"}])
    for text, name in zip(fig.axes[0].get_legend().get_texts(), ("Série 1", "Série 2")):
        text.set_text(name)
    result = grade(fig, expected1("graphique_ca_mensuel", DATA1))
    assert result.score < 2 and "légende" in result.message


def test_monthly_revenue_in_bars_is_not_two_curves():
    expected = expected1("graphique_ca_mensuel", DATA1)
    fig, ax = plt.subplots()
    ax.bar(range(1, 13), range(12), label="2024", hatch="//")
    ax.bar(range(1, 13), range(12), label="2025")
    dressed(ax)
    assert "deux courbes" in grade(fig, expected).message


# -- bloc 1, notebook 1: « le prix moyen en abscisse, la note en ordonnée, un point par acteur »
def perceptual_map(swap=False):
    players = pd.read_csv(DATA1 / "concurrents_2025.csv")
    x, y = players["prix_moyen_eur"], players["note_clients"]
    if swap:
        x, y = y, x
    fig, ax = plt.subplots()
    ax.scatter(x, y)
    for name, xi, yi in zip(players["concurrent"], x, y):
        ax.annotate(name, (xi, yi))
    dressed(ax, legend=False)
    return fig


def test_perceptual_map_axes_are_the_asked_variables():
    expected = expected1("carte_perceptuelle", DATA1)
    assert grade(perceptual_map(), expected).score == 2
    assert "prix moyen en abscisse" in grade(perceptual_map(swap=True), expected).message


# -- bloc 2, notebook 3: the Pareto curve and « une ligne horizontale à 80 % »
def pareto(line=True, percent=False):
    revenue = pd.read_csv(DATA2 / "commandes_2024_2025.csv").groupby("client_id")["montant_ht_eur"].sum()
    share = revenue.sort_values(ascending=False).cumsum() / revenue.sum() * (100 if percent else 1)
    fig, ax = plt.subplots()
    ax.plot(np.arange(1, len(share) + 1) / len(share), share.values)
    if line:
        ax.axhline(80 if percent else 0.8, linestyle="--", color="grey")
    dressed(ax, legend=False)
    return fig


def test_pareto_curve_needs_its_80_percent_line_in_decimal_or_percent():
    expected = expected2("courbe_pareto", DATA2)
    assert grade(pareto(), expected).score == 2
    assert grade(pareto(percent=True), expected).score == 2
    result = grade(pareto(line=False), expected)
    assert result.score < 2 and "80 %" in result.message


# -- bloc 4, notebook 3: objectives « en lignes horizontales », each series its own style
def dashboard_hint(second_objective_style):
    """The notebook's hint (Aide) as written, run with the case's objectives."""
    notebook = nbformat.read(COURSE.source / "bloc4" / "03_tableau_de_bord.ipynb", as_version=4)
    statement = next(c.source for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "b4n3_q6")
    code = re.search(r"```python\n(.*?)```", statement, re.S).group(1)
    targets = pd.read_csv(DATA4 / "objectifs_2025.csv").set_index("indicateur")["objectif"]
    months = pd.read_csv(DATA4 / "ordres_travail_2025.csv")["date_restitution"].str[:7].drop_duplicates().sort_values()
    code = code.replace('linestyle="-.", label', f'linestyle="{second_objective_style}", label')
    namespace = {"plt": plt, "x": list(months), "y": np.linspace(0.9, 0.97, len(months)),
                 "y2": np.linspace(0.85, 0.93, len(months)),
                 "objectif_1": targets["Qualité"], "objectif_2": targets["Délai"]}
    exec(code, namespace)  # noqa: S102 (the course's own hint)
    return namespace["fig"]


def test_dashboard_hint_passes_every_criterion_including_the_colour_free_check():
    expected = expected4("tableau_de_bord", DATA4)
    assert grade(dashboard_hint("-."), expected).score == 2


def test_dashboard_objectives_drawn_identically_are_not_readable_without_colour():
    result = grade(dashboard_hint(":"), expected4("tableau_de_bord", DATA4))
    assert result.score < 2 and "sans la couleur" in result.message


def test_dashboard_without_objective_lines_loses_that_criterion():
    targets = pd.read_csv(DATA4 / "objectifs_2025.csv").set_index("indicateur")["objectif"]
    fig = dashboard_hint("-.")
    for line in fig.axes[0].lines[2:]:
        line.remove()
    result = grade(fig, expected4("tableau_de_bord", DATA4))
    assert result.score < 2 and "objectifs qualité et délai" in result.message
    assert str(targets["Qualité"]) not in result.message  # the message names the requirement, not a value


# -- bloc 4, notebook 4: « en barres », « courbe avec marqueurs »; a heat map « avec une barre de couleur »
def report_chart(bars=True, markers=True, horizontal_line=False):
    orders = pd.read_csv(DATA4 / "ordres_travail_2025.csv")
    actual = orders.groupby(orders["date_restitution"].str[:7])["montant_ht_eur"].sum()
    budget = pd.read_csv(DATA4 / "budget_mensuel_2025.csv")
    fig, ax = plt.subplots()
    if bars:
        ax.bar(actual.index, actual.values, label="Réel", color="#9ecae1")
    else:
        ax.plot(actual.index, actual.values, label="Réel", linestyle="-")
    ax.plot(budget["mois"], budget["ca_prevu_ht_eur"], label="Budget", linestyle="--", marker="o" if markers else "")
    if horizontal_line:
        ax.axhline(actual.mean(), linestyle=":", color="grey", label="Moyenne")
    dressed(ax)
    return fig


def test_report_chart_needs_bars_and_a_curve_with_markers():
    expected = expected4("graphique_rapport", DATA4)
    assert grade(report_chart(), expected).score == 2
    assert grade(report_chart(horizontal_line=True), expected).score == 2  # a reference line more is allowed
    assert "en barres" in grade(report_chart(bars=False), expected).message
    assert "avec marqueurs" in grade(report_chart(markers=False), expected).message


def heat_map(colour_bar=True, transpose=False):
    register = pd.read_csv(DATA4 / "registre_risques.csv")
    grid = np.array([[p * g for g in range(1, 6)] for p in range(1, 5)])
    fig, ax = plt.subplots()
    image = ax.imshow(grid.T if transpose else grid, cmap="YlOrRd", origin="lower", extent=(0.5, 5.5, 0.5, 4.5))
    if colour_bar:
        fig.colorbar(image, ax=ax)
    for _, risk in register.iterrows():
        ax.text(risk["gravite"], risk["probabilite"], risk["risque_id"])
    dressed(ax, legend=False)
    return fig


def test_heat_map_needs_its_colour_bar_and_its_grid():
    expected = expected4("carte_chaleur", DATA4)
    assert grade(heat_map(), expected).score == 2
    result = grade(heat_map(colour_bar=False), expected)
    assert result.score < 2 and "barre de couleur" in result.message
    assert "carte de chaleur" in grade(heat_map(transpose=True), expected).message
