"""Copy detection on a cohort of each bloc: honest learners are never suspected, copiers are, with their source.

For each bloc, the variant sweep's honest learners (``test_many_variants.LEARNERS``: 8 in `make test`, whose
variants the sweep has drawn in the same worker; 20 in `make test-variantes`) graded on their own variants
(solved; with the bloc's classic slips; half of the answers left blank: every kind of honest pair, several
of each), one learner who typed in every answer of a classmate's solved copy,
one who typed in the answers of two of its notebooks, one who typed in only two of them (below the
threshold), and one who typed in the answers of a classmate given a variant who never handed in. The cohort
is graded once per bloc (``cohort.py``: the real trusted step, no kernel).
"""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from mda_checks.config import COPY_EVIDENCE_CELLS, KEPT_HANDOVER_CHARS
from mda_checks.copies.detection import CARRIED, COUNTED, NOT_HANDED_IN, WEAK, detect_copies, is_distinctive
from mda_checks.copies.handovers import TOO_LARGE, read_handovers, stored_handovers
from mda_checks.demo.run import slips_of
from mda_checks.notebook import cells
from mda_checks.variants.compare import case_key, coincide
from mda_checks.variants.learner_case import learner_case
from tests.conftest import ASSIGNMENTS, COURSE
from tests.copies.cohort import Work, answer_cells, cohort_course, grade
from tests.variants.test_many_variants import LEARNERS, masters

#: the sweep's learners (drawn once per worker for both), never fewer than 8: each kind of honest pair several times
HONEST = [f"apprenant{k:02d}" for k in range(max(8, len(LEARNERS)))]
SOURCE = "apprenant03"  # solved (profile 0): their handed answers are their right answers
COPIER, PARTIAL, FEW = "copieur", "copieur-partiel", "copieur-discret"
#: a learner given a variant (mda release) who hands nothing in, and one who typed in their worked answers
ABSENT, COPIER_OF_ABSENT = "absent", "copieur-d-absent"


def honest_work(assignment: str, index: int) -> Work:
    """Solved, with every classic slip of the bloc, or with the second half of the answers left blank."""
    if index % 3 == 1:
        return Work(slips=tuple(slips_of(COURSE, assignment)))
    if index % 3 == 2:
        answers = answer_cells(assignment)
        return Work(blank=frozenset(answers[len(answers) // 2:]))
    return Work()


def partial_cells(assignment: str) -> set[str]:
    """The check cells of the bloc's second and third notebooks."""
    return {cells.grade_id(cell) for name in list(masters(assignment))[1:3] for cell in masters(assignment)[name].cells
            if cells.is_autograded_test(cell)}


def keys(course, assignment: str, learner: str):
    return case_key(course, assignment, learner_case(course, assignment, learner).folder)


def comparable_typed(course, assignment: str, learner: str, typed: set[str]) -> set[str]:
    """The typed cells whose right answers differ between the learner's case and the source's."""
    mine, theirs = keys(course, assignment, learner), keys(course, assignment, SOURCE)
    return {g for g in typed if g in mine and mine[g].right is not None and theirs[g].right is not None
            and not coincide(mine[g].spec, mine[g].right, theirs[g].right)}


def a_few_numbers(course, assignment: str, learner: str) -> list[str]:
    """Two cells (one less than the threshold) whose source answer is a number of the case the learner's differs from."""
    theirs = keys(course, assignment, SOURCE)
    return [g for g in sorted(comparable_typed(course, assignment, learner, set(theirs)))
            if not theirs[g].carried and is_distinctive(theirs[g].right.value)][:COPY_EVIDENCE_CELLS - 1]


@pytest.fixture(scope="module", params=[pytest.param(a, marks=pytest.mark.xdist_group(f"variants-{a}"), id=a)
                                        for a in ASSIGNMENTS])
def cohort(request, tmp_path_factory, variants_root):
    assignment = request.param
    learners = {name: name for name in [*HONEST, COPIER, PARTIAL, FEW, ABSENT, COPIER_OF_ABSENT]}
    course = cohort_course(tmp_path_factory.mktemp(f"cohorte-{assignment}") / "cours", assignment, learners,
                           variants_root)
    for index, learner in enumerate(HONEST):
        grade(course, assignment, learner, honest_work(assignment, index))
    copied = read_handovers(course.step("autograded") / SOURCE / assignment)
    grade(course, assignment, COPIER, Work(typed=copied))
    grade(course, assignment, PARTIAL, Work(typed={g: v for g, v in copied.items() if g in partial_cells(assignment)}))
    few = a_few_numbers(course, assignment, FEW)
    assert len(few) == COPY_EVIDENCE_CELLS - 1
    grade(course, assignment, FEW, Work(typed={g: copied[g] for g in few}))
    absent = grade(course, assignment, ABSENT)  # their worked answers, then nothing graded: never handed in
    grade(course, assignment, COPIER_OF_ABSENT, Work(typed=read_handovers(absent)))
    shutil.move(absent.parent, course.root / "hors-correction")  # kept outside the course's steps, for the test
    return assignment, course, copied, detect_copies(course, assignment)


def test_no_honest_learner_is_suspected(cohort):
    assignment, _, _, findings = cohort
    assert findings.units == len(HONEST) + 4 and not findings.without_handovers
    wrongly = [s for s in findings.suspicions if s.learner in HONEST]
    assert not wrongly, [(s.learner, s.source, [c.grade_id for c in s.counted]) for s in wrongly]


def test_a_copier_of_every_answer_is_named_with_the_source_and_the_cells(cohort):
    assignment, course, copied, findings = cohort
    lines = [s for s in findings.suspicions if s.learner == COPIER]
    assert [s.source for s in lines] == [SOURCE]
    line = lines[0]
    # every typed cell the two cases do not share is evidence, and nothing else
    assert {c.grade_id for c in line.concordances} == comparable_typed(course, assignment, COPIER, set(copied))
    assert len(line.counted) >= COPY_EVIDENCE_CELLS and line.comparable >= len(line.counted)
    assert all(is_distinctive(c.source) for c in line.counted)
    for carried in line.of_kind(CARRIED):  # named with the earlier evidence it is computed from
        assert carried.inputs and all(g in {c.grade_id for c in line.concordances} for g in carried.inputs)


def test_a_copier_of_some_answers_is_named_with_those_cells_only(cohort):
    assignment, course, copied, findings = cohort
    typed = {g for g in copied if g in partial_cells(assignment)}
    lines = [s for s in findings.suspicions if s.learner == PARTIAL]
    assert [s.source for s in lines] == [SOURCE]
    found = {c.grade_id for c in lines[0].concordances}
    assert found == comparable_typed(course, assignment, PARTIAL, typed) and found <= typed
    assert len(lines[0].counted) >= COPY_EVIDENCE_CELLS


def test_a_copier_of_a_learner_who_never_handed_in_is_named_with_that_source(cohort):
    """The sources are every case the registry gave, handed in or not: the absent learner is compared as a source
    only (never as a copy), and the copier's line names them and every comparable typed cell."""
    assignment, course, _, findings = cohort
    source = f"{ABSENT} ({NOT_HANDED_IN})"
    assert findings.not_handed_in == [source] and findings.cases == findings.units + 1
    assert not (course.step("autograded") / ABSENT).exists()
    assert not [s for s in findings.suspicions if s.learner == ABSENT]
    lines = [s for s in findings.suspicions if s.learner == COPIER_OF_ABSENT]
    assert [s.source for s in lines] == [source]
    typed = set(read_handovers(course.root / "hors-correction" / assignment))
    mine, theirs = keys(course, assignment, COPIER_OF_ABSENT), keys(course, assignment, ABSENT)
    assert {c.grade_id for c in lines[0].concordances} == {
        g for g in typed if g in mine and mine[g].right is not None and theirs[g].right is not None
        and not coincide(mine[g].spec, mine[g].right, theirs[g].right)}
    assert len(lines[0].counted) >= COPY_EVIDENCE_CELLS


def test_fewer_copied_numbers_than_the_threshold_make_no_line(cohort):
    """The threshold is a number of counted cells: two copied numbers are shown nowhere (see the docs)."""
    _, _, _, findings = cohort
    assert COPY_EVIDENCE_CELLS - 1 >= 1
    assert not [s for s in findings.suspicions if s.learner == FEW]


def test_every_answer_of_a_solved_copy_is_kept_well_under_the_cap(cohort):
    """The cap on a kept hand-over (config.KEPT_HANDOVER_CHARS) leaves room for the largest honest answer."""
    assignment, course, copied, _ = cohort
    kept = {}
    for path in (course.step("autograded") / SOURCE / assignment).glob("*.ipynb"):
        kept.update(stored_handovers(nbformat.read(path, as_version=4)))
    sizes = [len(json.dumps(value, ensure_ascii=False)) for value in kept.values()]
    assert TOO_LARGE not in kept.values() and max(sizes) < KEPT_HANDOVER_CHARS / 2, max(sizes)
    assert set(copied) == set(kept)


def test_evidence_kinds_are_the_three_documented_ones(cohort):
    _, _, _, findings = cohort
    kinds = {c.kind for s in findings.suspicions for c in s.concordances}
    assert COUNTED in kinds and kinds <= {COUNTED, WEAK, CARRIED}
