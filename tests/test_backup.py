"""`mda sauvegarde` then `mda restauration`: a graded promotion comes back whole, and gives the same reports."""
from __future__ import annotations

import tarfile

from mda_checks.cli import main
from tests.grade.helpers import trimmed_course


def _run(monkeypatch, capsys, where, *argv):
    monkeypatch.chdir(where)
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def test_a_graded_demo_round_trips_and_gives_the_same_reports(monkeypatch, capsys, tmp_path):
    from mda_checks.assign import build_course
    from mda_checks.demo.copy import make_demo_copy

    original = trimmed_course("sauvegarde")
    demo = make_demo_copy(original, tmp_path / "demo")
    build_course(demo)
    assert _run(monkeypatch, capsys, demo.root, "demo", "--apprenants", "3", "--autres-blocs", "1")[0] == 0
    status, out = _run(monkeypatch, capsys, demo.root, "grade", "--workers", "2", "--timeout", "300")
    assert status == 0, out
    assert _run(monkeypatch, capsys, demo.root, "report")[0] == 0
    status, out = _run(monkeypatch, capsys, demo.root, "sauvegarde", str(tmp_path / "archives"))
    assert status == 0 and "Sauvegarde écrite" in out, out
    archive = next((tmp_path / "archives").glob("sauvegarde-manager-affaires-*.tar.gz"))
    names = tarfile.open(archive).getnames()
    assert {"promotion/MANIFESTE.json", "promotion/SHA256SUMS", "promotion/gradebook.db",
            "promotion/.mda/cle_variantes"} <= set(names)

    fresh = trimmed_course("restauration")                 # a fresh copy of the course, built, no promotion
    status, out = _run(monkeypatch, capsys, fresh.root, "restauration", str(archive))
    assert status == 0 and "Promotion restaurée" in out, out
    assert _run(monkeypatch, capsys, fresh.root, "report")[0] == 0
    for name in ("exports/grille_competences.csv", "exports/notes_nbgrader.csv"):
        assert (fresh.root / name).read_bytes() == (demo.root / name).read_bytes(), name
    status, out = _run(monkeypatch, capsys, fresh.root, "grade", "--timeout", "300")   # nothing to grade again
    assert status == 0 and "Copies à corriger : 0" in out, out

    status, out = _run(monkeypatch, capsys, fresh.root, "restauration", str(archive))   # never over a promotion
    assert status == 2 and "restauration refusée" in out


def test_a_damaged_archive_restores_nothing(monkeypatch, capsys, tmp_path):
    course = trimmed_course("sauvegarde-abimee")
    (course.root / "groupes.csv").write_text("devoir;groupe;apprenant\n", encoding="utf-8")
    assert _run(monkeypatch, capsys, course.root, "sauvegarde", str(tmp_path))[0] == 0
    archive = next(tmp_path.glob("*.tar.gz"))
    with tarfile.open(archive) as source, tarfile.open(tmp_path / "abimee.tar.gz", "w:gz") as damaged:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name.endswith("groupes.csv"):
                data = b"devoir;groupe;apprenant\nbloc4;G1;intrus\n"
                member.size = len(data)
            import io
            damaged.addfile(member, io.BytesIO(data) if data is not None else None)
    fresh = trimmed_course("restauration-abimee")
    status, out = _run(monkeypatch, capsys, fresh.root, "restauration", str(tmp_path / "abimee.tar.gz"))
    assert status == 2 and "ne correspond pas à sa somme SHA-256" in out and not (fresh.root / "groupes.csv").exists()
