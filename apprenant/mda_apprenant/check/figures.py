"""Chart answers: a matplotlib figure graded on what a reader needs to see.

Every requirement a question states about its chart is one criterion of the figure's
``FigureSpec`` (the grader-only reference builds it): the kind of marks and how many
(bars, curves, points, a colour grid), reference lines at given levels (objectives,
thresholds), a colour bar, a title, axis labels, labels on the points, a legend, curves
told apart by line style or marker, a chart readable without colour. Each criterion is an
equal share of the points and, when unmet, is named in the French message.

What the chart is: the first Axes that draws something (a colour bar is not a chart),
with the Axes laid over it (``twinx``). Criteria are tolerant of legitimate variants:
horizontal bars count as bars, a straight line drawn with ``plot`` counts as a reference
line like ``axhline``, a rate may be drawn in percent, and an extra reference line never
counts as a data series.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from mda_apprenant.bareme import within
from mda_apprenant.check.base import Answer, InvalidAnswer, not_answered
from mda_apprenant.check.expected import Expected
from mda_apprenant.check.figure_facts import FigureFacts
from mda_apprenant.check.greyscale import readable_without_colour
from mda_apprenant.check.result import CheckResult, Status
from mda_apprenant.check.scalars import describe_type

#: a reference line is at the expected level within this share of it (at least this much in absolute terms)
LEVEL_TOLERANCE = 0.005
#: plotted values span the expected range within this share of its width
SPAN_TOLERANCE = 0.01

#: kinds of marks a chart may be asked for, and how a criterion names them
MARK_KINDS = {
    "points": ("un nuage de points", "point"),
    "lines": ("des courbes", "courbe"),
    "bars": ("des barres (verticales ou horizontales)", "série de barres"),
    "heatmap": ("une grille colorée (carte de chaleur)", "grille"),
}


@dataclass(frozen=True)
class Marks:
    """Marks of one kind the chart must draw: « points », « lines », « bars » or « heatmap ».

    ``series`` is how many series of that kind (curves, bar series, scatters, grids) and
    ``points`` how many marks in all (points, bars, line vertices or the cells of a grid);
    None leaves them free. ``markers``: the curves carry markers. ``x`` and ``y``: the
    (min, max) range the points or curves span on each axis (which variable is on which
    axis); ``grid``: the (rows, columns) of a colour grid. ``label`` names the requirement
    in French as the question states it (« deux courbes de 12 points »).
    """

    kind: str
    series: int | None = None
    points: int | None = None
    markers: bool = False
    x: tuple[float, float] | None = None
    y: tuple[float, float] | None = None
    grid: tuple[int, int] | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MARK_KINDS:
            raise ValueError(f"unknown kind of marks: {self.kind!r} (one of {', '.join(MARK_KINDS)})")

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        name, unit = MARK_KINDS[self.kind]
        details = [f"{self.series} {unit}(s)"] if self.series is not None else []
        if self.points is not None:
            details.append(f"{self.points} éléments en tout")
        if self.markers:
            details.append("avec marqueurs")
        return f"{name} ({', '.join(details)})" if details else name


@dataclass(frozen=True)
class ReferenceLines:
    """Straight lines the chart must draw at given levels: horizontal (axis « y ») or vertical (« x »).

    Drawn with ``axhline``/``axvline``, ``hlines``/``vlines`` or a constant series; extra
    lines are allowed. ``rates``: the levels are rates, also accepted drawn in percent.
    """

    levels: tuple[float, ...]
    label: str
    axis: str = "y"
    rates: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(float(v) for v in self.levels))
        if self.axis not in ("x", "y"):
            raise ValueError("axis is « x » (vertical lines) or « y » (horizontal lines)")

    def met_by(self, drawn: list[float]) -> bool:
        scales = (1.0, 100.0) if self.rates else (1.0,)
        return all(any(within(level, expected * scale, LEVEL_TOLERANCE * max(1.0, abs(expected * scale)))
                       for level in drawn for scale in scales)
                   for expected in self.levels)


@dataclass(frozen=True)
class FigureSpec:
    """What the chart must show; each item is one criterion of equal weight."""

    n_points: int | None = None        # data marks: points, bars or line vertices (reference lines not counted)
    title: bool = True
    axis_labels: bool = True
    n_annotations: int | None = None   # text labels placed on the axes (one per point …)
    legend: bool = False               # a legend naming each series the marks ask for (at least one)
    #: words the legend must show (« une légende qui nomme les années »: the years), case ignored
    legend_names: tuple[str, ...] = ()
    #: series told apart without colour (style, marker, hatch or lightness) and
    #: colour maps of monotonic lightness: readable in greyscale and by colour-blind readers
    readable_without_colour: bool = False
    #: the kinds of marks asked for (« en barres », « deux courbes », « une carte de chaleur »)
    marks: tuple[Marks, ...] = ()
    #: straight lines asked for (objectives, thresholds), one criterion each
    reference_lines: tuple[ReferenceLines, ...] = ()
    colorbar: bool = False             # a colour bar (the legend of a colour scale)
    #: curves differ by line style or marker, and so do reference lines among themselves
    distinct_line_styles: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "marks", tuple(self.marks))
        object.__setattr__(self, "reference_lines", tuple(self.reference_lines))
        object.__setattr__(self, "legend_names", tuple(str(n) for n in self.legend_names))

    @property
    def named_series(self) -> int:
        """How many series a legend must name: those the marks ask for (one per kind left free)."""
        return sum(m.series if m.series is not None else 1 for m in self.marks if m.kind != "heatmap")


@dataclass(frozen=True)
class Series:
    """One data series of a chart, as the grader reads it."""

    kind: str           # « points », « lines », « bars » or « heatmap »
    points: int         # marks drawn: points, bars, line vertices, cells of a grid
    style: str = ""     # line style of a curve
    marker: str = ""
    span: tuple | None = None   # (x min, x max, y min, y max) of points and curves
    grid: tuple | None = None   # (rows, columns) of a colour grid


@dataclass(frozen=True)
class Straight:
    """A straight horizontal (axis « y ») or vertical (axis « x ») line: an objective, a threshold."""

    axis: str
    level: float
    style: str
    marker: str = ""


class Chart:
    """The chart of a figure: its first Axes that draws something, with the Axes laid over it."""

    def __init__(self, figure: FigureFacts):
        charts = [ax for ax in figure.axes if not ax["colorbar"]] or list(figure.axes)
        drawn = [ax for ax in charts if ax["plotted"] or ax["images"]]
        main = drawn[0] if drawn else charts[0]
        position = main.get("position")
        self.axes = [ax for ax in charts if ax is main or (position is not None and ax.get("position") == position)]
        self.figure = figure
        self.series: list[Series] = []
        self.straight: list[Straight] = []
        for ax in self.axes:
            self._read(ax)

    def _read(self, ax: dict) -> None:
        for line in ax["lines"]:
            if not line["visible"] or not line["points"] or not (line["style"] or line["marker"]):
                continue
            level = next(((axis, line.get(key)) for axis, key in (("y", "horizontal"), ("x", "vertical"))
                          if line.get(key) is not None), None)
            if line["style"] and level is not None:
                self.straight.append(Straight(level[0], level[1], line["style"], line["marker"]))
            elif line["style"] and line["points"] >= 2:
                self.series.append(Series("lines", line["points"], line["style"], line["marker"], _tuple(line)))
            elif line["marker"]:
                self.series.append(Series("points", line["points"], "", line["marker"], _tuple(line)))
        for bars in ax.get("bars", ()):
            if bars["visible"] and bars["count"]:
                self.series.append(Series("bars", bars["count"]))
        for collection in ax["collections"]:
            if not collection["visible"]:
                continue
            kind = collection.get("kind")
            if kind == "points" and collection.get("size"):
                self.series.append(Series("points", collection["size"], span=_tuple(collection)))
            elif kind == "mesh":
                grid = tuple(collection.get("grid") or (0, 0))
                self.series.append(Series("heatmap", grid[0] * grid[1], grid=grid))
            elif kind == "lines":
                self.straight += [Straight(s["axis"], s["level"], s["style"]) for s in collection.get("straight", ())]
        grids = ax.get("image_grids", [[0, 0]] * ax["images"])
        self.series += [Series("heatmap", rows * columns, grid=(rows, columns)) for rows, columns in grids]

    # -- what a reader sees -----------------------------------------------------------
    def of_kind(self, kind: str) -> list[Series]:
        return [s for s in self.series if s.kind == kind]

    @property
    def data_points(self) -> int:
        """Points, bars and curve vertices (the cells of a colour grid and reference lines are not counted)."""
        return sum(s.points for s in self.series if s.kind != "heatmap")

    @property
    def has_title(self) -> bool:
        return bool(self.figure.suptitle.strip() or any(ax["title"].strip() for ax in self.axes))

    @property
    def has_axis_labels(self) -> bool:
        return any(ax["xlabel"].strip() for ax in self.axes) and any(ax["ylabel"].strip() for ax in self.axes)

    @property
    def annotations(self) -> int:
        return sum(ax["texts"] for ax in self.axes)

    @property
    def legend_labels(self) -> list[str]:
        """Labels of the chart's legends and of the figure's own legends."""
        return [label for ax in self.axes for label in ax.get("legend_labels", ())] + list(self.figure.legend_labels)

    def legend_names(self, spec: FigureSpec) -> bool:
        """A legend with an entry for each series asked for, naming those the question names."""
        labels = [label.casefold() for label in self.legend_labels]
        return len(labels) >= max(1, spec.named_series) and all(
            any(name.casefold() in label for label in labels) for name in spec.legend_names)

    @property
    def has_colorbar(self) -> bool:
        return any(ax["colorbar"] for ax in self.figure.axes)

    def levels(self, axis: str) -> list[float]:
        return [line.level for line in self.straight if line.axis == axis]

    def meets(self, marks: Marks) -> bool:
        found = [s for s in self.of_kind(marks.kind) if s.marker or not marks.markers]
        if not found:
            return False
        if marks.series is not None and len(found) != marks.series:
            return False
        if marks.points is not None and sum(s.points for s in found) != marks.points:
            return False
        if marks.grid is not None and not any(s.grid == tuple(marks.grid) for s in found):
            return False
        spans = [s.span for s in found if s.span is not None]
        for axis, expected in ((0, marks.x), (1, marks.y)):
            if expected is None:
                continue
            if not spans:
                return False
            low, high = min(s[2 * axis] for s in spans), max(s[2 * axis + 1] for s in spans)
            margin = SPAN_TOLERANCE * max(abs(expected[1] - expected[0]), 1e-9)
            if not (within(low, expected[0], margin) and within(high, expected[1], margin)):
                return False
        return True

    @property
    def lines_told_apart(self) -> bool:
        """Curves differ from one another by line style or marker; so do reference lines of one direction."""
        groups = [[(s.style, s.marker) for s in self.of_kind("lines")]]
        groups += [[(line.style, line.marker) for line in self.straight if line.axis == axis] for axis in "xy"]
        return all(a != b for group in groups for a, b in combinations(group, 2))


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

    def advise(self, figure: FigureFacts) -> str | None:
        """What any chart needs and this one lacks: a title, axis labels, a legend for several series."""
        chart = Chart(figure)
        missing = []
        if not chart.has_title:
            missing.append("un titre (ax.set_title(\"…\"))")
        if not chart.has_axis_labels:
            missing.append("un intitulé sur chaque axe (ax.set_xlabel(\"…\") et ax.set_ylabel(\"…\"))")
        named = [s for s in chart.series if s.kind != "heatmap"]
        if len(named) > 1 and not chart.legend_labels:
            missing.append(f"une légende pour ses {len(named)} séries (label=\"…\" dans chaque tracé, puis ax.legend())")
        if not missing:
            return None
        return f"Il manque à votre graphique : {' ; '.join(missing)}. Un lecteur en a besoin pour le comprendre."

    def criteria(self, figure: FigureFacts, spec: FigureSpec) -> list[tuple[str, bool]]:
        chart = Chart(figure)
        checks = [(marks.name, chart.meets(marks)) for marks in spec.marks]
        if spec.n_points is not None:
            checks.append((f"{spec.n_points} éléments tracés", chart.data_points == spec.n_points))
        checks += [(lines.label, lines.met_by(chart.levels(lines.axis))) for lines in spec.reference_lines]
        if spec.title:
            checks.append(("un titre", chart.has_title))
        if spec.axis_labels:
            checks.append(("un intitulé sur chaque axe", chart.has_axis_labels))
        if spec.n_annotations is not None:
            checks.append((f"{spec.n_annotations} étiquettes de points", chart.annotations >= spec.n_annotations))
        if spec.legend:
            name = "une légende qui nomme chaque série" if max(1, spec.named_series) > 1 else "une légende"
            if spec.legend_names:
                name += f" ({', '.join(spec.legend_names)})"
            checks.append((name, chart.legend_names(spec)))
        if spec.colorbar:
            checks.append(("une barre de couleur (l'échelle des couleurs)", chart.has_colorbar))
        if spec.distinct_line_styles:
            checks.append(("des courbes distinguées par le style de trait ou les marqueurs (pas seulement par la "
                           "couleur)", chart.lines_told_apart))
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
            f"Critères remplis : {len(met)} sur {len(checks)}. Il manque : {' ; '.join(unmet)}.",
            points * len(met) / len(checks),
            points,
            expected.hint,
        )


def _tuple(facts: dict) -> tuple | None:
    span = facts.get("span")
    return tuple(span) if span else None


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
