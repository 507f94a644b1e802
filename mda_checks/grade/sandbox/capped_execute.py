"""nbgrader's Execute step with a cap on the outputs a cell may keep (100 MB of prints must not
fill the grader's memory or the graded notebook).

nbgrader's LimitOutput only counts lines, after the whole output is held. Here each
output is cut as it arrives, in a way that keeps the score unchanged: nbgrader reads
the outputs in order and stops at the first error, the first stderr stream (0 points)
or the first execute_result (the score). So errors and execute_results are always
kept; beyond the budget, printed text is dropped, but one empty stream per name marks
where stderr output appeared.
"""
from __future__ import annotations

import json
import typing as t
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from mda_apprenant.check import handover
from mda_checks.grade.sandbox.sandbox_check import require_verified

TRUNCATED = "\n… sortie tronquée lors de la correction (trop volumineuse) …\n"


def _size(content: dict) -> int:
    """Characters of an output, a handed-over answer excepted (it has its own cap)."""
    if "text" in content:
        return len(content["text"])
    return sum(len(str(value)) for key, value in content.get("data", {}).items() if key != handover.MIME_TYPE)


def _cap_handover(content: dict) -> None:
    """A handed-over answer above its cap is replaced by a « too large » marker."""
    data = content.get("data", {})
    if handover.MIME_TYPE in data and len(json.dumps(data[handover.MIME_TYPE])) > handover.MAX_CHARS:
        data[handover.MIME_TYPE] = {"version": handover.VERSION, "kind": "?", "value": {"$": "too_large"}}


#: what a cell whose code ignored the interrupt is marked with (the journal quotes it)
UNRESPONSIVE = "le noyau ne répond plus après l'interruption d'une cellule trop longue"
UNRESPONSIVE_ERROR = "NoyauBloque"
#: nbgrader's Execute.error_on_timeout names a timed-out cell's error so
TIMEOUT_ERROR = "CellTimeoutError"


class UnresponsiveKernel(RuntimeError):
    """The kernel kept running after a timed-out cell was interrupted (e.g. SIGINT ignored)."""


class CappedExecute(Execute):
    """Execute, keeping at most ``max_output_chars`` characters of outputs per cell.

    A kernel that ignores the interrupt of a timed-out cell would stall every following cell
    until the notebook's wall clock: the notebook stops there instead (the cell gets an error
    output, the following cells are not run, their checks hand nothing over and score 0), and
    is graded as it stands."""

    max_output_chars = Integer(200_000, help="characters of outputs kept per cell").tag(config=True)
    # generous: an interruptible kernel on an overloaded machine must never be taken for a blocked one
    interrupt_grace = Integer(30, help="seconds a kernel has to answer again after an interrupt").tag(config=True)

    reuse_kernel = Bool(False, help="Keep one warm kernel per submission (mda grade only: see warm_kernels)").tag(config=True)
    warm_notebooks = Integer(8, help="Notebooks one warm kernel may serve before a fresh one").tag(config=True)

    _unresponsive = False

    def preprocess(self, nb, resources=None, km=None):
        if not self.reuse_kernel or km is not None:
            return super().preprocess(nb, resources, km=km)
        from mda_checks.grade.sandbox import warm_kernels

        path = (resources or {}).get("metadata", {}).get("path") or None
        key = str(Path(path or ".").resolve())

        def make():
            name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name")
            manager = self.kernel_manager_class(**({"kernel_name": name} if name else {}), config=self.config)
            manager.warm_notebooks = self.warm_notebooks
            return manager

        async def start(manager):
            extra = list(self.extra_arguments)
            if getattr(manager, "ipykernel", False) and self.ipython_hist_file and \
                    not any(a.startswith("--HistoryManager.hist_file") for a in extra):
                extra.append(f"--HistoryManager.hist_file={self.ipython_hist_file}")
            await manager.start_kernel(extra_arguments=extra, **({"cwd": path} if path else {}))

        warm = warm_kernels.acquire(key, make, start, self.warm_notebooks)
        warm_kernels.watch(warm, warm.km.notebook_seconds)
        keep = False
        try:
            result = super().preprocess(nb, resources, km=warm.km)
            keep = not self._unresponsive
            return result
        finally:
            if self.kc is not None:  # nbclient leaves the client of a kernel it does not own running
                self.kc.stop_channels()
                self.kc = None
            warm_kernels.release(warm, keep and warm_kernels.alive(warm))

    async def async_start_new_kernel_client(self):
        # fail closed: whatever kernel manager started it, a kernel whose sandbox was not checked is refused
        require_verified(self.km)
        return await super().async_start_new_kernel_client()

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell, resources, index):
        if self._unresponsive:
            return cell, resources  # not run: the kernel no longer answers
        try:
            return super().preprocess_cell(cell, resources, index)
        except UnresponsiveKernel:
            self._unresponsive = True
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=UNRESPONSIVE_ERROR, evalue=UNRESPONSIVE, traceback=[UNRESPONSIVE]))
            return cell, resources

    def __init__(self, *args, **kwargs):
        # every grading kernel starts in its own sandbox (nbgrader's Execute would otherwise pass
        # its own default kernel manager as an argument, over the configuration)
        from mda_checks.grade.sandbox.sandboxed_kernel import SandboxedKernelManager

        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        self._used: dict[int, int] = {}            # cell index -> characters kept
        self._marked: set[tuple[int, str]] = set()  # (cell index, stream name) already cut

    def output(self, outs: list[NotebookNode], msg: dict[str, t.Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        content, kind = msg["content"], msg["msg_type"]
        if kind in ("execute_result", "display_data"):
            _cap_handover(content)
        budget = self.max_output_chars - self._used.get(cell_index, 0)
        if kind == "stream":
            if budget <= 0:
                if (cell_index, content["name"]) in self._marked:
                    return None
                self._marked.add((cell_index, content["name"]))
                content["text"] = TRUNCATED
            elif len(content["text"]) > budget:
                self._marked.add((cell_index, content["name"]))
                content["text"] = content["text"][:budget] + TRUNCATED
        elif kind == "display_data" and _size(content) > max(budget, 0):
            return None
        elif kind in ("execute_result", "error") and _size(content) > self.max_output_chars:
            data = content.get("data", {})
            content["data"] = {"text/plain": str(data.get("text/plain", ""))[:self.max_output_chars],
                               **({handover.MIME_TYPE: data[handover.MIME_TYPE]} if handover.MIME_TYPE in data else {})}
        if kind in ("stream", "display_data"):
            self._used[cell_index] = self._used.get(cell_index, 0) + _size(content)
        return super().output(outs, msg, display_id, cell_index)

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None):
        reply = await super()._async_handle_timeout(timeout, cell)
        if self.interrupt_on_timeout and not await self._answers_within(self.interrupt_grace):
            raise UnresponsiveKernel(UNRESPONSIVE)
        return reply

    async def _answers_within(self, seconds: float) -> bool:
        """Does the kernel answer a kernel_info request (queued behind the interrupted cell) in time?"""
        import time
        from queue import Empty

        from jupyter_client.utils import ensure_async

        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await ensure_async(self.kc.shell_channel.get_msg(timeout=left))
            except Empty:
                return False
            if message["parent_header"].get("msg_id") == msg_id:
                return True
        return False
