"""StripGraderPaths: a graded notebook (and so its feedback) never shows the grading machine's folders.

A traceback in a learner's cell names every file Python went through with its full path: the
grader's Python installation, the sandbox's working folder, the run's temporary folder. After
the learner's kernel has run (nbgrader_config.py: after ScoreAnswers), this preprocessor shortens
every absolute path in the outputs' texts (``mda_apprenant.check.short_paths``: a library keeps its
own path, ``pandas/core/frame.py``; any other file keeps only its name).
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from mda_apprenant.check.short_paths import short_paths

#: the text parts of a rich output that a page shows
TEXT_TYPES = ("text/plain", "text/html", "text/markdown")


def _text(value):
    if isinstance(value, list):
        return [short_paths(part) if isinstance(part, str) else part for part in value]
    return short_paths(value) if isinstance(value, str) else value


def strip_output(output: NotebookNode) -> None:
    """Shorten the paths of one output, in place."""
    if output.output_type == "error":
        output.traceback = _text(list(output.get("traceback", [])))
        output.evalue = _text(output.get("evalue", ""))
    elif output.output_type == "stream":
        output.text = _text(output.get("text", ""))
    else:
        data = output.get("data", {})
        for kind in TEXT_TYPES:
            if kind in data:
                data[kind] = _text(data[kind])


class StripGraderPaths(NbGraderPreprocessor):
    """Shorten the grading machine's file paths in every output of the graded notebook."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                strip_output(output)
        return nb, resources
