"""Benchmark: time to run each master notebook with its solutions, and to autograde one submission.

Usage (from the course root, in the project's venv):

    python benchmarks/bench_notebooks.py [bloc1 ...] [--repeat 3]

Prints a Markdown table to paste into docs/mesures/carnets-jury-hub.md, with the machine it ran on.
The target (each notebook under 10 s) is checked by reading these figures, never
by a timed assertion in the tests.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore", module=r"nbgrader\..*")  # upstream SQLAlchemy noise

from mda_checks.assign import build_course  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from mda_checks.demo.submissions import solved_submission, write_submission  # noqa: E402
from mda_checks.grade.autograde import autograde_submission  # noqa: E402
from mda_checks.nbgrader_api import course_api  # noqa: E402


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = float("nan")
    return f"{os.cpu_count()} cœurs ({cpu}), {memory:.0f} Gio, Python {platform.python_version()}, {platform.system()}"


def run_notebook(path: Path, workdir: Path) -> float:
    folder = workdir / f"run-{time.perf_counter_ns()}"
    shutil.copytree(path.parent, folder)
    notebook = nbformat.read(folder / path.name, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def copy_course(destination: Path) -> Course:
    shutil.copytree(ROOT / "source", destination / "source")
    shutil.copytree(ROOT / "mda_reference", destination / "mda_reference", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "nbgrader_config.py", destination)
    return Course(destination)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    course = Course(ROOT)
    assignments = args.assignments or course.assignments()
    print(f"Machine : {machine()}\n")
    print("| Devoir | Carnet | Exécution avec solutions (médiane, s) | Correction automatique (s) |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        grading = copy_course(tmp / "course")
        build_course(grading, assignments)
        api = course_api(grading.root)
        for assignment in assignments:
            write_submission(grading, "bench", assignment, solved_submission(grading, assignment))
            outcomes = {o.notebook: o for o in autograde_submission(api, grading, "bench", assignment)}
            for path in course.source_notebooks(assignment):
                runs = [run_notebook(path, tmp) for _ in range(args.repeat)]
                print(f"| {assignment} | {path.stem} | {statistics.median(runs):.2f} | {outcomes[path.stem].seconds:.2f} |")
            total = sum(o.seconds for o in outcomes.values())
            print(f"| {assignment} | **soumission complète** | | **{total:.2f}** |")


if __name__ == "__main__":
    main()
