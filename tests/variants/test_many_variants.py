"""Many variants per bloc (issue 12): the solutions score full marks, blank copies 0, each slip its credit.

For 8 learners of each bloc (`make test-variantes`: 20, or MDA_VARIANTES_TEST=N), the case is drawn as at release:
seed = HMAC(test secret, learner, assignment) and the first draw fit for the barème (``draw_case`` with ``case_check.acceptor``).
On that case, the masters' code runs, then the trusted step scores every check cell
(``score_cell`` with the notebook's ``RightAnswers``, on the reference's expected values for that
case) from the answer the cell handed over, as ``ScoreAnswers`` does after nbgrader's Execute.

Running 19 notebooks × 80 variants through real kernels would take far too long, so the
masters (trusted course code, never a learner's) run in this process: each notebook's code
cells in a fresh namespace, from a folder whose data/ holds the variant's CSV files, cell after
cell like nbgrader's Execute, whose ``allow_errors`` is on (nbgrader_config.py leaves it so): a
failing cell gives an error output and the next one runs. A check cell's last expression is displayed as
IPython would: its ``_repr_mimebundle_``, whose ``application/vnd.mda.reponse+json`` entry is the
hand-over. Figures are closed after each cell, as the inline backend does. What only real
kernels show (the sandbox, timeouts, nbgrader's own steps) is tested in tests/course and
tests/grade on the committed case.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import io
import math
import os
import shutil
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_output

from mda_checks.assign.case_check import NOT_CHECKED, acceptor, case_problems
from mda_checks.casedata import draw_case, write_frames
from mda_apprenant.check.handover import MIME_TYPE
from mda_checks.course import bloc_number
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import load_reference, reference_expected
from mda_checks.scoring.score_cells import score_cell
from mda_checks.notebook import cells
from mda_checks.variants.seeds import variant_seed
from tests.conftest import ASSIGNMENTS, COURSE, cases

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

SECRET = b"test-secret-many-variants"
#: 8 in `make test` (the sweep's time counts in CI), 2 in `make test-rapide`; `make test-variantes` runs 20
VARIANTS_PER_BLOC = int(os.environ.get("MDA_VARIANTES_TEST") or cases(8))
LEARNERS = [f"apprenant{k:02d}" for k in range(VARIANTS_PER_BLOC)]
#: the variant of each bloc on which every recognised mistake is handed over one by one
MISTAKES_LEARNER = LEARNERS[0]


def per_variant(assignments=ASSIGNMENTS, learners=LEARNERS):
    """(assignment, learner) pairs, one xdist group per bloc: its variants are drawn once per worker."""
    return pytest.mark.parametrize("assignment, learner", [
        pytest.param(a, s, marks=pytest.mark.xdist_group(f"variants-{a}"), id=f"{a}-{s}")
        for a in assignments for s in learners])


def per_bloc(assignments=ASSIGNMENTS):
    return pytest.mark.parametrize("assignment", [
        pytest.param(a, marks=pytest.mark.xdist_group(f"variants-{a}"), id=a) for a in assignments])


# -- the variants ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    assignment: str
    learner: str
    seed: int
    attempt: int     # the draw draw_case kept (0: the seed's own)
    data: Path       # the variant's CSV files, as a copy ships them

    def __str__(self) -> str:
        return f"{self.assignment}, {self.learner} (graine {self.seed}, tirage {self.attempt})"


@pytest.fixture(scope="session")
def variants_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("variantes")


_drawn: dict[tuple[str, str], Variant] = {}


def drawn_variant(root: Path, assignment: str, learner: str) -> Variant:
    """The learner's case, drawn as ``mda release`` draws it (once per worker)."""
    key = (assignment, learner)
    if key not in _drawn:
        seed = variant_seed(SECRET, learner, assignment)
        attempt, frames = draw_case(bloc_number(assignment), seed, accept=acceptor(COURSE, assignment))
        data = root / assignment / learner / "data"
        write_frames(frames, data)
        _drawn[key] = Variant(assignment, learner, seed, attempt, data)
    return _drawn[key]


@pytest.fixture
def variant(variants_root, assignment, learner) -> Variant:
    return drawn_variant(variants_root, assignment, learner)


# -- running a notebook in this process, as a kernel would -----------------------------------------------

@cache
def _notebooks(folder: Path) -> dict[str, NotebookNode]:
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def masters(assignment: str) -> dict[str, NotebookNode]:
    return _notebooks(COURSE.source / assignment)


def learner_copies(assignment: str) -> dict[str, NotebookNode]:
    return _notebooks(COURSE.release / assignment)


def _display(value) -> dict:
    """What IPython displays for a cell's last value: the rich bundle when the object has one."""
    if hasattr(value, "_repr_mimebundle_"):
        bundle = value._repr_mimebundle_()
        return bundle[0] if isinstance(bundle, tuple) else bundle  # (data, metadata), as IPython accepts
    return {"text/plain": repr(value)}


def run_cell(source: str, namespace: dict) -> list[NotebookNode]:
    """One code cell, as a kernel runs it: its outputs (the last expression displayed, an error kept)."""
    outputs, out, err = [], io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<cellule>", "exec"), namespace)  # noqa: S102 - the course's own code
            value = None
            if last is not None:  # IPython displays the value of a cell's last expression
                value = eval(compile(ast.Expression(last.value), "<cellule>", "eval"), namespace)  # noqa: S307
            result = None if value is None else new_output("execute_result", data=_display(value), execution_count=1)
    except Exception as problem:  # noqa: BLE001 - like a kernel: the error is the cell's output
        result = new_output("error", ename=type(problem).__name__, evalue=str(problem)[:300], traceback=[])
    finally:
        plt.close("all")  # the inline backend closes a cell's figures once shown
    for line in (str(w.message) for w in caught):
        err.write(f"{line}\n")
    for name, stream in (("stdout", out), ("stderr", err)):
        if stream.getvalue():
            outputs.append(new_output("stream", name=name, text=stream.getvalue()))
    return outputs + ([result] if result is not None else [])


@dataclass
class Run:
    """A notebook's code cells with their outputs, and the variables each check cell saw."""

    cells: list[NotebookNode]
    seen: dict[str, dict]  # check cell grade_id -> the namespace before it ran (a shallow copy)


def run_notebook(notebook: NotebookNode, folder: Path, sources: dict[str, str] | None = None) -> Run:
    """Every code cell of `notebook`, run in a fresh namespace from `folder` (cwd), with its outputs.

    ``sources``: grade_id -> replaced source (a harness test alters a solution)."""
    namespace: dict = {"__name__": "__main__"}
    run = Run([], {})
    with contextlib.chdir(folder):
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            ran = copy.deepcopy(cell)
            ran.source = (sources or {}).get(cells.grade_id(cell), cell.source)
            ran.execution_count = len(run.cells) + 1
            if cells.is_autograded_test(cell):
                run.seen[cells.grade_id(cell)] = dict(namespace)
            ran.outputs = run_cell(ran.source, namespace)
            run.cells.append(ran)
    return run


def workdir(variant: Variant, tmp_path: Path) -> Path:
    """A folder like a copy's: data/ holds the variant (notebooks write their exports beside it)."""
    shutil.copytree(variant.data, tmp_path / "data")
    return tmp_path


_expected: dict[tuple[str, str], dict] = {}


def expected_of(variant: Variant):
    """The reference's expected values on the variant's data, each computed once per worker (a copy is
    handed out: grading never shares an object with another test)."""
    reference = reference_expected(COURSE.root, variant.assignment, variant.data)
    known = _expected.setdefault((variant.assignment, variant.learner), {})

    def expected(key: str):
        if key not in known:
            known[key] = reference(key)
        return copy.deepcopy(known[key])
    return expected


def fork(right_answers: RightAnswers) -> RightAnswers:
    """The same visit of a notebook's check cells, from where it stands, for one more hand-over."""
    forked = RightAnswers(right_answers.expected_of)
    forked.values, forked.given = dict(right_answers.values), dict(right_answers.given)
    return forked


def score_run(run: Run, expected) -> list[tuple[NotebookNode, object, str]]:
    """The trusted step on one notebook's cells: (check cell, result, hand-over problem), in order."""
    right_answers = RightAnswers(expected)
    return [(cell, *score_cell(cell, right_answers)) for cell in run.cells if cells.is_autograded_test(cell)]


def _errors(cell: NotebookNode) -> list[str]:
    return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]


# -- the properties, on every variant --------------------------------------------------------------------

@per_variant()
def test_the_variant_is_fit_for_the_bareme(variant):
    """Each recognised mistake scores its credit and none is within the right answer's tolerance."""
    assert case_problems(COURSE, variant.assignment, variant.data, expected_of(variant)) == [], str(variant)


@per_variant()
def test_the_solutions_score_full_marks(variant, tmp_path):
    folder, expected, wrong = workdir(variant, tmp_path), expected_of(variant), []
    for name, notebook in masters(variant.assignment).items():
        ran = run_notebook(notebook, folder)
        for cell in ran.cells:
            where = f"{name}, cellule {cells.grade_id(cell) or cell.get('id')}"
            wrong += [f"{where} : erreur {e}" for e in _errors(cell)]
            wrong += [f"{where} : sortie d'erreur {o.text.strip()[:200]}" for o in cell.outputs
                      if o.output_type == "stream" and o.name == "stderr"]
        for cell, result, problem in score_run(ran, expected):
            if result.score != cells.points(cell):
                wrong.append(f"{name}, cellule {cells.grade_id(cell)} : {result.score}/{cells.points(cell)} "
                             f"({result.message}{' ; ' + problem if problem else ''})")
    assert not wrong, f"{variant} :\n" + "\n".join(wrong)


@per_variant()
def test_blank_copies_score_zero(variant, tmp_path):
    folder, expected, scored, wrong = workdir(variant, tmp_path), expected_of(variant), 0, []
    for name, notebook in learner_copies(variant.assignment).items():
        for cell, result, _ in score_run(run_notebook(notebook, folder), expected):
            scored += 1
            if result.score != 0:
                wrong.append(f"{name}, cellule {cells.grade_id(cell)} : {result.score} ({result.message})")
    assert scored and not wrong, f"{variant} :\n" + "\n".join(wrong)


# -- each recognised mistake, handed over through the check cell ------------------------------------------

def _is_collection(value) -> bool:
    return isinstance(value, (pd.Series, pd.DataFrame, list, set, tuple, dict))


def handed_over(check: NotebookNode, namespace: dict, variable: str, value) -> NotebookNode:
    """The check cell run again with the learner's variable set to `value`: what it hands over."""
    cell = copy.deepcopy(check)
    cell.outputs = run_cell(check.source, {**namespace, variable: value})
    return cell


@per_bloc()
def test_each_recognised_mistake_earns_its_credit(assignment, variants_root, tmp_path):
    """On one variant, every mistake the reference recognises, handed over by the check cell itself, earns
    exactly points × credit (a table or a list: at least its credit, it keeps the share of its right values)."""
    learner = MISTAKES_LEARNER
    found = drawn_variant(variants_root, assignment, learner)
    folder, expected, tried, wrong = workdir(found, tmp_path), expected_of(found), 0, []
    for name, notebook in masters(assignment).items():
        ran = run_notebook(notebook, folder)
        right = RightAnswers(expected)  # the earlier check cells handed their right answers over
        for check in (cell for cell in ran.cells if cells.is_autograded_test(cell)):
            spec = read_spec(check.source)
            _, resolved = fork(right).of(cells.grade_id(check), spec)
            assert resolved is not None, f"{name}, {cells.grade_id(check)} : bonne réponse inconnue"
            for mistake in resolved.mistakes if spec.kind not in NOT_CHECKED else ():
                assert spec.variable.isidentifier(), spec.variable
                result, problem = score_cell(handed_over(check, ran.seen[cells.grade_id(check)], spec.variable,
                                                         mistake.value), fork(right))
                tried += 1
                points, target = cells.points(check), cells.points(check) * mistake.credit
                where = f"{name}, cellule {cells.grade_id(check)}, « {mistake.cause[:50]} »"
                # two listed slips of the same credit may give the same number (rounded down or to the nearest,
                # below one half): the grader names the first, by the same credit
                same_credit = [m.cause for m in resolved.mistakes if m.credit == mistake.credit]
                if problem or not any(cause in result.message for cause in same_credit):
                    wrong.append(f"{where} : non reconnue ({result.score}/{points}, {result.message}, {problem})")
                elif _is_collection(resolved.value):
                    if not target - 0.005 <= result.score < points:
                        wrong.append(f"{where} : {result.score}/{points}, crédit {mistake.credit}")
                elif not math.isclose(result.score, target, abs_tol=0.005):
                    wrong.append(f"{where} : {result.score}/{points} au lieu de {target:g}")
            score_cell(check, right)
    assert tried, f"{assignment} : aucune erreur reconnue essayée"
    assert not wrong, f"{assignment}, {learner} :\n" + "\n".join(wrong)


# -- the mistake corpus, written into the solutions ---------------------------------------------------------

def corpus(assignment: str) -> list:
    """The classic slips written into solved notebooks: the demo's, and those whose results later answers reuse."""
    slips = load_reference(COURSE.root, f"{assignment}.slips")
    return [*slips.SLIPS, *slips.CARRIED_SLIPS]


def slipped_sources(notebook: NotebookNode, slips: list) -> dict[str, str]:
    """grade_id -> the answer cell's source with the slips of that cell written in."""
    sources: dict[str, str] = {}
    for slip in slips:
        source = sources.get(slip.cell) or next(c.source for c in notebook.cells if cells.grade_id(c) == slip.cell)
        assert slip.old in source, f"{slip.notebook}, {slip.cell} : « {slip.old} » absent"
        sources[slip.cell] = source.replace(slip.old, slip.new)
    return sources


@per_variant()
def test_the_mistake_corpus_costs_the_same_on_every_variant(variant, tmp_path):
    """Every slip of the corpus, written alone into the solutions, is named at its own check and earns its credit
    there on this variant — for a single value, exactly what it costs on the common case (``lost``); a table or a
    list, at least its credit (it keeps the share of right values the variant gives it) — and the answers computed
    from it afterwards keep all their points (an error carried forward is charged once)."""
    folder, expected, wrong = workdir(variant, tmp_path), expected_of(variant), []
    for slip in corpus(variant.assignment):
        notebook = masters(variant.assignment)[slip.notebook]
        credit = next(m.credit for m in expected(slip.test_cell).mistakes if slip.message in m.cause)
        for cell, result, problem in score_run(run_notebook(notebook, folder, slipped_sources(notebook, [slip])),
                                               expected):
            key, points = cells.grade_id(cell), cells.points(cell)
            where = f"« {slip.message} » : {slip.notebook}, cellule {key} : {result.score}/{points} " \
                    f"({result.message[:120]}{problem})"
            if key != slip.test_cell:
                if result.score != points:
                    wrong.append(f"{where} — perd des points sans erreur faite ici")
            elif slip.message not in result.message:
                wrong.append(f"{where} — erreur non nommée")
            elif read_spec(cell.source).kind in ("Table", "Selection", "DateTable"):
                if result.score < points * credit - 0.005:
                    wrong.append(f"{where} — moins que son crédit {credit:g}")
            elif not math.isclose(points - result.score, slip.lost, abs_tol=0.005):
                wrong.append(f"{where} — coûte {points - result.score:g} au lieu de {slip.lost:g} comme sur le cas commun")
    assert not wrong, f"{variant} :\n" + "\n".join(wrong)


# -- the harness notices a wrong answer --------------------------------------------------------------------

ALTERED_NOTEBOOK, ALTERED_CELL, ALTERED_CHECK = "04_budget_rentabilite", "reponse_synthese", "budget_investissement"
RIGHT_LINE = 'budget_investissement = par_nature["investissement"]'


@pytest.mark.xdist_group("variants-bloc1")
@pytest.mark.parametrize("assignment, learner", [("bloc1", LEARNERS[1])])
def test_the_harness_notices_a_wrong_solution_line(variant, tmp_path):
    notebook = masters("bloc1")[ALTERED_NOTEBOOK]
    source = next(c.source for c in notebook.cells if cells.grade_id(c) == ALTERED_CELL)
    assert RIGHT_LINE in source
    altered = {ALTERED_CELL: source.replace(RIGHT_LINE, RIGHT_LINE + " * 1.5")}
    scores = {cells.grade_id(cell): result.score
              for cell, result, _ in score_run(run_notebook(notebook, workdir(variant, tmp_path), altered),
                                               expected_of(variant))}
    assert scores[ALTERED_CHECK] == 0
    assert scores["synthese_budget"] == 2  # the other answers of the cell are untouched


def test_the_harness_displays_a_check_cells_handover_and_keeps_errors():
    namespace: dict = {}
    assert run_cell("x = 1\nx + 1", namespace)[0].data["text/plain"] == "2"
    error = run_cell("1 / 0", namespace)
    assert [o.ename for o in error if o.output_type == "error"] == ["ZeroDivisionError"]
    shown = run_cell("from mda_apprenant import Amount\nreponse = Amount('Total', 12.5)\nreponse", namespace)
    assert MIME_TYPE in shown[-1].data and shown[-1].data[MIME_TYPE]["value"] == 12.5
