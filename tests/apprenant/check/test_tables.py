"""Tables and selections: partial credit per value, missing columns, wrong shapes."""
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_apprenant import Selection, Status, Table
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.tables import rows_of, values_of
from tests.conftest import examples

SHARES = pd.Series({"Veloxia": 0.30, "Urban'Ride": 0.20, "Cyclonord": 0.50})


def test_all_values_right():
    assert Table("Parts", SHARES.copy(), unit="rate").grade(SHARES, 3).score == 3


def test_partial_credit_is_the_share_of_right_values_and_names_the_wrong_ones():
    given = pd.Series({"veloxia": 0.30, "Urban'Ride": 0.25, "Cyclonord": 0.50})
    result = Table("Parts", given, unit="rate").grade(SHARES, 3)
    assert result.status is Status.PARTIAL and result.score == 2.0
    assert "Urban'Ride" in result.message and "0,25" not in result.message


def test_missing_label_counts_as_wrong():
    result = Table("Parts", SHARES.drop("Cyclonord"), unit="rate").grade(SHARES, 3)
    assert result.score == 2.0 and "Cyclonord" in result.message


def test_one_column_dataframe_and_dict_are_accepted():
    assert Table("Parts", SHARES.to_frame("part"), unit="rate").grade(SHARES, 1).score == 1
    assert Table("Parts", SHARES.to_dict(), unit="rate").grade(SHARES, 1).score == 1


def test_wide_dataframe_for_a_series_question_is_invalid():
    result = Table("Parts", pd.DataFrame({"a": [1, 2], "b": [3, 4]}), unit="rate").grade(SHARES, 1)
    assert result.status is Status.INVALID and result.score == 0


def test_dataframe_with_missing_columns_is_invalid_with_their_names():
    expected = pd.DataFrame({"ca": [1.0], "marge": [2.0]}, index=["A"])
    result = Table("Synthèse", pd.DataFrame({"ca": [1.0]}, index=["A"]), columns=["ca", "marge"]).grade(expected, 2)
    assert result.status is Status.INVALID and result.score == 0 and "marge" in result.message


def test_nan_and_duplicated_labels_are_invalid():
    assert "NaN" in Table("P", pd.Series({"a": float("nan")})).grade(pd.Series({"a": 1.0}), 1).message
    dup = pd.Series([1.0, 2.0], index=["a", "a"])
    assert "plusieurs fois" in Table("P", dup).grade(pd.Series({"a": 1.0}), 1).message


def test_table_mistake_recognised_as_a_whole():
    volume = pd.Series({"Veloxia": 0.40, "Urban'Ride": 0.10, "Cyclonord": 0.50})
    expected = Expected(SHARES, mistakes=[Mistake(volume, "les parts sont calculées en volume.", "methode")])
    result = Table("Parts", volume.copy(), unit="rate").grade(expected, 2)
    # the method is wrong (no credit), but Cyclonord's share is right: the learner keeps 1 value in 3
    assert result.score == pytest.approx(2 / 3, abs=0.01) and "volume" in result.message


def test_text_values_are_compared_without_case():
    expected = pd.Series({"secteur": "Santé", "departement": 59})
    given = pd.Series({"secteur": "sante", "departement": "59"})
    assert Table("ICP", given).grade(expected, 2).score == 2


def test_wrong_type_for_a_table():
    result = Table("Parts", 0.3).grade(SHARES, 2)
    assert result.status is Status.INVALID and "pas un tableau" in result.message


def test_selection_overlap_credit():
    result = Selection("Top clients", ["C1", "C2", "C9"]).grade(["C1", "C2", "C3"], 2)
    assert result.score == 1.0 and "1 élément(s) attendu(s) manquant(s)" in result.message


def test_selection_from_a_dataframe_column_or_index():
    frame = pd.DataFrame({"client_id": ["C1", "C2"], "ca": [1, 2]})
    assert Selection("Top", frame, key="client_id").grade(["C1", "C2"], 1).score == 1
    assert Selection("Top", frame.set_index("client_id"), key="client_id").grade(["C1", "C2"], 1).score == 1
    result = Selection("Top", frame).grade(["C1"], 1)
    assert result.status is Status.INVALID


@pytest.mark.parametrize("value", ["C1", 3, [], ...])
def test_selection_invalid_forms(value):
    assert Selection("Top", value).grade(["C1"], 1).score == 0


def test_excel_table_reads_the_learners_workbook(tmp_path, monkeypatch):
    from mda_apprenant import ExcelTable

    monkeypatch.chdir(tmp_path)
    summary = pd.Series({"Chiffre d'affaires": 100.0, "Résultat": 10.0}, name="montant")
    summary.to_excel("budget.xlsx", sheet_name="Synthèse")
    assert ExcelTable("Export", "budget.xlsx", sheet="Synthèse").grade(summary, 1).score == 1
    wrong = summary.copy()
    wrong["Résultat"] = 12.0
    wrong.to_excel("faux.xlsx", sheet_name="Synthèse")
    assert ExcelTable("Export", "faux.xlsx", sheet="Synthèse").grade(summary, 2).score == 1


@pytest.mark.parametrize("path, words", [
    ("absent.xlsx", "n'existe pas"), ("budget.csv", "n'est pas un classeur"), (3, "pas un chemin"), ("autre.xlsx", "pas de feuille"),
])
def test_excel_table_problems_are_explained(tmp_path, monkeypatch, path, words):
    from mda_apprenant import ExcelTable

    monkeypatch.chdir(tmp_path)
    pd.Series({"a": 1.0}).to_excel("autre.xlsx", sheet_name="Feuil1")
    result = ExcelTable("Export", path, sheet="Synthèse").grade(pd.Series({"a": 1.0}), 1)
    assert result.score == 0 and words in result.message


def test_labels_read_as_numbers_ligatures_and_missing_texts_are_handled_as_a_reader_would():
    """2024.0 is the year 2024, « Cœur » is « Coeur »; None in a column of texts is a missing value, not a label."""
    from mda_apprenant.check.expected import Expected

    years = Expected(pd.Series({2024: 1.0, 2025: 2.0}))
    assert Table("CA", pd.Series({2024.0: 1.0, 2025.0: 2.0})).grade(years, 2).score == 2
    assert Table("CA", pd.Series({"2024": 1.0, "2025": 2.0})).grade(years, 2).score == 2
    assert Table("Cible", pd.Series({"Cœur de cible": 1.0})).grade(Expected(pd.Series({"Coeur de cible": 1.0})), 1).score == 1
    zones = Expected(pd.DataFrame({"zone": ["A", "B"]}, index=["R1", "R2"]))
    missing = Table("Zones", pd.DataFrame({"zone": ["A", None]}, index=["R1", "R2"]), columns=["zone"]).grade(zones, 2)
    assert missing.score == 0 and "valeurs manquantes" in missing.message


def test_labels_that_differ_only_by_case_or_spaces_get_a_clear_message():
    from mda_apprenant.check.expected import Expected

    result = Table("Parts", pd.Series({"Urbain": 0.4, "urbain ": 0.6})).grade(Expected(pd.Series({"Urbain": 1.0})), 2)
    assert result.score == 0 and "ne diffèrent que par" in result.message and "Urbain" in result.message


def test_a_table_of_rates_written_as_percentages_keeps_half_like_a_single_rate():
    from mda_apprenant.check.expected import Expected

    shares = Expected(pd.Series({"A": 0.25, "B": 0.75}))
    result = Table("Parts de marché", pd.Series({"A": 25.0, "B": 75.0}), unit="rate").grade(shares, 2)
    assert result.score == 1 and "pourcentage" in result.message
    assert Table("Montants", pd.Series({"A": 25.0, "B": 75.0}), unit="amount").grade(shares, 2).score == 0


def test_extra_rows_count_against_the_share():
    """An unfiltered superset is not right: each row too many counts as wrong values."""
    given = pd.concat([SHARES, pd.Series({"Autre": 0.0, "Divers": 0.1})])
    result = Table("Parts", given, unit="rate").grade(SHARES, 2)
    assert result.score == pytest.approx(2 * 3 / 5, abs=0.01) and result.status is Status.PARTIAL
    assert "en trop" in result.message and "Autre" in result.message


def test_a_recognised_mistake_never_scores_below_the_share_of_right_values():
    labels = [f"C{i:03d}" for i in range(520)]
    target = pd.Series(range(520), index=labels, dtype=float)
    mistaken = target * 1.2
    nearly_right = target.copy()
    nearly_right.iloc[:2] = mistaken.iloc[:2] + 1000  # 518 values right of 520
    expected = Expected(target, mistakes=[Mistake(mistaken, "les montants sont TTC.", "ht_ttc")])
    better = Table("CA", nearly_right, unit="amount").grade(expected, 2)
    assert better.score == pytest.approx(2 * 518 / 520, abs=0.01)
    # the slip itself keeps its barème credit, and a worse answer never beats a better one
    slipped = Table("CA", mistaken, unit="amount").grade(expected, 2)
    assert slipped.score == 1.0 and "TTC" in slipped.message
    assert better.score > slipped.score


def test_a_selection_keeps_the_better_of_mistake_credit_and_overlap():
    target = [f"C{i}" for i in range(20)]
    near = target[:19] + ["X"]  # 19 right of 21 distinct
    expected = Expected(target, mistakes=[Mistake(near, "le seuil est exclu.", "bornes")])
    result = Selection("Clients", near).grade(expected, 2)
    assert result.score == pytest.approx(2 * 19 / 21, abs=0.01) and "seuil" in result.message
    method = Expected(target, mistakes=[Mistake(["Y", "Z"], "mauvais périmètre.", "perimetre")])
    assert Selection("Clients", ["Y", "Z"]).grade(method, 2).score == 0


# -- reading a table: the same values as pandas' own iteration, text columns read whole ----------------------------

_TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=5)
_COLUMNS = {
    "str": (st.one_of(_TEXTS, st.none()), "str"),           # pandas' default for text (a CSV file's)
    "string": (st.one_of(_TEXTS, st.none()), "string"),     # its nullable variant (missing: pd.NA)
    "int64": (st.integers(-10**12, 10**12), "int64"),
    "float64": (st.floats(allow_nan=True, allow_infinity=True), "float64"),
    "Int64": (st.one_of(st.integers(-1000, 1000), st.none()), "Int64"),
    "bool": (st.booleans(), "bool"),
    "category": (st.one_of(st.sampled_from(["Actif", "perdu", "é"]), st.none()), "category"),
    "datetime": (st.one_of(st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2200, 1, 1)), st.none()), "datetime64[ns]"),
    "object": (st.one_of(_TEXTS, st.integers(), st.floats(), st.none()), object),
}


@st.composite
def _frames(draw):
    rows = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=0, max_size=5))
    columns = {}
    for position, kind in enumerate(kinds):
        values, dtype = _COLUMNS[kind]
        columns[f"{kind}{position}"] = pd.Series(draw(st.lists(values, min_size=rows, max_size=rows)), dtype=dtype)
    index_kind = draw(st.sampled_from(["str", "string", "int64", "object"]))
    labels = [f"L{k}" if index_kind != "int64" else k for k in range(rows)]
    return pd.DataFrame(columns, index=range(rows)).set_axis(pd.Index(labels, dtype=index_kind), axis=0)


def _exactly(values) -> list:
    """Each value with its type and repr: the same objects for every rule of the comparison (NaN, NA, NaT…)."""
    return [(type(v), repr(v)) for v in values]


@settings(max_examples=examples(300))
@given(_frames())
def test_a_table_is_read_as_pandas_iterates_it(frame):
    assert [_exactly(row) for row in rows_of(frame)] == \
        [_exactly(row) for row in frame.itertuples(index=False, name=None)]
    assert _exactly(values_of(frame.index)) == _exactly(list(frame.index))
    assert _exactly(values_of(frame.columns)) == _exactly(list(frame.columns))
    for name in frame.columns:
        assert _exactly(values_of(frame[name])) == _exactly(list(frame[name]))
