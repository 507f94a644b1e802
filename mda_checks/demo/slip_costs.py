"""What each classic slip must cost on a given case, by the barème.

A slip of ``mda_reference/<bloc>/slips.py`` states its cost (``lost``) on the common case
(source/<bloc>/data): half the points for a convention slip, all of them for a wrong method,
but a table or a list keeps its share of right values when that is better, and that share
depends on the data. On a learner's own variant the cost is therefore computed, not typed:
the slip is the mistake its message names among those the grader-only reference recognises
for its check (« Cause probable : … »), computed by the reference on that case, and scored
through the same answer kinds and barème as a handed-in answer (the trusted scoring of
``ScoreAnswers``). ``tests/demo`` checks that, on the common case, this gives every typed
``lost``; the end-to-end tests check that grading a slipped copy costs it.

Trainer-side only: it reads the grader-only reference.
"""
from __future__ import annotations

from pathlib import Path

from mda_checks.course import Course
from mda_checks.demo.submissions import Slip
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells


def slip_costs(course: Course, assignment: str, slips: list[Slip], folder: Path | str) -> dict[tuple[str, str], float]:
    """(notebook, check cell) -> the points each slip must cost on the case data in `folder`.

    A slip whose message names no recognised mistake of its check, or several, is a ValueError:
    its cost could not be known (make the message a phrase of that mistake's cause alone)."""
    expected_of = reference_expected(course.root, assignment, folder)
    wanted = {(slip.notebook, slip.test_cell): slip for slip in slips}
    costs = {}
    for name, notebook in course.read_source(assignment).items():
        right_answers = RightAnswers(expected_of)  # visited in order: carried checks see the right earlier results
        for cell in notebook.cells:
            if not cells.is_autograded_test(cell):
                continue
            spec = read_spec(cell.source)
            graded, right = right_answers.of(cells.grade_id(cell), spec)
            slip = wanted.get((name, cells.grade_id(cell)))
            if slip is None:
                continue
            if right is None:
                raise ValueError(f"slip {slip.test_cell}: the right answer of its check is unknown")
            named = [mistake for mistake in right.mistakes if slip.message in mistake.cause]
            if len(named) != 1:
                raise ValueError(f"slip {slip.test_cell}: « {slip.message} » names {len(named)} of the mistakes "
                                 "the reference recognises for this check, instead of one")
            points = cells.points(cell)
            # as ScoreAnswers: the slipped learner's earlier results are the right ones (a slip changes one check)
            inputs = {key: right_answers.values[variable] for key, variable in spec.carried_from}
            answer = spec.build(named[0].value, graded, inputs=inputs, direct=right)
            costs[(name, slip.test_cell)] = points - answer.grade(graded, points).score
    missing = sorted(f"{notebook}:{cell}" for notebook, cell in set(wanted) - set(costs))
    if missing:
        raise ValueError(f"slip(s) without a check cell in the masters: {', '.join(missing)}")
    return costs
