"""The learner runtime's exception handler: a French explanation first, Python's traceback folded below.

Importing ``mda_apprenant`` (every workbook's first cell does) installs ``explain_errors`` as IPython's
custom exception handler (``InteractiveShell.set_custom_exc``) in the learner's kernel. When a cell
raises, the handler:

1. explains the error in French (``mda_apprenant.check.explain``): the line, what went wrong, a hint;
2. gives every variable the cell assigns at or after the failing statement a ``CellError`` (so the
   check cell says « la cellule de réponse a levé une erreur », never « non traitée », and never
   checks a value left by an earlier run);
3. displays the explanation (HTML, with Python's full traceback folded in ``<details>``, its file
   paths shortened; plain text for other front ends), then sends a one-line error output, so the
   cell still counts as failed (Run All stops there, the grading journal records the error).

It writes nothing on stderr. In a grading run (``NBGRADER_EXECUTION``) the traceback is left out:
the feedback shows the French explanation only. If anything goes wrong here, IPython's own
traceback is shown instead.
"""
from __future__ import annotations

import html
import linecache
import os
import re
import weakref

from mda_apprenant.check.cell_errors import CellError, assigned_names
from mda_apprenant.check.explain import Explanation, explain
from mda_apprenant.check.short_paths import short_paths

_INSTALLED: weakref.WeakSet = weakref.WeakSet()
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
#: the box's look: the words and the ⚠ carry the meaning, colour only repeats it
_BOX = ("border-left:6px solid #b2182b;background:#fbeceb;padding:0.5em 0.8em;margin:0.3em 0;"
        "font-family:sans-serif;line-height:1.4;color:#111;text-align:left")


def _cell_frame(shell, tb):
    """(file name, line) of the current cell's own frame in the traceback, or (None, None)."""
    cells = getattr(getattr(shell, "compile", None), "_filename_map", {})
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "<module>" and code.co_filename in cells:
            return code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return None, None


def _where(shell, error, tb) -> tuple[str, int | None]:
    """The failing cell's source and line (a syntax error carries both)."""
    if isinstance(error, SyntaxError):
        name, line = error.filename, error.lineno
    else:
        name, line = _cell_frame(shell, tb)
    source = "".join(linecache.getlines(name)) if name else ""
    return source, line


def _traceback_text(shell, etype, error, tb, tb_offset) -> str:
    if isinstance(error, SyntaxError):
        stb = shell.SyntaxTB.structured_traceback(etype, error, [])
    else:
        stb = shell.InteractiveTB.structured_traceback(etype, error, tb, tb_offset=tb_offset)
    return short_paths(_COLOUR.sub("", shell.InteractiveTB.stb2text(stb)))


def _html(explanation: Explanation, line: int | None, code: str, ename: str, trace: str | None) -> str:
    where = f", ligne {line}" if line else ""
    parts = [f'<div class="mda-check mda-erreur" role="alert" style="{_BOX}">',
             f"<strong>⚠ Erreur dans cette cellule{where}</strong>"
             + (f" : <code>{html.escape(code)}</code>" if code else ""),
             f"<div>{html.escape(_sentence(explanation.summary))}</div>"]
    if explanation.hint:
        parts.append(f"<div><em>Piste : {html.escape(explanation.hint)}</em></div>")
    if trace:
        parts.append(f"<details><summary>Détail technique : la trace complète de Python ({html.escape(ename)})"
                     f"</summary><pre>{html.escape(trace)}</pre></details>")
    parts.append("</div>")
    return "\n".join(parts)


def _sentence(summary: str) -> str:
    return summary[:1].upper() + summary[1:].rstrip(".") + "."


def plain_text(explanation: Explanation, line: int | None, code: str) -> str:
    where = f", ligne {line}" if line else ""
    lines = [f"⚠ Erreur dans cette cellule{where}" + (f" : {code}" if code else ""), _sentence(explanation.summary)]
    if explanation.hint:
        lines.append(f"Piste : {explanation.hint}")
    return "\n".join(lines)


def explain_errors(shell, etype, error, tb, tb_offset=None):
    """IPython's custom exception handler (see the module's docstring)."""
    try:
        source, line = _where(shell, error, tb)
        explanation = explain(error, shell.user_ns, source)
        code = source.splitlines()[line - 1].strip() if source and line and line <= len(source.splitlines()) else ""
        marker = CellError((f"ligne {line}, " if line else "") + explanation.summary)
        for name in assigned_names(source, line):
            shell.user_ns[name] = marker
        graded = bool(os.environ.get("NBGRADER_EXECUTION"))
        trace = None if graded else _traceback_text(shell, etype, error, tb, tb_offset)
        from IPython.display import display

        display({"text/plain": plain_text(explanation, line, code),
                 "text/html": _html(explanation, line, code, etype.__name__, trace)}, raw=True,
                metadata={"mda": {"erreur": etype.__name__}})
        stb = [f"{etype.__name__} : voir l'explication en français ci-dessus."]
        shell._showtraceback(etype, error, stb)
        return stb
    except Exception:  # noqa: BLE001 - never lose the learner's error: IPython's own traceback then
        shell.showtraceback((etype, error, tb), tb_offset=tb_offset, running_compiled_code=True)
        return None


def install(shell=None) -> bool:
    """Make `shell` (the running IPython, if any) explain errors in French; True when it does."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if shell not in _INSTALLED:
        shell.set_custom_exc((Exception,), explain_errors)
        _INSTALLED.add(shell)
    return True


__all__ = ["explain_errors", "install", "plain_text"]
