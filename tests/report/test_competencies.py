"""Status rules of the competency grid, and the grid computed from a gradebook's cells."""
import pytest

from mda_checks.config import ACQUIRED_THRESHOLD
from mda_checks.coverage import AUTO, MANUAL, Coverage, GradedCell
from mda_checks.referentiel import Criterion
from mda_checks.report.competencies import (
    ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING, CellScore, criteria_rows, criterion_status,
)


@pytest.mark.parametrize("points, maximum, pending, status", [
    (ACQUIRED_THRESHOLD * 4, 4, False, ACQUIRED),          # exactly the threshold: acquired
    (ACQUIRED_THRESHOLD * 4 - 0.01, 4, False, NOT_ACQUIRED),
    (4, 4, False, ACQUIRED),
    (0, 4, False, NOT_ACQUIRED),
    (4, 4, True, PENDING),                                 # a missing manual grade wins over the points
    (0, 0, False, NOT_ASSESSED),
])
def test_status_follows_the_threshold_and_pending_manual_grades(points, maximum, pending, status):
    assert criterion_status(points, maximum, pending) == status


def test_threshold_comes_from_the_one_configuration_place():
    assert criterion_status(3, 4, False, threshold=0.8) == NOT_ACQUIRED
    assert criterion_status(3, 4, False, threshold=0.75) == ACQUIRED


def _coverage():
    criteria = tuple(Criterion(code, f"libellé {code}", "C9.1") for code in ("CE9.1.1", "CE9.1.2", "CE9.1.3"))
    cells = (GradedCell("nb", "q1", 2, AUTO, ("CE9.1.1",)),
             GradedCell("nb", "q2", 2, AUTO, ("CE9.1.1", "CE9.1.2")),
             GradedCell("nb", "ecrit", 3, MANUAL, ("CE9.1.2",)))
    return Coverage("bloc9", criteria, cells)


def test_a_cell_counts_fully_for_each_criterion_it_declares():
    scores = {("nb", "q1"): CellScore("nb", "q1", 2, 2, False), ("nb", "q2"): CellScore("nb", "q2", 1, 2, False),
              ("nb", "ecrit"): CellScore("nb", "ecrit", 0, 3, True)}
    rows = {r["ce"]: r for r in criteria_rows(_coverage(), "alice", scores)}
    assert (rows["CE9.1.1"]["points"], rows["CE9.1.1"]["points_max"], rows["CE9.1.1"]["statut"]) == (3, 4, ACQUIRED)
    assert (rows["CE9.1.2"]["points"], rows["CE9.1.2"]["points_max"], rows["CE9.1.2"]["statut"]) == (1, 5, PENDING)
    assert rows["CE9.1.3"]["statut"] == NOT_ASSESSED


def test_once_the_manual_grade_is_in_the_criterion_is_decided():
    scores = {("nb", "q1"): CellScore("nb", "q1", 0, 2, False), ("nb", "q2"): CellScore("nb", "q2", 1, 2, False),
              ("nb", "ecrit"): CellScore("nb", "ecrit", 1.5, 3, False)}
    rows = {r["ce"]: r for r in criteria_rows(_coverage(), "alice", scores)}
    assert rows["CE9.1.2"]["statut"] == (ACQUIRED if 2.5 / 5 >= ACQUIRED_THRESHOLD else NOT_ACQUIRED)
    assert rows["CE9.1.1"]["statut"] == (ACQUIRED if 1 / 4 >= ACQUIRED_THRESHOLD else NOT_ACQUIRED)
