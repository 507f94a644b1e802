"""A control group per grading kernel: memory, process count and processor share for all its processes.

``prlimit`` limits each process on its own, and the process count per user: three
processes of 1.5 GiB, a RAM-backed ``/tmp`` filled up, or a fork bomb sharing its user
with other learners' kernels all slip through. A control group holds every process of
one kernel (and the tmpfs pages they write): its ``memory`` and ``pids`` limits hold for
the kernel as a whole, and one kernel's abuse never reaches another's. Its ``cpu`` quota
(one core by default) keeps a kernel that starts many busy processes from taking the
whole machine from the kernels graded beside it.

Both cgroup versions are supported: v2 (one unified tree) and v1 (one tree per
controller, as on many containers). Creating groups needs root and a writable cgroup
file system; where that is missing, ``kernel_cgroup`` returns None and says why
(``unavailable_reason``), and grading keeps the per-process limits only.
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "mda-correction"


@dataclass(frozen=True)
class KernelCgroup:
    """The group(s) of one kernel: one folder (v2), or one per controller (v1)."""

    folders: tuple[Path, ...]

    def enter_command(self) -> list[str]:
        """A prefix that moves the command into the group before it starts (children inherit it)."""
        moves = " && ".join(f'echo $$ > "{folder / "cgroup.procs"}"' for folder in self.folders)
        return ["sh", "-c", f'{moves} && exec "$@"', "sh"]

    def peak_memory(self) -> int | None:
        for folder in self.folders:
            for name in ("memory.peak", "memory.max_usage_in_bytes"):
                try:
                    return int((folder / name).read_text())
                except (OSError, ValueError):
                    continue
        return None

    def remove(self) -> None:
        """Kill what is left in the group, then delete it (a group left behind is swept later)."""
        for folder in self.folders:
            for _ in range(200):
                try:
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                except OSError:
                    pids = []
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    folder.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)


def _write(path: Path, value: str) -> None:
    path.write_text(value, encoding="ascii")


def _v2_parent() -> Path:
    parent = ROOT / PARENT
    parent.mkdir(exist_ok=True)
    for folder in (ROOT, parent):
        enabled = (folder / "cgroup.subtree_control").read_text().split()
        missing = [c for c in ("memory", "pids") if c not in enabled]
        if missing:
            _write(folder / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))
    return parent


def sweep_stale(parents: list[Path], min_age: float = 600.0) -> None:
    """Delete empty groups left by kernels that ended long ago (never a group just created)."""
    now = time.time()
    for parent in parents:
        for folder in parent.glob("mda-noyau-*") if parent.is_dir() else []:
            try:
                if now - folder.stat().st_mtime > min_age and not (folder / "cgroup.procs").read_text().strip():
                    folder.rmdir()
            except OSError:
                continue


PERIOD_US = 100_000


def _create(name: str, memory_bytes: int, processes: int, cpus: float) -> KernelCgroup:
    quota = str(int(cpus * PERIOD_US))
    if (ROOT / "cgroup.controllers").is_file():  # v2
        folder = _v2_parent() / name
        sweep_stale([folder.parent])
        folder.mkdir()
        _write(folder / "memory.max", str(memory_bytes))
        if (folder / "memory.swap.max").exists():
            _write(folder / "memory.swap.max", "0")
        _write(folder / "pids.max", str(processes))
        if (folder / "cpu.max").exists():
            _write(folder / "cpu.max", f"{quota} {PERIOD_US}")
        return KernelCgroup((folder,))
    memory, pids, cpu = (ROOT / controller / PARENT / name for controller in ("memory", "pids", "cpu"))
    folders = (memory, pids, cpu) if (ROOT / "cpu").is_dir() else (memory, pids)
    sweep_stale([folder.parent for folder in folders])
    for folder in folders:
        folder.parent.mkdir(exist_ok=True)
        folder.mkdir()
    _write(memory / "memory.limit_in_bytes", str(memory_bytes))
    _write(pids / "pids.max", str(processes))
    if cpu in folders:
        _write(cpu / "cpu.cfs_period_us", str(PERIOD_US))
        _write(cpu / "cpu.cfs_quota_us", quota)
    return KernelCgroup(folders)


_PROBLEM: list[str] = []


def kernel_cgroup(name: str, memory_bytes: int, processes: int, cpus: float = 1.0) -> KernelCgroup | None:
    """A new group for one kernel, or None where groups cannot be made (see ``unavailable_reason``)."""
    if _PROBLEM:
        return None
    try:
        return _create(name, memory_bytes, processes, cpus)
    except OSError as problem:
        _PROBLEM.append(f"{type(problem).__name__}: {problem.strerror or problem}")
        return None


def unavailable_reason() -> str:
    """Why kernels run without a control group ('' when they have one)."""
    if os.geteuid() != 0:
        return "groupes de contrôle indisponibles sans root"
    return _PROBLEM[0] if _PROBLEM else ""
