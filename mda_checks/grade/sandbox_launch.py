"""Start a grading kernel inside the sandbox (run as a script: standard library only).

The sandbox kernelspec written by ``mda_checks.grade.sandbox`` runs::

    python -I sandbox_launch.py SETTINGS.json -f {connection_file} [ipykernel options]

jupyter_client starts it in the notebook's working folder. It hands that folder and
the kernel's runtime folder to the sandbox user, then replaces itself with::

    timeout -s KILL <s>                          wall-clock limit of the notebook
      bwrap <mounts> --unshare-net ...           read-only view of the machine, no network
        setpriv --reuid <nobody> ...             unprivileged user (when the grader is root)
          prlimit --as --nproc --fsize ...       memory, processes, size of written files
            python -m ipykernel_launcher -f ...  the kernel

It imports nothing from the project: a kernel start must stay cheap.
"""
from __future__ import annotations

import json
import os
import shutil
import sys

KEPT_ENVIRONMENT = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND",
                    "NBGRADER_EXECUTION")

LOG_NAME = "noyau.log"


def kernel_environment() -> dict[str, str]:
    """A clean environment: nothing of the grader's but paths, locale and backend."""
    env = {key: os.environ[key] for key in KEPT_ENVIRONMENT if key in os.environ}
    env.update(HOME="/tmp", IPYTHONDIR="/tmp/.ipython", MPLCONFIGDIR="/tmp/.matplotlib",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1",
               # ipykernel watches its parent process; inside the sandbox's own process
               # namespace it would see a stranger: 1 turns the watch off (bwrap's
               # --die-with-parent and the wall-clock limit end the kernel instead)
               JPY_PARENT_PID="1")
    return env


def limits_command(limits: dict) -> list[str]:
    return ["prlimit", f"--as={limits['memory_bytes']}", f"--nproc={limits['processes']}",
            f"--fsize={limits['file_bytes']}", "--core=0", "--"]


def user_command(uid: int, gid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


def bwrap_command(settings: dict, workdir: str) -> list[str]:
    """The static mounts prepared by the grader, then this notebook's folder (writable)."""
    command = ["bwrap", *settings["mounts"], "--bind", workdir, workdir]
    for name in settings["read_only_entries"]:
        path = os.path.join(workdir, name)
        if os.path.lexists(path) and not os.path.islink(path):
            command += ["--ro-bind", path, path]
    command += ["--chdir", workdir, "--clearenv"]
    for key, value in sorted(kernel_environment().items()):
        command += ["--setenv", key, value]
    return command + ["--"]


def full_command(settings: dict, workdir: str, kernel_args: list[str]) -> list[str]:
    kernel = [settings["python"], "-m", "ipykernel_launcher", *kernel_args]
    wall = ["timeout", "-s", "KILL", str(settings["limits"]["notebook_seconds"])]
    limits = limits_command(settings["limits"])
    if settings["mode"] == "aucune":
        return [*wall, *limits, *kernel]
    user = user_command(*settings["user"]) if settings.get("user") else []
    return [*wall, *bwrap_command(settings, workdir), *user, *limits, *kernel]


def main(argv: list[str]) -> None:
    with open(argv[1], encoding="utf-8") as handle:
        settings = json.load(handle)
    workdir = os.getcwd()
    kernel_args = argv[2:]
    if settings.get("user"):
        uid, gid = settings["user"]
        for folder in (workdir, settings["runtime_dir"]):
            os.chown(folder, uid, gid)
        # the kernel reads its own key; nobody else sees this task's runtime folder
        os.chmod(kernel_args[kernel_args.index("-f") + 1], 0o644)
    command = full_command(settings, workdir, kernel_args)
    # the kernel's own messages go to a log beside its connection file, not to the grader's terminal
    log = os.open(os.path.join(settings["runtime_dir"], LOG_NAME), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.execvp(shutil.which(command[0]) or command[0], command)


if __name__ == "__main__":
    main(sys.argv)
