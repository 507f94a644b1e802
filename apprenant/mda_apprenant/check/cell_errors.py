"""What an answer variable holds when the cell that computes it raised: a ``CellError``, never a stale value.

When a cell raises, the learner runtime (``mda_apprenant.check.error_display``) gives every variable
the cell assigns at or after the failing statement a ``CellError`` carrying the French explanation.
The check cell then hands that marker over instead of « ... » (or of a value left by an earlier
run), and the check cell, « Vérifier mon carnet » and the grader all say the same true thing:
« la cellule de réponse a levé une erreur : … ».
"""
from __future__ import annotations

import ast
import re

#: a top-level assignment « name = … » (used when the cell cannot be parsed: a syntax error)
_ASSIGNED_LINE = re.compile(r"^([A-Za-z_]\w*)\s*(?:[-+*/%]|//|\*\*)?=(?!=)")
#: longest explanation carried by a marker (it crosses the hand-over as text)
MAX_MESSAGE = 500


class CellError:
    """The value of a variable whose cell raised: why, in French (one sentence, no traceback)."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = str(message)[:MAX_MESSAGE]

    def sentence(self) -> str:
        """What a check says about this answer, everywhere (check cell, « Vérifier mon carnet », grader)."""
        return f"La cellule de réponse a levé une erreur : {self.message.rstrip('.')}."

    def __repr__(self) -> str:
        return f"<aucune valeur : la cellule qui la calcule a levé une erreur ({self.message.rstrip('.')})>"

    def __eq__(self, other) -> bool:
        return isinstance(other, CellError) and other.message == self.message

    __hash__ = None  # type: ignore[assignment]


#: the hint shown with a CellError, everywhere
FIX_HINT = ("Corrigez la cellule de réponse (l'explication est affichée sous elle), exécutez-la, "
            "puis réexécutez la vérification.")


def _targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [name for item in node.elts for name in _targets(item)]
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return []


def _statement_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Assign):
        return [name for target in statement.targets for name in _targets(target)]
    if isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        return _targets(statement.target)
    if isinstance(statement, (ast.For, ast.With, ast.If, ast.While, ast.Try)):
        found = _targets(statement.target) if isinstance(statement, ast.For) else []
        for child in ast.iter_child_nodes(statement):
            if isinstance(child, ast.stmt):
                found += _statement_names(child)
        return found
    return []


def assigned_names(source: str, failing_line: int | None = None) -> list[str]:
    """Names the cell assigns at top level in the statement holding `failing_line` and after it
    (all of them when the line is unknown); those assigned before it kept their new value."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # nothing ran: every name the cell would assign
        return list(dict.fromkeys(m.group(1) for line in source.splitlines() if (m := _ASSIGNED_LINE.match(line))))
    names = []
    for statement in tree.body:
        if failing_line is not None and (statement.end_lineno or statement.lineno) < failing_line:
            continue
        names += _statement_names(statement)
    return list(dict.fromkeys(names))


def used_names(source: str) -> list[str]:
    """Names a cell reads (to say that one of them holds no value because its own cell raised)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return list(dict.fromkeys(node.id for node in ast.walk(tree)
                              if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)))


__all__ = ["CellError", "FIX_HINT", "assigned_names", "used_names"]
