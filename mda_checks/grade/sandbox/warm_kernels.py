"""Warm kernels: one sandboxed kernel serves the notebooks of one submission, reset between them.

Starting a kernel and importing pandas and matplotlib costs about a second of processor per
notebook. ``mda grade``'s workers (``CappedExecute.reuse_kernel``) therefore keep, per grading
process, at most one live kernel, keyed by the notebook folder of one submission (course,
learner, assignment): a kernel is never shared by two learners, and it is shut down when
another submission comes, at the end of ``autograde_submission`` and at exit. Plain
``nbgrader autograde`` keeps one cold kernel per notebook.

Life of a warm kernel:

1. started like nbclient starts one (working folder = the notebook's folder), then a silent
   warm-up imports pandas, numpy, matplotlib.pyplot and mda_apprenant.check and keeps a snapshot
   (rcParams, warnings filters, sys.path, os.environ, signal handlers, numpy and pandas options,
   locale, the garbage collector's state, modules, threads) in a private module;
2. before each later notebook, the grader gives the kernel a NEW working folder, holding a fresh
   read-only copy of the case data, at the same path (see
   ``SandboxedKernelManager.new_working_folder``: the privileged side only creates new folders
   and renames entries of a folder the kernel cannot write); then a silent check-and-reset
   runs in the kernel: it refuses the kernel (which is then replaced by a fresh one) when the
   previous notebook left threads or child processes, changed resource limits, replaced
   sys.stdout or patched builtins, pandas, numpy, matplotlib or mda_apprenant.check; otherwise it
   empties the user namespace (execution count back to 1), goes to the new working folder,
   restores the snapshot (the French error handler of ``mda_apprenant.check.error_display``
   included, as the warm-up's import installed it), closes the figures, forgets the modules
   loaded from a working folder, and removes what the notebook added to its private /tmp
   (sandboxed modes only);
3. discarded for good when the kernel died, ignored an interrupt, or reached the per-notebook
   wall clock, and after ``warm_notebooks`` notebooks.

Limits: the wall clock of each notebook stays ``notebook_seconds`` (a timer kills the kernel's
whole sandbox when one notebook exceeds it, as the cold kernel's ``timeout`` would); the
kernel-level wall clock and processor time (rlimit) are raised to cover the notebooks it may
serve, so the processor time of ONE notebook is no longer capped on its own (its wall clock
is, and the control group caps its processor share).

What the reset does not undo: a learner's code can always change what its own later notebooks
compute (e.g. a patch of pandas that the integrity check misses, an IPython hook). It never
reaches another learner (one kernel per submission) nor the scores, which are computed by the
grader from the handed-over answers — and a learner could already forge their own answers
within one notebook. So the reset aims at making honest notebooks independent, as with cold
kernels; it is not a security boundary (the sandbox is).
"""
from __future__ import annotations

import atexit
import os
import signal
import time
import typing as t
from dataclasses import dataclass, field

from jupyter_core.utils import run_sync

from mda_checks.grade.sandbox.sandbox_check import require_verified

#: run once in a new kernel, silently: imports and the snapshot the resets restore
WARM_UP = r'''
def _mda_warm_up():
    import builtins, gc, locale, os, resource, signal, sys, threading, types, warnings
    # what the imports make mostly lives as long as the kernel: the collector's passes meanwhile cost a tenth of
    # their processor time for little; one full pass frees the rest below, and it is on before any notebook runs
    gc.disable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import numpy, pandas, matplotlib, matplotlib.pyplot
            import mda_apprenant.check
            matplotlib.pyplot.figure()  # resolves the inline backend now (it registers its IPython hooks once)
            matplotlib.pyplot.close("all")
    finally:
        gc.enable()
    # pyzmq starts its garbage-collector thread (and its context's threads) on the first large
    # message, e.g. a chart: started now, it is part of the kernel, not of a learner's notebook
    import zmq.utils.garbage
    with zmq.utils.garbage.gc._lock:
        if not zmq.utils.garbage.gc.is_alive():
            zmq.utils.garbage.gc.start()
    snap = types.ModuleType("_mda_noyau_chaud")
    watched = {"builtins": builtins, "numpy": numpy, "pandas": pandas, "matplotlib": matplotlib,
               "matplotlib.pyplot": matplotlib.pyplot, "mda_apprenant.check": mda_apprenant.check,
               "pandas.DataFrame": pandas.DataFrame, "pandas.Series": pandas.Series, "pandas.Index": pandas.Index}
    # every module of the learner runtime the kernel loaded, and every class they define: a patched
    # answer kind or hand-over (Answer._repr_mimebundle_, handover.payload …) refuses the kernel
    for name, module in list(sys.modules.items()):
        if name == "mda_apprenant" or name.startswith("mda_apprenant."):
            watched[name] = module
            for attr, value in list(vars(module).items()):
                if isinstance(value, type) and value.__module__ == name:
                    watched[name + ":" + attr] = value
    snap.watched = watched
    snap.ids = {name: {k: id(v) for k, v in vars(obj).items()} for name, obj in watched.items()}
    # ipykernel sets the first three for every request; copy and pickle add __slotnames__ to a class
    snap.free = {"input", "raw_input", "getpass", "__slotnames__"}
    snap.ids = {name: {k: v for k, v in ids.items() if k not in snap.free} for name, ids in snap.ids.items()}
    snap.rc = dict(matplotlib.rcParams)
    snap.filters = list(warnings.filters)
    snap.path = list(sys.path)
    snap.environ = dict(os.environ)
    snap.signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGUSR1,
                                                    signal.SIGUSR2, signal.SIGXCPU, signal.SIGCHLD, signal.SIGPIPE)}
    snap.np_err = numpy.geterr()
    snap.np_print = numpy.get_printoptions()
    snap.locale = locale.setlocale(locale.LC_ALL)
    snap.rlimits = {n: resource.getrlimit(getattr(resource, n)) for n in dir(resource) if n.startswith("RLIMIT_")}
    snap.threads = len(os.listdir("/proc/self/task"))
    snap.streams = (sys.stdout, sys.stderr, sys.stdin, sys.displayhook, sys.excepthook)
    snap.recursion = sys.getrecursionlimit()
    snap.collector = (gc.isenabled(), gc.get_threshold())
    snap.umask = os.umask(0o022); os.umask(snap.umask)
    snap.modules = set(sys.modules)
    snap.tmp = set(os.listdir("/tmp"))
    # the folder holding the working folders: the path's ancestors may not be searchable by the kernel
    snap.home = os.open("..", os.O_RDONLY | os.O_DIRECTORY)
    ip = get_ipython()
    snap.hooks = (len(ip.ast_transformers), len(ip.input_transformers_post),
                  {name: len(callbacks) for name, callbacks in ip.events.callbacks.items()})
    # the French error handler that importing mda_apprenant installs (mda_apprenant.check.error_display), as a cold
    # kernel has it once its first cell has run: put back before each later notebook
    snap.custom_exc = (ip.custom_exceptions, ip.CustomTB)
    sys.modules[snap.__name__] = snap
    # what the warm-up loaded lives as long as the kernel: the garbage collector stops walking it,
    # so IPython's reset between notebooks (one full collection) and the learner's collections are cheap
    gc.collect()
    gc.freeze()
_mda_warm_up()
del _mda_warm_up
'''

#: run before each later notebook, silently; an exception refuses the kernel
RESET = r'''
def _mda_reset(folder, shared_root, private_tmp):
    import builtins, gc, locale, os, resource, shutil, signal, sys, threading, time, warnings
    snap = sys.modules["_mda_noyau_chaud"]
    problems = []
    for name, obj in snap.watched.items():
        now = vars(obj)
        changed = [k for k, v in snap.ids[name].items() if k not in now or id(now[k]) != v]
        changed += [k for k in now if k not in snap.ids[name] and k not in snap.free
                    and not isinstance(now[k], type(sys))]
        if changed:
            problems.append("modifié : %s (%s)" % (name, ", ".join(changed[:5])))
    if len(os.listdir("/proc/self/task")) != snap.threads:
        problems.append("fils d'exécution")
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] == me:
                        problems.append("processus enfant")
                        break
            except (OSError, IndexError):
                pass
    if {n: resource.getrlimit(getattr(resource, n)) for n in snap.rlimits} != snap.rlimits:
        problems.append("limites")
    if (sys.stdout, sys.stderr, sys.stdin, sys.displayhook, sys.excepthook) != snap.streams:
        problems.append("flux")
    ip = get_ipython()
    hooks = (len(ip.ast_transformers), len(ip.input_transformers_post),
             {name: len(callbacks) for name, callbacks in ip.events.callbacks.items()})
    if hooks != snap.hooks:
        problems.append("crochets IPython %r %r" % (hooks, snap.hooks))
    if problems:
        raise RuntimeError("noyau à remplacer : " + ", ".join(problems))
    signal.alarm(0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    for number, handler in snap.signals.items():
        signal.signal(number, handler)
    import matplotlib, matplotlib.pyplot, numpy, pandas
    matplotlib.pyplot.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(snap.rc)
        pandas.reset_option("all")
    numpy.seterr(**snap.np_err)
    numpy.set_printoptions(**snap.np_print)
    os.environ.clear()
    os.environ.update(snap.environ)
    time.tzset()
    locale.setlocale(locale.LC_ALL, snap.locale)
    sys.path[:] = snap.path
    sys.setrecursionlimit(snap.recursion)
    (gc.enable if snap.collector[0] else gc.disable)()
    gc.set_threshold(*snap.collector[1])
    sys.settrace(None)
    sys.setprofile(None)
    os.umask(snap.umask)
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or ""
        # a working folder's modules, and the learner runtime's modules loaded after the warm-up (not
        # watched): the next notebook imports them afresh
        if name not in snap.modules and (where.startswith(shared_root) or name.startswith("mda_apprenant.")):
            del sys.modules[name]
    sys.path_importer_cache.clear()
    import importlib
    importlib.invalidate_caches()
    ip.custom_exceptions, ip.CustomTB = snap.custom_exc  # the French error handler, as in a cold kernel
    ip.reset(new_session=True)
    ip.execution_count = 1
    os.chdir(snap.home)
    os.chdir(folder)
    if private_tmp:
        for entry in os.listdir("/tmp"):
            if entry not in snap.tmp:  # not what was there after the warm-up (runtime folder, caches)
                path = os.path.join("/tmp", entry)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass
    warnings.simplefilter("ignore", append=True)  # tells the warnings module its « once » registries are stale
    warnings.filters[:] = snap.filters
_mda_reset(FOLDER, SHARED_ROOT, PRIVATE_TMP)
'''


class RefusedKernel(RuntimeError):
    """The kernel cannot serve another notebook (dead, dirty, or its reset failed)."""


async def run_silently(km, code: str, timeout: float) -> None:
    """Run `code` in the kernel through a client of our own; raise RefusedKernel unless it succeeds.

    Only the shell channel is needed (silent code has no output to read), and no wait: the
    kernel has already answered (the sandbox check of its start, or a previous notebook)."""
    kc = km.client()
    kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    try:
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RefusedKernel("pas de réponse")
            reply = await kc.get_shell_msg(timeout=left)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise RefusedKernel(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    except RefusedKernel:
        raise
    except Exception as exc:
        raise RefusedKernel(f"{type(exc).__name__}: {exc}") from exc
    finally:
        kc.stop_channels()


@dataclass
class WarmKernel:
    key: str
    km: t.Any
    served: int = 0
    healthy: bool = True
    timer: t.Any = field(default=None, repr=False)


_current: list[WarmKernel] = []
#: kernels started by this process, and why a warm kernel was refused (tests and diagnostics)
started = [0]
refusals: list[str] = []


def _shutdown(warm: WarmKernel) -> None:
    if warm.timer is not None:
        warm.timer.cancel()

    async def stop():
        try:
            if await warm.km.is_alive():
                await warm.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 (already dead)
            pass
        finally:
            await warm.km.cleanup_resources()

    try:
        run_sync(stop)()
    except Exception:  # noqa: BLE001 (clean-up must never fail the grading)
        pass


def shutdown() -> None:
    """Shut the process's warm kernel down (end of a submission, exit)."""
    while _current:
        _shutdown(_current.pop())


atexit.register(shutdown)


def acquire(key: str, make: t.Callable[[], t.Any], start: t.Callable[[t.Any], t.Awaitable[None]],
            limit: int) -> WarmKernel:
    """The warm kernel for `key`, reset for a new notebook, or a new one (started and warmed up)."""
    warm = _current[0] if _current else None
    if warm is not None and (warm.key != key or not warm.healthy or warm.served >= limit):
        shutdown()
        warm = None
    if warm is not None:
        try:
            if not run_sync(warm.km.is_alive)():
                raise RefusedKernel("mort")
            folder = warm.km.new_working_folder()
            code = (RESET.replace("FOLDER", repr(str(folder)))
                    .replace("SHARED_ROOT", repr(str(warm.km.shared_root_inside())))
                    .replace("PRIVATE_TMP", repr(bool(warm.km.private_tmp()))))
            run_sync(run_silently)(warm.km, code, 60)
            return warm
        except Exception as exc:  # noqa: BLE001 (any doubt: a fresh kernel)
            refusals.append(f"{type(exc).__name__}: {exc}")
            shutdown()
    km = make()
    try:
        run_sync(start)(km)
        started[0] += 1
        require_verified(km)  # its start showed the sandbox in force, and the kernel answered
        run_sync(run_silently)(km, WARM_UP, 120)
    except Exception:
        _shutdown(WarmKernel(key, km))
        raise
    warm = WarmKernel(key, km)
    _current.append(warm)
    return warm


def watch(warm: WarmKernel, seconds: float) -> None:
    """Kill the kernel's sandbox if the coming notebook runs longer than `seconds` (its wall clock)."""
    import threading

    def expire():
        warm.healthy = False
        warm.km.kill_sandbox()

    warm.timer = threading.Timer(seconds, expire)
    warm.timer.daemon = True
    warm.timer.start()


def release(warm: WarmKernel, keep: bool) -> None:
    """After a notebook: stop its timer; the kernel is discarded unless `keep` and still alive."""
    if warm.timer is not None:
        warm.timer.cancel()
        warm.timer = None
    warm.served += 1
    if not keep or not warm.healthy:
        warm.healthy = False
        shutdown()


def alive(warm: WarmKernel) -> bool:
    try:
        return bool(run_sync(warm.km.is_alive)())
    except Exception:  # noqa: BLE001
        return False


def kill_group(pgid: int | None) -> None:
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
