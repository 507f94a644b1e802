"""A real JupyterLab server for the browser tests: a free port, a token, HTTP readiness, a clean stop.

The server runs from the course root (formgrader reads the course's nbgrader_config.py from its
working directory), with throw-away Jupyter settings, workspaces and runtime folders: nothing of
the machine's own Jupyter set-up (or of an earlier run) is reopened in the browser.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from mda_checks.exchange import write_server_extension_config

#: Debian's Chromium (apt-get install chromium); Playwright drives it, it never downloads a browser
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
#: a busy CI machine (2 shared cores, grading running next door) can take a while to serve its first page
START_TIMEOUT = 120
#: Playwright's default wait (ms); kernel-dependent steps (start, Run All) wait longer
WAIT_MS = 60_000
KERNEL_WAIT_MS = 120_000
#: JupyterLab's own notices (news, updates) would cover the page: off in the throw-away settings
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False}}


class ServerExited(RuntimeError):
    """JupyterLab stopped before it answered (its log says why)."""


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LabServer:
    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log: Path
    _children: set[int] = field(default_factory=set)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """An address of the server that logs the browser in (the token sets its cookie)."""
        separator = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{separator}token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10):
        request = urllib.request.Request(f"{self.base}/{path.lstrip('/')}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own local server
            body = response.read()
            return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(pas de journal)"

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Until the server answers its status API (never a fixed sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerExited(f"JupyterLab s'est arrêté au démarrage (code {self.process.returncode}) :\n"
                                   f"{self.log_tail()}")
            try:
                self.api("api/status", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab ne répond pas après {timeout} s :\n{self.log_tail()}")

    def remember_children(self) -> None:
        """Kernels run in sessions of their own: note them so that stop() reaches them too."""
        try:
            self._children |= {p.pid for p in psutil.Process(self.process.pid).children(recursive=True)}
        except psutil.Error:
            pass

    def shutdown_kernels(self) -> None:
        self.remember_children()
        try:
            for kernel in self.api("api/kernels"):
                self.api(f"api/kernels/{kernel['id']}", method="DELETE", timeout=30)
        except (urllib.error.URLError, OSError, ValueError):
            pass

    def stop(self) -> None:
        self.remember_children()
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        for pid in self._children:  # only processes this server started
            try:
                child = psutil.Process(pid)
                child.kill()
            except psutil.Error:
                pass


def start_lab(root: Path, state: Path) -> LabServer:
    """JupyterLab (with nbgrader's extensions: formgrader, assignment list) serving `root`."""
    for folder in ("config", "nbgrader", "settings", "workspaces", "runtime", "data"):
        (state / folder).mkdir(parents=True, exist_ok=True)
    write_server_extension_config(state / "config")  # formgrader's CSP, as `make install` enables it
    for name, values in LAB_SETTINGS.items():
        target = state / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           # a learner's kernel draws inline charts, and is not a grading run
           if key not in {"MPLBACKEND", "NBGRADER_EXECUTION", "JPY_SESSION_NAME"}}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(state / "config"),
        # first on Jupyter's configuration path, before .venv/etc/jupyter (where `make install` points
        # nbgrader at the repository's own exchange; in a virtual environment it even comes before
        # JUPYTER_CONFIG_DIR): the nbgrader configuration a test gives the learner's Jupyter
        JUPYTER_CONFIG_PATH=os.pathsep.join(filter(None, [str(state / "nbgrader"), env.get("JUPYTER_CONFIG_PATH")])),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_DATA_DIR=str(state / "data"),
        IPYTHONDIR=str(state / "ipython"),  # no profile or start-up script of the machine's in the kernels
        PYTHONUNBUFFERED="1",
    )
    token, log = secrets.token_hex(24), state / "jupyterlab.log"
    for attempt in range(1, 4):  # the free port may be taken between the probe and the start
        port = free_port()
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--ServerApp.allow_root=True",  # CI runs as root
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        with log.open("ab") as output:
            process = subprocess.Popen(command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        server = LabServer(root, port, token, process, log)
        try:
            server.wait_ready()
            return server
        except ServerExited:
            if attempt == 3:
                raise
        except BaseException:
            server.stop()
            raise
    raise AssertionError("unreachable")
