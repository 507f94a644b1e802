"""The course's folder of nbgrader's exchange in a backup: copied without ever following a link, put back as it was.

Learners write in the exchange (their deposits in ``inbound/``): the copy takes regular files and folders
only, opened without following links, and names what it left out (links, special or unreadable files).
Modes are kept (nbgrader's inbound, outbound, feedback) and, when root copies, owners too (who deposited
a copy: `mda collecte` checks it). A deposit's time is not kept: a collected copy keeps its own, in
``submitted/<learner>/<assignment>/timestamp.txt``.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from mda_checks.course import Course


def exchange_folder(course: Course) -> Path:
    """The course's folder of nbgrader's exchange (« <root>/<course id> »), created or not."""
    from mda_checks.exchange import exchange_settings

    root, course_id = exchange_settings(course)
    return root / course_id


def copy_exchange(course: Course, target_root: Path) -> list[str]:
    """Copy the course's exchange folder: regular files and folders only, never through a link (learners
    write there); returns what was left out (links, special files, unreadable files)."""
    skipped: list[str]
    source, skipped = exchange_folder(course), []
    if not source.is_dir():
        return skipped
    for folder, folders, files in os.walk(source, followlinks=False):
        here = Path(folder)
        target = target_root / here.relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        _same_owner_and_mode(here.lstat(), target)
        for name in folders + files:
            path = here / name
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                skipped.append(str(path.relative_to(source)))
                if name in folders:
                    folders.remove(name)
            elif name in files:
                try:
                    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                except OSError:
                    skipped.append(str(path.relative_to(source)))
                    continue
                if not stat.S_ISREG(os.fstat(handle).st_mode):  # swapped for something else meanwhile
                    os.close(handle)
                    skipped.append(str(path.relative_to(source)))
                    continue
                with os.fdopen(handle, "rb") as reader, (target / name).open("wb") as writer:
                    shutil.copyfileobj(reader, writer)
                    _same_owner_and_mode(os.fstat(reader.fileno()), target / name)
    return skipped


def _same_owner_and_mode(original: os.stat_result, copy: Path) -> None:
    """The copy keeps the original's mode (nbgrader's inbound, outbound, feedback) and, for root, its owner (who
    deposited it: `mda collecte` checks it)."""
    if os.geteuid() == 0:
        os.chown(copy, original.st_uid, original.st_gid, follow_symlinks=False)
    os.chmod(copy, stat.S_IMODE(original.st_mode) | (stat.S_IRUSR | stat.S_IWUSR | stat.S_IXUSR if copy.is_dir()
                                                      else stat.S_IRUSR))


def restore_exchange(course: Course, source: Path) -> None:
    """The course's exchange folder back in place (it holds no file: ``backup.promotion_present``), under the
    exchange root made with its usual mode; moved when it can be, so that owners stay those of the archive."""
    from mda_checks.exchange import ensure_exchange

    ensure_exchange(course)
    target = exchange_folder(course)
    if target.is_dir():
        shutil.rmtree(target)  # empty folders only
    try:
        os.replace(source, target)
    except OSError:  # another file system: a copy (modes kept)
        shutil.copytree(source, target)
