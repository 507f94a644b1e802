"""nbgrader's Execute step with a cap on the outputs a cell may keep (100 MB of prints must not
fill the grader's memory or the graded notebook).

nbgrader's LimitOutput only counts lines, after the whole output is held. Here each
output is cut as it arrives, in a way that keeps the score unchanged: nbgrader reads
the outputs in order and stops at the first error, the first stderr stream (0 points)
or the first execute_result (the score). So errors and execute_results are always
kept; beyond the budget, printed text is dropped, but one empty stream per name marks
where stderr output appeared.
"""
from __future__ import annotations

import json
import typing as t

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from mda_checks.check import handover

TRUNCATED = "\n… sortie tronquée lors de la correction (trop volumineuse) …\n"


def _size(content: dict) -> int:
    """Characters of an output, a handed-over answer excepted (it has its own cap)."""
    if "text" in content:
        return len(content["text"])
    return sum(len(str(value)) for key, value in content.get("data", {}).items() if key != handover.MIME_TYPE)


def _cap_handover(content: dict) -> None:
    """A handed-over answer above its cap is replaced by a « too large » marker."""
    data = content.get("data", {})
    if handover.MIME_TYPE in data and len(json.dumps(data[handover.MIME_TYPE])) > handover.MAX_CHARS:
        data[handover.MIME_TYPE] = {"version": handover.VERSION, "kind": "?", "value": {"$": "too_large"}}


class CappedExecute(Execute):
    """Execute, keeping at most ``max_output_chars`` characters of outputs per cell."""

    max_output_chars = Integer(200_000, help="characters of outputs kept per cell").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._used: dict[int, int] = {}            # cell index -> characters kept
        self._marked: set[tuple[int, str]] = set()  # (cell index, stream name) already cut

    def output(self, outs: list[NotebookNode], msg: dict[str, t.Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        content, kind = msg["content"], msg["msg_type"]
        if kind in ("execute_result", "display_data"):
            _cap_handover(content)
        budget = self.max_output_chars - self._used.get(cell_index, 0)
        if kind == "stream":
            if budget <= 0:
                if (cell_index, content["name"]) in self._marked:
                    return None
                self._marked.add((cell_index, content["name"]))
                content["text"] = TRUNCATED
            elif len(content["text"]) > budget:
                self._marked.add((cell_index, content["name"]))
                content["text"] = content["text"][:budget] + TRUNCATED
        elif kind == "display_data" and _size(content) > max(budget, 0):
            return None
        elif kind in ("execute_result", "error") and _size(content) > self.max_output_chars:
            data = content.get("data", {})
            content["data"] = {"text/plain": str(data.get("text/plain", ""))[:self.max_output_chars],
                               **({handover.MIME_TYPE: data[handover.MIME_TYPE]} if handover.MIME_TYPE in data else {})}
        if kind in ("stream", "display_data"):
            self._used[cell_index] = self._used.get(cell_index, 0) + _size(content)
        return super().output(outs, msg, display_id, cell_index)
