"""Benchmark: `mda entreprise` on the example company, per bloc: the data contract, then the whole import
(contract, statements, barème case check, registration).

Usage (from the course root, in the project's venv):

    python benchmarks/company_import.py [--repeat 3]

Prints a Markdown table to paste into docs/entreprise-accueil.md (« Mesures »), with the machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.assign.case_check import acceptor  # noqa: E402
from mda_checks.company.example import write_example  # noqa: E402
from mda_checks.company.import_dossier import import_dossier  # noqa: E402
from mda_checks.company.validate import validate_dossier  # noqa: E402
from mda_checks.course import Course  # noqa: E402


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"Machine : {describe_machine()}\n")
    print("| Bloc | Lignes du dossier | Contrat de données (s) | Import complet (s) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        course_root = Path(scratch) / "cours"
        shutil.copytree(ROOT / "source", course_root / "source")
        shutil.copytree(ROOT / "mda_reference", course_root / "mda_reference")
        course = Course(course_root)
        for bloc in (1, 2):
            dossier = Path(scratch) / f"bloc{bloc}"
            write_example(bloc, dossier, accept=acceptor(course, f"bloc{bloc}"))
            lines = sum(len(path.read_text(encoding="utf-8").splitlines()) - 1 for path in dossier.glob("*.csv"))
            contract = [timed(lambda bloc=bloc, dossier=dossier: validate_dossier(f"bloc{bloc}", dossier)) for _ in range(repeat)]
            full = [timed(lambda bloc=bloc, dossier=dossier: import_dossier(course, f"bloc{bloc}", "apprenant", dossier))
                    for _ in range(repeat)]
            print(f"| {bloc} | {lines} | {statistics.median(contract):.2f} | {statistics.median(full):.2f} |")


if __name__ == "__main__":
    main()
