"""Fail closed: a kernel is used for grading only once it has shown that its sandbox is in force.

Right after a kernel starts, before any learner code, the kernel manager asks it (a silent
request, ``probe_kernel``) for its user id, its namespaces and whether it sees paths it must
not see (a canary file in the grader's private folder, the trainer's tooling, the course's
configuration). ``sandbox_problems`` compares that with what the sandbox promised; any
difference, or a kernel started by a path that skipped the sandbox, refuses the grading with
``SandboxNotInForceError`` (its French reason ends up in nbgrader's log and in the journal).
``require_verified`` lets the other ways in (warm kernels, the executing preprocessor) refuse
a kernel that no such check vouched for, whatever kernel manager started it.
"""
from __future__ import annotations

import ast
import json
import os
import time
from queue import Empty

from mda_checks.grade.reasons import FrenchReason

#: namespaces every sandboxed kernel has of its own (bubblewrap's --unshare-*); the user
#: namespace too in mode BWRAP
OWN_NAMESPACES = ("mnt", "net", "pid", "ipc", "uts")
PROBE_SECONDS = 120  # a kernel starting on a busy machine: generous, checked every second while alive

#: run silently in a new kernel: defines the probe, which removes itself once called
PROBE = '''
def _mda_sonde(interdits, espaces):
    import json, os
    del globals()["_mda_sonde"]
    vus = []
    for chemin in interdits:
        try:
            os.stat(chemin)
        except FileNotFoundError:
            continue
        except OSError:
            pass  # there but forbidden: the machine's folders are in view
        vus.append(chemin)
    noms = {}
    for nom in espaces:
        try:
            noms[nom] = os.readlink("/proc/self/ns/" + nom)
        except OSError:
            noms[nom] = ""
    return json.dumps({"uid": os.getuid(), "ns": noms, "vus": vus})
'''


class SandboxNotInForceError(FrenchReason, RuntimeError):
    """A kernel is not (or not provably) in the sandbox it was given: grading is refused."""


def refusal(reason: str) -> SandboxNotInForceError:
    return SandboxNotInForceError(f"correction refusée, bac à sable absent ou non vérifié : {reason}")


def namespaces(names=OWN_NAMESPACES + ("user",)) -> dict[str, str]:
    """This process's namespaces, as /proc names them (``net:[4026531840]``)."""
    found = {}
    for name in names:
        try:
            found[name] = os.readlink(f"/proc/self/ns/{name}")
        except OSError:
            found[name] = ""
    return found


def sandbox_problems(report: dict, uid: int, own: tuple[str, ...], grader: dict[str, str]) -> list[str]:
    """What in a kernel's report contradicts its sandbox (French, empty when all holds)."""
    problems = []
    if report.get("uid") != uid:
        problems.append(f"le noyau tourne sous l'utilisateur {report.get('uid')} au lieu de {uid}")
    shared = [name for name in own if not report.get("ns", {}).get(name) or report["ns"][name] == grader.get(name)]
    if shared:
        problems.append("espaces de noms partagés avec la correction : " + ", ".join(shared))
    if report.get("vus"):
        problems.append("le noyau voit des fichiers qui doivent lui être cachés : " + ", ".join(report["vus"]))
    return problems


async def probe_kernel(km, forbidden: list[str], own: tuple[str, ...]) -> dict:
    """The kernel's report (see PROBE), through a shell channel of our own."""
    kc = km.client()
    kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    try:
        msg_id = kc.execute(PROBE, silent=True, store_history=False, allow_stdin=False,
                            user_expressions={"sonde": f"_mda_sonde({forbidden!r}, {list(own)!r})"})
        deadline = time.monotonic() + PROBE_SECONDS
        while True:
            if not await km.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")  # nbclient's words
            left = deadline - time.monotonic()
            if left <= 0:
                raise refusal(f"le noyau n'a pas répondu à la vérification en {PROBE_SECONDS} s")
            try:
                reply = await kc.get_shell_msg(timeout=min(1.0, left))
            except Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
    finally:
        kc.stop_channels()
    answer = reply["content"].get("user_expressions", {}).get("sonde", {})
    if reply["content"].get("status") != "ok" or answer.get("status") != "ok":
        raise refusal("la vérification n'a pas pu s'exécuter dans le noyau")
    return json.loads(ast.literal_eval(answer["data"]["text/plain"]))


def require_verified(km) -> None:
    """Refuse a kernel that no sandbox check vouched for (another kernel manager, a start path
    that skipped the check)."""
    if getattr(km, "sandbox_verified", False) is not True:
        raise refusal(f"le noyau a été démarré par {type(km).__name__}, sans la vérification du bac à sable "
                      "(Execute.kernel_manager_class doit être mda_checks.grade.sandbox.sandboxed_kernel.SandboxedKernelManager)")
