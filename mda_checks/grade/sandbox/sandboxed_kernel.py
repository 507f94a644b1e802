"""The kernel manager of every grading kernel: a sandbox made for one kernel, then thrown away.

``nbgrader_config.py`` names it (``Execute.kernel_manager_class``), so plain
``nbgrader autograde``, formgrader's « Autograde » button and ``mda grade`` all start
learners' kernels the same way. For each kernel, the grader (the only privileged side):

1. makes a private folder (``mkdtemp``, mode 0700) that only it can enter, and, as root, mounts
   on it a tmpfs of ``tmp_bytes`` (``mda_checks.grade.sandbox.quota``): the kernel's runtime folder
   (connection file and IPC sockets), its working folder and its ``/tmp`` are made there and
   share that one size quota;
2. copies into that working folder the notebook folder's case data, read-only: the
   kernel never writes where nbgrader writes the graded notebooks, so it cannot touch
   them nor plant links there, and nothing it writes is ever read back;
3. starts the kernel in a control group of its own (memory of all its processes and
   its tmpfs, number of processes: ``mda_checks.grade.sandbox.cgroups``), through ``timeout``
   (wall clock), bubblewrap (an allow-list of the machine, read-only; no network, own
   processes; the working folder mounted at the notebook's path), ``setpriv`` (a user id of
   its own, no capabilities) and ``prlimit`` (memory, processes, file size) — see
   ``mda_checks.grade.sandbox.isolation``; the whole chain is killed if the grading process dies
   (``setpriv --pdeathsig``);
4. before handing the kernel over, checks that the sandbox is in force (user, namespaces,
   a canary file: ``mda_checks.grade.sandbox.sandbox_check``) and refuses the grading otherwise; a
   machine with no usable bubblewrap is refused too, but for the demonstration's own copy when
   asked for (``MDA_CORRECTION_SANS_ISOLATION=oui``: simulated learners, never a real course);
5. sends the kernel's own messages to a log in the private folder, out of its reach;
6. deletes the private folder (its tmpfs first) when the kernel is shut down; a folder left by a
   killed grading is swept by the next kernel (``sweep_stale_private_folders``).

A warm kernel (``warm_notebooks`` > 0, ``mda grade`` only: see ``mda_checks.grade.sandbox.warm_kernels``)
serves several notebooks of one submission. Its working folders then live in a folder of the
private folder that only the grader can write, mounted at the notebook folder's parent; for
each notebook the grader prepares a new working folder out of the kernel's sight (copy,
``chown``) and swaps it in by renaming entries of that grader-owned folder.

Nothing privileged ever opens, writes or chmods a path the kernel could have written
before: every folder the kernel can write is new and is only deleted afterwards.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import Float, Integer, List, Unicode

from mda_checks.config import GRADING_LIMITS
from mda_checks.grade.sandbox import cgroups, fonts, quota
from mda_checks.grade.sandbox import isolation as sb
from mda_checks.grade.sandbox.janitor import remove_tree
from mda_checks.grade.sandbox.sandbox_check import OWN_NAMESPACES, namespaces, probe_kernel, refusal, sandbox_problems
from mda_checks.scoring.reference import REFERENCE_PACKAGE

#: the kernel's working folder keeps the notebook folder's files but notebooks (case data …)
SKIPPED_SUFFIXES = (".ipynb",)
#: a file of the grader's private folder: a kernel that sees it is not in its sandbox
CANARY = "canari"


def copy_readable(source: Path, target: Path) -> None:
    """Copy regular files and folders of `source` (never links, never notebooks), read-only."""
    for entry in sorted(source.iterdir()) if source.is_dir() else []:
        if entry.is_symlink() or entry.name.startswith(".") or entry.suffix in SKIPPED_SUFFIXES:
            continue
        if entry.is_dir():
            (target / entry.name).mkdir(mode=0o755)
            copy_readable(entry, target / entry.name)
        elif entry.is_file():
            shutil.copyfile(entry, target / entry.name)
            os.chmod(target / entry.name, 0o444)


PRIVATE_PREFIX = "mda-noyau-"
#: the longest path of a Unix socket (sun_path): the kernel's IPC sockets are made in its runtime folder
SOCKET_PATH_BYTES = 107


def private_base() -> Path:
    """Where kernels' private folders go: the temporary folder (TMPDIR), unless it is so deep that the
    kernel's sockets could not be made there; then /tmp."""
    base = Path(tempfile.gettempdir())
    longest = base / f"{PRIVATE_PREFIX}xxxxxxxx" / "r" / "ipc-99999"
    return base if len(os.fsencode(longest)) <= SOCKET_PATH_BYTES else Path("/tmp")


def sweep_stale_private_folders(folder: Path, older_than: float) -> None:
    """Remove the private folders of kernels that cannot be alive any more (their tmpfs first).

    A kernel is killed by its wall clock after ``notebook_seconds``; a folder untouched for
    longer than that was left by a grading process that was itself killed (its clean-up never
    ran). Each new kernel sweeps them, so a crashed run leaves nothing behind for long.
    """
    limit = time.time() - older_than
    for stale in folder.glob(f"{PRIVATE_PREFIX}*"):
        try:
            if stale.is_dir() and not stale.is_symlink() and stale.stat().st_mtime < limit:
                remove_tree(stale)
        except OSError:
            continue


class SandboxedKernelManager(AsyncKernelManager):
    """Start each kernel in its own sandbox (see the module docstring)."""

    mode = Unicode("auto", help="bwrap-utilisateur, bwrap, aucune, or auto (the strongest that works)").tag(config=True)
    course_root = Unicode("", help="Course folder, never visible to kernels (default: none)").tag(config=True)
    hidden_paths = List(Unicode(), help="Other folders never visible to kernels").tag(config=True)
    # the answer key's package, by the name the scoring room (its one door) imports it: the sandbox room names
    # nothing of the course itself
    hidden_names = List(Unicode(), [REFERENCE_PACKAGE],
                        help="Folders never visible to kernels wherever /usr or the Python trees hold them, "
                             "by name").tag(config=True)
    notebook_seconds = Integer(GRADING_LIMITS.notebook_seconds, help="Wall clock of one kernel").tag(config=True)
    memory_bytes = Integer(GRADING_LIMITS.memory_bytes,
                           help="Memory of all the kernel's processes and its tmpfs (control group)").tag(config=True)
    address_space_bytes = Integer(GRADING_LIMITS.address_space_bytes,
                                  help="Address space of each process of the kernel").tag(config=True)
    processes = Integer(GRADING_LIMITS.processes, help="Processes and threads of the kernel").tag(config=True)
    file_bytes = Integer(GRADING_LIMITS.file_bytes, help="Largest file the kernel may write").tag(config=True)
    tmp_bytes = Integer(GRADING_LIMITS.tmp_bytes,
                        help="What the kernel may write in all: working folder(s), runtime folder, /tmp").tag(config=True)
    cpus = Float(GRADING_LIMITS.cpus, help="Processor share of the kernel (control group)").tag(config=True)

    warm_notebooks = Integer(0, help="Notebooks a warm kernel may serve (0: one kernel per notebook)").tag(config=True)

    #: True once the started kernel has shown its sandbox is in force (``sandbox_check``)
    sandbox_verified = False
    _private: Path | None = None
    _quota = False
    _notebook_dir: Path | None = None
    _sandbox_mode: str = ""
    _user: tuple[int, int] | None = None
    _launched = False
    _folders = 0
    _cgroup: cgroups.KernelCgroup | None = None

    @property
    def sandbox(self) -> sb.Sandbox:
        if self.mode != "auto":
            return sb.Sandbox(self.mode)
        return sb.detected_sandbox(Path(self.course_root or tempfile.gettempdir()))

    def kernel_seconds(self) -> int:
        """Wall clock and processor time of the whole kernel (a warm one serves several notebooks)."""
        return self.notebook_seconds * (self.warm_notebooks + 1 if self.warm_notebooks else 1)

    def _limits(self) -> dict:
        return {"notebook_seconds": self.kernel_seconds(), "address_space_bytes": self.address_space_bytes,
                "cpu_seconds": self.kernel_seconds(),
                "processes": self.processes, "file_bytes": self.file_bytes}

    async def _async_start_kernel(self, **kw) -> None:
        """Start the kernel, then refuse it (shut down, SandboxNotInForceError) unless its sandbox is in force."""
        self.sandbox_verified, self._launched = False, False
        try:
            await super()._async_start_kernel(**kw)
            await self._verify_sandbox()
        except BaseException:
            await self._discard()
            raise

    start_kernel = _async_start_kernel

    async def _discard(self) -> None:
        """Stop a kernel whose start failed or was refused, and delete its private folder."""
        try:
            if self.has_kernel:
                await self._async_shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 (already dead: the reason of the refusal is what matters)
            pass
        if self._private is not None:
            try:
                await self._async_cleanup_resources()
            except Exception:  # noqa: BLE001 (best effort: the refusal is what the caller must see)
                pass

    async def _verify_sandbox(self) -> None:
        if not self._launched:
            raise refusal("le noyau a été lancé sans passer par le lancement du bac à sable "
                          "(version de jupyter_client incompatible ?)")
        if self._sandbox_mode != sb.NONE:  # NONE is refused at launch unless the trainer accepted it
            own = OWN_NAMESPACES + (("user",) if self._sandbox_mode == sb.BWRAP else ())
            report = await probe_kernel(self, self._forbidden_paths(), own)
            uid = self._user[0] if self._user else sb.NAMESPACE_USER
            problems = sandbox_problems(report, uid, own, namespaces())
            if problems:
                raise refusal("; ".join(problems))
        self.sandbox_verified = True

    def _forbidden_paths(self) -> list[str]:
        """Paths a sandboxed kernel must not see: the canary, the trainer's tooling, the course's configuration."""
        assert self._private is not None
        # the trainer's package: its files, never its folder (masked by an empty one where an exposed tree holds it)
        paths = [self._private / CANARY, sb.checks_package() / "__init__.py", sb.checks_package() / "grade"]
        if self.course_root:
            paths.append(Path(self.course_root) / "nbgrader_config.py")
        return [str(p) for p in paths]

    async def _async_pre_start_kernel(self, **kw):
        """A fresh private folder for this kernel (its quota as root): runtime, working folder, /tmp, canary."""
        base = private_base()
        sweep_stale_private_folders(base, older_than=2 * self.notebook_seconds)
        self._private = Path(tempfile.mkdtemp(prefix=PRIVATE_PREFIX, dir=base))
        self._quota = quota.mount_quota(self._private, self.tmp_bytes)
        runtime = self._private / "r"
        runtime.mkdir(mode=0o700)
        (self._private / "travail").mkdir(mode=0o700)
        if self._quota:
            (self._private / "tmp").mkdir()
            os.chmod(self._private / "tmp", 0o1777)
        (self._private / CANARY).write_text("ce fichier ne doit jamais être visible d'un noyau\n", encoding="utf-8")
        self.transport = "ipc"
        self.connection_file = str(runtime / "noyau.json")
        self.ip = str(runtime / "ipc")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        sandbox = self.sandbox
        if sandbox.mode == sb.NONE and not sb.unsandboxed_accepted(self.course_root):
            raise refusal(sb.refusal_without_isolation(sandbox.problem))
        assert self._private is not None
        runtime, work = self._private / "r", self._private / "travail"
        notebook_dir = Path(kw.get("cwd") or os.getcwd()).resolve()
        user = sb.kernel_identity() if sandbox.mode == sb.BWRAP_USER else None
        self._notebook_dir, self._sandbox_mode, self._user = notebook_dir, sandbox.mode, user
        bound, bound_at = work, notebook_dir
        if self.warm_notebooks:
            (self._private / "travaux").mkdir(mode=0o755)  # grader-owned: the kernel cannot rename in it
            work = self._fresh_working_folder()
            work = work.rename(self._private / "travaux" / notebook_dir.name)
            bound, bound_at = self._private / "travaux", notebook_dir.parent
        else:
            copy_readable(notebook_dir, work)
        if user:
            os.chown(runtime, *user)
            if not self.warm_notebooks:
                os.chown(work, *user)
            os.chmod(self.connection_file, 0o644)  # written a moment ago, in a folder no kernel has used
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]
        self._cgroup = cgroups.kernel_cgroup(self._private.name, self.memory_bytes, self.processes, self.cpus) \
            if os.geteuid() == 0 else None
        # killed with the grading process; then in the kernel's control group; then the wall clock
        wall = ["setpriv", "--pdeathsig", "KILL", "--", *(self._cgroup.enter_command() if self._cgroup else []),
                "timeout", "-s", "KILL", str(self.kernel_seconds())]
        limits = sb.limits_command(self._limits())
        if sandbox.mode == sb.NONE:
            command, kw["cwd"] = [*wall, *limits, *kernel], str(work)
        else:
            bwrap = ["bwrap", *(sb.user_namespace() if sandbox.mode == sb.BWRAP else []),
                     *self._mounts(runtime, bound, bound_at), "--chdir", str(notebook_dir), "--clearenv",
                     *[a for k, v in sorted(sb.kernel_environment().items()) for a in ("--setenv", k, v)], "--"]
            command, kw["cwd"] = [*wall, *bwrap, *(sb.user_command(*user) if user else []), *limits, *kernel], str(work)
        kw["env"] = sb.kernel_environment()
        log = open(self._private / "noyau.log", "ab")  # noqa: SIM115 (kept open by the kernel process)
        kw["stdout"] = kw["stderr"] = log
        try:
            self._launched = True
            await super()._async_launch_kernel(command, **kw)
        finally:
            log.close()

    def _mounts(self, runtime: Path, bound: Path, bound_at: Path) -> list[str]:
        """The sandbox's allow-list, then this kernel's accounts, runtime folder and working folder(s)."""
        assert self._private is not None
        masked = [Path(p) for p in [self.course_root, *self.hidden_paths] if p] + [self._private]
        mounts = sb.mount_arguments(self._private / "tmp" if self._quota else None, self.tmp_bytes, masked,
                                    self.hidden_names)
        uid, gid = self._user or (sb.NAMESPACE_USER, sb.NAMESPACE_USER)
        mounts.arguments += sb.account_files(self._private, uid, gid)
        mounts.bind(runtime, writable=True)
        mounts.bind(bound, bound_at, writable=True)
        return mounts.arguments + fonts.font_list_arguments(mounts.shows, self._private)

    def _fresh_working_folder(self) -> Path:
        """A new working folder, out of the kernel's sight: case data copied read-only, given to the kernel's user."""
        assert self._private is not None and self._notebook_dir is not None
        self._folders += 1
        staging = self._private / f"s{self._folders}"
        staging.mkdir(mode=0o700)
        copy_readable(self._notebook_dir, staging)
        if self._user:
            os.chown(staging, *self._user)
        return staging

    def new_working_folder(self) -> str:
        """Swap a new working folder in for the next notebook of a warm kernel; its name.

        Only entries of the grader-owned ``travaux`` folder are renamed (rename never follows links):
        the previous folder is moved aside (deleted with the private folder), the new one takes its name."""
        assert self._private is not None and self._notebook_dir is not None
        staging = self._fresh_working_folder()
        shared, name = self._private / "travaux", self._notebook_dir.name
        os.rename(shared / name, shared / f".{self._folders}")
        os.rename(staging, shared / name)
        return name  # the kernel goes there from the folder that holds its working folders

    def shared_root_inside(self) -> str:
        """Where the kernel sees its working folders (modules loaded from there are the learner's)."""
        assert self._private is not None and self._notebook_dir is not None
        return str(self._private / "travaux" if self._sandbox_mode == sb.NONE else self._notebook_dir.parent) + os.sep

    def private_tmp(self) -> bool:
        return self._sandbox_mode != sb.NONE

    def kill_sandbox(self) -> None:
        """Kill the kernel's whole sandbox now (called from a timer thread: no event loop needed)."""
        from mda_checks.grade.sandbox.warm_kernels import kill_group

        provisioner = getattr(self, "provisioner", None)
        kill_group(getattr(provisioner, "pgid", None))
        process = getattr(provisioner, "process", None)
        if process is not None:
            try:
                process.kill()
            except OSError:
                pass

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt by a message: a signal from outside would reach the sandbox, not the kernel."""
        if not self.has_kernel:
            raise RuntimeError("Cannot interrupt kernel. No kernel is running!")
        message = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, message)

    interrupt_kernel = _async_interrupt_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if self._cgroup is not None and not restart:
                self._cgroup.remove()
                self._cgroup = None
            if self._private is not None and not restart:
                remove_tree(self._private)
                self._private = None

    # nbclient and the warm kernels call it directly when a kernel died (AsyncKernelManager names the base one)
    cleanup_resources = _async_cleanup_resources


def check_grading_sandbox(course_root: Path, mode: str) -> None:
    """Start one kernel as grading does (the kernel manager of the course's executing preprocessor,
    this sandbox mode), then shut it down; SandboxNotInForceError, with its French reason, unless
    its sandbox is in force.

    ``mda grade`` runs it once before grading anything: a refused sandbox stops the run at once."""
    from nbgrader.preprocessors import Execute
    from traitlets.utils.importstring import import_item

    from mda_checks.grade.sandbox.sandbox_check import require_verified
    from mda_checks.nbgrader_api import course_config

    config = course_config(course_root, SandboxedKernelManager={"mode": mode, "course_root": str(course_root)})
    steps = [import_item(name) if isinstance(name, str) else name
             for name in config.Autograde.get("autograde_preprocessors", [])]
    executing = next((step for step in steps if isinstance(step, type) and issubclass(step, Execute)), Execute)
    manager = executing(config=config).kernel_manager_class(config=config, kernel_name="python3")
    with tempfile.TemporaryDirectory(prefix="mda-verification-") as folder:
        run_sync(manager.start_kernel)(cwd=folder)
        try:
            require_verified(manager)
        finally:
            run_sync(manager.shutdown_kernel)(now=True)


def grading_refusal(course_root: Path, sandbox: sb.Sandbox) -> str:
    """Why grading is refused on this machine, in French ('' when a kernel started as grading does
    is verified in its sandbox, or for a demonstration copy whose grading without isolation was asked for)."""
    from mda_checks.grade.sandbox.sandbox_check import SandboxNotInForceError

    if sandbox.mode == sb.NONE:
        accepted = sb.unsandboxed_accepted(course_root)
        return "" if accepted else f"correction refusée : {sb.refusal_without_isolation(sandbox.problem)}"
    try:
        check_grading_sandbox(course_root, sandbox.mode)
    except SandboxNotInForceError as problem:
        return str(problem)
    return ""
