"""What a statement says about the case data holds for every variant the generator draws."""
import pytest

from mda_checks.casedata import bloc1


@pytest.mark.parametrize("seed", range(12))
def test_bloc1_pac_budget_line_is_an_envelope_above_the_plans_cost(seed):
    """Bloc 1 notebook 4: the PAC line is the 150 000 € HT envelope, above notebook 3's HT cost of the actions."""
    frames = bloc1.generate(seed)
    budget = frames["budget_2026.csv"].set_index("poste")["montant_eur"]
    vat = frames["hypotheses_2026.csv"].set_index("parametre")["valeur"]["taux_tva"]
    plan_cost = (frames["actions_pac.csv"]["cout_ttc_eur"] / (1 + vat)).sum()
    assert budget["Budget marketing et commercial (PAC)"] == 150_000
    assert plan_cost < 150_000


def test_bloc3_training_cost_example_uses_the_cases_hourly_cost():
    """Bloc 3 notebook 4: the worked example's hourly cost is the convention's, read from the hypotheses."""
    import re

    import nbformat

    from mda_checks.casedata import generate_case
    from tests.conftest import COURSE

    hypotheses = generate_case(3)["hypotheses_affaire.csv"].set_index("parametre")["valeur"]
    notebook = nbformat.read(COURSE.source / "bloc3" / "04_gepp_formation.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    rates = {float(r) for r in re.findall(r"(\d+) €/h", text)} | {float(r) for r in re.findall(r"de (\d+) € × durée", text)}
    assert rates == {hypotheses["cout_horaire_charge_eur"]}
