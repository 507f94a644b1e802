"""Learners' accounts: names a Unix account can take, passwords that can be read on paper, a sheet closed to others."""
from __future__ import annotations

import csv
import stat

from mda_checks.hub.accounts import ALPHABET, Account, account_problem, new_password, write_password_sheet
from mda_checks.roster import id_problem


def test_ids_that_cannot_be_unix_accounts_are_refused_in_french():
    for bad in ("A.Martin", "1eleve", "é.durand", "zoé.roux", "a b", "x" * 33, "-option", "", "_apt", ".cache"):
        assert "ne peut pas être un compte Unix" in account_problem(bad), bad
        assert id_problem(bad), bad  # the roster refuses it too: one rule for ids and accounts
    for good in ("a.martin", "b_lefevre", "mda12ab-alice", "c-durand2", "x" * 32):
        assert account_problem(good) is None and id_problem(good) is None


def test_passwords_are_three_groups_of_four_unambiguous_characters_and_never_repeat():
    drawn = {new_password() for _ in range(200)}
    assert len(drawn) == 200
    for password in drawn:
        groups = password.split("-")
        assert [len(g) for g in groups] == [4, 4, 4] and set("".join(groups)) <= set(ALPHABET)
    assert not set("01ilo") & set(ALPHABET)


def test_the_password_sheet_is_mode_600_replaces_a_planted_link_and_lists_only_new_passwords(tmp_path):
    folder = tmp_path / "hub"
    folder.mkdir()
    target = tmp_path / "ailleurs.txt"
    target.write_text("à ne pas écraser")
    (folder / "mots-de-passe.csv").symlink_to(target)
    accounts = [Account("a.martin", "apprenant", "Alice Martin", "k7mp-x3qa-9ruw"),
                Account("b.lefevre", "apprenant", "Bérénice Lefèvre", "")]
    sheet = write_password_sheet(folder / "mots-de-passe.csv", accounts, "https://cours.exemple.fr/")
    assert target.read_text() == "à ne pas écraser" and not sheet.is_symlink()
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    with sheet.open(encoding="utf-8-sig") as rows:
        read = list(csv.DictReader(rows, delimiter=";"))
    assert read == [{"rôle": "apprenant", "nom": "Alice Martin", "identifiant": "a.martin",
                     "mot de passe": "k7mp-x3qa-9ruw", "adresse": "https://cours.exemple.fr/"}]
