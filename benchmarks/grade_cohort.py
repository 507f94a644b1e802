"""Benchmark: serial `nbgrader autograde` against `mda grade` on the same cohort (not a test).

    .venv/bin/python benchmarks/grade_cohort.py                  # 24 learners, bloc 1, side by side
    .venv/bin/python benchmarks/grade_cohort.py --quick          # 8 and 16 learners, first notebook only
    .venv/bin/python benchmarks/grade_cohort.py --memoire 24 96 384   # mda grade alone: memory

Side by side, two identical throw-away courses are graded from scratch: one by nbgrader's own
command (`nbgrader autograde bloc1 --force`, one kernel per notebook, one after the other), one
by `mda grade --force` (parallel workers, one warm sandboxed kernel per submission), both with
the course's configuration; then their gradebooks are compared cell by cell. Each grader runs
in its own process; psutil samples its process tree every 0.2 s: the peak of the grading
process alone and the peak of the whole tree (workers and kernels included). Printed: the
speed-up ratio, seconds per notebook, memory, and the machine (cores, CPU, RAM, load):
figures taken while other jobs run are noisy.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.assign import build_course  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from mda_checks.demo.run import slips_of  # noqa: E402
from mda_checks.demo.submissions import (  # noqa: E402
    blank_submission, slipped_submission, solved_submission, write_submission,
)

ASSIGNMENT = "bloc1"
#: one hand-in time for both courses: their gradebooks are then equal cell by cell, timestamps included
HANDED_IN = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
MEASURE = """
import resource, sys, time
start = time.perf_counter()
code = 0
try:
    {call}
except SystemExit as stop:
    code = stop.code or 0
me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
print("MESURE", time.perf_counter() - start, me.ru_maxrss, cpu, code, file=sys.stderr)
"""
SERIAL = "from nbgrader.apps.nbgraderapp import main; sys.argv = ['nbgrader', 'autograde', 'bloc1', '--force']; main()"
PARALLEL = "from mda_checks.cli import main; sys.exit(main(['grade', 'bloc1', '--force'{workers}]))"


def make_course(folder: Path, learners: int, first_only: bool) -> Course:
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "source" / ASSIGNMENT, folder / "source" / ASSIGNMENT)
    shutil.copytree(REPO / "mda_reference", folder / "mda_reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", folder)
    course = Course(folder)
    if first_only:
        for notebook in course.source_notebooks(ASSIGNMENT)[1:]:
            notebook.unlink()
    build_course(course, [ASSIGNMENT])
    slips = slips_of(course, ASSIGNMENT)  # those of the notebooks this course keeps (--quick: the first)
    makers = [lambda: solved_submission(course, ASSIGNMENT), lambda: slipped_submission(course, ASSIGNMENT, slips),
              lambda: blank_submission(course, ASSIGNMENT)]
    for index in range(learners):
        write_submission(course, f"apprenant-{index:03d}", ASSIGNMENT, makers[index % len(makers)](), HANDED_IN)
    return course


@dataclass
class Measure:
    seconds: float
    parent_mb: float  # peak resident memory of the grading process alone
    tree_mb: float  # peak of the sum over the process tree: parent, workers, kernels
    cpu: float  # CPU time of the tree as rusage reports it (bwrap hides part of the kernels')


def measure(course: Course, call: str) -> Measure:
    """Run one grader in its own process; sample the memory of its process tree with psutil."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
               MPLBACKEND="Agg")
    with tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, "-c", MEASURE.format(call=call)], cwd=course.root, env=env,
                                   stdout=subprocess.DEVNULL, stderr=err, text=True)
        parent, tree = 0, 0
        me = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                own = me.memory_info().rss
                total = own
                for child in me.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
                parent, tree = max(parent, own), max(tree, total)
            except psutil.Error:
                pass
            time.sleep(0.2)
        err.seek(0)
        output = err.read()
    line = next((line for line in output.splitlines() if line.startswith("MESURE")), None)
    if line is None:
        raise RuntimeError(output[-2000:])
    _, seconds, maxrss_kb, cpu, _code = line.split()
    return Measure(float(seconds), max(parent, int(maxrss_kb) * 1024) / 2**20, tree / 2**20, float(cpu))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true", help="8 et 16 apprenants, premier carnet seulement")
    options.add_argument("--sizes", type=int, nargs="*", help="tailles de promotion (défaut : 24)")
    options.add_argument("--memoire", type=int, nargs="*", default=None, metavar="N",
                         help="mda grade seul, sur le premier carnet, pour ces tailles (ex. 24 96 384) : "
                         "mémoire du parent et de l'arbre de processus")
    options.add_argument("--workers", type=int, default=None, help="corrections simultanées de mda grade (défaut : celui de mda grade)")
    args = options.parse_args()
    print(f"Machine : {describe_machine()}")
    workers = f", '--workers', '{args.workers}'" if args.workers else ""
    with tempfile.TemporaryDirectory(prefix="mda-bench-") as scratch:
        if args.memoire:
            memory_series(Path(scratch), args.memoire, workers)
        else:
            side_by_side(Path(scratch), args.sizes or ([8, 16] if args.quick else [24]), args.quick, workers)
    print(f"Machine en fin de mesure : {describe_machine()}")


def side_by_side(scratch: Path, sizes: list[int], quick: bool, workers: str) -> None:
    rows = []
    for size in sizes:
        serial = make_course(scratch / f"serie-{size}", size, quick)
        parallel = make_course(scratch / f"parallele-{size}", size, quick)
        notebooks = size * len(serial.source_notebooks(ASSIGNMENT))
        one, many = measure(serial, SERIAL), measure(parallel, PARALLEL.format(workers=workers))
        same = same_grades(serial, parallel)
        rows.append((size, notebooks, one, many, same))
        print(f"{size} apprenants ({notebooks} carnets) : nbgrader série {one.seconds:.1f} s ; mda grade "
              f"{many.seconds:.1f} s ; rapport {one.seconds / many.seconds:.2f}× ; notes identiques : "
              f"{'oui' if same else 'NON'}", flush=True)
    print("\n| apprenants | carnets | nbgrader série (s) | mda grade (s) | rapport | s/carnet série | "
          "s/carnet mda | notes identiques | pic mémoire série (Mo) | pic parent mda (Mo) | pic arbre mda (Mo) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, notebooks, one, many, same in rows:
        print(f"| {size} | {notebooks} | {one.seconds:.1f} | {many.seconds:.1f} | {one.seconds / many.seconds:.2f}× | "
              f"{one.seconds / notebooks:.2f} | {many.seconds / notebooks:.2f} | {'oui' if same else 'NON'} | "
              f"{one.parent_mb:.0f} | {many.parent_mb:.0f} | {many.tree_mb:.0f} |")


def memory_series(scratch: Path, sizes: list[int], workers: str) -> None:
    print("\n| apprenants | carnets | mda grade (s) | s/carnet | pic parent (Mo) | pic arbre : parent, workers, noyaux (Mo) |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        course = make_course(scratch / f"memoire-{size}", size, True)
        run = measure(course, PARALLEL.format(workers=workers))
        print(f"| {size} | {size} | {run.seconds:.1f} | {run.seconds / size:.2f} | {run.parent_mb:.0f} | "
              f"{run.tree_mb:.0f} |", flush=True)
        shutil.rmtree(course.root)


def same_grades(serial: Course, parallel: Course) -> bool:
    """Cell by cell, the two gradebooks hold the same scores (the equality the tests prove on less)."""
    from tests.grade.helpers import gradebook_rows

    return gradebook_rows(f"sqlite:///{serial.root / 'gradebook.db'}") == \
        gradebook_rows(f"sqlite:///{parallel.root / 'gradebook.db'}")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\nDurée totale du banc d'essai : {time.perf_counter() - started:.0f} s")
