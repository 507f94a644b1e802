"""The whole nbgrader exchange on one machine, with nbgrader's own commands.

Trainer: `mda build` (release/, due dates, exchange folder), `mda apprenants`, `nbgrader release_assignment`,
`nbgrader collect`, `mda grade`, `nbgrader release_feedback`. Learner (own HOME, own folder, own Jupyter
configuration): `nbgrader fetch_assignment`, `nbgrader submit`, `nbgrader fetch_feedback`.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.exchange import (
    MARKER, ensure_exchange, environment_config_path, learner_config, server_extension_config_path,
    write_environment_config,
)
from mda_checks.feedback import FeedbackTask, feedback_task
from mda_checks.nbgrader_api import course_api
from tests.conftest import copy_course

BIN = Path(sys.executable).parent
LEARNER = "a.martin"


def small_course(folder: Path) -> Course:
    """bloc1 with its first notebook only: cheap to build and to grade."""
    course = copy_course(folder)
    for other in course.assignments()[1:]:
        shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks("bloc1")[1:]:
        notebook.unlink()
    return course


def nbgrader(cwd: Path, home: Path, *argv: str, learner_config: str | None = None) -> str:
    """One nbgrader command as its user types it: own HOME and Jupyter folders, own working folder."""
    env = {**os.environ, "HOME": str(home), "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
           "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
           # the user's own configuration first (in a virtual environment, Jupyter would read the
           # environment's first: the one `make install` writes for the repository's course)
           "JUPYTER_PREFER_ENV_PATH": "0"}
    for name in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH", "NBGRADER_CONFIG"):  # nothing of the caller's own set-up
        env.pop(name, None)
    done = subprocess.run([str(BIN / "nbgrader"), *argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"nbgrader {' '.join(argv)} :\n{out}"
    return out


@pytest.mark.xdist_group("exchange")
def test_release_fetch_submit_collect_grade_and_feedback_on_one_machine(tmp_path, monkeypatch, capsys):
    course = small_course(tmp_path / "cours")
    (course.root / "calendrier.csv").write_text("devoir;date_limite\nbloc1;15/01/2020 18:00\n", encoding="utf-8")
    (course.root / "apprenants.csv").write_text(
        f"id;nom;prénom;e-mail\n{LEARNER};Martin;Alice;alice.martin@exemple.fr\n", encoding="utf-8")
    trainer, learner = tmp_path / "formateur", tmp_path / "apprenant"
    (learner / "devoirs").mkdir(parents=True)
    trainer.mkdir()

    # trainer: build (release/, due dates, exchange folder), roster
    monkeypatch.chdir(course.root)
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "mda release bloc1" in out and "heure de Paris" in out, out
    assert "nbgrader release_assignment" not in out  # the trainer is sent to mda, never to a raw nbgrader command
    exchange = course.root / "echange"
    assert stat.S_IMODE(exchange.stat().st_mode) == 0o1777
    assert main(["apprenants", "apprenants.csv"]) == 0

    nbgrader(course.root, trainer, "release_assignment", "bloc1")
    api = course_api(course.root)  # what formgrader shows
    assert not api.exchange_missing and api.get_assignment("bloc1")["status"] == "released"
    student = api.get_student(LEARNER)
    assert (student["first_name"], student["last_name"], student["email"]) == ("Alice", "Martin",
                                                                               "alice.martin@exemple.fr")

    # learner: their own Jupyter configuration (as `mda echange` prints it), fetch, answer, submit
    (learner / ".jupyter").mkdir()
    (learner / ".jupyter" / "nbgrader_config.py").write_text(learner_config(course), encoding="utf-8")
    nbgrader(learner / "devoirs", learner, "fetch_assignment", "bloc1")
    fetched = sorted((learner / "devoirs" / "bloc1").glob("*.ipynb"))
    assert [p.name for p in fetched] == [p.name for p in course.source_notebooks("bloc1")]
    assert (learner / "devoirs" / "bloc1" / "data").is_dir()
    nbgrader(learner / "devoirs", learner, "submit", "bloc1", f"--student={LEARNER}")

    # trainer: collect, grade
    nbgrader(course.root, trainer, "collect", "bloc1")
    submitted = course.root / "submitted" / LEARNER / "bloc1"
    assert {p.name for p in submitted.glob("*.ipynb")} == {p.name for p in fetched}
    assert (submitted / "timestamp.txt").is_file() and (submitted / "submission_secret.txt").is_file()
    assert main(["grade", "bloc1", "--workers", "1"]) == 0, capsys.readouterr()
    journal = (course.root / "autograded" / "journal_correction.csv").read_text(encoding="utf-8")
    assert f"{LEARNER},bloc1," in journal and "inattendu" not in journal, journal  # nbgrader's files are expected
    with Gradebook(api.coursedir.db_url) as gb:
        submission = gb.find_submission("bloc1", LEARNER)
        assert submission.assignment.duedate == datetime(2020, 1, 15, 17, 0)  # 18:00 in Paris, winter time
        assert submission.total_seconds_late > 0 and submission.student.first_name == "Alice"

    # feedback: `mda feedback`'s work for this copy (in this process: no worker pool), released, fetched
    assert feedback_task(FeedbackTask(str(course.root), "bloc1", LEARNER)).problem == ""
    assert {"timestamp.txt", "submission_secret.txt"} <= {p.name for p in (course.root / "feedback" / LEARNER / "bloc1").iterdir()}
    nbgrader(course.root, trainer, "release_feedback", "bloc1")
    nbgrader(learner / "devoirs", learner, "fetch_feedback", "bloc1", f"--student={LEARNER}")
    pages = list((learner / "devoirs" / "bloc1" / "feedback").glob("*/*.html"))
    assert [p.name for p in pages] == [fetched[0].stem + ".html"]  # one page per notebook (not competences.html)
    assert "Vérification" in pages[0].read_text(encoding="utf-8")


def test_the_exchange_folder_is_world_writable_with_the_sticky_bit(tmp_path):
    course = copy_course(tmp_path / "cours")
    previous = os.umask(0o022)
    try:
        state = ensure_exchange(course)
    finally:
        os.umask(previous)
    root = course.root / "echange"
    assert state.root == root and state.created and state.course_id == "manager-affaires" and state.released == []
    assert stat.S_IMODE(root.stat().st_mode) == 0o1777
    root.chmod(0o755)
    assert ensure_exchange(course).created and stat.S_IMODE(root.stat().st_mode) == 0o1777  # repaired
    assert not ensure_exchange(course).created
    (root / "manager-affaires" / "outbound" / "bloc1").mkdir(parents=True)
    assert ensure_exchange(course).released == ["bloc1"]


def test_the_learners_configuration_points_at_the_course_exchange(tmp_path, monkeypatch, capsys):
    course = copy_course(tmp_path / "cours")
    text = learner_config(course)
    assert text.startswith(MARKER)
    assert f"c.Exchange.root = {str(course.root / 'echange')!r}" in text
    assert "c.CourseDirectory.course_id = 'manager-affaires'" in text

    prefix = tmp_path / "env"
    path, written = write_environment_config(course, prefix)
    assert written and path == environment_config_path(prefix) == prefix / "etc/jupyter/nbgrader_config.py"
    assert path.read_text(encoding="utf-8") == text
    path.write_text("c.Exchange.root = '/srv/nbgrader/exchange'\n", encoding="utf-8")  # the admin's own file
    assert write_environment_config(course, prefix) == (path, False)
    assert path.read_text(encoding="utf-8") == "c.Exchange.root = '/srv/nbgrader/exchange'\n"

    monkeypatch.chdir(course.root)
    assert main(["echange"]) == 0
    out = capsys.readouterr().out
    assert "drwxrwxrwt" in out and f"c.Exchange.root = {str(course.root / 'echange')!r}" in out
    assert "devoirs publiés : aucun" in out and "ne le dirige pas vers cet échange" in out

    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))  # what `make install` runs, in a scratch environment
    assert main(["echange", "--environnement"]) == 0
    assert environment_config_path().read_text(encoding="utf-8") == text
    assert server_extension_config_path(environment_config_path().parent).is_file()  # formgrader's CSP
    assert main(["echange"]) == 0 and "le dirige vers cet échange" in capsys.readouterr().out
