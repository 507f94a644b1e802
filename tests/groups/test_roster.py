"""`mda groupes`: the groups of a group assignment, checked against the gradebook, stored in groupes.csv."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.csv_input import TableError
from mda_checks.groups.importing import import_groups
from mda_checks.groups.parts import individual_cells
from mda_checks.groups.roster import (
    Groups, groups_path, read_group_file, read_groups, seed_identity, write_groups,
)
from mda_checks.groups.selection import select_group_copies
from tests.conftest import COURSE
from tests.gradebooks import empty_gradebook

KNOWN = {"alice", "bob", "chloe", "dan", "eve"}


def write(tmp_path, text: str, name: str = "groupes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_semicolons_and_commas_give_the_same_groups(tmp_path):
    semicolons = write(tmp_path, "\ufeffgroupe;apprenant\nG1;alice\nG1;bob\nG2;chloe\n;;\n", "a.csv")
    commas = write(tmp_path, "Groupe,Apprenant,Rôle\nG1,alice,\nG1,bob,rapporteur\nG2,chloe,\n", "b.csv")
    expected = Groups("bloc4", {"G1": ("alice", "bob"), "G2": ("chloe",)})
    assert read_group_file(semicolons, "bloc4", KNOWN) == expected == read_group_file(commas, "bloc4", KNOWN)
    assert expected.group_of("bob") == "G1" and expected.group_of("dan") is None


@pytest.mark.parametrize("text, message", [
    ("groupe;apprenant\nG1;alice\nG2;alice\n",
     "ligne 3 : apprenant « alice » déjà dans le groupe « G1 » (ligne 2) : un apprenant est dans un seul groupe"),
    ("groupe;apprenant\nG1;alice\nG1;alice\n", "ligne 3 : apprenant « alice » en double dans le groupe « G1 »"),
    ("groupe;apprenant\nG1;zoe\n", "ligne 2 : apprenant « zoe » inconnu du carnet de notes"),
    ("groupe;apprenant\n;alice\n", "ligne 2 : nom de groupe vide"),
    ("groupe;apprenant\nG1;\n", "ligne 2 : apprenant : identifiant vide"),
    ("groupe;apprenant\ngroupe 1;alice\n", "ligne 2 : nom de groupe « groupe 1 » invalide"),
    ("groupe;apprenant\nG1;a/b\n", "ligne 2 : apprenant : identifiant « a/b » invalide"),
    ("groupe;nom\nG1;alice\n", "ligne 1 : colonne manquante « apprenant »"),
    ("groupe;apprenant\n", "aucun groupe : le fichier n'a que la ligne des colonnes"),
])
def test_each_problem_is_named_in_french_with_its_line(tmp_path, text, message):
    with pytest.raises(TableError) as problem:
        read_group_file(write(tmp_path, text), "bloc4", KNOWN)
    assert message in str(problem.value) and "aucun groupe n'a été importé" in str(problem.value)


def known_gradebook(folder) -> str:
    """An empty gradebook at `folder` with the learners of KNOWN; its URL."""
    db_url = empty_gradebook(folder)
    with Gradebook(db_url) as gb:
        for student in KNOWN:
            gb.update_or_create_student(student)
    return db_url


def test_every_problem_is_listed_at_once_and_nothing_is_written(tmp_path):
    course, db_url = Course(tmp_path), known_gradebook(tmp_path)
    text = "groupe;apprenant\nG1;alice\nG2;alice\nG2;zoe\n"
    with pytest.raises(TableError) as problem:
        import_groups(course, db_url, write(tmp_path, text, "mes-groupes.csv"), "bloc4")
    assert len(problem.value.problems) == 2 and not groups_path(course).exists()


def test_import_stores_the_groups_of_one_assignment_and_names_who_is_in_none(tmp_path):
    course, db_url = Course(tmp_path), known_gradebook(tmp_path)
    (tmp_path / "submitted" / "eve" / "bloc4").mkdir(parents=True)
    write_groups(course, Groups("bloc2", {"X": ("dan",)}))  # another assignment's groups are kept
    result = import_groups(course, db_url, write(tmp_path, "groupe;apprenant\nG1;alice\nG1;bob\nG2;chloe\n", "g.csv"),
                           "bloc4")
    assert read_groups(course, "bloc4") == result.groups and read_groups(course, "bloc2").members == {"X": ("dan",)}
    assert result.without_group == ["dan", "eve"] and result.submitted_without_group == ["eve"]
    text = "\n".join(result.summary("g.csv"))
    assert "Groupes de bloc4 (Bloc 4 — Pilotage d'un centre de profit) : 2 groupe(s), 3 apprenant(s)" in text
    assert "eve a (ont) déjà rendu bloc4" in text
    # the same file again: the same groupes.csv; a learner moved: named
    before = groups_path(course).read_bytes()
    import_groups(course, db_url, tmp_path / "g.csv", "bloc4")
    assert groups_path(course).read_bytes() == before
    moved = import_groups(course, db_url, write(tmp_path, "groupe;apprenant\nG1;alice\nG2;chloe\nG2;bob\n", "h.csv"),
                          "bloc4")
    assert "bob change de groupe : G1 → G2" in "\n".join(moved.summary("h.csv"))
    assert not read_groups(course, "bloc1") and seed_identity(course, "bloc4", "bob") == "groupe:G2"
    assert seed_identity(course, "bloc1", "bob") == "bob"


def test_mda_groupes_says_what_is_wrong_in_french(tmp_path, monkeypatch, capsys):
    import shutil

    for name in ("source", "nbgrader_config.py"):
        (shutil.copytree if name == "source" else shutil.copy)(COURSE.root / name, tmp_path / name)
    empty_gradebook(tmp_path)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "groupe;apprenant\nG1;alice\n", "g.csv")
    assert main(["groupes", "g.csv"]) == 2
    assert "ligne 2 : apprenant « alice » inconnu du carnet de notes" in capsys.readouterr().err


def test_the_latest_submission_of_a_group_is_its_copy(tmp_path):
    course = Course(tmp_path)
    for student, when in (("alice", "2026-11-27 10:00:00.000000 UTC"), ("bob", "2026-11-27 12:00:00.000000 UTC"),
                          ("eve", "2026-11-27 09:00:00.000000 UTC")):
        folder = tmp_path / "submitted" / student / "bloc4"
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text(when, encoding="utf-8")
    groups = Groups("bloc4", {"G1": ("alice", "bob", "chloe"), "G2": ("dan",)})
    selection = select_group_copies(course, groups, ["alice", "bob", "eve"])
    assert selection.graded == {"bob"} and selection.copies["G1"].superseded == ("alice",)
    assert "G2" not in selection.copies and selection.without_group == ["eve"]
    (student, note), = selection.superseded_notes()
    assert student == "alice" and note.startswith("rendu remplacé par celui de bob (rendu le 27 novembre 2026 à 13:00)")
    assert "eve a rendu bloc4 mais n'est dans aucun groupe" in selection.without_group_reason("eve")


def test_the_oral_defence_is_the_only_individual_part_of_bloc4():
    individual = individual_cells(COURSE, "bloc4")
    assert individual and {notebook for notebook, _ in individual} == {"05_soutenance_individuelle"}
    assert len(individual) == 6
