"""A learner's edits of metadata.mda never reach grading: each cell and the notebook get the master's back."""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell

from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import GRADED, autograde_submission
from mda_checks.grade.preprocessors.restore_metadata import master_metadata, restore_metadata
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from mda_checks.notebook.result_record import read_record
from tests.conftest import COURSE
from tests.grade.helpers import trimmed_course


FORGED = {"titre": "x", "statut": "correct", "score": 99.0, "points": 99.0, "message": "parfait", "piste": None,
          "ecart": None, "notable": True}


def _tamper(notebook):
    """Every way a copy's metadata.mda can lie: a wrong type, another criterion, a flag added or removed."""
    graded = [c for c in notebook.cells if cells.is_graded(c)]
    graded[0].metadata["mda"]["ce"] = "CE1.1.1"
    graded[0].metadata["mda"]["resultat"] = FORGED  # a full score, written by the learner
    graded[1].metadata["mda"] = {"ce": ["CE4.1.1"], "individuel": True}
    del graded[2].metadata["mda"]
    notebook.metadata["mda"] = {"individuel": True, "variante": "une autre", "apprenant": "quelqu'un"}
    extra = new_code_cell("x = 1")
    extra.metadata["mda"] = {"ce": ["CE1.1.1"]}
    notebook.cells.append(extra)
    return [cells.grade_id(c) for c in graded[:3]]


def _mda(notebook):
    return notebook.metadata.get("mda"), [(cells.grade_id(c), c.metadata.get("mda")) for c in notebook.cells]


def test_every_edit_is_put_back_and_named():
    path = COURSE.source_notebooks("bloc1")[0]
    master = nbformat.read(path, as_version=4)
    copy = nbformat.read(path, as_version=4)
    ids = _tamper(copy)
    changed = restore_metadata(copy, master_metadata(COURSE, "bloc1", path.stem))
    assert changed == ["les métadonnées du carnet", *(f"la cellule « {i} »" for i in ids), f"la cellule n° {len(copy.cells)}"]
    copy.cells.pop()
    assert _mda(copy) == _mda(master)
    assert restore_metadata(copy, master_metadata(COURSE, "bloc1", path.stem)) == []


def test_without_its_master_a_copy_keeps_no_metadata_mda():
    copy = nbformat.read(COURSE.source_notebooks("bloc1")[0], as_version=4)
    restore_metadata(copy, master_metadata(COURSE, "bloc1", "absent"))
    assert _mda(copy) == (None, [(cells.grade_id(c), None) for c in copy.cells])


def test_autograde_grades_a_tampered_copy_with_the_masters_metadata():
    course = trimmed_course("metadonnees")
    notebooks = solved_submission(course, "bloc1")
    (name, notebook), = notebooks.items()
    _tamper(notebook)
    write_submission(course, "x", "bloc1", notebooks)
    outcomes = autograde_submission(course_api(course.root), course, "x", "bloc1")
    assert [o.status for o in outcomes] == [GRADED]
    graded = nbformat.read(course.step("autograded") / "x" / "bloc1" / f"{name}.ipynb", as_version=4)
    master = course.read_source("bloc1")[name]
    by_id = dict(_mda(master)[1])
    assert graded.metadata.get("mda") == master.metadata.get("mda")
    for cell in graded.cells:
        if cells.grade_id(cell):  # beside the master's keys, only the scorer's record of a check cell
            mda = dict(cell.metadata.get("mda", {}))
            assert ("resultat" in mda) == cells.is_autograded_test(cell)
            mda.pop("resultat", None)
            assert mda == (by_id.get(cells.grade_id(cell)) or {})
    records = [read_record(c) for c in graded.cells if cells.is_autograded_test(c)]
    assert all(r["notable"] and r != FORGED and r["score"] <= r["points"] for r in records)
    assert all("mda" not in c.metadata for c in graded.cells if not cells.grade_id(c))
