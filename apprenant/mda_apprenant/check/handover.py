"""Phase 1 of grading, in the learner's kernel: hand the answer over as plain data.

A check cell's last expression is an answer object; besides the self-check that the
learner reads, it displays its raw value encoded as JSON under ``MIME_TYPE``. The
grader (``mda_checks.scoring``), outside the kernel, decodes that JSON,
checks it against a schema and scores it. Nothing but data crosses: no pickle, no
object, and never a score — forging this output can only forge an answer.

Encoding: JSON null, booleans, integers, finite floats and strings stand for
themselves; anything else is an object tagged by ``"$"`` (``nan``, ``inf``, ``date``,
``series``, ``frame``, ``figure`` …; see ``mda_checks.scoring.answer_schema``).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import numbers
from pathlib import PurePath
from typing import Any

# The learner's code runs in this kernel before the check cells: builtins it replaces
# (abs, round …) must not change what is handed over, so this module keeps its own.
from builtins import bool, dict, float, getattr, int, isinstance, len, list, str, tuple, type  # noqa: E402,A004,UP029

from mda_apprenant.check.cell_errors import CellError  # noqa: E402
from mda_apprenant.check.figure_facts import FigureFacts  # noqa: E402
from mda_apprenant.check.workbook import WorkbookContent  # noqa: E402

#: the project's MIME type for a handed-over answer (JupyterLab ignores it on screen)
MIME_TYPE = "application/vnd.mda.reponse+json"
VERSION = 1
#: largest handed-over answer (JSON characters); a larger answer is handed over as « too large »
MAX_CHARS = 2_000_000
#: deepest nesting of containers, longest text kept
MAX_DEPTH = 8
MAX_TEXT = 10_000
#: The caps of one hand-over, for lists, dicts and tables alike: JSON values (objects, lists, numbers,
#: texts …) and levels of nesting. The largest honest answer of any bloc has 2 096 values and 9 levels
#: (bloc 2, RFM table): a margin of 20 and 4 at least, room for a learner's own table or chart
#: (tests/course/test_execution.py keeps that margin on every master). The grader counts before it
#: reads anything: a larger hand-over scores 0 (mda_checks.scoring.answer_schema); this kernel hands it
#: over as « too large ».
MAX_NODES = 50_000
MAX_NESTING = 40
#: what one pandas object (Series, DataFrame, Index) counts for in MAX_NODES besides its values:
#: rebuilding one on the grader's side costs about as much as reading that many plain values
TABLE_WEIGHT = 100
#: tagged objects that are rebuilt as pandas objects (``encode``)
_TABLE_TAGS = ("series", "frame", "index")
#: most columns of one DataFrame (the largest honest table has 3)
MAX_COLUMNS = 1_000
#: most values in one table, list or set: more cannot fit within MAX_NODES (checked before encoding)
MAX_ITEMS = MAX_NODES


class _TooLarge(Exception):
    pass


def len_of(value: Any) -> int:
    """How many values a container holds (0 for anything else)."""
    size = getattr(value, "size", None)
    if isinstance(size, int) and not isinstance(value, (str, bytes)):
        return size
    return len(value) if isinstance(value, (list, tuple, set, frozenset, dict)) else 0


def within_caps(data: Any, max_nodes: int = MAX_NODES, max_nesting: int = MAX_NESTING) -> bool:
    """Does JSON data hold at most `max_nodes` values (a pandas object counting for TABLE_WEIGHT more),
    nested at most `max_nesting` deep?

    Counted without recursion, and stopped as soon as a cap is passed: the cost is bounded by
    the caps, whatever the size of the data (a value waiting on the stack is already counted)."""
    nodes, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > max_nesting:
            return False
        if isinstance(value, dict):
            children: Any = value.values()
            if value.get("$") in _TABLE_TAGS:
                nodes += TABLE_WEIGHT
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if nodes + len(stack) + len(children) > max_nodes:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def _number(value: float) -> Any:
    if math.isnan(value):
        return {"$": "nan"}
    if math.isinf(value):
        return {"$": "inf", "negative": value < 0}
    return value


def _index(index) -> dict:
    return {"names": [encode(n, 1) for n in index.names], "values": [encode(v, 1) for v in index]}


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-ready form of any value a learner may give (unknown objects keep only their type name)."""
    import numpy as np
    import pandas as pd

    if len_of(value) > MAX_ITEMS:
        raise _TooLarge
    if depth > MAX_DEPTH:
        return {"$": "object", "type": "trop imbriqué"}
    inner = depth + 1
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    if value is Ellipsis:
        return {"$": "ellipsis"}
    if isinstance(value, CellError):  # the answer's cell raised: its explanation, not a value
        return {"$": "cell_error", "message": value.message[:MAX_TEXT]}
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _number(float(value))
    if isinstance(value, pd.Timestamp) or (value is pd.NaT):
        return {"$": "nat"} if pd.isna(value) else {"$": "timestamp", "value": value.isoformat()}
    if isinstance(value, np.datetime64):
        return encode(pd.Timestamp(value), depth)
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "value": value.isoformat()}
    if isinstance(value, PurePath):
        return {"$": "path", "value": str(value)[:MAX_TEXT]}
    if isinstance(value, pd.Series):
        return {"$": "series", "name": encode(value.name, inner), "dtype": str(value.dtype),
                "index": _index(value.index), "values": [encode(v, inner) for v in value.tolist()]}
    if isinstance(value, pd.DataFrame):
        if value.shape[1] > MAX_COLUMNS:
            raise _TooLarge
        return {"$": "frame", "index": _index(value.index), "columns": _index(value.columns),
                "dtypes": [str(t) for t in value.dtypes],
                "data": [[encode(v, inner) for v in value.iloc[:, i].tolist()] for i in range(value.shape[1])]}
    if isinstance(value, pd.Index):
        return {"$": "index", "values": [encode(v, inner) for v in value]}
    if isinstance(value, np.ndarray):
        return {"$": "array", "values": [encode(v, inner) for v in value.tolist()]}
    if isinstance(value, (list, tuple, set, frozenset)):
        kind = {list: "list", tuple: "tuple"}.get(type(value), "set")
        return {"$": kind, "values": [encode(v, inner) for v in value]}
    if isinstance(value, dict):
        return {"$": "dict", "items": [[encode(k, inner), encode(v, inner)] for k, v in value.items()]}
    if isinstance(value, FigureFacts):
        return {"$": "figure", "suptitle": value.suptitle, "axes": list(value.axes),
                "legend_labels": list(value.legend_labels)}
    if isinstance(value, WorkbookContent):
        return {"$": "workbook", "name": value.name[:MAX_TEXT], "exists": value.exists, "error": value.error,
                "sheets": [[name, encode(frame, inner)] for name, frame in value.sheets.items()]}
    return {"$": "object", "type": type(value).__name__[:60]}


def payload(answer) -> dict:
    """What one answer hands over: its kind and its value (a carried answer's earlier results are
    taken by the grader from the earlier check cells, never from this one)."""
    handed = answer.handed_answer()  # a carried answer hands over the kind and options of the one it wraps
    data = {"version": VERSION, "kind": type(handed).__name__, "value": encode(answer.handover_value())}
    options = getattr(handed, "options", None)
    if options is not None:
        data["options"] = [str(o)[:MAX_TEXT] for o in options]
    return data


def serialise(answer) -> dict:
    """The handed-over JSON, or a « too large » marker (still an answer, never a score)."""
    try:
        data = payload(answer)
        if not within_caps(data) or len(json.dumps(data, ensure_ascii=False)) > MAX_CHARS:
            raise _TooLarge
    except _TooLarge:
        data = {"version": VERSION, "kind": type(answer).__name__, "value": {"$": "too_large"}}
    except Exception as exc:  # noqa: BLE001 - an object that fails while being read is handed over by its type only
        data = {"version": VERSION, "kind": type(answer).__name__,
                "value": {"$": "object", "type": type(exc).__name__[:60]}}
    return data
