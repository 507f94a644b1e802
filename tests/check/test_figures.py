"""Figure answers: graded on the elements a reader needs."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mda_checks import FigureAnswer, Status  # noqa: E402
from mda_checks.check.expected import Expected  # noqa: E402
from mda_checks.check.figures import FigureSpec  # noqa: E402

SPEC = Expected(FigureSpec(n_points=3, n_annotations=3))


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
    ax.set_title("t"); ax.set_xlabel("x"); ax.set_ylabel("y")
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
    from mda_checks.check.greyscale import MIN_LIGHTNESS_GAP, lightness

    assert lightness("black") == 0 and round(lightness("white")) == 100
    assert abs(lightness("tab:red") - lightness("tab:green")) < MIN_LIGHTNESS_GAP


def test_criterion_is_off_by_default():
    fig = two_lines(first={"color": "tab:red"}, second={"color": "tab:green"})
    assert FigureAnswer("Tableau de bord", fig).grade(Expected(FigureSpec(title=False, axis_labels=False)), 1).score == 1


def test_heat_map_with_colour_bar_is_read_on_the_map_not_on_the_bar():
    fig, ax = plt.subplots()
    fig.colorbar(ax.imshow([[1, 2], [2, 4]], cmap="Greys"))
    ax.set_title("Matrice des risques"); ax.set_xlabel("Gravité"); ax.set_ylabel("Probabilité")
    for x, y, code in [(0, 0, "R1"), (1, 1, "R2")]:
        ax.annotate(code, (x, y))
    spec = Expected(FigureSpec(n_annotations=2, readable_without_colour=True))
    assert FigureAnswer("Matrice", fig).grade(spec, 4).score == 4
