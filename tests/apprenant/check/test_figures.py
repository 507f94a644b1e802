"""Figure answers: graded on the elements a reader needs."""
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mda_apprenant import FigureAnswer, Status  # noqa: E402
from mda_apprenant.check.expected import Expected  # noqa: E402
from mda_apprenant.check.figures import FigureSpec  # noqa: E402

SPEC = Expected(FigureSpec(n_points=3, n_annotations=3))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def scatter(title=True, labels=True, names=True):
    fig, ax = plt.subplots()
    ax.scatter([1, 2, 3], [3, 4, 5])
    if title:
        ax.set_title("Carte")
    if labels:
        ax.set_xlabel("Prix")
        ax.set_ylabel("Note")
    if names:
        for i, name in enumerate("ABC"):
            ax.annotate(name, (i + 1, i + 3))
    return fig


def test_complete_chart_gets_all_points():
    assert FigureAnswer("Carte", scatter()).grade(SPEC, 2).score == 2


def test_missing_elements_are_listed_and_cost_their_share():
    result = FigureAnswer("Carte", scatter(labels=False, names=False)).grade(SPEC, 2)
    assert result.status is Status.PARTIAL and result.score == 1.0
    assert "intitulé" in result.message and "étiquettes" in result.message


def test_axes_accepted_wrong_point_count_detected():
    fig, ax = plt.subplots()
    ax.scatter([1, 2], [3, 4])
    ax.set_title("t")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    result = FigureAnswer("Carte", ax).grade(Expected(FigureSpec(n_points=3)), 3)
    assert result.score == 2.0 and "3 éléments tracés" in result.message


def test_not_a_figure():
    assert FigureAnswer("Carte", "graphique").grade(SPEC, 2).status is Status.INVALID
    assert FigureAnswer("Carte", plt.figure()).grade(SPEC, 2).status is Status.INVALID


# -- readable without colour (greyscale and colour-blind readers) ------------------
READABLE = Expected(FigureSpec(title=False, axis_labels=False, readable_without_colour=True))
MONTHS = list(range(1, 13))


def two_lines(**styles):
    fig, ax = plt.subplots()
    ax.plot(MONTHS, [0.9] * 12, **styles.get("first", {}))
    ax.plot(MONTHS, [0.8] * 12, **styles.get("second", {}))
    return fig


def test_red_green_lines_of_the_same_style_fail():
    fig = two_lines(first={"color": "tab:red"}, second={"color": "tab:green"})
    result = FigureAnswer("Tableau de bord", fig).grade(READABLE, 1)
    assert result.score == 0 and "sans la couleur" in result.message


def test_red_green_bars_coding_good_and_bad_fail():
    fig, ax = plt.subplots()
    ax.bar(["Qualité", "Coût", "Délai"], [0.96, 0.03, 0.85], color=["green", "red", "red"])
    assert FigureAnswer("Indicateurs", fig).grade(READABLE, 1).score == 0


def test_line_styles_and_markers_make_the_same_colours_readable():
    fig = two_lines(first={"color": "tab:red", "marker": "o"},
                    second={"color": "tab:green", "linestyle": "--", "marker": "s"})
    assert FigureAnswer("Tableau de bord", fig).grade(READABLE, 1).score == 1


def test_hatches_or_lightness_contrast_make_bars_readable():
    fig, ax = plt.subplots()
    ax.bar(["Qualité", "Coût", "Délai"], [0.96, 0.03, 0.85], color=["green", "red", "red"], hatch=["", "//", "//"])
    assert FigureAnswer("Indicateurs", fig).grade(READABLE, 1).score == 1
    fig, ax = plt.subplots()
    ax.bar(["Qualité", "Coût", "Délai"], [0.96, 0.03, 0.85], color=["#d9d9d9", "#252525", "#252525"])
    assert FigureAnswer("Indicateurs", fig).grade(READABLE, 1).score == 1


def test_bars_with_a_target_line_are_two_kinds_of_marks():
    fig, ax = plt.subplots()
    ax.bar(MONTHS, range(12), color="tab:blue")
    ax.axhline(6, color="tab:blue")
    assert FigureAnswer("CA", fig).grade(READABLE, 1).score == 1


def test_heat_map_needs_a_colour_map_of_monotonic_lightness():
    grid = [[1, 2, 3], [2, 4, 6], [3, 6, 9]]
    fig, ax = plt.subplots()
    ax.imshow(grid, cmap="RdYlGn_r")
    assert FigureAnswer("Matrice", fig).grade(READABLE, 1).score == 0
    fig, ax = plt.subplots()
    image = ax.imshow(grid, cmap="YlOrRd")
    fig.colorbar(image)
    assert FigureAnswer("Matrice", fig).grade(READABLE, 1).score == 1


def test_lightness_of_reference_colours():
    from mda_apprenant.check.greyscale import MIN_LIGHTNESS_GAP, lightness

    assert lightness("black") == 0 and round(lightness("white")) == 100
    assert abs(lightness("tab:red") - lightness("tab:green")) < MIN_LIGHTNESS_GAP


def test_criterion_is_off_by_default():
    fig = two_lines(first={"color": "tab:red"}, second={"color": "tab:green"})
    assert FigureAnswer("Tableau de bord", fig).grade(Expected(FigureSpec(title=False, axis_labels=False)), 1).score == 1


def test_heat_map_with_colour_bar_is_read_on_the_map_not_on_the_bar():
    fig, ax = plt.subplots()
    fig.colorbar(ax.imshow([[1, 2], [2, 4]], cmap="Greys"))
    ax.set_title("Matrice des risques")
    ax.set_xlabel("Gravité")
    ax.set_ylabel("Probabilité")
    for x, y, code in [(0, 0, "R1"), (1, 1, "R2")]:
        ax.annotate(code, (x, y))
    spec = Expected(FigureSpec(n_annotations=2, readable_without_colour=True))
    assert FigureAnswer("Matrice", fig).grade(spec, 4).score == 4


# -- every requirement a question states is a criterion ------------------------------
from mda_apprenant.check.figures import Marks, ReferenceLines  # noqa: E402

BARE = dict(title=False, axis_labels=False)


def score(fig, **spec):
    """The share of the points (out of 1) a chart earns against a spec of only these criteria."""
    result = FigureAnswer("Graphique", fig).grade(Expected(FigureSpec(**{**BARE, **spec})), 1)
    plt.close(fig)
    return result.score


def unmet(fig, **spec):
    result = FigureAnswer("Graphique", fig).grade(Expected(FigureSpec(**{**BARE, **spec})), 1)
    plt.close(fig)
    return result.message


def chart(draw):
    fig, ax = plt.subplots()
    draw(ax)
    return fig


BARS = (Marks("bars", points=12, label="le CA en barres"),)


def test_bars_are_required_when_asked_for_horizontal_bars_count():
    assert score(chart(lambda ax: ax.bar(MONTHS, MONTHS)), marks=BARS) == 1
    assert score(chart(lambda ax: ax.barh(MONTHS, MONTHS)), marks=BARS) == 1
    assert score(chart(lambda ax: ax.plot(MONTHS, MONTHS)), marks=BARS) == 0
    assert "le CA en barres" in unmet(chart(lambda ax: ax.plot(MONTHS, MONTHS)), marks=BARS)
    assert score(chart(lambda ax: ax.bar(MONTHS[:6], MONTHS[:6])), marks=BARS) == 0  # not one bar a month


def test_bars_drawn_one_by_one_or_by_pandas_are_bars():
    def one_by_one(ax):
        for month in MONTHS:
            ax.bar(month, month)
    assert score(chart(one_by_one), marks=BARS) == 1
    import pandas as pd
    assert score(chart(lambda ax: pd.Series(MONTHS, index=MONTHS).plot.bar(ax=ax)), marks=BARS) == 1


TWO_CURVES = (Marks("lines", series=2, points=24, label="deux courbes de 12 points"),)


def test_curves_are_counted_and_a_reference_line_is_not_a_curve():
    def two(ax):
        ax.plot(MONTHS, MONTHS, "o-")
        ax.plot(MONTHS, MONTHS[::-1], "s--")
    assert score(chart(two), marks=TWO_CURVES) == 1
    assert score(chart(lambda ax: (two(ax), ax.axhline(6, linestyle=":"))), marks=TWO_CURVES) == 1
    assert score(chart(lambda ax: (two(ax), ax.plot(MONTHS, [6] * 12))), marks=TWO_CURVES) == 1
    assert score(chart(lambda ax: ax.plot(MONTHS, MONTHS)), marks=TWO_CURVES) == 0
    assert score(chart(lambda ax: (two(ax), ax.plot(MONTHS, [m % 3 for m in MONTHS]))), marks=TWO_CURVES) == 0
    assert score(chart(lambda ax: (ax.bar(MONTHS, MONTHS), ax.bar(MONTHS, MONTHS))), marks=TWO_CURVES) == 0


def test_a_curve_with_markers():
    marks = (Marks("lines", series=1, points=12, markers=True, label="une courbe avec marqueurs"),)
    assert score(chart(lambda ax: ax.plot(MONTHS, MONTHS, marker="o")), marks=marks) == 1
    assert score(chart(lambda ax: ax.plot(MONTHS, MONTHS)), marks=marks) == 0


def test_points_span_the_expected_variables_on_each_axis():
    prices, ratings = [1800, 2400, 3100], [3.9, 4.4, 4.1]
    marks = (Marks("points", points=3, x=(1800, 3100), y=(3.9, 4.4), label="un point par acteur"),)
    assert score(chart(lambda ax: ax.scatter(prices, ratings)), marks=marks) == 1
    assert score(chart(lambda ax: ax.plot(prices, ratings, "o")), marks=marks) == 1  # markers only: points
    assert score(chart(lambda ax: ax.scatter(ratings, prices)), marks=marks) == 0    # axes swapped
    assert score(chart(lambda ax: ax.scatter(prices[:2], ratings[:2])), marks=marks) == 0
    assert score(chart(lambda ax: ax.bar(prices, ratings)), marks=marks) == 0


GRID = [[p * g for g in range(1, 6)] for p in range(1, 5)]  # 4 probabilities (rows) × 5 severities (columns)
HEAT = (Marks("heatmap", grid=(4, 5), label="une carte de chaleur"),)


def test_heat_map_is_a_colour_grid_of_the_asked_shape():
    import numpy as np

    assert score(chart(lambda ax: ax.imshow(GRID, cmap="YlOrRd")), marks=HEAT) == 1
    assert score(chart(lambda ax: ax.pcolormesh(np.array(GRID), cmap="YlOrRd")), marks=HEAT) == 1
    assert score(chart(lambda ax: ax.pcolor(np.array(GRID), cmap="YlOrRd")), marks=HEAT) == 1
    assert score(chart(lambda ax: ax.imshow(np.array(GRID).T, cmap="YlOrRd")), marks=HEAT) == 0  # axes swapped
    assert score(chart(lambda ax: ax.scatter([1, 2], [1, 2], c=[1, 2])), marks=HEAT) == 0


def test_colour_bar_is_checked():
    def with_bar(ax):
        ax.figure.colorbar(ax.imshow(GRID, cmap="YlOrRd"), ax=ax, label="Criticité")
    assert score(chart(with_bar), colorbar=True) == 1
    assert score(chart(lambda ax: ax.imshow(GRID, cmap="YlOrRd")), colorbar=True) == 0
    assert "barre de couleur" in unmet(chart(lambda ax: ax.imshow(GRID, cmap="YlOrRd")), colorbar=True)


OBJECTIVES = (ReferenceLines((0.95, 0.9), "les lignes d'objectif", rates=True),)


def test_objective_lines_at_their_levels_in_any_of_the_usual_ways():
    rates = [0.9 + 0.005 * m for m in MONTHS]
    assert score(chart(lambda ax: (ax.plot(MONTHS, rates), ax.axhline(0.95), ax.axhline(0.9))),
                 reference_lines=OBJECTIVES) == 1
    assert score(chart(lambda ax: (ax.plot(MONTHS, rates), ax.hlines([0.95, 0.9], 1, 12))),
                 reference_lines=OBJECTIVES) == 1
    assert score(chart(lambda ax: (ax.plot(MONTHS, rates), ax.plot(MONTHS, [0.95] * 12), ax.plot(MONTHS, [0.9] * 12))),
                 reference_lines=OBJECTIVES) == 1
    in_percent = [100 * r for r in rates]
    assert score(chart(lambda ax: (ax.plot(MONTHS, in_percent), ax.axhline(95), ax.axhline(90))),
                 reference_lines=OBJECTIVES) == 1
    # an extra reference line is allowed
    assert score(chart(lambda ax: (ax.axhline(0.95), ax.axhline(0.9), ax.axhline(1.0), ax.axvline(6))),
                 reference_lines=OBJECTIVES) == 1


def test_missing_or_misplaced_objective_lines_fail():
    rates = [0.9 + 0.005 * m for m in MONTHS]
    assert score(chart(lambda ax: ax.plot(MONTHS, rates)), reference_lines=OBJECTIVES) == 0
    assert score(chart(lambda ax: (ax.plot(MONTHS, rates), ax.axhline(0.95))), reference_lines=OBJECTIVES) == 0
    assert score(chart(lambda ax: (ax.axhline(0.95), ax.axhline(0.8))), reference_lines=OBJECTIVES) == 0
    assert score(chart(lambda ax: (ax.axvline(0.95), ax.axvline(0.9))), reference_lines=OBJECTIVES) == 0  # vertical
    assert "les lignes d'objectif" in unmet(chart(lambda ax: ax.plot(MONTHS, rates)), reference_lines=OBJECTIVES)


def test_percent_scale_only_for_rates():
    lines = (ReferenceLines((0.8,), "une ligne à 0,8"),)
    assert score(chart(lambda ax: ax.axhline(80)), reference_lines=lines) == 0
    assert score(chart(lambda ax: ax.axhline(0.8)), reference_lines=lines) == 1


def test_curves_told_apart_by_style_or_marker_not_by_colour_alone():
    colour_only = two_lines(first={"color": "#1f4e79"}, second={"color": "#c6dbef"})  # a big lightness gap
    assert score(colour_only, distinct_line_styles=True) == 0
    assert "style de trait" in unmet(two_lines(first={"color": "red"}, second={"color": "green"}),
                                     distinct_line_styles=True)
    assert score(two_lines(first={"linestyle": "--"}), distinct_line_styles=True) == 1
    assert score(two_lines(first={"marker": "o"}, second={"marker": "s"}), distinct_line_styles=True) == 1


def test_objective_lines_are_told_apart_from_one_another():
    def curves(ax):
        ax.plot(MONTHS, [0.9 + 0.005 * m for m in MONTHS], "o-")
        ax.plot(MONTHS, [0.85 + 0.005 * m for m in MONTHS], "s--")
    same = chart(lambda ax: (curves(ax), ax.axhline(0.95, linestyle=":"), ax.axhline(0.9, linestyle=":")))
    assert score(same, distinct_line_styles=True) == 0
    apart = chart(lambda ax: (curves(ax), ax.axhline(0.95, linestyle=":"), ax.axhline(0.9, linestyle="-.")))
    assert score(apart, distinct_line_styles=True) == 1
    # a straight objective line and a curve are told apart by their shape, whatever their style
    assert score(chart(lambda ax: (ax.plot(MONTHS, MONTHS), ax.axhline(6))), distinct_line_styles=True) == 1


@pytest.mark.filterwarnings("ignore:No artists with labels")
def test_legend_must_name_each_series():
    marks = TWO_CURVES

    def curves(ax, labels=("2024", "2025")):
        ax.plot(MONTHS, MONTHS, "o-", label=labels[0])
        ax.plot(MONTHS, MONTHS[::-1], "s--", label=labels[1])
    assert score(chart(lambda ax: (curves(ax), ax.legend())), marks=marks, legend=True) == 1
    assert score(chart(curves), marks=marks, legend=True) == 0.5
    assert score(chart(lambda ax: (curves(ax, ("_a", "_b")), ax.legend())), marks=marks, legend=True) == 0.5  # empty
    assert score(chart(lambda ax: (curves(ax, ("2024", "_b")), ax.legend())), marks=marks, legend=True) == 0.5
    assert score(chart(lambda ax: (curves(ax), ax.figure.legend())), marks=marks, legend=True) == 1  # figure legend


def test_legend_names_what_the_question_asks_it_to_name():
    def curves(ax, labels):
        ax.plot(MONTHS, MONTHS, "o-", label=labels[0])
        ax.plot(MONTHS, MONTHS[::-1], "s--", label=labels[1])
        ax.legend(title="Année")
    spec = dict(marks=TWO_CURVES, legend=True, legend_names=("2024", "2025"))
    assert score(chart(lambda ax: curves(ax, ("CA 2024", "CA 2025"))), **spec) == 1
    assert score(chart(lambda ax: curves(ax, ("Série 1", "Série 2"))), **spec) == 0.5
    assert "(2024, 2025)" in unmet(chart(lambda ax: curves(ax, ("a", "b"))), **spec)


def test_title_on_the_left_and_labels_on_a_twin_axes_count():
    def twin(ax):
        ax.bar(MONTHS, MONTHS, label="CA réel")
        ax.set_title("CA 2025", loc="left")
        ax.set_xlabel("Mois")
        other = ax.twinx()
        other.plot(MONTHS, MONTHS, "o-", label="Budget")
        other.set_ylabel("Euros")
        ax.figure.legend()
    marks = (Marks("bars", points=12), Marks("lines", series=1, points=12, markers=True))
    spec = dict(marks=marks, title=True, axis_labels=True, legend=True)
    assert FigureAnswer("Graphique", chart(twin)).grade(Expected(FigureSpec(**spec)), 1).score == 1


def test_reference_lines_are_not_counted_as_plotted_elements():
    assert score(chart(lambda ax: (ax.scatter([1, 2, 3], [3, 4, 5]), ax.axhline(4))), n_points=3) == 1


def test_every_criterion_is_a_named_share_of_the_points():
    def bare(ax):
        ax.plot(MONTHS, MONTHS, color="red")
        ax.plot(MONTHS, MONTHS[::-1], color="green")
    spec = FigureSpec(marks=TWO_CURVES, legend=True, distinct_line_styles=True)
    result = FigureAnswer("Graphique", chart(bare)).grade(Expected(spec), 2)
    # five criteria: two curves (met), title, axis labels, legend, styles (unmet)
    assert result.score == 0.4 and result.status is Status.PARTIAL
    for name in ("un titre", "un intitulé sur chaque axe", "une légende", "style de trait"):
        assert name in result.message


def test_kinds_of_marks_are_checked_by_name():
    with pytest.raises(ValueError):
        Marks("camembert")
    assert Marks("bars", points=12).name.startswith("des barres")


# -- self-check before submission (learner side, no key) ------------------------------
def test_self_check_warns_about_missing_title_labels_and_legend():
    def two(ax):
        ax.plot(MONTHS, MONTHS, label="2024")
        ax.plot(MONTHS, MONTHS[::-1], label="2025")
    hint = FigureAnswer("Graphique", chart(two)).precheck().hint
    assert "titre" in hint and "intitulé sur chaque axe" in hint and "légende" in hint
    complete = chart(lambda ax: (two(ax), ax.set_title("CA"), ax.set_xlabel("Mois"), ax.set_ylabel("€"),
                                 ax.legend()))
    result = FigureAnswer("Graphique", complete).precheck()
    assert result.hint is None and result.status is Status.FORMAT_OK


def test_self_check_asks_for_a_legend_only_with_several_series():
    one = chart(lambda ax: (ax.plot(MONTHS, MONTHS), ax.axhline(6), ax.set_title("CA"), ax.set_xlabel("Mois"),
                            ax.set_ylabel("€")))
    assert FigureAnswer("Graphique", one).precheck().hint is None
    heat = chart(lambda ax: (ax.imshow(GRID), ax.set_title("Risques"), ax.set_xlabel("Gravité"),
                             ax.set_ylabel("Probabilité")))
    assert FigureAnswer("Graphique", heat).precheck().hint is None
    two = chart(lambda ax: (ax.bar(MONTHS, MONTHS), ax.plot(MONTHS, MONTHS, "o-"), ax.set_title("CA"),
                            ax.set_xlabel("Mois"), ax.set_ylabel("€")))
    hint = FigureAnswer("Graphique", two).precheck().hint
    assert "légende" in hint and "titre" not in hint


def test_self_check_never_reads_a_key():
    """advise works on the figure alone: the same hint whatever the expected chart."""
    fig = chart(lambda ax: ax.plot(MONTHS, MONTHS))
    assert "titre" in FigureAnswer("Graphique", fig).advise(FigureAnswer("Graphique", fig).coerce())


def test_the_new_facts_cross_the_handover_schema_and_grade_the_same():
    """Bars, straight lines, grids, colour bar, twin Axes and figure legend: validated JSON, same grade."""
    import json

    import numpy as np

    from mda_apprenant.check.handover import serialise
    from mda_checks.scoring.answer_schema import decode, validate

    fig, (ax, heat) = plt.subplots(1, 2)
    ax.bar(MONTHS, MONTHS, label="Réel")
    ax.twinx().plot(MONTHS, [m + 0.5 for m in MONTHS], "o--", label="Budget")
    ax.axhline(6, linestyle=":")
    ax.hlines([2, 3], 1, 12, linestyles=["--", "-."])
    ax.axvline(float("nan"))  # a level that is not a number is handed over as none
    ax.scatter([1, 2], [np.inf, 3])
    ax.set_title("CA", loc="right")
    ax.set_xlabel("Mois")
    ax.set_ylabel("€")
    fig.legend()
    fig.colorbar(heat.pcolormesh(np.array(GRID), cmap="Greys"), ax=heat)
    answer = FigureAnswer("Graphique", fig)
    handed = json.loads(json.dumps(serialise(answer), allow_nan=False))  # strict JSON: every number finite
    facts = decode(validate(handed)["value"])
    spec = Expected(FigureSpec(marks=(Marks("bars", points=12), Marks("lines", series=1, markers=True)),
                               reference_lines=(ReferenceLines((6, 2, 3), "les repères"),), legend=True))
    assert FigureAnswer("Graphique", facts).grade(spec, 1).score == answer.grade(spec, 1).score == 1
