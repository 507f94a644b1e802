"""What a classic slip must cost: on the common case, the typed ``lost`` of slips.py; on another
case, what the barème gives the mistake the slip makes there (tests/e2e grades a slipped copy on it)."""
from dataclasses import replace

import pytest

from mda_checks.demo.run import slips_of
from mda_checks.demo.slip_costs import slip_costs
from tests.conftest import COURSE, per_assignment


@per_assignment()
def test_on_the_common_case_every_slip_costs_its_typed_points(assignment):
    slips = slips_of(COURSE, assignment)
    costs = slip_costs(COURSE, assignment, slips, COURSE.source / assignment / "data")
    assert set(costs) == {(slip.notebook, slip.test_cell) for slip in slips}
    wrong = {slip.test_cell: (slip.lost, round(costs[slip.notebook, slip.test_cell], 4)) for slip in slips
             if costs[slip.notebook, slip.test_cell] != pytest.approx(slip.lost)}
    assert not wrong, f"(typed, by the barème on the common case): {wrong}"


def test_a_slip_must_name_one_recognised_mistake_of_its_check():
    slips = slips_of(COURSE, "bloc1")
    data = COURSE.source / "bloc1" / "data"
    nothing = replace(slips[0], message="aucune cause ne dit cela")
    with pytest.raises(ValueError, match="names 0 of the mistakes"):
        slip_costs(COURSE, "bloc1", [nothing], data)
    everything = replace(slips[0], message="")  # a phrase of every cause
    with pytest.raises(ValueError, match="instead of one"):
        slip_costs(COURSE, "bloc1", [everything], data)
    astray = replace(slips[0], test_cell="cellule_absente")
    with pytest.raises(ValueError, match="without a check cell"):
        slip_costs(COURSE, "bloc1", [astray], data)
