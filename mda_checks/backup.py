"""`mda sauvegarde` and `mda restauration`: one dated archive of everything a promotion needs.

The archive (tar.gz) holds the gradebook (the SQLite file, copied with SQLite's own backup, or a
``pg_dump`` of the PostgreSQL gradebook when MDA_GRADEBOOK_URL is set: ``backup_postgresql``), the
copies handed in and graded, the feedback, the exports and reports, the variants' key and registry
(.mda/), groupes.csv, calendrier.csv and the jury's files when present, the course's folder of
nbgrader's exchange (``echange/``: copies handed in, assignments and feedback published), plus
``MANIFESTE.json`` (what, when, from which course) and ``SHA256SUMS`` (one line per file, as
``sha256sum -c`` reads it). A restoration checks every file against the sums before anything is
written, and only into a course with no promotion.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from mda_checks.backup_exchange import copy_exchange, exchange_folder, restore_exchange
from mda_checks.course import Course

#: what a promotion is made of, in the course (folders and files); the gradebook and the exchange are handled apart
ITEMS = ("submitted", "autograded", "feedback", "exports", "reports", ".mda", "groupes.csv", "calendrier.csv", "jury")
GRADEBOOK, DUMP = "gradebook.db", "carnet_de_notes.sql"
#: the course's folder of nbgrader's exchange (inbound, outbound, feedback …), wherever its root is
EXCHANGE = "echange"
MANIFEST, SUMS, FORMAT = "MANIFESTE.json", "SHA256SUMS", 1
#: what must be absent for a course to receive a restoration (calendrier.csv is versioned: it is replaced; .mda/
#: may hold the key alone, as `mda nouvelle-promotion` leaves it: a promotion there is its variants' registry)
PROMOTION_ITEMS = (*(item for item in ITEMS if item not in ("calendrier.csv", ".mda")), ".mda/variantes.csv")


@dataclass(frozen=True)
class Backup:
    path: Path
    files: int
    gradebook: str  # « SQLite » or « PostgreSQL (pg_dump) »
    skipped: tuple[str, ...] = ()  # what of the exchange was left out (links, special or unreadable files)


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read in blocks (the archive's manifest and its checks)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _gradebook(course: Course, staging: Path) -> str:
    url = os.environ.get("MDA_GRADEBOOK_URL", "").strip()
    if url:
        from mda_checks.backup_postgresql import dump

        dump(url, staging / DUMP)
        return "PostgreSQL (pg_dump)"
    source = course.root / GRADEBOOK
    if source.is_file():
        with sqlite3.connect(source) as live, sqlite3.connect(staging / GRADEBOOK) as copy:
            live.backup(copy)  # consistent even while formgrader writes
    return "SQLite"


def _copy(course: Course, staging: Path) -> None:
    for name in ITEMS:
        path = course.root / name
        if path.is_dir():
            shutil.copytree(path, staging / name, symlinks=True,
                            ignore=shutil.ignore_patterns(".correction.lock", "__pycache__"))
        elif path.is_file():
            shutil.copy2(path, staging / name)


def back_up(course: Course, folder: Path | None = None, now: datetime | None = None) -> Backup:
    """Write `folder`/sauvegarde-<course>-<date>.tar.gz (folder: sauvegardes/ in the course)."""
    now = now or datetime.now()
    folder = Path(folder) if folder else course.root / "sauvegardes"
    folder.mkdir(parents=True, exist_ok=True)
    from mda_checks.nbgrader_api import course_directory

    course_id = course_directory(course.root).course_id
    target = folder / f"sauvegarde-{course_id}-{now:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="mda-sauvegarde-", dir=folder) as scratch:
        staging = Path(scratch) / "promotion"
        staging.mkdir()
        kind = _gradebook(course, staging)
        _copy(course, staging)
        skipped = copy_exchange(course, staging / EXCHANGE)
        files = sorted(p for p in staging.rglob("*") if p.is_file() and not p.is_symlink())
        sums = [f"{sha256_of(p)}  {p.relative_to(staging).as_posix()}" for p in files]
        (staging / SUMS).write_text("\n".join(sums) + "\n", encoding="utf-8")
        (staging / MANIFEST).write_text(json.dumps({
            "format": FORMAT, "cours": course_id, "date": now.isoformat(timespec="seconds"),
            "carnet_de_notes": kind, "fichiers": len(files),
            "contenu": sorted({p.relative_to(staging).parts[0] for p in files})}, ensure_ascii=False, indent=1),
            encoding="utf-8")
        partial = target.with_suffix(".partiel")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(staging, arcname="promotion")
        os.replace(partial, target)
    return Backup(target, len(files), kind, tuple(skipped))


def _members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The archive's entries, refused when one could land outside the course or is not a plain file."""
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] != "promotion":
            raise ValueError(f"archive refusée : chemin inattendu « {member.name} »")
        if not (member.isfile() or member.isdir()):
            raise ValueError(f"archive refusée : « {member.name} » n'est ni un fichier ni un dossier")
        members.append(member)
    return members


def promotion_present(course: Course) -> list[str]:
    """What of a promotion the course already holds (a restoration needs none)."""
    from nbgrader.api import Gradebook

    from mda_checks.nbgrader_api import course_directory

    found = [name for name in PROMOTION_ITEMS if (course.root / name).exists()]
    url = os.environ.get("MDA_GRADEBOOK_URL", "").strip()
    if url:  # never opened through nbgrader here: that would create its tables in an empty database
        from mda_checks.backup_postgresql import learners

        count = learners(url)
    elif (course.root / GRADEBOOK).is_file():
        with Gradebook(course_directory(course.root).db_url) as gb:
            count = len(gb.students)
    else:
        count = 0
    if count:
        found.append(f"{count} apprenant(s) au carnet de notes")
    exchange = exchange_folder(course)
    if exchange.is_dir() and any(p.is_file() or p.is_symlink() for p in exchange.rglob("*")):
        found.append(f"des fichiers dans l'échange ({exchange})")
    return found


def extract_verified(archive_path: Path, scratch: Path) -> tuple[Path, dict]:
    """Extract an archive of `back_up` into `scratch` and check it whole: every file against its SHA-256, no
    file without a sum, as many files as the manifest says. ValueError (French) otherwise."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(scratch, members=_members(archive))
    except (tarfile.TarError, OSError, EOFError) as problem:
        from mda_checks.grade.reasons import exception_words

        raise ValueError(f"archive illisible : {Path(archive_path).name} "
                         f"({exception_words(type(problem).__name__)})") from None
    staging = Path(scratch) / "promotion"
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        lines = (staging / SUMS).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        raise ValueError(f"archive incomplète : {MANIFEST} ou {SUMS} manque ou est illisible") from None
    listed = set()
    for line in lines:
        digest, name = line.split("  ", 1)
        listed.add(name)
        if not (staging / name).is_file() or sha256_of(staging / name) != digest:
            raise ValueError(f"archive abîmée : « {name} » ne correspond pas à sa somme SHA-256")
    present = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()} - {MANIFEST, SUMS}
    if present != listed or manifest.get("fichiers") != len(listed):
        unlisted = sorted(present - listed)[:3]
        raise ValueError("archive abîmée : son contenu ne correspond pas à son manifeste"
                         + (f" (sans somme : {', '.join(unlisted)})" if unlisted else ""))
    return staging, manifest


def restore(course: Course, archive_path: Path) -> dict:
    """Restore an archive of `back_up` into `course`, which must hold no promotion; returns its manifest.

    Nothing is written before the whole archive is checked; a PostgreSQL gradebook (``carnet_de_notes.sql``)
    goes into the database of MDA_GRADEBOOK_URL, which must be empty (``backup_postgresql``)."""
    present = promotion_present(course)
    if present:
        raise ValueError("restauration refusée : ce cours contient déjà une promotion (" + ", ".join(present)
                         + ") ; restaurez dans une copie neuve du cours, ou archivez d'abord celle-ci")
    with tempfile.TemporaryDirectory(prefix=".mda-restauration-", dir=course.root) as scratch:
        try:
            staging, manifest = extract_verified(archive_path, Path(scratch))
        except ValueError as problem:
            raise ValueError(f"{problem} ; rien n'a été restauré") from None
        url = os.environ.get("MDA_GRADEBOOK_URL", "").strip()
        if (staging / DUMP).is_file():
            if not url:
                raise ValueError(f"le carnet de notes de cette sauvegarde est une base PostgreSQL ({DUMP}) : donnez "
                                 "l'adresse d'une base neuve à MDA_GRADEBOOK_URL (docs/formateur.md « Carnet de notes "
                                 "partagé (PostgreSQL) »), puis relancez ; rien n'a été restauré")
            from mda_checks.backup_postgresql import load

            load(url, staging / DUMP)
        elif (staging / GRADEBOOK).is_file() and url:
            raise ValueError(f"le carnet de notes de cette sauvegarde est un fichier SQLite ({GRADEBOOK}) et "
                             "MDA_GRADEBOOK_URL désigne une base PostgreSQL : restaurez sans MDA_GRADEBOOK_URL (le "
                             "cours reprend gradebook.db) ; rien n'a été restauré")
        for name in (*ITEMS, GRADEBOOK):
            source, target = staging / name, course.root / name
            if source.is_dir() and target.is_dir():  # .mda/ with the key alone: the archive's files take their place
                for child in source.iterdir():
                    if (target / child.name).is_dir():
                        shutil.rmtree(target / child.name)
                    else:
                        (target / child.name).unlink(missing_ok=True)
                    os.replace(child, target / child.name)
            elif source.exists():
                if name in ("calendrier.csv", GRADEBOOK):
                    target.unlink(missing_ok=True)
                os.replace(source, target)
        if (staging / EXCHANGE).is_dir():
            restore_exchange(course, staging / EXCHANGE)
    return manifest
