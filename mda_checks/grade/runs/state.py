"""What was graded from which files: fingerprints and outcomes kept between runs.

``autograded/etat_correction.json`` maps each submission to the fingerprint of its
files and to the outcomes of its notebooks. A submission whose fingerprint is
unchanged (and whose graded folder is still there) is not graded again unless forced.
Only the parent process writes this file, atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import cast

from mda_checks.course import Course
from mda_checks.grade.autograde import NotebookOutcome
from mda_checks.scoring.reference import REFERENCE_PACKAGE

STATE_NAME = "etat_correction.json"
VERSION = 2  # fingerprints « submission:grader »


def _digest_folder(digest, folder: Path, base: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(base)).encode("utf-8", "surrogateescape") + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
        elif path.is_file():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        digest.update(b"\0")


#: installed packages whose version can change a grade
GRADER_PACKAGES = ("nbgrader", "nbconvert", "nbclient", "nbformat", "ipykernel", "pandas", "numpy", "matplotlib",
                   "openpyxl", "babel", "jsonschema", "jsonschema-rs")


def package_versions(names) -> list[str]:
    """« name=version » of each installed package (« name=absent » when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=absent")
    return found


def _versions() -> str:
    return ";".join(package_versions(GRADER_PACKAGES)) + f";python={sys.version.split()[0]}"


def code_folders() -> list[tuple[str, Path]]:
    """The code that grades: the trainer's package (scoring) and the learner runtime (what runs in the kernel)."""
    import mda_apprenant
    import mda_checks

    return [(label, Path(cast(str, package.__file__)).resolve().parent)
            for label, package in (("checks", mda_checks), ("apprenant", mda_apprenant))]


def grader_fingerprint(course: Course, assignment: str, settings: str = "") -> str:
    """SHA-256 of everything but the submission that decides a grade: the assignment's masters and
    reference, the trainer's package and the learner runtime (``code_folders``), nbgrader_config.py, the
    installed versions and the settings."""
    digest = hashlib.sha256((settings + "\0" + _versions()).encode("utf-8"))
    reference = course.root / REFERENCE_PACKAGE
    for label, folder in (("source", course.source / assignment), ("reference", reference / assignment),
                          *code_folders()):
        digest.update(label.encode() + b"\0")
        if folder.is_dir():
            _digest_folder(digest, folder, folder)
    for path in [course.root / "nbgrader_config.py", *sorted(reference.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def fingerprint(course: Course, student: str, assignment: str, grader: str) -> str:
    """« submission:grader »: SHA-256 of the submitted files and of the case the learner was given (a
    copy published again with another variant is graded again), then the grader's fingerprint."""
    from mda_checks.variants.registry import find_record

    digest = hashlib.sha256()
    folder = course.step("submitted") / student / assignment
    if folder.is_dir():
        _digest_folder(digest, folder, folder)
    record = find_record(course, assignment, student)
    if record is not None:
        digest.update(f"variante:{record.variante}:{record.empreinte}".encode())
    return f"{digest.hexdigest()}:{grader}"


def grader_changed(stored: str | None, current: str) -> bool:
    """Same submission, another grader: the copy is graded again because the grader changed."""
    if not stored or ":" not in stored:
        return False
    return stored.split(":")[0] == current.split(":")[0] and stored != current


class GradingState:
    """Fingerprints and outcomes of graded submissions, keyed by (student, assignment)."""

    def __init__(self, path: Path):
        self.path = path
        self._entries: dict[str, dict] = {}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == VERSION:
                    self._entries = data.get("copies", {})
            except (ValueError, AttributeError):
                self._entries = {}  # a damaged state only costs a full re-grade

    @classmethod
    def of(cls, course: Course) -> GradingState:
        return cls(course.step("autograded") / STATE_NAME)

    @staticmethod
    def _key(student: str, assignment: str) -> str:
        return f"{assignment}/{student}"

    def fingerprint(self, student: str, assignment: str) -> str | None:
        return self._entries.get(self._key(student, assignment), {}).get("empreinte")

    def outcomes(self, student: str, assignment: str) -> list[NotebookOutcome]:
        rows = self._entries.get(self._key(student, assignment), {}).get("resultats", [])
        return [NotebookOutcome(**row) for row in rows]

    def record(self, student: str, assignment: str, print_: str, outcomes: list[NotebookOutcome]) -> None:
        self._entries[self._key(student, assignment)] = {
            "empreinte": print_, "resultats": [asdict(o) for o in outcomes]}

    def forget(self, student: str, assignment: str) -> None:
        self._entries.pop(self._key(student, assignment), None)

    def keys(self) -> list[tuple[str, str]]:
        return [cast(tuple[str, str], tuple(reversed(key.split("/", 1)))) for key in sorted(self._entries)]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"version": VERSION, "copies": self._entries}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
        os.replace(temporary, self.path)
