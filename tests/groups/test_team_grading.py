"""A group assignment through nbgrader for real: bloc 4 handed in by groups, graded once per group,
the group's grades written for every member, each member's oral their own.

One small course (bloc 4's first notebook and the oral defence) is built and graded once for the
module; the tests then run in order: a group of three where one member handed in, a group that
handed in twice, a learner who left their group."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from datetime import datetime, timedelta, UTC
from pathlib import Path

import pandas as pd
import pytest
from nbgrader.api import Gradebook
from openpyxl import load_workbook

from mda_checks.assign import build_course
from mda_checks.cli import main
from mda_checks.demo.submissions import blank_submission, solved_submission, write_submission
from mda_checks.exchange import ensure_exchange
from mda_checks.feedback import write_competency_summary
from mda_checks.grade.autograde import journal_path
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.grade.manual import set_manual_grade
from mda_checks.grade.runs.state import GradingState
from mda_checks.groups.propagate import propagate_groups
from mda_checks.groups.importing import import_groups
from mda_checks.groups.roster import Groups, write_groups
from mda_checks.report.cohort import write_reports
from mda_checks.report.competencies import PART_BOTH, PART_GROUP, PENDING, competency_grid
from mda_checks.variants.registry import read_registry
from tests.conftest import copy_course
from tests.e2e.harness import fixed_course_key

pytestmark = [pytest.mark.xdist_group("groups-e2e")]

A = "bloc4"
GROUP_NB, ORAL_NB = "01_lean_flux", "05_soutenance_individuelle"
WRITTEN = "outils_decision"      # a written answer of the group's dossier (CE4.1.2, 3 points)
ORAL = "jury_b4_ce413"           # a jury grid of the oral defence (CE4.1.3, 2 points)
G1, G2 = ("alice", "bob", "chloe"), ("dan", "eve")
DUE = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def _small_bloc4(folder: Path):
    course = copy_course(folder)
    for other in course.assignments():
        if other != A:
            shutil.rmtree(course.source / other)
    for notebook in course.source_notebooks(A):
        if notebook.stem not in (GROUP_NB, ORAL_NB):
            notebook.unlink()
    return course


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    course = _small_bloc4(tmp_path_factory.mktemp("groupes") / "cours")
    fixed_course_key(course)
    ensure_exchange(course)
    build_course(course, [A])
    db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        for student in G1 + G2 + ("zoe",):  # zoe: enrolled, in no group
            gb.update_or_create_student(student)
    groups_file = course.root / "mes-groupes.csv"
    groups_file.write_text("groupe;apprenant\n" + "".join(f"G1;{s}\n" for s in G1) + "".join(f"G2;{s}\n" for s in G2),
                           encoding="utf-8")
    import_groups(course, db_url, groups_file, A)
    with tempfile.TemporaryDirectory() as scratch:
        here = os.getcwd()
        os.chdir(course.root)
        try:  # `mda release`: a copy per member, with their group's case; none for zoe, who is named
            with contextlib.redirect_stdout(io.StringIO()) as said:
                assert main(["release", A, "--dossier", scratch, "--workers", "1"]) == 0
        finally:
            os.chdir(here)
        assert "aucune copie pour 1 apprenant(s) dans aucun groupe (zoe)" in said.getvalue()
        copies = {s: Path(scratch) / s / A for s in G1 + G2}
        assert not (Path(scratch) / "zoe").exists()
        # G1: alice alone hands the dossier in; G2: dan (solved) then eve, later (blank): eve's is the group's
        write_submission(course, "alice", A, solved_submission(course, A, copies["alice"]), DUE - timedelta(hours=5),
                         own_copy=copies["alice"])
        write_submission(course, "dan", A, solved_submission(course, A, copies["dan"]), DUE - timedelta(hours=8),
                         own_copy=copies["dan"])
        write_submission(course, "eve", A, blank_submission(course, A, copies["eve"]), DUE - timedelta(hours=2),
                         own_copy=copies["eve"])
    plan = plan_grading(course, [A])
    run = run_grading(course, plan, workers=2)
    return course, db_url, plan, run


def _grades(db_url: str, student: str) -> dict[tuple[str, str], tuple]:
    with Gradebook(db_url) as gb:
        submission = gb.find_submission(A, student)
        return {(nb.name, g.name): (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                for nb in submission.notebooks for g in nb.grades}


def _dump(db_url: str) -> dict:
    with Gradebook(db_url) as gb:
        return {(s.student_id, nb.name, g.name): (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                for s in gb.find_assignment(A).submissions for nb in s.notebooks for g in nb.grades}


def test_a_group_of_three_shares_one_case_one_grading_and_its_grades(team):
    course, db_url, plan, run = team
    assert sorted(s for s, _, _ in plan.to_grade) == ["alice", "eve"]  # once per group
    assert not run.failures, run.failures
    registry = read_registry(course)
    assert len({registry[A, s].variante for s in G1}) == 1 and registry[A, "bob"].graine == "groupe:G1"
    assert registry[A, "alice"].variante != registry[A, "dan"].variante

    alice, bob, chloe = (_grades(db_url, s) for s in G1)
    group_cells = [key for key in alice if key[0] == GROUP_NB]
    autos = [key for key in group_cells if alice[key][0] is not None]
    assert autos and sum(alice[key][0] for key in autos) > 0
    for member in (bob, chloe):
        assert {key: member[key][0] for key in group_cells} == {key: alice[key][0] for key in group_cells}
        assert member[(ORAL_NB, ORAL)][3] and member[(ORAL_NB, ORAL)][1] is None  # their own oral: pending
    for student in ("bob", "chloe"):
        assert (course.step("autograded") / student / A / f"{GROUP_NB}.ipynb").is_file()  # formgrader shows it

    # the trainer grades the group's copy, the jury each member's oral (as formgrader does)
    set_manual_grade(db_url, A, "alice", GROUP_NB, WRITTEN, 2.0, "Outils bien choisis.")
    set_manual_grade(db_url, A, "alice", ORAL_NB, ORAL, 1.0)
    set_manual_grade(db_url, A, "bob", ORAL_NB, ORAL, 2.0)
    propagate_groups(course, db_url, [A])
    assert _grades(db_url, "bob")[(GROUP_NB, WRITTEN)][1] == _grades(db_url, "chloe")[(GROUP_NB, WRITTEN)][1] == 2.0
    with Gradebook(db_url) as gb:
        assert gb.find_comment(WRITTEN, GROUP_NB, A, "chloe").manual_comment == "Outils bien choisis."
    orals = {s: _grades(db_url, s)[(ORAL_NB, ORAL)][1] for s in G1}
    assert orals == {"alice": 1.0, "bob": 2.0, "chloe": None}  # never propagated

    # rerun: the same gradebook
    before = _dump(db_url)
    propagate_groups(course, db_url, [A])
    assert _dump(db_url) == before

    # each member's grid: the group's points (automatic and manual) plus their own oral
    grid = competency_grid(course, db_url, [A]).set_index(["apprenant", "ce"])
    for student, oral in (("alice", 1.0), ("bob", 2.0)):
        row = grid.loc[(student, "CE4.1.3")]
        assert row["groupe"] == "G1" and row["part"] == PART_BOTH and row["points_individuels"] == oral
        assert row["points_groupe"] == grid.loc[("chloe", "CE4.1.3"), "points_groupe"]
        assert row["points"] == row["points_groupe"] + oral
    assert grid.loc[("chloe", "CE4.1.3"), "statut"] == PENDING  # the jury has not heard chloe yet
    assert grid.loc[("bob", "CE4.1.2"), "part"] == PART_GROUP and grid.loc[("bob", "CE4.1.2"), "points"] == 2.0
    assert grid.loc[("bob", "CE4.1.1"), "points"] == grid.loc[("alice", "CE4.1.1"), "points"] > 0  # automatic

    summary = write_competency_summary(course, db_url, A, "bob").read_text(encoding="utf-8")
    assert "groupe G1 : alice, bob, chloe" in summary and "soutenance individuelle" in summary
    reports = write_reports(course, [A])
    sheet = load_workbook(reports.workbook)[A]
    header = [c.value for c in sheet[1]]
    assert {"Groupe", "Part", "Points du groupe", "Points à l'oral"} <= set(header)
    bob_rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2) if "bob" in str(row[0].value)]
    assert any(r[header.index("CE")] == "CE4.1.3" and r[header.index("Points à l'oral")] == 2.0 for r in bob_rows)
    page = (course.root / "reports" / "apprenants").glob("*bob*.html")
    assert "groupe G1 : alice, bob, chloe" in next(page).read_text(encoding="utf-8")


def test_a_grade_entered_on_a_members_copy_is_never_overwritten_silently(team):
    course, db_url, _, _ = team
    set_manual_grade(db_url, A, "chloe", GROUP_NB, WRITTEN, 0.5)  # on chloe's copy of a group cell
    (result,) = propagate_groups(course, db_url, [A])
    (conflict,) = result.conflicts
    assert (conflict.student, conflict.grade_id) == ("chloe", WRITTEN)
    assert "« 0.5 » saisie sur la copie de chloe, « 2 » sur la copie du groupe G1" in conflict.message()
    assert _grades(db_url, "chloe")[(GROUP_NB, WRITTEN)][1] == 0.5  # kept
    # the group's grade changes: bob follows it, chloe's own grade still stands and is still reported
    set_manual_grade(db_url, A, "alice", GROUP_NB, WRITTEN, 3.0)
    (result,) = propagate_groups(course, db_url, [A])
    assert [c.student for c in result.conflicts] == ["chloe"]
    assert _grades(db_url, "bob")[(GROUP_NB, WRITTEN)][1] == 3.0
    assert _grades(db_url, "chloe")[(GROUP_NB, WRITTEN)][1] == 0.5
    # cleared on chloe's copy: she gets the group's
    set_manual_grade(db_url, A, "chloe", GROUP_NB, WRITTEN, None)
    (result,) = propagate_groups(course, db_url, [A])
    assert not result.conflicts and _grades(db_url, "chloe")[(GROUP_NB, WRITTEN)][1] == 3.0


def test_a_group_that_handed_in_twice_is_graded_once_on_its_latest_copy(team):
    course, db_url, _, _ = team
    state = GradingState.of(course)
    assert state.fingerprint("eve", A) and state.fingerprint("dan", A) is None  # dan's copy was never graded
    journal = pd.read_csv(journal_path(course))
    dan = journal[journal["apprenant"] == "dan"]
    assert list(dan["statut"]) == ["remplacé"]
    assert dan["remarques"].iloc[0].startswith("rendu remplacé par celui de eve")
    # dan's grades are the group's (eve's blank copy), not those of his own solved copy
    dan_grades, eve_grades = _grades(db_url, "dan"), _grades(db_url, "eve")
    assert {k: v[0] for k, v in dan_grades.items() if k[0] == GROUP_NB} == \
        {k: v[0] for k, v in eve_grades.items() if k[0] == GROUP_NB}
    alice_total = sum(v[0] or 0 for k, v in _grades(db_url, "alice").items() if k[0] == GROUP_NB)
    assert sum(v[0] or 0 for k, v in dan_grades.items() if k[0] == GROUP_NB) < alice_total
    write_reports(course, [A])  # this test's own pages: it never reads what another test wrote
    page = next((course.root / "reports" / "apprenants").glob("*dan*.html")).read_text(encoding="utf-8")
    assert "Le rendu de dan a été remplacé par celui de eve" in page


def test_a_learner_who_left_their_group_is_named_and_the_group_keeps_its_own_copy(team, monkeypatch, capsys):
    course, db_url, _, _ = team
    before = sum(v[0] or 0 for k, v in _grades(db_url, "dan").items() if k[0] == GROUP_NB)
    write_groups(course, Groups(A, {"G1": G1, "G2": ("dan",)}))  # eve left G2 after handing in
    monkeypatch.chdir(course.root)
    assert main(["grade", A, "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "Copies à corriger : 1" in out  # dan's copy, now his group's; alice's is unchanged
    assert "eve a rendu bloc4 mais n'est dans aucun groupe de bloc4" in " ".join(out.split())
    after = _grades(db_url, "dan")
    assert sum(v[0] or 0 for k, v in after.items() if k[0] == GROUP_NB) > before  # his own solved copy now
    journal = pd.read_csv(journal_path(course))
    assert "n'est dans aucun groupe" in journal[journal["apprenant"] == "eve"]["remarques"].iloc[0]
    assert _grades(db_url, "bob")[(GROUP_NB, WRITTEN)][1] == 3.0  # G1 untouched
