"""Benchmark: a trimmed course built (`mda build` of one bloc cut to its first notebooks) against copied.

Usage (from the course root, in the project's venv):

    python benchmarks/trimmed_course.py [--keep 1 2] [--repeat 3]

The grading tests ask for a trimmed course about thirty times (tests/grade/helpers.py::trimmed_course); each
test process now builds each shape once and copies it. Prints a Markdown table for docs/mesures/tests.md
(« Corpus allégés ») with the machine it ran on; nothing here is asserted by a test.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore", module=r"nbgrader\..*")  # upstream SQLAlchemy noise

from benchmarks.machine import describe_machine  # noqa: E402
from tests.grade.helpers import build_trimmed, trimmed_course  # noqa: E402


def _seconds(action, *arguments) -> float:
    start = time.perf_counter()
    action(*arguments)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"Machine : {describe_machine()}\n")
    print("| Carnets gardés (bloc1) | Construction (s, médiane) | Copie (s, médiane) |")
    print("|---:|---:|---:|")
    for keep in args.keep:
        built, copied = [], []
        for _ in range(args.repeat):
            folder = Path(tempfile.mkdtemp(prefix="mda-banc-"))
            try:
                built.append(_seconds(build_trimmed, folder / "cours", "bloc1", keep))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            trimmed_course("banc", "bloc1", keep)  # the process's built course, the first time
            copied.append(_seconds(trimmed_course, "banc", "bloc1", keep))
        print(f"| {keep} | {statistics.median(built):.2f} | {statistics.median(copied):.2f} |")
    print(f"\nFin : {describe_machine()}")


if __name__ == "__main__":
    main()
