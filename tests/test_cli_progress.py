"""`mda release` and `mda feedback` show their progress copy by copy, from the start (never one line, then
nothing for a minute): each copy written moves the bar and names its learner on the trainer's console."""
from __future__ import annotations

import re

import pytest

from mda_checks.cli import main
from mda_checks.referentiel import bloc_label
from tests.demo.test_copy import BLOC_ID
from tests.grade.helpers import trimmed_course

LEARNERS = ("a.martin", "b.lefevre", "c.durand")
#: the console's control sequences (a terminal redraws the bar in place)
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _terminal_run(monkeypatch, capsys, root, *argv) -> tuple[int, str]:
    """`mda ARGV` as on a trainer's terminal (rich draws its live bar; here into the captured output)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(root)
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, CONTROL.sub("", captured.out + captured.err)


def _steps(out: str, what: str) -> list[tuple[str, int, int]]:
    """(learner, done, total) of every drawing of the bar `what` (« what (learner …) … done/total »)."""
    return [(learner, int(done), int(total)) for learner, done, total in
            re.findall(rf"{re.escape(what)} \(([a-z.]+)[^)]*\)\s.*?(\d+)/(\d+)", out)]


def _assert_one_step_per_copy(steps: list[tuple[str, int, int]]) -> None:
    assert {total for _, _, total in steps} == {len(LEARNERS)}, steps
    assert {done for _, done, _ in steps} == set(range(1, len(LEARNERS) + 1)), steps
    assert {learner for learner, _, _ in steps} == set(LEARNERS), steps  # each copy names its learner


@pytest.mark.parametrize("workers", ["1", "2"])
def test_mda_release_shows_each_personal_copy_as_it_is_written(monkeypatch, capsys, workers):
    course = trimmed_course("progression-release")
    roster = course.root / "apprenants.csv"
    roster.write_text("id,nom,prénom,e-mail\n" + "".join(f"{s},Nom,Prénom,\n" for s in LEARNERS), encoding="utf-8")
    status, out = _terminal_run(monkeypatch, capsys, course.root, "release", "bloc1", "--apprenants", str(roster),
                                "--workers", workers)
    assert status == 0, out
    assert out.index("Publication de") < out.index("Échange nbgrader : copie commune")  # the bar from the start
    _assert_one_step_per_copy(_steps(out, "Copies personnelles"))
    assert f"{bloc_label('bloc1')} : 3 copie(s) personnelle(s) écrite(s)" in " ".join(out.split())
    commands = re.sub(r"(mda release|fetch_assignment) bloc1\b", "", out)  # the id as a command's argument
    assert not BLOC_ID.search(commands), out  # everywhere else, the bloc by its title


def test_mda_feedback_shows_each_copy_as_its_feedback_is_written(monkeypatch, capsys):
    course = trimmed_course("progression-retours")
    for student in LEARNERS:  # three graded copies (their pages fail: no grades; progress is what is tested)
        (course.step("autograded") / student / "bloc1").mkdir(parents=True)
    status, out = _terminal_run(monkeypatch, capsys, course.root, "feedback", "bloc1", "--workers", "2")
    assert out.index("Préparation") < out.index("Retours aux apprenants")
    steps = _steps(out, "Retours aux apprenants")
    _assert_one_step_per_copy(steps)
    assert f"· {bloc_label('bloc1')}" in out and status in (0, 1), out
