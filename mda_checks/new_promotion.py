"""`mda nouvelle-promotion`: the promotion archived, its archive checked, then — only then — a clean promotion.

1. The archive of `mda sauvegarde` (``backup.back_up``), the course's folder of the exchange included.
2. It is read back whole (``backup.extract_verified``: every file against its SHA-256), and every file the
   clean-up will remove is found in it with the SHA-256 it has on disk now; the gradebook's copy holds the
   same learners as the live one (a PostgreSQL export: the rows of nbgrader's ``student`` table). Any
   doubt, and nothing is removed (French error).
3. The clean promotion: the gradebook keeps its assignments, cells and due dates (from calendrier.csv)
   and loses every learner with their submissions (nbgrader's ``remove_student``); submitted/,
   autograded/, feedback/, exports/, reports/, jury/ and groupes.csv are removed, and from .mda/ the
   variants' registry, cache and the groups' history; the course's exchange folder is emptied.

The variants' key stays (``KEY_KEPT`` says why) unless ``--nouvelle-cle``: the next `mda release` then
makes a new one. The former key is in the archive either way.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mda_checks.backup import DUMP, EXCHANGE, GRADEBOOK, Backup, back_up, extract_verified, sha256_of
from mda_checks.backup_exchange import exchange_folder
from mda_checks.course import Course

#: what a promotion leaves in the course, removed once archived (.mda/ is cleared apart)
PROMOTION = ("submitted", "autograded", "feedback", "exports", "reports", "jury", "groupes.csv")
MDA, KEY = ".mda", "cle_variantes"
#: what .mda/ keeps: the key (unless --nouvelle-cle), the cluster's certificates, a demonstration copy's mark
KEPT_IN_MDA = (KEY, "grappe", "copie_de_demonstration")
#: files a backup never takes (a lock, Python's caches): never checked, removed with their folder
NOT_ARCHIVED = (".correction.lock", "__pycache__")
KEY_KEPT = ("Clé des variantes gardée : chaque apprenant inscrit sous le même identifiant retrouve les mêmes données "
            "(un apprenant qui reprend un bloc avec la nouvelle promotion, une copie republiée), et `mda corrige` "
            "donne encore les valeurs attendues de tout apprenant de la promotion archivée. Si d'anciens apprenants "
            "se réinscrivent et doivent recevoir d'autres données, ou si la clé a pu être lue par d'autres : "
            "mda nouvelle-promotion --nouvelle-cle (l'ancienne clé reste dans l'archive).")


@dataclass
class NewPromotion:
    backup: Backup
    learners: int                      # removed from the gradebook, with their submissions
    assignments: list[str]
    new_key: bool
    due_dates: list[str] = field(default_factory=list)  # what applying calendrier.csv said


def files_to_remove(course: Course, new_key: bool) -> dict[Path, str]:
    """Every regular file the clean-up removes -> its name in the archive."""
    found: dict[Path, str] = {}

    def take(path: Path, name: str) -> None:
        if path.is_symlink() or any(part in NOT_ARCHIVED for part in Path(name).parts):
            return
        if path.is_file():
            found[path] = name
        elif path.is_dir():
            for child in path.iterdir():
                take(child, f"{name}/{child.name}")

    for name in PROMOTION:
        take(course.root / name, name)
    mda = course.root / MDA
    if mda.is_dir():
        for child in mda.iterdir():
            if child.name not in KEPT_IN_MDA or (new_key and child.name == KEY):
                take(child, f"{MDA}/{child.name}")
    exchange = exchange_folder(course)
    if exchange.is_dir():
        take(exchange, EXCHANGE)
    return found


def _learners(db_url: str) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return sorted(student.id for student in gb.students)


def _dumped_learners(dump: Path) -> int | None:
    """Rows of nbgrader's student table in a plain pg_dump (None: the table is not there)."""
    rows, inside = 0, False
    with dump.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("COPY public.student "):
                inside = True
            elif inside and line.rstrip("\n") == "\\.":
                return rows
            elif inside:
                rows += 1
    return None


def verify(course: Course, backup: Backup, db_url: str, files: dict[Path, str]) -> None:
    """ValueError (French) unless the archive holds every file to remove, unchanged, and the gradebook's learners."""
    with tempfile.TemporaryDirectory(prefix=".mda-verification-", dir=backup.path.parent) as scratch:
        staging, _ = extract_verified(backup.path, Path(scratch))
        for path, name in sorted(files.items()):
            archived_file = staging / name
            if not archived_file.is_file() or sha256_of(archived_file) != sha256_of(path):
                raise ValueError(f"« {name} » manque dans l'archive ou y diffère du fichier du cours (modifié pendant "
                                 "l'archivage ?)")
        learners = _learners(db_url)
        if (staging / DUMP).is_file():
            archived = _dumped_learners(staging / DUMP)
        else:
            archived = len(_learners(f"sqlite:///{staging / GRADEBOOK}")) if (staging / GRADEBOOK).is_file() else 0
        if archived != len(learners):
            raise ValueError(f"la copie du carnet de notes n'a pas les {len(learners)} apprenant(s) du carnet de notes")


def _clear(course: Course, db_url: str, new_key: bool) -> int:
    """The clean promotion (after `verify`): learners out of the gradebook, the promotion's files removed."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        learners = [student.id for student in gb.students]
        for student in learners:
            gb.remove_student(student)  # and their submissions, grades and comments
        gb.db.commit()
    for name in PROMOTION:
        path = course.root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    mda = course.root / MDA
    if mda.is_dir():
        for child in mda.iterdir():
            if child.name not in KEPT_IN_MDA or (new_key and child.name == KEY):
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
    exchange = exchange_folder(course)
    if exchange.is_dir():
        shutil.rmtree(exchange)  # safe against links (os.open with dir_fd): learners write in it
    return len(learners)


def start_new_promotion(course: Course, folder: Path | None = None, new_key: bool = False) -> NewPromotion:
    """Archive the promotion into `folder` (sauvegardes/ by default), verify the archive, then start a clean one."""
    from mda_checks.due_dates import due_dates_report
    from mda_checks.exchange import ensure_exchange
    from mda_checks.grade.runs.run_lock import refuse_if_running
    from mda_checks.nbgrader_api import course_directory

    refuse_if_running(course)
    db_url = course_directory(course.root).db_url
    backup = back_up(course, folder)
    files = files_to_remove(course, new_key)
    try:
        verify(course, backup, db_url, files)
    except ValueError as problem:
        raise ValueError(f"archive non vérifiée ({problem}) : rien n'a été effacé ; la promotion est intacte. "
                         f"L'archive {backup.path} est gardée pour examen ; relancez la commande.") from None
    removed = _clear(course, db_url, new_key)
    ensure_exchange(course)
    assignments = course.assignments()
    dates = due_dates_report(course, assignments, required=False) if assignments else []
    return NewPromotion(backup, removed, assignments, new_key, dates)


def summary_lines(result: NewPromotion, root: Path) -> list[str]:
    path = result.backup.path
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    lines = [f"Promotion archivée : {shown} ({result.backup.files} fichier(s), carnet de notes "
             f"{result.backup.gradebook}), puis relue : chaque fichier comparé (SHA-256) à l'original avant d'effacer.",
             f"Nouvelle promotion prête : {result.learners} apprenant(s) retiré(s) du carnet de notes avec leurs copies ; "
             f"devoirs gardés ({', '.join(result.assignments) or 'aucun'}) avec les dates limites de calendrier.csv ; "
             "aucune copie, aucun groupe, aucun rapport ; l'échange du cours est vide.",
             *result.due_dates,
             "Nouvelle clé des variantes : elle sera créée au prochain `mda release` (l'ancienne est dans l'archive)."
             if result.new_key else KEY_KEPT]
    if result.backup.skipped:
        lines.append("Non archivés (liens ou fichiers spéciaux déposés dans l'échange, effacés avec lui) : "
                     + ", ".join(result.backup.skipped[:10]))
    lines.append("Gardez l'archive hors de cette machine. Pour revenir en arrière : mda restauration ARCHIVE (dans ce "
                 "cours, tant que la nouvelle promotion n'a rien). Ensuite : mda apprenants FICHIER.csv, "
                 "mda release bloc1 … (docs/formateur.md « Nouvelle promotion »).")
    return lines
