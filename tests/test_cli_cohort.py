"""The trainer's commands on a small simulated cohort: demo → grade → manual grades → feedback → report."""
from functools import cache

import openpyxl
import pytest

from mda_checks.cli import main
from mda_checks.feedback import leaked_hidden_tests
from mda_checks.report.competencies import STATUSES
from tests.grade.helpers import trimmed_course

pytestmark = [pytest.mark.xdist_group("cli-cohort")]
LEARNERS = "5"


@cache
def cohort_course():
    """A demonstration copy (`mda demo --copie`) of a small course, built, as `make demo` makes one."""
    from mda_checks.assign import build_course
    from mda_checks.demo.copy import make_demo_copy

    original = trimmed_course("cli")
    course = make_demo_copy(original, original.root / "demo")
    build_course(course)
    return course


def run(monkeypatch, capsys, *argv):
    monkeypatch.chdir(cohort_course().root)
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out + out.err


def test_the_whole_job_runs_from_the_command_line(monkeypatch, capsys):
    course = cohort_course()
    assert run(monkeypatch, capsys, "demo", "--apprenants", LEARNERS)[0] == 0
    status, out = run(monkeypatch, capsys, "grade", "--workers", "2", "--timeout", "300")
    assert status == 0 and "Bilan de la correction" in out and "Corrigées" in out, out
    status, out = run(monkeypatch, capsys, "grade", "--workers", "2", "--timeout", "300")
    assert status == 0 and f"inchangées depuis la dernière correction : {LEARNERS}" in out, out
    status, out = run(monkeypatch, capsys, "demo", "--apprenants", LEARNERS, "--notes-manuelles")
    assert status == 0 and "[Simulation]" in out
    status, out = run(monkeypatch, capsys, "feedback", "--workers", "2")
    assert status == 0, out
    status, out = run(monkeypatch, capsys, "report")
    assert status == 0 and "reports/grille_competences.xlsx" in out, out

    pages = list(course.step("feedback").rglob("*.html"))
    assert any(p.name == "competences.html" for p in pages)
    notebook_pages = [p for p in pages if p.name != "competences.html"]
    assert notebook_pages and all(not leaked_hidden_tests(p) for p in notebook_pages)
    text = notebook_pages[0].read_text(encoding="utf-8")
    assert "Vérification" in text and "Test cell" not in text and "Student's answer" not in text

    index = (course.step("reports") / "index.html").read_text(encoding="utf-8")
    # one chart per bloc, and the heat map as a table of letters with its legend
    assert index.count("data:image/png;base64,") >= 1 and 'class="carte"' in index and "apprenants/" in index
    assert len(list((course.step("reports") / "apprenants").glob("*.html"))) == int(LEARNERS)

    book = openpyxl.load_workbook(course.step("reports") / "grille_competences.xlsx")
    assert book.sheetnames[0] == "Légende" and "bloc1" in book.sheetnames
    sheet = book["bloc1"]
    assert sheet.freeze_panes == "B2" and sheet["A1"].value == "Apprenant" and sheet["A1"].font.bold
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert values & set(STATUSES)
    assert (course.step("exports") / "notes_nbgrader.csv").read_text(encoding="utf-8").startswith("assignment,")


def test_unknown_assignment_gets_a_french_message(monkeypatch, capsys):
    status, out = run(monkeypatch, capsys, "grade", "bloc9")
    assert status == 2 and "devoir(s) inconnu(s) : bloc9" in out


def test_a_bad_number_of_workers_is_refused_in_french(monkeypatch, capsys):
    monkeypatch.chdir(cohort_course().root)
    with pytest.raises(SystemExit) as stop:
        main(["grade", "--workers", "0"])
    assert stop.value.code == 2 and "la valeur doit être au moins 1" in capsys.readouterr().err


def test_after_a_demo_collecte_and_retours_publier_speak_french_even_without_an_exchange(monkeypatch, capsys):
    """In the demonstration copy (every copy deposited by hand) and in the trainer's course beside it."""
    import shutil

    course = cohort_course()
    if not course.step("feedback").is_dir():  # run alone: the demonstration's job first
        run(monkeypatch, capsys, "demo", "--apprenants", LEARNERS)
        run(monkeypatch, capsys, "grade", "--workers", "2", "--timeout", "300")
        run(monkeypatch, capsys, "feedback", "--workers", "2")
    shutil.rmtree(course.root / "echange", ignore_errors=True)
    status, out = run(monkeypatch, capsys, "collecte", "bloc1")
    assert status == 2 and "le dossier d'échange" in out and "n'existe pas (`mda echange` le crée)" in out, out
    status, out = run(monkeypatch, capsys, "retours", "--publier", "bloc1")
    words = " ".join(out.split())
    assert status == 0 and "Le dossier d'échange n'existait pas" in words, out
    assert "Retours publiés dans l'échange : 0 copie(s)" in words and words.count("Non publié ") == int(LEARNERS)
    status, out = run(monkeypatch, capsys, "collecte", "bloc1")  # an exchange, nothing published yet
    assert status == 2 and "inbound n'existe pas (le devoir a-t-il été publié ?)" in " ".join(out.split()), out
    trainer = course.root.parent  # the trainer's own course, beside its demonstration copy: untouched, and French
    monkeypatch.chdir(trainer)
    assert main(["retours", "--publier", "bloc1"]) == 1
    assert "lancez d'abord `mda retours`" in capsys.readouterr().out
    for text in (out, words):
        assert "Traceback" not in text and "Unwritable" not in text
