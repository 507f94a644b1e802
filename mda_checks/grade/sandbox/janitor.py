"""The janitor of one grading run: delete its scratch folder once its process is gone.

Started by ``run_lock.start_janitor`` as a script (``python -I janitor.py PID FOLDER``), in
a session of its own, so that it outlives a killed run. Standard library only: run by its
path, it imports neither ``mda_checks`` nor nbgrader (about 2.5 s of CPU saved at the
start of every run, when the workers are starting too).

A killed run can leave mounted file systems in its folder (each kernel's quota,
``mda_checks.grade.sandbox.quota``): ``remove_tree`` detaches every mount below a folder before
deleting it, and every clean-up of a grading folder goes through it.
"""
from __future__ import annotations

import ctypes
import os
import re
import shutil
import sys
import time
from pathlib import Path

MNT_DETACH, UMOUNT_NOFOLLOW = 2, 8


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_ESCAPED = re.compile(rb"\\([0-7]{3})")


def _unescape(field: bytes) -> str:
    """/proc/self/mountinfo writes a space, a tab, a newline and a backslash in octal (\\040 …)."""
    return os.fsdecode(_ESCAPED.sub(lambda match: bytes([int(match.group(1), 8)]), field))


def mounts_below(folder: Path) -> list[str]:
    """Mount points at or below `folder` in this process's mount namespace, deepest first."""
    root = os.path.realpath(folder)
    try:
        lines = Path("/proc/self/mountinfo").read_bytes().splitlines()
    except OSError:
        return []
    points = {_unescape(line.split()[4]) for line in lines if len(line.split()) > 4}
    return sorted((p for p in points if p == root or p.startswith(root + "/")), key=len, reverse=True)


def unmount_below(folder: Path) -> None:
    """Detach every file system mounted at or below `folder` (needs root; nothing to do otherwise)."""
    points = mounts_below(folder)
    if not points:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for point in points:
        libc.umount2(os.fsencode(point), MNT_DETACH | UMOUNT_NOFOLLOW)


def remove_tree(folder: Path) -> None:
    """Delete a grading folder: its mounts first (their content goes with them), then the files."""
    unmount_below(folder)
    shutil.rmtree(folder, ignore_errors=True)


def janitor(pid: int, folder: Path) -> None:
    """Wait while the run `pid` lives and its folder exists; then delete the folder."""
    while folder.is_dir() and alive(pid):
        time.sleep(0.5)
    time.sleep(1)
    remove_tree(folder)


if __name__ == "__main__":
    janitor(int(sys.argv[1]), Path(sys.argv[2]))
