"""« Carnet non corrigé »: `mda grade`, the HTML report, the dashboard and the jury's workbook name the same
notebooks with the same French reason, and nothing a trainer reads names a Python class."""
from __future__ import annotations

import contextlib
import html
import io
import re
from functools import cache

import openpyxl
import pytest

from mda_checks.cli import main
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.reasons import EXCEPTION_NAME, exception_words, failure_words, without_exception_names
from mda_checks.grade.ungraded import ungraded_notebooks
from mda_checks.notebook import cells
from mda_checks.referentiel import bloc_label
from tests.grade.helpers import trimmed_course

pytestmark = [pytest.mark.xdist_group("non-corriges")]
ASSIGNMENT = "bloc1"
LABEL = bloc_label(ASSIGNMENT)
#: learner -> the reason every output must give for their notebook (the solved copy has none)
EXPECTED = {"b-vide": "fichier vide", "c-json-casse": "le fichier n'est pas un JSON valide (ligne 1, colonne 12)",
            "d-noyau-tue": "le noyau s'est arrêté (mémoire ou arrêt brutal)", "e-absent": "carnet non rendu"}


@cache
def graded():
    """One notebook of bloc1: a solved copy, then one copy per way of leaving it ungraded; graded, fed back,
    reported, with a jury session; every trainer-facing output kept as text."""
    course = trimmed_course("non-corriges")
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    write_submission(course, "a-solutions", ASSIGNMENT, solved_submission(course, ASSIGNMENT))
    (write_submission(course, "b-vide", ASSIGNMENT, solved_submission(course, ASSIGNMENT)) / f"{first}.ipynb").write_bytes(b"")
    (write_submission(course, "c-json-casse", ASSIGNMENT, solved_submission(course, ASSIGNMENT))
     / f"{first}.ipynb").write_bytes(b'{"cells": [')
    dying = solved_submission(course, ASSIGNMENT)
    next(c for c in dying[first].cells if cells.is_solution(c) and c.cell_type == "code").source = "import os\nos._exit(1)"
    write_submission(course, "d-noyau-tue", ASSIGNMENT, dying)
    (write_submission(course, "e-absent", ASSIGNMENT, solved_submission(course, ASSIGNMENT)) / f"{first}.ipynb").unlink()
    raising = solved_submission(course, ASSIGNMENT)  # graded, with a remark: its answer raises (a wrong column)
    next(c for c in raising[first].cells if cells.is_solution(c) and c.cell_type == "code").source = (
        "import pandas as pd\npd.DataFrame({'ca': [1]})['ca_vae_2025']")
    write_submission(course, "f-erreur", ASSIGNMENT, raising)

    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(course.root)
        for name, argv in (("mda grade", ["grade", "--workers", "2", "--timeout", "300"]),
                           ("mda feedback", ["feedback", "--workers", "2"]), ("mda report", ["report"])):
            console = io.StringIO()
            with contextlib.redirect_stdout(console), contextlib.redirect_stderr(console):
                status = main(argv)
            outputs[name] = (status, console.getvalue())
    return course, first, outputs


def _named_in(text: str, first: str) -> dict[str, str]:
    """learner -> reason, for each learner named in `text` (HTML or not) beside the notebook and their reason."""
    text = html.unescape(text)
    return {student: reason for student, reason in EXPECTED.items()
            if re.search(f"{re.escape(student)}.*?{re.escape(first)}.*?{re.escape(reason)}", text, re.S)}


def test_the_four_ways_are_ungraded_with_their_french_reason_in_the_one_definition():
    course, first, _ = graded()
    found = {(u.student, u.notebook): u.reason for u in ungraded_notebooks(course)}
    assert found == {(student, first): reason for student, reason in EXPECTED.items()}
    retried = {u.student for u in ungraded_notebooks(course) if u.retried}
    assert retried == {"d-noyau-tue"}  # a failed run is graded again; a file as handed in stays as it is


def test_mda_grade_names_every_ungraded_notebook_and_counts_them_as_the_reports_do():
    course, first, outputs = graded()
    status, out = outputs["mda grade"]
    assert status == 0, out  # no copy failed as a whole
    words = " ".join(out.split())  # rich wraps long lines at spaces
    for student, reason in EXPECTED.items():
        assert f"Carnet non corrigé {student} · {LABEL} · {first} : {reason}" in words, out
    total = next(line for line in out.splitlines() if "Total" in line)
    assert re.findall(r"\d+", total) == ["6", "0", "0", "4"], total  # copies graded, failed, skipped; notebooks ungraded
    assert "Correction incomplète : 0 copie(s) en échec et 4 carnet(s) non corrigé(s)" in words
    assert "Carnets non corrigés : 4" in outputs["mda report"][1]


def test_the_html_report_the_dashboard_and_the_jury_workbook_list_the_same_four():
    course, first, _ = graded()
    index = html.unescape((course.step("reports") / "index.html").read_text(encoding="utf-8"))
    assert "Carnets non corrigés (4)" in index and _named_in(index, first) == EXPECTED
    for student, reason in EXPECTED.items():
        page = html.unescape((course.step("reports") / "apprenants" / f"{student}.html").read_text(encoding="utf-8"))
        assert f"{first} — {reason}" in page, student
        summary = html.unescape((course.step("feedback") / student / ASSIGNMENT / "competences.html").read_text(
            encoding="utf-8"))
        assert f"carnet non corrigé : {first} — {reason}" in summary, student

    from mda_checks.report.dashboard import load_promotion
    from mda_checks.report.dashboard_widgets import Dashboard

    board = Dashboard(load_promotion(course.root))
    assert 'data-non-corriges="4"' in board.ungraded.value and _named_in(board.ungraded.value, first) == EXPECTED
    board.learner.value = "b-vide"  # the view of one learner: only their notebook
    assert 'data-non-corriges="1"' in board.ungraded.value and "fichier vide" in board.ungraded.value

    book = openpyxl.load_workbook(course.step("reports") / "grille_competences.xlsx")
    rows = list(book["Carnets non corrigés"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    assert {(row[0], row[1], row[2], row[3]) for row in rows} == {
        (student, LABEL, first, reason) for student, reason in EXPECTED.items()}


def _texts_of_workbook(path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_nothing_a_trainer_reads_names_a_python_class(tmp_path):
    course, _, outputs = graded()
    from mda_checks.jury.convene import convene
    from mda_checks.jury.livrets import livret_context, livret_html
    from mda_checks.jury.minutes import minutes_html
    from mda_checks.report.comments import trainer_comments
    from mda_checks.report.competencies import competency_grid
    from mda_checks.report.dashboard import load_promotion
    from mda_checks.report.dashboard_widgets import Dashboard
    from mda_checks.report.messages import gradebook_cells

    db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    texts = {name: out for name, (_, out) in outputs.items()}
    for path in [*course.step("reports").rglob("*.html"), *course.step("feedback").rglob("competences.html")]:
        texts[str(path.relative_to(course.root))] = path.read_text(encoding="utf-8")
    texts["classeur du jury"] = "\n".join(_texts_of_workbook(course.step("reports") / "grille_competences.xlsx"))
    board = Dashboard(load_promotion(course.root))
    for student in ["", *EXPECTED, "a-solutions", "f-erreur"]:
        board.learner.value = student
        texts[f"tableau de bord {student or 'promotion'}"] = "".join(
            w.value for w in (board.summary, board.ungraded, board.table, board.detail))
    session, content = convene(course, ASSIGNMENT)
    texts["procès-verbal"] = minutes_html(content, {})
    grid = competency_grid(course, db_url, [ASSIGNMENT])
    for candidate in content["candidats"]:
        texts[f"livret {candidate['apprenant']}"] = livret_html(livret_context(
            course, session, content, candidate, grid, gradebook_cells(db_url), trainer_comments(db_url, [ASSIGNMENT]),
            {}, ungraded_notebooks(course)))
    assert "fichier vide" in texts["livret b-vide"] and LABEL in texts["procès-verbal"]
    assert "clé ou colonne introuvable" in texts["tableau de bord f-erreur"]  # the journal's remark, in French
    named = {name: sorted(set(EXCEPTION_NAME.findall(text))) for name, text in texts.items()}
    assert {name: found for name, found in named.items() if found} == {}
    assert not any(re.search(r"\bbloc1\b(?![-/])", re.sub(r"<[^>]+>", " ", text)) and "index" in name
                   for name, text in texts.items())  # the report's index names the bloc by its title


@pytest.mark.parametrize("technical, words", [
    ("DeadKernelError: Kernel died", "le noyau s'est arrêté (mémoire ou arrêt brutal): Kernel died"),
    ("erreur (KeyError)", "erreur (clé ou colonne introuvable)"),
    ("nbclient.exceptions.CellTimeoutError: A cell timed out", "délai d'exécution dépassé: A cell timed out"),
    ("MaClasseError: inventée", "Python a signalé une erreur: inventée"),
])
def test_class_names_become_french_words(technical, words):
    assert without_exception_names(technical) == words and not EXCEPTION_NAME.search(words)
    assert exception_words("NameError").startswith("nom inconnu")
    assert failure_words("DeadKernelError: Kernel died") == "le noyau s'est arrêté (mémoire ou arrêt brutal)"
    assert failure_words("rien de technique") == "raison inconnue (détail au journal)"


def test_a_failure_caused_by_the_projects_own_french_reason_is_told_by_that_reason():
    """A sandbox refusal says why in French; an exception written in English keeps general French words."""
    from mda_checks.grade.sandbox.sandbox_check import refusal

    name = type(refusal("x")).__name__
    detail = f"[AutogradeApp | ERROR] …\nmda_checks.grade.sandbox.sandbox_check.{name}: {refusal('aucune isolation')}"
    assert failure_words(detail) == "correction refusée, bac à sable absent ou non vérifié : aucune isolation"
    assert failure_words("RuntimeError: something English") == exception_words("RuntimeError")
    assert failure_words("RuntimeError: x | DeadKernelError: Kernel died") == "le noyau s'est arrêté (mémoire ou arrêt brutal)"
