"""An empty nbgrader gradebook, made once per test process (nbgrader runs `alembic` for each new one)."""
from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from nbgrader.api import Gradebook

from mda_checks.nbgrader_api import _put_interpreter_on_path


@cache
def _empty() -> bytes:
    _put_interpreter_on_path()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gradebook.db"
        Gradebook(f"sqlite:///{path}").close()
        return path.read_bytes()


def empty_gradebook(folder: Path) -> str:
    """Write an empty gradebook.db into `folder`; return its URL."""
    path = folder / "gradebook.db"
    path.write_bytes(_empty())
    return f"sqlite:///{path}"
