"""One size quota for everything a grading kernel can write: a tmpfs of its own (needs root).

``prlimit --fsize`` limits one file, not their total: a kernel writing many files in its working
folder or runtime folder could fill the grading machine's disk. As root, the kernel's private
folder (``sandboxed_kernel``) is a tmpfs limited to ``GradingLimits.tmp_bytes``, holding its
runtime folder, its working folder(s) and the folder shown to it as ``/tmp``: one quota for all
it can write. The pages of a tmpfs are memory: what the kernel writes there also counts in its
control group's memory (``cgroups``). A full quota is the kernel's problem alone (« No space left
on device » in its own cells); the kernels graded beside it each have their own.

Where mounting is impossible (not root, or a container without the right), ``mount_quota``
returns False and says why (``unavailable_reason``): ``/tmp`` is then a tmpfs of bubblewrap of
the same size, and the working and runtime folders stay on the disk, limited file by file only.
A killed grading leaves its mounts behind: ``janitor.remove_tree`` detaches them with the folder.
"""
from __future__ import annotations

import ctypes
import os
from pathlib import Path

MS_NOSUID, MS_NODEV = 2, 4
_PROBLEM: list[str] = []


def mount_quota(folder: Path, size: int) -> bool:
    """Mount a tmpfs of `size` bytes (mode 0700) on the empty folder `folder`; False where impossible."""
    if os.geteuid() != 0 or _PROBLEM:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    options = f"size={size},mode=0700".encode("ascii")
    if libc.mount(b"mda-noyau", os.fsencode(folder), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        number = ctypes.get_errno()
        _PROBLEM.append(f"montage d'un tmpfs impossible : {os.strerror(number)}")
        return False
    return True


def unavailable_reason() -> str:
    """Why kernels write on the disk with no total limit ('' when each kernel has its quota)."""
    if os.geteuid() != 0:
        return "quota d'écriture indisponible sans root"
    return _PROBLEM[0] if _PROBLEM else ""
