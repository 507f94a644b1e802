"""Chart answers: a matplotlib figure graded on what a reader needs to see."""
from __future__ import annotations

from dataclasses import dataclass

from mda_checks.check.base import Answer, InvalidAnswer, not_answered
from mda_checks.check.expected import Expected
from mda_checks.check.figure_facts import FigureFacts
from mda_checks.check.greyscale import readable_without_colour
from mda_checks.check.result import CheckResult, Status
from mda_checks.check.scalars import describe_type


@dataclass(frozen=True)
class FigureSpec:
    """What the chart must show; each item is one criterion of equal weight."""

    n_points: int | None = None        # plotted points (scatter), bars or line vertices
    title: bool = True
    axis_labels: bool = True
    n_annotations: int | None = None   # text labels placed on the axes (one per point …)
    legend: bool = False
    #: series told apart without colour (style, marker, hatch or lightness) and
    #: colour maps of monotonic lightness: readable in greyscale and by colour-blind readers
    readable_without_colour: bool = False


class FigureAnswer(Answer):
    """A matplotlib Figure (or Axes) built by the learner."""

    expects = "une figure matplotlib (l'objet fig renvoyé par plt.subplots())"

    def handover_value(self):
        try:
            return _facts_of(self.value)
        except InvalidAnswer:
            return self.value

    def coerce(self) -> FigureFacts:
        value = self.value
        if value is Ellipsis:
            raise not_answered()
        if not isinstance(value, FigureFacts):  # in the learner's kernel: a live figure
            value = _facts_of(value)
        if not value.axes:
            raise InvalidAnswer("La figure ne contient aucun graphique.")
        return value

    def criteria(self, figure: FigureFacts, spec: FigureSpec) -> list[tuple[str, bool]]:
        # the chart is the first Axes with something drawn on it (a colour bar is not a chart)
        charts = [ax for ax in figure.axes if not ax["colorbar"]] or list(figure.axes)
        axes = [ax for ax in charts if ax["plotted"] or ax["images"]]
        main = axes[0] if axes else charts[0]
        checks = []
        if spec.n_points is not None:
            checks.append((f"{spec.n_points} éléments tracés", main["plotted"] == spec.n_points))
        if spec.title:
            has_title = bool(main["title"].strip() or figure.suptitle.strip())
            checks.append(("un titre", has_title))
        if spec.axis_labels:
            checks.append(("un intitulé sur chaque axe", bool(main["xlabel"].strip() and main["ylabel"].strip())))
        if spec.n_annotations is not None:
            checks.append((f"{spec.n_annotations} étiquettes de points", main["texts"] >= spec.n_annotations))
        if spec.legend:
            checks.append(("une légende", main["legend"]))
        if spec.readable_without_colour:
            checks.append(("des séries lisibles sans la couleur (niveaux de gris, daltonisme)",
                           readable_without_colour(figure)))
        return checks

    def compare(self, figure: FigureFacts, expected: Expected, points: float) -> CheckResult:
        checks = self.criteria(figure, expected.value)
        met = [name for name, ok in checks if ok]
        unmet = [name for name, ok in checks if not ok]
        if not unmet:
            return self.result(Status.CORRECT, "Le graphique présente tous les éléments attendus.", points, points)
        status = Status.PARTIAL if met else Status.WRONG
        return self.result(
            status,
            f"Critères remplis : {len(met)} sur {len(checks)}. Il manque : {', '.join(unmet)}.",
            points * len(met) / len(checks),
            points,
            expected.hint,
        )


def _facts_of(value) -> FigureFacts:
    """The description of a live matplotlib Figure or Axes (learner's kernel side)."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(value, Axes):
        value = value.figure
    if not isinstance(value, Figure):
        raise InvalidAnswer(f"La réponse est {describe_type(value)}, pas une figure matplotlib.",
                            "Créez la figure avec fig, ax = plt.subplots() et gardez fig.")
    return FigureFacts.from_figure(value)
