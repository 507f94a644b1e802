"""matplotlib's font list for each grading kernel, made on the grader's side.

A kernel starts with an empty ``MPLCONFIGDIR`` (``/tmp/.matplotlib`` in its own ``/tmp``), so its first chart
(or the warm-up of a warm kernel) made matplotlib scan the machine's fonts again: about 0.1 s of processor per
kernel, 7 to 8 % of a kernel that draws (``benchmarks/kernel_start.py --graphique``). The grader loads its own
matplotlib's list once per process and writes, for each kernel, the fonts that kernel's sandbox shows (``Mounts.shows``:
never a font of a masked folder, of the grader's home or of ``/usr/local``), and each kernel gets it read-only in
its ``/tmp/.matplotlib``, which stays its own and writable (a folder matplotlib cannot write makes it warn on
stderr). The kernel's matplotlib is the grader's (same interpreter), so it reads the list as its own cache; were
the versions to differ, it would ignore the file and scan the fonts as before. Like any matplotlib cache, the
grader's list does not see a font installed after it was made (delete the grader's matplotlib cache folder).

What the list holds (font files' paths, names, styles) is the machine's, never the course's: nothing of the
trainer's side reaches a kernel through it.
"""
from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

#: the kernel's matplotlib folder (``isolation.kernel_environment``'s MPLCONFIGDIR)
KERNEL_MATPLOTLIB_FOLDER = "/tmp/.matplotlib"


@functools.cache
def _grader_fonts() -> Any:
    """This process's matplotlib font manager (read from its cache, or built once per machine)."""
    from matplotlib import font_manager

    return font_manager.fontManager


def list_name() -> str:
    """The file name matplotlib looks for in its folder."""
    from matplotlib import font_manager

    return f"fontlist-v{font_manager.FontManager.__version__}.json"


def write_font_list(shown, target: Path) -> Path:
    """The grader's font list cut down to the fonts `shown(path)` says the kernel sees, written to `target`."""
    from matplotlib import font_manager

    def seen(fname: str) -> bool:  # the file and, through its links, what it is (a link out of the sandbox dangles)
        return os.path.isfile(fname) and shown(Path(fname)) and shown(Path(os.path.realpath(fname)))

    kept = copy.copy(_grader_fonts())
    kept.ttflist = [f for f in kept.ttflist if seen(f.fname)]
    kept.afmlist = [f for f in kept.afmlist if seen(f.fname)]
    font_manager.json_dump(kept, target)
    os.chmod(target, 0o644)
    return target


def font_list_arguments(shown, private: Path) -> list[str]:
    """bwrap's arguments: the kernel's matplotlib folder, writable by it (mode 1777, as /tmp), holding the list
    (written in the kernel's private folder, out of its reach) read-only; none if the list cannot be made (the
    kernel then scans the fonts itself, as without it)."""
    try:
        font_list = write_font_list(shown, private / "fontlist.json")
        name = list_name()
    except Exception:  # noqa: BLE001 - only a saving of time: a kernel without it works as before
        return []
    folder = KERNEL_MATPLOTLIB_FOLDER
    return ["--perms", "1777", "--dir", folder, "--ro-bind", str(font_list), f"{folder}/{name}"]
