"""Read (and copy) one folder a learner left in the exchange, trusting nothing in it.

The trainer's collect often runs as root, and the folder belongs to a learner who can change it
while it is read. So the walk goes through open file descriptors, never through a path twice:
each name is looked at without following links (``O_NOFOLLOW``, ``dir_fd``), and what counts is
what the opened descriptor says (``fstat``). The folder is refused (``Refused``, a French reason)
when any part of it is a symbolic link (it would make the trainer read another file: a classmate's
copy, the answer key), is neither a file nor a folder (a FIFO would hang the collect), belongs to
another account than the learner it names (when identity is enforced), or is too big. Every file is
read to its end before its change time is taken: the latest change time seen is one that no
content copied can be newer than (``timing``).
"""
from __future__ import annotations

import fnmatch
import os
import pwd
import stat
from dataclasses import dataclass, field
from pathlib import Path

from mda_checks.collect.timing import STAMP_FILE

CHUNK = 1 << 20
STAMP_MAX_BYTES = 200  # a timestamp.txt is one line


class Refused(Exception):
    """The folder is not collected; the message says why, in French."""


@dataclass(frozen=True)
class CopyRules:
    """What is copied (nbgrader's ``CourseDirectory.ignore``, ``include``, ``max_file_size``,
    ``max_dir_size``) and how much a folder may hold (``CollectLimits``)."""

    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ("*",)
    max_file_bytes: int = 100_000_000
    max_total_bytes: int = 100_000_000
    max_entries: int = 10_000
    max_depth: int = 32


@dataclass
class Snapshot:
    """What was found (and copied): files, the latest change time, the learner's own timestamp.txt."""

    files: list[str] = field(default_factory=list)
    latest_change: float = 0.0
    claimed_stamp: str | None = None
    skipped: list[str] = field(default_factory=list)  # French notes: files left out, as nbgrader would
    total_bytes: int = 0
    entries: int = 0


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"n° {uid} (sans compte)"


class _Walk:
    def __init__(self, owner: int | None, owner_label: str, rules: CopyRules):
        self.owner, self.owner_label, self.rules = owner, owner_label, rules
        self.snapshot = Snapshot()

    def check(self, info: os.stat_result, relative: str) -> None:
        if self.owner is not None and info.st_uid != self.owner:
            where = "le dossier de dépôt" if relative == "." else f"« {relative} »"
            raise Refused(f"{where} appartient au compte {account_name(info.st_uid)}, pas à {self.owner_label}")
        self.snapshot.latest_change = max(self.snapshot.latest_change, info.st_ctime)

    def count(self, relative: str) -> None:
        self.snapshot.entries += 1
        if self.snapshot.entries > self.rules.max_entries:
            raise Refused(f"plus de {self.rules.max_entries} fichiers et dossiers (à « {relative} »)")

    def folder(self, fd: int, relative: str, dest_fd: int | None, depth: int) -> None:
        if depth > self.rules.max_depth:
            raise Refused(f"plus de {self.rules.max_depth} dossiers imbriqués (à « {relative} »)")
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode):
            raise Refused(f"« {relative} » n'est pas un dossier")
        self.check(info, relative)
        for name in sorted(os.listdir(fd)):
            if any(fnmatch.fnmatch(name, pattern) for pattern in self.rules.exclude):
                continue
            inner = name if relative == "." else f"{relative}/{name}"
            self.count(inner)
            self.entry(fd, name, inner, dest_fd, depth)
        self.check(os.fstat(fd), relative)  # a change while it was listed

    def entry(self, fd: int, name: str, relative: str, dest_fd: int | None, depth: int) -> None:
        seen = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if stat.S_ISLNK(seen.st_mode):
            raise Refused(f"« {relative} » est un lien symbolique (il ferait lire un autre fichier)")
        if stat.S_ISDIR(seen.st_mode):
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            try:
                child_dest = None
                if dest_fd is not None:
                    os.mkdir(name, 0o755, dir_fd=dest_fd)
                    child_dest = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dest_fd)
                try:
                    self.folder(child, relative, child_dest, depth + 1)
                finally:
                    if child_dest is not None:
                        os.close(child_dest)
            finally:
                os.close(child)
        elif stat.S_ISREG(seen.st_mode):
            self.file(fd, name, relative, dest_fd, depth)
        else:
            raise Refused(f"« {relative} » n'est ni un fichier ni un dossier (fichier spécial)")

    def file(self, fd: int, name: str, relative: str, dest_fd: int | None, depth: int) -> None:
        stamp_file = depth == 0 and name == STAMP_FILE
        if not stamp_file and not any(fnmatch.fnmatch(name, pattern) for pattern in self.rules.include):
            return  # nbgrader's CourseDirectory.include leaves it out
        source = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=fd)
        try:
            info = os.fstat(source)
            if not stat.S_ISREG(info.st_mode):  # replaced between the look and the open
                raise Refused(f"« {relative} » n'est ni un fichier ni un dossier (fichier spécial)")
            self.check(info, relative)
            if stamp_file:  # the learner's claimed time: read, never copied (collect writes the trusted one)
                self.snapshot.claimed_stamp = os.read(source, STAMP_MAX_BYTES).decode("utf-8", "replace")
            elif info.st_size > self.rules.max_file_bytes:
                self.snapshot.skipped.append(f"« {relative} » laissé de côté : plus de "
                                             f"{self.rules.max_file_bytes // 1000} ko (CourseDirectory.max_file_size)")
                return
            else:
                self.copy(source, name, relative, dest_fd)
            self.check(os.fstat(source), relative)  # read to its end: no content copied is newer
        finally:
            os.close(source)

    def copy(self, source: int, name: str, relative: str, dest_fd: int | None) -> None:
        target = None if dest_fd is None else os.open(
            name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=dest_fd)
        try:
            read = 0
            while chunk := os.read(source, CHUNK):
                read += len(chunk)
                if read > self.rules.max_file_bytes:  # grew while it was read
                    raise Refused(f"« {relative} » a grossi pendant la collecte")
                self.snapshot.total_bytes += len(chunk)
                if self.snapshot.total_bytes > self.rules.max_total_bytes:
                    raise Refused(f"plus de {self.rules.max_total_bytes // 1000} ko en tout "
                                  "(CourseDirectory.max_dir_size)")
                if target is not None:
                    os.write(target, chunk)
        finally:
            if target is not None:
                os.close(target)
        self.snapshot.files.append(relative)


def read_submission(folder: Path, owner: int | None, owner_label: str, rules: CopyRules,
                    dest: Path | None = None) -> Snapshot:
    """Walk the learner's folder (and copy it into `dest`, a folder that must not exist yet).

    `owner`: the uid every file and folder must belong to, or None when identity is not enforced
    (learners sharing one account); `owner_label`: how the French reasons name that account."""
    walk = _Walk(owner, owner_label, rules)
    try:
        seen = os.lstat(folder)
        if stat.S_ISLNK(seen.st_mode) or not stat.S_ISDIR(seen.st_mode):
            raise Refused("le dépôt n'est pas un dossier (lien symbolique ou fichier)")
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        raise Refused("dossier de dépôt illisible ou disparu") from None
    try:
        dest_fd = None
        if dest is not None:
            os.mkdir(dest, 0o755)
            dest_fd = os.open(dest, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            walk.folder(fd, ".", dest_fd, 0)
        finally:
            if dest_fd is not None:
                os.close(dest_fd)
    except OSError:  # vanished or changed under the walk
        raise Refused("dossier de dépôt modifié pendant la collecte (relancez `mda collecte`)") from None
    finally:
        os.close(fd)
    return walk.snapshot
