"""Benchmark: serial `nbgrader autograde` against `mda grade` on the same cohort (not a test).

    .venv/bin/python benchmarks/grade_cohort.py            # 24 and 96 learners, bloc 1
    .venv/bin/python benchmarks/grade_cohort.py --quick    # 8 and 16 learners, first notebook only

For each cohort size, two identical throw-away courses are graded from scratch: one by
nbgrader's own command (`nbgrader autograde bloc1 --force`, one kernel after the other),
one by `mda grade --force` (parallel workers, sandboxed kernels). Each grader runs in its
own process, which reports its wall time, its own peak memory (ru_maxrss of the grading
process, kernels and workers excluded) and the CPU time of the whole tree (itself, workers
and kernels: a figure the other jobs of a shared machine do not inflate). Printed: the speed-up ratio, seconds per notebook,
and the peak memory of each parent. The machine (cores, CPU, RAM, load) is printed too:
figures taken while other jobs run are noisy.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mda_checks.assign import build_course  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from mda_checks.demo.run import slips_of  # noqa: E402
from mda_checks.demo.submissions import (  # noqa: E402
    blank_submission, slipped_submission, solved_submission, write_submission,
)

ASSIGNMENT = "bloc1"
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


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cœurs ({model}), {memory} Gio de RAM, charge moyenne (1/5/15 min) : {load}"


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
        write_submission(course, f"apprenant-{index:03d}", ASSIGNMENT, makers[index % len(makers)]())
    return course


def measure(course: Course, call: str) -> tuple[float, float, float]:
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
               MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-c", MEASURE.format(call=call)], cwd=course.root, env=env,
                          capture_output=True, text=True)
    line = next((line for line in done.stderr.splitlines() if line.startswith("MESURE")), None)
    if line is None:
        raise RuntimeError(done.stderr[-2000:])
    _, seconds, maxrss_kb, cpu, _code = line.split()
    return float(seconds), int(maxrss_kb) / 1024, float(cpu)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true", help="8 et 16 apprenants, premier carnet seulement")
    options.add_argument("--sizes", type=int, nargs="*", help="tailles de promotion (défaut : 24 96)")
    options.add_argument("--workers", type=int, default=None, help="workers de mda grade (défaut : un par cœur)")
    args = options.parse_args()
    sizes = args.sizes or ([8, 16] if args.quick else [24, 96])
    print(f"Machine : {machine()}")
    workers = f", '--workers', '{args.workers}'" if args.workers else ""
    rows = []
    with tempfile.TemporaryDirectory(prefix="mda-bench-") as scratch:
        for size in sizes:
            serial = make_course(Path(scratch) / f"serie-{size}", size, args.quick)
            parallel = make_course(Path(scratch) / f"parallele-{size}", size, args.quick)
            notebooks = size * len(serial.source_notebooks(ASSIGNMENT))
            serial_s, serial_mb, serial_cpu = measure(serial, SERIAL)
            parallel_s, parallel_mb, parallel_cpu = measure(parallel, PARALLEL.format(workers=workers))
            rows.append((size, notebooks, serial_s, parallel_s, serial_mb, parallel_mb, serial_cpu, parallel_cpu))
            print(f"{size} apprenants ({notebooks} carnets) : nbgrader série {serial_s:.1f} s "
                  f"({serial_s / notebooks:.2f} s/carnet, pic {serial_mb:.0f} Mo) ; mda grade {parallel_s:.1f} s "
                  f"({parallel_s / notebooks:.2f} s/carnet, pic du parent {parallel_mb:.0f} Mo) ; "
                  f"rapport {serial_s / parallel_s:.2f}× ; temps CPU total série {serial_cpu:.0f} s, "
                  f"mda {parallel_cpu:.0f} s", flush=True)
    print(f"Machine en fin de mesure : {machine()}")
    print("\n| apprenants | carnets | nbgrader série (s) | mda grade (s) | rapport | s/carnet série | "
          "s/carnet mda | CPU s/carnet série | CPU s/carnet mda | pic mémoire série (Mo) | pic mémoire parent mda (Mo) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, notebooks, serial_s, parallel_s, serial_mb, parallel_mb, serial_cpu, parallel_cpu in rows:
        print(f"| {size} | {notebooks} | {serial_s:.1f} | {parallel_s:.1f} | {serial_s / parallel_s:.2f}× | "
              f"{serial_s / notebooks:.2f} | {parallel_s / notebooks:.2f} | {serial_cpu / notebooks:.2f} | "
              f"{parallel_cpu / notebooks:.2f} | {serial_mb:.0f} | {parallel_mb:.0f} |")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"\nDurée totale du banc d'essai : {time.perf_counter() - started:.0f} s")
