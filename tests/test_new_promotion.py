"""`mda nouvelle-promotion`: a graded promotion archived and checked, then a clean one; the archive gives it back."""
from __future__ import annotations

import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

import mda_checks.new_promotion as new_promotion
from mda_checks.backup_exchange import exchange_folder
from mda_checks.cli import main
from mda_checks.nbgrader_api import course_directory
from mda_checks.roster import Learner, import_roster
from tests.grade.helpers import trimmed_course

pytestmark = [pytest.mark.xdist_group("nouvelle-promotion")]
CALENDAR = "devoir;date_limite\nbloc1;2027-01-15 18:00\n"   # 17:00 UTC (Paris, winter)
REPORTS = ("exports/grille_competences.csv", "exports/notes_nbgrader.csv")


def _run(monkeypatch, capsys, where, *argv):
    monkeypatch.chdir(where)
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def _learners(course) -> list[str]:
    with Gradebook(course_directory(course.root).db_url) as gb:
        return sorted(s.id for s in gb.students)


def _deposit(course) -> Path:
    """A learner's deposit in the course's exchange, and a link a learner left there (never archived)."""
    inbound = exchange_folder(course) / "inbound" / "a.martin+bloc1+2026-11-27 17:00:00.000000 UTC"
    inbound.mkdir(parents=True)
    (inbound / "01_veille_concurrence.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (inbound.parent / "lien").symlink_to("/etc/hostname")
    return inbound


def test_a_graded_promotion_is_archived_then_cleared_and_its_archive_gives_the_same_reports(monkeypatch, capsys,
                                                                                           tmp_path):
    from mda_checks.assign import build_course
    from mda_checks.demo.copy import make_demo_copy

    course = make_demo_copy(trimmed_course("nouvelle-promotion"), tmp_path / "cours")
    build_course(course)
    assert _run(monkeypatch, capsys, course.root, "demo", "--apprenants", "3")[0] == 0
    status, out = _run(monkeypatch, capsys, course.root, "grade", "--workers", "2", "--timeout", "300")
    assert status == 0, out
    assert _run(monkeypatch, capsys, course.root, "report")[0] == 0
    (course.root / "groupes.csv").write_text("devoir;groupe;apprenant\nbloc4;G1;a.martin\n", encoding="utf-8")
    (course.root / "calendrier.csv").write_text(CALENDAR, encoding="utf-8")
    _deposit(course)
    reports = {name: (course.root / name).read_bytes() for name in REPORTS}
    key = (course.root / ".mda" / "cle_variantes").read_bytes()
    learners = _learners(course)

    status, out = _run(monkeypatch, capsys, course.root, "nouvelle-promotion", "--archive", str(tmp_path / "archives"))
    assert status == 0, out
    assert "Promotion archivée" in out and "Nouvelle promotion prête : 3 apprenant(s) retiré(s)" in out, out
    assert "Clé des variantes gardée" in out and "lien" in out  # the link left in the exchange is named, not archived
    with Gradebook(course_directory(course.root).db_url) as gb:  # no learner; the assignment and its due date kept
        assert gb.students == [] and [a.name for a in gb.assignments] == ["bloc1"]
        assert gb.find_assignment("bloc1").duedate == datetime(2027, 1, 15, 17, 0)
        assert gb.find_assignment("bloc1").notebooks  # its cells, as generated
    for name in ("submitted", "autograded", "feedback", "exports", "reports", "groupes.csv", ".mda/variantes.csv"):
        assert not (course.root / name).exists(), name
    assert (course.root / ".mda" / "cle_variantes").read_bytes() == key
    assert not [p for p in exchange_folder(course).rglob("*") if not p.is_dir()]  # the course's exchange: empty
    archive = next((tmp_path / "archives").glob("sauvegarde-*.tar.gz"))
    names = tarfile.open(archive).getnames()
    assert any(n.endswith("inbound/a.martin+bloc1+2026-11-27 17:00:00.000000 UTC/01_veille_concurrence.ipynb")
               for n in names) and not any(n.endswith("/lien") for n in names)

    status, out = _run(monkeypatch, capsys, course.root, "restauration", str(archive))  # undo, in the same course
    assert status == 0 and "Promotion restaurée" in out, out
    assert _learners(course) == learners and (course.root / "groupes.csv").is_file()
    assert _run(monkeypatch, capsys, course.root, "report")[0] == 0
    for name, content in reports.items():
        assert (course.root / name).read_bytes() == content, name
    status, out = _run(monkeypatch, capsys, course.root, "grade", "--timeout", "300")
    assert status == 0 and "Copies à corriger : 0" in out, out
    assert (exchange_folder(course) / "inbound" / "a.martin+bloc1+2026-11-27 17:00:00.000000 UTC").is_dir()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _change_a_copy(course) -> None:
    with (course.step("submitted") / "b.lefevre" / "bloc1" / "timestamp.txt").open("a", encoding="utf-8") as handle:
        handle.write("rendu à nouveau pendant l'archivage\n")


@pytest.mark.parametrize("damage", ["archive tronquée", "copie modifiée pendant l'archivage"])
def test_nothing_is_removed_unless_the_archive_is_verified(monkeypatch, capsys, tmp_path, damage):
    course = trimmed_course("nouvelle-promotion-refus")
    import_roster(course_directory(course.root).db_url, [Learner("b.lefevre", "Lefèvre", "Bérénice", None)])
    (course.step("submitted") / "b.lefevre" / "bloc1").mkdir(parents=True)
    (course.step("submitted") / "b.lefevre" / "bloc1" / "timestamp.txt").write_text("2026-11-27 17:00:00 UTC\n")
    (course.root / "groupes.csv").write_text("devoir;groupe;apprenant\nbloc4;G1;b.lefevre\n", encoding="utf-8")
    _deposit(course)
    archive_then_damage = new_promotion.back_up

    def damaged(*args, **kwargs):
        backup = archive_then_damage(*args, **kwargs)
        _truncate(backup.path) if damage == "archive tronquée" else _change_a_copy(course)
        return backup

    monkeypatch.setattr(new_promotion, "back_up", damaged)
    status, out = _run(monkeypatch, capsys, course.root, "nouvelle-promotion", "--archive", str(tmp_path))
    assert status == 2 and "archive non vérifiée" in out and "rien n'a été effacé" in out, out
    assert "Traceback" not in out
    assert _learners(course) == ["b.lefevre"] and (course.root / "groupes.csv").is_file()
    assert (course.step("submitted") / "b.lefevre" / "bloc1" / "timestamp.txt").is_file()
    assert any(p.is_file() for p in exchange_folder(course).rglob("*"))


def test_between_two_promotions_the_course_still_refuses_a_simulated_cohort(monkeypatch, capsys, tmp_path):
    from mda_checks.variants.secret import course_secret

    course = trimmed_course("nouvelle-promotion-demo")
    import_roster(course_directory(course.root).db_url, [Learner("b.lefevre", "Lefèvre", "Bérénice", None)])
    course_secret(course, create=True)  # as the promotion's first `mda release` made it
    assert _run(monkeypatch, capsys, course.root, "nouvelle-promotion", "--archive", str(tmp_path))[0] == 0
    status, out = _run(monkeypatch, capsys, course.root, "demo", "--apprenants", "2")
    assert status == 2 and "jamais dans le cours d'une vraie promotion" in out and "make demo" in out, out
    assert not (course.root / "submitted").exists() and _learners(course) == []


def test_a_new_key_is_asked_for_the_former_one_stays_in_the_archive_only(monkeypatch, capsys, tmp_path):
    from mda_checks.variants.secret import course_secret, secret_path

    course = trimmed_course("nouvelle-promotion-cle")
    import_roster(course_directory(course.root).db_url, [Learner("b.lefevre", "Lefèvre", "Bérénice", None)])
    former = course_secret(course, create=True)
    key = secret_path(course).read_bytes()
    (course.root / ".mda" / "grappe").mkdir()  # the cluster's certificates: not the promotion's, kept
    status, out = _run(monkeypatch, capsys, course.root, "nouvelle-promotion", "--nouvelle-cle",
                       "--archive", str(tmp_path))
    assert status == 0, out
    assert "Nouvelle clé des variantes : elle sera créée au prochain `mda release`" in out
    assert "Clé des variantes gardée" not in out
    assert not secret_path(course).exists() and (course.root / ".mda" / "grappe").is_dir()
    with tarfile.open(next(tmp_path.glob("sauvegarde-*.tar.gz"))) as archive:
        kept = [m for m in archive.getmembers() if m.name.endswith(".mda/cle_variantes")]
        assert len(kept) == 1 and archive.extractfile(kept[0]).read() == key
    assert course_secret(course, create=True) != former  # the next release draws other data
