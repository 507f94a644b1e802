"""Warm kernels (one kernel per submission, reset between its notebooks) grade exactly like cold ones."""
from __future__ import annotations

from datetime import datetime, UTC
from functools import cache

import nbformat
import pytest

from mda_checks.demo.submissions import blank_submission, solved_submission, write_submission
from mda_checks.grade.sandbox import warm_kernels
from mda_checks.grade.autograde import autograde_submission
from mda_checks.grade.sandbox.sandbox_check import SandboxNotInForceError
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from tests.grade.helpers import gradebook_rows, trimmed_course

pytestmark = [pytest.mark.xdist_group("warm")]
ASSIGNMENT = "bloc1"
WHEN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)

#: run first in notebook 1: leaves every kind of state a reset must undo (the kernel stays warm)
SOILS = """
import gc, os, sys, warnings, matplotlib
x_contamine = 1
gc.disable()
gc.set_threshold(1, 1, 1)
open("trace.txt", "w").write("x")
open("/tmp/sale.txt", "w").write("x")
matplotlib.rcParams["figure.dpi"] = 3
os.environ["MDA_SALE"] = "1"
sys.path.insert(0, "/nulle/part")
warnings.simplefilter("error")
"""
#: run first in notebook 1: patches a library (the kernel must be replaced)
PATCHES = "import pandas as pd\npd.DataFrame.sum = lambda self, *a, **k: 42\npd.Series.mean = lambda self, *a, **k: 42"
#: run first in notebook 1: every answer of the checks package hands nothing over (were it kept, the next
#: notebooks would score 0)
FORGES = ("from mda_apprenant.check import base\n"
          "base.Answer._repr_mimebundle_ = lambda self, include=None, exclude=None: {'text/plain': 'rien'}")
#: run last in notebook 1: the kernel dies
EXITS = "import os\nos._exit(3)"
#: run first in notebook 2: kills its own kernel (so its notebook scores 0) if anything of notebook 1 is left
PROBE = """
import gc, os, sys, warnings, matplotlib
if ("x_contamine" in globals() or os.path.exists("trace.txt") or os.path.exists("/tmp/sale.txt")
        or not gc.isenabled() or gc.get_threshold() == (1, 1, 1)
        or matplotlib.rcParams["figure.dpi"] == 3 or "MDA_SALE" in os.environ or "/nulle/part" in sys.path
        or any(f[0] == "error" and f[2] is Warning for f in warnings.filters)  # IPython keeps its own « error » filters
        or getattr(__import__("pandas").DataFrame.sum, "__name__", "") == "<lambda>"):
    os._exit(7)
"""


#: run last in notebook 1: removes the French error handler that importing mda_checks installed
UNEXPLAINED = "get_ipython().set_custom_exc((), None)"
#: the French sentence a check gives an answer whose cell raised (mda_apprenant.check.cell_errors)
RAISED = "La cellule de réponse a levé une erreur"


def _raising_answer(notebooks: dict, which: int) -> dict:
    """The first answer cell of a notebook raises on its first line (a wrong key), before its assignments."""
    name = sorted(notebooks)[which]
    answer = next(c for c in notebooks[name].cells if cells.is_solution(c) and c.cell_type == "code")
    answer.source = '{"ca": 1}["ca_vae_2025"]\n' + answer.source
    return notebooks


def _with_cell(notebooks: dict, which: int, source: str, first: bool = True) -> dict:
    name = sorted(notebooks)[which]
    cell = nbformat.v4.new_code_cell(source)
    notebooks[name].cells.insert(0 if first else len(notebooks[name].cells), cell)
    return notebooks


def _submissions(course) -> dict:
    solved = lambda: solved_submission(course, ASSIGNMENT)  # noqa: E731
    probed = lambda: _with_cell(solved(), 1, PROBE)  # noqa: E731
    return {
        "apprenant-solutions": solved(),
        "apprenant-vierge": blank_submission(course, ASSIGNMENT),
        "apprenant-sonde": probed(),
        "apprenant-salit": _with_cell(probed(), 0, SOILS),
        "apprenant-modifie": _with_cell(probed(), 0, PATCHES),
        "apprenant-forge": _with_cell(probed(), 0, FORGES),
        "apprenant-arret": _with_cell(probed(), 0, EXITS, first=False),
        "apprenant-sans-explication": _raising_answer(_with_cell(probed(), 0, UNEXPLAINED, first=False), 1),
    }


@cache
def graded() -> dict:
    """Both gradebooks, and the warm kernels started for each learner."""
    out = {}
    for reuse in (False, True):
        # the two notebooks the corpus targets: what the first leaves (or breaks), the second probes
        course = trimmed_course("chaud" if reuse else "froid", ASSIGNMENT, keep=2)
        students = _submissions(course)
        for student, notebooks in students.items():
            write_submission(course, student, ASSIGNMENT, notebooks, WHEN)
        api = course_api(course.root, CappedExecute={"reuse_kernel": reuse})
        starts = {}
        for student in students:
            before = warm_kernels.started[0]
            autograde_submission(api, course, student, ASSIGNMENT)
            starts[student] = warm_kernels.started[0] - before
            assert not warm_kernels._current  # never outlives its submission
        out[reuse] = (gradebook_rows(f"sqlite:///{course.root / 'gradebook.db'}"), starts, course)
    return out


def test_warm_grades_equal_cold_grades_cell_by_cell():
    (cold, _, _), (warm, _, _) = graded()[False], graded()[True]
    assert {key[1] for key in warm} == set(_submissions(graded()[True][2]))
    diff = {k: (warm.get(k), cold.get(k)) for k in set(warm) | set(cold) if warm.get(k) != cold.get(k)}
    assert not diff


def test_one_kernel_serves_a_clean_submission_and_each_learner_has_its_own():
    _, starts, _ = graded()[True]
    _, cold_starts, _ = graded()[False]
    assert set(cold_starts.values()) == {0}  # plain grading keeps cold kernels
    assert starts["apprenant-solutions"] == starts["apprenant-vierge"] == starts["apprenant-sonde"] == 1, \
        (starts, warm_kernels.refusals)
    assert starts["apprenant-salit"] == 1  # a reset undoes what it left, the kernel stays warm
    assert starts["apprenant-modifie"] >= 2  # a patched library: a fresh kernel for the next notebook
    assert starts["apprenant-forge"] >= 2  # a patched class of the checks package: the same
    assert starts["apprenant-arret"] >= 2  # a dead kernel is replaced
    assert starts["apprenant-sans-explication"] == 1  # a removed error handler is put back, the kernel stays warm


def test_a_notebook_that_removed_the_error_handler_leaves_the_next_one_explained_as_in_a_cold_kernel():
    """The check of an answer whose cell raised says so in the next notebook, warm or cold."""
    for reuse in (False, True):
        course = graded()[reuse][2]
        name = sorted(course.source_notebooks(ASSIGNMENT))[1].stem
        graded_notebook = course.step("autograded") / "apprenant-sans-explication" / ASSIGNMENT / f"{name}.ipynb"
        text = nbformat.read(graded_notebook, as_version=4)
        outputs = " ".join(str(o) for c in text.cells for o in c.get("outputs", []))
        assert RAISED in outputs, ("à chaud" if reuse else "à froid", outputs[:2000])


@pytest.mark.parametrize("student", ["apprenant-salit", "apprenant-modifie", "apprenant-forge", "apprenant-arret"])
def test_what_a_notebook_leaves_never_changes_the_next_notebooks_grades(student):
    warm, _, course = graded()[True]
    later = sorted(course.source_notebooks(ASSIGNMENT))[1:]
    names = {p.stem for p in later}
    reference = {k[2:]: v for k, v in warm.items() if k[1] == "apprenant-sonde" and len(k) > 3 and k[2] in names}
    theirs = {k[2:]: v for k, v in warm.items() if k[1] == student and len(k) > 3 and k[2] in names}
    assert reference and theirs == reference
    assert any(v[0] for v in reference.values() if isinstance(v, tuple) and isinstance(v[0], float))  # not vacuous


def test_a_new_key_shuts_the_previous_kernel_down(monkeypatch):
    stopped = []

    class Fake:
        sandbox_verified = True  # its start showed its sandbox in force

        def __init__(self, name):
            self.name = name

    monkeypatch.setattr(warm_kernels, "_shutdown", lambda warm: stopped.append(warm.key))
    monkeypatch.setattr(warm_kernels, "run_silently", None)
    monkeypatch.setattr(warm_kernels, "_current", [warm_kernels.WarmKernel("apprenant-a", Fake("a"))])

    async def start(km):
        return None

    async def ok(km, code, timeout, **_):
        return None

    monkeypatch.setattr(warm_kernels, "run_silently", ok)
    warm = warm_kernels.acquire("apprenant-b", lambda: Fake("b"), start, 8)
    assert stopped == ["apprenant-a"] and warm.key == "apprenant-b" and warm.km.name == "b"
    warm_kernels._current.clear()


def test_a_kernel_no_sandbox_check_vouched_for_is_never_warmed_up(monkeypatch):
    """Started by another kernel manager (or a start path that skipped the check): refused, shut down."""
    stopped, ran = [], []

    class Unchecked:
        pass

    async def start(km):
        return None

    async def run(km, code, timeout, **_):
        ran.append(code)

    monkeypatch.setattr(warm_kernels, "_shutdown", lambda warm: stopped.append(warm.key))
    monkeypatch.setattr(warm_kernels, "run_silently", run)
    monkeypatch.setattr(warm_kernels, "_current", [])
    with pytest.raises(SandboxNotInForceError, match="démarré par Unchecked"):
        warm_kernels.acquire("apprenant-a", Unchecked, start, 8)
    assert stopped == ["apprenant-a"] and not ran and not warm_kernels._current
