"""Measure: how many graded cells' right answers differ between two variants, per bloc (not a test).

    .venv/bin/python benchmarks/variant_differences.py                 # 12 variants per bloc, every bloc
    .venv/bin/python benchmarks/variant_differences.py bloc3 --variantes 20

For each bloc, N learners' variants are drawn as ``mda release`` draws them (seed HMAC(fixed key,
learner, bloc), first draw fit for the barème), each case's right answers are computed by the
grader-only reference (``variants.compare.case_key``), and every pair of variants is compared
cell by cell: a cell differs when neither variant's right answer is right on the other (the cell's
own answer kind and tolerance decide, as grading does). A cell whose answers coincide can be copied
for free. Printed per bloc: the share of differing cells over the pairs (min, mean, share of pairs
at 90 % or more), with and without the choices and labels (texts, lists of texts, label tables:
two cases may legitimately share them), and the cells that coincide most often. Figures:
docs/mesures/variantes.md.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.assign.case_check import acceptor  # noqa: E402
from mda_checks.casedata import draw_case, write_frames  # noqa: E402
from mda_checks.course import Course, bloc_number  # noqa: E402
from mda_checks.variants.compare import case_key, coincide, differing_share, is_label  # noqa: E402
from mda_checks.variants.seeds import variant_seed  # noqa: E402

KEY = b"mda-benchmark-variant-differences"
GOAL = 0.90


def variant_keys(course: Course, assignment: str, count: int, folder: Path) -> list[dict]:
    keys = []
    for k in range(count):
        seed = variant_seed(KEY, f"apprenant{k:02d}", assignment)
        _, frames = draw_case(bloc_number(assignment), seed, accept=acceptor(course, assignment))
        data = folder / assignment / f"apprenant{k:02d}"
        write_frames(frames, data)
        keys.append(case_key(course, assignment, data))
    return keys


def measure(course: Course, assignment: str, count: int, folder: Path) -> list[str]:
    started = time.perf_counter()
    keys = variant_keys(course, assignment, count, folder)
    pairs = list(itertools.combinations(range(count), 2))
    shares = {labels: [differing_share(keys[i], keys[j], labels) for i, j in pairs] for labels in (True, False)}
    same = Counter(g for i, j in pairs for g, cell in keys[i].items()
                   if coincide(cell.spec, cell.right, keys[j][g].right))
    labels = [g for g, cell in keys[0].items() if cell.right is not None and is_label(cell.right.value)]

    def line(values: list[float]) -> str:
        return (f"min {min(values):.1%}, moyenne {sum(values) / len(values):.1%}, "
                f"paires à {GOAL:.0%} ou plus : {sum(v >= GOAL - 1e-9 for v in values) / len(values):.0%}")

    out = [f"{assignment} : {len(keys[0])} cellules notées sur une valeur, {count} variantes, {len(pairs)} paires "
           f"({time.perf_counter() - started:.0f} s)",
           f"  toutes les cellules : {line(shares[True])}",
           f"  sans choix ni libellés ({len(keys[0]) - len(labels)} cellules) : {line(shares[False])}",
           f"  choix et libellés : {', '.join(labels) or 'aucun'}"]
    for grade_id, times in same.most_common():
        cell = keys[0][grade_id]
        out.append(f"  {grade_id} ({cell.spec.kind}{', reportée' if cell.carried else ''}) : même bonne réponse "
                   f"dans {times}/{len(pairs)} paires ({times / len(pairs):.0%})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devoirs", nargs="*", default=None)
    parser.add_argument("--variantes", type=int, default=12)
    args = parser.parse_args()
    course = Course(REPO)
    print(f"Machine : {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="mda-differences-") as scratch:
        for assignment in args.devoirs or course.assignments():
            print("\n".join(measure(course, assignment, args.variantes, Path(scratch))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
