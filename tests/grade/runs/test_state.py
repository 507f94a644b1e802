"""The grader fingerprint covers the code that grades: the trainer's package and the learner runtime."""
from __future__ import annotations

from pathlib import Path

import mda_apprenant
import mda_checks
from mda_checks.course import Course
from mda_checks.grade.runs import state
from mda_checks.grade.runs.state import code_folders, grader_fingerprint


def test_the_code_folders_are_both_installed_packages():
    assert code_folders() == [("checks", Path(mda_checks.__file__).resolve().parent),
                              ("apprenant", Path(mda_apprenant.__file__).resolve().parent)]


def test_a_change_in_either_package_changes_the_grader_fingerprint(tmp_path, monkeypatch):
    """A learner runtime edited (an answer kind's hand-over) grades anew, as an edited scorer does."""
    course = Course(tmp_path / "cours")
    (course.source / "bloc1").mkdir(parents=True)
    folders = {label: tmp_path / label for label in ("checks", "apprenant")}
    for folder in folders.values():
        folder.mkdir()
        (folder / "module.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(state, "code_folders", lambda: list(folders.items()))
    before = grader_fingerprint(course, "bloc1")
    assert grader_fingerprint(course, "bloc1") == before
    for folder in folders.values():
        (folder / "module.py").write_text("X = 2\n", encoding="utf-8")
        after = grader_fingerprint(course, "bloc1")
        assert after != before
        before = after
