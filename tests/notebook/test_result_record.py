"""A check cell's result is data in its metadata; reports read it, never the HTML learners see."""
from __future__ import annotations

import json

import pytest

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.result import CheckResult, Status
from mda_apprenant.check.scalars import Amount
from mda_checks.scoring.score_cells import write_score
from mda_checks.notebook import build
from mda_checks.notebook.metadata_schema import problems, schema
from mda_checks.notebook.result_record import read_record, record, record_text
from mda_checks.report.messages import notebook_messages

WRONG = CheckResult("Seuil", Status.WRONG, "Valeur fausse.", 0.0, 2.0, "Relisez la formule.")


def test_the_scorer_writes_the_record_beside_the_message():
    cell = build.autotest("seuil", "x", 2, ["CE1.1.1"])
    write_score(cell, WRONG, problem="")
    assert read_record(cell) == {"titre": "Seuil", "statut": "incorrect", "score": 0.0, "points": 2.0,
                                 "message": "Valeur fausse.", "piste": "Relisez la formule.", "ecart": None,
                                 "notable": True}
    write_score(cell, WRONG, problem="aucune réponse remise")
    assert read_record(cell)["notable"] is False


def test_a_recognised_mistake_names_its_slip_in_the_record():
    answer = Amount("Prix", 120.0)
    result = answer.grade(Expected(100.0, mistakes=(Mistake(120.0, "TTC au lieu de HT.", "ht_ttc"),)), 2)
    assert result.slip == "ht_ttc" and record(result)["ecart"] == "ht_ttc"
    assert CheckResult.from_data(result.to_data()) == result


def test_the_schema_knows_every_status():
    assert schema()["$defs"]["result"]["properties"]["statut"]["enum"] == [s.value for s in Status]


@pytest.mark.parametrize("forged", [
    {"statut": "correct"},  # incomplete
    {**record(WRONG), "score": "2"},
    {**record(WRONG), "statut": "parfait"},
    {**record(WRONG), "bonus": 1},
])
def test_a_record_the_schema_refuses_is_not_read(forged):
    cell = {"metadata": {"mda": {"resultat": forged}}}
    assert problems({"resultat": forged}, "cell") and read_record(cell) is None


def test_reports_read_records_and_never_the_html(tmp_path):
    scored = build.autotest("seuil", "x", 2, ["CE1.1.1"])
    write_score(scored, WRONG)
    forged = build.autotest("autre", "x", 2, ["CE1.1.1"])  # HTML shaped like a message, without a record
    forged.outputs = [{"output_type": "display_data", "metadata": {},
                       "data": {"text/html": '<div class="mda-check mda-juste"><strong>✔ Autre — correct</strong></div>'}}]
    path = tmp_path / "carnet.ipynb"
    path.write_text(json.dumps(build.notebook([scored, forged])), encoding="utf-8")
    found = notebook_messages(path)
    assert found["seuil"].status == "incorrect"
    assert found["seuil"].text == "Seuil — incorrect. Valeur fausse. Piste : Relisez la formule."
    assert found["autre"].status == "" and found["autre"].text == ""
    assert record_text(record(WRONG)) == found["seuil"].text
