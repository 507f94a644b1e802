"""`mda hub` from its command line: the start refused on an open course, the learners' environment and its
nbgrader configuration, the grading service's own account, and accounts removed only after a « oui »."""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.hub.command import hand_course_to_grader, remove_course_accounts
from tests.conftest import REPO

root_only = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("useradd") is None,
                               reason="test réservé à root : il crée de vrais comptes Unix (useradd), comme en CI")


def small_course(tmp_path: Path, learners: tuple[str, ...] = ("a.martin", "b.lefevre")) -> Course:
    """A course as `mda hub` reads it: its configuration, an exchange of its own, a gradebook with learners."""
    root = tmp_path / "cours"
    (root / "source").mkdir(parents=True)
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(config + f"\nc.Exchange.root = {str(tmp_path / 'echange')!r}\n",
                                             encoding="utf-8")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for name in learners:
            gb.update_or_create_student(name)
    return Course(root)


def test_the_hub_does_not_start_on_a_course_open_to_other_accounts_and_says_why(tmp_path, monkeypatch, capsys):
    course = small_course(tmp_path)
    monkeypatch.chdir(course.root)
    argv = ["hub", "demarrer", "--formateur", "m.dupont", "--etat", str(tmp_path / "etat"),
            "--environnement-apprenant", str(tmp_path / "apprenant")]
    course.root.chmod(0o755)
    assert main(argv) != 0
    said = capsys.readouterr().err
    assert "le hub ne démarre pas" in said
    if os.geteuid() == 0:  # otherwise the first refusal is « mda hub se lance en root »
        assert f"le dossier du cours {course.root} est ouvert aux autres comptes (droits 755)" in said
        course.root.chmod(0o700)
        assert main(argv) != 0  # still refused (no exchange, no accounts…), but no longer for the course
        assert "ouvert aux autres comptes" not in capsys.readouterr().err
    assert not (tmp_path / "etat").exists()  # nothing written for a hub that does not start


def test_mda_hub_environnement_runs_the_installer_then_writes_the_learners_nbgrader_config(tmp_path, monkeypatch,
                                                                                        capsys):
    """The installer with a stand-in for uv (its arguments recorded): the command's wiring, not PyPI."""
    course = small_course(tmp_path)
    calls = tmp_path / "uv.log"
    uv = tmp_path / "uv"
    uv.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n', encoding="utf-8")
    uv.chmod(0o755)
    monkeypatch.setenv("MDA_UV", str(uv))
    monkeypatch.chdir(course.root)
    prefix = tmp_path / "apprenant"
    assert main(["hub", "environnement", "--environnement-apprenant", str(prefix)]) == 0
    assert f"Environnement des apprenants : {prefix}" in capsys.readouterr().out
    recorded = calls.read_text(encoding="utf-8").splitlines()
    assert recorded[0].startswith(f"venv --quiet --allow-existing --python /usr/bin/python3 {prefix}")
    assert f"--python {prefix}/bin/python" in recorded[1] and "apprenant/requirements.txt" in recorded[1]
    assert (prefix / "share/jupyter/lab/settings/overrides.json").is_file()
    config = prefix / "etc" / "jupyter" / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert f"c.Exchange.root = {str(tmp_path / 'echange')!r}" in text
    assert "c.Exchange.timezone = 'Europe/Paris'" in text
    assert "c.ExchangeFactory.fetch_assignment = 'mda_apprenant.exchange_fetch.FetchOwnCopy'" in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o644  # read by every learner's server


def _cleanup(*names: str) -> None:
    for name in names:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


@root_only
def test_the_grading_account_is_a_passwordless_system_account_that_gets_a_course_root_owns(tmp_path):
    course = small_course(tmp_path)
    outside = tmp_path / "ailleurs.txt"
    outside.write_text("à root")
    (course.root / "lien").symlink_to(outside)  # a link in the course never hands over its target
    grader = f"mda{secrets.token_hex(2)}-correcteur"
    try:
        said = hand_course_to_grader(course, grader, tmp_path / "comptes")
        entry = pwd.getpwnam(grader)
        status = subprocess.run(["passwd", "--status", grader], capture_output=True, text=True, check=True).stdout
        assert entry.pw_uid < 1000 and status.split()[1] == "L"  # a system account, locked: no password login
        assert stat.S_IMODE(Path(entry.pw_dir).stat().st_mode) == 0o700
        for path in (course.root, course.root / "gradebook.db", course.root / "source"):
            assert path.stat().st_uid == entry.pw_uid, path
        assert outside.stat().st_uid == 0
        assert any("appartient désormais à" in line for line in said)
        assert hand_course_to_grader(course, grader, tmp_path / "comptes") == []  # once only
    finally:
        _cleanup(grader)


@root_only
def test_accounts_are_removed_only_if_the_course_knows_them_and_after_a_yes(tmp_path, monkeypatch, capsys):
    prefix = f"mda{secrets.token_hex(2)}"
    alice, bruno = f"{prefix}-alice", f"{prefix}-bruno"
    course = small_course(tmp_path, (alice, bruno))
    for name in (alice, bruno):
        subprocess.run(["useradd", "--create-home", "--home-dir", str(tmp_path / name), name], check=True)
    try:
        with pytest.raises(ValueError, match="ni apprenant au carnet de notes ni formateur de ce cours"):
            remove_course_accounts(course, [alice, "root"], confirm=lambda _: "oui")
        assert pwd.getpwnam(alice)  # nothing removed when one name is a stranger
        said = remove_course_accounts(course, [alice], confirm=lambda _: "non")
        assert said == ["Suppression annulée : aucun compte supprimé."] and pwd.getpwnam(alice)
        monkeypatch.chdir(course.root)
        monkeypatch.setattr("builtins.input", lambda _question: "oui")
        assert main(["hub", "comptes", "--supprimer", alice]) == 0
        assert f"Comptes supprimés, avec leur dossier personnel : {alice}." in capsys.readouterr().out
        with pytest.raises(KeyError):
            pwd.getpwnam(alice)
        assert not (tmp_path / alice).exists() and pwd.getpwnam(bruno)
    finally:
        _cleanup(alice, bruno)
