"""The README's table of the blocs is generated from the masters and kept fresh."""
from __future__ import annotations

import shutil

import nbformat

from mda_checks.assign.points_table import BEGIN, END, points_table, refresh_points_table
from mda_checks.notebook import cells
from tests.conftest import COURSE, REPO, copy_course


def test_the_committed_readme_holds_the_generated_table():
    """Run `mda build` after adding, removing or re-weighting a graded cell."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1
    assert refresh_points_table(COURSE, REPO / "README.md", write=False) is False
    assert "| 1 — Stratégie commerciale durable | 5 |" in points_table(COURSE)


def test_a_changed_weight_makes_the_table_stale_and_is_refreshed(tmp_path):
    course = copy_course(tmp_path)
    shutil.copy(REPO / "README.md", course.root / "README.md")
    path = course.source_notebooks("bloc2")[0]
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if cells.is_autograded_test(c))
    before = points_table(course)
    cell.metadata["nbgrader"]["points"] = cells.points(cell) + 1.5
    nbformat.write(notebook, path)
    assert points_table(course) != before and "58,5 points" in points_table(course)
    assert refresh_points_table(course, course.root / "README.md", write=False) is True
    assert refresh_points_table(course, course.root / "README.md") is True
    assert refresh_points_table(course, course.root / "README.md", write=False) is False
    assert points_table(course) in (course.root / "README.md").read_text(encoding="utf-8")


def test_a_readme_without_the_markers_is_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Mon cours\n", encoding="utf-8")
    assert refresh_points_table(COURSE, readme) is False and readme.read_text(encoding="utf-8") == "# Mon cours\n"
    assert refresh_points_table(COURSE, tmp_path / "absent.md") is False
