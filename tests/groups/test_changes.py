"""`mda groupes` adds or updates by default, replaces only when asked, shows the change first and keeps the
former groupes.csv, dated."""
from __future__ import annotations

from datetime import datetime

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.groups.changes import HISTORY, back_up_groups, compare, merged
from mda_checks.groups.importing import apply_groups, import_groups, plan_groups
from mda_checks.groups.roster import Groups, groups_path, read_groups, write_groups
from tests.groups.test_roster import known_gradebook, write

BEFORE = Groups("bloc4", {"G1": ("alice", "bob"), "G2": ("chloe", "dan")})


def test_a_late_group_is_added_and_nobody_else_is_ungrouped():
    late = Groups("bloc4", {"G3": ("eve",)})
    result = merged(BEFORE, late)
    assert result.members == {"G1": ("alice", "bob"), "G2": ("chloe", "dan"), "G3": ("eve",)}
    change = compare(BEFORE, result)
    assert change.new_groups == ["G3"] and change.added == [("eve", "G3")] and not change.moved and not change.removed
    assert change.unchanged == 4 and change.lines()[1] == "  + nouveau groupe G3 : eve"


def test_a_learner_moved_to_another_group_is_a_change_and_an_emptied_group_disappears():
    result = merged(BEFORE, Groups("bloc4", {"G2": ("alice", "bob")}))
    assert result.members == {"G2": ("chloe", "dan", "alice", "bob")}
    change = compare(BEFORE, result)
    assert change.moved == [("alice", "G1", "G2"), ("bob", "G1", "G2")] and change.removed_groups == ["G1"]
    text = "\n".join(change.lines())
    assert "alice change de groupe : G1 → G2" in text and "groupe G1 supprimé (plus aucun membre)" in text


def test_replacing_removes_whoever_the_file_leaves_out():
    change = compare(BEFORE, Groups("bloc4", {"G1": ("alice", "bob")}))
    assert change.removed == [("chloe", "G2"), ("dan", "G2")] and change.removed_groups == ["G2"]
    assert "chloe quitte le groupe G2 et n'est plus dans aucun groupe" in "\n".join(change.lines())
    assert compare(BEFORE, BEFORE).empty and compare(BEFORE, BEFORE).lines()[0].startswith("Aucun changement")


def test_every_change_keeps_the_former_file_dated_and_never_overwrites_an_earlier_copy(tmp_path):
    course, db_url = Course(tmp_path), known_gradebook(tmp_path)
    assert back_up_groups(course) is None  # nothing to keep yet
    first = import_groups(course, db_url, write(tmp_path, "groupe;apprenant\nG1;alice\nG1;bob\n", "a.csv"), "bloc4")
    assert first.backup is None and read_groups(course, "bloc4").members == {"G1": ("alice", "bob")}
    written = groups_path(course).read_bytes()
    second = import_groups(course, db_url, write(tmp_path, "groupe;apprenant\nG2;chloe\n", "b.csv"), "bloc4")
    assert second.backup.parent == tmp_path / HISTORY and second.backup.read_bytes() == written
    assert second.backup.name.startswith("groupes-") and read_groups(course, "bloc4").members == {
        "G1": ("alice", "bob"), "G2": ("chloe",)}
    when = datetime(2026, 12, 7, 10, 15)
    same_second = [back_up_groups(course, when), back_up_groups(course, when)]
    assert [p.name for p in same_second] == ["groupes-20261207-101500.csv", "groupes-20261207-101500-2.csv"]
    again = import_groups(course, db_url, tmp_path / "b.csv", "bloc4")  # no change: nothing written, no copy
    assert again.change.empty and again.backup is None


def test_simulation_shows_the_change_and_writes_nothing(tmp_path, monkeypatch, capsys):
    import shutil

    from tests.conftest import COURSE

    for name in ("source", "nbgrader_config.py"):
        (shutil.copytree if name == "source" else shutil.copy)(COURSE.root / name, tmp_path / name)
    known_gradebook(tmp_path)
    course = Course(tmp_path)
    write_groups(course, BEFORE)
    before = groups_path(course).read_bytes()
    write(tmp_path, "groupe;apprenant\nG2;alice\nG3;eve\n", "g.csv")
    monkeypatch.chdir(tmp_path)
    assert main(["groupes", "g.csv", "--simulation"]) == 0
    out = capsys.readouterr().out
    assert "alice change de groupe : G1 → G2" in out and "nouveau groupe G3 : eve" in out
    assert "Simulation : rien n'a été écrit" in out
    assert groups_path(course).read_bytes() == before and not (tmp_path / HISTORY).exists()
    assert main(["groupes", "g.csv", "--remplacer"]) == 2  # learners leave their group: no terminal, no --oui
    said = capsys.readouterr()
    assert "bob quitte le groupe G1" in said.out and "remplace tous les groupes du devoir" in said.out
    assert "confirmation impossible sans terminal" in said.err and "--oui" in said.err
    assert groups_path(course).read_bytes() == before and not (tmp_path / HISTORY).exists()
    assert main(["groupes", "g.csv", "--remplacer", "--oui"]) == 0
    out = capsys.readouterr().out
    assert "bob quitte le groupe G1" in out and "remplace tous les groupes du devoir" in out
    assert read_groups(course, "bloc4").members == {"G2": ("alice",), "G3": ("eve",)}
    assert next((tmp_path / HISTORY).iterdir()).read_bytes() == before


def _course_with_groups(tmp_path):
    import shutil

    from tests.conftest import COURSE

    for name in ("source", "nbgrader_config.py"):
        (shutil.copytree if name == "source" else shutil.copy)(COURSE.root / name, tmp_path / name)
    known_gradebook(tmp_path)
    course = Course(tmp_path)
    write_groups(course, BEFORE)
    return course


def test_computing_the_change_writes_nothing_and_applying_it_writes_what_was_shown(tmp_path):
    course = _course_with_groups(tmp_path)
    before = groups_path(course).read_bytes()
    plan = plan_groups(course, f"sqlite:///{tmp_path / 'gradebook.db'}",
                       write(tmp_path, "groupe;apprenant\nG2;alice\n", "g.csv"), "bloc4")
    assert not plan.applied and plan.needs_confirmation and plan.change.moved == [("alice", "G1", "G2")]
    assert groups_path(course).read_bytes() == before and not (tmp_path / HISTORY).exists()
    done = apply_groups(course, plan)
    assert done.applied and done.backup.read_bytes() == before
    assert read_groups(course, "bloc4").members == plan.groups.members
    late = plan_groups(course, f"sqlite:///{tmp_path / 'gradebook.db'}",
                       write(tmp_path, "groupe;apprenant\nG3;eve\n", "h.csv"), "bloc4")
    assert not late.needs_confirmation  # a learner added to a new group: nobody leaves or moves


def test_a_move_is_applied_only_once_the_trainer_says_yes(tmp_path, monkeypatch, capsys):
    course = _course_with_groups(tmp_path)
    before = groups_path(course).read_bytes()
    write(tmp_path, "groupe;apprenant\nG2;alice\n", "g.csv")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    questions = []
    answers = iter(["", "o"])
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or next(answers))
    assert main(["groupes", "g.csv"]) == 1  # Enter: no
    out = capsys.readouterr().out
    assert out.index("alice change de groupe : G1 → G2") < out.index("Rien n'a été écrit")
    assert groups_path(course).read_bytes() == before and not (tmp_path / HISTORY).exists()
    assert main(["groupes", "g.csv"]) == 0
    assert questions == ["Appliquer ces changements ? [o/N] "] * 2
    assert read_groups(course, "bloc4").members == {"G1": ("bob",), "G2": ("chloe", "dan", "alice")}
    assert "Ancien groupes.csv sauvegardé" in capsys.readouterr().out
    write(tmp_path, "groupe;apprenant\nG3;eve\n", "h.csv")  # nobody moves: no question
    assert main(["groupes", "h.csv"]) == 0 and len(questions) == 2
