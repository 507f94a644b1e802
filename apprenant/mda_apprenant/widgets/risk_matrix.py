"""What-if tool of bloc 4, notebook 04: probability and impact (gravité) controls that move a risk
across the zones of the risk matrix.

The criticality and zone of each risk are graded (question 5, ``matrice_criticite``), so the tool
never works them out for the learner:

- it starts only once the learner has answered question 5: ``matrice_criticite`` computed, with a
  criticality and a zone for each of its risks; otherwise a French message sends them back to it;
- the risks it offers are those of that matrix, and at its starting position it displays **the
  learner's own** criticality and zone, as they are, even wrong: the tool never corrects them;
- once a control moves, it is a calculator on the simulated position, with the notebook's stated
  conventions: criticality = probability × impact, zone from the case's ``zones_criticite.csv``
  (bounds included).

The matrix's background is coloured by zone, with each zone's bounds in the legend: the notebook's
statement already gives these bounds to the learner explicitly (its conventions table lists them,
« acceptable de 1 à 4, … », from the ``{{zones_criticite}}`` placeholder, and the locked cell that
loads ``zones`` displays the table), so the colouring repeats a given of the statement, not an
answer. Nothing here knows an expected value. It is an exploration aid, never graded.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from mda_apprenant.widgets.common import (MissingInput, Unavailable, WhatIfDisplay, answer_first, figure_png,
                                       learner_number, result_and_chart, unanswered)

TITLE = "Simulateur de la matrice des risques"
#: the graded question whose answers (criticality and zone of each risk) the tool could display
QUESTION = 5
ADVICE = ("Le simulateur part de vos propres résultats : calculez `matrice_criticite` (question 5), "
          "exécutez sa cellule, puis relancez cette cellule.")
#: the matrix of the case: probability 1 to 4, impact (gravité) 1 to 5 (echelles_risques.csv)
PROBABILITIES, IMPACTS = range(1, 5), range(1, 6)
#: zone colours, lightest (least critical) to darkest: readable in grey levels too
ZONE_COLOURS = ("#fff7bc", "#fdae6b", "#d94801", "#7f2704", "#3f1102")


@dataclass(frozen=True)
class Zone:
    name: str
    low: int
    high: int
    action: str = ""


@dataclass(frozen=True)
class Risk:
    risk_id: str
    label: str
    probability: int
    impact: int
    learner_criticality: float | None
    learner_zone: str


def read_zones(zones) -> list[Zone]:
    """The zones of the case's table (zone, criticite_min, criticite_max[, conduite_a_tenir])."""
    columns = getattr(zones, "columns", ())
    if not {"zone", "criticite_min", "criticite_max"} <= set(columns):
        raise MissingInput("le tableau `zones` doit être celui de `data/zones_criticite.csv` "
                           "(colonnes zone, criticite_min, criticite_max).")
    found = []
    for _, row in zones.sort_values("criticite_max").iterrows():
        action = row.get("conduite_a_tenir", "")
        found.append(Zone(str(row["zone"]), int(learner_number(row["criticite_min"], "Une borne de zone")),
                          int(learner_number(row["criticite_max"], "Une borne de zone")),
                          "" if action is None or action != action else str(action)))
    if not found:
        raise MissingInput("le tableau `zones` est vide.")
    return found


def zone_of(criticality: int, zones: list[Zone]) -> Zone | None:
    """The zone whose bounds (both included) hold the criticality, as the conventions state it."""
    for zone in zones:
        if zone.low <= criticality <= zone.high:
            return zone
    return None


class NotAnswered(MissingInput):
    """A graded answer the tool could display is not given yet: the tool does not start."""


def read_risks(registre, matrice_criticite) -> list[Risk]:
    """The risks of the learner's matrix, placed by the register's probability and impact; NotAnswered
    until the matrix gives a criticality and a zone for each of them."""
    if unanswered(matrice_criticite):
        raise NotAnswered("`matrice_criticite` (question 5) n'est pas encore calculée.")
    columns = getattr(matrice_criticite, "columns", None)
    if columns is None or not {"criticite", "zone"} <= set(columns):
        raise MissingInput("`matrice_criticite` doit être un DataFrame indexé par `risque_id`, "
                           "avec les colonnes `criticite` et `zone`.")
    if not {"risque_id", "probabilite", "gravite"} <= set(getattr(registre, "columns", ())):
        raise MissingInput("le tableau `registre` doit être celui de `data/registre_risques.csv`.")
    mine = {str(key): row for key, row in matrice_criticite.iterrows()}
    risks = []
    for _, row in registre.iterrows():
        risk_id = str(row["risque_id"])
        if risk_id not in mine:
            continue
        try:
            criticality = learner_number(mine[risk_id]["criticite"], "criticite")
        except MissingInput:
            criticality = None
        zone = mine[risk_id]["zone"]
        risks.append(Risk(risk_id, str(row.get("risque", "")), int(row["probabilite"]), int(row["gravite"]),
                          criticality, "" if zone is None or zone != zone else str(zone)))
    if not risks:
        raise MissingInput("aucun risque du registre n'est dans `matrice_criticite` (index `risque_id`).")
    incomplete = [risk.risk_id for risk in risks if risk.learner_criticality is None or not risk.learner_zone.strip()]
    if incomplete:
        raise NotAnswered(f"la criticité ou la zone manque dans `matrice_criticite` pour {', '.join(incomplete)}.")
    return risks


def _number(value) -> str:
    from mda_apprenant.check.formatting import format_number

    return "—" if value is None else format_number(value, 2)


def start_line(risk: Risk) -> str:
    """The risk's starting position: the learner's own criticality and zone, as they are."""
    start = f"Au départ (votre matrice, question 5) : probabilité {risk.probability}, gravité {risk.impact}, " \
            f"criticité {_number(risk.learner_criticality)}"
    return start + (f", zone « {risk.learner_zone} »." if risk.learner_zone else ".")


def summary_lines(risk: Risk, probability: int, impact: int, zones: list[Zone]) -> list[str]:
    """The risk, then its simulated position once a control moved, then its (learner's) starting position."""
    lines = [f"{risk.risk_id} — {risk.label}" if risk.label else risk.risk_id]
    if (probability, impact) != (risk.probability, risk.impact):
        criticality = probability * impact
        zone = zone_of(criticality, zones)
        where = (f"zone « {zone.name} »" + (f" : {zone.action}" if zone.action else "")) if zone \
            else "hors des zones du tableau `zones`"
        lines.append(f"Position simulée : probabilité {probability} × gravité {impact} = criticité {criticality}, "
                     f"{where}.")
    lines.append(start_line(risk))
    return lines


def risk_figure(risk: Risk, probability: int, impact: int, zones: list[Zone]):
    """The matrix coloured by zone (bounds given in the notebook's statement), the risk's starting cell
    and its simulated cell (a matplotlib Figure)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    colours = {zone.name: ZONE_COLOURS[min(i, len(ZONE_COLOURS) - 1)] for i, zone in enumerate(zones)}
    figure = Figure(figsize=(8.5, 5.4))
    ax = figure.add_subplot()
    for p in PROBABILITIES:
        for g in IMPACTS:
            zone = zone_of(p * g, zones)
            colour = colours[zone.name] if zone else "#ffffff"
            ax.add_patch(Rectangle((g - 0.5, p - 0.5), 1, 1, facecolor=colour, edgecolor="white", linewidth=2))
            dark = zone is not None and list(colours).index(zone.name) >= 2
            ax.text(g - 0.36, p + 0.32, str(p * g), fontsize=8, color="white" if dark else "#333333",
                    ha="left", va="top")
    moved = (probability, impact) != (risk.probability, risk.impact)
    ax.plot([risk.impact], [risk.probability], marker="o", markersize=22, markerfacecolor="none",
            markeredgecolor="black", markeredgewidth=2, linestyle="none", label="Position de départ")
    if moved:
        ax.annotate("", xy=(impact, probability), xytext=(risk.impact, risk.probability),
                    arrowprops={"arrowstyle": "->", "color": "black", "linewidth": 1.8, "shrinkA": 14,
                                "shrinkB": 14})
    ax.plot([impact], [probability], marker="D", markersize=16, color="black", linestyle="none",
            label="Position simulée")
    ax.text(impact, probability, risk.risk_id, color="white", fontsize=7, fontweight="bold", ha="center",
            va="center")
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 4.5)
    ax.set_xticks(list(IMPACTS))
    ax.set_yticks(list(PROBABILITIES))
    ax.set_xlabel("Gravité (1 = mineure, 5 = catastrophique)")
    ax.set_ylabel("Probabilité (1 = rare, 4 = fréquent)")
    ax.set_title(f"Matrice des risques : {risk.risk_id} " + ("simulé" if moved else "au départ (votre matrice)")
                 + " (outil non noté)")
    handles: list[Any] = [Patch(facecolor=colours[z.name], edgecolor="#999999", label=f"{z.name} ({z.low} à {z.high})")
               for z in zones]
    handles += ax.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False,
              markerscale=0.5, labelspacing=1.0)
    figure.text(0.01, 0.01, "\n".join(summary_lines(risk, probability, impact, zones)[1:]), fontsize=8.5,
                va="bottom")
    figure.subplots_adjust(bottom=0.22, left=0.09, right=0.66, top=0.92)
    return figure


class RiskExplorer:
    """A risk chooser, probability and impact sliders, the text and the matrix, wired together."""

    def __init__(self, risks: list[Risk], zones: list[Zone]):
        import ipywidgets as widgets

        self.risks, self.zones = {r.risk_id: r for r in risks}, zones
        self._muted = False
        self.choice = widgets.Dropdown(options=[(f"{r.risk_id} — {r.label}"[:70], r.risk_id) for r in risks],
                                       description="Risque", style={"description_width": "9em"},
                                       layout=widgets.Layout(width="40em"))
        first = risks[0]
        self.probability = widgets.IntSlider(value=first.probability, min=min(PROBABILITIES),
                                             max=max(PROBABILITIES), description="Probabilité",
                                             continuous_update=False, style={"description_width": "9em"})
        self.probability.add_class("mda-curseur-probabilite")
        self.impact = widgets.IntSlider(value=first.impact, min=min(IMPACTS), max=max(IMPACTS),
                                        description="Gravité", continuous_update=False,
                                        style={"description_width": "9em"})
        self.impact.add_class("mda-curseur-gravite")
        self.reset = widgets.Button(description="Revenir à la position de départ", icon="undo",
                                    layout=widgets.Layout(width="20em"))
        self.result, self.chart = result_and_chart()
        intro = widgets.HTML(
            "<p><strong>Simulateur (non noté).</strong> Choisissez un risque, puis déplacez la probabilité et la "
            "gravité, par exemple pour voir l'effet d'une mesure de prévention ou de protection. Au départ, "
            "chaque risque a la criticité et la zone de votre matrice (question 5), telles quelles ; une fois "
            "déplacé, sa criticité (probabilité × gravité) et sa zone se recalculent avec les seuils de "
            "<code>zones_criticite.csv</code> (bornes incluses).</p>")
        self.choice.observe(self._on_choice, names="value")
        self.probability.observe(self._on_change, names="value")
        self.impact.observe(self._on_change, names="value")
        self.reset.on_click(lambda _button: self._place(self.current))
        self.widget = widgets.VBox([intro, self.choice, self.probability, self.impact, self.reset, self.result,
                                    self.chart])
        self.widget.add_class("mda-simulateur-risques")
        self.refresh()
        self.start_png = bytes(self.chart.value)

    @property
    def current(self) -> Risk:
        return self.risks[self.choice.value]

    def refresh(self) -> None:
        lines = summary_lines(self.current, self.probability.value, self.impact.value, self.zones)
        self.result.value = "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"
        self.chart.value = figure_png(risk_figure(self.current, self.probability.value, self.impact.value,
                                                  self.zones))

    def _place(self, risk: Risk) -> None:
        self._muted = True
        try:
            self.probability.value, self.impact.value = risk.probability, risk.impact
        finally:
            self._muted = False
        self.refresh()

    def _on_choice(self, _change) -> None:
        self._place(self.current)

    def _on_change(self, _change) -> None:
        if not self._muted:
            self.refresh()

    def display(self) -> WhatIfDisplay:
        risk = next(iter(self.risks.values()))
        summary = f"{TITLE} (outil non noté)\n" + "\n".join(
            summary_lines(risk, risk.probability, risk.impact, self.zones))
        return WhatIfDisplay(self.widget, self.start_png, summary)


def risk_explorer(registre, zones, matrice_criticite):
    """What the notebook cell shows: the live simulator, or a French message until question 5 is answered
    (the learner's `matrice_criticite`, with a criticality and a zone for each of its risks)."""
    try:
        risks = read_risks(registre, matrice_criticite)
    except NotAnswered as problem:
        text = str(problem)
        return Unavailable(TITLE, answer_first([QUESTION]),
                           f"{text[:1].upper() + text[1:]} Exécutez sa cellule, puis relancez cette cellule.")
    except MissingInput as problem:
        text = str(problem)
        return Unavailable(TITLE, text[:1].upper() + text[1:], ADVICE)
    try:
        explorer = RiskExplorer(risks, read_zones(zones))
    except MissingInput as problem:
        text = str(problem)
        return Unavailable(TITLE, text[:1].upper() + text[1:], ADVICE)
    return explorer.display()
