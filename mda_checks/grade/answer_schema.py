"""Phase 2 of grading, first step: read a handed-over answer as untrusted data.

The JSON comes from a learner's kernel (``mda_checks.check.handover``). It is checked
against ``SCHEMA`` (JSON Schema, validated by ``jsonschema``) before anything reads it,
then rebuilt into plain Python and pandas values. Every failure is a ``ReceivedError``
whose message is French and names no expected value.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema
import pandas as pd

from mda_checks.check.cell_errors import MAX_MESSAGE, CellError
from mda_checks.check.figure_facts import FigureFacts
from mda_checks.check.files import WorkbookContent
from mda_checks.check.handover import MAX_CHARS, MAX_TEXT, MIME_TYPE, VERSION
from mda_checks.check.scalars import Opaque

_STRING = {"type": "string", "maxLength": MAX_TEXT}
_NAMES = {"type": "array", "maxItems": 20, "items": {"$ref": "#/$defs/value"}}
_VALUES = {"type": "array", "items": {"$ref": "#/$defs/value"}}
_INDEX = {"type": "object", "required": ["names", "values"], "additionalProperties": False,
          "properties": {"names": _NAMES, "values": _VALUES}}
_RGBA = {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}
_SHORT = {"type": "string", "maxLength": 300}


def _tagged(tag: str, **properties) -> dict:
    return {"type": "object", "required": ["$", *properties], "additionalProperties": False,
            "properties": {"$": {"const": tag}, **properties}}


_LEVEL = {"type": ["number", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_LABELS = {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 100}}
_GRID = {"type": "array", "minItems": 2, "maxItems": 2, "items": _COUNT}
_SPAN = {"anyOf": [{"type": "null"}, {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}]}

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
                           "grid": {"anyOf": [{"type": "null"}, _GRID]}, "span": _SPAN,
                           "straight": {"type": "array", "maxItems": 50, "items": {
                               "type": "object", "additionalProperties": False,
                               "required": ["axis", "level", "style"],
                               "properties": {"axis": {"enum": ["x", "y"]}, "level": {"type": "number"},
                                              "style": _SHORT}}}}}},
        "colormaps": {"type": "array", "maxItems": 40, "items": {
            "type": "array", "minItems": 2, "maxItems": 256, "items": _RGBA}},
    },
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "kind", "value"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": VERSION},
        "kind": {"type": "string", "maxLength": 60},
        "value": {"$ref": "#/$defs/value"},
        "options": {"type": "array", "maxItems": 10_000, "items": _STRING},
    },
    "$defs": {"value": {"anyOf": [
        {"type": ["null", "boolean", "integer"]},
        {"type": "number"},
        _STRING,
        _tagged("nan"), _tagged("ellipsis"), _tagged("nat"), _tagged("too_large"),
        _tagged("inf", negative={"type": "boolean"}),
        _tagged("timestamp", value={"type": "string", "maxLength": 60}),
        _tagged("datetime", value={"type": "string", "maxLength": 60}),
        _tagged("date", value={"type": "string", "maxLength": 60}),
        _tagged("object", type={"type": "string", "maxLength": 60}),
        _tagged("cell_error", message={"type": "string", "maxLength": MAX_MESSAGE}),
        _tagged("series", name={"$ref": "#/$defs/value"}, dtype={"type": "string", "maxLength": 60},
                index=_INDEX, values=_VALUES),
        _tagged("frame", index=_INDEX, columns=_INDEX,
                dtypes={"type": "array", "items": {"type": "string", "maxLength": 60}},
                data={"type": "array", "items": _VALUES}),
        *(_tagged(kind, values=_VALUES) for kind in ("index", "array", "list", "tuple", "set")),
        _tagged("dict", items={"type": "array", "items": {
            "type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/$defs/value"}}}),
        _tagged("figure", suptitle=_SHORT, axes={"type": "array", "maxItems": 50, "items": _AXES},
                legend_labels=_LABELS),
        _tagged("workbook", name=_STRING, exists={"type": "boolean"}, error={"type": "string", "maxLength": 60},
                sheets={"type": "array", "maxItems": 100, "items": {
                    "type": "array", "minItems": 2, "maxItems": 2,
                    "prefixItems": [_STRING, {"$ref": "#/$defs/value"}]}}),
    ]}},
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
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
        raise TooLarge(f"la réponse dépasse la taille maximale transmise ({MAX_CHARS:,} caractères)".replace(",", " "))
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
    """The handed-over JSON if it fits the schema; ReceivedError otherwise."""
    if isinstance(data, str):  # a MIME bundle may carry JSON as text
        if len(data) > MAX_CHARS:
            raise TooLarge("la réponse transmise est trop volumineuse")
        try:
            data = json.loads(data)
        except ValueError:
            raise ReceivedError("la réponse transmise n'est pas du JSON valide") from None
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in list(error.absolute_path)[:6]) or "racine"
        raise ReceivedError(f"la réponse transmise ne respecte pas le format attendu (à « {where} »)")
    return data


def received(bundle: dict) -> dict:
    """The validated answer carried by one output's MIME bundle."""
    return validate(bundle[MIME_TYPE])
