"""A real class on this machine for the hub tests: a closed course, an exchange of root's, learner and
trainer accounts made by `mda hub comptes`, and `mda hub demarrer` running on 127.0.0.1 (root only).

Everything lives under one temporary folder (mode 0711: the accounts reach their homes and the
exchange in it, nothing else) and is removed afterwards with the accounts and their processes."""
from __future__ import annotations

import csv
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
from nbgrader.api import Gradebook

import nbformat

from mda_checks.assign import build_course
from mda_checks.course import Course
from mda_checks.exchange import ensure_exchange
from mda_checks.hub.settings import PROXY
from tests.browser.lab import free_port
from tests.collect.accounts import closed_ancestor
from tests.conftest import copy_course

BIN = Path(sys.executable).parent
#: the tiny course of the hub tests: bloc 1's first workbook, cut down to what they use (its opening,
#: the first question and its check, the first answer graded by hand)
ASSIGNMENT, NOTEBOOK = "bloc1", "01_veille_concurrence"
KEPT_CELLS = ("b1n1_intro", "b1n1_conventions", "b1n1_imports", "b1n1_charge_marche", "b1n1_q1",
              "reponse_nb_doublons", "nb_doublons", "b1n1_q5", "b1n1_grille_veille", "veille")
#: a class starting on a loaded machine: the hub, its proxy, its services
HUB_START_TIMEOUT = 300
COMMAND_TIMEOUT = 900
#: the hub in a private mount namespace where the folder other accounts cannot enter (pyenv's /root) is replaced
#: by an open one holding only the interpreter's tree: the grading account runs the course's Python, as it
#: does on a server whose Python is the system's (tests/collect/accounts.py does the same for learners)
OPEN_INTERPRETER = r"""
hidden=$1 keep=$2 stash=$3; shift 3
if [ -n "$hidden" ]; then
  mount --bind "$keep" "$stash"
  mount -t tmpfs -o mode=0755 tmpfs "$hidden"
  mkdir -p "$keep"
  mount --bind "$stash" "$keep"
fi
exec "$@"
"""


def tiny_course() -> Course:
    """A throw-away course of one workbook with a few cells: fast to build, release, grade and render."""
    course = copy_course(Path(tempfile.mkdtemp(prefix="mda-hub-cours-")))
    for other in course.assignments():
        if other != ASSIGNMENT:
            shutil.rmtree(course.source / other)
    for path in course.source_notebooks(ASSIGNMENT):
        if path.stem != NOTEBOOK:
            path.unlink()
    path = course.source / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if cell.metadata["nbgrader"]["grade_id"] in KEPT_CELLS]
    assert len(notebook.cells) == len(KEPT_CELLS), "the workbook's cells changed: update KEPT_CELLS"
    nbformat.write(notebook, path)
    build_course(course)
    return course


def memory_limit(pid: int) -> int | None:
    """The memory limit of the control group process `pid` is in (cgroup v1 or v2), None if unlimited or unknown."""
    lines = Path(f"/proc/{pid}/cgroup").read_text(encoding="ascii").splitlines()
    places = [Path("/sys/fs/cgroup/memory", path.lstrip("/"), "memory.limit_in_bytes")
              for _, controllers, path in (line.split(":", 2) for line in lines) if "memory" in controllers.split(",")]
    places += [Path(root, path.lstrip("/"), "memory.max") for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified")
               for number, _, path in (line.split(":", 2) for line in lines) if number == "0"]
    for place in places:
        try:
            value = place.read_text(encoding="ascii").strip()
        except OSError:
            continue
        return None if value == "max" else int(value)
    return None


def skip_reason() -> str | None:
    """Why the hub cannot be tested here (French), or None."""
    if os.geteuid() != 0:
        return "test réservé à root : il crée de vrais comptes Unix et lance JupyterHub, comme en CI"
    for tool in ("useradd", "userdel", "chpasswd", "runuser", "unshare", "mount"):
        if shutil.which(tool) is None:
            return f"outil système absent : {tool} (paquets passwd, util-linux)"
    if not (BIN / "jupyterhub").is_file():
        return "JupyterHub absent : make install (extra « hub »)"
    if not PROXY.is_file():
        return f"proxy configurable-http-proxy absent ({PROXY}) : make proxy (Node.js et npm)"
    if not Path("/usr/bin/python3").is_file():
        return "Python du système absent (/usr/bin/python3) : apt-get install python3-venv"
    return None


class ClassHub:
    """Two learners and a trainer on a hub of their own."""

    def __init__(self, shorts: tuple[str, ...] = ("alice", "bruno")):
        self.base = Path(tempfile.mkdtemp(prefix="mda-hub-"))
        self.base.chmod(0o711)
        self.prefix = f"mda{secrets.token_hex(2)}"
        self.learners = {short: f"{self.prefix}-{short}" for short in shorts}
        self.trainer = f"{self.prefix}-formateur"
        self.grader = f"{self.prefix}-correcteur"  # formgrader's account, owner of the course (never root)
        self.learner_prefix: Path | None = None  # the learners' environment, given before start()
        self.course: Course = tiny_course()
        self.course.root.chmod(0o700)  # closed: mda hub refuses to start otherwise
        self.exchange = self.base / "echange"
        with (self.course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(f"\nc.Exchange.root = {str(self.exchange)!r}\n")
        ensure_exchange(self.course)
        with Gradebook(f"sqlite:///{self.course.root / 'gradebook.db'}") as gb:
            for short, name in self.learners.items():
                gb.update_or_create_student(name, first_name=short.capitalize(), last_name="Essai")
        self.ports = {name: free_port() for name in ("port", "port-hub", "port-proxy", "port-correction")}
        self.process: subprocess.Popen | None = None
        self.log = self.base / "hub.log"
        self.passwords: dict[str, str] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['port']}"

    service = "manager-affaires"  # the grading service is named after the course

    def uid(self, name: str) -> int:
        return pwd.getpwnam(name).pw_uid

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def mda(self, *argv: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """A trainer's command, as root (as documented), from the course root; `env` adds variables."""
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})}
        done = subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=self.course.root, env=env, capture_output=True,
                              text=True, timeout=COMMAND_TIMEOUT)
        if check:
            assert done.returncode == 0, f"{' '.join(argv)} :\n{done.stdout}\n{done.stderr}"
        return done

    def make_accounts(self) -> subprocess.CompletedProcess:
        done = self.mda("mda", "hub", "comptes", "--formateur", self.trainer, "--correcteur", self.grader,
                        "--dossier-comptes", str(self.base / "comptes"))
        sheet = self.course.root / ".mda" / "hub" / "mots-de-passe.csv"
        with sheet.open(encoding="utf-8-sig") as rows:
            self.passwords = {row["identifiant"]: row["mot de passe"] for row in csv.DictReader(rows, delimiter=";")}
        return done

    def start_options(self) -> list[str]:
        return ["--ip", "127.0.0.1", "--port", str(self.ports["port"]), "--port-hub", str(self.ports["port-hub"]),
                "--port-proxy", str(self.ports["port-proxy"]), "--port-correction", str(self.ports["port-correction"]),
                "--etat", str(self.base / "etat"), "--environnement-apprenant", str(self.learner_prefix)]

    def start(self) -> None:
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        hidden, keep = closed_ancestor(Path(sys.base_prefix))
        stash = self.base / "interpreteur"
        stash.mkdir(exist_ok=True)
        namespace = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-ec", OPEN_INTERPRETER, "sh",
                     hidden, keep, str(stash)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([*namespace, str(BIN / "mda"), "hub", "demarrer", *self.start_options()],
                                            cwd=self.course.root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"le hub s'est arrêté (code {self.process.returncode}) :\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=5):  # noqa: S310 - our own hub
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(1)
        raise AssertionError(f"le hub ne répond pas après {HUB_START_TIMEOUT} s :\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(pas de journal)"

    def run_as(self, name: str, script: str) -> subprocess.CompletedProcess:
        """A shell command as one of the class's accounts, in its own home, with the learners' PATH."""
        env = ["env", "-i", f"HOME={self.home(name)}", f"USER={name}", "LANG=C.UTF-8",
               f"PATH={self.learner_prefix / 'bin'}:/usr/bin:/bin"]
        return subprocess.run(["runuser", "-u", name, "--", *env, "sh", "-c", script], cwd=self.home(name),
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT)

    def accounts(self) -> list[str]:
        return [*self.learners.values(), self.trainer, self.grader]

    def close(self) -> None:
        """Stop the hub (its proxy and services), the accounts' processes, then remove the accounts."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        uids = set()
        for name in self.accounts():
            try:
                uids.add(pwd.getpwnam(name).pw_uid)
            except KeyError:
                continue
        ours = []
        for process in psutil.process_iter(["uids"]):  # the learners' servers and kernels, started by this test
            try:
                if process.info["uids"] and process.info["uids"].real in uids:
                    process.kill()
                    ours.append(process)
            except psutil.Error:
                continue
        psutil.wait_procs(ours, timeout=30)  # userdel refuses an account whose processes still run
        for name in self.accounts():
            subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)
        shutil.rmtree(self.course.root, ignore_errors=True)
