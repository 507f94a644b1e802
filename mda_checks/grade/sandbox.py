"""The grading kernel's sandbox: bubblewrap, an unprivileged user and OS resource limits.

``detect_sandbox`` chooses the strongest mode this machine supports; ``install_kernel``
writes, for one grading task, the kernelspec whose argv starts the kernel through
``sandbox_launch.py`` (see that file for the command it runs). The mounts are built
here, once per task:

- the whole machine read-only (``--ro-bind / /``), no network (``--unshare-net``),
  its own processes (``--unshare-pid``), a private ``/tmp``;
- the course root replaced by an empty folder where only ``mda_reference/`` (the hidden
  tests import it) and, when they live there, the virtual environment and the checks
  package come back, read-only: no gradebook, no ``source/``, no other learner's files;
- the grader's working folders hidden, except this task's kernel runtime folder;
- folders that the unprivileged user could not cross (``/root`` holding the Python
  interpreter, a course in a private folder) replaced by an empty folder with only the
  needed path bound back.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mda_checks.config import GradingLimits

KERNEL_NAME = "mda-bac-a-sable"
LAUNCHER = Path(__file__).with_name("sandbox_launch.py")
SANDBOX_USER = "nobody"

BWRAP_USER, BWRAP, NONE = "bwrap-utilisateur", "bwrap", "aucune"
DESCRIPTIONS = {
    BWRAP_USER: "bubblewrap (lecture seule, sans réseau) et utilisateur non privilégié « nobody »",
    BWRAP: "bubblewrap (lecture seule, sans réseau) dans un espace de noms utilisateur",
    NONE: "AUCUNE isolation (bubblewrap absent ou inutilisable) : seules les limites de temps et de mémoire s'appliquent",
}
NAMESPACES = ["--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc",
              "--unshare-uts", "--unshare-cgroup-try"]


@dataclass(frozen=True)
class Sandbox:
    """How grading kernels are isolated on this machine."""

    mode: str
    problem: str = ""  # why a stronger mode could not be used

    @property
    def user(self) -> tuple[int, int] | None:
        if self.mode != BWRAP_USER:
            return None
        entry = pwd.getpwnam(SANDBOX_USER)
        return entry.pw_uid, entry.pw_gid

    def describe(self) -> str:
        return DESCRIPTIONS[self.mode] + (f" ({self.problem})" if self.problem else "")


def _crossable(folder: Path) -> bool:
    """Can a user other than the owner and its group enter this folder?"""
    try:
        return bool(folder.stat().st_mode & stat.S_IXOTH)
    except OSError:
        return False


def _reach(path: Path, blocked: set[Path], check_permissions: bool) -> list[tuple[str, Path]]:
    """Mount steps that make `path` visible: each blocking ancestor becomes an empty folder
    (tmpfs) into which the next component of the path is bound back."""
    steps = []
    parts = path.parts
    for depth in range(1, len(parts)):
        ancestor, child = Path(*parts[:depth]), Path(*parts[:depth + 1])
        if ancestor in blocked or (check_permissions and not _crossable(ancestor)):
            steps += [("tmpfs", ancestor), ("bind", child)]
    return steps


def python_paths() -> list[Path]:
    """The interpreter, the virtual environment and the checks package the kernel runs."""
    import mda_checks

    found = [Path(sys.base_prefix).resolve(), Path(sys.prefix), Path(mda_checks.__file__).resolve().parent]
    return [p for p in found if p.exists()]


def mount_arguments(course_root: Path, work_root: Path, runtime_dir: Path, hidden_files: list[Path],
                    check_permissions: bool) -> list[str]:
    """bwrap's arguments for one task (the notebook's own folder is added by the launcher)."""
    course_root = course_root.resolve()
    visible = [*python_paths(), course_root / "mda_reference"]
    blocked = {Path("/tmp"), course_root, work_root.resolve()}
    arguments = [*NAMESPACES, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                 "--perms", "1777", "--tmpfs", "/tmp"]
    done: set[tuple[str, Path]] = {("tmpfs", Path("/tmp"))}
    for path in visible:
        for step in _reach(path, blocked, check_permissions):
            if step in done:
                continue
            done.add(step)
            kind, target = step
            arguments += ["--perms", "0755", "--tmpfs", str(target)] if kind == "tmpfs" else \
                ["--ro-bind", str(target), str(target)]
    if ("tmpfs", work_root.resolve()) not in done:
        arguments += ["--tmpfs", str(work_root.resolve())]
    for path in hidden_files:
        if path.is_file():
            arguments += ["--ro-bind", "/dev/null", str(path)]
    return arguments + ["--bind", str(runtime_dir), str(runtime_dir)]


def task_settings(sandbox: Sandbox, limits: GradingLimits, course_root: Path, work_root: Path,
                  runtime_dir: Path, read_only_entries: list[str], hidden_files: list[Path]) -> dict:
    """What the launcher needs to start one task's kernels (JSON-ready)."""
    mounts = [] if sandbox.mode == NONE else mount_arguments(
        course_root, work_root, runtime_dir, hidden_files, check_permissions=sandbox.mode == BWRAP_USER)
    if sandbox.mode == BWRAP:
        mounts = ["--unshare-user", "--uid", "65534", "--gid", "65534", *mounts]
    return {
        "mode": sandbox.mode, "user": sandbox.user, "mounts": mounts, "runtime_dir": str(runtime_dir),
        "read_only_entries": read_only_entries, "python": sys.executable,
        "limits": {"notebook_seconds": limits.notebook_seconds, "memory_bytes": limits.memory_bytes,
                   "processes": limits.processes, "file_bytes": limits.file_bytes},
    }


def install_kernel(jupyter_dir: Path, settings: dict) -> Path:
    """Write the sandbox kernelspec under `jupyter_dir` (put it on JUPYTER_PATH to use it)."""
    spec = jupyter_dir / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    settings_file = jupyter_dir / "sandbox.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    kernel = {
        "argv": [sys.executable, "-I", str(LAUNCHER), str(settings_file), "-f", "{connection_file}"],
        "display_name": "Python 3 (correction isolée)",
        "language": "python",
        # the kernel interrupts itself on a control message: signals from outside the
        # sandbox would reach bwrap rather than the kernel
        "interrupt_mode": "message",
    }
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1), encoding="utf-8")
    return spec


PROBE = "import ipykernel, mda_checks, mda_reference; print('ok')"


def _probe(sandbox: Sandbox, course_root: Path, scratch: Path) -> str:
    """Run a Python import inside the sandbox as a kernel would be; '' when it works."""
    runtime = scratch / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    settings = task_settings(sandbox, GradingLimits(), course_root, scratch, runtime, [], [])
    command = ["bwrap", *settings["mounts"], "--chdir", "/tmp", "--setenv", "PYTHONPATH", str(course_root),
               "--setenv", "HOME", "/tmp", "--"]
    if settings["user"]:
        command += ["setpriv", f"--reuid={settings['user'][0]}", f"--regid={settings['user'][1]}",
                    "--clear-groups", "--"]
    try:
        done = subprocess.run([*command, sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return str(problem)
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return ""
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"code de sortie {done.returncode}"


def detect_sandbox(course_root: Path, scratch: Path) -> Sandbox:
    """The strongest mode that works here: bwrap + nobody (as root), bwrap, or none."""
    if not shutil.which("bwrap"):
        return Sandbox(NONE, "bubblewrap n'est pas installé : `apt-get install bubblewrap`")
    problems = []
    candidates = [BWRAP_USER, BWRAP] if os.geteuid() == 0 else [BWRAP]
    for mode in candidates:
        problem = _probe(Sandbox(mode), course_root, scratch / mode)
        if not problem:
            return Sandbox(mode, "; ".join(problems))
        problems.append(f"{mode} : {problem}")
    return Sandbox(NONE, "; ".join(problems))
