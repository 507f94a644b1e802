"""Who may read the per-learner copies in the exchange: with their own accounts, each learner their own only.

Where learners have their own Unix accounts (``ExchangeCollect.check_owner``, the default), a copy
belongs to its learner's account (0700) and ``personnel/<bloc>/`` cannot be listed (0711); a copy
that cannot be handed over stays closed to all, and its learner is told what to ask for. With a
shared account, everything stays readable by all. The account test is root only (useradd), as in CI.
"""
from __future__ import annotations

import contextlib
import io
import os
import pwd
import stat
import tempfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.assign import personal_release
from mda_checks.assign.personal_release import copies_to_hand_over, hand_over, prepare_personal_folder
from mda_checks.cli import main
from mda_checks.exchange import ensure_exchange, learner_config
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import read_registry
from tests.collect.accounts import Accounts, skip_unless_root
from tests.grade.helpers import trimmed_course

A, NOTEBOOK = "bloc1", "01_veille_concurrence"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _release(course) -> str:
    here = os.getcwd()
    os.chdir(course.root)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as said:
            assert main(["release", A, "--workers", "1"]) == 0
    finally:
        os.chdir(here)
    return " ".join(said.getvalue().split())


def _fetch(accounts: Accounts, name: str, course) -> Path:
    """`nbgrader fetch_assignment` as the learner, from their own folder, with the course's learner configuration."""
    home = accounts.home(name)
    (home / ".jupyter").mkdir(exist_ok=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(learner_config(course), encoding="utf-8")
    accounts.give(name, home / ".jupyter")
    accounts.run(name, "nbgrader", "fetch_assignment", A, cwd=home / "devoirs")
    return home / "devoirs" / A


@pytest.mark.xdist_group("comptes")
def test_own_accounts_each_learner_reads_their_copy_only_and_a_copy_without_account_waits_closed():
    skip_unless_root()
    base = Path(tempfile.mkdtemp(prefix="mda-personnel-"))
    base.chmod(0o711)  # the learners reach the exchange inside it, nothing else
    accounts = Accounts(base)
    try:
        alice, bruno = accounts.add("alice"), accounts.add("bruno")
        chloe = f"{accounts.prefix}-chloe"  # enrolled, her account comes later
        accounts.check_python(alice)
        course = trimmed_course("personnel")
        exchange = base / "echange"
        with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
        ensure_exchange(course)
        with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
            for name in (alice, bruno, chloe):
                gb.update_or_create_student(name)
        said = _release(course)
        personal = exchange / "manager-affaires" / "personnel" / A
        assert _mode(personal) == _mode(personal.parent) == 0o711
        for name in (alice, bruno):
            assert ((personal / name).stat().st_uid, _mode(personal / name)) == (pwd.getpwnam(name).pw_uid, 0o700)
        assert ((personal / chloe).stat().st_uid, _mode(personal / chloe)) == (os.geteuid(), 0o700)
        assert f"{chloe} (aucun compte Unix de ce nom)" in said and "republiez en root" in said, said

        for script in (f"ls {personal}", f"ls {personal / alice}", f"cat {personal / alice}/data/marche_vae.csv",
                       f"cat {personal / alice}/{NOTEBOOK}.ipynb"):
            with pytest.raises(AssertionError, match="Permission denied"):
                accounts.run(bruno, "sh", "-c", script)
        fetched = _fetch(accounts, bruno, course)  # his own copy, reached by name
        assert data_digest(fetched / "data") == read_registry(course)[(A, bruno)].empreinte

        accounts.add("chloe")  # her copy was published before her account: closed to her, and she is told why
        with pytest.raises(AssertionError, match="fermée à votre compte"):
            _fetch(accounts, chloe, course)
        _release(course)  # published again as root: hers now, with the same data
        assert (personal / chloe).stat().st_uid == pwd.getpwnam(chloe).pw_uid
        assert data_digest(_fetch(accounts, chloe, course) / "data") == read_registry(course)[(A, chloe)].empreinte
    finally:
        accounts.close()


def test_a_shared_account_keeps_the_copies_folder_readable_by_all(tmp_path):
    folder = tmp_path / "manager-affaires" / "personnel" / A
    folder.parent.parent.mkdir(mode=0o755)
    prepare_personal_folder(folder, private=False)
    assert _mode(folder) == _mode(folder.parent) == 0o755
    prepare_personal_folder(folder, private=True)  # learners got their own accounts since: closed again
    assert _mode(folder) == _mode(folder.parent) == 0o711


@pytest.mark.parametrize("planted", ["lien", "ouvert"])
def test_copies_are_never_written_through_a_folder_another_account_may_change(tmp_path, planted):
    """A learner who planted personnel/ in the world-writable exchange (a link, or a folder open to all)
    before the first release: the release refuses it instead of writing their classmates' copies there."""
    course_folder = tmp_path / "manager-affaires"
    course_folder.mkdir()
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    if planted == "lien":
        (course_folder / "personnel").symlink_to(elsewhere)
    else:
        (course_folder / "personnel").mkdir()
        (course_folder / "personnel").chmod(0o777)
    with pytest.raises(ValueError, match="un apprenant pourrait les détourner"):
        prepare_personal_folder(course_folder / "personnel" / A, private=True)
    assert not list(elsewhere.iterdir())


def test_a_copy_that_cannot_be_handed_over_stays_closed_to_all(tmp_path, monkeypatch):
    copy = tmp_path / "copie"
    (copy / "data").mkdir(parents=True)
    (copy / "data" / "marche.csv").write_text("a\n", encoding="utf-8")
    copy.chmod(0o755)
    assert hand_over(copy, "compte-inexistant-xyz") == "aucun compte Unix de ce nom"
    assert _mode(copy) == 0o700
    copy.chmod(0o755)
    someone = next(entry for entry in pwd.getpwall() if entry.pw_uid != os.geteuid())

    def refused(*args, **kwargs):
        raise PermissionError("chown")

    monkeypatch.setattr(personal_release.os, "chown", refused)  # as a publisher who is not root
    assert hand_over(copy, someone.pw_name) == "seul root peut remettre une copie au compte d'un apprenant"
    assert _mode(copy) == 0o700


def test_copies_published_before_their_learners_account_are_named_for_a_new_release(tmp_path):
    """`mda hub comptes` names the assignments to publish again: those holding a copy that is not its
    learner's although their account now exists; copies already theirs, and learners without account, are not."""
    me = pwd.getpwuid(os.geteuid()).pw_name
    other = next(entry.pw_name for entry in pwd.getpwall() if entry.pw_uid != os.geteuid())
    for assignment, learners in (("bloc1", [me]), ("bloc2", [me, other]), ("bloc3", ["sans-compte-xyz"])):
        for name in learners:
            (tmp_path / "personnel" / assignment / name).mkdir(parents=True)
    assert copies_to_hand_over(tmp_path / "personnel", [me, other, "sans-compte-xyz"]) == ["bloc2"]
    assert copies_to_hand_over(tmp_path / "absent", [me]) == []
