"""`mda hub demarrer` refuses a class where a learner could reach the trainer's side: each rule fed an open case."""
from __future__ import annotations

import os
import pwd
import stat
import sys
from pathlib import Path

import pytest

from mda_checks.hub.preflight import (check_course_closed, check_exchange, check_grader, check_gradebook,
                                      check_learner_env, check_tls)

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="test réservé à root : dossiers appartenant à root")


def folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)
    return path


def test_a_course_open_to_other_accounts_is_refused_with_the_fix(tmp_path):
    course = folder(tmp_path / "cours", 0o755)
    problems = check_course_closed(course, ["a.martin"])
    assert problems and "ouvert aux autres comptes" in problems[0] and f"chmod 700 {course}" in problems[0]
    for mode in (0o701, 0o704, 0o711):  # traversable only, or readable only: both open the answer key
        course.chmod(mode)
        assert check_course_closed(course, ["a.martin"])
    course.chmod(0o700)
    assert check_course_closed(course, ["a.martin"]) == []


def test_a_course_open_to_a_group_that_holds_a_learner_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o750)
    me = __import__("pwd").getpwuid(os.geteuid()).pw_name
    os.chown(course, -1, os.getegid())  # my own group: I am in it, as a learner would be
    assert "dont sont membres des apprenants" in check_course_closed(course, [me])[0]
    assert check_course_closed(course, ["personne-de-ce-groupe"]) == []  # 0750 to a trainers' group is fine


def test_an_exchange_inside_the_course_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    problems = check_exchange(course / "echange", course)
    assert problems and "est dans le cours" in problems[0] and "/srv/nbgrader/exchange" in problems[0]


def test_a_missing_exchange_or_one_without_the_sticky_bit_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    assert "n'existe pas" in check_exchange(tmp_path / "absent", course)[0]
    exchange = folder(tmp_path / "echange", 0o777)
    assert any("drwxrwxrwt" in p for p in check_exchange(exchange, course))


@root_only
def test_an_exchange_a_learner_could_replace_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    parent = folder(tmp_path / "ouvert", 0o777)  # anyone may rename the exchange away and put theirs
    exchange = folder(parent / "echange", 0o1777)
    assert any("peut être modifié par d'autres comptes" in p for p in check_exchange(exchange, course))
    parent.chmod(0o755)
    os.chown(exchange, 65534, -1)  # the exchange itself belongs to nobody
    assert any("n'appartient pas à root" in p for p in check_exchange(exchange, course))
    os.chown(exchange, 0, -1)
    assert check_exchange(exchange, course) == []


def test_a_gradebook_outside_the_course_readable_by_others_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    book = tmp_path / "gradebook.db"
    book.write_bytes(b"")
    book.chmod(0o644)
    assert "chmod 600" in check_gradebook(f"sqlite:///{book}", course)[0]
    book.chmod(0o600)
    assert check_gradebook(f"sqlite:///{book}", course) == []


def test_the_courses_own_environment_or_one_inside_the_course_is_refused_for_learners(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    assert "n'est pas installé" in check_learner_env(tmp_path / "rien", course, Path(sys.prefix))[0]
    problems = check_learner_env(Path(sys.prefix), course, Path(sys.prefix))  # the trainer's .venv itself
    assert problems and "est celui du cours" in problems[0]
    inside = course / "env"
    (inside / "bin").mkdir(parents=True)
    (inside / "bin" / "jupyterhub-singleuser").write_text("")
    assert "est celui du cours ou est dans le cours" in check_learner_env(inside, course, Path(sys.prefix))[0]


def test_an_environment_that_imports_the_answer_key_is_refused(tmp_path):
    """A learners' environment built with the reference inside (here: a venv seeing the repository's folder)."""
    course = folder(tmp_path / "cours", 0o700)
    env = tmp_path / "env"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "jupyterhub-singleuser").write_text("")
    repo = Path(__file__).resolve().parents[2]
    (env / "bin" / "python").write_text(f"#!/bin/sh\ncd {repo} && exec {sys.executable} \"$@\"\n")
    (env / "bin" / "python").chmod(0o755)
    assert any("contient le corrigé" in p for p in check_learner_env(env, course, Path(sys.prefix)))


def _environment(tmp_path: Path, packages: list[str], commands: list[str] = ()) -> Path:
    """A learners' environment whose Python imports exactly `packages` (empty stand-ins) and has `commands` in bin/."""
    env = tmp_path / "env"
    site = tmp_path / "site"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "jupyterhub-singleuser").write_text("")
    for name in packages:
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text("")
    for name in commands:
        (env / "bin" / name).write_text("#!/bin/sh\n")
    # no site-packages (-I -S: not the trainer's .venv this test runs in), only `site`; then the checker's `-c CODE`
    (env / "bin" / "python").write_text(f"#!/bin/sh\nexec {sys.executable} -I -S -c 'import sys; "
                                        f"sys.path.insert(0, \"{site}\"); exec(sys.argv[2])' \"$@\"\n")
    (env / "bin" / "python").chmod(0o755)
    return env


TRAINER = "contient les outils du formateur"
NO_RUNTIME = "n'a pas le paquet des apprenants"


def test_an_environment_with_only_the_learner_runtime_passes_the_package_rules(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    problems = check_learner_env(_environment(tmp_path, ["mda_apprenant"]), course, Path(sys.prefix))
    assert not [p for p in problems if TRAINER in p or NO_RUNTIME in p or "corrigé" in p], problems


@pytest.mark.parametrize(("packages", "commands"), [
    (["mda_apprenant", "mda_checks"], []),  # the course package installed beside the runtime (the old installer)
    (["mda_apprenant"], ["mda"]),  # its command left behind
])
def test_an_environment_with_the_trainers_package_or_command_is_refused(tmp_path, packages, commands):
    course = folder(tmp_path / "cours", 0o700)
    problems = check_learner_env(_environment(tmp_path, packages, commands), course, Path(sys.prefix))
    assert any(TRAINER in p and "apprenant/" in p for p in problems), problems


def test_an_environment_without_the_learner_runtime_is_refused(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    problems = check_learner_env(_environment(tmp_path, []), course, Path(sys.prefix))
    assert any(NO_RUNTIME in p for p in problems), problems


def test_https_needs_both_files_and_a_private_key_closed_to_others(tmp_path):
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    cert.write_text("c")
    key.write_text("k")
    key.chmod(0o644)
    assert "--certificat et --cle" in check_tls(str(cert), "")[0]
    assert "chmod 600" in check_tls(str(cert), str(key))[0]
    key.chmod(0o600)
    assert check_tls(str(cert), str(key)) == [] and check_tls("", "") == []
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_formgrader_never_runs_as_root_nor_as_a_learners_or_a_trainers_own_account(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    db = f"sqlite:///{course / 'gradebook.db'}"
    refused = check_grader(course, "root", ["a.martin"], ["m.dupont"], db).problems
    assert refused and "tournerait en root" in refused[0] and "terminal root" in refused[0]
    assert "mda hub comptes" in refused[0] and f"chown -R correcteur-COURS: {course}" in refused[0]
    assert "compte d'un apprenant (a.martin)" in check_grader(course, "a.martin", ["a.martin"], [], db).problems[0]
    assert "personnel d'un formateur (m.dupont)" in check_grader(course, "m.dupont", [], ["m.dupont"], db).problems[0]


@root_only
def test_the_grading_account_must_own_the_gradebook_and_is_warned_about_folders_it_cannot_write(tmp_path):
    course = folder(tmp_path / "cours", 0o700)
    book = course / "gradebook.db"
    book.write_bytes(b"")
    for name in ("autograded", "feedback"):
        folder(course / name, 0o755)
    grader = "nobody"  # any account but root, a learner or a trainer; here the files are still root's
    found = check_grader(course, grader, ["a.martin"], ["m.dupont"], f"sqlite:///{book}")
    assert len(found.problems) == 1 and "notes manuelles" in found.problems[0] and f"chown {grader}: {book}" in found.problems[0]
    assert len(found.warnings) == 2 and all("les boutons de formgrader" in w for w in found.warnings)
    for path in (book, course / "autograded", course / "feedback"):
        os.chown(path, pwd.getpwnam(grader).pw_uid, -1)
    found = check_grader(course, grader, ["a.martin"], ["m.dupont"], f"sqlite:///{book}")
    assert found.problems == [] and found.warnings == []
