"""Benchmark: the trusted scoring (ScoreAnswers) of honest notebooks, and of hostile hand-overs (not a test).

    .venv/bin/python benchmarks/trusted_scoring.py [--executed DIR] [--repeat 5] [--bombs-only]

1. Every master notebook (source/, with its solutions) is executed once in a plain kernel and
   kept in DIR (reused by the next runs). The size of each hand-over (JSON values and depth) is
   printed: the caps of ``mda_apprenant.check.handover`` are derived from the largest one.
2. ``ScoreAnswers.preprocess`` of each executed notebook is timed in this process, as in a grading
   worker (reference loaded, ``gc.freeze``, one notebook scored before): median of ``--repeat`` runs
   of the wall time and of the CPU time of the process and of the children it waited for; the
   peak memory is measured in a forked child (below).
3. Hostile hand-overs (the « bombs » of issue 20) replace one check cell's hand-over of a bloc 2
   notebook: the scoring of that notebook is measured the same way, with the cell's score and reason.

Each measurement runs in a forked child of this script: its peak memory (``ru_maxrss`` of the
child and of what it forked) minus its resident memory at the fork is what the scoring added.
"""
from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import resource
import select
import shutil
import signal
import statistics
import sys
import time
import warnings
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("ignore")

from benchmarks.machine import describe_machine  # noqa: E402
from mda_apprenant.check.handover import MIME_TYPE  # noqa: E402
from mda_checks.course import Course  # noqa: E402
from mda_checks.grade.preprocessors.score_answers import ScoreAnswers  # noqa: E402
from mda_checks.scoring.reference import load_reference  # noqa: E402
from mda_checks.notebook import cells  # noqa: E402


def execute_masters(folder: Path) -> dict[str, dict[str, nbformat.NotebookNode]]:
    """bloc -> notebook name -> the master executed with its solutions (cached in `folder`)."""
    from nbclient import NotebookClient

    course, executed = Course(REPO), {}
    for assignment in course.assignments():
        target = folder / assignment
        if not target.is_dir():
            work = folder / f"{assignment}-run"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(course.source / assignment, work)
            for path in sorted(work.glob("*.ipynb")):
                notebook = nbformat.read(path, as_version=4)
                NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                               resources={"metadata": {"path": str(work)}}).execute()
                nbformat.write(notebook, path)
            work.rename(target)
        executed[assignment] = {p.stem: nbformat.read(p, as_version=4) for p in sorted(target.glob("*.ipynb"))}
    return executed


def json_shape(value) -> tuple[int, int]:
    """(JSON values, depth) of a hand-over, counted without recursion."""
    nodes, deepest, stack = 0, 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        nodes, deepest = nodes + 1, max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return nodes, deepest


def handovers(notebook) -> list[tuple[str, dict]]:
    return [(cells.grade_id(c), o.data[MIME_TYPE]) for c in notebook.cells if cells.is_autograded_test(c)
            for o in c.get("outputs", []) if MIME_TYPE in o.get("data", {})]


def measured(function, timeout: float = 3600) -> dict:
    """Run `function` in a forked child: its result (JSON), wall and CPU seconds, memory added (MiB).

    A child still running after `timeout` seconds is killed (« error »)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, write one JSON line, leave at once
        os.close(reader)
        base = _rss_kib()
        try:
            start, cpu = time.perf_counter(), time.process_time()
            result = function()
            wall, own = time.perf_counter() - start, time.process_time() - cpu
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss)
            line = json.dumps({"result": result, "wall": wall, "cpu": own + children.ru_utime + children.ru_stime,
                               "memory": (peak - base) / 1024})
        except BaseException as exc:  # noqa: BLE001 - reported, never raised in a forked child
            line = json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]})
        os.write(writer, line.encode() + b"\n")
        os._exit(0)
    os.close(writer)
    ready, _, _ = select.select([reader], [], [], timeout)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, _, usage = os.wait4(pid, 0)
    if not ready:
        return {"error": f"arrêtée après {timeout:.0f} s ({usage.ru_utime + usage.ru_stime:.0f} s de processeur, "
                         f"{usage.ru_maxrss / 1024:.0f} Mio)"}
    return json.loads(data or b'{"error": "child died"}')


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def in_process(function) -> dict:
    """Run `function` here: its result, wall seconds, CPU seconds of this process and of the children it waited for."""
    start, cpu = time.perf_counter(), _cpu()
    result = function()
    return {"result": result, "wall": time.perf_counter() - start, "cpu": _cpu() - cpu}


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def score(assignment: str, notebook) -> list[tuple[str, str, str]]:
    """ScoreAnswers on `notebook` (in place: run it in a forked child): (grade_id, score, reason) of each check cell."""
    step = ScoreAnswers(reference_root=str(REPO), case_data=str(REPO / "source" / "{assignment}" / "data"))
    step.preprocess(notebook, {"nbgrader": {"assignment": assignment, "student": "bench", "notebook": "x"}})
    return [(cells.grade_id(c), c.outputs[0].data["text/plain"], c.outputs[0].metadata.get("mda", {}).get("probleme", ""))
            for c in notebook.cells if cells.is_autograded_test(c)]


def _tagged_items(count: int) -> dict:
    return {"$": "list", "values": [{"$": "x"}] * count}


def _nested(depth: int) -> dict:
    value: object = 0
    for _ in range(depth):
        value = {"$": "list", "values": [value, value]}
    return value


def _tiny(label: str) -> dict:
    return {"$": "series", "name": None, "dtype": "float64", "index": {"names": [None], "values": [label]},
            "values": [1.0]}


#: the notebook the hostile hand-overs are put in: a table answer that later (carried) checks build on,
#: and a list answer
BOMBED = ("bloc2", "01_prospection")
TABLE_CELL, LIST_CELL = "entonnoir", "opportunites_a_relancer"


def bombs() -> list[tuple[str, str, object]]:
    """Hostile hand-overs within the 2 million characters a kernel may send: (name, check cell, value).

    The first ones are over a cap (values or nesting) or malformed; the last ones are the costliest
    the caps let through."""
    flat = (2_000_000 - 100) // 3  # « 0, »: three characters each, as json.dumps writes them
    frame = {"$": "frame", "index": {"names": [None], "values": ["r"]},
             "columns": {"names": [None], "values": [f"c{i}" for i in range(1_000)]},
             "dtypes": ["int64"] * 1_000, "data": [[1.5]] * 1_000}
    return [
        ("3 000 éléments étiquetés mal formés (33 Ko)", LIST_CELL, _tagged_items(3_000)),
        ("imbrication : 15 niveaux de listes doublées (65 000 valeurs)", LIST_CELL, _nested(15)),
        ("imbrication : 400 niveaux", LIST_CELL, json.loads('{"$": "list", "values": ' * 400 + "0" + "}" * 400)),
        ("liste plate sous le plafond de caractères (666 000 valeurs)", LIST_CELL, {"$": "list", "values": [0] * flat}),
        ("15 000 petits tableaux", TABLE_CELL, {"$": "list", "values": [_tiny("a")] * 15_000}),
        ("sous les plafonds : 400 petits tableaux", TABLE_CELL,
         {"$": "dict", "items": [[f"k{i}", _tiny(f"a{i}")] for i in range(400)]}),
        ("sous les plafonds : tableau de 1 000 colonnes à convertir", TABLE_CELL, frame),
        ("sous les plafonds : dictionnaire de 16 000 lignes", TABLE_CELL,
         {"$": "dict", "items": [[f"k{i}", 1.0] for i in range(16_000)]}),
        ("sous les plafonds : liste de 49 000 nombres", LIST_CELL, {"$": "list", "values": list(range(49_000))}),
    ]


def with_bomb(notebook, grade_id: str, value) -> nbformat.NotebookNode:
    """`notebook` with the hand-over of its check cell `grade_id` replaced by `value`."""
    notebook = copy.deepcopy(notebook)
    cell = next(c for c in notebook.cells if cells.grade_id(c) == grade_id)
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1,
                                           data={MIME_TYPE: {"version": 1, "kind": "Table", "value": value},
                                                 "text/plain": "bombe"})]
    return notebook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed", type=Path, default=Path("/tmp/mda-bench-scoring"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--bombs-only", action="store_true")
    parser.add_argument("--bomb-timeout", type=float, default=600, help="seconds before a hostile hand-over is stopped")
    args = parser.parse_args()
    args.executed.mkdir(parents=True, exist_ok=True)
    executed = execute_masters(args.executed)
    for assignment in executed:  # as in a grading process: the reference is loaded once, not per notebook
        load_reference(REPO, assignment)
    gc.freeze()  # as a grading worker does once its modules are loaded
    print(f"Machine : {describe_machine()}\n")
    if not args.bombs_only:
        largest = max(((json_shape(data), a, n, gid) for a, nbs in executed.items() for n, nb in nbs.items()
                       for gid, data in handovers(nb)), key=lambda t: t[0][0])
        deepest = max(json_shape(data)[1] for nbs in executed.values() for nb in nbs.values() for _, data in handovers(nb))
        print(f"Plus grande remise honnête : {largest[0][0]} valeurs JSON ({largest[1]}/{largest[2]}, "
              f"{largest[3]}) ; la plus profonde : {deepest} niveaux\n")
        print("| Carnet | Vérifications | Notation (médiane, s) | Processeur (médiane, s) | Mémoire ajoutée (Mio) |")
        print("|---|---:|---:|---:|---:|")
        for assignment, notebooks in executed.items():
            for name, notebook in notebooks.items():
                score(assignment, copy.deepcopy(notebook))  # a warm process, as a grading worker after its first notebook
                runs = [in_process(lambda: score(assignment, copy.deepcopy(notebook)))  # noqa: B023 - run at once
                        for _ in range(args.repeat)]
                memory = measured(lambda: score(assignment, notebook))  # noqa: B023 - run at once
                print(f"| {assignment}/{name} | {len(runs[0]['result'])} | "
                      f"{statistics.median(r['wall'] for r in runs):.2f} | "
                      f"{statistics.median(r['cpu'] for r in runs):.2f} | {memory.get('memory', float('nan')):.0f} |")
    assignment, name = BOMBED
    target = executed[assignment][name]
    print(f"\n| Remise hostile ({assignment}/{name}) | Notation du carnet (s) | Processeur (s) | "
          "Mémoire ajoutée (Mio) | Cellule : note | Raison |")
    print("|---|---:|---:|---:|---:|---|")
    honest = measured(lambda: score(assignment, target))
    print(f"| aucune (copie honnête, pour comparer) | {honest['wall']:.2f} | {honest['cpu']:.2f} | "
          f"{honest['memory']:.0f} | | |")
    total = 0.0
    for title, grade_id, value in bombs():
        bombed = with_bomb(target, grade_id, value)
        run = measured(lambda: score(assignment, bombed), args.bomb_timeout)  # noqa: B023 - run at once
        if "error" in run:
            print(f"| {title} | {run['error']} | | | | |")
            continue
        points, reason = next((p, r) for gid, p, r in run["result"] if gid == grade_id)
        total += run["wall"]
        print(f"| {title} | {run['wall']:.2f} | {run['cpu']:.2f} | {run['memory']:.0f} | {grade_id} : {points} | "
              f"{reason[:100]} |")
    print(f"\nTotal des remises hostiles : {total:.1f} s")


if __name__ == "__main__":
    main()
