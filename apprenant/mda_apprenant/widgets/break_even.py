"""What-if tool of bloc 1, notebook 04: sliders on price, volume, unit variable cost and fixed
costs that redraw the break-even chart and the result.

The tool shows values that are graded questions of the same notebook (rate of contribution margin,
break-even point in value and in quantity, safety margin and index, result), so it never works them
out for the learner:

- it starts only once the learner has answered all of them (question 1 ``synthese_budget``,
  question 2 ``taux_mcv``, ``seuil_rentabilite``, ``seuil_quantite``, question 4 ``marge_securite``,
  ``indice_securite``: their own variables, passed explicitly in the cell); otherwise a French
  message names the questions to answer first;
- at its starting position it displays **the learner's own answers**, as they are, even wrong: the
  tool never corrects them;
- once a slider moves, it is a calculator on the learner's own budget summary (question 1), with
  the notebook's stated formulas:

  - volume = turnover / average price (bikes, as for the threshold in quantity);
  - unit variable cost = variable costs / volume; contribution margin rate = (price − unit cost) / price;
  - net fixed costs = fixed costs − other operating income;
  - break-even point (value) = net fixed costs / contribution margin rate; in quantity = net fixed
    costs / unit contribution margin, rounded up;
  - result = volume × (price − unit cost) − fixed costs + other income; safety margin = turnover −
    threshold; safety index = safety margin / turnover.

Nothing here knows an expected value: every number comes from the arguments. It is an exploration
aid, never graded.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, replace

from mda_apprenant.check.formatting import format_number
from mda_apprenant.widgets.common import (MissingInput, Unavailable, WhatIfDisplay, answer_first, euros, figure_png,
                                       learner_number, result_and_chart, signed_euros, unanswered)

TITLE = "Simulateur du seuil de rentabilité"
#: the labels of the learner's budget summary (question 1) the tool reads
TURNOVER, VARIABLE, FIXED, OTHER = "Chiffre d'affaires", "Charges variables", "Charges fixes", "Autres produits"
RESULT = "Résultat prévisionnel"
#: the graded answers the tool could display, with their question: it starts only once all are answered
ANSWERS = {"synthese_budget": 1, "taux_mcv": 2, "seuil_rentabilite": 2, "seuil_quantite": 2,
           "marge_securite": 4, "indice_securite": 4}
ADVICE = ("Le simulateur part de vos propres résultats (questions 1, 2 et 4) : reprenez cette réponse, "
          "exécutez sa cellule, puis relancez cette cellule.")


@dataclass(frozen=True)
class BreakEvenScenario:
    """One scenario: average price and volume, unit variable cost, fixed costs and other income (€ HT)."""

    price: float
    volume: float
    unit_variable_cost: float
    fixed_costs: float
    other_income: float = 0.0

    @property
    def turnover(self) -> float:
        return self.price * self.volume

    @property
    def variable_costs(self) -> float:
        return self.unit_variable_cost * self.volume

    @property
    def unit_margin(self) -> float:
        return self.price - self.unit_variable_cost

    @property
    def margin_rate(self) -> float:
        return self.unit_margin / self.price if self.price else 0.0

    @property
    def net_fixed_costs(self) -> float:
        return self.fixed_costs - self.other_income

    @property
    def reachable(self) -> bool:
        """A break-even point exists only if each bike sold brings a positive margin."""
        return self.price > 0 and self.unit_margin > 0

    @property
    def break_even_value(self) -> float | None:
        if not self.reachable:
            return None
        return max(self.net_fixed_costs, 0.0) / self.margin_rate

    @property
    def break_even_quantity(self) -> int | None:
        if not self.reachable:
            return None
        return math.ceil(max(self.net_fixed_costs, 0.0) / self.unit_margin - 1e-9)

    @property
    def result(self) -> float:
        return self.volume * self.unit_margin - self.fixed_costs + self.other_income

    @property
    def safety_margin(self) -> float | None:
        threshold = self.break_even_value
        return None if threshold is None else self.turnover - threshold


@dataclass(frozen=True)
class Indicators:
    """What the tool displays for a scenario: the learner's answers at the start, computed values after."""

    turnover: float
    margin_rate: float | None
    break_even_value: float | None
    break_even_quantity: float | None
    safety_margin: float | None
    safety_index: float | None
    result: float

    @property
    def reachable(self) -> bool:
        return self.break_even_value is not None and self.break_even_quantity is not None


def computed(scenario: BreakEvenScenario) -> Indicators:
    """The notebook's formulas applied to a scenario (once the learner moves a slider)."""
    margin = scenario.safety_margin
    return Indicators(turnover=scenario.turnover, margin_rate=scenario.margin_rate,
                      break_even_value=scenario.break_even_value, break_even_quantity=scenario.break_even_quantity,
                      safety_margin=margin,
                      safety_index=None if margin is None or not scenario.turnover else margin / scenario.turnover,
                      result=scenario.result)


def unanswered_questions(synthese_budget, answers: dict) -> dict[str, int]:
    """{variable: question} of the graded answers the tool needs that are still `...` (or None)."""
    given = {"synthese_budget": synthese_budget, **answers}
    return {name: question for name, question in ANSWERS.items() if unanswered(given.get(name))}


def learner_answers(synthese_budget, *, taux_mcv, seuil_rentabilite, seuil_quantite, marge_securite,
                    indice_securite) -> Indicators:
    """The learner's own answers, as they are (never corrected); MissingInput (French) if one is unusable."""
    summary = scenario_values(synthese_budget, (TURNOVER, RESULT))

    def number(value, name: str) -> float:
        return learner_number(value, f"`{name}` (question {ANSWERS[name]})")

    return Indicators(turnover=summary[TURNOVER], margin_rate=number(taux_mcv, "taux_mcv"),
                      break_even_value=number(seuil_rentabilite, "seuil_rentabilite"),
                      break_even_quantity=number(seuil_quantite, "seuil_quantite"),
                      safety_margin=number(marge_securite, "marge_securite"),
                      safety_index=number(indice_securite, "indice_securite"), result=summary[RESULT])


def scenario_values(synthese_budget, labels) -> dict[str, float]:
    """The numbers of the learner's budget summary under `labels`; MissingInput (French) if unusable."""
    if unanswered(synthese_budget):
        raise MissingInput("`synthese_budget` (question 1) n'est pas encore calculée.")
    if not hasattr(synthese_budget, "get") or not hasattr(synthese_budget, "keys"):
        raise MissingInput(f"`synthese_budget` doit être une Series indexée par les libellés de la question 1 "
                           f"(c'est ici : {type(synthese_budget).__name__}).")
    values = {}
    for label in labels:
        if label not in synthese_budget.keys():
            raise MissingInput(f"la ligne « {label} » manque dans `synthese_budget`.")
        values[label] = learner_number(synthese_budget.get(label), f"La ligne « {label} » de `synthese_budget`")
    return values


def scenario_from_budget(synthese_budget, prix_moyen) -> BreakEvenScenario:
    """The starting scenario from the learner's budget summary; MissingInput (French) if unusable."""
    values = scenario_values(synthese_budget, (TURNOVER, VARIABLE, FIXED, OTHER))
    price = learner_number(prix_moyen, "Le prix moyen de vente HT")
    if price <= 0:
        raise MissingInput("le prix moyen de vente HT doit être positif.")
    if values[TURNOVER] <= 0:
        raise MissingInput("le chiffre d'affaires de `synthese_budget` doit être positif.")
    volume = values[TURNOVER] / price
    return BreakEvenScenario(price=price, volume=volume, unit_variable_cost=values[VARIABLE] / volume,
                             fixed_costs=values[FIXED], other_income=values[OTHER])


def _quantity(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 2)


def _percent(rate: float) -> str:
    return f"{format_number(rate * 100, 1)} %"


#: the heading of each display: the learner's answers at the start, the calculator once a slider moved
START_HEADING = "Au départ : vos réponses (questions 1, 2 et 4), telles que vous les avez calculées"
SIMULATED_HEADING = "Scénario simulé : formules du carnet appliquées à votre synthèse du budget (question 1)"


def summary_lines(shown: Indicators, start: Indicators | None = None) -> list[str]:
    """What the tool displays, in French: the learner's own answers when `start` is None (the starting
    position), else the simulated scenario compared with the learner's starting result."""
    lines = [START_HEADING if start is None else SIMULATED_HEADING]
    lines.append(f"Chiffre d'affaires : {euros(shown.turnover)} ; taux de marge sur coûts variables : "
                 f"{_percent(shown.margin_rate) if shown.margin_rate is not None else '—'}")
    if shown.reachable:
        lines.append(f"Seuil de rentabilité : {euros(shown.break_even_value)}, "
                     f"soit {_quantity(shown.break_even_quantity)} vélos")
        lines.append(f"Marge de sécurité : {euros(shown.safety_margin)} ; indice de sécurité : "
                     f"{_percent(shown.safety_index) if shown.safety_index is not None else '—'}")
    else:
        lines.append("Pas de seuil de rentabilité : le prix ne couvre pas le coût variable d'un vélo, "
                     "chaque vente creuse la perte.")
    result = f"Résultat prévisionnel : {euros(shown.result)}"
    if start is not None:
        result += f" (écart avec le départ : {signed_euros(shown.result - start.result)})"
    lines.append(result)
    return lines


def break_even_figure(scenario: BreakEvenScenario, shown: Indicators, start: Indicators | None = None,
                      start_scenario: BreakEvenScenario | None = None):
    """The break-even chart: turnover and total costs against the volume sold (a matplotlib Figure).

    The point marked is the threshold displayed: the learner's own answer at the start (`start` None),
    the computed one once a slider moved."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    threshold_q, threshold_v = shown.break_even_quantity, shown.break_even_value
    reference = start_scenario or scenario
    top = max(scenario.volume, reference.volume, threshold_q if threshold_q and threshold_q > 0 else 0) * 1.35
    top = max(top, 1.0)
    figure = Figure(figsize=(8.5, 5.2))
    ax = figure.add_subplot()
    xs = [0.0, top]
    ax.plot(xs, [scenario.price * x for x in xs], color="#08306b", linewidth=2.2, label="Chiffre d'affaires")
    ax.plot(xs, [scenario.net_fixed_costs + scenario.unit_variable_cost * x for x in xs], color="#a50f15",
            linewidth=2.2, linestyle="--", label="Coût total (charges fixes nettes + charges variables)")
    ax.plot(xs, [scenario.net_fixed_costs] * 2, color="#555555", linewidth=1.2, linestyle=":",
            label="Charges fixes nettes")
    ax.axvline(scenario.volume, color="#238b45", linewidth=1.5, linestyle="-.", label="Volume simulé")
    if shown.reachable:
        label = "Votre seuil (question 2)" if start is None else "Seuil simulé"
        ax.plot([threshold_q], [threshold_v], marker="o", markersize=9, color="black", linestyle="none",
                label=label)
        ax.annotate(f"{label} : {_quantity(threshold_q)} vélos\n{euros(threshold_v)}", (threshold_q, threshold_v),
                    textcoords="offset points", xytext=(10, -34), fontsize=9)
    ax.set_xlim(0, top)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v / 1e6, 1)))
    ax.set_xlabel("Volume vendu (vélos)")
    ax.set_ylabel("Montant HT (millions d'euros)")
    ax.set_title("Seuil de rentabilité : " + ("vos réponses" if start is None else "scénario simulé")
                 + " (outil non noté)")
    ax.legend(loc="upper left", fontsize=8.5)
    ax.grid(alpha=0.3)
    figure.text(0.01, 0.01, "\n".join(summary_lines(shown, start)), fontsize=8.5, va="bottom")
    figure.subplots_adjust(bottom=0.3, left=0.1, right=0.97, top=0.93)
    return figure


def _nice_step(value: float) -> float:
    """A round slider step near 1 % of the value: 1, 2 or 5 × a power of ten."""
    if value <= 0:
        return 1.0
    rough = value / 100
    power = 10 ** math.floor(math.log10(rough))
    for factor in (5, 2, 1):
        if factor * power <= rough:
            return float(factor * power)
    return float(power)


def _bounds(value: float, step: float, steps: int = 50) -> tuple[float, float]:
    """A range of ± `steps` steps around the starting value (kept on the grid: never negative)."""
    below = min(steps, math.floor(value / step)) if value > 0 else 0
    return value - below * step, value + steps * step


class BreakEvenExplorer:
    """The sliders, the result and the chart, wired together (built only in a kernel with ipywidgets)."""

    #: (attribute, label) of each slider, in order
    SLIDERS = (("price", "Prix moyen de vente HT (€)"), ("volume", "Volume vendu (vélos)"),
               ("unit_variable_cost", "Coût variable par vélo (€)"), ("fixed_costs", "Charges fixes (€)"))

    def __init__(self, start: BreakEvenScenario, answers: Indicators):
        import ipywidgets as widgets

        self.start, self.answers = start, answers
        self.scenario = start
        self._muted = False
        self.sliders, self.readouts = {}, {}
        rows = []
        for name, label in self.SLIDERS:
            value = getattr(start, name)
            step = _nice_step(value)
            low, high = _bounds(value, step)
            slider = widgets.FloatSlider(value=value, min=low, max=high, step=step, description=label,
                                         readout=False, continuous_update=False,
                                         style={"description_width": "15em"},
                                         layout=widgets.Layout(width="36em"))
            slider.add_class(f"mda-curseur-{name.replace('_', '-')}")
            readout = widgets.HTML(layout=widgets.Layout(width="12em"))
            slider.observe(self._on_change, names="value")
            self.sliders[name], self.readouts[name] = slider, readout
            rows.append(widgets.HBox([slider, readout]))
        self.reset = widgets.Button(description="Revenir au budget de départ", icon="undo",
                                    layout=widgets.Layout(width="18em"))
        self.reset.on_click(self._on_reset)
        self.result, self.chart = result_and_chart()
        intro = widgets.HTML(
            "<p><strong>Simulateur (non noté).</strong> Au départ, il affiche vos réponses aux questions 1, 2 "
            "et 4, telles quelles. Déplacez les curseurs : le graphique et le résultat se recalculent avec les "
            "formules du carnet, à partir de votre synthèse du budget (question 1). Les autres produits restent "
            f"ceux du budget ({html.escape(euros(start.other_income))}).</p>")
        self.widget = widgets.VBox([intro, *rows, self.reset, self.result, self.chart])
        self.widget.add_class("mda-simulateur-seuil")
        self.refresh()
        self.start_png = bytes(self.chart.value)

    def values(self) -> dict[str, float]:
        return {name: slider.value for name, slider in self.sliders.items()}

    def refresh(self) -> None:
        """Recompute the scenario from the sliders, then redraw the text and the chart."""
        self.scenario = replace(self.start, **self.values())
        for name, _ in self.SLIDERS:
            value = getattr(self.scenario, name)
            self.readouts[name].value = (euros(value) if name != "volume"
                                         else f"{format_number(round(value), 0)} vélos")
        if self.at_start():  # the starting position: the learner's own answers, as they are
            self.scenario = self.start
            shown, start = self.answers, None
        else:  # a calculator on the learner's budget summary
            shown, start = computed(self.scenario), self.answers
        self.shown = shown
        self.result.value = "<ul>" + "".join(f"<li>{html.escape(line)}</li>"
                                             for line in summary_lines(shown, start)) + "</ul>"
        self.chart.value = figure_png(break_even_figure(self.scenario, shown, start, self.start))

    def at_start(self) -> bool:
        """Every slider on its starting value (a slider moved there and back by hand included)."""
        return all(math.isclose(slider.value, getattr(self.start, name), rel_tol=1e-9, abs_tol=slider.step / 1e3)
                   for name, slider in self.sliders.items())

    def _on_change(self, _change) -> None:
        if not self._muted:
            self.refresh()

    def _on_reset(self, _button) -> None:
        self._muted = True
        try:
            for name, slider in self.sliders.items():
                slider.value = getattr(self.start, name)
        finally:
            self._muted = False
        self.refresh()

    def display(self) -> WhatIfDisplay:
        """The live widget, with the chart of the starting scenario as its static copy."""
        summary = f"{TITLE} (outil non noté)\n" + "\n".join(summary_lines(self.answers))
        return WhatIfDisplay(self.widget, self.start_png, summary)


def break_even_explorer(synthese_budget, prix_moyen, *, taux_mcv, seuil_rentabilite, seuil_quantite,
                        marge_securite, indice_securite):
    """What the notebook cell shows: the live simulator, or a French message if an answer is missing.

    Every graded answer the tool could display is passed explicitly (the learner's own variables):
    until all are answered the tool does not start, and it then starts from them, as they are."""
    answers = {"taux_mcv": taux_mcv, "seuil_rentabilite": seuil_rentabilite, "seuil_quantite": seuil_quantite,
               "marge_securite": marge_securite, "indice_securite": indice_securite}
    missing = unanswered_questions(synthese_budget, answers)
    if missing:
        names = ", ".join(f"`{name}` (question {question})" for name, question in missing.items())
        cells = "leurs cellules" if len(missing) > 1 else "sa cellule"
        return Unavailable(TITLE, answer_first(missing.values()),
                           f"Encore à calculer : {names}. Exécutez {cells}, puis relancez cette cellule.")
    try:
        start = scenario_from_budget(synthese_budget, prix_moyen)
        mine = learner_answers(synthese_budget, **answers)
    except MissingInput as problem:
        text = str(problem)
        return Unavailable(TITLE, text[:1].upper() + text[1:], ADVICE)
    return BreakEvenExplorer(start, mine).display()
