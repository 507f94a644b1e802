"""Every carried check of every bloc: the reference solution scores full, an earlier error is
counted once, and a wrong answer loses its points (the cases are written per bloc, in test_bloc<N>)."""
import pytest

from tests.reference import test_bloc1, test_bloc2, test_bloc3, test_bloc4
from tests.reference.carried import (
    check_a_wrong_answer_loses_its_points,
    check_an_earlier_error_is_counted_once,
    check_the_reference_solution_scores_full,
)

BLOCS = {module.BLOC: module.CARRIED for module in (test_bloc1, test_bloc2, test_bloc3, test_bloc4)}
CASES = [pytest.param(bloc, key, cases[key], id=f"{module_name}-{key}")
         for (bloc, cases), module_name in zip(BLOCS.items(), ("bloc1", "bloc2", "bloc3", "bloc4"))
         for key in sorted(cases)]


@pytest.mark.parametrize("bloc, cases", [pytest.param(b, c, id=f"bloc{n}") for n, (b, c) in enumerate(BLOCS.items(), 1)])
def test_every_carried_check_of_the_masters_has_its_case(bloc, cases):
    assert {key: set(inputs) for key, inputs in bloc.carried().items()} == \
        {key: set(case.wrong) for key, case in cases.items()}


@pytest.mark.parametrize("bloc, key, case", CASES)
def test_the_reference_solution_scores_full(bloc, key, case):
    check_the_reference_solution_scores_full(bloc, key, case)


@pytest.mark.parametrize("bloc, key, case", CASES)
def test_an_earlier_error_is_counted_once(bloc, key, case):
    check_an_earlier_error_is_counted_once(bloc, key, case)


@pytest.mark.parametrize("bloc, key, case", CASES)
def test_a_wrong_answer_loses_its_points(bloc, key, case):
    check_a_wrong_answer_loses_its_points(bloc, key, case)
