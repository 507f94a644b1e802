"""Authoring rules of the master notebooks (source/), read from their cell metadata."""
import re

import pytest

from mda_checks.scoring.answer_spec import read_spec
from mda_checks.notebook import cells
from mda_checks.scoring.reference import load_reference
from tests.conftest import ASSIGNMENTS, COURSE

RUBRIC_POINTS = re.compile(r"\*\*Grille (?:de correction|du jury) — ([\d,]+) point")


def all_cells(assignment):
    for name, notebook in COURSE.read_source(assignment).items():
        for index, cell in enumerate(notebook.cells):
            yield name, notebook, index, cell


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_masters_are_stored_without_outputs(assignment):
    for name, _, _, cell in all_cells(assignment):
        assert not cell.get("outputs") and not cell.get("execution_count"), name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_check_cell_is_read_by_the_grader_and_has_its_reference_answer(assignment):
    """Two-phase grading: a check cell holds no hidden test, only an answer kind the grader can read."""
    reference = load_reference(COURSE.root, assignment).reference
    graded = []
    for name, _, _, cell in all_cells(assignment):
        if cells.is_autograded_test(cell):
            where = f"{name}:{cells.grade_id(cell)}"
            assert "HIDDEN TESTS" not in cell.source and "mda_reference" not in cell.source, where
            assert read_spec(cell.source).label, where
            assert cells.points(cell) > 0, where
            graded.append(cells.grade_id(cell))
    assert sorted(graded) == reference.keys()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_cells_keep_a_placeholder_outside_the_solution(assignment):
    for name, _, _, cell in all_cells(assignment):
        if cells.is_solution(cell) and cell.cell_type == "code":
            before = cell.source.split("### BEGIN SOLUTION")[0]
            assert "### BEGIN SOLUTION" in cell.source and re.search(r"=\s*\.\.\.", before), \
                f"{name}:{cells.grade_id(cell)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_manual_answer_follows_its_rubric(assignment):
    for name, notebook, index, cell in all_cells(assignment):
        if not cells.is_manually_graded(cell):
            continue
        where = f"{name}:{cells.grade_id(cell)}"
        # a jury grid (task cell) carries its own grid; a written answer follows its rubric cell
        rubric = cell if cells.is_task(cell) else notebook.cells[index - 1]
        assert cells.is_locked(rubric) and rubric.cell_type == "markdown", where
        match = RUBRIC_POINTS.search(rubric.source)
        assert match and float(match.group(1).replace(",", ".")) == cells.points(cell), where
        for code in cells.ce_codes(cell):
            assert f"**{code}**" in rubric.source, f"{where} rubric does not quote {code}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_workbook_ends_with_vérifier_mon_carnet(assignment):
    """The learner's last step before submitting: a locked cell that lists what is left to do."""
    for name, notebook in COURSE.read_source(assignment).items():
        last = notebook.cells[-1]
        assert last.cell_type == "code" and "verifier_carnet()" in last.source, name
        assert last.metadata["nbgrader"]["locked"] and not last.metadata["nbgrader"]["grade"], name
        assert "Vérifier mon carnet".lower() in notebook.cells[-2].source.lower(), name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_carried_input_is_graded_by_an_earlier_check_of_the_notebook(assignment):
    """The grader takes a carried check's inputs from the earlier check cells' hand-overs: each must exist."""
    for name, notebook in COURSE.read_source(assignment).items():
        graded_above = set()
        for cell in notebook.cells:
            if cells.is_autograded_test(cell):
                spec = read_spec(cell.source)
                missing = [variable for _, variable in spec.carried_from if variable not in graded_above]
                assert not missing, f"{name}:{cells.grade_id(cell)} carried on {missing}, graded by no check above"
                graded_above.add(spec.variable)
