"""Phase 2 of grading, second step: what a check cell asks for, read from its trusted source.

The check cell ``reponse = Rate("TCAM du marché", tcam_marche)`` says which answer kind
grades the question and with which settings (unit, columns, key, sheet …). At grading
time the cell's source is nbgrader's locked copy, restored from the gradebook, so the
grader reads the kind and settings there, never from the learner's kernel: a learner
who forges the hand-over cannot change the unit, the tolerance or the columns graded.

Settings written as literals are read as such. The only ones computed from the data
are ``options`` of a ``Choice`` (which only restricts the form: taken from the
hand-over) and ``columns`` of a ``Table`` (which decides what is graded: taken from
the expected value).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mda_apprenant.check import answers
from mda_apprenant.check.base import Answer
from mda_apprenant.check.carried import Carried
from mda_apprenant.check.expected import Expected

#: answer kinds a check cell may use (``Carried`` wraps one of them)
KINDS = {name: getattr(answers, name) for name in answers.__all__ if name != "Carried"}
#: settings the learner's kernel may provide (they only restrict the form of an answer)
FROM_HANDOVER = {"options"}
#: settings taken from the expected value when the cell computes them
FROM_EXPECTED = {"columns"}
RESPONSE_NAME = "reponse"


class SpecError(ValueError):
    """The check cell is not of the form the grader reads (a course bug, not the learner's)."""


@dataclass(frozen=True)
class AnswerSpec:
    """The answer kind of one check cell and its settings."""

    kind: str
    label: str
    settings: dict[str, Any] = field(default_factory=dict)
    computed: frozenset[str] = frozenset()        # settings the cell computes from data
    carried_inputs: tuple[str, ...] | None = None  # Carried(…, name=…): the learner's earlier results
    variable: str = ""                             # the learner variable the cell grades
    carried_from: tuple[tuple[str, str], ...] = ()  # Carried(…, name=variable): where each input comes from

    def build(self, value: Any, expected: Expected, options: list[str] | None = None,
              inputs: dict[str, Any] | None = None, direct: Expected | None = None) -> Answer:
        """The answer object, as the check cell would have made it, around a handed-over value.

        ``direct``: for a carried answer, the right answer computed from the right earlier
        results (a learner who recomputed it from the data is right too)."""
        settings = dict(self.settings)
        for name in self.computed:
            if name == "options" and options is not None:
                settings[name] = list(options)
            elif name == "columns" and isinstance(expected.value, pd.DataFrame):
                settings[name] = [str(c) for c in expected.value.columns]
        answer = KINDS[self.kind](self.label, value, **settings)
        if self.carried_inputs is None:
            return answer
        inputs = inputs or {}
        carried = Carried(answer, **{name: inputs.get(name, Ellipsis) for name in self.carried_inputs})
        carried.direct = direct
        return carried


def _call(node: ast.AST) -> tuple[str, str, dict, frozenset, str]:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KINDS):
        raise SpecError(f"type de réponse inconnu dans la cellule de vérification : {ast.unparse(node)[:80]}")
    if len(node.args) < 2 or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
        raise SpecError("la cellule de vérification doit nommer la question par un texte, puis donner la variable")
    settings, computed = {}, set()
    for keyword in node.keywords:
        try:
            settings[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            if keyword.arg not in FROM_HANDOVER | FROM_EXPECTED:
                raise SpecError(f"réglage « {keyword.arg} » non littéral dans la cellule de vérification") from None
            computed.add(keyword.arg)
    return node.func.id, node.args[0].value, settings, frozenset(computed), ast.unparse(node.args[1])


def read_spec(source: str) -> AnswerSpec:
    """The spec of a check cell's source (``reponse = Kind("label", variable, …)``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as problem:
        raise SpecError(f"cellule de vérification illisible : {problem.msg}") from None
    for statement in tree.body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == RESPONSE_NAME):
            call = statement.value
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "Carried":
                if len(call.args) != 1 or not call.keywords:
                    raise SpecError("Carried(réponse, nom=résultat_précédent, …) attendu")
                kind, label, settings, computed, variable = _call(call.args[0])
                return AnswerSpec(kind, label, settings, computed, tuple(k.arg for k in call.keywords),  # type: ignore[misc]
                                  variable, tuple((k.arg, ast.unparse(k.value)) for k in call.keywords))  # type: ignore[misc]
            kind, label, settings, computed, variable = _call(call)
            return AnswerSpec(kind, label, settings, computed, variable=variable)
    raise SpecError(f"la cellule de vérification n'affecte pas de réponse à « {RESPONSE_NAME} »")
