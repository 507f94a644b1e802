"""Benchmark: start a sandboxed grading kernel, run one cell, stop it (not a test).

    .venv/bin/python benchmarks/kernel_start.py            # 10 kernels, one after the other
    .venv/bin/python benchmarks/kernel_start.py --fois 20
    .venv/bin/python benchmarks/kernel_start.py --graphique                       # the cell draws a chart
    .venv/bin/python benchmarks/kernel_start.py --graphique --sans-liste-polices  # without the grader's font list

What a cold kernel costs (plain `nbgrader autograde` starts one per notebook, `mda grade` one per
submission): the kernel manager's private folder and write quota, bubblewrap's mounts, the kernel's
start, the check that its sandbox is in force, one cell, the shutdown and the clean-up. Printed: the
wall time of each kernel and their median, and the processor time the whole machine spent per kernel (read in
/proc/stat: bubblewrap's process namespace hides most of the kernel's from this process; meaningful on a quiet
machine only). `--graphique`: the cell imports matplotlib and draws a chart, as a learner's notebook and a warm
kernel's warm-up do; `--sans-liste-polices`: the kernel is not given the grader's font list
(``mda_checks.grade.sandbox.fonts``), to measure what it saves. Run it in two checkouts to compare two versions
of the sandbox; figures taken while other jobs run are noisy.
"""
from __future__ import annotations

import argparse
import os
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
from mda_checks.grade.sandbox import fonts  # noqa: E402
from mda_checks.grade.sandbox.sandboxed_kernel import SandboxedKernelManager  # noqa: E402


CHART = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.title('Ventes')\nplt.show()"


def busy_seconds() -> float:
    """Processor time the machine has spent, all cores (user, nice, system, interrupts), from /proc/stat."""
    fields = Path("/proc/stat").read_text(encoding="ascii").splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def one_kernel(folder: Path, code: str = "1 + 1") -> float:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--fois", type=int, default=10, help="noyaux démarrés l'un après l'autre (défaut : 10)")
    options.add_argument("--graphique", action="store_true", help="la cellule trace un graphique (matplotlib)")
    options.add_argument("--sans-liste-polices", action="store_true",
                         help="sans la liste des polices du correcteur (le noyau les recherche lui-même)")
    args = options.parse_args()
    if args.sans_liste_polices:
        fonts.font_list_arguments = lambda shown, private: []
    code = CHART if args.graphique else "1 + 1"
    print(f"Machine : {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="mda-bench-noyau-") as scratch:
        folder = Path(scratch) / "autograded" / "x" / "bloc1"
        (folder / "data").mkdir(parents=True)
        (folder / "data" / "ventes.csv").write_text("mois,ca\n1,10\n", encoding="utf-8")
        one_kernel(folder, code)  # the first start warms the disk cache and the sandbox probe
        busy = busy_seconds()
        seconds = [one_kernel(folder, code) for _ in range(args.fois)]
        busy = busy_seconds() - busy
    print("Durées (s) : " + " ".join(f"{s:.2f}" for s in seconds))
    print(f"{args.fois} noyaux : médiane {statistics.median(seconds):.2f} s, min {min(seconds):.2f} s ; "
          f"processeur de la machine : {busy / args.fois:.2f} s par noyau")
    print(f"Machine en fin de mesure : {describe_machine()}")


if __name__ == "__main__":
    main()
