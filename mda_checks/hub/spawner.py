"""JupyterHub's LocalProcessSpawner with a control group per learner's server: memory, processor share, processes.

LocalProcessSpawner runs each learner's server as their own Unix account but enforces none of
``mem_limit`` / ``cpu_limit``. Here the server's process enters a control group of its own
(mda_checks/grade/sandbox/cgroups.py, v1 or v2) before it drops root, so the server and every kernel it
starts share one limit, and one learner's runaway kernel never takes the machine from the class.
Where groups cannot be made (no root, read-only cgroup file system), the server starts without
limits and the hub's log says why; `mda hub` says it before starting.
"""
from __future__ import annotations

import os
import re

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Float, Integer

from mda_checks.grade.sandbox.cgroups import KernelCgroup, kernel_cgroup, unavailable_reason


def group_name(user: str) -> str:
    """A control group's folder name for one learner (mda-noyau-*: swept by the grading's janitor when empty)."""
    return "mda-noyau-hub-" + re.sub(r"[^A-Za-z0-9_-]", "_", user)


class LimitedSpawner(LocalProcessSpawner):
    """One learner's server, limited as a whole (see the module)."""

    memory_bytes = Integer(2 * 1024 ** 3, config=True, help="memory of the server and its kernels (bytes)")
    cpus = Float(1.0, config=True, help="processor share of the server and its kernels (cores)")
    processes = Integer(512, config=True, help="processes and threads of the server and its kernels")

    _group: KernelCgroup | None = None

    def make_preexec_fn(self, name):
        drop_root = super().make_preexec_fn(name)
        group = self._group

        def enter_group_then_drop_root():
            if group is not None:  # as root, in the child, before exec: every later process inherits it
                for folder in group.folders:
                    with open(folder / "cgroup.procs", "w", encoding="ascii") as procs:
                        procs.write(str(os.getpid()))
            drop_root()

        return enter_group_then_drop_root

    async def start(self):
        if self._group is not None:
            self._group.remove()
        self._group = kernel_cgroup(f"{group_name(self.user.name)}-{os.urandom(3).hex()}", self.memory_bytes,
                                    self.processes, self.cpus)
        if self._group is None:
            self.log.warning("Serveur de %s sans limites de ressources : %s", self.user.name,
                             unavailable_reason() or "groupes de contrôle indisponibles")
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        if self._group is not None:
            self._group.remove()
            self._group = None
