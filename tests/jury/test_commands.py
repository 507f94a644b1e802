"""The jury's day on a really graded course (a copy of the e2e harness's bloc2), through `mda`:

`mda jury` proposes and writes the minutes, the jury's filled workbook is recorded (then one decision
changed, with its history), `mda report` and the dashboard show proposal and decision side by side,
`mda livrets` writes one PDF per candidate, `mda archive` seals the session and `--verifier` catches a
byte changed, a file removed or added, and `mda export moodle` writes a file Moodle's rules read back.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from nbgrader.api import Gradebook
from rich.progress import Progress

from mda_checks.cli import main
from mda_checks.course import Course
from mda_checks.jury.decisions import history, read_register
from mda_checks.jury.proposals import OUTCOMES, WAITING, bloc_proposals
from mda_checks.jury.rules import read_rules
from mda_checks.jury.sessions import find_session
from mda_checks.nbgrader_api import course_directory
from mda_checks.report.competencies import competency_grid, data_label
from mda_checks.report.messages import learner_messages
from mda_checks.roster import Learner, import_roster
from mda_checks.variants.learner_case import COMMON
from mda_checks.referentiel import bloc_label
from mda_checks.report.timing import format_when
from tests.conftest import REPO
from tests.e2e.harness import BLANK, SLIPS, SOLVED, graded_course
from tests.jury.moodle_rules import ImportAborted, moodle_import

pypdf = pytest.importorskip("pypdf", reason="pypdf absent : « make install » (extra [test]).")

pytestmark = [pytest.mark.xdist_group("bloc2")]

BLOC = "bloc2"
SESSION = f"{BLOC}-2026-12-10"
MEMBERS = ["Mme Claire Dupont, présidente", "M. Karim Benali, expert du métier"]
COMMENT = "Plan de prospection bien argumenté ; chiffrez le coût d'acquisition."
CHANGED = "Dossier complété à l'oral : le jury valide."
EMAILS = {SOLVED: "s.resolu@exemple.fr", SLIPS: "e.erreurs@exemple.fr"}  # BLANK has no address


@dataclass
class JuryDay:
    course: Course
    outputs: dict = field(default_factory=dict)   # step -> (status, stdout, stderr)
    progress: list = field(default_factory=list)  # `mda livrets`: the livrets on disk at each step of its bar

    @property
    def session(self):
        return find_session(self.course, SESSION)

    @property
    def db_url(self) -> str:
        return course_directory(self.course.root).db_url


def run(day: JuryDay, step: str, capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    day.outputs[step] = (status, captured.out, captured.err)
    return day.outputs[step]


def first_written_answer(course: Course, student: str) -> tuple[str, str]:
    with Gradebook(course_directory(course.root).db_url) as gb:
        submission = gb.find_submission(BLOC, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.cell.type == "GradeCell" and grade.needs_manual_grade:
                    return notebook.name, grade.name
    raise AssertionError("aucune réponse rédigée en attente")


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """The whole day, once: each test reads what a step left."""
    graded = graded_course(BLOC)
    root = tmp_path_factory.mktemp("jury") / "cours"
    shutil.copytree(graded.course.root, root, symlinks=True, ignore=shutil.ignore_patterns("jury", "reports", "exports"))
    shutil.copy(REPO / "jury.toml", root / "jury.toml")  # the course's rules: the shipped defaults
    course = Course(root)
    day = JuryDay(course)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        capsys = _Capture()
        import_roster(day.db_url, [Learner(s, "Nom", s.title(), EMAILS.get(s)) for s in (SOLVED, SLIPS, BLANK)])
        notebook, grade_id = first_written_answer(course, SOLVED)
        from mda_checks.grade.manual import set_manual_grade

        set_manual_grade(day.db_url, BLOC, SOLVED, notebook, grade_id, 1.0, COMMENT)
        grade_manual_cells(day.db_url)
        run(day, "jury", capsys, "jury", BLOC, "--date", "2026-12-10", "--membres", *MEMBERS, "--lieu", "Lille")
        minutes = day.session.folder / "proces-verbal.xlsx"
        fill_minutes(minutes, day.session.read())
        run(day, "decisions", capsys, "jury", BLOC, "--decisions", str(minutes))
        change = root / "changement.csv"
        change.write_text(f"apprenant;décision;commentaire\n{BLANK};validé;{CHANGED}\n", encoding="utf-8")
        run(day, "refused", capsys, "jury", BLOC, "--decisions", str(change))
        run(day, "changed", capsys, "jury", BLOC, "--decisions", str(change), "--modifier")
        run(day, "report", capsys, "report", BLOC)
        with pytest.MonkeyPatch.context() as progress:  # the bar: how many livrets were on disk at each step
            day.progress = []
            advance = Progress.advance

            def counted(bar, task, *args, **kwargs):
                day.progress.append(len(list(day.session.livrets.glob("*.pdf"))))
                return advance(bar, task, *args, **kwargs)

            progress.setattr(Progress, "advance", counted)
            run(day, "livrets", capsys, "livrets", BLOC)
        (root / "submitted" / SLIPS / BLOC / "cle.txt").symlink_to(root / ".mda" / "cle_variantes")
        (root / "feedback" / SLIPS / BLOC / "submission_secret.txt").write_text("secret de nbgrader\n", encoding="utf-8")
        run(day, "archive", capsys, "archive", SESSION)
        run(day, "moodle", capsys, "export", "moodle", BLOC)
        run(day, "moodle-username", capsys, "export", "moodle", BLOC, "--identifiant", "nom-utilisateur",
            "--fichier", str(root / "exports" / "moodle_utilisateurs.csv"))
    return day


def grade_manual_cells(db_url: str) -> None:
    """The trainers' and the jury's grades: SOLVED full marks, SLIPS half; BLANK's stay pending."""
    from mda_checks.grade.manual import apply_manual_grade

    with Gradebook(db_url) as gb:
        for student, share in ((SOLVED, 1.0), (SLIPS, 0.5)):
            for notebook in gb.find_submission(BLOC, student).notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        apply_manual_grade(grade, grade.max_score * share)
        gb.db.commit()


class _Capture:
    """capsys for a module-scoped fixture: stdout and stderr captured around each command."""

    def __init__(self):
        import io

        self._io = io
        self._out = self._err = None

    def readouterr(self):
        import contextlib

        if self._out is None:
            self._out, self._err = self._io.StringIO(), self._io.StringIO()
            self._stack = contextlib.ExitStack()
            self._stack.enter_context(contextlib.redirect_stdout(self._out))
            self._stack.enter_context(contextlib.redirect_stderr(self._err))
            return _Captured("", "")
        self._stack.close()
        found = _Captured(self._out.getvalue(), self._err.getvalue())
        self._out = None
        return found


@dataclass
class _Captured:
    out: str
    err: str


def fill_minutes(path: Path, content: dict) -> None:
    """The jury's work: the proposal where there is one, « ajourné » (with its reason) where it waits;
    SOLVED gets the opposite of its proposal, with a comment."""
    book = openpyxl.load_workbook(path)
    sheet = book["Procès-verbal"]
    for row in range(2, 2 + len(content["candidats"])):
        student, proposal = sheet.cell(row, 2).value, sheet.cell(row, 3).value
        decision, comment = (proposal, "") if proposal != WAITING else ("ajourné", "Grille de l'oral à compléter.")
        if student == SOLVED:
            decision = "non validé" if proposal == "validé" else "validé"
            comment = "Décision contraire à la proposition, motivée par la soutenance."
        sheet.cell(row, 5).value, sheet.cell(row, 6).value = decision, comment
    book.save(path)


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def squeezed(texts: list[str]) -> str:
    """The text without its spaces and line breaks (a table cell wraps « exemple-solutions » at its dash)."""
    return "".join("".join(texts).split())


def assert_accessible_pdf(path: Path) -> None:
    """A tagged PDF (structure tree: read aloud in order), in French, with an outline, pages numbered."""
    reader = pypdf.PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root, path.name
    assert root["/Lang"] == "fr" and reader.outline, path.name
    pages = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"page {number} sur {len(pages)}" in text, (path.name, number)


# --- mda jury: proposals and minutes --------------------------------------------------------------------------

def test_every_candidate_gets_a_proposal_with_its_reason(day):
    status, out, err = day.outputs["jury"]
    assert status == 0, (out, err)
    grid = competency_grid(day.course, day.db_url, [BLOC])
    expected = {p.student: p for p in bloc_proposals(grid, BLOC, read_rules(day.course.root))}
    assert set(expected) == {SOLVED, SLIPS, BLANK}
    for student, proposal in expected.items():
        assert f"({student}) : {proposal.outcome}. {proposal.reason}" in out
    assert proposal.outcome in OUTCOMES
    record = day.session.read()
    assert [c["apprenant"] for c in record["candidats"]] == sorted(expected)
    assert record["membres"] == MEMBERS and record["lieu"] == "Lille"
    blank = next(c for c in record["candidats"] if c["apprenant"] == BLANK)
    assert blank["proposition"] != "validé" and "Non acquises" in blank["motif"] or "Notes attendues" in blank["motif"]


def test_the_minutes_are_a_printable_workbook_and_a_tagged_pdf_with_a_signature_block(day):
    folder = day.session.folder
    book = openpyxl.load_workbook(folder / "proces-verbal.xlsx")
    sheet = book["Procès-verbal"]
    assert [c.value for c in sheet[1]] == ["Candidat", "Identifiant", "Proposition", "Motif de la proposition",
                                           "Décision du jury", "Commentaire du jury"]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$1:$1" and "&P" in sheet.oddFooter.center.text
    assert any('"validé,non validé,ajourné"' == v.formula1 for v in sheet.data_validations.dataValidation)
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Fait à Lille, le 10 décembre 2026." in texts and set(MEMBERS) <= set(texts)
    whole = squeezed(pdf_text(folder / "proces-verbal.pdf"))
    for student in (SOLVED, SLIPS, BLANK):
        assert student in whole
    assert "Signatures" in whole and all(squeezed([member]) in whole for member in MEMBERS)
    assert_accessible_pdf(folder / "proces-verbal.pdf")


# --- decisions -------------------------------------------------------------------------------------------------

def test_the_filled_minutes_are_recorded_and_a_change_needs_modifier_and_keeps_its_history(day):
    status, out, err = day.outputs["decisions"]
    assert status == 0, (out, err)
    assert "3 décision(s) enregistrée(s)" in out
    status, out, err = day.outputs["refused"]
    assert status == 2 and "--modifier" in err and "aucune décision n'a été enregistrée" in err
    status, out, err = day.outputs["changed"]
    assert status == 0 and "1 modifiée(s)" in out, (out, err)
    lines = read_register(day.course)
    assert len(lines) == 4 and all(line.session == SESSION for line in lines)
    blank = history(day.course, BLOC, BLANK)
    assert len(blank) == 2 and (blank[-1].decision, blank[-1].commentaire) == ("validé", CHANGED)
    assert blank[-1].precedente == blank[0].decision == "ajourné"


def test_recorded_decisions_appear_beside_the_proposals_in_the_reports(day):
    status, out, err = day.outputs["report"]
    assert status == 0, (out, err)
    reports = day.course.step("reports")
    index = html.unescape((reports / "index.html").read_text(encoding="utf-8"))
    assert f"{bloc_label(BLOC)} — proposition et décision du jury" in index and CHANGED in index
    page = (reports / "apprenants" / f"{BLANK}.html").read_text(encoding="utf-8")
    assert "Proposition au jury" in page and "décision du jury : <strong>validé</strong>" in page
    assert "1 décision(s) antérieure(s)" in page
    book = openpyxl.load_workbook(reports / "grille_competences.xlsx")
    assert book.sheetnames[:3] == ["Légende", "Synthèse", "Jury"] and book.sheetnames[-2:] == ["Commentaires",
                                                                                                "Critères"]
    jury = {row[0]: row for row in book["Jury"].iter_rows(min_row=2, values_only=True)}
    blank = next(row for name, row in jury.items() if name.endswith(f"({BLANK})"))
    assert blank[4] == "validé" and blank[6] == CHANGED and blank[2] in OUTCOMES
    comments = [row for row in book["Commentaires"].iter_rows(min_row=2, values_only=True)]
    assert any(row[6] == COMMENT and row[0].endswith(f"({SOLVED})") for row in comments)
    assert not any(row[6] == "Pas de réponse." for row in comments)  # nbgrader's own words are not a trainer's


def test_the_dashboard_shows_the_proposal_and_the_decision_of_a_learner(day):
    from mda_checks.report.dashboard import learner_detail, load_promotion

    promotion = load_promotion(day.course.root)
    bloc = learner_detail(promotion, BLANK).blocs[0]
    assert bloc.proposition in OUTCOMES
    assert bloc.decision.startswith("validé (le ")
    solved = learner_detail(promotion, SOLVED).blocs[0]
    assert solved.decision.split(" (")[0] != solved.proposition  # the jury's contrary decision, beside the proposal
    from mda_checks.report.dashboard import Filters
    from mda_checks.report.dashboard_widgets import Dashboard

    shown = html.unescape(Dashboard(promotion)._detail_html(Filters(apprenant=BLANK)))
    assert "<th>Proposition du jury</th><th>Décision du jury</th>" in shown and f"<td>{bloc.decision}</td>" in shown


def test_a_changed_decision_shows_both_decisions_dated_and_in_order_in_the_reports_and_the_dashboard(day):
    """BLANK's « ajourné » was changed to « validé » with --modifier: the learner page, the dashboard and the
    workbook show both, each with its date and session, the earlier first."""
    from mda_checks.report.dashboard import Filters, learner_detail, load_promotion
    from mda_checks.report.dashboard_widgets import Dashboard

    first, then = history(day.course, BLOC, BLANK)
    assert (first.decision, then.decision, then.precedente) == ("ajourné", "validé", "ajourné")
    first_on, then_on = (format_when(datetime.fromisoformat(line.horodatage)) for line in (first, then))
    page = html.unescape((day.course.step("reports") / "apprenants" / f"{BLANK}.html").read_text(encoding="utf-8"))
    table = page.split('<table class="historique">', 1)[1].split("</table>", 1)[0]
    assert "<caption>Historique des décisions du jury" in table
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      table)
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        (first_on, SESSION, "ajourné", first.commentaire), (then_on, SESSION, "validé (remplace « ajourné »)", CHANGED)]

    promotion = load_promotion(day.course.root)
    line = (f"ajourné le {first_on} (session {SESSION}) → validé le {then_on} (session {SESSION})")
    assert learner_detail(promotion, BLANK).blocs[0].historique == line
    shown = html.unescape(Dashboard(promotion)._detail_html(Filters(apprenant=BLANK)))
    assert "<th>Historique des décisions</th>" in shown and f"<td>{line}</td>" in shown
    solved = learner_detail(promotion, SOLVED).blocs[0].historique
    assert solved.count(" le ") == 1 and "→" not in solved  # one decision, no change

    book = openpyxl.load_workbook(day.course.step("reports") / "grille_competences.xlsx")
    sheet = book["Historique des décisions"]
    assert book.sheetnames.index("Historique des décisions") == book.sheetnames.index("Jury") + 1
    assert [c.value for c in sheet[1]][2:8] == ["Enregistrée le (heure de Paris)", "Session", "Proposition alors",
                                                "Décision du jury", "Remplace", "Commentaire du jury"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0].endswith(f"({BLANK})")]
    assert [tuple(value or "" for value in row[2:8]) for row in rows] == [  # an empty cell reads back as None
        (first_on, SESSION, first.proposition, "ajourné", "", first.commentaire),
        (then_on, SESSION, then.proposition, "validé", "ajourné", CHANGED)]
    assert len(list(sheet.iter_rows(min_row=2))) == len(read_register(day.course))  # every decision, none left out


# --- livrets ---------------------------------------------------------------------------------------------------

def test_one_livret_per_candidate_opening_with_the_grid_text_extractable_and_page_numbered(day):
    status, out, err = day.outputs["livrets"]
    assert status == 0, (out, err)
    livrets = sorted(day.session.livrets.glob("*.pdf"))
    assert [p.stem for p in livrets] == sorted([SOLVED, SLIPS, BLANK])
    for path in livrets:
        pages = pdf_text(path)
        first = pages[0]
        assert first.startswith("Livret d'évaluation") and "Grille des critères d'évaluation (CE)" in first
        assert "CE2.1.1" in first and path.stem in first
        assert_accessible_pdf(path)
    solved = "\n".join(pdf_text(day.session.livrets / f"{SOLVED}.pdf"))
    assert " ".join(COMMENT.split()) in " ".join(solved.split())
    assert "Décision du jury : " in solved
    message = next(m.text for m in learner_messages(day.course, SLIPS, BLOC).values() if len(m.text) > 40)
    slips = " ".join("\n".join(pdf_text(day.session.livrets / f"{SLIPS}.pdf")).split())
    assert " ".join(message.split())[:40] in slips  # an automatic message of the grading
    blank = " ".join("\n".join(pdf_text(day.session.livrets / f"{BLANK}.pdf")).split())
    assert "Historique des décisions du jury" in blank and CHANGED in blank


def test_the_livret_opens_with_the_candidates_identity_e_mail_and_case_data(day):
    candidate = next(c for c in day.session.read()["candidats"] if c["apprenant"] == SOLVED)
    case = data_label(candidate["variante"])
    assert case.startswith("variante V-")  # SOLVED was given a personal copy: its own variant of the case
    first = squeezed(pdf_text(day.session.livrets / f"{SOLVED}.pdf")[:1])
    for shown in (f"Candidat{candidate['nom']}", f"Identifiant{SOLVED}", f"Adressee-mail{EMAILS[SOLVED]}",
                  f"Donnéesducas{case}"):
        assert squeezed([shown]) in first, shown
    blank = squeezed(pdf_text(day.session.livrets / f"{BLANK}.pdf")[:1])
    assert f"Donnéesducas{squeezed([COMMON])}" in blank and "Adressee-mail" not in blank  # common copy, no address


def test_mda_livrets_advances_its_progress_bar_once_per_candidate_as_each_livret_is_written(day):
    candidates = len(day.session.read()["candidats"])
    assert day.progress == list(range(1, candidates + 1)), day.progress
    status, out, err = day.outputs["livrets"]
    assert f"Livrets écrits : {candidates}" in out


# --- archive ---------------------------------------------------------------------------------------------------

def archive_path(day) -> Path:
    return day.course.step("jury") / "archives" / f"{SESSION}.zip"


def test_the_archive_holds_the_evidence_and_never_the_course_key_nor_a_planted_link(day):
    status, out, err = day.outputs["archive"]
    assert status == 0, (out, err)
    with zipfile.ZipFile(archive_path(day)) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
        manifest = archive.read(f"{SESSION}/MANIFESTE.sha256").decode()
    for student in (SOLVED, SLIPS, BLANK):
        assert f"session/livrets/{student}.pdf" in names
        assert any(n.startswith(f"submitted/{student}/{BLOC}/") for n in names)
        assert any(n.startswith(f"autograded/{student}/{BLOC}/") and n.endswith(".ipynb") for n in names)
    assert {"session/proces-verbal.pdf", "session/proces-verbal.xlsx", "decisions.csv", "correcteur.json",
            "variantes.csv", "jury.toml", "MANIFESTE.sha256"} <= names
    assert not any("cle_variantes" in n or n.endswith(("cle.txt", "submission_secret.txt")) for n in names)
    assert f"Non archivé : submitted/{SLIPS}/{BLOC}/cle.txt (lien symbolique)" in out
    assert len(manifest.splitlines()) == len(names) - 1
    assert "Empreinte du manifeste (SHA-256) : " in out


def test_the_archive_records_the_graders_fingerprint_and_its_versions(day):
    from importlib.metadata import version

    from mda_checks.config import GRADING_LIMITS
    from mda_checks.grade.runs.cohort import _settings_key
    from mda_checks.grade.runs.state import GRADER_PACKAGES, GradingState, grader_fingerprint
    from mda_checks.nbgrader_api import course_api

    with zipfile.ZipFile(archive_path(day)) as archive:
        record = json.loads(archive.read(f"{SESSION}/correcteur.json"))
    timeout = int(course_api(day.course.root).config.Execute.get("timeout", 30))
    expected = grader_fingerprint(day.course, BLOC, _settings_key(timeout, GRADING_LIMITS))
    assert re.fullmatch(r"[0-9a-f]{64}", expected) and record["empreinte_correcteur"] == expected
    state = GradingState.of(day.course)
    for student in (SOLVED, SLIPS, BLANK):  # what `mda grade` recorded for each copy, and under which grader
        stored = state.fingerprint(student, BLOC)
        assert stored and record["copies"][student] == {"empreinte": stored,
                                                        "correcteur_actuel": stored.endswith(f":{expected}")}
    versions = dict(entry.split("=", 1) for entry in record["versions"])
    assert list(versions) == [*GRADER_PACKAGES, "python"] and all(versions.values())
    assert versions["nbgrader"] == version("nbgrader") and versions["python"] == sys.version.split()[0]


def verify(day, capsys, path: Path, *options: str) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(day.course.root)
        capsys.readouterr()
        status = main(["archive", "--verifier", str(path), *options])
        return status, capsys.readouterr().out


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the archive with `change(name, data)` applied to its members (None drops one)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
        extra = change("__ajout__", b"")
        if extra is not None:
            new.writestr(f"{SESSION}/session/ajout.txt", extra)
    return target


def test_verifying_the_sealed_archive_finds_it_intact(day, capsys):
    status, out = verify(day, capsys, archive_path(day))
    assert status == 0 and "Archive intacte" in out, out


def test_one_byte_changed_in_the_archive_file_is_reported(day, capsys, tmp_path):
    data = bytearray(archive_path(day).read_bytes())
    with zipfile.ZipFile(archive_path(day)) as archive:
        info = archive.getinfo(f"{SESSION}/decisions.csv")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0x01  # a byte of the member's compressed data
    altered = tmp_path / f"{SESSION}.zip"
    altered.write_bytes(bytes(data))
    status, out = verify(day, capsys, altered)
    assert status == 1 and "Modifié : decisions.csv" in out and "ALTÉRÉE" in out, out


def test_a_member_rewritten_removed_or_added_is_reported(day, capsys, tmp_path):
    target = f"{SESSION}/session/livrets/{SLIPS}.pdf"

    def one_byte(name, data):
        if name == target:
            return data[:100] + bytes([data[100] ^ 1]) + data[101:]
        return None if name == "__ajout__" else data

    status, out = verify(day, capsys, rewritten(archive_path(day), tmp_path / "a.zip", one_byte))
    assert status == 1 and f"Modifié : session/livrets/{SLIPS}.pdf" in out, out
    status, out = verify(day, capsys, rewritten(archive_path(day), tmp_path / "b.zip",
                                                lambda name, data: None if name in (target, "__ajout__") else data))
    assert status == 1 and f"Manquant : session/livrets/{SLIPS}.pdf" in out, out
    status, out = verify(day, capsys, rewritten(archive_path(day), tmp_path / "c.zip",
                                                lambda name, data: b"ajout" if name == "__ajout__" else data))
    assert status == 1 and "Ajouté (absent du manifeste) : session/ajout.txt" in out, out


def test_a_file_altered_with_its_manifest_rewritten_to_match_is_reported(day, capsys, tmp_path):
    """The forger changes a decision and writes its new SHA-256 into the manifest: every file matches its
    manifest line, but the manifest is no longer the one sealed (jury/archives.csv, or --empreinte)."""
    with zipfile.ZipFile(archive_path(day)) as archive:
        sealed = hashlib.sha256(archive.read(f"{SESSION}/MANIFESTE.sha256")).hexdigest()
        register = archive.read(f"{SESSION}/decisions.csv")
    forged_register = register.replace("ajourné".encode(), "validé".encode(), 1)
    assert forged_register != register
    old_line = f"{hashlib.sha256(register).hexdigest()}  decisions.csv".encode()
    new_line = f"{hashlib.sha256(forged_register).hexdigest()}  decisions.csv".encode()

    def forge(name, data):
        if name == f"{SESSION}/decisions.csv":
            return forged_register
        if name == f"{SESSION}/MANIFESTE.sha256":
            assert old_line in data
            return data.replace(old_line, new_line)
        return None if name == "__ajout__" else data

    (tmp_path / "a").mkdir()
    forged = rewritten(archive_path(day), tmp_path / "a" / f"{SESSION}.zip", forge)
    status, out = verify(day, capsys, forged)  # the course's register: what was sealed under that name
    assert status == 1 and "Le manifeste n'est pas celui qui a été scellé" in out and sealed in out, out
    assert "Modifié :" not in out  # each file matches the forged manifest: only the sealed digest tells
    status, out = verify(day, capsys, forged.rename(tmp_path / "copie.zip"), "--empreinte", sealed)
    assert status == 1 and "Le manifeste n'est pas celui qui a été scellé" in out, out
    status, out = verify(day, capsys, tmp_path / "copie.zip")  # no sealed digest to compare with: said so
    assert "aucune empreinte de scellement à comparer" in out and "Archive intacte" not in out, out


def test_a_sealed_archive_is_never_replaced(day, capsys):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(day.course.root)
        capsys.readouterr()
        assert main(["archive", SESSION]) == 2
        assert "une archive scellée n'est jamais remplacée" in capsys.readouterr().err


# --- Moodle ----------------------------------------------------------------------------------------------------

def test_the_moodle_file_reads_back_by_moodles_rules_with_the_gradebooks_points(day):
    status, out, err = day.outputs["moodle"]
    assert status == 0, (out, err)
    data = (day.course.step("exports") / f"moodle_{BLOC}.csv").read_bytes()
    header = data.decode("utf-8").splitlines()[0].split(",")
    grades = [h for h in header if "(sur " in h]
    assert header[0] == "Adresse e-mail" and grades[-1].startswith(f"{BLOC} — total (sur ")
    for separator in (".", ","):
        imported = moodle_import(data, header[0], grades, header[-1], set(EMAILS.values()),
                                 decimal_separator=separator, gradepointmax=1000)
        assert set(imported) == set(EMAILS.values())
    with Gradebook(day.db_url) as gb:
        for student, email in EMAILS.items():
            submission = gb.find_submission(BLOC, student)
            total = None if submission.needs_manual_grade else round(submission.score, 2)
            assert imported[email][grades[-1]] == total
            for notebook in submission.notebooks:
                column = next(g for g in grades if f"— {notebook.name} (sur" in g)
                expected = None if notebook.needs_manual_grade else round(notebook.score, 2)
                assert imported[email][column] == expected
    assert "Décision du jury : " in imported[EMAILS[SOLVED]][header[-1]]
    assert f"faute d'identifiant Moodle : {BLANK}" in out


def test_the_moodle_file_by_username_names_every_learner_and_reads_back_by_moodles_rules(day):
    status, out, err = day.outputs["moodle-username"]
    assert status == 0, (out, err)
    by_email = (day.course.step("exports") / f"moodle_{BLOC}.csv").read_bytes()
    data = (day.course.step("exports") / "moodle_utilisateurs.csv").read_bytes()
    header = data.decode("utf-8").splitlines()[0].split(",")
    grades = [h for h in header if "(sur " in h]
    assert header[0] == "Nom d'utilisateur" and header[1:] == by_email.decode("utf-8").splitlines()[0].split(",")[1:]
    usernames = {student.lower() for student in (SOLVED, SLIPS, BLANK)}
    imported = moodle_import(data, header[0], grades, header[-1], usernames, gradepointmax=1000)
    assert set(imported) == usernames  # BLANK has no address, but a username: nobody is left out
    emailed = moodle_import(by_email, "Adresse e-mail", grades, header[-1], set(EMAILS.values()), gradepointmax=1000)
    for student, email in EMAILS.items():
        assert imported[student.lower()] == emailed[email]
    with pytest.raises(ImportAborted, match="usermappingerror"):  # a username Moodle does not know aborts it all
        moodle_import(data, header[0], grades, header[-1], usernames - {BLANK.lower()}, gradepointmax=1000)
