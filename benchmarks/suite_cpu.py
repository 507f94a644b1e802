"""Measure: where the processor time of a test run goes, by kind of process (not a test).

    .venv/bin/python benchmarks/suite_cpu.py                        # the whole suite, as `make test` runs it
    .venv/bin/python benchmarks/suite_cpu.py -- -n 2 tests/grade    # any pytest arguments after --

pytest's own figures (``--durations``, getrusage) see only the test processes and the children they wait
for; kernels, grading processes, browsers and servers that the sandbox or a server detaches (other users,
namespaces) are nobody's children by the time they end. This script reads every process of the machine
in /proc every half second while pytest runs, keeps the last processor time seen for each (a process
shorter than half a second may be missed, and the last half second of each is lost: the figures are a
lower bound), subtracts what the processes already running at the start had used, and sums by kind:
test processes, Jupyter kernels, grading processes, `mda` and `nbgrader` commands, Chromium, Jupyter
servers and the hub, PostgreSQL, the rest. It prints the machine's total processor time over the run
(/proc/stat) beside them, so what the sampling missed shows. Figures: docs/mesures/tests.md.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
#: (kind, words of the command line that say it), the first that fits wins
KINDS = (
    ("noyaux Jupyter", ("ipykernel_launcher",)),
    ("processus de correction (fork server, workers)", ("multiprocessing.forkserver", "multiprocessing.spawn")),
    ("processus de test (pytest, xdist)", ("pytest", "sys.stdin.readline()")),
    ("Chromium", ("chromium",)),
    ("hub (jupyterhub, proxy)", ("jupyterhub", "configurable-http-proxy", "node ")),
    ("serveurs Jupyter (lab, singleuser)", ("jupyter", "jupyterlab")),
    ("commandes mda", ("/bin/mda ", "mda_checks.cli")),
    ("commandes nbgrader", ("/bin/nbgrader", "nbgrader ")),
    ("PostgreSQL", ("postgres",)),
    ("Dask", ("distributed", "dask")),
    ("installations (pip, uv, venv)", ("pip ", "/uv ", " venv", "installer-apprenant")),
    ("bac à sable (bwrap, concierge)", ("bwrap", "janitor")),
    ("autres Python", ("python",)),
)


#: the program of the sandbox: its command line holds the kernel's, but its own time is the sandbox's
SANDBOX_PROGRAMS = ("bwrap", "unshare", "runuser", "setpriv")


def kind_of(command: str) -> str:
    program = Path(command.split(" ", 1)[0]).name
    if program in SANDBOX_PROGRAMS:
        return "bac à sable (bwrap, concierge)"
    return next((kind for kind, words in KINDS if any(w in command for w in words)), "autres")


def read_processes() -> dict[tuple[int, int], tuple[str, float]]:
    """(pid, start time) -> (command line, processor seconds so far), for every process readable now; a process
    with no command line left (ended, not yet reaped) is named by its short name in brackets."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rfind(")") + 2:].split()
            seconds = (int(fields[11]) + int(fields[12])) / TICKS
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found[(int(entry), int(fields[19]))] = (command or f"({stat[stat.find('(') + 1:stat.rfind(')')]})", seconds)
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
    return found


def machine_seconds() -> float:
    """Processor time of the whole machine so far (user, nice, system, irq, softirq, steal of /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:3]) + sum(fields[5:8])) / TICKS


class Sampler(threading.Thread):
    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        self.every, self.stop = every, threading.Event()
        self.before = read_processes()
        self.last: dict[tuple[int, int], tuple[str, float]] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            for key, (command, used) in read_processes().items():
                # the latest command line: a sandbox's child execs the kernel under the same pid (bwrap, then
                # ipykernel_launcher); an ended process not yet reaped has none left, and keeps the one it had
                unnamed = command.startswith("(")
                named = self.last[key][0] if key in self.last and unnamed else command
                self.last[key] = (named, used)
            self.stop.wait(self.every)

    def used(self) -> list[tuple[str, str, float]]:
        """(kind, command line, processor seconds during the run) of every process seen."""
        return [(kind_of(command), command, used - self.before.get(key, ("", 0.0))[1])
                for key, (command, used) in self.last.items() if "suite_cpu.py" not in command]

    def by_kind(self) -> tuple[Counter, Counter]:
        seconds, count = Counter(), Counter()
        for kind, _, used in self.used():
            seconds[kind] += used
            count[kind] += used > 0
        return seconds, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--detail", type=int, default=0, metavar="N",
                        help="les N processus qui ont pris le plus de processeur, avec leur commande")
    parser.add_argument("pytest_args", nargs="*", help="arguments de pytest (défaut : ceux de make test)")
    args = parser.parse_args()
    pytest_args = args.pytest_args or ["-n", str((os.cpu_count() or 1) + 1), "--dist", "loadgroup"]
    env = {**os.environ, "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "MPLBACKEND": "Agg"}
    print(describe_machine())
    sampler, start_cpu, start = Sampler(), machine_seconds(), time.monotonic()
    sampler.start()
    done = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *pytest_args], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    sampler.stop.set()
    sampler.join()
    wall, total = time.monotonic() - start, machine_seconds() - start_cpu
    print((done.stdout.strip().splitlines() or ["(pas de sortie)"])[-1])
    seconds, count = sampler.by_kind()
    print(f"durée {wall:.0f} s ; processeur de la machine {total:.0f} s (occupé à {total / wall / (os.cpu_count() or 1):.0%})")
    print(f"{'s de processeur':>16} {'part':>6} {'processus':>10}  sorte")
    for kind, used in seconds.most_common():
        print(f"{used:16.0f} {used / total:6.1%} {count[kind]:10d}  {kind}")
    print(f"{sum(seconds.values()):16.0f} {sum(seconds.values()) / total:6.1%} {'':>10}  vu par l'échantillonnage")
    for kind, command, used in sorted(sampler.used(), key=lambda row: -row[2])[:args.detail]:
        print(f"{used:8.1f} s  {kind} : {command[:150]}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
