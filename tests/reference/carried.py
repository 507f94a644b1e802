"""Carried questions (error carried forward), checked the same way in every bloc.

A check cell ``Carried(Kind("…", answer), earlier=earlier)`` is graded on the learner's own
earlier results. For each such question, a bloc's test file gives a ``Case``: the answer kind,
the statement's formula worked by hand (independently of the reference code) and, for each
earlier result, a wrong one a learner could hand in. The checks below then hold that:

(a) the reference solution scores full;
(b) a learner whose earlier result is wrong, but who applies the right method to it, gets full
    marks here (also when graded as in a real run: handed over as JSON, rebuilt from the check
    cell's source) and loses points only at the earlier question (without ``Carried`` the same
    answer would lose them again), each known mistake keeping its credit on those earlier results;
(c) an answer that is wrong even given the learner's earlier results loses its points.
"""
from __future__ import annotations

import datetime as dt
import inspect
import math
import numbers
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mda_apprenant import Carried
from mda_apprenant.check.base import Answer
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.handover import serialise
from mda_apprenant.check.result import Status
from mda_checks.scoring.answer_schema import decode, validate
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.notebook import cells
from mda_checks.scoring.reference import load_reference
from mda_reference.registry import CaseData
from tests.conftest import COURSE

POINTS = 2.0


@dataclass(frozen=True)
class Case:
    """One carried question."""

    #: the answer kind of the check cell, around a value
    kind: Callable[[Any], Answer]
    #: the statement's formula: (case data, **earlier results) -> the answer asked for
    by_hand: Callable[..., Any]
    #: earlier result -> (case data, its right value) -> a wrong value a learner could hand in
    wrong: dict[str, Callable[[CaseData, Any], Any]] = field(default_factory=dict)


class Bloc:
    """A bloc's masters and reference, read as the grader reads them."""

    def __init__(self, assignment: str):
        self.reference = load_reference(COURSE.root, assignment).reference
        self.data = CaseData(COURSE.source / assignment / "data")
        #: grade_id -> spec; learner variable -> grade_id; grade_id -> {carried input: learner variable}
        self.specs, self.variables, self.sources = {}, {}, {}
        for notebook in COURSE.read_source(assignment).values():
            for cell in notebook.cells:
                if cells.is_autograded_test(cell):
                    key, spec = cells.grade_id(cell), read_spec(cell.source)
                    self.specs[key] = spec
                    self.variables[spec.variable] = key
                    self.sources[key] = dict(spec.carried_from)

    def carried(self) -> dict[str, tuple[str, ...]]:
        """grade_id -> the earlier results it is carried on, for every carried check cell of the masters."""
        return {key: spec.carried_inputs for key, spec in self.specs.items() if spec.carried_inputs}

    def expected(self, key: str) -> Expected:
        return self.reference.expected(key, self.data)

    def right(self, variable: str) -> Any:
        """The right value of the learner's earlier result ``variable`` (an answer graded by a check cell)."""
        return self.resolved(self.variables[variable]).value

    def inputs(self, key: str) -> dict[str, Any]:
        """The right earlier results the check cell ``key`` hands over, by their name in ``Carried(…)``."""
        return {name: self.right(variable) for name, variable in self.sources[key].items()}

    def resolved(self, key: str, **given: Any) -> Expected:
        """The expected answer of ``key``: a carried one applied to ``given`` earlier results, or to the right ones."""
        answer = self.expected(key)
        if not callable(answer.value):
            return answer
        inputs = {name: given[name] if name in given else self.right(self.sources[key][name])
                  for name in inspect.signature(answer.value).parameters}
        return Expected(answer.value(**inputs), tolerance=answer.tolerance, hint=answer.hint,
                        mistakes=[Mistake(m.value(**inputs) if callable(m.value) else m.value, m.cause, m.slip)
                                  for m in answer.mistakes])

    def grade_check(self, key: str, value: Any) -> Any:
        """``value`` graded by the check cell ``key`` as the grader does (its own earlier results right)."""
        expected = self.expected(key)
        return self.specs[key].build(value, self.resolved(key), inputs=self.inputs(key)).grade(expected, POINTS)


def handed_over(bloc: Bloc, key: str, answer: Carried) -> Any:
    """``answer`` graded as in a real run: handed over as JSON by the kernel, rebuilt from the check cell's source."""
    data = validate(json.loads(json.dumps(serialise(answer))))
    # the earlier results are those the earlier check cells handed over: here, the answer's own
    rebuilt = bloc.specs[key].build(decode(data["value"]), bloc.resolved(key), options=data.get("options"),
                                    inputs=answer.inputs)
    return rebuilt.grade(bloc.expected(key), POINTS)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def wrong_answer(value: Any) -> Any:
    """A plainly wrong answer of the same form."""
    if isinstance(value, pd.DataFrame):
        return value + 7
    if isinstance(value, pd.Series):
        if pd.api.types.is_numeric_dtype(value):
            return value * 1.5 + 3
        return pd.Series("inconnu", index=value.index)
    if isinstance(value, list):
        return value[:-1] or ["inconnu"]
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value + dt.timedelta(days=20)
    if isinstance(value, str):
        return "inconnu"
    return value * 1.5 + 3


def check_the_reference_solution_scores_full(bloc: Bloc, key: str, case: Case) -> None:
    """(a) The statement's formula on the right earlier results: full marks."""
    inputs = bloc.inputs(key)
    answer = Carried(case.kind(case.by_hand(bloc.data, **inputs)), **inputs)
    result = answer.grade(bloc.expected(key), POINTS)
    assert result.score == POINTS, result.message


def check_an_earlier_error_is_counted_once(bloc: Bloc, key: str, case: Case) -> None:
    """(b) Each earlier result wrong in turn: full marks here, points lost at the earlier question only."""
    inputs = bloc.inputs(key)
    assert set(case.wrong) == set(inputs), "one wrong value per earlier result"
    for name, make_wrong in case.wrong.items():
        given = {**inputs, name: make_wrong(bloc.data, inputs[name])}
        value = case.by_hand(bloc.data, **given)
        result = Carried(case.kind(value), **given).grade(bloc.expected(key), POINTS)
        assert result.score == POINTS, f"{name}: {result.message}"
        assert handed_over(bloc, key, Carried(case.kind(value), **given)).score == POINTS, name
        # without Carried, the same answer would lose its points a second time, where the wrong result changes it
        # (the discount that keeps the floor rate reads the offer amount only through the cost over the amount)
        unchanged = _is_number(value) and math.isclose(value, case.by_hand(bloc.data, **inputs))
        if not unchanged:
            assert case.kind(value).grade(bloc.resolved(key), POINTS).score < POINTS, name
        # the earlier question is where the points are lost
        assert bloc.grade_check(bloc.variables[bloc.sources[key][name]], given[name]).score < POINTS, name
        # known mistakes, worked on the learner's own earlier results, keep (at least) their credit
        for mistake in bloc.resolved(key, **given).mistakes:
            if isinstance(mistake.value, list) and not mistake.value:
                continue  # an empty selection is not an answer
            graded = Carried(case.kind(mistake.value), **given).grade(bloc.expected(key), POINTS)
            if graded.status is Status.CORRECT:  # on these earlier results the mistake gives the right answer
                continue
            assert graded.score >= POINTS * mistake.credit - 1e-9, mistake.cause
            assert mistake.credit == 0 or "Cause probable" in graded.message, mistake.cause


def check_a_wrong_answer_loses_its_points(bloc: Bloc, key: str, case: Case) -> None:
    """(c) Wrong even given the learner's own (right or wrong) earlier results: points lost."""
    inputs = bloc.inputs(key)
    for given in [inputs, *({**inputs, n: f(bloc.data, inputs[n])} for n, f in case.wrong.items())]:
        bad = wrong_answer(case.by_hand(bloc.data, **given))
        result = Carried(case.kind(bad), **given).grade(bloc.expected(key), POINTS)
        assert result.score < POINTS and result.status is not Status.CORRECT, result.message
    missing = Carried(case.kind(case.by_hand(bloc.data, **inputs)), **{n: ... for n in inputs})
    assert missing.grade(bloc.expected(key), POINTS).status is Status.MISSING


def resolved(reference, key: str, data, aliases: dict[str, str] | None = None) -> Expected:
    """The expected answer of ``key`` on ``data``, a carried one worked on the reference's own earlier results
    (``aliases``: learner variable -> grade_id, where they differ)."""
    aliases = aliases or {}
    answer = reference.expected(key, data)
    if not callable(answer.value):
        return answer
    inputs = {name: resolved(reference, aliases.get(name, name), data, aliases).value
              for name in inspect.signature(answer.value).parameters}
    return Expected(answer.value(**inputs), tolerance=answer.tolerance, hint=answer.hint,
                    mistakes=[Mistake(m.value(**inputs) if callable(m.value) else m.value, m.cause, m.slip)
                              for m in answer.mistakes])
