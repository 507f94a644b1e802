"""The janitor of one grading run: delete its scratch folder once its process is gone.

Started by ``run_lock.start_janitor`` as a script (``python -I janitor.py PID FOLDER``), in
a session of its own, so that it outlives a killed run. Standard library only: run by its
path, it imports neither ``mda_checks`` nor nbgrader (about 2.5 s of CPU saved at the
start of every run, when the workers are starting too).
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def janitor(pid: int, folder: Path) -> None:
    """Wait while the run `pid` lives and its folder exists; then delete the folder."""
    while folder.is_dir() and alive(pid):
        time.sleep(0.5)
    time.sleep(1)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    janitor(int(sys.argv[1]), Path(sys.argv[2]))
