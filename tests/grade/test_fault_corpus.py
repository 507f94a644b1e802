"""The fault corpus graded in one parallel run beside good submissions (bloc 1, first notebook)."""
from __future__ import annotations

import ast
import hashlib
from functools import cache

import nbformat
import pytest
from nbgrader.api import Gradebook

from mda_checks.demo.run import slips_of
from mda_checks.course import Course
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.reasons import EXCEPTION_NAME
from mda_checks.grade.runs.state import GradingState
from mda_checks.notebook import cells
from mda_checks.statuses import CopyOutcome
from tests.grade.faults import ASSIGNMENT, FAILED, build_corpus
from tests.grade.helpers import gradebook_rows, trimmed_course

pytestmark = [pytest.mark.xdist_group("fault-corpus")]
# generous: the first cell imports pandas and matplotlib, slow on a busy machine; only the
# endless loop of f08 waits for it
CELL_TIMEOUT = 30
#: the journal's words for a cell stopped at its time limit
WAITS = ("délai dépassé", "ignore l'interruption")


def _tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def corpus_run():
    course = trimmed_course("fautes")
    expected = build_corpus(course)
    protected = {name: _tree_digest(course.root / name) for name in ("source", "release", "mda_reference")}
    plan = plan_grading(course, [ASSIGNMENT], cell_timeout=CELL_TIMEOUT)
    # the copies that wait out a cell's time limit (30 s, 60 s when the interrupt is ignored) first, the
    # others graded meanwhile: the same tasks in the same pool, not one after the other at the end
    plan.to_grade.sort(key=lambda task: not any(w in WAITS for w in expected[task[0]].words))
    run = run_grading(course, plan, workers=2)
    outcomes = {o.student: o for s, a in GradingState.of(course).keys() for o in GradingState.of(course).outcomes(s, a)}
    return course, expected, run, outcomes, protected


def _grades(course: Course, student: str) -> dict[str, tuple[float, float]]:
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    tests = {cells.grade_id(c) for c in course.read_source(ASSIGNMENT)[first].cells if cells.is_autograded_test(c)}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook(first, ASSIGNMENT, student)
        return {g.name: (g.score, g.max_score) for g in notebook.grades if g.name in tests}


def test_the_corpus_has_the_sixteen_required_faults_and_good_submissions_beside():
    _, expected, run, _, _ = corpus_run()
    assert len([s for s in expected if s.startswith("f")]) >= 16
    assert run.counts[ASSIGNMENT][CopyOutcome.GRADED] == len(expected)
    assert not run.failures


@pytest.mark.parametrize("student", [
    "a-solutions", "a-vierge", "a-erreurs", "f01-json-casse", "f02-absent", "f03-renomme", "f04-fichiers-en-trop",
    "f05-test-supprime", "f06-test-modifie", "f07-cellules-dupliquees", "f08-boucle-infinie", "f09-bombe-memoire",
    "f10-sys-exit", "f11-noyau-tue", "f12-ecrit-hors-dossier", "f13-ouvre-carnet", "f14-imprime-un-nombre",
    "f15-sortie-100-mo", "f16-octets-non-utf8", "f17-mauvais-noyau", "f18-lien-symbolique", "f19-ignore-interruption",
])
def test_each_submission_is_recorded_with_its_outcome_and_scored_as_expected(student):
    course, expected, _, outcomes, _ = corpus_run()
    want, got = expected[student], outcomes[student]
    assert got.status == want.status, got.notes
    for words in want.words:
        assert words in f"{got.notes} {got.detail}", (got.notes, got.detail)
    # what trainers read is French: a Python class name only ever in the technical detail
    assert not EXCEPTION_NAME.search(got.notes) and not EXCEPTION_NAME.search(got.cause), got.notes
    grades = _grades(course, student)
    if want.all_auto == "max":
        assert all(score == maximum for score, maximum in grades.values()), grades
    if want.all_auto == "zero":
        assert all(score == 0 for score, _ in grades.values()), grades
    for grade_id, score in want.scores.items():
        if score is not None:
            assert grades[grade_id][0] == score, (grade_id, grades[grade_id])


def test_classic_mistakes_in_the_same_run_lose_exactly_their_points():
    course, _, _, _, _ = corpus_run()
    slips = slips_of(course, ASSIGNMENT)
    grades = _grades(course, "a-erreurs")
    for slip in slips:
        score, maximum = grades[slip.test_cell]
        assert maximum - score == pytest.approx(slip.lost), slip.test_cell


def test_the_sandbox_refused_every_attempt_and_the_course_is_intact():
    course, _, _, _, protected = corpus_run()
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    graded = course.step("autograded") / "f12-ecrit-hors-dossier" / ASSIGNMENT / f"{first}.ipynb"
    printed = "".join(o.get("text", "") for c in nbformat.read(graded, as_version=4).cells for o in c.get("outputs", []))
    attempts = ast.literal_eval(printed.split("ATTAQUE=")[1].splitlines()[0])
    assert len(attempts) == 9 and all(v.startswith("refusé") for v in attempts.values()), attempts
    for name, digest in protected.items():
        assert _tree_digest(course.root / name) == digest, name
    assert not list(course.step("submitted").rglob("pirate*"))


def test_huge_output_is_cut_and_extra_files_never_reach_the_graded_folder():
    course, _, _, _, _ = corpus_run()
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    graded = course.step("autograded") / "f15-sortie-100-mo" / ASSIGNMENT / f"{first}.ipynb"
    assert graded.stat().st_size < 2_000_000
    extra = course.step("autograded") / "f04-fichiers-en-trop" / ASSIGNMENT
    assert not (extra / "mda_reference").exists() and not (extra / "notes_perso.txt").exists()


def test_gradebook_is_intact_and_a_second_run_grades_again_only_what_failed():
    course, expected, _, _, _ = corpus_run()
    db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    failed = {s for s, want in expected.items() if want.status == FAILED}
    assert failed == {"f11-noyau-tue"}
    with Gradebook(db_url) as gb:
        assert gb.db.execute(__import__("sqlalchemy").text("pragma integrity_check")).scalar() == "ok"
        assert {s.student_id for s in gb.find_assignment(ASSIGNMENT).submissions} == set(expected)
    before = {k: v for k, v in gradebook_rows(db_url).items() if k[1] not in failed}
    graded = {p: p.stat().st_mtime_ns for p in course.step("autograded").rglob("*.ipynb") if p.parts[-3] not in failed}
    plan = plan_grading(course, [ASSIGNMENT], cell_timeout=CELL_TIMEOUT)
    assert {s for s, _, _ in plan.to_grade} == failed and len(plan.skipped) == len(expected) - len(failed)
    run = run_grading(course, plan, workers=2)
    assert run.counts[ASSIGNMENT][CopyOutcome.SKIPPED] == len(expected) - len(failed)
    assert {k: v for k, v in gradebook_rows(db_url).items() if k[1] not in failed} == before
    assert {p: p.stat().st_mtime_ns for p in course.step("autograded").rglob("*.ipynb")
            if p.parts[-3] not in failed} == graded
