"""A trainer's day in formgrader: a graded submission's manual grading page, a grade and a comment,
then the same grade in `mda report`'s exports and the comment in the gradebook."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from mda_checks.grade.manual import set_manual_grade  # noqa: E402
from mda_checks.notebook import cells  # noqa: E402
from tests.browser.conftest import BLOC  # noqa: E402
from tests.e2e.harness import SLIPS  # noqa: E402

pytestmark = [pytest.mark.xdist_group("bloc2")]

COMMENT = "Décision argumentée ; chiffrez le coût de service des clients non rentables."
REPORT_TIMEOUT = 300


def chart_notebook(course, student: str) -> tuple[str, nbformat.NotebookNode]:
    """The first graded notebook of `student` that keeps a chart (inline PNG) and has a written answer."""
    for path in sorted((course.root / "autograded" / student / BLOC).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        charts = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
        if charts and any(cells.is_manually_graded(c) and c.cell_type == "markdown" for c in nb.cells):
            return path.stem, nb
    raise AssertionError(f"aucun carnet corrigé de {student} ({BLOC}) avec un graphique et une réponse écrite")


def jury_notebook(course) -> tuple[str, list[str]]:
    for name, nb in course.read_source(BLOC).items():
        tasks = [cells.grade_id(c) for c in nb.cells if cells.is_task(c)]
        if tasks:
            return name, tasks
    raise AssertionError(f"{BLOC} n'a pas de grille du jury")


def submission_page(gb: Gradebook, notebook: str, student: str) -> str:
    return f"formgrader/submissions/{gb.find_submission_notebook(notebook, BLOC, student).id}/"


def by_id(page, element: str, identifier: str):
    return page.locator(f"{element}[id='{identifier}']")


def run_report(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(Path(sys.executable).parent / "mda"), "report", BLOC], cwd=root, env=env,
                          capture_output=True, text=True, timeout=REPORT_TIMEOUT)


def test_a_trainer_grades_a_written_answer_in_formgrader_and_finds_it_in_the_reports(course_lab, page, shots):
    course, server = course_lab.graded.course, course_lab.server
    db_url = course_lab.graded.db_url
    notebook, graded_nb = chart_notebook(course, SLIPS)
    written = next(c for c in graded_nb.cells if cells.is_manually_graded(c) and c.cell_type == "markdown")
    grade_id, maximum = cells.grade_id(written), cells.points(written)
    score = maximum - 0.5
    jury_name, jury_tasks = jury_notebook(course)
    with Gradebook(db_url) as gb:
        before = gb.find_submission(BLOC, SLIPS).score
        pending = gb.find_grade(grade_id, notebook, BLOC, SLIPS)
        assert pending.needs_manual_grade and pending.manual_score is None
        grading_page, jury_page = submission_page(gb, notebook, SLIPS), submission_page(gb, jury_name, SLIPS)

    try:
        response = page.goto(server.url("formgrader"))
        assert response.ok, response.status
        expect(page.locator("#main-table tr", has_text=BLOC)).to_be_visible()  # the assignments, listed by script
        shots("formgrader-devoirs")

        # the manual grading page (HTTP 500 when a global HTMLExporter.template_name replaced « formgrade »)
        response = page.goto(server.url(grading_page))
        assert response.status == 200, response.status
        expect(page.locator("body")).to_contain_text("Grille de correction")
        expect(page.locator("body")).to_contain_text("notée par le formateur")
        chart = page.locator("img[src^='data:image/png']").first
        expect(chart).to_be_visible()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the learner's chart is not drawn"
        chart.scroll_into_view_if_needed()
        shots("graphique-de-l-apprenant")

        # a grade and a comment, saved by formgrader as the trainer leaves each field
        field = by_id(page, "input", grade_id)
        field.scroll_into_view_if_needed()
        expect(field).to_have_value("")
        with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
            field.fill(f"{score:g}")
            field.press("Tab")
        assert saved.value.ok and saved.value.json()["manual_score"] == score
        comment = by_id(page, "textarea", f"{grade_id}-comment")
        with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT") as saved:
            comment.fill(COMMENT)
            comment.press("Tab")
        assert saved.value.ok and saved.value.json()["manual_comment"] == COMMENT
        field.scroll_into_view_if_needed()
        shots("note-et-commentaire")

        # back on the page later: formgrader shows what was saved
        page.reload()
        expect(by_id(page, "input", grade_id)).to_have_value(f"{score:g}")
        expect(by_id(page, "textarea", f"{grade_id}-comment")).to_have_value(COMMENT)

        # the jury's grids of the oral role plays, on their own grading page
        response = page.goto(server.url(jury_page))
        assert response.status == 200, response.status
        expect(page.locator("body")).to_contain_text("Grille du jury")
        jury = by_id(page, "input", jury_tasks[0])
        expect(jury).to_have_count(1)
        jury.scroll_into_view_if_needed()
        shots("grille-du-jury")

        # the comment in the gradebook, the grade in `mda report`'s exports
        with Gradebook(db_url) as gb:
            assert gb.find_comment(grade_id, notebook, BLOC, SLIPS).manual_comment == COMMENT
            assert gb.find_grade(grade_id, notebook, BLOC, SLIPS).manual_score == score
        report = run_report(course.root)
        assert report.returncode == 0, report.stdout + report.stderr
        with (course.root / "exports" / "notes_nbgrader.csv").open(encoding="utf-8") as export:
            rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(export)}
        assert float(rows[SLIPS, BLOC]["score"]) == pytest.approx(before + score)
        cell = f"{notebook}:{grade_id}"
        with (course.root / "exports" / "grille_competences.csv").open(encoding="utf-8") as grid:
            criteria = [r for r in csv.DictReader(grid)
                        if r["apprenant"] == SLIPS and cell in r["cellules"].split(", ")]
        assert criteria, f"{cell} n'évalue aucun critère de la grille"
        with Gradebook(db_url) as gb:
            scores = {f"{nb.name}:{g.name}": g.score or 0.0
                      for nb in gb.find_submission(BLOC, SLIPS).notebooks for g in nb.grades}
        assert scores[cell] == score
        for row in criteria:  # each criterion the cell assesses counts the manual grade with its other cells
            assert float(row["points"]) == pytest.approx(sum(scores.get(c, 0.0) for c in row["cellules"].split(", ")))
        # the learner's page of the report: the criterion the written answer assesses
        learner_page = course.root / "reports" / "apprenants" / f"{SLIPS}.html"
        page.goto(learner_page.as_uri())
        criterion = page.get_by_text(criteria[0]["ce"], exact=True).first
        expect(criterion).to_be_visible()
        criterion.scroll_into_view_if_needed()
        shots("rapport-de-l-apprenant")
    finally:
        # the graded course is shared with the e2e tests of the bloc: leave it as it was
        set_manual_grade(db_url, BLOC, SLIPS, notebook, grade_id, None)
        with Gradebook(db_url) as gb:
            gb.find_comment(grade_id, notebook, BLOC, SLIPS).manual_comment = None
            gb.db.commit()
