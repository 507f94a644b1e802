"""`mda archive SESSION`: seal a jury session as evidence (``archive_check.py`` proves it unchanged).

The archive (``jury/archives/<session>.zip``) holds what each decision rests on:

- the session's folder: its record (candidates, proposals and reasons, rules), the minutes
  (xlsx, HTML, PDF) and the livrets (one PDF per candidate);
- the register of decisions (``decisions.csv``, whole: its chain needs every line);
- each candidate's submission (``submitted/``), graded notebooks (``autograded/``) and feedback;
- the grader's fingerprint (``correcteur.json``: the fingerprint `mda grade` computes from the
  masters, the reference, the checks package, the configuration and the versions, and the one each
  copy was graded under), the variant registry (``.mda/variantes.csv``) and ``jury.toml``;
- ``MANIFESTE.sha256``: the SHA-256 of every other file (``sha256sum -c`` reads it once unzipped).

Never the course's key (``.mda/cle_variantes``), nor nbgrader's ``submission_secret.txt``. Only regular files are taken: a link or a device
planted in a submission is left out and listed. Sealing records the manifest's SHA-256 in
``jury/archives.csv`` and says it: kept apart (in the signed minutes, for instance), it proves the
manifest itself unchanged.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mda_checks.course import Course
from mda_checks.jury.decisions import register_path, session_decisions
from mda_checks.jury.livrets import livret_path
from mda_checks.jury.rules import rules_path
from mda_checks.jury.sessions import Session, jury_folder
from mda_checks.report.timing import PARIS

MANIFEST = "MANIFESTE.sha256"
REGISTER = "archives.csv"
STEPS = ("submitted", "autograded", "feedback")
#: not evidence, and a secret: nbgrader's key to hand a feedback back to its learner (release_feedback)
SECRETS = ("submission_secret.txt",)
#: ZIP entries get this fixed time: sealing the same files twice gives the same archive
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


class ArchiveError(ValueError):
    """A session that cannot be sealed yet, or an archive that cannot be read: in French."""


@dataclass
class Sealed:
    path: Path
    files: int
    manifest_sha256: str
    left_out: list[str] = field(default_factory=list)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read(path: Path) -> bytes:
    """A regular file's bytes, never through a link (O_NOFOLLOW)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as stream:
        return stream.read()


def _tree(folder: Path, prefix: str, files: dict[str, Path], left_out: list[str]) -> None:
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts or path.name in SECRETS:
            continue
        if any(part.is_symlink() for part in [path, *path.parents] if part.is_relative_to(folder) and part != folder):
            left_out.append(f"{prefix}/{relative} (lien symbolique)")
            continue
        if path.is_dir():
            continue
        if _regular(path):
            files[f"{prefix}/{relative}"] = path
        else:
            left_out.append(f"{prefix}/{relative} (pas un fichier ordinaire)")


def grader_record(course: Course, session: Session, students: list[str]) -> dict:
    """The grader's fingerprint now, and the one each candidate's copy was graded under."""
    from mda_checks.config import GRADING_LIMITS
    from mda_checks.grade.runs.cohort import _settings_key
    from mda_checks.grade.runs.state import GRADER_PACKAGES, GradingState, grader_fingerprint, package_versions
    from mda_checks.nbgrader_api import course_api

    timeout = int(course_api(course.root).config.Execute.get("timeout", 30))
    settings = _settings_key(timeout, GRADING_LIMITS)
    current = grader_fingerprint(course, session.assignment, settings)
    state = GradingState.of(course)
    copies = {}
    for student in students:
        stored = state.fingerprint(student, session.assignment) or ""
        graded_by = stored.split(":", 1)[1] if ":" in stored else ""
        copies[student] = {"empreinte": stored, "correcteur_actuel": bool(graded_by) and graded_by == current}
    return {"devoir": session.assignment, "empreinte_correcteur": current, "reglages": settings,
            "versions": package_versions(GRADER_PACKAGES) + [f"python={sys.version.split()[0]}"],
            "copies": copies,
            "explication": "empreinte_correcteur : SHA-256 de tout ce qui décide d'une note (originaux, corrigé, "
                           "paquets mda_checks et mda_apprenant, nbgrader_config.py, réglages, versions), calculée comme `mda grade` ; "
                           "copies.<apprenant>.empreinte : « rendu:correcteur » enregistrée à sa correction."}


def check_ready(course: Course, session: Session, students: list[str]) -> None:
    """The minutes and every livret are there, and written after the session's last decision."""
    problems = []
    pdf = session.folder / "proces-verbal.pdf"
    if not pdf.is_file():
        problems.append(f"procès-verbal PDF absent : lancez `mda jury {session.assignment} --date {session.day}`")
    missing = [s for s in students if not livret_path(session, s).is_file()]
    if missing:
        problems.append(f"livret(s) absent(s) : {', '.join(missing)} ; lancez `mda livrets {session.assignment}`")
    decided = session_decisions(course, session.name)
    if decided:
        last = max(datetime.fromisoformat(line.horodatage) for line in decided.values()).timestamp()
        stale = [s for s in students if livret_path(session, s).is_file() and livret_path(session, s).stat().st_mtime < last]
        if stale:
            problems.append(f"livret(s) écrit(s) avant la dernière décision enregistrée : {', '.join(stale)} ; "
                            f"relancez `mda livrets {session.assignment}`")
        if pdf.is_file() and pdf.stat().st_mtime < last:
            problems.append(f"procès-verbal écrit avant la dernière décision : relancez "
                            f"`mda jury {session.assignment} --date {session.day}`")
    if problems:
        raise ArchiveError(f"la session {session.name} ne peut pas encore être scellée :\n"
                           + "\n".join(f"  - {problem}" for problem in problems))


def session_files(course: Course, session: Session, students: list[str]) -> tuple[dict[str, Path], list[str]]:
    """Archive name -> file, and what was left out (links, special files)."""
    from mda_checks.variants.registry import registry_path

    files: dict[str, Path] = {}
    left_out: list[str] = []
    _tree(session.folder, "session", files, left_out)
    for student in students:
        for step in STEPS:
            _tree(course.step(step) / student / session.assignment, f"{step}/{student}/{session.assignment}", files,
                  left_out)
    for name, path in (("decisions.csv", register_path(course)), ("variantes.csv", registry_path(course)),
                       ("jury.toml", rules_path(course.root))):
        if _regular(path):
            files[name] = path
    return files, left_out


def manifest_text(contents: dict[str, bytes]) -> str:
    """« <sha256>  <name> » per file, as sha256sum writes and checks it."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(contents.items()))


def seal(course: Course, session: Session) -> Sealed:
    """Write jury/archives/<session>.zip (never over an earlier one) and record its manifest's SHA-256."""
    students = [c["apprenant"] for c in session.read()["candidats"]]
    check_ready(course, session, students)
    target = jury_folder(course) / "archives" / f"{session.name}.zip"
    if target.exists():
        raise ArchiveError(f"{target.relative_to(course.root)} existe déjà : une archive scellée n'est jamais "
                           "remplacée ; vérifiez-la avec `mda archive --verifier`, ou déplacez-la avant d'en sceller "
                           "une nouvelle")
    files, left_out = session_files(course, session, students)
    contents = {name: _read(path) for name, path in files.items()}
    contents["correcteur.json"] = json.dumps(grader_record(course, session, students), ensure_ascii=False,
                                             indent=1).encode("utf-8")
    manifest = manifest_text(contents).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_suffix(".tmp")
    with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(contents.items()) + [(MANIFEST, manifest)]:
            archive.writestr(zipfile.ZipInfo(f"{session.name}/{name}", FIXED_TIME), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    os.replace(scratch, target)
    digest = hashlib.sha256(manifest).hexdigest()
    _register(course, session, target, digest)
    return Sealed(target, len(contents), digest, left_out)


def _register(course: Course, session: Session, target: Path, digest: str) -> None:
    path = jury_folder(course) / REGISTER
    new = not path.is_file()
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if new:
            writer.writerow(["horodatage", "session", "archive", "manifeste_sha256", "archive_sha256"])
        writer.writerow([datetime.now(PARIS).isoformat(timespec="seconds"), session.name,
                         target.relative_to(course.root).as_posix(), digest,
                         hashlib.sha256(target.read_bytes()).hexdigest()])
