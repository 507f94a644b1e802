"""metadata.mda has one versioned schema; a master breaking it is refused with a French message."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_output

from mda_apprenant.check.result import CheckResult, Status
from mda_checks.copies.handovers import TOO_LARGE, keep_handover
from mda_checks.scoring.score_cells import write_score
from mda_checks.notebook import build, cells
from mda_checks.notebook.metadata_schema import MetadataError, check_notebook, notebook_problems, problems, schema
from tests.conftest import ASSIGNMENTS, COURSE


def _graded(notebook):
    return next(c for c in notebook.cells if cells.is_graded(c))


@pytest.fixture
def master():
    return nbformat.read(COURSE.source_notebooks("bloc1")[0], as_version=4)


def test_the_schema_is_versioned_and_valid():
    import jsonschema

    assert schema()["version"] == 1
    jsonschema.Draft202012Validator.check_schema(schema())
    assert set(schema()["$defs"]) >= {"notebook", "cell", "output"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_master_passes(assignment):
    for name, notebook in COURSE.read_source(assignment).items():
        assert notebook_problems(notebook, name) == []


def test_a_string_where_a_list_of_codes_is_expected_is_refused_naming_notebook_cell_and_key(master):
    cell = _graded(master)
    cell.metadata["mda"]["ce"] = "CE1.1.1"
    with pytest.raises(MetadataError) as refused:
        check_notebook(master, "bloc1/01.ipynb")
    message = str(refused.value)
    assert "bloc1/01.ipynb" in message and f"« {cells.grade_id(cell)} »" in message and "mda.ce" in message
    assert '"CE1.1.1" refusé' in message and "liste" in message


@pytest.mark.parametrize("value, words", [
    ([], "mda.ce"),  # no criterion: the cell would count for none
    (["CE1.1.1", "CE1.1.1"], "mda.ce"),  # twice the same
    (["ce1.1.1"], "mda.ce[0]"),  # not a code
    ([111], "mda.ce[0]"),
    (["CE9.9.9"], "CE9.9.9 n'est pas un critère du référentiel"),
])
def test_a_wrong_list_of_codes_is_refused(master, value, words):
    _graded(master).metadata["mda"]["ce"] = value
    assert any(words in p for p in notebook_problems(master, "m"))


def test_unknown_keys_wrong_types_and_criteria_on_an_ungraded_cell_are_refused(master):
    _graded(master).metadata["mda"]["individual"] = True  # a misspelt key would be ignored by every reader
    master.metadata["mda"] = {"individuel": "oui"}
    ungraded = next(c for c in master.cells if not cells.is_graded(c))
    ungraded.metadata["mda"] = {"ce": ["CE1.1.1"]}
    found = "\n".join(notebook_problems(master, "m"))
    assert "clé inconnue mda.individual" in found
    assert "métadonnées du carnet" in found and "mda.individuel" in found and "true ou false" in found
    assert "cellule non notée" in found
    _graded(master).metadata["mda"] = ["CE1.1.1"]
    assert any("doit être un objet JSON" in p for p in notebook_problems(master, "m"))


def test_a_master_never_holds_a_result_record(master):
    from mda_checks.notebook.result_record import write_record

    write_record(_graded(master), CheckResult("q", Status.CORRECT, "ok", 1.0, 1.0))
    assert notebook_problems(master, "copie notée") == []  # a graded copy may
    with pytest.raises(MetadataError, match="mda.resultat dans un original"):
        check_notebook(master, "bloc1/01.ipynb")


def test_outputs_written_by_the_course_pass_and_a_foreign_key_does_not():
    cell = build.autotest("q", "x", 1, ["CE1.1.1"])
    write_score(cell, CheckResult("q", Status.WRONG, "faux", 0.0, 1.0), problem="la réponse n'a pas pu être lue")
    keep_handover(cell, {"$": "nombre", "v": 1})
    assert problems(cell.outputs[0].metadata["mda"], "output") == []
    keep_handover(cell, "x" * 10**6)
    assert cell.outputs[0].metadata["mda"]["reponse"] == TOO_LARGE
    error = new_output("display_data", data={"text/plain": "x"}, metadata={"mda": {"erreur": "NameError"}})
    assert problems(error.metadata["mda"], "output") == []
    error.metadata["mda"]["note"] = 20
    assert problems(error.metadata["mda"], "output") == ["clé inconnue mda.note (clés permises ici : erreur, probleme, reponse)"]


def test_cells_built_by_the_course_pass():
    notebook = build.notebook([build.autotest("a", "x", 1, ["CE1.1.1"]), build.manual("b", "r", 2, ["CE1.1.2"]),
                               build.jury_task("c", ["CE4.1.1"], 3, ["o"], "s"), build.markdown("t")])
    assert notebook_problems(notebook, "n") == []


def test_the_host_company_note_of_a_copy_passes_and_an_empty_name_does_not():
    """`mda release` opens a host-company copy with a note whose metadata names the company (main's company_note)."""
    assert problems({"entreprise": "Numéria Services"}, "cell") == []
    assert problems({"entreprise": ""}, "cell") and problems({"entreprise": ["x"]}, "cell")
