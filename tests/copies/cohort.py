"""A graded cohort without kernels: each learner's variant published, their notebooks run and scored.

Grading a cohort of 20 learners per bloc through nbgrader would take far too long, so (as the
variant sweep, ``tests/variants/test_many_variants.py``, whose variants these are) the masters
(trusted course code, never a learner's) run in this process on each learner's own data, then the
real trusted step, ``ScoreAnswers``, scores them and keeps their hand-overs; the graded notebooks
are written where ``mda grade`` writes them. What nbgrader and kernels do is tested on real
gradings in ``test_copies_graded.py``.

A learner's notebooks may be: solved; with the bloc's classic slips (``mda_reference/<bloc>/slips.py``);
with answer cells left as received; or with answers typed in from elsewhere (a classmate's, for a
copier): the value is set just before the check cell reads it, as if typed as numbers.
"""
from __future__ import annotations

import contextlib
import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from mda_checks.course import Course
from mda_checks.demo.submissions import apply_slip
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.grade.preprocessors.score_answers import ScoreAnswers
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import data_digest, learner_case
from mda_checks.variants.registry import VariantRecord, record_variants
from mda_checks.variants.secret import FOLDER, NAME
from mda_checks.variants.seeds import variant_name
from tests.conftest import copy_course
from tests.variants.test_many_variants import SECRET, drawn_variant, learner_copies, masters, run_cell


@dataclass(frozen=True)
class Work:
    """How one learner's notebooks are made."""

    slips: tuple = ()                           # classic slips written into the solved answers
    blank: frozenset[str] = frozenset()         # answer cells (grade_id) left as received
    typed: dict = field(default_factory=dict)   # check cell grade_id -> a value typed in before it


def publish(course: Course, assignment: str, learners: dict[str, str], variants_root: Path) -> None:
    """Record each learner's variant as ``mda release`` does (learner -> whose seed: themselves, or « groupe:G1 »),
    with the test secret, and put its data in the course's cache (graded on it, verified by its digest)."""
    key = course.root / FOLDER / NAME
    key.parent.mkdir(mode=0o700, exist_ok=True)
    key.write_text(SECRET.hex() + "\n", encoding="ascii")
    records = []
    for learner, identity in learners.items():
        variant = drawn_variant(variants_root, assignment, identity)
        digest = data_digest(variant.data)
        records.append(VariantRecord(assignment, learner, variant_name(SECRET, identity, assignment), variant.attempt,
                                     digest, "2026-12-01T10:00:00+01:00", "" if identity == learner else identity))
        cache = course.root / FOLDER / "cache" / assignment / f"{learner}-{digest[:16]}"
        if not cache.is_dir():
            shutil.copytree(variant.data, cache)
    record_variants(course, records)


def cohort_course(root: Path, assignment: str, learners: dict[str, str], variants_root: Path) -> Course:
    course = copy_course(root)
    publish(course, assignment, learners, variants_root)
    return course


def _notebooks(assignment: str, work: Work) -> dict[str, NotebookNode]:
    """The masters with this learner's slips and blanks written into their answer cells."""
    stubs = {(name, cells.grade_id(c)): c.source for name, nb in learner_copies(assignment).items() for c in nb.cells}
    made = {name: copy.deepcopy(nb) for name, nb in masters(assignment).items()}
    for slip in work.slips:
        apply_slip(made[slip.notebook], slip)
    for name, notebook in made.items():
        for cell in notebook.cells:
            if cells.is_solution(cell) and cell.cell_type == "code" and cells.grade_id(cell) in work.blank:
                cell.source = stubs[(name, cells.grade_id(cell))]
    return made


def _execute(notebook: NotebookNode, folder: Path, typed: dict) -> NotebookNode:
    """Run a notebook's code cells in one namespace from `folder`, typed values set before their checks."""
    ran, namespace, count = copy.deepcopy(notebook), {"__name__": "__main__"}, 0
    with contextlib.chdir(folder):
        for cell in ran.cells:
            if cell.cell_type != "code":
                continue
            if cells.is_autograded_test(cell) and cells.grade_id(cell) in typed:
                namespace[read_spec(cell.source).variable] = copy.deepcopy(typed[cells.grade_id(cell)])
            count += 1
            cell.execution_count = count
            cell.outputs = run_cell(cell.source, namespace)
    return ran


def grade(course: Course, assignment: str, learner: str, work: Work = Work()) -> Path:
    """The learner's graded notebooks, as ScoreAnswers leaves them, in autograded/<learner>/<assignment>/."""
    case = learner_case(course, assignment, learner)
    graded = course.step("autograded") / learner / assignment
    graded.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="execution-", dir=course.root) as scratch:  # never a bare /tmp folder
        shutil.copytree(case.folder, Path(scratch) / "data")
        for name, notebook in _notebooks(assignment, work).items():
            ran = _execute(notebook, Path(scratch), work.typed)
            resources = {"nbgrader": {"assignment": assignment, "student": learner, "notebook": name},
                         "metadata": {"path": scratch}}
            scored, _ = ScoreAnswers(reference_root=str(course.root)).preprocess(ran, resources)
            nbformat.write(scored, graded / f"{name}.ipynb")
    return graded


def answer_cells(assignment: str) -> list[str]:
    """The grade_ids of the answer cells of an assignment's masters, in order."""
    return [cells.grade_id(c) for nb in masters(assignment).values() for c in nb.cells
            if cells.is_solution(c) and c.cell_type == "code"]
