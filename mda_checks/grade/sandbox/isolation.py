"""The grading kernel's sandbox: an allow-list of what a kernel sees, a user of its own, OS limits.

``detect_sandbox`` chooses the strongest mode this machine supports; the kernel manager
(``mda_checks.grade.sandbox.sandboxed_kernel``) builds each kernel's command from the pieces here.
A kernel sees nothing of the machine that is not listed here (``mount_arguments``):

- the system, read-only: ``/usr`` and the merged-usr links (``/bin``, ``/lib`` …), and of ``/etc``
  only the dynamic linker's cache, the time zone and the fonts configuration, with a ``passwd``
  and a ``group`` written for the kernel (``account_files``);
- the Python installation and the virtual environment, read-only; the learner runtime (the
  ``mda_apprenant`` package, wherever it is installed: ``learner_package``), read-only; nothing of
  the trainer's package ``mda_checks``, masked wherever it lies;
- a minimal ``/dev``, its own ``/proc``, its own ``/tmp``; the kernel manager adds its runtime
  folder and its working folder;
- nothing else: no ``/home``, ``/root``, ``/srv``, ``/opt``, ``/var``, ``/run``, no other copy of
  the course, no Unix socket of the machine; no network, its own processes, IPC and host name.

Of ``/usr``, only the system's own folders are shown (``USR_SYSTEM``: ``bin``, ``lib``, ``share`` …):
``/usr/local``, ``/usr/src`` and any other folder there, where a machine keeps its own software, sources and
checkouts, are masked by empty ones; so is any folder two levels down in the system's folders that holds a
course (its ``nbgrader_config.py``: a course kept in ``/usr/share/cours``), and any folder bearing a name the
grader hides (``hidden_names``, given by the trainer's side: the answer key's package, even copied alone), down to
three levels and in the Python trees' ``site-packages``; looked for once per grading process (``usr_masked``:
0.1 to 0.5 s). A Python installation under ``/usr/local`` is shown again on top of its mask. The graded
course or a grader's folder that happens to lie inside an exposed tree (the trainer's package installed in
``site-packages``) is masked the same way.
Every folder on the way to a mount point is made mode 0755 (bubblewrap would make it 0700,
which a kernel running as another user could not cross), so the modes of the machine's folders
on the way (``TMPDIR`` of mode 700, 755 or 1777 …) never matter.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mda_checks.grade.sandbox.fonts import KERNEL_MATPLOTLIB_FOLDER

BWRAP_USER, BWRAP, NONE = "bwrap-utilisateur", "bwrap", "aucune"
DESCRIPTIONS = {
    BWRAP_USER: "bubblewrap (liste blanche en lecture seule, sans réseau) et un utilisateur non privilégié "
                "propre à chaque noyau",
    BWRAP: "bubblewrap (liste blanche en lecture seule, sans réseau) dans un espace de noms utilisateur",
    NONE: "AUCUNE isolation (bubblewrap absent ou inutilisable) : seules les limites de temps et de mémoire s'appliquent",
}
NAMESPACES = ["--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc",
              "--unshare-uts", "--unshare-cgroup-try"]
#: the user a kernel is inside bubblewrap's user namespace (mode BWRAP)
NAMESPACE_USER = 65534

#: grading with no isolation at all (no usable bubblewrap) is accepted only for the demonstration's own
#: copy (simulated learners, ``mda_checks.demo.copy``), and only when asked for in the environment;
#: never for a real course, whatever the environment says: docs/bac-a-sable.md
UNSANDBOXED_OPT_IN = "MDA_CORRECTION_SANS_ISOLATION"


def _opted_in() -> bool:
    return os.environ.get(UNSANDBOXED_OPT_IN, "").strip().lower() in ("oui", "1")


def _is_demo_copy(course_root: str | Path | None) -> bool:
    from mda_checks.demo.copy import MARKER

    return course_root is not None and str(course_root) != "" and (Path(course_root) / MARKER).is_file()


def unsandboxed_accepted(course_root: str | Path | None) -> bool:
    """True only for a demonstration copy whose grading without isolation was asked for (UNSANDBOXED_OPT_IN)."""
    return _opted_in() and _is_demo_copy(course_root)


def refusal_without_isolation(problem: str = "") -> str:
    """Why a grading without isolation is refused (French): a real course never, a demonstration copy on request."""
    why = f" ({problem})" if problem else ""
    start = (f"aucune isolation des noyaux n'est possible sur cette machine{why} ; le code des apprenants pourrait "
             "lire les fichiers du formateur. Installez bubblewrap (`apt-get install bubblewrap`)")
    if _opted_in():
        return (f"{start} ; {UNSANDBOXED_OPT_IN}=oui ne vaut que pour une copie de démonstration (`make demo`, "
                "apprenants simulés), jamais pour le cours d'une vraie promotion")
    return (f"{start}. Seule une copie de démonstration (`make demo`, apprenants simulés) peut être corrigée sans "
            f"isolation, avec {UNSANDBOXED_OPT_IN}=oui")


@dataclass(frozen=True)
class Sandbox:
    """How grading kernels are isolated on this machine."""

    mode: str
    problem: str = ""  # why a stronger mode could not be used

    def describe(self) -> str:
        return DESCRIPTIONS[self.mode] + (f" ({self.problem})" if self.problem else "")


#: the system, read-only; the merged-usr links are made links again (or bound where they are folders)
SYSTEM_TREES = ("/usr",)
MERGED_USR = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: the system's own folders of /usr (FHS): every other one (local, src …) is masked, see ``usr_masked``
USR_SYSTEM = ("bin", "games", "include", "lib", "lib32", "lib64", "libexec", "libx32", "sbin", "share")
#: a folder holding one of these is a copy of a course (every nbgrader course has its configuration at its root;
#: this room names nothing of the course itself), masked wherever the system's folders of /usr hold it, down to
#: USR_SEARCH_DEPTH levels (/usr/share/cours, /usr/share/doc/cours: 1 700 folders here)
COURSE_MARKS = ("nbgrader_config.py",)
USR_SEARCH_DEPTH = 2
#: the least of /etc a kernel needs (found by trying): the dynamic linker's cache, the time zone,
#: the fonts configuration (matplotlib asks fontconfig's fc-list for the system fonts)
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts")


def checks_package() -> Path:
    """The trainer's package (grading, case generators, reports, demo): never shown to a kernel."""
    import mda_checks

    return Path(mda_checks.__file__).resolve().parent


def learner_package() -> Path:
    """The learner runtime a kernel imports (answer kinds, French messages, hand-over, what-if tools: the
    distribution mda-apprenant): its package folder, found as Python finds it (an editable install or not)."""
    spec = importlib.util.find_spec("mda_apprenant")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("le paquet des apprenants (mda_apprenant) n'est pas installé : make install")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def python_paths() -> list[Path]:
    """The Python installation and the virtual environment (as named and resolved: the venv's
    interpreter is a link into the installation)."""
    found = [Path(sys.base_prefix), Path(sys.prefix), Path(os.path.realpath(sys.executable)).parents[1]]
    found += [p.resolve() for p in found]
    return [p for p in dict.fromkeys(found) if p.is_dir()]


def _inside(path: Path, trees: Iterable[Path]) -> bool:
    return any(path == tree or tree in path.parents for tree in trees)


def _subfolders(folder: Path, depth: int) -> list[Path]:
    """Folders below `folder`, `depth` levels down at most, never through a link."""
    found: list[Path] = []
    try:
        entries = [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return found
    for entry in entries:
        found.append(entry)
        if depth > 1:
            found += _subfolders(entry, depth - 1)
    return found


def _named(folders: Iterable[Path], names: tuple[str, ...]) -> list[Path]:
    """Of `folders` and what they hold, each one bearing one of `names` (never through a link)."""
    found = [folder for folder in folders if folder.name in names]
    return found + [folder / name for folder in folders for name in names
                    if (folder / name).is_dir() and not (folder / name).is_symlink()]


@functools.cache
def usr_masked(usr: Path = Path("/usr"), names: tuple[str, ...] = ()) -> tuple[Path, ...]:
    """What of /usr a kernel must not see: every folder but the system's own, any course in those, and any
    folder there named in `names` (once per process and names: a sandbox is built for every kernel)."""
    try:
        top = sorted(Path(e.path) for e in os.scandir(usr) if e.is_dir(follow_symlinks=False))
    except OSError:
        return ()
    masked = [folder for folder in top if folder.name not in USR_SYSTEM]
    for system in (folder for folder in top if folder.name in USR_SYSTEM):
        below = _subfolders(system, USR_SEARCH_DEPTH)
        masked += [folder for folder in below if any(os.path.lexists(folder / mark) for mark in COURSE_MARKS)]
        masked += _named(below, names)
    return tuple(dict.fromkeys(masked))


def python_masked(trees: Iterable[Path], names: tuple[str, ...]) -> list[Path]:
    """Folders named in `names` among the importable packages of the shown Python trees (a package installed
    into the Python every kernel runs is importable by every kernel)."""
    packages = [folder for tree in trees for pattern in ("lib/python3*/site-packages", "lib/python3*/dist-packages")
                for folder in tree.glob(pattern)]
    return _named(packages, names) if names else []


class Mounts:
    """bwrap's mount arguments, in order, and the trees they expose read-only."""

    def __init__(self) -> None:
        self.arguments: list[str] = []
        self.made: set[Path] = {Path("/")}
        self.trees: list[Path] = []  # machine folders bound at their own path
        self.layers: list[tuple[Path, bool]] = []  # (folder, shown) in the order bound or masked

    def shows(self, path: Path) -> bool:
        """Whether `path` is seen through an exposed tree: the deepest bind or mask above it decides (the later
        one at the same depth)."""
        covering = [(len(folder.parts), order, shown) for order, (folder, shown) in enumerate(self.layers)
                    if _inside(path, [folder])]
        return bool(covering) and max(covering)[2]

    def folders_to(self, target: Path) -> None:
        """Make every folder on the way to `target` (mode 0755, bwrap's default for --dir)."""
        for parent in reversed(target.parents):
            if parent not in self.made:
                self.arguments += ["--dir", str(parent)]
                self.made.add(parent)

    def bind(self, source: Path, target: Path | None = None, writable: bool = False) -> None:
        target = target or source
        self.folders_to(target)
        self.arguments += ["--bind" if writable else "--ro-bind", str(source), str(target)]
        self.made.add(target)
        if target == source and not writable:
            self.trees.append(source)
            self.layers.append((source, True))

    def mask(self, path: Path) -> None:
        """An empty folder (or file) in place of `path`, when an exposed tree shows it."""
        if not self.shows(path) or not path.exists():
            return
        self.arguments += ["--tmpfs", str(path)] if path.is_dir() else ["--ro-bind", "/dev/null", str(path)]
        self.made.add(path)
        self.layers.append((path, False))


def system_mounts(mounts: Mounts, hidden_names: tuple[str, ...] = ()) -> None:
    for tree in SYSTEM_TREES:
        mounts.bind(Path(tree))
    for folder in usr_masked(names=hidden_names):
        mounts.mask(folder)
    for link in map(Path, MERGED_USR):
        if link.is_symlink():
            mounts.arguments += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            mounts.bind(link)
    for name in map(Path, SYSTEM_FILES):
        if name.exists():
            mounts.bind(name)


def account_files(folder: Path, uid: int, gid: int) -> list[str]:
    """A passwd and a group file naming only root, nobody and the kernel's user, written in `folder`
    (the grader's, out of the kernel's reach); the arguments that show them as /etc/passwd and /etc/group."""
    users = {0: "root", NAMESPACE_USER: "nobody", uid: "apprenant"}
    groups = {0: "root", NAMESPACE_USER: "nogroup", gid: "apprenant"}
    (folder / "passwd").write_text("".join(f"{name}:x:{number}:{number if number != uid else gid}:{name}:/tmp:"
                                           "/usr/sbin/nologin\n" for number, name in users.items()), encoding="ascii")
    (folder / "group").write_text("".join(f"{name}:x:{number}:\n" for number, name in groups.items()), encoding="ascii")
    return ["--ro-bind", str(folder / "passwd"), "/etc/passwd", "--ro-bind", str(folder / "group"), "/etc/group"]


def mount_arguments(tmp: Path | None, tmp_bytes: int, masked: Iterable[Path] = (),
                    hidden_names: Iterable[str] = ()) -> Mounts:
    """What every kernel sees (see the module docstring); the kernel manager adds its own folders.

    `tmp`: the host folder shown as /tmp (in the kernel's quota, see ``mda_checks.grade.sandbox.quota``), or
    None for a tmpfs of bubblewrap limited to `tmp_bytes`. `masked`: the course and grader folders,
    hidden if an exposed tree holds them. `hidden_names`: folders hidden by their name wherever /usr's
    system folders or the Python trees show them (see ``usr_masked``, ``python_masked``)."""
    names = tuple(sorted(set(hidden_names)))
    mounts = Mounts()
    mounts.arguments += NAMESPACES
    system_mounts(mounts, names)
    mounts.arguments += ["--dev", "/dev", "--proc", "/proc"]
    mounts.made |= {Path("/dev"), Path("/proc"), Path("/tmp")}
    if tmp is None:
        mounts.arguments += ["--perms", "1777", "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
    else:
        mounts.arguments += ["--bind", str(tmp), "/tmp"]
    for tree in python_paths():
        if not mounts.shows(tree):  # outside /usr, or in a masked folder of it (/usr/local)
            mounts.bind(tree)
    for path in [checks_package(), *masked, *python_masked(python_paths(), names)]:
        mounts.mask(Path(path).resolve())
    # after the masks: an editable install's folder (a clone's apprenant/) may lie in a masked course
    mounts.bind(learner_package())
    return mounts


KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION")
#: charts drawn inline, as in the learner's JupyterLab: the graded notebook keeps them as PNG images,
#: shown in the feedback and in formgrader (the grading process itself draws nothing: Agg)
KERNEL_MATPLOTLIB_BACKEND = "module://matplotlib_inline.backend_inline"


def kernel_environment() -> dict[str, str]:
    """A clean environment: nothing of the grader's but paths and locale (no PYTHONPATH)."""
    env = {key: os.environ[key] for key in KEPT_ENVIRONMENT if key in os.environ}
    env.update(MPLBACKEND=KERNEL_MATPLOTLIB_BACKEND, HOME="/tmp", IPYTHONDIR="/tmp/.ipython", MPLCONFIGDIR=KERNEL_MATPLOTLIB_FOLDER,
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


def user_namespace() -> list[str]:
    """Mode BWRAP: the kernel is `nobody` in a user namespace of its own."""
    return ["--unshare-user", "--uid", str(NAMESPACE_USER), "--gid", str(NAMESPACE_USER)]


PROBE = "import ipykernel, mda_apprenant.check; print('ok')"


def _probe(mode: str, scratch: Path) -> str:
    """Run a Python import inside the sandbox as a kernel would be; '' when it works."""
    scratch.mkdir(parents=True, exist_ok=True)
    mounts = mount_arguments(None, 16 * 1024 ** 2)
    uid, gid = (FIRST_KERNEL_UID, FIRST_KERNEL_UID) if mode == BWRAP_USER else (NAMESPACE_USER, NAMESPACE_USER)
    command = ["bwrap", *(user_namespace() if mode == BWRAP else []), *mounts.arguments,
               *account_files(scratch, uid, gid), "--chdir", "/tmp", "--clearenv", "--setenv", "HOME", "/tmp", "--"]
    if mode == BWRAP_USER:
        command += user_command(uid, gid)
    try:
        done = subprocess.run([*command, sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return str(problem)
    if done.returncode == 0 and done.stdout.strip() == "ok":
        return ""
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"code de sortie {done.returncode}"


def detect_sandbox(course_root: Path, scratch: Path) -> Sandbox:
    """The strongest mode that works here: bwrap + a user per kernel (as root), bwrap, or none.

    (`course_root` is kept for callers: with an allow-list, where the course lies changes nothing.)"""
    if not shutil.which("bwrap"):
        return Sandbox(NONE, "bubblewrap n'est pas installé : `apt-get install bubblewrap`")
    problems: list[str]
    problems = []
    candidates = [BWRAP_USER, BWRAP] if os.geteuid() == 0 else [BWRAP]
    for mode in candidates:
        problem = _probe(mode, scratch / mode)
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
