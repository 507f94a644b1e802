"""The answers a learner handed over, kept as plain data in their graded notebook for the trainer.

``ScoreAnswers`` replaces a check cell's outputs with its score. Before that, the hand-over it
scored (the JSON the kernel displayed, already validated) is copied into the metadata of the
score's output (``mda.reponse``), where no HTML page shows it (feedback and formgrader render an
output's data, not its metadata), capped in size. ``read_handovers`` reads them back, validated
again, for copy detection.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from mda_apprenant.check.handover import MIME_TYPE
from mda_checks.config import KEPT_HANDOVER_CHARS
from mda_checks.notebook import cells

KEY = "reponse"
#: what is kept instead of a hand-over above KEPT_HANDOVER_CHARS: the cell is then not compared
TOO_LARGE = "trop volumineuse"
_MISSING = object()


def _handed(cell: NotebookNode) -> list[Any]:
    return [o.data[MIME_TYPE] for o in cell.get("outputs", [])
            if o.output_type in ("execute_result", "display_data") and MIME_TYPE in o.get("data", {})]


def scored_handover(cell: NotebookNode, before: dict, after: dict) -> Any | None:
    """The hand-over of a check cell that was just scored on it (``RightAnswers.given`` gained or replaced a
    value: the one hand-over was valid), read before its outputs are replaced; None otherwise."""
    if not any(after[name] is not before.get(name, _MISSING) for name in after):
        return None
    return handover_of(cell)


def handover_of(cell: NotebookNode) -> Any | None:
    """The one hand-over a check cell displayed, None when it shows none or several."""
    handed = _handed(cell)
    return handed[0] if len(handed) == 1 else None


def keep_handover(cell: NotebookNode, handed: Any | None) -> None:
    """Copy the scored hand-over into the metadata of the cell's one output (written by ``write_score``)."""
    if handed is None or not cell.get("outputs"):
        return
    text = handed if isinstance(handed, str) else json.dumps(handed, ensure_ascii=False)
    kept = TOO_LARGE if len(text) > KEPT_HANDOVER_CHARS else (json.loads(text) if isinstance(handed, str) else handed)
    output = cell.outputs[0]
    output.metadata.setdefault("mda", {})[KEY] = kept


def stored_handovers(notebook: NotebookNode) -> dict[str, Any]:
    """grade_id -> the hand-over kept in a graded notebook (as stored: JSON, or TOO_LARGE)."""
    found = {}
    for cell in notebook.cells:
        if not cells.is_autograded_test(cell):
            continue
        for output in cell.get("outputs", []):
            kept = output.get("metadata", {}).get("mda", {}).get(KEY)
            if kept is not None:
                found[cells.grade_id(cell)] = kept
    return found


def read_handovers(folder: Path) -> dict[str, Any]:
    """grade_id -> the decoded answer of every check cell of the graded notebooks in `folder` whose hand-over
    was kept and still reads (validated again: the files are read as data, never trusted blindly)."""
    from mda_checks.scoring.answer_schema import ReceivedError, decode, validate

    answers = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable graded notebook has nothing to compare
            continue
        for grade_id, kept in stored_handovers(notebook).items():
            if kept == TOO_LARGE:
                continue
            try:
                answers[grade_id] = decode(validate(kept)["value"])
            except (ReceivedError, RecursionError, MemoryError):
                continue
    return answers
