"""`make lab`: JupyterLab on the learners' copies (.lab/), for a trainer who tries the course as a learner.

Jupyter refuses to start as root without ``--allow-root``: as root the flag is added, with a French warning
(a learner works under their own account; a lab run as root reads and writes every file of the machine).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT_WARNING = ("Attention : JupyterLab tourne en root (--allow-root) : il lit et écrit tous les fichiers de la "
                "machine ; un apprenant travaille sous son propre compte (pour essayer le cours comme lui, "
                "lancez make lab depuis un compte ordinaire).")


def lab_command(uid: int, bin_dir: Path) -> tuple[list[str], str]:
    """The command line of this environment's JupyterLab for the account `uid`, and the warning to print ("")."""
    command = [str(bin_dir / "jupyter"), "lab"]
    return (command + ["--allow-root"], ROOT_WARNING) if uid == 0 else (command, "")


def main(argv: list[str] | None = None) -> None:
    command, warning = lab_command(os.geteuid(), Path(sys.executable).parent)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    os.execv(command[0], command + list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
