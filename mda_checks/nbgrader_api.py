"""One way in to nbgrader: its API, configured by the course's nbgrader_config.py."""
from __future__ import annotations

import functools
import logging
import os
import re
import sys
from pathlib import Path

import nbgrader.api
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from mda_checks.extras import require


#: nbgrader's own way to read the schema's newest revision: the `alembic heads` program (kept as the fallback)
nbgrader_schema_head = nbgrader.api.get_alembic_version


@functools.cache
def _script_head() -> str | None:
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def schema_head() -> str:
    """The newest revision of nbgrader's gradebook schema, with which nbgrader stamps every new gradebook.

    nbgrader reads it by running the `alembic heads` program over its own migration scripts, for each new
    gradebook: about 1.5 s of processor each time (every course built, every grading run's template, every
    new promotion), and `alembic` must be on PATH. alembic's own ``ScriptDirectory`` reads the same scripts
    in this process, once (0.1 s). Should it fail (several heads in a future nbgrader), nbgrader's way runs."""
    try:
        head = _script_head()
    except Exception:  # noqa: BLE001 - nbgrader's own way then decides, as it always did
        head = None
    return head or nbgrader_schema_head()


nbgrader.api.get_alembic_version = schema_head  # read by Gradebook() when it creates a gradebook


def course_config(root: Path, **overrides: dict) -> Config:
    """The course's nbgrader configuration, plus `overrides` ({"Execute": {"timeout": 5}})."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    for section, values in overrides.items():
        for key, value in values.items():
            config[section][key] = value
    if str(config.CourseDirectory.get("db_url", "")).startswith("postgresql+psycopg"):
        require("psycopg", "Le carnet de notes PostgreSQL (MDA_GRADEBOOK_URL)")
    return config


def course_directory(root: Path) -> CourseDirectory:
    """The course's nbgrader paths, gradebook URL and course id (no API, no exchange check)."""
    _put_interpreter_on_path()  # nbgrader's own stamp (schema_head's fallback) runs `alembic`
    return CourseDirectory(config=course_config(root))


def _put_interpreter_on_path() -> None:
    """nbgrader runs `alembic` by name (schema_head's fallback): it lives beside this interpreter in the venv."""
    bin_dir = str(Path(sys.executable).parent)
    paths = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in paths:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *paths])


def course_api(root: Path, **overrides: dict) -> NbGraderAPI:
    """An NbGraderAPI bound to the course at `root` (quiet: results come back as data)."""
    _put_interpreter_on_path()
    api = NbGraderAPI(config=course_config(root, **overrides))
    api.log.setLevel(logging.WARNING)
    return api


class NbGraderError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's own explanation."""


_EXCEPTION_LINE = re.compile(r"^\s*([\w.]*(?:Error|Exception|Exit)\w*: .+)$")


def failure_reason(result: dict) -> str:
    """The most telling line of a failed nbgrader call: its last exception, else its last line."""
    text = "\n".join(filter(None, [result.get("log"), result.get("error")]))
    found = [m.group(1) for m in map(_EXCEPTION_LINE.match, text.splitlines()) if m]
    found = [line for line in found if "NbGraderException" not in line] or found
    if found:
        return found[-1].strip()
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "raison inconnue"


def ensure_success(result: dict, step: str) -> dict:
    """NbGraderAPI returns {"success", "error", "log"} instead of raising: check it."""
    if not result.get("success"):
        raise NbGraderError(f"{step} a échoué : {failure_reason(result)}")
    return result
