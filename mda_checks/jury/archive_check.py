"""`mda archive --verifier ARCHIVE`: prove a sealed jury session unchanged since it was sealed.

Every file of the ZIP is checked against its manifest (``MANIFESTE.sha256``): a file altered (its SHA-256,
or ZIP's own CRC, differs), missing, or added (absent from the manifest) is reported. The manifest itself is
checked against the SHA-256 recorded when the session was sealed (``jury/archives.csv``), or the one given.
"""
from __future__ import annotations

import csv
import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from mda_checks.course import Course
from mda_checks.jury.archive import MANIFEST, REGISTER, ArchiveError
from mda_checks.jury.sessions import jury_folder


@dataclass
class Verification:
    files: int = 0
    altered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    manifest_sha256: str = ""
    expected_manifest: str | None = None

    @property
    def intact(self) -> bool:
        return not (self.altered or self.missing or self.added) and (
            self.expected_manifest is None or self.expected_manifest == self.manifest_sha256)

    def report(self) -> list[str]:
        lines = [f"Fichiers vérifiés : {self.files} ; empreinte du manifeste : {self.manifest_sha256}."]
        if self.expected_manifest is not None and self.expected_manifest != self.manifest_sha256:
            lines.append(f"Le manifeste n'est pas celui qui a été scellé (empreinte attendue : {self.expected_manifest}).")
        lines += [f"Modifié : {name}" for name in self.altered]
        lines += [f"Manquant : {name}" for name in self.missing]
        lines += [f"Ajouté (absent du manifeste) : {name}" for name in self.added]
        if self.expected_manifest is None:
            lines.append("Attention : aucune empreinte de scellement à comparer (ni dans jury/archives.csv de ce cours, "
                         "ni --empreinte) ; chaque fichier correspond au manifeste, mais un manifeste réécrit ne se voit "
                         "qu'en comparant son empreinte ci-dessus à celle notée au scellement (procès-verbal signé).")
        if not self.intact:
            lines.append("Archive ALTÉRÉE : elle ne prouve plus les décisions du jury.")
        elif self.expected_manifest is None:
            lines.append("Archive conforme à son manifeste ; son scellement reste à confirmer par l'empreinte.")
        else:
            lines.append("Archive intacte : rien n'a changé depuis son scellement.")
        return lines


def _parse_manifest(text: str) -> dict[str, str]:
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise ArchiveError(f"{MANIFEST}, ligne {number} : ligne illisible (« empreinte  fichier » attendu)")
        found[name] = digest
    return found


def verify(path: Path, expected_manifest: str | None = None, course: Course | None = None) -> Verification:
    """Every file of the archive against its manifest; the manifest against the course's register (when
    the archive is the course's) or `expected_manifest`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"archive introuvable : {path}")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ArchiveError(f"{path.name} n'est plus une archive ZIP lisible : elle a été altérée ou tronquée") from None
    result = Verification()
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        root = names[0].split("/", 1)[0] + "/" if names else ""
        manifest_name = root + MANIFEST
        if manifest_name not in names:
            raise ArchiveError(f"{path.name} : pas de {MANIFEST} : ce n'est pas une archive de `mda archive`, ou il a "
                               "été retiré")
        manifest_bytes = _member(archive, manifest_name, result)
        result.manifest_sha256 = hashlib.sha256(manifest_bytes or b"").hexdigest()
        listed = _parse_manifest((manifest_bytes or b"").decode("utf-8", "replace"))
        if expected_manifest is None and course is not None:
            expected_manifest = sealed_digest(course, path.stem)
        result.expected_manifest = expected_manifest
        present = {name.removeprefix(root): name for name in names if name != manifest_name}
        for name, digest in sorted(listed.items()):
            if name not in present:
                result.missing.append(name)
                continue
            data = _member(archive, present[name], result)
            result.files += 1
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                if name not in result.altered:
                    result.altered.append(name)
        result.added = sorted(name for name in present if name not in listed)
    return result


def _member(archive: zipfile.ZipFile, name: str, result: Verification) -> bytes | None:
    """A member's bytes; None (and « altered ») when ZIP's own checks fail (CRC, damaged data)."""
    try:
        return archive.read(name)
    except Exception:  # noqa: BLE001 - a bad CRC, damaged deflate data, a truncated member: all « altered »
        result.altered.append(name.split("/", 1)[-1])
        return None


def sealed_digest(course: Course, session: str) -> str | None:
    """The manifest's SHA-256 recorded when `session` was sealed in this course (the latest), or None."""
    path = jury_folder(course) / REGISTER
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("session") == session]
    return rows[-1]["manifeste_sha256"] if rows else None
