"""A learner's own copy: their data, statements quoting them, and nothing they did not change flagged."""
from __future__ import annotations

import shutil
import stat

import nbformat
import pytest

from mda_checks.assign.personal_release import ChangedVariants, release_personal_copies, write_personal_copy
from mda_checks.assign.statements import folder_parameters
from mda_checks.grade.inspect import inspect_submission
from mda_checks.notebook.metadata_schema import notebook_problems
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import VariantRecord, read_registry, record_variants
from mda_checks.variants.secret import secret_path
from tests.conftest import REPO, copy_course

ASSIGNMENT = "bloc3"  # its statements quote numbers that differ between variants


@pytest.fixture
def course(tmp_path):
    """A course with a fixed key: the same learners get the same variants on every run."""
    course = copy_course(tmp_path / "cours")
    shutil.copytree(REPO / "release" / ASSIGNMENT, course.release / ASSIGNMENT)
    secret_path(course).parent.mkdir(mode=0o700)
    secret_path(course).write_text("5a" * 32 + "\n", encoding="ascii")
    return course


def test_each_copy_holds_its_own_data_and_statements_that_quote_them(course, tmp_path):
    copies = release_personal_copies(course, ASSIGNMENT, ["alice", "bob"], lambda s: tmp_path / "copies" / s, workers=1)
    records = read_registry(course)
    texts = {}
    for copy in copies:
        record = records[(ASSIGNMENT, copy.record.apprenant)]
        assert record == copy.record and data_digest(copy.folder / "data") == record.empreinte
        parameters = folder_parameters(ASSIGNMENT, copy.folder / "data")
        notebook = nbformat.read(copy.folder / "04_gepp_formation.ipynb", as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
        assert "{{" not in text and parameters["exemple_cout_total"] in text
        assert notebook.metadata["mda"]["variante"] == record.variante
        assert notebook_problems(notebook, "copie") == []  # what `mda release` writes is in the schema
        assert stat.S_IMODE((copy.folder / "data").stat().st_mode) == 0o755
        texts[copy.record.apprenant] = text
    assert texts["alice"] != texts["bob"]  # with this key, their catalogue lines differ


def test_a_learners_copy_handed_in_untouched_has_no_remark_and_anothers_is_flagged(course, tmp_path):
    copies = {s: write_personal_copy(course, ASSIGNMENT, s, tmp_path / "copies" / s) for s in ("alice", "bob")}
    record_variants(course, [c.record for c in copies.values()])
    shutil.copytree(copies["alice"].folder, course.root / "submitted" / "alice" / ASSIGNMENT)
    shutil.copytree(copies["alice"].folder, course.root / "submitted" / "bob" / ASSIGNMENT)  # bob hands in alice's
    own = inspect_submission(course, "alice", ASSIGNMENT)
    assert [note for nb in own.notebooks for note in nb.notes] == []
    swapped = [note for nb in inspect_submission(course, "bob", ASSIGNMENT).notebooks for note in nb.notes]
    assert any("verrouillée" in note and "modifiée" in note for note in swapped), swapped


def test_release_refuses_an_empty_or_duplicated_list(course, tmp_path):
    with pytest.raises(ValueError, match="aucun apprenant"):
        release_personal_copies(course, ASSIGNMENT, [], lambda s: tmp_path / s)
    with pytest.raises(ValueError, match="en double.*alice"):
        release_personal_copies(course, ASSIGNMENT, ["alice", "bob", "alice"], lambda s: tmp_path / s)
    shutil.rmtree(course.release / ASSIGNMENT)
    with pytest.raises(FileNotFoundError, match="mda build"):
        write_personal_copy(course, ASSIGNMENT, "alice", tmp_path / "alice")


def test_publishing_again_never_changes_a_copy_already_given_unless_asked(course, tmp_path):
    folder_of = lambda s: tmp_path / "copies" / s  # noqa: E731
    first = release_personal_copies(course, ASSIGNMENT, ["alice"], folder_of, workers=1)[0]
    again = release_personal_copies(course, ASSIGNMENT, ["alice"], folder_of, workers=1)[0]
    assert again.record.empreinte == first.record.empreinte and not again.kept  # same key, same case

    # the generator changed since alice got her copy: simulated by another digest on record
    stale = VariantRecord(**{**first.record.__dict__, "empreinte": "0" * 64})
    record_variants(course, [stale])
    (first.folder / "marque.txt").write_text("copie d'origine")
    with pytest.raises(ChangedVariants, match="alice.*--remplacer"):
        release_personal_copies(course, ASSIGNMENT, ["alice", "bob"], folder_of, workers=1)
    registry = read_registry(course)
    assert registry[(ASSIGNMENT, "alice")] == stale and (first.folder / "marque.txt").is_file()
    assert (ASSIGNMENT, "bob") in registry  # the others are published

    release_personal_copies(course, ASSIGNMENT, ["alice"], folder_of, workers=1, replace=True)
    assert read_registry(course)[(ASSIGNMENT, "alice")].empreinte == first.record.empreinte
    assert not (first.folder / "marque.txt").exists()


def test_in_a_group_assignment_every_member_gets_the_groups_case(course, tmp_path):
    """A group works on one case: derived from the group's id, recorded per member, regenerated at grading."""
    from mda_checks.groups.roster import Groups, write_groups
    from mda_checks.variants.learner_case import learner_case

    write_groups(course, Groups(ASSIGNMENT, {"G1": ("alice", "bob"), "G2": ("chloe",)}))
    copies = {c.record.apprenant: c for c in release_personal_copies(
        course, ASSIGNMENT, ["alice", "bob", "chloe"], lambda s: tmp_path / "copies" / s, workers=1)}
    records = read_registry(course)
    assert records[ASSIGNMENT, "alice"].variante == records[ASSIGNMENT, "bob"].variante
    assert records[ASSIGNMENT, "alice"].empreinte == records[ASSIGNMENT, "bob"].empreinte
    assert records[ASSIGNMENT, "alice"].variante != records[ASSIGNMENT, "chloe"].variante
    assert records[ASSIGNMENT, "bob"].graine == "groupe:G1" and records[ASSIGNMENT, "chloe"].graine == "groupe:G2"
    metadata = nbformat.read(copies["bob"].folder / "04_gepp_formation.ipynb", as_version=4).metadata["mda"]
    assert metadata["apprenant"] == "bob" and metadata["groupe"] == "G1"
    case = learner_case(course, ASSIGNMENT, "bob")  # grading regenerates the group's case, checked by its digest
    assert case.variant == records[ASSIGNMENT, "alice"].variante and data_digest(case.folder) == records[
        ASSIGNMENT, "alice"].empreinte
