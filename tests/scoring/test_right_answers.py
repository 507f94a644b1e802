"""RightAnswers: the grader knows the right answer of a carried check, from the right earlier answers."""
import json

import nbformat
from nbformat.v4 import new_output

from mda_apprenant import Amount, Carried
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.handover import MIME_TYPE, serialise
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.score_cells import score_notebook
from mda_checks.notebook.build import autotest

RATE_CELL = 'reponse = Amount("Déboursé sec", debourse_sec)\nreponse'
PRICE_CELL = 'reponse = Carried(Amount("Prix", prix), ds=debourse_sec)\nreponse'

#: the reference: DS = 1000; price = DS × 1.5, carried on the learner's DS
REFERENCE = {
    "debourse_sec": Expected(1000.0),
    "prix": Expected(lambda ds: ds * 1.5, mistakes=[Mistake(lambda ds: ds * 1.5 * 1.2, "TTC.", "ht_ttc")]),
}


def _executed(ds, price, ds_later=None):
    """A notebook as the learner's kernel left it: each check cell with its hand-over
    (`ds_later`: the learner changed `debourse_sec` between its check and the price's)."""
    notebook = nbformat.v4.new_notebook()
    later = ds if ds_later is None else ds_later
    for grade_id, source, answer in [("debourse_sec", RATE_CELL, Amount("Déboursé sec", ds)),
                                     ("prix", PRICE_CELL, Carried(Amount("Prix", price), ds=later))]:
        cell = autotest(grade_id, source, 2, ["CE2.3.1"])
        handed = json.loads(json.dumps(serialise(answer)))
        cell.outputs = [new_output("execute_result", data={"text/plain": "", MIME_TYPE: handed}, execution_count=1)]
        cell.execution_count = 1
        notebook.cells.append(cell)
    return notebook


def _scores(ds, price, ds_later=None):
    return [r.score for r in score_notebook(_executed(ds, price, ds_later), REFERENCE.__getitem__)]


def test_one_slip_upstream_costs_once():
    assert _scores(1000.0, 1500.0) == [2, 2]
    assert _scores(900.0, 1350.0) == [0, 2]      # wrong DS, right method on it
    assert _scores(900.0, 1500.0) == [0, 2]      # wrong DS, price recomputed from the data: right too
    assert _scores(900.0, 1620.0) == [0, 1]      # wrong DS and TTC on it: the TTC slip keeps half
    assert _scores(900.0, 1400.0) == [0, 0]      # right neither way


def test_a_carried_check_is_graded_on_what_the_earlier_check_was_graded_on():
    """Changing the earlier variable after its check cannot choose the inputs of a later one."""
    assert _scores(900.0, 0.0, ds_later=0.0) == [0, 0]          # price 0 « consistent » with ds = 0: no
    assert _scores(900.0, 1350.0, ds_later=0.0) == [0, 2]       # graded on the 900 that was handed over
    blank = _executed(900.0, 1350.0)
    blank.cells[0].outputs = []                                 # the earlier check handed nothing over
    results = score_notebook(blank, REFERENCE.__getitem__)
    assert [r.score for r in results] == [0, 0] and "résultat précédent" in results[1].message


def test_the_right_answers_follow_the_notebook_order():
    right = RightAnswers(REFERENCE.__getitem__)
    right.of("debourse_sec", read_spec(RATE_CELL))
    graded, direct = right.of("prix", read_spec(PRICE_CELL))
    assert callable(graded.value) and direct.value == 1500.0
    assert direct.mistakes[0].value == 1800.0 and right.values == {"debourse_sec": 1000.0, "prix": 1500.0}
    alone = RightAnswers(REFERENCE.__getitem__)  # the earlier check never seen: no right answer to offer
    assert alone.of("prix", read_spec(PRICE_CELL))[1] is None
