"""Grid headers are generated from the graded cell's points and criteria and the referentiel's words."""
from __future__ import annotations

import nbformat
import pytest

from mda_checks.assign.rubric_headers import graded_by_grid, refresh_rubrics, refreshed
from mda_checks.notebook import build, cells
from mda_checks.notebook.rubric import BEGIN, END, criterion_item
from mda_checks.referentiel import load_referentiel
from tests.conftest import ASSIGNMENTS, COURSE, copy_course


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_committed_masters_hold_the_generated_headers(assignment):
    """Run `mda build` after changing points, criteria or referentiel.json."""
    assert refresh_rubrics(COURSE, assignment, write=False) == []
    for notebook in COURSE.read_source(assignment).values():
        for grid, graded in graded_by_grid(notebook):
            assert grid.source.count(BEGIN) == 1 and grid.source.count(END) == 1
            for code in cells.ce_codes(graded):
                assert criterion_item(code) in grid.source


def test_every_answer_graded_by_hand_has_a_grid():
    for assignment in ASSIGNMENTS:
        for notebook in COURSE.read_source(assignment).values():
            manual = [c for c in notebook.cells if cells.is_manually_graded(c)]
            assert [graded for _, graded in graded_by_grid(notebook)] == manual


def test_a_criterion_written_as_a_list_in_the_referentiel_stays_a_list():
    text = load_referentiel().criterion("CE1.2.2").text
    item = criterion_item("CE1.2.2")
    assert item.startswith("- **CE1.2.2** — Le mapping concurrentiel") and "\n  - Un descriptif du marché-cible" in item
    assert [line.strip() for line in item.split("\n")[1:]] == [line.strip() for line in text.split("\n")[1:]]


@pytest.mark.parametrize("damage", ["points", "criterion", "wording", "marker"])
def test_a_stale_header_is_detected_and_refreshed(tmp_path, damage):
    course = copy_course(tmp_path)
    path = course.source_notebooks("bloc1")[0]
    notebook = nbformat.read(path, as_version=4)
    grid, graded = graded_by_grid(notebook)[0]
    if damage == "points":
        graded.metadata["nbgrader"]["points"] = 5
    elif damage == "criterion":
        graded.metadata["mda"]["ce"] = ["CE1.1.1", "CE1.1.6"]
    elif damage == "wording":  # a criterion re-typed by hand, a word off
        grid.source = grid.source.replace("sont actualisées", "sont à jour")
    else:
        grid.source = grid.source.replace(END, "")
    nbformat.write(notebook, path)
    assert refresh_rubrics(course, "bloc1", write=False) == [path]
    assert refresh_rubrics(course, "bloc1") == [path] and refresh_rubrics(course, "bloc1", write=False) == []
    grid, graded = graded_by_grid(nbformat.read(path, as_version=4))[0]
    assert f"{cells.points(graded):g} point(s)" in grid.source and "sont à jour" not in grid.source
    assert all(criterion_item(code) in grid.source for code in cells.ce_codes(graded))
    assert "Ce qui rapporte les points" in grid.source  # the hand-written part is kept


def test_cells_built_by_code_are_already_fresh():
    notebook = build.notebook([build.rubric("g", ["CE1.1.2"], 1, ["1 point : x"]), build.manual("m", "r", 1, ["CE1.1.2"]),
                               build.jury_task("j", ["CE1.1.3"], 3, ["1 point : y"], "jeu de rôle")])
    for grid, graded in graded_by_grid(notebook):
        assert refreshed(grid, graded) == grid.source
