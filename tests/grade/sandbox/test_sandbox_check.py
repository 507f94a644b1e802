"""Fail closed: a kernel that is not provably in its sandbox never grades, whatever way grading takes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager
from traitlets.config import Config

from mda_checks.course import Course
from mda_checks.demo.copy import mark
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.sandbox import isolation as sb
from mda_checks.grade.autograde import FAILED, autograde_submission
from mda_checks.grade.sandbox.capped_execute import CappedExecute
from mda_checks.grade.sandbox.sandbox_check import SandboxNotInForceError, namespaces, sandbox_problems
from mda_checks.grade.sandbox.sandboxed_kernel import SandboxedKernelManager, grading_refusal
from mda_checks.nbgrader_api import course_api
from tests.conftest import REPO
from tests.grade.helpers import trimmed_course
from tests.grade.sandbox.test_isolation import _mode_or_skip, _notebook_folder, _run

pytestmark = pytest.mark.xdist_group("sandbox")
OWN = ("mnt", "net", "pid", "ipc", "uts")


def _report(**changes) -> dict:
    report = {"uid": 100_001, "ns": {name: f"{name}:[1]" for name in OWN}, "vus": []}
    report.update(changes)
    return report


def test_a_report_that_matches_its_sandbox_raises_no_problem_and_each_mismatch_does():
    grader = {name: f"{name}:[2]" for name in OWN}
    assert sandbox_problems(_report(), 100_001, OWN, grader) == []
    assert "utilisateur 0" in sandbox_problems(_report(uid=0), 100_001, OWN, grader)[0]
    shared = sandbox_problems(_report(ns={**_report()["ns"], "net": "net:[2]", "pid": ""}), 100_001, OWN, grader)
    assert shared == ["espaces de noms partagés avec la correction : net, pid"]
    assert "/srv/cours" in sandbox_problems(_report(vus=["/srv/cours"]), 100_001, OWN, grader)[0]


class LaunchesWithoutSandbox(SandboxedKernelManager):
    """As if jupyter_client stopped calling the sandbox's launch: the kernel starts bare."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await AsyncKernelManager._async_launch_kernel(self, kernel_cmd, **kw)


class ClaimsTheSandbox(SandboxedKernelManager):
    """A launch that says it made the sandbox (mode, user) but starts the kernel bare, as the grader."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        mode = self.sandbox.mode
        self._sandbox_mode, self._user = mode, sb.kernel_identity() if mode == sb.BWRAP_USER else None
        self._launched = True
        await AsyncKernelManager._async_launch_kernel(self, kernel_cmd, **kw)


def _marker_cell(tmp_path: Path) -> tuple[str, Path]:
    marker = tmp_path / "le-code-a-tourne"
    return f"open({str(marker)!r}, 'w').write('x')", marker


def test_a_kernel_started_by_a_path_that_skips_the_sandbox_is_refused_before_any_cell(tmp_path):
    code, marker = _marker_cell(tmp_path)
    _, problem, _ = _run([code], _notebook_folder(tmp_path), manager=LaunchesWithoutSandbox)
    assert isinstance(problem, SandboxNotInForceError), problem
    assert "correction refusée" in str(problem) and "sans passer par le lancement du bac à sable" in str(problem)
    assert not marker.exists()


def test_a_kernel_outside_its_sandbox_is_caught_by_its_user_its_namespaces_and_the_canary(tmp_path):
    code, marker = _marker_cell(tmp_path)
    _, problem, _ = _run([code], _notebook_folder(tmp_path), manager=ClaimsTheSandbox)
    assert isinstance(problem, SandboxNotInForceError), problem
    reason = str(problem)
    assert "tourne sous l'utilisateur 0" in reason, reason
    assert "espaces de noms partagés avec la correction : mnt, net, pid, ipc, uts" in reason, reason
    assert "canari" in reason and "mda_checks/grade" in reason, reason
    assert not marker.exists()


def test_the_executing_step_refuses_a_kernel_from_another_kernel_manager(tmp_path):
    """nbgrader's pipeline (CappedExecute) runs nothing in a kernel no sandbox check vouched for."""
    code, marker = _marker_cell(tmp_path)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    step = CappedExecute(config=Config(), kernel_manager_class=AsyncKernelManager, timeout=20)
    with pytest.raises(SandboxNotInForceError, match="démarré par AsyncKernelManager"):
        step.preprocess(notebook, {"metadata": {"path": str(_notebook_folder(tmp_path))}})
    assert not marker.exists()


def _demo_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    mark(Course(folder))
    return folder


def test_a_machine_without_isolation_grades_only_a_demo_copy_that_asks_for_it(tmp_path, monkeypatch):
    """No isolation: refused for a real course, even with the opt-in; a demonstration copy only with it."""
    _mode_or_skip(None)  # the kernel itself needs prlimit and setpriv, there with bubblewrap
    demo = _demo_copy(tmp_path / "demo")
    monkeypatch.delenv(sb.UNSANDBOXED_OPT_IN, raising=False)
    for root in (REPO, demo):
        _, problem, _ = _run(["print('sans isolation')"], _notebook_folder(tmp_path / f"carnet-{root.name}"), mode=sb.NONE,
                             course_root=str(root))
        assert isinstance(problem, SandboxNotInForceError) and "copie de démonstration" in str(problem), problem
        assert "Seule une copie de démonstration" in grading_refusal(root, sb.Sandbox(sb.NONE))
    monkeypatch.setenv(sb.UNSANDBOXED_OPT_IN, "oui")
    _, problem, _ = _run(["print('sans isolation')"], _notebook_folder(tmp_path / "reel"), mode=sb.NONE)
    assert isinstance(problem, SandboxNotInForceError), problem
    assert "ne vaut que pour une copie de démonstration" in str(problem), problem
    assert "jamais pour le cours d'une vraie promotion" in grading_refusal(REPO, sb.Sandbox(sb.NONE))
    notebook, problem, _ = _run(["print('sans isolation')"], _notebook_folder(tmp_path / "b"), mode=sb.NONE,
                                course_root=str(demo))
    assert problem is None and "sans isolation" in notebook.cells[0].outputs[0]["text"]
    assert grading_refusal(demo, sb.Sandbox(sb.NONE)) == ""


def test_a_sandbox_in_force_is_accepted_and_the_grader_keeps_its_own_namespaces():
    mode = _mode_or_skip(None)
    assert grading_refusal(REPO, sb.Sandbox(mode)) == ""
    assert all(namespaces().values())  # what kernels are compared with


def _mda_grade(course, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("mda")), "grade"], cwd=course.root,
                          capture_output=True, text=True, env=env)


def test_mda_grade_stops_at_once_with_a_french_line_when_the_sandbox_is_refused(monkeypatch):
    course = trimmed_course("refus")
    write_submission(course, "x", "bloc1", solved_submission(course, "bloc1"))
    # no bubblewrap on PATH (nor anything else of the system): no isolation, and no consent to it
    bare = {"PATH": str(Path(sys.executable).parent), "MPLBACKEND": "Agg"}
    done = _mda_grade(course, bare)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Erreur : correction refusée : aucune isolation des noyaux" in done.stderr, done.stderr
    # the opt-in of the demonstration copy changes nothing for a real course
    done = _mda_grade(course, {**bare, sb.UNSANDBOXED_OPT_IN: "oui"})
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Erreur : correction refusée : aucune isolation des noyaux" in done.stderr, done.stderr
    assert "ne vaut que pour une copie de démonstration" in done.stderr, done.stderr
    # a course whose executing step starts kernels with a kernel manager that has no sandbox
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "mda_checks.grade.sandbox.capped_execute.CappedExecute", "nbgrader.preprocessors.Execute"), encoding="utf-8")
    done = _mda_grade(course)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "correction refusée, bac à sable absent ou non vérifié" in done.stderr, done.stderr
    assert not course.step("autograded").joinpath("x").exists()  # nothing was graded


def test_nbgrader_autograde_fails_the_notebook_with_the_french_reason(monkeypatch):
    """The plain nbgrader way (formgrader's button, `nbgrader autograde`): the notebook fails, nothing of it runs."""
    monkeypatch.delenv(sb.UNSANDBOXED_OPT_IN, raising=False)
    course = trimmed_course("refus-nbgrader")
    notebooks = solved_submission(course, "bloc1")
    marker = course.root / "le-code-a-tourne"
    next(iter(notebooks.values())).cells.insert(0, nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w')"))
    write_submission(course, "x", "bloc1", notebooks)
    api = course_api(course.root, SandboxedKernelManager={"mode": sb.NONE})
    outcomes = autograde_submission(api, course, "x", "bloc1")
    assert outcomes and all(o.status == FAILED for o in outcomes), outcomes
    # the refusal's own French reason, never a class name nor general words; the class stays in the detail
    assert "correction refusée, bac à sable absent ou non vérifié : aucune isolation" in outcomes[0].notes, outcomes[0]
    assert "SandboxNotInForceError" not in outcomes[0].notes and "SandboxNotInForceError" in outcomes[0].detail
    assert not marker.exists()
