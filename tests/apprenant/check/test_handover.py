"""The hand-over: what a learner's kernel sends is data, and grading it equals grading the live answer."""
from __future__ import annotations

import datetime as dt
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from mda_apprenant import Amount, Carried, Choice, DateValue, FigureAnswer, Quantity, Rate, Selection, Table  # noqa: E402
from mda_apprenant.check.expected import Expected, Mistake  # noqa: E402
from mda_apprenant.check.figures import FigureSpec  # noqa: E402
from mda_apprenant.check.handover import MAX_CHARS, MAX_ITEMS, MIME_TYPE, encode, serialise  # noqa: E402
from mda_checks.scoring.answer_schema import ReceivedError, TooLarge, decode, validate  # noqa: E402
from mda_checks.scoring.answer_spec import read_spec  # noqa: E402
from tests.conftest import REPO  # noqa: E402


def roundtrip(value):
    data = validate(json.loads(json.dumps({"version": 1, "kind": "x", "value": encode(value)})))
    return decode(data["value"])


@pytest.mark.parametrize("value", [
    0, -3, 2.5, 1e-12, True, None, "Vélo à assistance", dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 8, 30),
    pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-01 10:00", tz="Europe/Paris"), ["C001", "C002"], ("a", 1),
])
def test_plain_values_come_back_equal(value):
    assert roundtrip(value) == value


def test_special_numbers_and_markers_come_back():
    assert np.isnan(roundtrip(float("nan"))) and roundtrip(float("-inf")) == float("-inf")
    assert roundtrip(...) is Ellipsis and roundtrip(pd.NaT) is pd.NaT
    assert roundtrip(np.int64(7)) == 7 and roundtrip(np.float32(0.5)) == 0.5
    assert roundtrip(np.datetime64("2026-03-01")) == pd.Timestamp("2026-03-01")
    assert roundtrip({"b", "a"}) == {"a", "b"} and roundtrip({"x": 1.5}) == {"x": 1.5}


def test_tables_keep_labels_names_and_types():
    series = pd.Series([0.1, 0.25], index=pd.Index(["Urbain", "Cargo"], name="segment"), name="part")
    back = roundtrip(series)
    pd.testing.assert_series_equal(back, series)
    frame = pd.DataFrame({"R": [1, 5], "F": [2, 3], "segment": ["A", "B"]}, index=["C1", "C2"])
    pd.testing.assert_frame_equal(roundtrip(frame), frame)
    multi = pd.Series([1.0, 2.0], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["x", "y"]))
    pd.testing.assert_series_equal(roundtrip(multi), multi)


def test_an_object_is_handed_over_by_its_type_name_only():
    back = roundtrip(plt)
    assert repr(back) == "<module>"
    assert "un objet de type module" in Rate("Taux", back).grade(0.1, 1).message


def test_forms_that_carry_a_score_or_a_strange_tag_are_refused():
    good = serialise(Rate("Taux", 0.1))
    validate(good)
    for bad in [{**good, "score": 2}, {**good, "version": 2}, {**good, "value": {"$": "score", "value": 2}},
                {**good, "value": {"$": "series", "name": None, "dtype": "float64",
                                    "index": {"names": [None], "values": [1, 2]}, "values": [1.0]}},
                "pas du json", ["liste"]]:
        with pytest.raises(ReceivedError):
            data = validate(bad)
            decode(data["value"])


def test_an_answer_too_large_to_hand_over_is_marked_so_and_refused_on_the_grader_side():
    for big in [pd.Series(np.arange(MAX_ITEMS + 1, dtype=float)), ["x" * 9_000] * (MAX_CHARS // 9_000 + 1)]:
        data = serialise(Table("Énorme", big))
        assert data["value"] == {"$": "too_large"}
        with pytest.raises(TooLarge):
            decode(validate(data)["value"])


def test_the_check_cell_displays_the_self_check_and_the_hand_over():
    bundle = Rate("TCAM", 0.05)._repr_mimebundle_()
    assert "format valide" in bundle["text/plain"] and "mda-check" in bundle["text/html"]
    assert bundle[MIME_TYPE]["value"] == 0.05 and bundle[MIME_TYPE]["kind"] == "Rate"


def _two_phase(source: str, answer, expected: Expected, points: float = 2, earlier: dict | None = None):
    """Grade `answer` as the grader does: hand over, validate, decode, rebuild from the cell's source
    (a carried answer's earlier results, `earlier`, come from the earlier check cells, not from this one)."""
    data = validate(json.loads(json.dumps(serialise(answer))))
    rebuilt = read_spec(source).build(decode(data["value"]), expected, options=data.get("options"), inputs=earlier)
    return rebuilt.grade(expected, points)


CASES = [
    ('reponse = Rate("TCAM", x)', lambda x: Rate("TCAM", x), Expected(0.0421), [0.0421, 4.21, -0.0421, 0.5, "4 %", ..., None]),
    ('reponse = Amount("Coût", x)', lambda x: Amount("Coût", x), Expected(1234.56, [Mistake(1481.47, "TTC", "ht_ttc")]),
     [1234.56, 1481.47, 1234.0, np.float64(1234.56), pd.Series([1.0])]),
    ('reponse = Quantity("Clients", x, unit="clients")', lambda x: Quantity("Clients", x, unit="clients"),
     Expected(42), [42, 41, 42.4, True]),
    ('reponse = DateValue("Point mort", x)', lambda x: DateValue("Point mort", x), Expected(dt.date(2026, 8, 23)),
     [pd.Timestamp("2026-08-23"), "2026-08-24", dt.date(2026, 9, 1), pd.NaT, "demain"]),
    ('reponse = Choice("Segment", x, options=sorted(df["s"].unique()))',
     lambda x: Choice("Segment", x, options=["Cargo", "Urbain"]), Expected("Urbain"), ["urbain", "Cargo", "Autre", 3]),
    ('reponse = Table("Parts", x, unit="rate")', lambda x: Table("Parts", x, unit="rate"),
     Expected(pd.Series({"A": 0.25, "B": 0.75})),
     [pd.Series({"A": 0.25, "B": 0.75}), pd.Series({"a": 0.25, "b": 0.7}), pd.Series({"A": 25.0, "B": 75.0}),
      {"A": 0.25}, pd.Series({"A": np.nan, "B": 0.75}), pd.DataFrame({"x": [1], "y": [2]})]),
    ('reponse = Selection("Clients", x, key="client_id")', lambda x: Selection("Clients", x, key="client_id"),
     Expected(["C1", "C2", "C3"]), [["C1", "C2", "C3"], ("C1", "C2"), pd.Series(["C1", "C4"]), "C1", []]),
]


@pytest.mark.parametrize("source, make, expected, values", CASES, ids=[c[0].split("(")[0][10:] for c in CASES])
def test_grading_the_handed_over_answer_equals_grading_the_live_one(source, make, expected, values):
    for value in values:
        live, handed = make(value).grade(expected, 2), _two_phase(source, make(value), expected)
        assert (handed.score, handed.status, handed.message, handed.hint) == \
            (live.score, live.status, live.message, live.hint), value


def test_a_carried_answer_is_graded_on_the_learners_own_earlier_result():
    scores = pd.DataFrame({"R": [5, 1]}, index=["C1", "C2"])
    derive = Expected(lambda scores: scores["R"].map({5: "Champion", 1: "Perdu"}))
    given = pd.Series({"C1": "Champion", "C2": "Perdu"})
    source = 'reponse = Carried(Table("Segments", segments), scores=scores_rfm)'
    answer = Carried(Table("Segments", given), scores=scores)
    assert _two_phase(source, answer, derive, earlier={"scores": scores}).score == 2
    assert _two_phase(source, answer, derive, earlier={"scores": scores.replace(5, 1)}).score == 1
    assert "inputs" not in serialise(answer)  # the kernel never chooses the earlier results it is graded on


def test_a_chart_is_graded_from_its_description():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2], label="CA")
    ax.set_title("CA")
    ax.set_xlabel("Mois")
    ax.set_ylabel("€")
    ax.legend()
    spec = Expected(FigureSpec(n_points=3, legend=True))
    source = 'reponse = FigureAnswer("Graphique", fig)'
    assert _two_phase(source, FigureAnswer("Graphique", fig), spec).score == 2
    ax.set_title("")
    assert _two_phase(source, FigureAnswer("Graphique", fig), spec).score == pytest.approx(2 * 3 / 4)
    plt.close(fig)


def test_a_workbook_is_read_in_the_kernel_and_graded_from_its_sheets(tmp_path, monkeypatch):
    from mda_apprenant import ExcelTable

    monkeypatch.chdir(tmp_path)
    pd.Series({"a": 1.0, "b": 2.0}).rename("montant").to_excel("budget.xlsx", sheet_name="Synthèse")
    source = 'reponse = ExcelTable("Export", fichier, sheet="Synthèse", unit="amount")'
    expected = Expected(pd.Series({"a": 1.0, "b": 2.0}))
    assert _two_phase(source, ExcelTable("Export", "budget.xlsx", sheet="Synthèse"), expected).score == 2
    wrong = _two_phase(source, ExcelTable("Export", "absent.xlsx", sheet="Synthèse"), expected)
    assert wrong.score == 0 and "n'existe pas" in wrong.message


def test_a_check_the_reference_cannot_score_says_so_without_blaming_the_learner():
    """A reference bug (missing key, failing code) gives 0 with a message for the trainer, never a crash."""
    import nbformat

    from mda_checks.grade.preprocessors.score_answers import ScoreAnswers

    cell = nbformat.v4.new_code_cell('reponse = Rate("TCAM", tcam)\nreponse', execution_count=3)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "inconnue", "points": 2, "locked": True}
    cell.outputs = [nbformat.v4.new_output("execute_result", data=Rate("TCAM", 0.05)._repr_mimebundle_(),
                                           execution_count=3)]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    step = ScoreAnswers(reference_root=str(REPO), case_data=str(REPO / "source" / "bloc1" / "data"))
    step.preprocess(notebook, {"nbgrader": {"assignment": "bloc1", "student": "x", "notebook": "n"}})
    output = notebook.cells[0].outputs
    assert len(output) == 1 and output[0].data["text/plain"] == "0"
    assert "erreur du corrigé (clé ou colonne introuvable)" in output[0].data["text/html"]  # no class name
    assert "formateur" in output[0].metadata["mda"]["probleme"]
