"""The hostile corpus graded twice, by `mda grade` and by plain `nbgrader autograde`: same grades,
each attack earning exactly what its honest answers earn, and no part of the key in any page."""
from __future__ import annotations

import ast
import atexit
import hashlib
import math
import multiprocessing
import re
import shutil
import socket
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbgrader.api import Gradebook

import mda_checks
from mda_checks.config import GRADING_LIMITS
from mda_apprenant.check.formatting import format_euros, format_number
from mda_checks.course import Course
from mda_checks.feedback import generate_feedback
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.scoring.answer_schema import TOO_LARGE
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.grade.sandbox.isolation import python_paths
from mda_checks.scoring.reference import reference_expected
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from tests.grade.helpers import another_copy_place, trimmed_course
from tests.grade.hostile import ASSIGNMENT, BLANK, HONEST, PARTIAL, ZERO, build_hostile

pytestmark = [pytest.mark.xdist_group("hostile-corpus")]
CHECKOUT = Path(mda_checks.__file__).resolve().parents[1]
RAW_HANDLER = re.compile(r"<[a-z]+[^<>]*\sonerror\s*=", re.I)  # an event handler inside a real tag
PROTECTED = ("source", "release", "mda_reference", "nbgrader_config.py")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if "__pycache__" in item.parts:
            continue
        digest.update(str(item.relative_to(path.parent)).encode())
        if item.is_file():
            digest.update(item.read_bytes())
    return digest.hexdigest()


def _scores(course: Course) -> dict[tuple[str, str, str], float]:
    """(student, notebook, grade_id) -> score of every check cell."""
    tests = {(name, cells.grade_id(c)) for name, nb in course.read_source(ASSIGNMENT).items()
             for c in nb.cells if cells.is_autograded_test(c)}
    found = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment(ASSIGNMENT).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if (notebook.name, grade.name) in tests:
                        found[(submission.student_id, notebook.name, grade.name)] = grade.score
    return found


#: written in every file of the other copy of the course: no page may ever show it
ELSEWHERE_MARK = "COPIE-CONFIDENTIELLE-DU-FORMATEUR"


def other_copy(course: Course) -> tuple[Path, socket.socket]:
    """Another copy of the course where a trainer could keep one, with a Unix socket listening in it; removed
    at exit."""
    folder, listening = another_copy_place()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    atexit.register(listening.close)
    for name in ("source", "mda_reference"):
        shutil.copytree(course.root / name, folder / name)
    for path in [folder / "source" / ASSIGNMENT / "notes_du_formateur.py", folder / "mda_reference" / "secret.py"]:
        path.write_text(f"# {ELSEWHERE_MARK}\n", encoding="utf-8")
    return folder, listening


def grade_plainly(root: str, students: list[str]) -> dict[str, str]:
    """Plain `nbgrader autograde` of each submission, through nbgrader's API; {student: error and log} of failures."""
    api = course_api(Path(root))
    results = {s: api.autograde(ASSIGNMENT, s, force=True, create=True) for s in students}
    return {s: f"{r.get('error')}\n{r.get('log')}" for s, r in results.items() if not r.get("success")}


@cache
def hostile_run():
    course = trimmed_course("hostile", keep=2)
    elsewhere, listening = other_copy(course)
    attacks = build_hostile(course, str(CHECKOUT), str(elsewhere))
    plain = Course(Path(shutil.copytree(course.root, course.root.with_name(course.root.name + "-nbgrader"))))
    atexit.register(shutil.rmtree, plain.root, ignore_errors=True)  # the trimmed course is removed the same way
    before = {name: _digest(course.root / name) for name in PROTECTED}
    # both ways at once, each in its own copy of the course (figures: docs/mesures/tests.md, « Corpus allégés »)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as plain_grader:
        plainly = plain_grader.submit(grade_plainly, str(plain.root), list(attacks))
        run = run_grading(course, plan_grading(course, [ASSIGNMENT]), workers=2)
        plain_failures = plainly.result()
    after = {name: _digest(course.root / name) for name in PROTECTED}
    problems = generate_feedback(course_api(course.root), course, ASSIGNMENT, sorted(attacks))
    try:
        listening.accept()
        knocked = True
    except BlockingIOError:
        knocked = False
    return course, plain, attacks, run, plain_failures, before, after, problems, knocked


def _of(scores: dict, student: str) -> dict[tuple[str, str], float]:
    return {(nb, gid): score for (s, nb, gid), score in scores.items() if s == student}


def _refused(attacks: dict) -> set[str]:
    """Submissions with a notebook above the size cap: plain nbgrader fails them whole, unread."""
    return {student for student, attack in attacks.items() if attack.refused}


def test_both_ways_of_grading_give_the_same_grade_to_every_cell():
    course, plain, attacks, run, plain_failures, *_ = hostile_run()
    assert not run.failures and set(plain_failures) == _refused(attacks), (run.failures, plain_failures)
    mda, nbgrader = ({key: score for key, score in _scores(c).items() if key[0] not in _refused(attacks)}
                     for c in (course, plain))
    assert mda and mda == nbgrader


def test_the_honest_base_earns_its_solved_answers_and_nothing_else():
    """The oracle itself can fail: the base must score its solved cells in full, the others 0."""
    course, *_ = hostile_run()
    base = _of(_scores(course), "h00-base-honnete")
    checked = {cells.grade_id(c): cells.points(c) for nb in course.read_source(ASSIGNMENT).values()
               for c in nb.cells if cells.is_autograded_test(c)}
    solved = {gid.removeprefix("reponse_") for gid in PARTIAL}
    assert {gid for (_, gid), score in base.items() if score == checked[gid]} == solved
    assert all(score == 0 for (_, gid), score in base.items() if gid not in solved)


@pytest.mark.parametrize("student", [
    "h01-affichage-coupe", "h02-grade-et-repr-remplaces", "h03-faux-module-corrige", "h04-importe-le-corrige",
    "h05-lit-les-fichiers", "h06-fonctions-detournees", "h07-reponse-apres-verification",
    "h08-remise-forgee-ailleurs", "h09-remise-avec-score", "h10-deux-remises", "h11-script-et-sorties",
    "h12-reecrit-le-carnet-precedent", "h13-valeurs-infinies", "h14-remises-bombes",
    "h15-lit-la-machine", "h16-remplit-le-disque", "h17-carnet-geant",
])
def test_each_attack_earns_exactly_what_its_honest_answers_earn(student):
    course, _, attacks, *_ = hostile_run()
    attack, scores = attacks[student], _scores(course)
    got = _of(scores, student)
    if attack.earns == HONEST:
        assert got == _of(scores, "h00-base-honnete")
    elif attack.earns == BLANK:
        assert got == _of(scores, "h00-base-vierge")
    else:
        assert attack.earns == ZERO and set(got.values()) == {0.0}, got
    graded = "\n".join(p.read_text(encoding="utf-8")
                       for p in (course.step("autograded") / student / ASSIGNMENT).glob("*.ipynb"))
    for words in attack.words:
        assert words in graded, words


def _key_fragments(course: Course) -> set[str]:
    """Reference file names and source lines, and expected values of the questions left blank."""
    reference = course.root / "mda_reference"
    fragments = {p.name for p in reference.rglob("*.py") if p.name != "__init__.py"}
    for path in reference.rglob("*.py"):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        fragments |= {line for line in lines if len(line) > 40 and not line.startswith("#")}
    expected_of = reference_expected(course.root, ASSIGNMENT, course.source / ASSIGNMENT / "data")
    solved = {gid.removeprefix("reponse_") for gid in PARTIAL}
    for nb in course.read_source(ASSIGNMENT).values():
        right_answers = RightAnswers(expected_of)  # carried checks too, from the right earlier answers
        for cell in nb.cells:
            if not cells.is_autograded_test(cell):
                continue
            right = right_answers.of(cells.grade_id(cell), read_spec(cell.source))[1]
            if cells.grade_id(cell) in solved or right is None:
                continue
            value = right.value
            numbers = value.to_numpy().ravel().tolist() if isinstance(value, (pd.Series, pd.DataFrame)) else [value]
            for number in numbers:
                if isinstance(number, float) and math.isfinite(number) and number != round(number, 2):
                    fragments |= {repr(number), format_number(number, 6)}
                elif isinstance(number, float) and abs(number) >= 1000:
                    fragments.add(format_euros(number))
    return fragments


def test_no_page_and_no_graded_notebook_holds_a_part_of_the_key_or_a_script():
    """Graded either way (the plain `nbgrader autograde` path is sandboxed too)."""
    course, plain, attacks, _, _, _, _, problems, _ = hostile_run()
    assert not problems, problems
    fragments = _key_fragments(course) | {ELSEWHERE_MARK}
    names = {f for f in fragments if f.endswith(".py")}
    assert len(fragments) > 20 and len(names) > 5  # the search is not empty
    for student in attacks:
        pages = list((course.root / "feedback" / student / ASSIGNMENT).glob("*.html"))
        graded = [p for c in (course, plain) for p in (c.step("autograded") / student / ASSIGNMENT).glob("*.ipynb")]
        # each way grades both notebooks, but mda grade skips a notebook above the cap and plain nbgrader the whole copy
        assert pages and len(graded) == (2 - attacks[student].refused) + (0 if attacks[student].refused else 2), student
        for path in pages + graded:
            text = path.read_text(encoding="utf-8")
            searched = names if attacks[student].computes_answers and path.suffix == ".ipynb" else fragments
            leaked = [f for f in searched if f in text]
            assert not leaked, (student, path.name, leaked[:5])
            if path.suffix == ".html":
                assert "<script>alert" not in text and not RAW_HANDLER.search(text), (student, path.name)


def test_the_course_is_intact_and_an_earlier_graded_copy_cannot_be_rewritten():
    course, _, _, _, _, before, after, _, _ = hostile_run()
    assert before == after
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    graded = nbformat.read(course.step("autograded") / "h12-reecrit-le-carnet-precedent" / ASSIGNMENT / f"{first}.ipynb",
                           as_version=4)
    base = nbformat.read(course.step("autograded") / "h00-base-honnete" / ASSIGNMENT / f"{first}.ipynb", as_version=4)
    scores = [[o.data["text/plain"] for o in c.outputs] for c in graded.cells if cells.is_autograded_test(c)]
    assert scores == [[o.data["text/plain"] for o in c.outputs] for c in base.cells if cells.is_autograded_test(c)]
    folder = course.step("autograded") / "h12-reecrit-le-carnet-precedent" / ASSIGNMENT
    assert not [p for p in folder.rglob("*") if p.is_symlink()]


def _printed(course: Course, student: str, marker: str) -> dict:
    """The dict an attack printed after `marker` in its first graded notebook."""
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    graded = nbformat.read(course.step("autograded") / student / ASSIGNMENT / f"{first}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in graded.cells for o in c.get("outputs", []))
    return ast.literal_eval(text.split(marker, 1)[1].splitlines()[0])


PYTHON_UNDER_ROOT = sorted({p.parts[2] for p in python_paths() if len(p.parts) > 2 and p.parts[1] == "root"})


def test_the_rest_of_the_machine_is_out_of_sight_either_way():
    """Home folders, /srv, /opt, /var/lib, /run, another copy of the course, its Unix socket: absent."""
    course, plain, *_, knocked = hostile_run()
    for graded_by in (course, plain):
        seen = _printed(graded_by, "h15-lit-la-machine", "MACHINE=")
        assert len(seen) == 11, seen
        for name, what in seen.items():
            if name == "root":  # only the folders that lead to the Python installation, when it lives there
                assert what == "FileNotFoundError" or what == PYTHON_UNDER_ROOT, what
            else:
                assert what == "FileNotFoundError", (name, what)
    assert not knocked  # the socket never had a visitor


def test_a_kernel_that_fills_its_disk_stops_at_its_quota_and_the_journal_says_so_in_french():
    course, plain, *_ = hostile_run()
    for graded_by in (course, plain):
        written = _printed(graded_by, "h16-remplit-le-disque", "ECRIT=")
        assert 0 < sum(written.values()) <= GRADING_LIMITS.tmp_bytes, written  # one quota for all three folders
    journal = (course.step("autograded") / "journal_correction.csv").read_text(encoding="utf-8")
    rows = [line for line in journal.splitlines() if line.startswith("h16-remplit-le-disque,")]
    assert "espace d'écriture du noyau épuisé dans la cellule" in rows[0], rows


def test_a_notebook_above_the_cap_is_refused_unread_with_a_french_reason():
    """By `mda grade` (that notebook alone, in the journal) and by plain `nbgrader autograde` (the copy fails)."""
    course, plain, _, _, plain_failures, *_ = hostile_run()
    assert re.search(r"carnet trop volumineux \(21,\d Mio, au-delà de la limite de 20 Mio\) : refusé sans être lu",
                     plain_failures["h17-carnet-geant"]), plain_failures["h17-carnet-geant"][-2000:]
    assert not list((plain.step("autograded") / "h17-carnet-geant").rglob("*.ipynb"))
    second = course.source_notebooks(ASSIGNMENT)[1].stem
    journal = (course.step("autograded") / "journal_correction.csv").read_text(encoding="utf-8")
    row = next(line for line in journal.splitlines() if line.startswith(f"h17-carnet-geant,{ASSIGNMENT},{second},"))
    assert "non corrigé" in row and re.search(r"carnet trop volumineux \(21,\d Mio, au-delà de la limite de "
                                              r"20 Mio\) : refusé sans être lu", row), row
    assert not (course.step("autograded") / "h17-carnet-geant" / ASSIGNMENT / f"{second}.ipynb").exists()


#: what each bomb of h14 must be refused for, in the journal's French remarks (tests/grade/hostile.py, BOMBS)
BOMB_REASONS = {
    "croissance_segments": "la réponse transmise ne respecte pas le format attendu",  # malformed tagged items
    "segment_porteur": TOO_LARGE,   # nested beyond the cap
    "segment_risque": TOO_LARGE,    # a flat list beyond the cap
    "carte_perceptuelle": TOO_LARGE,  # many small tables
}


def test_each_scorer_bomb_scores_zero_with_its_french_reason_in_the_journal():
    course, *_ = hostile_run()
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    journal = pd.read_csv(course.step("autograded") / "journal_correction.csv", dtype=str).fillna("")
    row = journal[(journal["apprenant"] == "h14-remises-bombes") & (journal["notebook"] == first)]
    assert len(row) == 1, journal
    remarks = row["remarques"].iloc[0]
    for grade_id, reason in BOMB_REASONS.items():
        assert f"vérification « {grade_id} » : {reason}" in remarks, (grade_id, remarks)
        assert _of(_scores(course), "h14-remises-bombes")[(first, grade_id)] == 0
    assert "Error" not in remarks and "Exception" not in remarks, remarks  # French words, no class names
