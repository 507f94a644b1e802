"""A learner's HTML through `mda grade` and `mda feedback`: nbgrader's checksums still decide which answer
waits for a grade, and nothing active reaches the graded notebook, formgrader's page or a feedback page."""
from __future__ import annotations

import re
from functools import cache

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbgrader.api import Gradebook

from mda_checks.formgrader_csp import page_script, script_hash
from mda_checks.nbgrader_api import course_config
from mda_checks.notebook import cells
from tests.grade.hostile_html import (ANSWER_TEXT, ASSIGNMENT, HONEST, HOSTILE, UNCHANGED, HostileCourse, dangers,
                                      graded_honest_alone, graded_hostile_course)

pytestmark = [pytest.mark.xdist_group("learner-html")]


@cache
def graded() -> HostileCourse:
    return graded_hostile_course("learner-html")


def graded_notebooks(student: str) -> dict[str, nbformat.NotebookNode]:
    folder = graded().course.step("autograded") / student / ASSIGNMENT
    return {path.stem: nbformat.read(path, as_version=4) for path in sorted(folder.glob("*.ipynb"))}


def learner_parts(html: str, nb: nbformat.NotebookNode) -> list:
    """The rendered markdown and outputs of every cell but the check cells (whose messages ScoreAnswers writes)."""
    shown = BeautifulSoup(html, "html.parser").select("div.cell")
    assert len(shown) == len(nb.cells)  # one per cell, raw cells included
    return [part for cell, element in zip(nb.cells, shown) if not cells.is_autograded_test(cell)
            for part in element.select(".text_cell_render, .output_subarea")]


def test_an_unchanged_answer_scores_0_and_a_changed_one_waits_for_its_manual_grade():
    course = graded()
    solutions = {(name, cells.grade_id(c)) for name, nb in course.course.read_source(ASSIGNMENT).items()
                 for c in nb.cells if cells.is_solution(c) and cells.is_grade(c) and c.cell_type == "markdown"}
    assert len(solutions) == course.answers
    with Gradebook(course.db_url) as gb:
        for name, grade_id in solutions:
            unchanged = gb.find_grade(grade_id, name, ASSIGNMENT, UNCHANGED)
            assert (unchanged.auto_score, unchanged.needs_manual_grade) == (0, False), grade_id
            written = gb.find_grade(grade_id, name, ASSIGNMENT, HOSTILE)
            assert (written.manual_score, written.needs_manual_grade) == (None, True), grade_id
    for nb in graded_notebooks(UNCHANGED).values():  # sanitized too, after the checksums were compared
        answers = [c for c in nb.cells if cells.is_solution(c) and c.cell_type == "markdown"]
        assert answers and all(c.source.startswith("<div><p>VOTRE RÉPONSE ICI</p>") for c in answers)


def test_the_graded_notebooks_hold_nothing_active_and_keep_the_statements():
    course = graded()
    released = {path.stem: nbformat.read(path, as_version=4)
                for path in sorted((course.course.root / "release" / ASSIGNMENT).glob("*.ipynb"))}
    seen = 0
    for name, nb in graded_notebooks(HOSTILE).items():
        statements = {cells.grade_id(c): c.source for c in released[name].cells if cells.is_locked(c)}
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cells.is_locked(cell) and cells.grade_id(cell):
                assert cell.source == statements[cells.grade_id(cell)]  # the trainer's text, as released
            elif cell.cell_type == "markdown":
                assert dangers(markdown2html_mistune(cell.source)) == [], (name, cells.grade_id(cell))
                seen += ANSWER_TEXT.format(n=1) in cell.source
            elif cell.cell_type == "raw":
                assert dangers(cell.source) == [], name
            elif not cells.is_autograded_test(cell):
                for output in cell.get("outputs", []):
                    assert dangers(output.get("data", {}).get("text/html", "")) == [], name
    assert seen == 1


def test_formgraders_page_shows_each_answer_with_its_one_inline_script():
    course = graded()
    config = course_config(course.course.root)
    config.HTMLExporter.template_name = "formgrade"  # what formgrader's extension asks for
    exporter = HTMLExporter(config=config)
    shown = 0
    for name, nb in graded_notebooks(HOSTILE).items():
        resources = {"assignment_id": ASSIGNMENT, "notebook_id": name, "submission_id": "0" * 32, "index": 0,
                     "total": 2, "base_url": "", "student": HOSTILE, "last_name": None, "first_name": None,
                     "notebook_path": f"autograded/{HOSTILE}/{ASSIGNMENT}/{name}.ipynb"}
        path = course.course.step("autograded") / HOSTILE / ASSIGNMENT / f"{name}.ipynb"
        html, _ = exporter.from_filename(str(path), resources=resources)
        for part in learner_parts(html, nb):
            assert dangers(part.decode_contents()) == [], name
        shown += sum(ANSWER_TEXT.format(n=n) in html for n in range(1, course.answers + 1))
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert [script_hash(s) for s in inline] == [script_hash(page_script())]
        assert script_hash(page_script()) in BeautifulSoup(html, "html.parser").find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert shown == course.answers


def test_the_feedback_pages_show_each_answer_run_no_script_and_forbid_any():
    course = graded()
    folder = course.course.step("feedback") / HOSTILE / ASSIGNMENT
    shown = 0
    for name, nb in graded_notebooks(HOSTILE).items():
        html = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert "<script" not in html.lower()
        policy = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert "default-src 'none'" in policy["content"] and "script-src" not in policy["content"]
        for part in learner_parts(html, nb):
            assert dangers(part.decode_contents()) == [], name
        shown += sum(ANSWER_TEXT.format(n=n) in html for n in range(1, course.answers + 1))
    assert shown == course.answers


def _grades(course: HostileCourse, student: str) -> dict[tuple[str, str], tuple]:
    """(notebook, grade id) -> (automatic score, manual score, waits for a manual grade) of every grade cell."""
    with Gradebook(course.db_url) as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        return {(nb.name, grade.name): (grade.auto_score, grade.manual_score, grade.needs_manual_grade)
                for nb in submission.notebooks for grade in nb.grades}


def test_an_honest_learner_graded_beside_the_corpus_gets_the_grades_it_gets_alone():
    beside, alone = _grades(graded(), HONEST), _grades(graded_honest_alone("learner-html-seul"), HONEST)
    assert beside == alone
    assert any(auto for auto, _, _ in beside.values()), beside  # it did earn points: the comparison is not empty
