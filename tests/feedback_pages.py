"""A learner's feedback page rendered as nbgrader's GenerateFeedback does, with the course's own configuration."""
from __future__ import annotations

import html
import importlib.util
from pathlib import Path

from nbconvert import HTMLExporter
from nbformat import NotebookNode

from mda_checks.nbgrader_api import course_config
from tests.conftest import REPO


def feedback_page(notebook: NotebookNode, name: str = "carnet", max_score: float = 0) -> str:
    """The page's text (entities unescaped), from nbgrader_config.py's filters and templates."""
    config = course_config(REPO)
    config.HTMLExporter.template_name = "feedback"   # as GenerateFeedback sets it up
    formgrader = Path(importlib.util.find_spec("nbgrader").origin).parent / "server_extensions" / "formgrader"
    config.HTMLExporter.extra_template_paths = [str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")]
    page, _ = HTMLExporter(config=config).from_notebook_node(
        notebook, resources={"nbgrader": {"notebook": name, "score": 0, "max_score": max_score, "late_penalty": 0}})
    return html.unescape(page)
