"""The trainer's first real promotion after a demonstration: `mda release` gives copies to the real roster
only, with the course's own due dates, and `mda grade` of their handed-in copies ends clean (no simulated
crash, no « Correction incomplète »)."""
from __future__ import annotations

from datetime import UTC, timedelta

from nbgrader.api import Gradebook

from mda_checks.course import Course
from mda_checks.demo.copy import damages
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.due_dates import parse_local
from mda_checks.nbgrader_api import course_directory
from tests.demo.test_copy import _run
from tests.e2e.harness import fixed_course_key
from tests.grade.helpers import trimmed_course

A = "bloc1"
REAL = ("yann.petit", "zoe.roux")
DUE = "2027-03-15 18:00"  # the real promotion's calendar (Paris time)


def test_after_the_demo_the_real_roster_gets_its_copies_its_due_dates_and_a_clean_grading(monkeypatch, capsys):
    course = trimmed_course("vraie-promotion")
    fixed_course_key(course)
    assert _run(monkeypatch, capsys, course.root, "demo", "--copie", "demo")[0] == 0
    demo = Course(course.root / "demo")
    assert _run(monkeypatch, capsys, demo.root, "build")[0] == 0
    status, out = _run(monkeypatch, capsys, demo.root, "demo", "--apprenants", "8", "--autres-blocs", "1")
    assert status == 0 and damages(demo), out  # the demo has its simulated crashes (in its own copy)

    (course.root / "calendrier.csv").write_text(f"devoir;date_limite\n{A};{DUE}\n", encoding="utf-8")
    assert _run(monkeypatch, capsys, course.root, "calendrier")[0] == 0
    roster = course.root / "apprenants.csv"
    roster.write_text("id;nom;prénom;e-mail\n" + "".join(f"{s};Nom;Prénom;\n" for s in REAL), encoding="utf-8")
    status, out = _run(monkeypatch, capsys, course.root, "release", A, "--apprenants", str(roster),
                       "--dossier", "copies", "--workers", "1")
    assert status == 0 and "2 copie(s) personnelle(s) écrite(s)" in " ".join(out.split()), out
    copies = course.root / "copies"
    assert sorted(p.name for p in copies.iterdir()) == list(REAL)  # the demo's learners got nothing
    due = parse_local(DUE).astimezone(UTC)
    with Gradebook(course_directory(course.root).db_url) as gb:
        assert sorted(s.id for s in gb.students) == list(REAL)
        assert gb.find_assignment(A).duedate == due.replace(tzinfo=None)  # the course's date, not the demo's

    for student in REAL:  # handed in the day before the due date
        own = copies / student / A
        write_submission(course, student, A, solved_submission(course, A, own), due - timedelta(days=1), own_copy=own)
    status, out = _run(monkeypatch, capsys, course.root, "grade", "--workers", "2", "--timeout", "300")
    words = " ".join(out.split())
    assert status == 0, out
    for wrong in ("Correction incomplète", "SIMULÉS", "simulés", "Carnet non corrigé", "retard"):
        assert wrong not in words, out
    with Gradebook(course_directory(course.root).db_url) as gb:
        submissions = gb.find_assignment(A).submissions
        assert sorted(s.student_id for s in submissions) == list(REAL)
        assert all(s.total_seconds_late == 0 and s.score > 0 for s in submissions)
