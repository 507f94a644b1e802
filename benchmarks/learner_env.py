"""Benchmark: building the learners' environment of `mda hub` (deploy/installer-apprenant.sh), not a test.

    .venv/bin/python benchmarks/learner_env.py            # uv: cold cache, warm cache, course code only
    .venv/bin/python benchmarks/learner_env.py --pip      # and, for comparison, the same with pip

Each build goes into a throw-away prefix, from Debian's Python, as `mda hub environnement` does.
« Cold »: uv's cache is an empty folder of its own (UV_CACHE_DIR), as on a fresh CI machine where
only `make install` ran; « warm »: the same cache again; « course only »: `--cours`, what the hub
test does on each run once its environment is cached. --pip: `python -m venv` + `pip install` of
the same requirements and course package, as the installer did before uv (pip's own settings and
cache as they are on this machine). Wall time of each; figures go to docs/mesures/carnets-jury-hub.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402

INSTALLER = REPO / "deploy" / "installer-apprenant.sh"
REQUIREMENTS = REPO / "deploy" / "apprenant" / "requirements.txt"
DEBIAN_PYTHON = "/usr/bin/python3"


def timed(label: str, argv: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(argv, check=True, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    print(f"{label} : {elapsed:.1f} s", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip", action="store_true", help="mesure aussi la construction avec pip")
    args = parser.parse_args()
    print(describe_machine())
    scratch = Path(tempfile.mkdtemp(prefix="mda-bench-apprenant-"))
    env = {**os.environ, "MDA_PYTHON_APPRENANT": DEBIAN_PYTHON, "MDA_UV": str(Path(sys.executable).parent / "uv"),
           "UV_CACHE_DIR": str(scratch / "cache-uv")}
    try:
        timed("uv, cache vide", ["sh", str(INSTALLER), str(scratch / "froid"), str(REPO)], env)
        timed("uv, cache rempli", ["sh", str(INSTALLER), str(scratch / "chaud"), str(REPO)], env)
        timed("uv, code du cours seulement (--cours)", ["sh", str(INSTALLER), "--cours", str(scratch / "chaud"),
                                                        str(REPO)], env)
        if args.pip:
            prefix = scratch / "pip"
            pip = [str(prefix / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            script = (f"{DEBIAN_PYTHON} -m venv {prefix} && {' '.join(pip)} --upgrade pip && "
                      f"{' '.join(pip)} -r {REQUIREMENTS} && {' '.join(pip)} {REPO}")
            timed("pip (avant uv)", ["sh", "-c", script], env)
        print(describe_machine("charge moyenne à la fin (1/5/15 min)"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
