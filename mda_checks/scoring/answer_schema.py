"""Phase 2 of grading, first step: read a handed-over answer as untrusted data.

The JSON comes from a learner's kernel (``mda_apprenant.check.handover``). Before anything reads
it, its size is counted (``handover.within_caps``: values and nesting, a cost bounded by the
caps); then it is checked against ``SCHEMA`` (JSON Schema 2020-12, validated by ``jsonschema-rs``,
which stops at the first error), then rebuilt into plain Python and pandas values. Every object
of the schema is dispatched on its tag (« $ ») rather than tried against each kind in turn:
checking costs one pass over the data, valid or not, with any validator (measured in
docs/correction-promotion.md, « Notation bornée »). Every failure is a ``ReceivedError`` whose
message is French and names no expected value.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema_rs
import pandas as pd

from mda_apprenant.check.cell_errors import MAX_MESSAGE, CellError
from mda_apprenant.check.figure_facts import FigureFacts
from mda_apprenant.check.workbook import WorkbookContent
from mda_apprenant.check.handover import (
    MAX_CHARS, MAX_COLUMNS, MAX_NESTING, MAX_NODES, MAX_TEXT, MIME_TYPE, VERSION, within_caps,
)
from mda_apprenant.check.scalars import Opaque

VALUE = {"$ref": "#/$defs/value"}
_STRING = {"type": "string", "maxLength": MAX_TEXT}
_NAMES = {"type": "array", "maxItems": 20, "items": VALUE}
_VALUES = {"type": "array", "items": VALUE}
_INDEX = {"type": "object", "required": ["names", "values"], "additionalProperties": False,
          "properties": {"names": _NAMES, "values": _VALUES}}
_COLUMNS = {"type": "object", "required": ["names", "values"], "additionalProperties": False,
            "properties": {"names": _NAMES, "values": {**_VALUES, "maxItems": MAX_COLUMNS}}}
_RGBA = {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}
_SHORT = {"type": "string", "maxLength": 300}
_MOMENT = {"type": "string", "maxLength": 60}
_LEVEL = {"type": ["number", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_LABELS = {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 100}}
_GRID = {"type": "array", "minItems": 2, "maxItems": 2, "items": _COUNT}
#: null or an array: the array's bounds only apply to an array
_SPAN = {"type": ["null", "array"], "minItems": 4, "maxItems": 4, "items": {"type": "number"}}

_AXES = {
    "type": "object", "additionalProperties": False,
    "required": ["colorbar", "position", "plotted", "images", "image_grids", "title", "xlabel", "ylabel", "texts", "legend",
                 "legend_labels", "bars", "lines", "patches", "collections", "colormaps"],
    "properties": {
        "colorbar": {"type": "boolean"}, "legend": {"type": "boolean"},
        "position": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        "plotted": _COUNT, "images": _COUNT, "texts": _COUNT, "legend_labels": _LABELS,
        "image_grids": {"type": "array", "maxItems": 50, "items": _GRID},
        "title": _SHORT, "xlabel": _SHORT, "ylabel": _SHORT,
        "bars": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False, "required": ["orientation", "count", "visible"],
            "properties": {"orientation": {"enum": ["vertical", "horizontal"]}, "count": _COUNT,
                           "visible": {"type": "boolean"}}}},
        "lines": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["visible", "points", "style", "marker", "color", "horizontal", "vertical", "span"],
            "properties": {"visible": {"type": "boolean"}, "points": _COUNT,
                           "style": _SHORT, "marker": _SHORT, "color": _RGBA,
                           "horizontal": _LEVEL, "vertical": _LEVEL, "span": _SPAN}}},
        "patches": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False, "required": ["visible", "face", "hatch"],
            "properties": {"visible": {"type": "boolean"}, "face": _RGBA, "hatch": _SHORT}}},
        "collections": {"type": "array", "maxItems": 500, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["visible", "mapped", "faces", "edges", "shape", "hatch", "kind", "size", "straight",
                         "grid", "span"],
            "properties": {"visible": {"type": "boolean"}, "mapped": {"type": "boolean"},
                           "faces": {"type": "array", "maxItems": 500, "items": _RGBA},
                           "edges": {"type": "array", "maxItems": 500, "items": _RGBA},
                           "shape": {"type": "array", "maxItems": 128, "items": {"type": "number"}},
                           "hatch": _SHORT,
                           "kind": {"enum": ["points", "lines", "mesh", "area", "other"]}, "size": _COUNT,
                           "grid": {"type": ["null", "array"], "minItems": 2, "maxItems": 2, "items": _COUNT},
                           "span": _SPAN,
                           "straight": {"type": "array", "maxItems": 50, "items": {
                               "type": "object", "additionalProperties": False,
                               "required": ["axis", "level", "style"],
                               "properties": {"axis": {"enum": ["x", "y"]}, "level": {"type": "number"},
                                              "style": _SHORT}}}}}},
        "colormaps": {"type": "array", "maxItems": 40, "items": {
            "type": "array", "minItems": 2, "maxItems": 256, "items": _RGBA}},
    },
}


def _tagged(tag: str, **properties) -> dict:
    return {"required": ["$", *properties], "additionalProperties": False,
            "properties": {"$": {"const": tag}, **properties}}


#: every tagged object of the encoding (``handover.encode``), by tag
TAGGED = {
    **{tag: _tagged(tag) for tag in ("nan", "ellipsis", "nat", "too_large")},
    "inf": _tagged("inf", negative={"type": "boolean"}),
    **{tag: _tagged(tag, value=_MOMENT) for tag in ("timestamp", "datetime", "date")},
    "object": _tagged("object", type=_MOMENT),
    "cell_error": _tagged("cell_error", message={"type": "string", "maxLength": MAX_MESSAGE}),
    "series": _tagged("series", name=VALUE, dtype=_MOMENT, index=_INDEX, values=_VALUES),
    "frame": _tagged("frame", index=_INDEX, columns=_COLUMNS,
                     dtypes={"type": "array", "maxItems": MAX_COLUMNS, "items": _MOMENT},
                     data={"type": "array", "maxItems": MAX_COLUMNS, "items": _VALUES}),
    **{tag: _tagged(tag, values=_VALUES) for tag in ("index", "array", "list", "tuple", "set")},
    "dict": _tagged("dict", items={"type": "array", "items": {
        "type": "array", "minItems": 2, "maxItems": 2, "items": VALUE}}),
    "figure": _tagged("figure", suptitle=_SHORT, axes={"type": "array", "maxItems": 50, "items": _AXES},
                      legend_labels=_LABELS),
    "workbook": _tagged("workbook", name=_STRING, exists={"type": "boolean"}, error=_MOMENT,
                        sheets={"type": "array", "maxItems": 100, "items": {
                            "type": "array", "minItems": 2, "maxItems": 2, "prefixItems": [_STRING, VALUE]}}),
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "kind", "value"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": VERSION},
        "kind": {"type": "string", "maxLength": 60},
        "value": VALUE,
        "options": {"type": "array", "maxItems": 10_000, "items": _STRING},
    },
    "$defs": {"value": {
        # a plain JSON value, or an object dispatched on its tag: only its own kind is checked
        "if": {"type": "object"},
        "then": {"required": ["$"], "properties": {"$": {"enum": sorted(TAGGED)}},
                 "allOf": [{"if": {"properties": {"$": {"const": tag}}}, "then": schema}
                           for tag, schema in TAGGED.items()]},
        "else": {"type": ["null", "boolean", "number", "string"], "maxLength": MAX_TEXT},
    }},
}
_VALIDATOR = jsonschema_rs.validator_for(SCHEMA)
#: the cell's problem when a hand-over passes a cap (the journal quotes it)
TOO_LARGE = ("réponse transmise trop volumineuse ou trop imbriquée (plus de "
             f"{MAX_CHARS:_} caractères, {MAX_NODES:_} valeurs ou {MAX_NESTING} niveaux)").replace("_", " ")
#: dtypes restored on decoded columns (others stay as pandas infers them)
_DTYPES = {"int64", "int32", "float64", "float32", "bool", "object", "category", "string", "datetime64[ns]"}


class ReceivedError(Exception):
    """The handed-over data cannot be read; the message (French) says why."""


class TooLarge(ReceivedError):
    pass


def _index(data: dict) -> pd.Index:
    values, names = [decode(v) for v in data["values"]], [decode(n) for n in data["names"]]
    if values and all(isinstance(v, tuple) for v in values) and len(names) > 1:
        return pd.MultiIndex.from_tuples(values, names=names)
    return pd.Index(values, name=names[0] if names else None, dtype=object if not values else None)


def _restore(series: pd.Series, dtype: str) -> pd.Series:
    if dtype not in _DTYPES or str(series.dtype) == dtype:
        return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series


def _series(data: dict) -> pd.Series:
    index = _index(data["index"])
    values = [decode(v) for v in data["values"]]
    if len(values) != len(index):
        raise ReceivedError("colonne mal formée (autant de valeurs que de libellés attendues)")
    series = pd.Series(values, index=index, name=decode(data["name"]), dtype=object if not values else None)
    return _restore(series, data["dtype"])


def _frame(data: dict) -> pd.DataFrame:
    index, columns = _index(data["index"]), _index(data["columns"])
    if len(data["data"]) != len(columns) or len(data["dtypes"]) != len(columns):
        raise ReceivedError("tableau mal formé (colonnes)")
    series = []
    for values, dtype in zip(data["data"], data["dtypes"]):
        if len(values) != len(index):
            raise ReceivedError("tableau mal formé (lignes)")
        column = pd.Series([decode(v) for v in values], index=index, dtype=object if not values else None)
        series.append(_restore(column, dtype))
    frame = pd.concat(series, axis=1) if series else pd.DataFrame(index=index)
    frame.columns = columns
    return frame


def _moment(tag: str, text: str):
    try:
        if tag == "timestamp":
            return pd.Timestamp(text)
        return dt.datetime.fromisoformat(text) if tag == "datetime" else dt.date.fromisoformat(text)
    except ValueError:
        raise ReceivedError(f"date illisible : {text[:40]}") from None


def decode(value: Any) -> Any:
    """Rebuild a value validated against the schema (``validate`` first)."""
    if not isinstance(value, dict):
        return value
    tag = value["$"]
    if tag == "nan":
        return float("nan")
    if tag == "inf":
        return float("-inf") if value["negative"] else float("inf")
    if tag == "ellipsis":
        return Ellipsis
    if tag == "nat":
        return pd.NaT
    if tag == "too_large":
        raise TooLarge(TOO_LARGE)
    if tag in ("timestamp", "datetime", "date"):
        return _moment(tag, value["value"])
    if tag == "object":
        return Opaque(value["type"])
    if tag == "cell_error":
        return CellError(value["message"])
    if tag == "series":
        return _series(value)
    if tag == "frame":
        return _frame(value)
    values = [decode(v) for v in value.get("values", [])]
    if tag == "index":
        return pd.Index(values)
    if tag == "array":
        import numpy as np

        return np.array(values, dtype=object if any(isinstance(v, list) for v in values) else None)
    if tag in ("list", "tuple", "set"):
        try:
            return {"list": list, "tuple": tuple, "set": set}[tag](values)
        except TypeError:  # unhashable items in a set
            raise ReceivedError("ensemble mal formé") from None
    if tag == "dict":
        try:
            return {decode(k): decode(v) for k, v in value["items"]}
        except TypeError:
            raise ReceivedError("dictionnaire mal formé (clé non hachable)") from None
    if tag == "figure":
        return FigureFacts(value["suptitle"], tuple(value["axes"]), tuple(value["legend_labels"]))
    if tag == "workbook":
        sheets = {name: decode(content) for name, content in value["sheets"]}
        if not all(isinstance(frame, pd.DataFrame) for frame in sheets.values()):
            raise ReceivedError("classeur mal formé")
        return WorkbookContent(value["name"], value["exists"], sheets, value["error"])
    raise ReceivedError(f"type de valeur inconnu : {tag[:20]}")


def validate(data: Any) -> dict:
    """The handed-over JSON if it is within the caps and fits the schema; ReceivedError otherwise."""
    if isinstance(data, str):  # a MIME bundle may carry JSON as text
        if len(data) > MAX_CHARS:
            raise TooLarge(TOO_LARGE)
        try:
            data = json.loads(data)
        except RecursionError:
            raise TooLarge(TOO_LARGE) from None
        except ValueError:
            raise ReceivedError("la réponse transmise n'est pas du JSON valide") from None
    if not within_caps(data):
        raise TooLarge(TOO_LARGE)
    try:
        _VALIDATOR.validate(data)
    except jsonschema_rs.ValidationError as error:
        where = "/".join(str(p) for p in list(error.instance_path)[:6]) or "racine"
        raise ReceivedError(f"la réponse transmise ne respecte pas le format attendu (à « {where} »)") from None
    except (ValueError, TypeError, OverflowError):  # not JSON data (a key that is not a text …)
        raise ReceivedError("la réponse transmise ne respecte pas le format attendu (racine)") from None
    return data


def received(bundle: dict) -> dict:
    """The validated answer carried by one output's MIME bundle."""
    return validate(bundle[MIME_TYPE])
