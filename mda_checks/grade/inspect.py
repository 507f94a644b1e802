"""Look at a submission before grading: which notebooks can be graded, and what was tampered with.

Nothing here modifies the learner's files: problems become French notes in the journal.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from mda_checks.config import GRADING_LIMITS
from mda_checks.course import Course
from mda_checks.notebook import cells
from mda_checks.statuses import NotebookFile

GRADABLE, MISSING, UNREADABLE, TOO_LARGE = (NotebookFile.GRADABLE, NotebookFile.MISSING, NotebookFile.UNREADABLE,
                                            NotebookFile.TOO_LARGE)


@dataclass
class NotebookCheck:
    """One expected notebook of a submission, before grading."""

    name: str
    state: NotebookFile
    notes: list[str] = field(default_factory=list)
    cause: str = ""   # why it cannot be graded, in a few French words (« fichier vide »)
    detail: str = ""  # the technical detail, for the journal only


NOT_HANDED_IN, EMPTY_FILE = "carnet non rendu", "fichier vide"


class UnreadableNotebook(ValueError):
    """A notebook that cannot be read: why in French (`cause`), and the technical detail apart."""

    def __init__(self, cause: str, detail: str = ""):
        super().__init__(cause)
        self.cause, self.detail = cause, detail


@dataclass
class SubmissionCheck:
    student: str
    assignment: str
    notebooks: list[NotebookCheck]
    #: files the learners' copy does not have (renamed notebooks, extra files)
    unexpected: list[str] = field(default_factory=list)


class NotebookTooLarge(ValueError):
    """A submitted notebook above ``GradingLimits.submission_bytes``: refused before it is read."""


def _mib(size: int) -> str:
    mib = size / 1024 ** 2
    return (f"{mib:.0f}" if mib == int(mib) else f"{mib:.1f}".replace(".", ",")) + " Mio"


def size_problem(path: Path, limit: int = GRADING_LIMITS.submission_bytes) -> str:
    """Why a notebook is too large to be read ('' when it is not): its size alone decides."""
    size = path.stat().st_size
    return f"{_mib(size)}, au-delà de la limite de {_mib(limit)}" if size > limit else ""


def read_notebook(path: Path) -> NotebookNode:
    """Read and validate a notebook, or raise UnreadableNotebook (a ValueError) with a French reason
    (NotebookTooLarge, without reading it, when it is above the cap).

    An empty file (nothing but blanks: a copy saved while the disk was full, a failed upload) is a
    « fichier vide », never « JSON invalide »."""
    too_large = size_problem(path)
    if too_large:
        raise NotebookTooLarge(too_large)
    raw = path.read_bytes()
    if not raw.strip():
        raise UnreadableNotebook(EMPTY_FILE, f"{len(raw)} octet(s)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableNotebook(f"le fichier n'est pas encodé en UTF-8 (octet invalide en position {exc.start})",
                                 str(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableNotebook(f"le fichier n'est pas un JSON valide (ligne {exc.lineno}, colonne {exc.colno})",
                                 str(exc)) from None
    if not isinstance(data, dict) or "cells" not in data:
        raise UnreadableNotebook("le fichier ne contient pas de cellules : ce n'est pas un notebook")
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds of validation errors
        raise UnreadableNotebook("le notebook ne respecte pas le format Jupyter",
                                 f"{type(exc).__name__}: {str(exc)[:300]}") from None
    return notebook


def duplicate_note(grade_id: str, count: int) -> str:
    return f"cellule « {grade_id} » présente {count} fois : seule la dernière copie est corrigée"


def compare_tests(submitted: NotebookNode, released: NotebookNode) -> list[str]:
    """Notes on test and locked cells that the learner deleted or changed."""
    given = {cells.grade_id(c): c for c in submitted.cells if cells.grade_id(c)}
    counts = Counter(cells.grade_id(c) for c in submitted.cells if cells.grade_id(c))
    # nbgrader's DeduplicateIds keeps the last copy of a duplicated cell (it reads the notebook backwards)
    notes = [duplicate_note(gid, n) for gid, n in counts.items() if n > 1]
    for cell in released.cells:
        if not (cells.is_autograded_test(cell) or cells.is_locked(cell)):
            continue
        gid = cells.grade_id(cell)
        what = "cellule de vérification" if cells.is_autograded_test(cell) else "cellule verrouillée"
        if gid not in given:
            notes.append(f"{what} « {gid} » supprimée : remise d'office pour la correction")
        elif given[gid].source.strip() != cell.source.strip():
            notes.append(f"{what} « {gid} » modifiée : la version d'origine a été restaurée pour la correction")
    return notes


def learners_release(course: Course, student: str, assignment: str):
    """A function: released notebook name -> that notebook as this learner received it (a personal
    copy's statements quote the numbers of the learner's own case)."""
    from mda_checks.assign.statements import folder_parameters, render_copy
    from mda_checks.variants.learner_case import learner_case

    case = learner_case(course, assignment, student)
    parameters = folder_parameters(assignment, case.folder) if case.is_variant else None
    masters = course.read_source(assignment) if case.is_variant else {}

    def released(name: str, path: Path) -> NotebookNode:
        notebook = nbformat.read(path, as_version=4)
        if parameters is not None and name in masters:
            render_copy(notebook, masters[name], parameters)
        return notebook

    return released


def inspect_submission(course: Course, student: str, assignment: str) -> SubmissionCheck:
    folder = course.step("submitted") / student / assignment
    released = {p.stem: p for p in sorted((course.release / assignment).glob("*.ipynb"))}
    as_received = learners_release(course, student, assignment)
    checks = []
    for name, release_path in released.items():
        path = folder / f"{name}.ipynb"
        if not path.is_file():
            checks.append(NotebookCheck(name, MISSING, ["notebook non rendu : 0 point automatique"], NOT_HANDED_IN))
            continue
        try:
            notebook = read_notebook(path)
        except NotebookTooLarge as problem:
            checks.append(NotebookCheck(name, TOO_LARGE, [f"carnet trop volumineux ({problem}) : refusé sans être "
                                                          "lu, 0 point automatique"], f"carnet trop volumineux ({problem})"))
            continue
        except UnreadableNotebook as problem:
            what = EMPTY_FILE if problem.cause == EMPTY_FILE else f"notebook illisible, {problem.cause}"
            checks.append(NotebookCheck(name, UNREADABLE, [f"{what} : 0 point automatique"], problem.cause,
                                        problem.detail))
            continue
        checks.append(NotebookCheck(name, GRADABLE, compare_tests(notebook, as_received(name, release_path))))
    from mda_checks.variants.learner_case import learner_case

    own_data = {Path("data") / p.name for p in learner_case(course, assignment, student).folder.glob("*.csv")}
    return SubmissionCheck(student, assignment, checks, unexpected_files(folder, course.release / assignment, own_data))


def unexpected_files(folder: Path, release: Path, own_data: frozenset[Path] | set[Path] = frozenset()) -> list[str]:
    """Files of a submission that the learner's copy does not have (checkpoints aside); `own_data`: the
    files of the learner's own case (a host company's may differ from the common case's)."""
    if not folder.is_dir():
        return []
    # nbgrader's own files: the time of the submission, and its secret (`nbgrader submit`, for its feedback)
    known = ({p.relative_to(release) for p in release.rglob("*") if p.is_file()}
             | {Path("timestamp.txt"), Path("submission_secret.txt")} | set(own_data))
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder) not in known and ".ipynb_checkpoints" not in p.parts
    )
