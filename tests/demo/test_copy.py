"""`make demo` works in its own course copy: the trainer's promotion never inherits its learners,
due dates or simulated crashes."""
from __future__ import annotations

import re

from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.jury.rules import read_rules
from mda_checks.nbgrader_api import course_directory
from mda_checks.referentiel import bloc_label
from mda_checks.roster import Learner, import_roster
from tests.grade.helpers import trimmed_course


def _run(monkeypatch, capsys, where, *argv):
    monkeypatch.chdir(where)
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def test_the_demo_writes_its_cohort_into_its_own_copy_only(monkeypatch, capsys):
    course = trimmed_course("demo-copie")
    rules = '[bloc]\nregle = "part"\npart = 0.8\n\n[jury]\nmembres = ["Mme Claire Dupont, présidente"]\nlieu = "Lille"\n'
    (course.root / "jury.toml").write_text(rules, encoding="utf-8")
    status, out = _run(monkeypatch, capsys, course.root, "demo", "--copie", "demo")
    assert status == 0 and "Copie de démonstration prête" in out, out
    demo = Course(course.root / "demo")
    assert Course.find(demo.root) == demo and (demo.source / "bloc1").is_dir()
    # the jury's rules come with the originals: the demo's minutes state the course's rules and members
    assert (demo.root / "jury.toml").read_text(encoding="utf-8") == rules
    jury = read_rules(demo.root)
    assert jury.source == "jury.toml" and jury.members == ("Mme Claire Dupont, présidente",) and jury.place == "Lille"
    assert not any("par défaut" in line for line in jury.text())
    assert _run(monkeypatch, capsys, demo.root, "build")[0] == 0
    status, out = _run(monkeypatch, capsys, demo.root, "demo", "--apprenants", "8", "--autres-blocs", "1")
    assert status == 0, out
    assert (demo.root / "submitted").is_dir() and not (course.root / "submitted").exists()
    with Gradebook(course_directory(course.root).db_url) as gb:       # the trainer's gradebook: untouched
        assert gb.students == [] and all(a.duedate is None for a in gb.assignments)
    status, out = _run(monkeypatch, capsys, demo.root, "demo", "--bilan")
    assert status == 0 and "Échecs SIMULÉS exprès" in out and "h." in out and "votre promotion" in out.lower()
    assert f"· {bloc_label('bloc1')} ·" in out and not BLOC_ID.search(out), out  # the bloc by its title


#: a bloc's id where a trainer reads words (« bloc1 » alone, not in a path such as feedback/a/bloc1/ or bloc1-…)
BLOC_ID = re.compile(r"(?<![/+\w])bloc\d\b(?![-/+])")


def test_mda_demo_refuses_a_course_with_real_learners(monkeypatch, capsys):
    course = trimmed_course("demo-refus")
    import_roster(course_directory(course.root).db_url, [Learner("zoe.roux", "Roux", "Zoé", None)])
    status, out = _run(monkeypatch, capsys, course.root, "demo", "--apprenants", "3")
    assert status == 2 and "jamais dans le cours d'une vraie promotion" in out and "make demo" in out
    assert not (course.root / "submitted").exists()


def test_a_folder_that_is_not_a_demo_copy_is_never_replaced(monkeypatch, capsys, tmp_path):
    course = trimmed_course("demo-dossier")
    (tmp_path / "travail").mkdir()
    (tmp_path / "travail" / "important.txt").write_text("à garder", encoding="utf-8")
    status, out = _run(monkeypatch, capsys, course.root, "demo", "--copie", str(tmp_path / "travail"))
    assert status == 2 and "n'est pas une copie de démonstration" in out
    assert (tmp_path / "travail" / "important.txt").read_text(encoding="utf-8") == "à garder"
