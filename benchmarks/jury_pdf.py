"""Benchmark: the jury's outputs of a graded course (not a test).

    .venv/bin/python benchmarks/jury_pdf.py COURSE [BLOC]      # BLOC: bloc1 by default

COURSE is a graded course folder (after `make demo`: the repository itself). In a throw-away copy of
it (its jury/ folder left out), times `mda jury BLOC` (proposals, minutes in xlsx, HTML and PDF),
`mda livrets BLOC` (one PDF per candidate, one Chromium for all), `mda archive SESSION` and its
`--verifier`, and `mda export moodle BLOC`; prints wall times, seconds per livret and the machine.
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

MDA = REPO / ".venv" / "bin" / "mda"
DAY = "2026-12-10"
SKIPPED = ("jury", ".venv", ".git", "echange", ".lab", "node_modules")


def timed(course: Path, *argv: str) -> tuple[float, str]:
    env = {**os.environ, "PATH": f"{MDA.parent}{os.pathsep}{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    done = subprocess.run([str(MDA), *argv], cwd=course, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"mda {' '.join(argv)} : échec ({done.returncode})\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("bloc", nargs="?", default="bloc1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mda-bench-jury-") as scratch:
        course = Path(scratch) / "cours"
        shutil.copytree(args.course, course, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED))
        jury, out = timed(course, "jury", args.bloc, "--date", DAY, "--membres", "Mme A, présidente", "M. B, expert")
        candidates = sum(1 for line in out.splitlines() if line.startswith("- "))
        livrets, _ = timed(course, "livrets", args.bloc)
        sealing, _ = timed(course, "archive", f"{args.bloc}-{DAY}")
        verifying, _ = timed(course, "archive", "--verifier", f"jury/archives/{args.bloc}-{DAY}.zip")
        moodle, _ = timed(course, "export", "moodle", args.bloc)
    print(f"Machine : {describe_machine()}")
    print(f"{args.bloc} : {candidates} candidat(s)")
    print(f"mda jury (propositions, procès-verbal xlsx/html/pdf) : {jury:.1f} s")
    print(f"mda livrets : {livrets:.1f} s, soit {livrets / max(candidates, 1):.2f} s par livret (Chromium compris)")
    print(f"mda archive : {sealing:.1f} s ; --verifier : {verifying:.1f} s ; mda export moodle : {moodle:.1f} s")


if __name__ == "__main__":
    main()
