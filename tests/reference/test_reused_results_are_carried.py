"""Every question whose solution reuses an earlier answer cell is carried on what that cell hands over
(``tests/reference/reuse.py``), so an error made there is charged there only."""
import copy

import pytest

from tests.conftest import ASSIGNMENTS, COURSE
from tests.reference.reuse import unreported_reuses


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_that_reuses_an_earlier_answer_is_carried_on_it(assignment):
    found = [f"{name}: {reuse}" for name, notebook in COURSE.read_source(assignment).items()
             for reuse in unreported_reuses(notebook)]
    assert not found, "\n".join(found)


def master_with(assignment: str, notebook: str, check: str, line: str):
    """A master notebook whose check cell ``check`` declares ``line`` instead of its own ``reponse = …``."""
    master = copy.deepcopy(COURSE.read_source(assignment)[notebook])
    cell = next(c for c in master.cells if c.metadata.get("nbgrader", {}).get("grade_id") == check
                and not c.metadata["nbgrader"].get("solution"))
    cell.source = "\n".join(line if old.startswith("reponse = ") else old for old in cell.source.split("\n"))
    return master


@pytest.mark.parametrize("assignment, notebook, check, line, reused", [
    # carried on its direct inputs, not on the cell whose kept concessions its final price adds up
    ("bloc2", "05_offre_negociation", "taux_marque_final",
     'reponse = Carried(Rate("Taux", taux_marque_final), marge_finale=marge_finale, montant_offre_ht=montant_offre_ht)',
     'retenues["effet_prix_ht_eur"]'),
    # not carried at all: the safety margin (and the break-even behind it) is charged again
    ("bloc1", "04_budget_rentabilite", "indice_securite", 'reponse = Rate("Indice de sécurité", indice_securite)',
     "seuil_rentabilite"),
    # the competitors' prices of the price scores, reused by the price to win
    ("bloc2", "02_appel_offres", "prix_gagnant_ht",
     'reponse = Carried(Amount("Prix", prix_gagnant_ht), notes_totales=notes_totales)', "prix_ht"),
    # a column added by an earlier answer cell (the gaps of the competency map), read by name
    ("bloc3", "04_gepp_formation", "cout_plan", 'reponse = Amount("Coût", cout_plan)', 'carto["ecart"]'),
])
def test_a_question_not_carried_on_what_it_reuses_is_reported(assignment, notebook, check, line, reused):
    found = unreported_reuses(master_with(assignment, notebook, check, line))
    assert [(r.check, r.name) for r in found] == [(check, reused)], [str(r) for r in found]
