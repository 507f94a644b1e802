"""The machine a benchmark ran on, as written down beside its figures (cores, CPU, RAM, Python, load)."""
from __future__ import annotations

import os
import platform
from pathlib import Path


def describe_machine(load_label: str = "charge moyenne (1/5/15 min)") -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) / 1024 / 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cœurs ({model}), {memory:.0f} Gio de RAM, Python {platform.python_version()}, "
            f"{load_label} : {load}")


def write_course_key(course: Path, key: str) -> None:
    """A fixed course key (.mda/cle_variantes): the same learners get the same variants on every run."""
    path = course / ".mda" / "cle_variantes"
    path.parent.mkdir(mode=0o700)
    path.write_text(key + "\n", encoding="ascii")
    path.chmod(0o600)
