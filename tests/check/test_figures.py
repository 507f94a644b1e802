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
