"""The one door to the grader-only reference (``mda_reference``): every trusted step reaches it here.

Authoring (barème cells, case checks), release (variants), ``mda corrige``, the demo and grading
all ask this module for a reference module or for the expected answers of a case; no other module
names the reference package (tests/test_import_graph.py).
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from mda_apprenant.check.expected import Expected

#: the grader-only reference package, beside nbgrader_config.py in the course folder
REFERENCE_PACKAGE = "mda_reference"

ExpectedOf = Callable[[str], Expected]


def load_reference(root: Path | str, module: str, package: str = REFERENCE_PACKAGE):
    """The reference module ``<package>.<module>`` (``bloc1``, ``bloc1.slips`` …) from the course at
    `root` (another course's, if one was loaded before in this process, is unloaded first)."""
    root = Path(root).resolve()
    loaded = sys.modules.get(package)
    if loaded is not None and Path(loaded.__file__).resolve().parent.parent != root:  # type: ignore[arg-type]
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
    if str(root) in sys.path:
        sys.path.remove(str(root))
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{package}.{module}")


def reference_expected(root: Path | str, assignment: str, data_dir: Path | str,
                       package: str = REFERENCE_PACKAGE) -> ExpectedOf:
    """Expected answers of `assignment`, computed from `data_dir` by the grader-only reference."""
    module = load_reference(root, assignment, package)
    data = sys.modules[f"{package}.registry"].CaseData(data_dir)  # each file read once
    return lambda key: module.reference.expected(key, data)
