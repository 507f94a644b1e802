"""Benchmark: does grading a learner on their own variant cost more per notebook? (not a test)

    .venv/bin/python benchmarks/variant_grading.py [--apprenants 4] [--runs 3]

Two throw-away courses (source/, mda_reference/, nbgrader_config.py), both built with `mda build
bloc1` and given the same roster of N learners (`mda apprenants`):

- « cas commun »: nobody has a variant; each learner hands in the solved copy of release/bloc1
  with its data/;
- « variantes »: `mda release bloc1` first (fixed course key); each learner hands in their own
  personal copy, solved, with their own data/. Grading regenerates and verifies each learner's
  case (the first run fills the cache of .mda/cache/, the next ones read it).

In each course, `mda grade bloc1 --force` (workers: one per core) is run `--runs` times, with
the course as working folder, one course after the other (a load that comes and goes on a shared
machine weighs on both alike). Printed per run: wall time, CPU time of the whole tree (workers
and kernels), wall and CPU seconds per notebook, the mean of the journal's per-notebook
durations, and the automatic points (those of the check cells; the written answers wait for a trainer):
a solved submission must score them in full, else « (!) ».
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine, write_course_key  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from mda_checks.grade.autograde import journal_path  # noqa: E402
from mda_checks.notebook import cells  # noqa: E402
from mda_checks.demo.submissions import release_notebooks, solved  # noqa: E402
from mda_apprenant.exchange_fetch import PERSONAL  # noqa: E402

MDA = REPO / ".venv" / "bin" / "mda"
ASSIGNMENT = "bloc1"
COURSE_ID = "manager-affaires"  # nbgrader_config.py
KEY = "6d64612d62656e63686d61726b2d76617269616e742d67726164696e67"


def machine() -> str:
    return describe_machine("charge moyenne (1/5/15 min)")


def mda(course: Path, *arguments: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the command and everything it started, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(MDA), *arguments], cwd=course, capture_output=True, text=True,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"mda {' '.join(arguments)} a échoué ({done.returncode}) :\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def make_course(folder: Path, roster: Path) -> Course:
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "source" / ASSIGNMENT, folder / "source" / ASSIGNMENT)
    shutil.copytree(REPO / "mda_reference", folder / "mda_reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", folder)
    write_course_key(folder, KEY)
    mda(folder, "build", ASSIGNMENT)
    mda(folder, "apprenants", str(roster))
    return Course(folder)


def hand_in(course: Course, student: str, copy: Path) -> None:
    """submitted/<student>/bloc1/: the copy's notebooks, solved from the masters, and its data/."""
    folder = course.step("submitted") / student / ASSIGNMENT
    folder.mkdir(parents=True)
    masters = course.read_source(ASSIGNMENT)
    for path in sorted(copy.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        nbformat.write(solved(notebook, masters[path.stem]), folder / path.name)
    shutil.copytree(copy / "data", folder / "data")
    (folder / "timestamp.txt").write_text(datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S.%f %Z") + "\n")


def write_roster(path: Path, learners: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "nom", "prénom", "e-mail"])
        writer.writerows([learner, f"Nom {learner}", "Prénom", f"{learner}@exemple.fr"] for learner in learners)
    return path


def automatic_points(course: Course) -> dict[str, float]:
    """Notebook -> the points of its check cells (the rest is graded by hand: not in a solved submission's score)."""
    return {name: sum(cells.points(c) for c in notebook.cells if cells.is_autograded_test(c))
            for name, notebook in course.read_source(ASSIGNMENT).items()}


def grade(course: Course, label: str, run: int, notebooks: int) -> str:
    wall, cpu, _ = mda(course.root, "grade", ASSIGNMENT, "--force")
    journal = pd.read_csv(journal_path(course))
    automatic = journal["notebook"].map(automatic_points(course))
    full = len(journal) == notebooks and (journal["points"] == automatic).all()
    row = (f"| {label} | {run} | {notebooks} | {wall:.1f} | {cpu:.1f} | {wall / notebooks:.2f} | {cpu / notebooks:.2f} "
           f"| {journal['duree_s'].mean():.2f} | {journal['points'].sum():g}/{automatic.sum():g}{'' if full else ' (!)'} |")
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apprenants", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    learners = [f"apprenant{index:02d}" for index in range(args.apprenants)]
    print(f"Machine : {machine()}")
    print(f"Date : {datetime.now().astimezone().isoformat(timespec='minutes')}\n")
    print("| Cas | Correction n° | Carnets | Durée (s) | Temps CPU (s) | s par carnet | CPU s par carnet "
          "| s par carnet (journal) | Points automatiques |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="mda-bench-variantes-") as tmp:
        roster = write_roster(Path(tmp) / "apprenants.csv", learners)
        common = make_course(Path(tmp) / "commun", roster)
        notebooks = len(release_notebooks(common, ASSIGNMENT)) * len(learners)
        for learner in learners:
            hand_in(common, learner, common.release / ASSIGNMENT)
        variants = make_course(Path(tmp) / "variantes", roster)
        mda(variants.root, "release", ASSIGNMENT)  # the learners already in the gradebook
        personal = variants.root / "echange" / COURSE_ID / PERSONAL / ASSIGNMENT
        for learner in learners:
            hand_in(variants, learner, personal / learner)
        for run in range(1, args.runs + 1):  # alternated: a load that comes and goes weighs on both alike
            grade(common, "cas commun", run, notebooks)
            grade(variants, "variantes", run, notebooks)
    print(f"\nMachine en fin de mesure : {machine()}")


if __name__ == "__main__":
    main()
