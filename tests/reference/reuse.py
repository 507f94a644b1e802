"""Which earlier answers a question's solution reuses, read in the masters' code (authoring check).

An error made in an answer cell reaches every later answer computed from what that cell assigned:
the graded result itself, or an intermediate (the prices of ``notes_prix``, the concessions kept
for ``effets_qcd``). Such a question must be graded on the learner's own results from that cell
(``Carried(…, name=result)``), or the error is charged again. The solutions are read statement by
statement: a name assigned by a statement depends on the names it reads, down to the answer cells
and the provided cells they come from. A provided cell is no place for an error: what it computes
from answers keeps their origin. Figures (``FIGURES``) are left out: their checks read the form, not the
values; a workbook's check reads its values, so it is checked like a table.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from nbformat import NotebookNode

from mda_checks.scoring.answer_spec import AnswerSpec, read_spec
from mda_checks.notebook import cells
from tests.reference.forward import FIGURES

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Reuse:
    """A check whose solution reuses what an earlier answer cell assigned, without being carried on it."""

    check: str
    name: str          # the name read
    answer_cell: str   # the earlier answer cell that assigned it
    graded_there: tuple[str, ...]  # the results that cell hands over (what the check could be carried on)

    def __str__(self) -> str:
        return (f"{self.check} reuses « {self.name} » of the answer cell {self.answer_cell} without being carried "
                f"on {' or '.join(self.graded_there)}")


def _tree(source: str) -> ast.Module:
    lines = [line for line in source.splitlines()
             if line.strip() not in SOLUTION_MARKERS and not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _column(node: ast.AST) -> str | None:
    """``table["column"]`` (a constant key on a name) as « table["column"] »: a column is followed on its own."""
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
        return f'{node.value.id}["{node.slice.value}"]'
    return None


def _targets(statement: ast.stmt) -> set[str]:
    """Names a statement assigns; ``table["column"] = …`` assigns that column only, ``table[…] = …`` the table."""
    found = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):
                found.add(_column(node) or base.id)
    return found


def _reads(statement: ast.stmt) -> set[str]:
    """Names a statement reads; ``table["column"]`` reads that column (and the table, where it was not added)."""
    found, inside = set(), set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _column(node):
            found.add(_column(node))
            inside.add(id(node.value))
    found |= {n.id for n in ast.walk(statement)
              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and id(n) not in inside}
    return found


def _table(name: str) -> str:
    return name.split("[", 1)[0]


def unreported_reuses(notebook: NotebookNode) -> list[Reuse]:
    """Every check of ``notebook`` whose solution reuses an earlier answer cell it is not carried on."""
    specs: dict[str, tuple[str, AnswerSpec]] = {}  # graded variable -> (check grade_id, spec)
    for cell in notebook.cells:
        if cells.is_autograded_test(cell):
            spec = read_spec(cell.source)
            specs[spec.variable] = (cells.grade_id(cell), spec)
    origin: dict[str, frozenset[str]] = {}  # name -> the answer cells it was computed from
    graded_in: dict[str, list[str]] = {}    # answer cell -> the variables its checks grade
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cells.is_autograded_test(cell):
            continue
        statements = _tree(cell.source).body
        if not cells.is_solution(cell):  # provided code: what it computes keeps the origin of what it reads
            for statement in statements:
                came = frozenset().union(*(_origin(origin, n) for n in _reads(statement)))
                origin.update(dict.fromkeys(_targets(statement), came))
            continue
        here = cells.grade_id(cell)
        assigned = set().union(*(_targets(s) for s in statements)) if statements else set()
        graded_in[here] = [v for v in specs if v in assigned]
        for variable in graded_in[here]:
            check, spec = specs[variable]
            if spec.kind in FIGURES:
                continue
            found += _check_reuses(check, variable, statements, origin, graded_in,
                                   {v for _, v in spec.carried_from})
        for name in assigned:
            origin[name] = frozenset({here})
    return found


def _origin(origin: dict, name: str) -> frozenset[str]:
    """The answer cells a name (or a column) comes from; a column not added by an answer, its table's."""
    return origin.get(name, origin.get(_table(name), frozenset()))


def _check_reuses(check: str, variable: str, statements: list[ast.stmt], origin: dict, graded_in: dict,
                  carried_on: set[str]) -> list[Reuse]:
    """What the statements computing ``variable`` read from earlier answer cells, the carried results aside."""
    within: dict[str, set[str]] = {}  # name assigned in this cell -> the outside names it was computed from
    for statement in statements:
        outside = set()
        for name in _reads(statement):
            if name in carried_on:
                continue  # graded on the learner's own value: whatever it came from is charged there
            known = name if name in within else _table(name) if _table(name) in within else None
            outside |= within[known] if known else {name}
        for target in _targets(statement):
            within[target] = outside | (within.get(target, set()) if target in _reads(statement) else set())
    reuses = []
    for name in sorted(within.get(variable, set())):
        for answer_cell in sorted(_origin(origin, name)):
            graded = graded_in[answer_cell]
            wanted = {name} if name in graded else set(graded)
            if not wanted & carried_on:
                reuses.append(Reuse(check, name, answer_cell, tuple(sorted(wanted))))
    return reuses
