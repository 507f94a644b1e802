"""What deploy/jupyterhub_config.py needs to know of one course, as a JSON file written by `mda hub`.

The hub's configuration stays in the versioned deploy/jupyterhub_config.py; this file only carries
the values of one course and one machine (accounts, paths, ports), so the configuration reads them
by name instead of guessing them."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mda_checks.config import HUB_DEFAULTS

#: the environment variable that gives deploy/jupyterhub_config.py the path of this JSON file
SETTINGS_VARIABLE = "MDA_HUB_REGLAGES"
#: the versioned deployment files, beside the package in the course's checkout
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


#: the proxy: npm's configurable-http-proxy (JupyterHub's own), installed by `make proxy` beside the course's
#: environment. PyPI's Python implementation (0.4) buffers every answer (20 s limit): the hub's « server
#: starting » page never learns that the server is ready, so it is not used.
PROXY = Path(sys.prefix) / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def grader_groups(course_id: str) -> tuple[str, str]:
    """nbgrader's JupyterHub groups: learners of the course, trainers who grade it."""
    return f"nbgrader-{course_id}", f"formgrade-{course_id}"


@dataclass
class HubSettings:
    course_id: str
    course_root: str
    course_owner: str                    # the account the trainers' shared Jupyter runs as
    learners: list[str]
    trainers: list[str]
    state: str                           # the hub's database, cookie secret and log, root only
    trainer_bin: str = field(default_factory=lambda: str(Path(sys.executable).parent))
    proxy: str = field(default_factory=lambda: str(PROXY))
    learner_prefix: str = HUB_DEFAULTS.learner_prefix
    ip: str = HUB_DEFAULTS.ip
    port: int = HUB_DEFAULTS.port
    hub_port: int = HUB_DEFAULTS.hub_port
    proxy_api_port: int = HUB_DEFAULTS.proxy_api_port
    service_port: int = HUB_DEFAULTS.service_port
    ssl_cert: str = ""
    ssl_key: str = ""
    memory_bytes: int = HUB_DEFAULTS.memory_bytes
    cpus: float = HUB_DEFAULTS.cpus
    processes: int = HUB_DEFAULTS.processes
    idle_seconds: int = HUB_DEFAULTS.idle_seconds
    timezone: str = HUB_DEFAULTS.timezone

    @property
    def settings_file(self) -> Path:
        return Path(self.state) / "reglages.json"

    def write(self) -> Path:
        """The JSON file in the hub's private state folder (mode 600)."""
        Path(self.state).mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.state, 0o700)
        path = self.settings_file
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(asdict(self), out, ensure_ascii=False, indent=2)
        return path

    @classmethod
    def read(cls, path: str | Path) -> HubSettings:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))
