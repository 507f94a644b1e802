"""The jury's decisions: checked before anything is recorded, never overwritten silently, kept in a chained
register whose lines edited by hand are caught."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from mda_checks.course import Course
from mda_checks.csv_input import TableError
from mda_checks.jury.decisions import (
    DecisionError, history, normalise_decision, read_register, record_decisions, register_path,
    session_decisions,
)
from mda_checks.jury.minutes import read_decisions, write_minutes_workbook
from mda_checks.jury.sessions import session_for
from mda_checks.report.timing import PARIS

PROPOSALS = {"alice": "non validé", "bruno": "validé", "chloe": "en attente"}
WHEN = datetime(2026, 12, 10, 18, 0, tzinfo=PARIS)


@pytest.fixture
def course(tmp_path) -> Course:
    return Course(tmp_path)


@pytest.fixture
def session(course):
    return session_for(course, "bloc1", date(2026, 12, 10))


def csv_file(tmp_path, text: str, name: str = "decisions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def record(course, session, path, replace=False):
    from mda_checks.jury.decisions import read_decisions_csv

    return record_decisions(course, session, read_decisions_csv(path), PROPOSALS, path, replace, WHEN)


def test_decisions_are_recorded_with_their_proposal_source_and_time(course, session, tmp_path):
    path = csv_file(tmp_path, "apprenant;décision;commentaire\nbruno;Validé;\n"
                              "alice;non validé;\nchloe;ajourné;Grille de l'oral à refaire.\n")
    recorded = record(course, session, path)
    assert [line.apprenant for line in recorded.added] == ["bruno", "alice", "chloe"]
    lines = read_register(course)
    assert [(line.apprenant, line.decision, line.proposition) for line in lines] == [
        ("bruno", "validé", "validé"), ("alice", "non validé", "non validé"), ("chloe", "ajourné", "en attente")]
    assert lines[0].horodatage == "2026-12-10T18:00:00+01:00" and lines[0].source == "decisions.csv"
    assert len(lines[0].source_sha256) == 64 and lines[0].session == "bloc1-2026-12-10"
    assert session_decisions(course, session.name)["chloe"].commentaire == "Grille de l'oral à refaire."


def test_the_same_decisions_twice_change_nothing(course, session, tmp_path):
    path = csv_file(tmp_path, "apprenant,decision,commentaire\nbruno,validé,\n")
    record(course, session, path)
    before = register_path(course).read_bytes()
    again = record(course, session, path)
    assert again.added == [] and again.unchanged == ["bruno"]
    assert register_path(course).read_bytes() == before
    assert again.undecided == ["alice", "chloe"]


def test_a_changed_decision_is_refused_unless_asked_for_and_then_kept_with_its_history(course, session, tmp_path):
    record(course, session, csv_file(tmp_path, "apprenant;décision;commentaire\nbruno;validé;\n"))
    before = register_path(course).read_bytes()
    change = csv_file(tmp_path, "apprenant;décision;commentaire\nbruno;ajourné;Soutenance à reprendre.\n", "b.csv")
    with pytest.raises(TableError, match="déjà la décision « validé »") as refused:
        record(course, session, change)
    assert "--modifier" in str(refused.value) and "aucune décision n'a été enregistrée" in str(refused.value)
    assert register_path(course).read_bytes() == before  # nothing written
    changed = record(course, session, change, replace=True)
    assert [(line.decision, line.precedente) for line in changed.added] == [("ajourné", "validé")]
    assert [line.decision for line in history(course, "bloc1", "bruno")] == ["validé", "ajourné"]
    assert register_path(course).read_bytes().startswith(before)  # appended, never rewritten


@pytest.mark.parametrize("text, expected", [
    ("apprenant;décision;commentaire\nzoe;validé;\n", "ligne 2 : « zoe » n'est pas un candidat de cette session"),
    ("apprenant;décision;commentaire\nbruno;admis;\n", "ligne 2 : décision « admis » inconnue"),
    ("apprenant;décision;commentaire\nbruno;validé;\nbruno;validé;\n", "ligne 3 : « bruno » a déjà une ligne (ligne 2)"),
    ("apprenant;décision;commentaire\nalice;validé;\n", "diffère de la proposition « non validé » : un commentaire"),
    ("apprenant;décision;commentaire\nchloe;validé;\n", "diffère de la proposition « en attente »"),
    ("apprenant;commentaire\nbruno;x\n", "colonne manquante « décision »"),
])
def test_a_wrong_line_is_named_and_nothing_is_recorded(course, session, tmp_path, text, expected):
    path = csv_file(tmp_path, text)
    with pytest.raises(TableError) as caught:
        record(course, session, path)
    assert expected in str(caught.value)
    assert not register_path(course).exists()


def test_a_blank_decision_leaves_the_candidate_undecided(course, session, tmp_path):
    recorded = record(course, session, csv_file(tmp_path, "apprenant;décision;commentaire\nbruno;;\nalice;;\n"))
    assert recorded.added == [] and recorded.undecided == ["alice", "bruno", "chloe"]


@pytest.mark.parametrize("written, meant", [("VALIDE", "validé"), ("Non-validé", "non validé"),
                                            ("non  valide", "non validé"), (" Ajourné ", "ajourné"), ("admis", None)])
def test_decisions_are_read_whatever_their_case_accents_or_dashes(written, meant):
    assert normalise_decision(written) == meant


def edit_register(course, change) -> None:
    path = register_path(course)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), encoding="utf-8")


@pytest.mark.parametrize("change, line", [
    (lambda lines: [lines[0], lines[1].replace("non validé", "validé"), *lines[2:]], 2),   # a decision edited
    (lambda lines: [lines[0], *lines[2:]], 2),                                           # a line removed
    (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], 2),                       # lines swapped
    (lambda lines: [*lines[:3], lines[3].replace("Grille", "grille")], 4),               # a comment edited
])
def test_a_register_edited_by_hand_is_caught_with_its_line(course, session, tmp_path, change, line):
    record(course, session, csv_file(tmp_path, "apprenant;décision;commentaire\nalice;non validé;\nbruno;validé;\n"
                                               "chloe;ajourné;Grille de l'oral à refaire.\n"))
    assert len(read_register(course)) == 3
    edit_register(course, change)
    with pytest.raises(DecisionError, match=f"ligne {line} : .*modifiée, ajoutée ou retirée hors de `mda jury`"):
        read_register(course)
    with pytest.raises(DecisionError):  # and nothing more is recorded on top of it
        record(course, session, csv_file(tmp_path, "apprenant;décision;commentaire\nalice;non validé;\n", "x.csv"))


def test_the_filled_minutes_workbook_gives_its_decisions_and_its_session(tmp_path):
    content = {"session": "bloc1-2026-12-10", "devoir": "bloc1", "bloc": 1, "intitule": "Stratégie",
               "date": "2026-12-10", "membres": ["Mme A, présidente"], "lieu": "Lille", "regles": ["r"],
               "genere_le": "10 décembre 2026 à 09:00",
               "candidats": [{"apprenant": s, "nom": s.title(), "points": 1.0, "points_max": 2.0, "proposition": p,
                              "motif": "m", "variante": ""} for s, p in PROPOSALS.items()]}
    path = write_minutes_workbook(content, {}, tmp_path / "pv.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Procès-verbal"]
    sheet["E2"], sheet["E3"], sheet["F3"] = "non validé", "Ajourné", "Oral à refaire."
    book.save(path)
    entries, session = read_decisions(path)
    assert session == "bloc1-2026-12-10"
    assert [(e.student, e.decision, e.comment) for e in entries] == [
        ("alice", "non validé", ""), ("bruno", "Ajourné", "Oral à refaire."), ("chloe", "", "")]
    assert entries[0].line == "feuille « Procès-verbal », ligne 2"


def test_a_workbook_that_is_not_minutes_is_refused_in_french(tmp_path):
    path = tmp_path / "autre.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(TableError, match="n'est pas un procès-verbal de `mda jury`"):
        read_decisions(path)
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas un classeur")
    with pytest.raises(TableError, match="classeur illisible"):
        read_decisions(broken)
