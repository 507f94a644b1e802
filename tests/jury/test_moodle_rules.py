"""The Moodle export's pieces, and the replay of Moodle's import rules failing on files Moodle refuses."""
from __future__ import annotations

import pytest

from mda_checks.jury.moodle import clean_text, moodle_csv, moodle_number
from tests.jury.moodle_rules import ImportAborted, moodle_import

HEADER = ["Adresse e-mail", "Nom", "bloc1 — total (sur 101)", "bloc1 — commentaire"]
USERS = {"a@exemple.fr", "b@exemple.fr"}


def replay(data: bytes, **options):
    return moodle_import(data, HEADER[0], [HEADER[2]], HEADER[3], USERS, **options)


@pytest.mark.parametrize("value, written", [(97.5, "97.5"), (12.0, "12"), (0.0, "0"), (2.25, "2.25"),
                                            (1 / 3, "0.33"), (-0.0, "0")])
def test_grades_are_written_with_a_decimal_point_and_no_trailing_zeros(value, written):
    assert moodle_number(value) == written


def test_feedback_is_one_line_without_backslashes():
    assert clean_text('Bien ;\n  "chiffré", C:\\ok\\') == 'Bien ; "chiffré", C:/ok/'


def test_a_file_written_by_the_export_reads_back_by_moodle_rules_in_any_language():
    rows = [["a@exemple.fr", "Alice Martin", "97.5", 'Proposition : « validé », "ok", décision ; à venir.'],
            ["b@exemple.fr", "Bruno", "-", ""]]
    data = moodle_csv(HEADER, rows).encode("utf-8")
    for separator in (".", ","):  # an English Moodle, a French one (decsep « , »)
        imported = replay(data, decimal_separator=separator)
        assert imported["a@exemple.fr"][HEADER[2]] == 97.5 and imported["b@exemple.fr"][HEADER[2]] is None
        assert imported["a@exemple.fr"][HEADER[3]] == rows[0][3]


@pytest.mark.parametrize("text, reason", [
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\na@exemple.fr,A,97;5,\n", "badgrade"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\na@exemple.fr,A,97,5,\n", "csvweirdcolumns"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\n,A,97.5,\n", "usermappingerror"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\nz@exemple.fr,A,97.5,\n", "usermappingerror"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\na@exemple.fr,A,\"97,5\",\n", "badgrade"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\na@exemple.fr,A,101,\n", "gradevaluetoobig"),
    ("Adresse e-mail;Nom;bloc1 — total (sur 101);bloc1 — commentaire\na@exemple.fr;A;97.5;\n", "no column"),
    ("Adresse e-mail,Nom,bloc1 — total (sur 101),bloc1 — commentaire\na@exemple.fr,A,9,C:\\\"x\n", "backslash"),
])
def test_the_replay_refuses_what_moodle_refuses(text, reason):
    with pytest.raises(ImportAborted, match=reason):
        replay(text.encode("utf-8"))
