"""Autograde submissions so that one broken notebook costs only itself.

nbgrader grades a whole submission at once and gives up on all of it when one
notebook cannot be read or its kernel dies. A submission whose notebooks are all
readable is first graded in one nbgrader run (the fast path); if that run fails,
each notebook is graded on its own (nbgrader's ``--notebook`` option). Unreadable
or missing notebooks get 0 in the gradebook, as nbgrader does for missing files,
and every problem is recorded.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.utils import capture_log, temp_attrs

from mda_checks.course import Course
from mda_checks.grade.sandbox.capped_execute import TIMEOUT_ERROR, UNRESPONSIVE, UNRESPONSIVE_ERROR
from mda_checks.grade.inspect import GRADABLE, inspect_submission
from mda_checks.grade.reasons import KERNEL_DIED as KERNEL_DIED_WORDS
from mda_checks.grade.reasons import exception_words, failure_words, without_exception_names
from mda_checks.nbgrader_api import failure_reason
from mda_checks.statuses import NotebookStatus

GRADED, GRADED_WITH_NOTES, NOT_GRADED, FAILED = (NotebookStatus.GRADED, NotebookStatus.GRADED_WITH_NOTES,
                                                 NotebookStatus.NOT_GRADED, NotebookStatus.FAILED)

#: a write refused by the kernel's quota (a full tmpfs) or by its file size limit (RLIMIT_FSIZE)
SPACE_EXHAUSTED = re.compile(r"No space left on device|File too large|Disk quota exceeded")
KERNEL_DIED = re.compile(r"Kernel died|DeadKernelError|kernel died", re.I)
_EXECUTION_PROBLEMS = [
    (KERNEL_DIED, "le noyau Python s'est arrêté pendant l'exécution (mémoire épuisée ou arrêt forcé)"),
]


@dataclass
class NotebookOutcome:
    """What happened to one notebook of one submission, for the journal.

    `notes` and `cause` are what trainers read (French, no Python class name); `detail` keeps the
    technical detail (exceptions, nbgrader's log line) for the journal's last column."""

    student: str
    assignment: str
    notebook: str
    status: str
    notes: str
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    cause: str = ""   # a notebook not graded: why, in a few French words (mda_checks.grade.ungraded)
    detail: str = ""


def run_autograde(api: NbGraderAPI, assignment: str, student: str, notebook: str) -> dict:
    """nbgrader autograde of one notebook (forced), as NbGraderAPI.autograde does for a whole submission."""
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student, notebook_id=notebook):
        app = Autograde(coursedir=api.coursedir, parent=api)
        app.force = True
        app.create_student = True
        return capture_log(app)


def execution_notes(log: str) -> list[str]:
    notes = []
    for pattern, message in _EXECUTION_PROBLEMS:
        match = pattern.search(log or "")
        if match:
            notes.append(message.format(*match.groups()))
    return notes


def error_notes(autograded: Path, timeout: int | None = None, details: list[str] | None = None) -> list[str]:
    """Cells of the graded notebook that ended on an error (the learner's code raised, or ran out of
    time), and check cells whose hand-over could not be used; the exceptions' names and messages go
    to `details` (the journal's technical column), never to the notes."""
    if not autograded.is_file():
        return []
    notes, details = [], details if details is not None else []
    for index, cell in enumerate(nbformat.read(autograded, as_version=4).cells):
        for output in cell.get("outputs", []):
            where = cell.metadata.get("nbgrader", {}).get("grade_id") or f"n° {index + 1}"
            problem = output.get("metadata", {}).get("mda", {}).get("probleme")
            if problem:  # written by ScoreAnswers: the check cell handed no usable answer over
                french = without_exception_names(problem)
                notes.append(f"vérification « {where} » : {french}")
                if french != problem:
                    details.append(f"vérification « {where} » : {problem}")
            if output.output_type != "error":
                continue
            if output.ename == UNRESPONSIVE_ERROR:
                notes.append(f"la cellule « {where} » ignore l'interruption après le délai : {UNRESPONSIVE} ; "
                             "le carnet a été arrêté là, les cellules suivantes n'ont pas été exécutées")
            elif output.ename == TIMEOUT_ERROR:
                limit = f" ({timeout} s)" if timeout else ""
                notes.append(f"délai dépassé{limit} dans la cellule « {where} » : "
                             "elle a été interrompue et ses vérifications valent 0")
            elif SPACE_EXHAUSTED.search(output.evalue or ""):
                notes.append(f"espace d'écriture du noyau épuisé dans la cellule « {where} » (quota commun au dossier de "
                             "travail et à /tmp, ou taille maximale d'un fichier) : la cellule s'est arrêtée sur une erreur")
            else:
                notes.append(f"erreur d'exécution dans la cellule « {where} » : {exception_words(output.ename)}")
                details.append(f"cellule « {where} » : {output.ename}: {output.evalue[:120]}")
    return notes


def zero_notebooks(db_url: str, assignment: str, student: str, notebooks: list[str]) -> None:
    """Give 0 to every autograded cell of notebooks that could not be run (as nbgrader does for missing ones)."""
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student)
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:
            gb.add_submission(assignment, student)
        for name in notebooks:
            for grade in gb.find_submission_notebook(name, assignment, student).grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gb.db.commit()


def notebook_scores(db_url: str, assignment: str, student: str) -> dict[str, tuple[float, float]]:
    with Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {nb.name: (nb.score, nb.max_score) for nb in submission.notebooks}


def autograde_submission(api: NbGraderAPI, course: Course, student: str, assignment: str) -> list[NotebookOutcome]:
    """Grade every readable notebook of one submission; record the others with their reason."""
    from mda_checks.grade.sandbox import warm_kernels

    try:
        return _autograde_submission(api, course, student, assignment)
    finally:
        warm_kernels.shutdown()  # a warm kernel never outlives its submission


def _autograde_submission(api: NbGraderAPI, course: Course, student: str, assignment: str) -> list[NotebookOutcome]:
    check = inspect_submission(course, student, assignment)
    graded_folder = course.step("autograded") / student / assignment
    timeout = api.config.get("Execute", {}).get("timeout")
    whole, shared_seconds = None, 0.0
    if check.notebooks and all(nb.state == GRADABLE for nb in check.notebooks):
        start = time.perf_counter()
        whole = run_autograde(api, assignment, student, "*")
        shared_seconds = round((time.perf_counter() - start) / len(check.notebooks), 2)
        if not whole.get("success"):
            whole = None  # a notebook broke the run: grade them one by one, so it costs only itself
    outcomes, ungraded = [], []
    for nb in check.notebooks:
        start = time.perf_counter()
        if nb.state != GRADABLE:
            ungraded.append(nb.name)
            (graded_folder / f"{nb.name}.ipynb").unlink(missing_ok=True)
            outcomes.append(NotebookOutcome(student, assignment, nb.name, NOT_GRADED, "; ".join(nb.notes),
                                            cause=nb.cause, detail=nb.detail))
            continue
        result = whole or run_autograde(api, assignment, student, nb.name)
        notes = list(nb.notes)
        if not result.get("success") and KERNEL_DIED.search(result.get("log", "") or ""):
            # a kernel that died is given one more chance, alone, before the notebook is failed
            result = run_autograde(api, assignment, student, nb.name)
            notes.append("noyau arrêté au premier essai : carnet recorrigé seul"
                         + ("" if result.get("success") else ", sans succès"))
        seconds = shared_seconds if whole else round(time.perf_counter() - start, 2)
        details: list[str]
        details, cause = [], ""
        if result.get("success"):
            notes += error_notes(graded_folder / f"{nb.name}.ipynb", timeout, details)
            status = GRADED_WITH_NOTES if notes else GRADED
        else:
            status = FAILED
            ungraded.append(nb.name)
            found = execution_notes(result.get("log", ""))
            notes += found
            details.append(failure_reason(result))
            cause = KERNEL_DIED_WORDS if found else failure_words(details[-1])
            notes.append(f"nbgrader n'a pas pu corriger ce notebook : {cause}")
        outcomes.append(NotebookOutcome(student, assignment, nb.name, status, "; ".join(notes), seconds=seconds,
                                        cause=cause, detail=" | ".join(details)))
    db_url = api.coursedir.db_url
    if ungraded:
        zero_notebooks(db_url, assignment, student, ungraded)
    if check.unexpected:
        add_submission_note(outcomes, unexpected_note(check.unexpected))
    scores = notebook_scores(db_url, assignment, student)
    for outcome in outcomes:
        outcome.score, outcome.max_score = scores.get(outcome.notebook, (None, None))
    return outcomes


def unexpected_note(unexpected: list[str]) -> str:
    return "fichier(s) inattendu(s) ignoré(s) : " + ", ".join(unexpected)


def add_submission_note(outcomes: list[NotebookOutcome], note: str) -> None:
    """A remark about the whole submission goes on its first notebook's row of the journal."""
    if not outcomes or not note:
        return
    outcomes[0].notes = "; ".join(filter(None, [outcomes[0].notes, note]))
    if outcomes[0].status == GRADED:
        outcomes[0].status = GRADED_WITH_NOTES


def submitted_students(course: Course, assignment: str) -> list[str]:
    """Students with a folder for `assignment` under submitted/."""
    root = course.step("submitted")
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def autograde_assignment(api: NbGraderAPI, course: Course, assignment: str) -> list[NotebookOutcome]:
    """Grade every submission of an assignment, one after the other; nothing stops the run."""
    outcomes = []
    for student in submitted_students(course, assignment):
        try:
            outcomes += autograde_submission(api, course, student, assignment)
        except Exception as exc:  # noqa: BLE001 - one learner's problem must never stop the cohort
            outcomes.append(NotebookOutcome(student, assignment, "*", FAILED,
                                            f"erreur inattendue pendant la correction : {exception_words(type(exc).__name__)}",
                                            cause="erreur inattendue pendant la correction",
                                            detail=f"{type(exc).__name__}: {exc}"))
    return outcomes


def journal_path(course: Course) -> Path:
    return course.step("autograded") / "journal_correction.csv"
