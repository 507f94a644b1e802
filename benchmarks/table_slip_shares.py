"""Measure: what a recognised slip costs in a table or a list, from one variant to another (not a test).

    .venv/bin/python benchmarks/table_slip_shares.py                  # 8 variants per bloc, every bloc
    .venv/bin/python benchmarks/table_slip_shares.py bloc3 --variantes 20

A table or a list is graded by the share of its right values, and a recognised slip keeps the better of
its credit and that share (``mda_checks/bareme.py``). How many rows a slip changes depends on the data,
so the same slip may cost more on one variant than on another. For each bloc, N learners' variants are
drawn as ``mda release`` draws them (seed HMAC(fixed key, learner, bloc), first fit draw), every slip the
reference lists for a table or a list is graded there (``case_check.graded_slips``), and its share of
the points is printed: min and max over the variants, the slips whose share varies first. Figures:
docs/mesures/variantes.md (« Ce que coûte une erreur dans un tableau »).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.assign.case_check import POINTS, acceptor, graded_slips  # noqa: E402
from mda_checks.casedata import draw_case, write_frames  # noqa: E402
from mda_checks.course import Course, bloc_number  # noqa: E402
from mda_checks.variants.seeds import variant_seed  # noqa: E402

KEY = b"mda-benchmark-table-slips"


def shares(course: Course, assignment: str, count: int, folder: Path) -> dict[tuple[str, str, float], list[float]]:
    """(check, slip key, credit) -> the slip's share of the points on each variant, for tables and lists."""
    found: dict[tuple[str, str, float], list[float]] = defaultdict(list)
    for k in range(count):
        seed = variant_seed(KEY, f"apprenant{k:02d}", assignment)
        _, frames = draw_case(bloc_number(assignment), seed, accept=acceptor(course, assignment))
        data = folder / assignment / f"apprenant{k:02d}"
        write_frames(frames, data)
        for slip in graded_slips(course, assignment, data)[1]:
            if slip.collection:
                found[(slip.check, slip.mistake.slip, slip.mistake.credit)].append(slip.result.score / POINTS)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devoirs", nargs="*", default=None)
    parser.add_argument("--variantes", type=int, default=8)
    args = parser.parse_args()
    course = Course(REPO)
    print(f"Machine : {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="mda-tableaux-") as scratch:
        for assignment in args.devoirs or course.assignments():
            found = shares(course, assignment, args.variantes, Path(scratch))
            varying = sum(max(v) - min(v) > 1e-9 for v in found.values())
            print(f"{assignment} : {len(found)} erreurs de tableau ou de liste, {varying} dont la part varie "
                  f"({args.variantes} variantes)", flush=True)
            for (check, key, credit), values in sorted(found.items(), key=lambda kv: min(kv[1]) - max(kv[1])):
                print(f"  {check} ({key}, crédit {credit:g}) : part des points de {min(values):.0%} à {max(values):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
