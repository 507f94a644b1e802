"""`mda apprenants`: the roster (id, nom, prénom, e-mail) checked, then put into nbgrader's gradebook."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.csv_input import TableError
from mda_checks.roster import Learner, import_roster, learner_names, read_roster
from tests.conftest import copy_course
from tests.gradebooks import empty_gradebook

SEMICOLONS = ("\ufeffid;nom;prénom;e-mail\n"  # a French Excel's « CSV UTF-8 »: byte order mark, semicolons
              "a.martin;Martin;Alice;alice.martin@exemple.fr\n"
              "b.lefevre;Lefèvre;Bérénice;\n"
              ";;;\n")
COMMAS = ("Identifiant,Nom,Prenom,E-mail,Groupe\n"
          'a.martin,Martin,Alice,alice.martin@exemple.fr,"Lille, groupe A"\n'
          "b.lefevre,Lefèvre,Bérénice,b.lefevre@exemple.fr,Lille\n")


def write(tmp_path, text: str, name: str = "apprenants.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_semicolons_and_commas_give_the_same_learners(tmp_path):
    assert read_roster(write(tmp_path, SEMICOLONS, "a.csv")) == [
        Learner("a.martin", "Martin", "Alice", "alice.martin@exemple.fr"),
        Learner("b.lefevre", "Lefèvre", "Bérénice", None),
    ]
    assert read_roster(write(tmp_path, COMMAS, "b.csv")) == [
        Learner("a.martin", "Martin", "Alice", "alice.martin@exemple.fr"),
        Learner("b.lefevre", "Lefèvre", "Bérénice", "b.lefevre@exemple.fr"),
    ]


@pytest.mark.parametrize("text, message", [
    ("id;nom;e-mail\na;A;a@b.fr\n", "ligne 1 : colonne manquante « prénom » (colonnes trouvées : id, nom, e-mail)"),
    ("id;nom;prénom;nom;e-mail\n", "ligne 1 : la colonne « nom » apparaît 2 fois"),
    ("id;nom;prénom;e-mail\na;A;B;a@b.fr\n;C;D;c@d.fr\n", "ligne 3 : identifiant vide"),
    ("id;nom;prénom;e-mail\na;A;B;a@b.fr\nb;C;D;\na;E;F;\n", "ligne 4 : identifiant « a » en double (déjà ligne 2)"),
    ("id;nom;prénom;e-mail\na;A;B;alice@\n", "ligne 2 : adresse e-mail invalide « alice@ »"),
    ("id;nom;prénom;e-mail\na;A;B;alice martin@exemple.fr\n", "ligne 2 : adresse e-mail invalide"),
    ("id;nom;prénom;e-mail\nalice martin;A;B;\n", "ligne 2 : identifiant « alice martin » invalide"),
    # an id is an account name: lowercase ASCII, digits, « . - _ », a letter first, 32 characters at most
    ("id;nom;prénom;e-mail\nzoé.roux;Roux;Zoé;\n", "ligne 2 : identifiant « zoé.roux » invalide : un identifiant "
     "est le nom du compte"),
    ("id;nom;prénom;e-mail\nA.Martin;A;B;\n", "ligne 2 : identifiant « A.Martin » invalide"),
    ("id;nom;prénom;e-mail\n2martin;A;B;\n", "ligne 2 : identifiant « 2martin » invalide"),
    ("id;nom;prénom;e-mail\n" + "a" * 33 + ";A;B;\n", "32 caractères au plus"),
    ("id;nom;prénom;e-mail\na;;B;\n", "ligne 2 : nom vide"),
    ("id;nom;prénom;e-mail\na;A;;\n", "ligne 2 : prénom vide"),
    ("id,nom,prénom,e-mail\na,Martin, Alice,a@b.fr,x\n", "ligne 2 : 5 valeurs pour 4 colonnes"),
    ("id;nom;prénom;e-mail\n", "aucun apprenant"),
    ("\n\n", "le fichier est vide"),
])
def test_each_problem_is_named_with_its_line(tmp_path, text, message):
    with pytest.raises(TableError) as problem:
        read_roster(write(tmp_path, text))
    assert message in str(problem.value) and "aucun apprenant n'a été importé" in str(problem.value)


def test_every_problem_is_listed_at_once(tmp_path):
    with pytest.raises(TableError) as problem:
        read_roster(write(tmp_path, "id;nom;prénom;e-mail\n;A;B;x\nb;;C;\n"))
    assert problem.value.problems == ["ligne 2 : identifiant vide", "ligne 2 : adresse e-mail invalide « x »",
                                      "ligne 3 : nom vide"]


def test_a_file_not_in_utf8_is_refused_with_the_way_to_save_it(tmp_path):
    path = tmp_path / "apprenants.csv"
    path.write_bytes("id;nom;prénom;e-mail\na;Lefèvre;B;\n".encode("cp1252"))
    with pytest.raises(TableError) as problem:
        read_roster(path)
    message = str(problem.value)
    assert "ligne 1 : le fichier n'est pas encodé en UTF-8" in message and "« CSV UTF-8" in message
    assert "aucun apprenant n'a été importé" in message


def test_import_is_idempotent_updates_names_and_never_deletes(tmp_path):
    db_url = empty_gradebook(tmp_path)
    with Gradebook(db_url) as gb:
        gb.add_student("z.ancien")  # created by a grading run before the roster: « None, None » in formgrader
        gb.add_student("a.martin")
    learners = read_roster(write(tmp_path, SEMICOLONS))
    first = import_roster(db_url, learners)
    assert (first.created, first.updated, first.unchanged, first.absent) == (["b.lefevre"], ["a.martin"], [], ["z.ancien"])
    again = import_roster(db_url, learners)
    assert (again.created, again.updated, again.unchanged) == ([], [], ["a.martin", "b.lefevre"])
    renamed = [Learner("a.martin", "Martin-Roux", "Alice", "alice.martin@exemple.fr")]
    assert import_roster(db_url, renamed).updated == ["a.martin"]
    with Gradebook(db_url) as gb:
        student = gb.find_student("b.lefevre")
        assert (student.first_name, student.last_name, student.email) == ("Bérénice", "Lefèvre", None)
        assert sorted(s.id for s in gb.students) == ["a.martin", "b.lefevre", "z.ancien"]
    assert learner_names(db_url) == {"a.martin": "Alice Martin-Roux", "b.lefevre": "Bérénice Lefèvre"}


def test_the_command_imports_then_reports_in_french(tmp_path, monkeypatch, capsys):
    course = copy_course(tmp_path / "cours")
    empty_gradebook(course.root)
    monkeypatch.chdir(course.root)
    write(course.root, SEMICOLONS)
    assert main(["apprenants", "apprenants.csv"]) == 0
    assert "2 apprenant(s) lu(s). Carnet de notes : 2 ajouté(s), 0 mis à jour, 0 inchangé(s)." in capsys.readouterr().out
    write(course.root, "id;nom;prénom;e-mail\na.martin;Martin;Alice;alice@\n")
    assert main(["apprenants", "apprenants.csv"]) == 2
    err = capsys.readouterr().err
    assert "Erreur : apprenants.csv : 1 erreur, aucun apprenant n'a été importé" in err
    assert "ligne 2 : adresse e-mail invalide « alice@ »" in err
    write(course.root, "id;nom;prénom;e-mail\na.martin;Martin;Alice;\n")
    assert main(["apprenants", "apprenants.csv"]) == 0
    out = capsys.readouterr().out
    assert "0 ajouté(s), 1 mis à jour" in out and "conservé(s) avec leurs copies et leurs notes" in out and "b.lefevre" in out
    assert main(["apprenants", "absent.csv"]) == 2
    assert "fichier introuvable" in capsys.readouterr().err
