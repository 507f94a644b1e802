"""The grading kernel's sandbox: bubblewrap, an unprivileged user and OS resource limits.

``detect_sandbox`` chooses the strongest mode this machine supports; the kernel manager
(``mda_checks.grade.sandboxed_kernel``) builds each kernel's command from the pieces
here. The mounts:

- the whole machine read-only (``--ro-bind / /``), no network (``--unshare-net``),
  its own processes (``--unshare-pid``), a private ``/tmp``;
- the course root replaced by an empty folder where only, when they live there, the
  virtual environment and the checks package come back, read-only: no answer key
  (``mda_reference/``), no gradebook, no ``source/``, no other learner's files;
- the grader's working folders hidden, except this task's kernel runtime folder;
- folders that the unprivileged user could not cross (``/root`` holding the Python
  interpreter, a course in a private folder) replaced by an empty folder with only the
  needed path bound back.
"""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


SANDBOX_USER = "nobody"

BWRAP_USER, BWRAP, NONE = "bwrap-utilisateur", "bwrap", "aucune"
DESCRIPTIONS = {
    BWRAP_USER: "bubblewrap (lecture seule, sans réseau) et un utilisateur non privilégié propre à chaque noyau",
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


#: what a learner's kernel needs of the checks package: the answer kinds, their French
#: messages and the hand-over, and the what-if tools of the notebooks (``widgets``: never graded,
#: they compute from the learner's own results). The trainer's tooling (grading, case generators,
#: reports, demo) stays out of the sandbox.
LEARNER_RUNTIME = ("__init__.py", "bareme.py", "config.py", "check", "widgets")


def checks_package() -> Path:
    import mda_checks

    return Path(mda_checks.__file__).resolve().parent


def python_paths() -> list[Path]:
    """The interpreter, the virtual environment and the learner runtime of the checks package."""
    package = checks_package()
    found = [Path(sys.base_prefix).resolve(), Path(sys.prefix), *(package / name for name in LEARNER_RUNTIME)]
    return [p for p in found if p.exists()]


def hidden_around_package() -> set[Path]:
    """The checks package (all but its learner runtime), and the project folder it lives in when
    installed in place (an editable install: the folder also holds the grader-only reference)."""
    package = checks_package()
    hidden = {package}
    if package.parent.name not in ("site-packages", "dist-packages"):
        hidden.add(package.parent)
    return hidden


def mount_arguments(course_root: Path, work_root: Path, runtime_dir: Path, hidden: list[Path],
                    check_permissions: bool, tmp_bytes: int = 256 * 1024 ** 2) -> list[str]:
    """bwrap's arguments for one kernel (its working folder is added by the kernel manager)."""
    course_root = course_root.resolve()
    blocked = {Path("/tmp"), course_root, work_root.resolve(), *hidden_around_package()}
    arguments = [*NAMESPACES, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                 "--perms", "1777", "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    done: set[tuple[str, Path]] = {("tmpfs", Path("/tmp"))}
    for path in python_paths():
        for step in _reach(path, blocked, check_permissions):
            if step in done:
                continue
            done.add(step)
            kind, target = step
            arguments += ["--perms", "0755", "--tmpfs", str(target)] if kind == "tmpfs" else \
                ["--ro-bind", str(target), str(target)]
    if ("tmpfs", work_root.resolve()) not in done:
        arguments += ["--tmpfs", str(work_root.resolve())]
    for path in hidden:
        if path.is_dir() and not path.is_symlink():
            arguments += ["--tmpfs", str(path.resolve())]
        elif path.is_file():
            arguments += ["--ro-bind", "/dev/null", str(path)]
    return arguments + ["--bind", str(runtime_dir), str(runtime_dir)]


KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION")
#: charts drawn inline, as in the learner's JupyterLab: the graded notebook keeps them as PNG images,
#: shown in the feedback and in formgrader (the grading process itself draws nothing: Agg)
KERNEL_MATPLOTLIB_BACKEND = "module://matplotlib_inline.backend_inline"


def kernel_environment() -> dict[str, str]:
    """A clean environment: nothing of the grader's but paths and locale (no PYTHONPATH)."""
    env = {key: os.environ[key] for key in KEPT_ENVIRONMENT if key in os.environ}
    env.update(MPLBACKEND=KERNEL_MATPLOTLIB_BACKEND, HOME="/tmp", IPYTHONDIR="/tmp/.ipython", MPLCONFIGDIR="/tmp/.matplotlib",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1",
               # ipykernel watches its parent process; inside the sandbox's own process
               # namespace it would see a stranger: 1 turns the watch off (bwrap's
               # --die-with-parent and the wall-clock limit end the kernel instead)
               JPY_PARENT_PID="1")
    return env


def limits_command(limits: dict) -> list[str]:
    return ["prlimit", f"--as={limits['address_space_bytes']}", f"--cpu={limits['cpu_seconds']}",
            f"--nproc={limits['processes']}", f"--fsize={limits['file_bytes']}", "--core=0", "--"]


#: kernels run as users of their own, numbered from here (no account needed): two kernels
#: never share a user, so per-user limits (RLIMIT_NPROC) are per kernel
FIRST_KERNEL_UID = 100_000
KERNELS_PER_PROCESS = 16
_started = [0]


def kernel_identity() -> tuple[int, int]:
    """A user and group id no other running kernel has: from this process's id and a counter."""
    _started[0] += 1
    number = FIRST_KERNEL_UID + os.getpid() * KERNELS_PER_PROCESS + _started[0] % KERNELS_PER_PROCESS
    return number, number


def user_command(uid: int, gid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


PROBE = "import ipykernel, mda_checks; print('ok')"


def _probe(sandbox: Sandbox, course_root: Path, scratch: Path) -> str:
    """Run a Python import inside the sandbox as a kernel would be; '' when it works."""
    runtime = scratch / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    mounts = mount_arguments(course_root, scratch, runtime, [], check_permissions=sandbox.mode == BWRAP_USER)
    if sandbox.mode == BWRAP:
        mounts = ["--unshare-user", "--uid", "65534", "--gid", "65534", *mounts]
    command = ["bwrap", *mounts, "--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--"]
    if sandbox.user:
        command += user_command(*sandbox.user)
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


_DETECTED: dict[Path, Sandbox] = {}


def detected_sandbox(course_root: Path) -> Sandbox:
    """``detect_sandbox``, once per course and process (a probe starts a Python: about a second)."""
    key = course_root.resolve()
    if key not in _DETECTED:
        scratch = Path(tempfile.mkdtemp(prefix="mda-sonde-"))
        try:
            _DETECTED[key] = detect_sandbox(key, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return _DETECTED[key]
