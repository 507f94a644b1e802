"""File paths of a traceback shortened to what matters: no folder of the machine that ran it.

A traceback names every file it went through with its full path (the Python installation, the
grader's working folders …). Learners need the library and the file name, never the machine's
folders: ``short_paths`` keeps what follows ``site-packages/`` (``pandas/core/frame.py``) or
``pythonX.Y/`` (``python/json/decoder.py``), and only the name of any other absolute file.
"""
from __future__ import annotations

import re

_PART = r"[^\s/\"'<>:,;()\[\]\x1b]+"
#: an absolute path: « / » not preceded by a name character (so « 1/2 » and « data/x.csv » are kept)
_ABSOLUTE = re.compile(rf"(?<![\w.~\-/])(?:/{_PART})+/?")
_LIBRARY = re.compile(r"/(?:site-packages|dist-packages)/")
_STANDARD = re.compile(r"/python3\.\d+/")


def _short(match: re.Match) -> str:
    path = match.group(0)
    library = list(_LIBRARY.finditer(path))
    if library:
        return path[library[-1].end():]
    standard = list(_STANDARD.finditer(path))
    if standard:
        return "python/" + path[standard[-1].end():]
    return path.rstrip("/").rsplit("/", 1)[-1] or "/"


_COLOUR = re.compile(r"(\x1b\[[0-9;]*m)")


def short_paths(text: str) -> str:
    """`text` with every absolute path shortened (libraries keep their own path, other files their name);
    terminal colour codes are kept (a traceback's path often starts right after one)."""
    return "".join(part if _COLOUR.fullmatch(part) else _ABSOLUTE.sub(_short, part) for part in _COLOUR.split(text))
