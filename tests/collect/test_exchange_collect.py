"""`mda collecte` without other accounts: identity, trusted time, nbgrader's --update rule, French reports.

Folders are dropped into the exchange's inbound/ as `nbgrader submit` (or anyone) would; the
tests with real learner accounts submitting through nbgrader are in test_accounts.py (root)."""
from __future__ import annotations

import csv
import os
import pwd
import re
import secrets
import shutil
import time
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.collect.command import collect_assignment, identity_lines
from mda_checks.collect.exchange_collect import COLLECTED, REFUSED, REPORTED, UNCHANGED, UPDATED
from mda_checks.collect.journal import journal_path
from mda_checks.collect.timing import parse_claim, stamp
from mda_checks.course import Course
from mda_checks.referentiel import bloc_label
from tests.gradebooks import empty_gradebook

ME = pwd.getpwuid(os.geteuid()).pw_name


def _account_other_than_me() -> str:
    for name in ("nobody", "daemon", "bin", "sys"):
        try:
            if pwd.getpwnam(name).pw_uid != os.geteuid():
                return name
        except KeyError:
            continue
    pytest.skip("aucun autre compte Unix sur cette machine")


def _course(tmp_path: Path, shared: bool = False) -> Course:
    root = tmp_path / "cours"
    root.mkdir(parents=True)
    config = (Path(__file__).resolve().parents[2] / "nbgrader_config.py").read_text(encoding="utf-8")
    if shared:
        config += "\nc.ExchangeCollect.check_owner = False\n"
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    (root / "source" / "bloc1").mkdir(parents=True)
    db = empty_gradebook(root)
    with Gradebook(db) as gb:
        gb.update_or_create_assignment("bloc1")
    (root / "echange" / "manager-affaires" / "inbound").mkdir(parents=True)
    return Course(root)


def _drop(course: Course, learner: str, claimed: str, notebook: str = "copie", assignment: str = "bloc1",
          name: str | None = None) -> Path:
    """A folder in inbound/, as `nbgrader submit` writes it (claimed date in its name and its timestamp.txt)."""
    folder = course.root / "echange" / "manager-affaires" / "inbound" / (
        name or f"{learner}+{assignment}+{claimed}+{secrets.token_urlsafe(6)}")
    folder.mkdir()
    (folder / "01_cas.ipynb").write_text(notebook, encoding="utf-8")
    (folder / "timestamp.txt").write_text(claimed, encoding="utf-8")
    (folder / "submission_secret.txt").write_text("secret", encoding="utf-8")
    return folder


def _collected(course: Course, learner: str) -> tuple[str, datetime]:
    folder = course.root / "submitted" / learner / "bloc1"
    return (folder / "01_cas.ipynb").read_text(encoding="utf-8"), parse_claim((folder / "timestamp.txt").read_text())


def _outcome(run, learner):
    return next(o for o in run.outcomes if o.learner == learner)


def test_a_folder_named_after_another_account_is_refused_and_never_collected(tmp_path, monkeypatch):
    course = _course(tmp_path)
    other = _account_other_than_me()
    _drop(course, other, "2099-01-01 00:00:00.000000 UTC", notebook="vierge")  # mine, in another's name
    before = datetime.now(UTC)
    _drop(course, ME, stamp(before), notebook="la mienne")
    run = collect_assignment(course, "bloc1")
    refused = _outcome(run, other)
    assert refused.status is None and not (course.root / "submitted" / other).exists()
    assert [e.status for e in refused.events] == [REFUSED]
    assert refused.events[0].reason == f"le dossier de dépôt appartient au compte {ME}, pas à {other}"
    mine = _outcome(run, ME)
    assert mine.status == COLLECTED and mine.events == []  # claimed and trusted times agree: nothing to report
    text, when = _collected(course, ME)
    assert text == "la mienne" and before - timedelta(seconds=1) <= when <= datetime.now(UTC)
    assert run.identity_enforced and run.refused == 1


def test_a_learner_id_without_a_unix_account_is_refused_where_identity_is_enforced(tmp_path):
    course = _course(tmp_path)
    _drop(course, "personne-inconnue", stamp(datetime.now(UTC)))
    run = collect_assignment(course, "bloc1")
    assert "aucun compte Unix « personne-inconnue » sur cette machine" in run.outcomes[0].events[0].reason
    assert not (course.root / "submitted").exists() or not any((course.root / "submitted").iterdir())


def test_the_collected_time_is_the_trusted_one_and_claims_are_reported(tmp_path):
    course = _course(tmp_path, shared=True)
    future = _drop(course, "alice", "2099-01-01 00:00:00.000000 UTC", notebook="alice")
    os.utime(future / "01_cas.ipynb", (0, 0))  # and its files dated 1970
    backdated = _drop(course, "david", "2020-01-15 12:00:00.000000 UTC", notebook="david")
    run = collect_assignment(course, "bloc1")
    now = datetime.now(UTC)
    for learner in ("alice", "david"):
        text, when = _collected(course, learner)
        assert text == learner and now - timedelta(minutes=1) < when <= now
        assert {e.status for e in _outcome(run, learner).events} == {REPORTED}
    alice = [e.reason for e in _outcome(run, "alice").events]
    assert any(r.startswith("heure déclarée dans le futur (nom du dossier : 1 janvier 2099") for r in alice)
    assert any(r.startswith("heure déclarée dans le futur (timestamp.txt") for r in alice)
    david = [e.reason for e in _outcome(run, "david").events]
    assert any(r.startswith("heure déclarée (timestamp.txt : 15 janvier 2020") for r in david)
    assert backdated.is_dir()  # the exchange is left as it was, like nbgrader's collect
    assert not run.identity_enforced


def test_the_latest_genuine_submission_wins_by_trusted_time_with_nbgraders_update_rule(tmp_path):
    course = _course(tmp_path, shared=True)
    _drop(course, "alice", "2099-01-01 00:00:00.000000 UTC", notebook="premier")  # claims to be the latest
    assert _outcome(collect_assignment(course, "bloc1"), "alice").status == COLLECTED
    time.sleep(0.05)  # more than one tick of the clock that stamps change times
    _drop(course, "alice", "2020-01-01 00:00:00.000000 UTC", notebook="second")  # really the latest
    kept = _outcome(collect_assignment(course, "bloc1"), "alice")
    assert kept.status == UNCHANGED and "`mda collecte --update` le reprend" in kept.detail
    assert _collected(course, "alice")[0] == "premier"
    updated = _outcome(collect_assignment(course, "bloc1", update=True), "alice")
    assert updated.status == UPDATED and _collected(course, "alice")[0] == "second"
    again = _outcome(collect_assignment(course, "bloc1", update=True), "alice")
    assert again.status == UNCHANGED and again.detail.startswith("aucun rendu plus récent")
    assert not [p for p in (course.root / "submitted" / "alice").iterdir() if p.name != "bloc1"]  # no leftovers


def test_before_the_due_date_takes_the_latest_submission_on_time(tmp_path):
    course = _course(tmp_path, shared=True)
    _drop(course, "alice", "2020-01-01 00:00:00.000000 UTC", notebook="à l'heure")
    time.sleep(0.05)
    due = datetime.now(UTC)
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment("bloc1", duedate=due.replace(tzinfo=None))
    time.sleep(0.05)
    _drop(course, "alice", "2020-01-01 00:00:00.000000 UTC", notebook="en retard")  # claims to be on time
    collect_assignment(course, "bloc1", before_duedate=True)
    assert _collected(course, "alice")[0] == "à l'heure"
    collect_assignment(course, "bloc1", update=True)
    text, when = _collected(course, "alice")
    assert text == "en retard" and when > due


def test_a_name_nbgrader_cannot_read_is_reported_and_the_others_are_collected(tmp_path):
    course = _course(tmp_path, shared=True)
    _drop(course, "x", "", name="..+bloc1+2026")
    _drop(course, "x", "", name="alice+bloc1")
    _drop(course, "x", "", name="bob+bloc2+2026-11-27 10:00:00.000000 UTC+abc")  # another assignment: untouched
    _drop(course, "chloe", stamp(datetime.now(UTC)))
    run = collect_assignment(course, "bloc1")
    unreadable = _outcome(run, "?")
    assert sorted(e.folder for e in unreadable.events) == ["..+bloc1+2026", "alice+bloc1"]
    assert _outcome(run, "chloe").status == COLLECTED and not (course.root / "submitted" / "bob").exists()
    assert not (course.root / "bloc1").exists()  # « .. » never became a path


def test_mda_collecte_prints_progress_and_a_french_summary_and_keeps_a_journal(tmp_path, monkeypatch, capsys):
    course = _course(tmp_path)
    other = _account_other_than_me()
    _drop(course, other, "2099-01-01 00:00:00.000000 UTC")
    _drop(course, ME, "2020-01-01 00:00:00.000000 UTC")
    monkeypatch.chdir(course.root)
    assert main(["collecte", "bloc1"]) == 1  # a refused folder: the trainer must look
    out = " ".join(capsys.readouterr().out.split())
    assert "Identité des rendus vérifiée" in out
    assert f"/2 — {other} : rien de collecté, 1 dépôt(s) refusé(s)" in out and f"/2 — {ME} : collecté (rendu le" in out
    assert f"Refusé {other} · {other}+bloc1+2099" in out and f"pas à {other}" in out
    assert f"Signalé {ME} · " in out and "heure déclarée (timestamp.txt : 1 janvier 2020" in out
    label = bloc_label("bloc1")  # the trainer reads the bloc's title, the id stays in folder names
    assert f"{label} : 1 copie(s) collectée(s), 0 mise(s) à jour, 0 inchangée(s), 1 dépôt(s) refusé(s)" in out
    assert f"Collecte {label} : " in out and not re.search(r"\bbloc1\b(?![-/+])", out.replace("+bloc1+", "")), out
    assert main(["collecte", "bloc1"]) == 1
    with journal_path(course).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["apprenant"], r["statut"]) for r in rows] == [(other, REFUSED), (ME, COLLECTED), (other, REFUSED),
                                                             (ME, UNCHANGED)]
    assert rows[1]["heure_rendu"] and "heure déclarée" in rows[1]["remarques"]
    assert main(["collecte", "bloc9"]) == 2 and "devoir(s) inconnu(s)" in capsys.readouterr().err


def test_the_exchange_not_yet_made_is_a_french_error(tmp_path, monkeypatch, capsys):
    course = _course(tmp_path)
    shutil.rmtree(course.root / "echange")
    monkeypatch.chdir(course.root)
    assert main(["collecte", "bloc1"]) == 2
    assert "aucun rendu à collecter" in capsys.readouterr().err


def test_release_and_collect_say_plainly_whether_identity_is_enforced(tmp_path):
    shared = identity_lines(_course(tmp_path / "a", shared=True), ["alice"])
    assert shared[0].startswith("Identité des rendus NON vérifiée (c.ExchangeCollect.check_owner = False")
    enforced = identity_lines(_course(tmp_path / "b"), [ME, "personne-inconnue"])
    assert enforced[0].startswith("Identité des rendus vérifiée")
    assert "aucun compte Unix pour 1 apprenant(s) (personne-inconnue)" in enforced[1]


def test_mda_release_says_whether_identity_is_enforced_and_names_learners_without_an_account(tmp_path, monkeypatch,
                                                                                              capsys):
    from tests.grade.helpers import trimmed_course

    course = trimmed_course("publication")
    roster = f"id;nom;prénom;e-mail\n{ME};Moi;Moi;\npersonne-inconnue;Inconnue;Personne;\n"
    (course.root / "apprenants.csv").write_text(roster, encoding="utf-8")
    monkeypatch.chdir(course.root)
    assert main(["release", "bloc1", "--apprenants", "apprenants.csv", "--dossier", str(tmp_path / "copies"),
                 "--workers", "1"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Identité des rendus vérifiée" in out and "aucun compte Unix pour 1 apprenant(s) (personne-inconnue)" in out
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.ExchangeCollect.check_owner = False\n")
    assert main(["release", "bloc1", "--dossier", str(tmp_path / "copies"), "--workers", "1"]) == 0
    assert "Identité des rendus NON vérifiée" in " ".join(capsys.readouterr().out.split())
