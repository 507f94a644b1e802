"""Reading a hand-over is bounded: caps counted before anything else, a schema checked in one pass.

The caps (``handover.MAX_NODES``, ``MAX_NESTING``) are counted without recursion and stop at
the cap; the schema dispatches each object on its tag, so Python's ``jsonschema`` and the
validator the grader uses (``jsonschema-rs``) agree on every hand-over, valid or not.
"""
from __future__ import annotations

import json

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_apprenant import Table
from mda_apprenant.check.handover import (
    MAX_CHARS, MAX_COLUMNS, MAX_DEPTH, MAX_NESTING, MAX_NODES, TABLE_WEIGHT, serialise, within_caps,
)
from mda_checks.scoring.answer_schema import SCHEMA, TAGGED, TOO_LARGE, ReceivedError, TooLarge, decode, validate
from tests.conftest import examples

SETTINGS = settings(max_examples=examples(150))
PYTHON_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def handed(value) -> dict:
    return {"version": 1, "kind": "Table", "value": value}


def nested(depth: int) -> object:
    """`depth` JSON levels: lists in lists around a number."""
    value: object = 0
    for _ in range(depth - 1):
        value = [value]
    return value


def test_the_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("cap", [1, 2, 7, MAX_NESTING])
def test_nesting_up_to_the_cap_passes_and_one_level_more_does_not(cap):
    assert within_caps(nested(cap), max_nesting=cap)
    assert not within_caps(nested(cap + 1), max_nesting=cap)
    assert within_caps({"$": "list", "values": nested(cap - 1)}, max_nesting=cap) if cap > 1 else True
    assert within_caps(nested(MAX_NESTING)) and not within_caps(nested(MAX_NESTING + 1))


def test_values_up_to_the_cap_pass_and_one_more_does_not():
    assert within_caps(list(range(MAX_NODES - 1)))  # the list itself is a value
    assert not within_caps(list(range(MAX_NODES)))
    assert within_caps({"a": list(range(MAX_NODES - 2))}) and not within_caps({"a": list(range(MAX_NODES - 1))})


def test_a_pandas_table_counts_for_its_weight():
    tiny = {"$": "series", "name": None, "dtype": "float64", "index": {"names": [], "values": []}, "values": []}
    each = 8 + TABLE_WEIGHT  # the series, its five members, the index's two lists, and the weight
    fits = (MAX_NODES - 1) // each
    assert within_caps([tiny] * fits) and not within_caps([tiny] * (fits + 1))


class _Unreadable(list):
    """A container that must not be walked: the count stops at its length."""

    def __iter__(self):
        raise AssertionError("walked")


def test_the_count_stops_at_the_cap_without_walking_a_larger_container():
    assert not within_caps({"$": "list", "values": _Unreadable(range(10 * MAX_NODES))})
    assert not within_caps([[0] * (MAX_NODES // 2), _Unreadable(range(MAX_NODES))])


@pytest.mark.parametrize("value", [
    nested(MAX_NESTING + 5),
    {"$": "list", "values": [0] * MAX_NODES},
    {"$": "list", "values": [{"$": "series", "name": None, "dtype": "x", "index": {"names": [], "values": []},
                              "values": []}] * (MAX_NODES // TABLE_WEIGHT)},
], ids=["imbrication", "liste-plate", "petits-tableaux"])
def test_a_hand_over_over_a_cap_is_refused_before_validation_with_its_french_reason(value):
    with pytest.raises(TooLarge) as refused:
        validate(handed(value))
    assert "trop volumineuse ou trop imbriquée" in str(refused.value) == TOO_LARGE


def test_json_text_nested_beyond_the_parser_is_refused_as_too_deep():
    with pytest.raises(TooLarge):
        validate('{"version": 1, "kind": "Table", "value": ' + "[" * 100_000 + "]" * 100_000 + "}")


def test_a_malformed_item_is_reported_by_the_first_error_with_its_place():
    bomb = handed({"$": "list", "values": [1, 2, {"$": "inconnu"}] + [{"$": "x"}] * 3_000})
    with pytest.raises(ReceivedError, match="ne respecte pas le format attendu") as refused:
        validate(bomb)
    assert "value/values/2" in str(refused.value)


def _frame(columns: int) -> dict:
    return {"$": "frame", "index": {"names": [None], "values": [0]},
            "columns": {"names": [None], "values": list(range(columns))},
            "dtypes": ["float64"] * columns, "data": [[0.0]] * columns}


def test_a_frame_with_more_columns_than_the_cap_is_refused_and_never_handed_over_by_the_kernel():
    assert validate(handed(_frame(MAX_COLUMNS)))
    with pytest.raises(ReceivedError, match="format attendu"):
        validate(handed(_frame(MAX_COLUMNS + 1)))
    assert serialise(Table("Large", pd.DataFrame(np.zeros((1, MAX_COLUMNS + 1)))))["value"] == {"$": "too_large"}
    assert serialise(Table("Large", pd.DataFrame(np.zeros((1, MAX_COLUMNS)))))["value"]["$"] == "frame"


def test_the_kernel_hands_over_an_answer_over_a_cap_as_too_large():
    for value in [pd.Series(np.arange(MAX_NODES, dtype=float)), [[float(i)] for i in range(MAX_NODES // 2)]]:
        assert serialise(Table("Énorme", value))["value"] == {"$": "too_large"}


def test_the_deepest_value_the_kernel_encodes_is_within_the_nesting_cap():
    """Containers deeper than MAX_DEPTH are cut by ``encode``: what it hands over always fits."""
    frame = pd.DataFrame({"a": [1.0]})
    deepest: object = frame
    for level in range(MAX_DEPTH + 3):
        deepest = {"k": [deepest]} if level % 2 else ({"x": deepest},)
    data = json.loads(json.dumps(serialise(Table("Profond", deepest))))
    assert data["value"] != {"$": "too_large"} and within_caps(data)
    validate(data)


# -- the dispatched schema: both validators agree on any hand-over -----------------------------------------------
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=5))
KEYS = st.sampled_from(["$", "values", "name", "dtype", "index", "names", "items", "value", "negative", "type", "x"])


def _mutations(tagged: dict) -> st.SearchStrategy:
    """A valid tagged object, or one with a member dropped, added or given the wrong type."""
    def mutate(draw_key, draw_value):
        broken = dict(tagged)
        if draw_key in broken and draw_value is None:
            del broken[draw_key]
        else:
            broken[draw_key] = draw_value
        return broken
    return st.one_of(st.just(tagged), st.builds(mutate, KEYS, st.one_of(st.none(), SCALARS)))


def _values(children: st.SearchStrategy) -> st.SearchStrategy:
    index = st.fixed_dictionaries({"names": st.lists(children, max_size=2), "values": st.lists(children, max_size=3)})
    tagged = st.one_of(
        st.builds(lambda tag: {"$": tag}, st.sampled_from(sorted(TAGGED) + ["inconnu"])),
        st.builds(lambda v: {"$": "list", "values": v}, st.lists(children, max_size=3)),
        st.builds(lambda v: {"$": "set", "values": v}, st.lists(children, max_size=3)),
        st.builds(lambda i, v, n: {"$": "series", "name": n, "dtype": "float64", "index": i, "values": v},
                  index, st.lists(children, max_size=3), children),
        st.builds(lambda items: {"$": "dict", "items": items}, st.lists(st.lists(children, min_size=1, max_size=3),
                                                                          max_size=3)),
        st.builds(lambda v: {"$": "inf", "negative": v}, st.one_of(st.booleans(), SCALARS)),
        st.builds(lambda v: {"$": "date", "value": v}, SCALARS),
    )
    return tagged.flatmap(_mutations) | st.lists(children, max_size=2)


JSON = st.recursive(SCALARS, _values, max_leaves=25)


@SETTINGS
@given(value=JSON)
def test_the_grader_validator_and_python_jsonschema_give_the_same_verdict(value):
    data = handed(value)
    expected = PYTHON_VALIDATOR.is_valid(data)
    try:
        validate(data)
        verdict = True
    except TooLarge:
        return
    except ReceivedError:
        verdict = False
    assert verdict == expected, value


HONEST = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
              st.dates(), st.datetimes(), st.just(...)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.tuples(children, children),
                               st.dictionaries(st.text(max_size=4), children, max_size=3),
                               st.builds(lambda v: pd.Series(v, dtype=object), st.lists(st.integers(), max_size=4))),
    max_leaves=20)


@SETTINGS
@given(value=HONEST)
def test_whatever_a_kernel_encodes_validates_and_decodes(value):
    data = json.loads(json.dumps(serialise(Table("Valeur", value))))
    decode(validate(data)["value"])


def test_the_char_cap_still_refuses_a_longer_text():
    with pytest.raises(TooLarge):
        validate(" " * (MAX_CHARS + 1))
