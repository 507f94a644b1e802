"""Real Unix learner accounts for the identity tests: created with useradd, removed afterwards (root only).

Each learner runs the project's own nbgrader as themselves (``runuser -u``). The project's Python
may live under a folder other accounts cannot enter (pyenv under ``/root``): the learner's command
then runs in a private mount namespace where that folder is replaced by an empty, open one holding
only the interpreter's tree. Nothing changes outside that namespace."""
from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
RUN_AS = r"""
hidden=$1 keep=$2 stash=$3 user=$4; shift 4
if [ -n "$hidden" ]; then
  mount --bind "$keep" "$stash"
  mount -t tmpfs -o mode=0755 tmpfs "$hidden"
  mkdir -p "$keep"
  mount --bind "$stash" "$keep"
fi
exec runuser -u "$user" -- "$@"
"""


def skip_unless_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("test réservé à root : il crée de vrais comptes Unix d'apprenants (useradd), comme en CI")
    for tool in ("useradd", "userdel", "runuser", "unshare", "mount"):
        if shutil.which(tool) is None:
            pytest.skip(f"outil système absent : {tool} (paquets passwd, util-linux, mount)")


def closed_ancestor(path: Path) -> tuple[str, str]:
    """(the first folder above `path` that other accounts cannot enter, its child on the way), or ("", "")."""
    parts = Path(os.path.realpath(path)).parts
    for depth in range(1, len(parts) - 1):
        folder = Path(*parts[:depth + 1])
        if not folder.stat().st_mode & stat.S_IXOTH:
            return str(folder), str(folder / parts[depth + 1])
    return "", ""


class Accounts:
    """Learner accounts named ``<prefix>-<short name>``, each with a home folder under `base`."""

    def __init__(self, base: Path):
        skip_unless_root()
        self.base = base
        self.prefix = f"mda{secrets.token_hex(2)}"
        self.names: list[str] = []
        self.hidden, self.keep = closed_ancestor(Path(sys.base_prefix))
        self.stash = base / "interpreteur"
        self.stash.mkdir()

    def add(self, short: str) -> str:
        name = f"{self.prefix}-{short}"
        home = self.home(name)
        subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/sh", name],
                       check=True, capture_output=True)
        self.names.append(name)
        home.mkdir(parents=True)
        (home / "devoirs").mkdir()
        self.give(name, home)
        return name

    def home(self, name: str) -> Path:
        return self.base / "comptes" / name

    def give(self, name: str, path: Path) -> None:
        subprocess.run(["chown", "-R", f"{name}:{name}", str(path)], check=True)

    def run(self, name: str, *argv: str, cwd: Path | None = None) -> str:
        """`argv` as learner `name`, in their own HOME and Jupyter folders; its output (stdout + stderr)."""
        home = self.home(name)
        env = ["env", "-i", f"HOME={home}", f"PATH={BIN}:/usr/bin:/bin", f"USER={name}", "LANG=C.UTF-8",
               f"JUPYTER_CONFIG_DIR={home / '.jupyter'}", f"JUPYTER_DATA_DIR={home / '.local/share/jupyter'}",
               "JUPYTER_PREFER_ENV_PATH=0", "MPLBACKEND=Agg", f"MPLCONFIGDIR={home / '.matplotlib'}"]
        done = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-ec", RUN_AS, "sh",
                               self.hidden, self.keep, str(self.stash), name, *env, *argv],
                              cwd=cwd or home, capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{name} : {' '.join(argv)}\n{output}"
        return output

    def check_python(self, name: str) -> None:
        """Skip (with the reason) where another account cannot run the project's Python."""
        try:
            self.run(name, str(BIN / "python"), "-c", "import nbgrader, mda_checks")
        except AssertionError as problem:
            pytest.skip(f"l'environnement Python du projet n'est pas utilisable par un autre compte : {problem}")

    def close(self) -> None:
        for name in self.names:
            subprocess.run(["userdel", name], capture_output=True)
