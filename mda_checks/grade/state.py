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
from dataclasses import asdict
from pathlib import Path

from mda_checks.course import Course
from mda_checks.grade.autograde import NotebookOutcome

STATE_NAME = "etat_correction.json"
VERSION = 1


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


def fingerprint(course: Course, student: str, assignment: str, settings: str = "") -> str:
    """SHA-256 of the submitted files, the assignment's masters and reference, and the settings."""
    digest = hashlib.sha256(settings.encode("utf-8"))
    for label, folder in (("submitted", course.step("submitted") / student / assignment),
                          ("source", course.source / assignment),
                          ("reference", course.root / "mda_reference" / assignment)):
        digest.update(label.encode() + b"\0")
        if folder.is_dir():
            _digest_folder(digest, folder, folder)
    return digest.hexdigest()


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
    def of(cls, course: Course) -> "GradingState":
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
        return [tuple(reversed(key.split("/", 1))) for key in sorted(self._entries)]

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"version": VERSION, "copies": self._entries}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
        os.replace(temporary, self.path)
