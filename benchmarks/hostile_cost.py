"""Benchmark: what each attack of the hostile corpus costs the grader (not a test).

    .venv/bin/python benchmarks/hostile_cost.py [--fois 1] [--workers 1] [--bases 3]

The hostile corpus of the tests (``tests/grade/hostile.py``: the honest base, a blank copy and every
attack, bloc 1 trimmed to its first two notebooks) is written into a throw-away course, with
``--bases`` more copies of the honest base, and graded by `mda grade bloc1 --force`, as a trainer
runs it, one copy at a time by default (a copy's time is then its own, not a share of the machine
with the corpus's other copies). The journal (``autograded/journal_correction.csv``) gives each
notebook's grading time (``duree_s``); an attack's extra cost is its copy's time minus the median of
the honest bases', whose spread is the run's noise. Printed: a table per run, the total extra time of
all attacks (issue 20's target: under 30 s in all) and the machine with its load before and after
each run: figures taken while other jobs run are noisy.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from tests.grade.helpers import trimmed_course  # noqa: E402
from tests.grade.hostile import ASSIGNMENT, build_hostile  # noqa: E402

BASE, BLANK = "h00-base-honnete", "h00-base-vierge"
BASE_COPY = "z-base-honnete"  # the name of a copy of the honest base, after the attack it follows


def hostile_course(bases: int) -> tuple[Course, list[str]]:
    """A trimmed bloc 1 course holding the whole hostile corpus and `bases` more honest bases; its learners."""
    course = trimmed_course("cout-hostile", keep=2)
    build_hostile(course, str(REPO))
    submitted = course.step("submitted")
    attacks = sorted(p.name for p in submitted.iterdir() if not p.name.startswith("h00"))
    for number in range(1, bases + 1):  # spread through the grading order (by name): early and late copies alike
        after = attacks[min(len(attacks) - 1, number * len(attacks) // (bases + 1))]
        shutil.copytree(submitted / BASE, submitted / f"{after}-{BASE_COPY}")
    return course, sorted(p.name for p in submitted.iterdir())


def grade(course: Course, workers: int | None) -> float:
    """`mda grade` of the whole corpus (from scratch); its wall time."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(bin_dir / "mda"), "grade", ASSIGNMENT, "--force", *(["--workers", str(workers)] if workers else [])]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=course.root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"mda grade a échoué ({done.returncode}) :\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def copy_seconds(course: Course) -> dict[str, float]:
    """Learner -> seconds of all its notebooks' grading, from the journal."""
    journal = pd.read_csv(course.step("autograded") / "journal_correction.csv")
    return journal.groupby("apprenant")["duree_s"].sum().to_dict()


def report(seconds: dict[str, float], wall: float) -> float:
    """Print one run's table; return the attacks' total extra time (seconds, never below 0 per attack)."""
    bases = [total for student, total in seconds.items() if student == BASE or student.endswith(BASE_COPY)]
    base = statistics.median(bases)
    print("| Copie | Correction (s, somme des carnets) | En plus de la base honnête (s) |")
    print("|---|---:|---:|")
    extra_total = 0.0
    for student, total in sorted(seconds.items()):
        extra = total - base
        if student not in (BASE, BLANK) and not student.endswith(BASE_COPY):
            extra_total += max(extra, 0.0)
        print(f"| {student} | {total:.1f} | {extra:+.1f} |")
    print(f"\nBases honnêtes : médiane {base:.1f} s, de {min(bases):.1f} à {max(bases):.1f} s ({len(bases)} copies : "
          f"l'écart est le bruit de la mesure). `mda grade` : {wall:.1f} s pour {len(seconds)} copies ; "
          f"surcoût total des attaques : {extra_total:.1f} s (objectif de l'issue 20 : moins de 30 s)\n")
    return extra_total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fois", type=int, default=1, help="runs of the same corpus")
    parser.add_argument("--workers", type=int, default=1, help="mda grade --workers (0: mda grade's default)")
    parser.add_argument("--bases", type=int, default=3, help="more copies of the honest base (the noise)")
    args = parser.parse_args()
    course, learners = hostile_course(args.bases)
    print(f"Corpus hostile : {len(learners)} copies, {ASSIGNMENT} réduit à 2 carnets ({course.root})\n")
    totals = []
    try:
        for run in range(1, args.fois + 1):
            print(f"## Essai {run}\n\nAvant : {describe_machine()}\n")
            wall = grade(course, args.workers)
            print(f"Après : {describe_machine()}\n")
            totals.append(report(copy_seconds(course), wall))
    finally:
        shutil.rmtree(course.root, ignore_errors=True)
    if len(totals) > 1:
        print(f"Surcoût total des attaques, médiane de {len(totals)} essais : {statistics.median(totals):.1f} s")


if __name__ == "__main__":
    main()
