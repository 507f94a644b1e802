"""One run at a time per course; a killed run leaves no process and no copy of the gradebook."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from filelock import FileLock

from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.runs.run_lock import LOCK_NAME, OWNER, SCRATCH_PREFIX, GradingAlreadyRunning, sweep_stale_runs
from mda_checks.grade.runs.state import GradingState
from mda_checks.notebook import cells
from tests.grade.helpers import trimmed_course

pytestmark = [pytest.mark.xdist_group("run-lock")]


def test_a_second_run_on_the_same_course_is_refused_with_a_french_message(tmp_path):
    course = trimmed_course("verrou")
    write_submission(course, "x", "bloc1", solved_submission(course, "bloc1"))
    plan = plan_grading(course, ["bloc1"])
    (course.step("autograded")).mkdir(exist_ok=True)
    with FileLock(course.step("autograded") / LOCK_NAME):  # another run holds the course
        with pytest.raises(GradingAlreadyRunning, match="déjà en cours"):
            run_grading(course, plan, workers=1)
        done = subprocess.run([str(Path(sys.executable).with_name("mda")), "grade"], cwd=course.root,
                              capture_output=True, text=True)
        assert done.returncode == 2 and "une correction est déjà en cours" in done.stderr, done.stderr
    run = run_grading(course, plan, workers=1)  # free again
    assert not run.failures


def test_only_the_scratch_folders_of_dead_runs_are_swept(tmp_path):
    dead, alive, unknown = (tmp_path / f"{SCRATCH_PREFIX}{n}" for n in ("mort", "vivant", "inconnu"))
    for folder in (dead, alive, unknown):
        folder.mkdir()
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    (dead / OWNER).write_text(str(child.pid))
    (alive / OWNER).write_text(str(os.getpid()))
    (dead / "gabarit.db").write_bytes(b"copie du carnet de notes")
    assert sorted(sweep_stale_runs(tmp_path)) == sorted([dead, unknown])
    assert alive.is_dir() and not dead.exists()


SLOW = "import time\ntime.sleep(120)"


def _command_line(process: psutil.Process) -> str:
    """The process's command line, or "" if it ended between listing and reading (a short-lived child)."""
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return ""


def test_kill_9_on_mda_grade_leaves_no_process_and_the_next_run_cleans_up_and_grades():
    course = trimmed_course("kill9")
    notebooks = solved_submission(course, "bloc1")
    first = next(iter(notebooks.values()))
    answer = next(c for c in first.cells if cells.is_solution(c) and c.cell_type == "code")
    answer.source = SLOW + "\n" + answer.source
    for student in ("lent-1", "lent-2"):
        write_submission(course, student, "bloc1", notebooks)
    grade = subprocess.Popen([str(Path(sys.executable).with_name("mda")), "grade", "--workers", "2"],
                             cwd=course.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(grade.pid)
    kernels, scratch = [], []
    deadline = time.monotonic() + 300  # generous: kernels start slowly on a busy machine
    while time.monotonic() < deadline and len(kernels) < 2:
        time.sleep(0.5)
        scratch = [Path(tempfile.gettempdir()) / p.name for p in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*")
                   if (p / OWNER).is_file() and (p / OWNER).read_text() == str(grade.pid)]
        # grading kernels (their folders are in the run's scratch folder), not the sandbox check's kernel before it
        kernels = [p for p in parent.children(recursive=True) if scratch and "ipykernel_launcher" in _command_line(p)
                   and str(scratch[0]) in _command_line(p)]
    assert kernels, "no kernel started"
    family = parent.children(recursive=True)
    assert scratch and list(scratch[0].rglob("gabarit.db"))  # the run's copy of the gradebook is there
    grade.send_signal(signal.SIGKILL)
    grade.wait()
    gone, alive = psutil.wait_procs(family, timeout=60)
    assert not alive, [_command_line(p)[:120] for p in alive]
    deadline = time.monotonic() + 60  # the run's janitor deletes its folder, gradebook copy included
    while scratch[0].exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not scratch[0].exists()
    # the next run is not refused and grades both copies
    for student in ("lent-1", "lent-2"):
        write_submission(course, student, "bloc1", solved_submission(course, "bloc1"))
    run = run_grading(course, plan_grading(course, ["bloc1"]), workers=2)
    assert not run.failures
    assert {s for s, _ in GradingState.of(course).keys()} == {"lent-1", "lent-2"}


def test_a_refused_second_grading_prints_nothing_before_its_refusal(monkeypatch, capsys):
    from filelock import FileLock

    from mda_checks.cli import main
    from tests.grade.helpers import trimmed_course

    course = trimmed_course("verrou-cli")
    course.step("autograded").mkdir(exist_ok=True)
    with FileLock(course.step("autograded") / ".correction.lock"):
        monkeypatch.chdir(course.root)
        assert main(["grade"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "une correction est déjà en cours" in out.err
