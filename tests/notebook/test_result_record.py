"""A check cell's result is data in its metadata; reports read it, never the HTML learners see."""
from __future__ import annotations

import json

import nbformat
import pytest

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.result import CheckResult, Status
from mda_apprenant.check.scalars import Amount
from mda_checks.scoring.score_cells import write_score
from mda_checks.notebook import build
from mda_checks.notebook.metadata_schema import problems, schema
from mda_checks.notebook.result_record import read_record, record, record_text
from mda_checks.report.messages import notebook_messages
from tests.feedback_pages import feedback_page

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


def test_the_feedback_page_shows_each_check_from_its_record_never_from_the_cells_html():
    scored = build.autotest("seuil", "x", 2, ["CE1.1.1"])
    write_score(scored, WRONG)
    scored.outputs[0]["data"]["text/html"] = '<div class="mda-check"><strong>✔ Seuil — correct</strong> 2 / 2</div>'
    unrecorded = build.autotest("autre", "x", 2, ["CE1.1.1"])
    unrecorded.outputs = [{"output_type": "execute_result", "metadata": {}, "execution_count": 1,
                           "data": {"text/plain": "2", "text/html": "<strong>✔ Autre — correct</strong>"}}]
    for cell in (scored, unrecorded):
        cell["metadata"]["nbgrader"]["score"] = 0.0   # what GetGrades puts there before the page is rendered
    page = feedback_page(nbformat.from_dict(build.notebook([scored, unrecorded])), max_score=4)
    assert "Seuil — incorrect" in page and "Valeur fausse." in page and "Piste : Relisez la formule." in page
    assert "Seuil — correct" not in page and "Autre — correct" not in page
    assert "Vérification sans résultat enregistré" in page


def test_a_record_renders_the_same_message_the_scorer_showed():
    from mda_checks.notebook.result_record import from_record

    assert from_record(record(WRONG)) == WRONG
    assert from_record(record(WRONG))._repr_html_() == WRONG._repr_html_()

