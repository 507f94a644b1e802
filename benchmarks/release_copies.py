"""Benchmark: `mda release BLOC --apprenants FILE`, one personal copy per learner (not a test).

    .venv/bin/python benchmarks/release_copies.py                  # 100 learners, every bloc
    .venv/bin/python benchmarks/release_copies.py bloc2 --apprenants 20 --profile

In a throw-away copy of the course (source/, mda_reference/, nbgrader_config.py), `mda build`
writes release/ first (timed apart, not counted), then `mda release` is run once per bloc, with
the course as working folder, on a roster of N learners (CSV: id, nom, prénom, e-mail). The
course key is fixed (.mda/cle_variantes), so the same learners get the same variants, redraws
included, from one run to the next. For each bloc: wall time, CPU time of the command and its
workers, seconds per learner, redrawn variants. Target: under a minute for 100 learners of a bloc.

--profile: the same release, in this process and with one worker (the pool would hide its
workers from cProfile), under cProfile; prints where the time goes.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import chdir
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine, write_course_key  # noqa: E402

MDA = REPO / ".venv" / "bin" / "mda"
#: the course key of the throw-away course: fixed, so that the variants (and redraws) are the same each run
KEY = "6d64612d62656e63686d61726b2d72656c656173652d636f70696573"


def machine() -> str:
    return describe_machine("charge moyenne (1/5/15 min) au lancement")


def make_course(folder: Path) -> Path:
    """A throw-away course, as tests.conftest.copy_course makes one, with a fixed course key."""
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "source", folder / "source")
    shutil.copytree(REPO / "mda_reference", folder / "mda_reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", folder)
    write_course_key(folder, KEY)
    return folder


def write_roster(path: Path, learners: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "nom", "prénom", "e-mail"])
        for index in range(learners):
            writer.writerow([f"apprenant{index:03d}", f"Nom{index:03d}", f"Prénom{index:03d}",
                             f"apprenant{index:03d}@exemple.fr"])
    return path


def timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and its children, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} a échoué ({done.returncode}) :\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def profile(course: Path, assignment: str, roster: Path, top: int) -> None:
    from mda_checks.cli import main as mda

    profiler = cProfile.Profile()
    with chdir(course):
        start = time.perf_counter()
        profiler.runcall(mda, ["release", assignment, "--apprenants", str(roster), "--workers", "1"])
    print(f"\nProfil de `mda release {assignment}` (1 processus) : {time.perf_counter() - start:.1f} s")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=["bloc1", "bloc2", "bloc3", "bloc4"])
    parser.add_argument("--apprenants", type=int, default=100, help="learners in the roster (default: 100)")
    parser.add_argument("--profile", action="store_true", help="profile the release of the first bloc instead")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    print(f"Machine : {machine()}")
    print(f"Date : {datetime.now().astimezone().isoformat(timespec='minutes')}\n")
    with tempfile.TemporaryDirectory(prefix="mda-bench-release-") as tmp:
        course = make_course(Path(tmp) / "cours")
        roster = write_roster(Path(tmp) / "apprenants.csv", args.apprenants)
        wall, cpu, _ = timed([str(MDA), "build", *args.assignments], course)
        print(f"`mda build {' '.join(args.assignments)}` (non compté) : {wall:.1f} s\n")
        if args.profile:
            profile(course, args.assignments[0], roster, args.top)
            return
        print("| Devoir | Apprenants | Durée (s) | Temps CPU (s) | s par apprenant | Tirages refaits |")
        print("|---|---:|---:|---:|---:|---:|")
        for assignment in args.assignments:
            wall, cpu, output = timed([str(MDA), "release", assignment, "--apprenants", str(roster)], course)
            redrawn = re.search(r"(\d+) tirage\(s\) refait", output)
            print(f"| {assignment} | {args.apprenants} | {wall:.1f} | {cpu:.1f} | {wall / args.apprenants:.2f} "
                  f"| {redrawn.group(1) if redrawn else '?'} |", flush=True)


if __name__ == "__main__":
    main()
