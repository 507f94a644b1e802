"""Benchmark: start a sandboxed grading kernel, run one cell, stop it (not a test).

    .venv/bin/python benchmarks/kernel_start.py            # 10 kernels, one after the other
    .venv/bin/python benchmarks/kernel_start.py --fois 20

What a cold kernel costs (plain `nbgrader autograde` starts one per notebook, `mda grade` one per
submission): the kernel manager's private folder and write quota, bubblewrap's mounts, the kernel's
start, the check that its sandbox is in force, one cell, the shutdown and the clean-up. Printed: the
wall time of each kernel and their median (processor time is not: bubblewrap's process namespace
hides most of the kernel's from this process). Run it in two checkouts to compare two versions of the sandbox;
figures taken while other jobs run are noisy.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.grade.sandbox.sandboxed_kernel import SandboxedKernelManager  # noqa: E402


def one_kernel(folder: Path) -> float:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--fois", type=int, default=10, help="noyaux démarrés l'un après l'autre (défaut : 10)")
    args = options.parse_args()
    print(f"Machine : {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="mda-bench-noyau-") as scratch:
        folder = Path(scratch) / "autograded" / "x" / "bloc1"
        (folder / "data").mkdir(parents=True)
        (folder / "data" / "ventes.csv").write_text("mois,ca\n1,10\n", encoding="utf-8")
        one_kernel(folder)  # the first start warms the disk cache and the sandbox probe
        seconds = [one_kernel(folder) for _ in range(args.fois)]
    print("Durées (s) : " + " ".join(f"{s:.2f}" for s in seconds))
    print(f"{args.fois} noyaux : médiane {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s")
    print(f"Machine en fin de mesure : {describe_machine()}")


if __name__ == "__main__":
    main()
