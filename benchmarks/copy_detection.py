"""Measure: what copy detection (`mda copies`) costs for a cohort, per bloc (not a test).

    .venv/bin/python benchmarks/copy_detection.py                    # 20 learners + 1 copier, every bloc
    .venv/bin/python benchmarks/copy_detection.py bloc2 --apprenants 40

The cohort is built as the tests build theirs (``tests/copies/cohort.py``: each learner's variant
published, their solved notebooks run and scored by ``ScoreAnswers``, no kernel; a copier types in a
classmate's answers); only ``detect_copies`` is timed: every case's right answers (the grader-only
reference, once per case) and the comparisons. Figures: docs/mesures/variantes.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.copies.detection import detect_copies  # noqa: E402
from mda_checks.copies.handovers import read_handovers  # noqa: E402
from tests.copies.cohort import Work, cohort_course, grade  # noqa: E402


def measure(assignment: str, learners: int, folder: Path) -> str:
    names = [f"apprenant{k:02d}" for k in range(learners)]
    course = cohort_course(folder / assignment / "cours", assignment, {n: n for n in [*names, "copieur"]},
                           folder / "variantes")
    for name in names:
        grade(course, assignment, name)
    grade(course, assignment, "copieur", Work(typed=read_handovers(course.step("autograded") / names[1] / assignment)))
    started, cpu = time.perf_counter(), time.process_time()
    findings = detect_copies(course, assignment)
    wall, spent = time.perf_counter() - started, time.process_time() - cpu
    lines = [(s.learner, s.source, len(s.counted)) for s in findings.suspicions]
    return (f"{assignment} : {findings.units} copies, {findings.cases} cas ; détection {wall:.1f} s "
            f"(CPU {spent:.1f} s, {wall / findings.units:.2f} s par copie) ; soupçons : {lines}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devoirs", nargs="*", default=None)
    parser.add_argument("--apprenants", type=int, default=20)
    args = parser.parse_args()
    print(f"Machine : {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="detection-copies-", dir=REPO) as scratch:
        for assignment in args.devoirs or ["bloc1", "bloc2", "bloc3", "bloc4"]:
            print(measure(assignment, args.apprenants, Path(scratch)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
