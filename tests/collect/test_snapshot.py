"""Reading a learner's folder trusts nothing in it: links, special files, other owners, sizes."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from mda_checks.collect.snapshot import CopyRules, Refused, read_submission

ME = os.geteuid()
RULES = CopyRules(exclude=(".ipynb_checkpoints", "*.pyc"), include=("*",), max_file_bytes=10_000,
                  max_total_bytes=50_000, max_entries=20, max_depth=3)


def _submission(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "01_cas.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (folder / "data" / "clients.csv").write_text("id\n1\n", encoding="utf-8")
    (folder / "timestamp.txt").write_text("2099-01-01 00:00:00.000000 UTC", encoding="utf-8")
    (folder / ".ipynb_checkpoints").mkdir()
    return folder


def test_a_genuine_folder_is_copied_without_its_claimed_time(tmp_path):
    source = _submission(tmp_path / "depot")
    snapshot = read_submission(source, ME, "moi", RULES, dest=tmp_path / "copie")
    assert sorted(snapshot.files) == ["01_cas.ipynb", "data/clients.csv"]
    assert snapshot.claimed_stamp == "2099-01-01 00:00:00.000000 UTC"
    assert not (tmp_path / "copie" / "timestamp.txt").exists() and not (tmp_path / "copie" / ".ipynb_checkpoints").exists()
    assert (tmp_path / "copie" / "data" / "clients.csv").read_text(encoding="utf-8") == "id\n1\n"
    newest = max(p.stat().st_ctime for p in [source, *source.rglob("*")] if p.name != ".ipynb_checkpoints")
    assert snapshot.latest_change == newest


def test_a_folder_owned_by_another_account_than_the_learner_it_names_is_refused(tmp_path):
    source = _submission(tmp_path / "depot")
    with pytest.raises(Refused, match="le dossier de dépôt appartient au compte .*, pas à alice"):
        read_submission(source, ME + 1, "alice", RULES)
    assert read_submission(source, None, "alice", RULES).files  # identity not enforced: the other rules only


@pytest.mark.parametrize("link_target", ["fichier", "dossier"])
def test_a_symbolic_link_anywhere_is_refused_and_nothing_is_read_through_it(tmp_path, link_target):
    secret = tmp_path / "corrige"
    secret.mkdir()
    (secret / "reponses.json").write_text('{"ca": 42}', encoding="utf-8")
    source = _submission(tmp_path / "depot")
    target = secret / "reponses.json" if link_target == "fichier" else secret
    (source / "data" / "lien").symlink_to(target)
    with pytest.raises(Refused, match="« data/lien » est un lien symbolique"):
        read_submission(source, ME, "moi", RULES, dest=tmp_path / "copie")
    assert not list((tmp_path / "copie").rglob("*reponses*")) and not (tmp_path / "copie" / "data" / "lien").exists()
    link = tmp_path / "depot-lien"
    link.symlink_to(source)
    with pytest.raises(Refused, match="n'est pas un dossier"):
        read_submission(link, ME, "moi", RULES)


def test_a_fifo_is_refused_without_hanging_the_collect(tmp_path):
    source = _submission(tmp_path / "depot")
    os.mkfifo(source / "01_cas.ipynb.tube")
    done = []
    worker = threading.Thread(target=lambda: done.append(pytest.raises(Refused, read_submission, source, ME, "moi",
                                                                        RULES)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done and "fichier spécial" in str(done[0].value)


def test_too_many_files_too_deep_or_too_big_is_refused_and_a_big_file_is_left_out(tmp_path):
    many = _submission(tmp_path / "beaucoup")
    for n in range(25):
        (many / f"f{n}.txt").write_text("x", encoding="utf-8")
    with pytest.raises(Refused, match="plus de 20 fichiers et dossiers"):
        read_submission(many, ME, "moi", RULES)
    deep = _submission(tmp_path / "profond")
    (deep / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    with pytest.raises(Refused, match="plus de 3 dossiers imbriqués"):
        read_submission(deep, ME, "moi", RULES)
    big = _submission(tmp_path / "gros")
    (big / "gros.csv").write_bytes(b"x" * 20_000)
    snapshot = read_submission(big, ME, "moi", RULES, dest=tmp_path / "copie")
    assert "gros.csv" not in snapshot.files and "« gros.csv » laissé de côté" in snapshot.skipped[0]
    heavy = _submission(tmp_path / "lourd")
    for n in range(6):
        (heavy / f"p{n}.csv").write_bytes(b"x" * 9_000)
    with pytest.raises(Refused, match="plus de 50 ko en tout"):
        read_submission(heavy, ME, "moi", RULES)


def test_changing_a_file_after_handing_in_makes_the_submission_later(tmp_path):
    source = _submission(tmp_path / "depot")
    first = read_submission(source, ME, "moi", RULES).latest_change
    time.sleep(0.05)  # more than one tick of the clock that stamps change times
    os.utime(source / "01_cas.ipynb", (0, 0))  # backdating its modification time moves its change time forward
    second = read_submission(source, ME, "moi", RULES).latest_change
    assert second > first
