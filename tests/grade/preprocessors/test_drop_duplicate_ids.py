"""A cell the learner copied: only its last copy is graded, by plain `nbgrader autograde` too."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import DeduplicateIds

from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.preprocessors.drop_duplicate_ids import DropDuplicateIds
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import build, cells
from tests.grade.helpers import trimmed_course

ASSIGNMENT = "bloc1"
COPIED = ("reponse_nb_doublons", "nb_doublons")  # an answer cell and its check cell


def _duplicated() -> nbformat.NotebookNode:
    first = build.autotest("verif", "verification = 1", 2.0, ["CE1.1.1"])
    return build.notebook([build.answer("reponse", "x = 1"), copy.deepcopy(first), build.code("y = 2"), first])


def _nbgrader_ids(notebook) -> list[str | None]:
    return [cell.metadata["nbgrader"]["grade_id"] if "nbgrader" in cell.metadata else None for cell in notebook.cells]


def test_the_earlier_copy_becomes_a_plain_cell_and_the_last_one_is_kept():
    notebook, _ = DropDuplicateIds().preprocess(_duplicated(), {})
    assert _nbgrader_ids(notebook) == ["reponse", None, None, "verif"]
    assert notebook.cells[1].source == notebook.cells[3].source  # the copy itself stays, as a plain cell


def test_nbgraders_own_step_leaves_the_empty_metadata_this_step_removes():
    """The reason for the step: nbgrader's DeduplicateIds leaves ``nbgrader: {}``, refused further on."""
    notebook, _ = DeduplicateIds().preprocess(_duplicated(), {})
    assert notebook.cells[1].metadata["nbgrader"] == {}


def test_a_cell_without_duplicate_and_a_learners_own_empty_metadata_are_left_as_they_are():
    notebook = _duplicated()
    del notebook.cells[1]
    notebook.cells[1].metadata["nbgrader"] = {}  # not a copy: left to nbgrader's check
    before = json.loads(json.dumps(notebook))
    after, _ = DropDuplicateIds().preprocess(notebook, {})
    assert json.loads(json.dumps(after)) == before


def _with_copied_cells(course) -> dict[str, nbformat.NotebookNode]:
    notebooks = solved_submission(course, ASSIGNMENT)
    notebook = next(nb for nb in notebooks.values() if any(cells.grade_id(c) == COPIED[1] for c in nb.cells))
    for grade_id in COPIED:
        index = next(i for i, c in enumerate(notebook.cells) if cells.grade_id(c) == grade_id)
        notebook.cells.insert(index, nbformat.from_dict(json.loads(json.dumps(notebook.cells[index]))))
    return notebooks


def _score(course, student: str) -> tuple[float, float]:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        grade = next(g for nb in submission.notebooks for g in nb.grades if g.name == COPIED[1])
        return grade.score, grade.max_score


def test_plain_nbgrader_autograde_grades_the_last_copy_and_fails_without_the_step():
    course = trimmed_course("doublons")
    for student in ("apprenant-doublons", "apprenant-temoin"):
        write_submission(course, student, ASSIGNMENT, _with_copied_cells(course))
    plain = subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "autograde", ASSIGNMENT,
                            "--student", "apprenant-doublons", "--force"],
                           cwd=course.root, capture_output=True, text=True, timeout=1800)
    assert plain.returncode == 0, plain.stdout[-3000:] + plain.stderr[-3000:]
    score, points = _score(course, "apprenant-doublons")
    assert points > 0 and score == points

    # the control: nbgrader's own DeduplicateIds in the same place makes the whole notebook fail
    sanitize = [name.replace("mda_checks.grade.preprocessors.drop_duplicate_ids.DropDuplicateIds",
                             "nbgrader.preprocessors.DeduplicateIds")
                for name in course_api(course.root).config.Autograde.sanitize_preprocessors]
    assert "nbgrader.preprocessors.DeduplicateIds" in sanitize
    without = course_api(course.root, Autograde={"sanitize_preprocessors": sanitize})
    result = without.autograde(ASSIGNMENT, "apprenant-temoin", force=True)
    assert not result["success"] and "grade_id" in (result.get("log") or "") + (result.get("error") or "")
