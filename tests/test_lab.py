"""`make lab` starts this environment's JupyterLab, as root too (--allow-root, with a French warning)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mda_checks.lab import ROOT_WARNING, lab_command

REPO = Path(__file__).resolve().parents[1]


def test_as_root_the_lab_is_allowed_and_the_trainer_warned_otherwise_neither():
    here = Path(sys.executable).parent
    assert lab_command(0, here) == ([str(here / "jupyter"), "lab", "--allow-root"], ROOT_WARNING)
    assert lab_command(1000, here) == ([str(here / "jupyter"), "lab"], "")
    assert "root" in ROOT_WARNING and "son propre compte" in ROOT_WARNING


def _lab(argv: list[str], folder: Path) -> subprocess.Popen:
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(folder)}
    return subprocess.Popen([*argv, "--no-browser", "--port=0", "--ServerApp.token=essai"], cwd=folder, env=env,
                            stderr=subprocess.PIPE, text=True)


def test_the_lab_really_starts_from_this_account_root_included(tmp_path):
    lab = _lab([sys.executable, "-m", "mda_checks.lab"], tmp_path)
    said = []
    try:
        for line in lab.stderr:  # until the server says where it listens (or stops)
            said.append(line)
            if "is running at" in line or "Use Control-C to stop" in line:
                break
    finally:
        lab.terminate()
        lab.wait(timeout=600)
    text = "".join(said)
    assert "is running at" in text or "Use Control-C to stop" in text, text
    assert (ROOT_WARNING in text) == (os.geteuid() == 0)
    if os.geteuid() == 0:  # what the flag is for: plain `jupyter lab` refuses root
        plain = _lab([str(Path(sys.executable).parent / "jupyter"), "lab"], tmp_path)
        _, err = plain.communicate(timeout=600)
        assert plain.returncode == 1 and "--allow-root" in err, err


def test_make_lab_runs_it():
    dry = subprocess.run(["make", "--no-print-directory", "-n", "lab"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1].endswith("python -m mda_checks.lab"), dry.stdout
