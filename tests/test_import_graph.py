"""The rooms of mda_checks import one another in one direction, and only scoring/ opens the reference.

Read from the source with ``ast``, every import statement counts, those inside functions too (a
lazy import hides a circle, it does not break it); only ``if TYPE_CHECKING:`` blocks, never run,
are left out. docs/architecture.md says why the rooms are there.
"""
from __future__ import annotations

import ast
import re
import textwrap
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import mda_checks

PACKAGE_ROOT = Path(mda_checks.__file__).resolve().parent
REFERENCE = "mda_reference"
SCORING = "mda_checks.scoring"
NAMES_REFERENCE = re.compile(rf"^{REFERENCE}(\.|$)")


def modules(folder: Path) -> dict[str, Path]:
    """Dotted name -> file, for every module of the package in `folder`."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        parts = [folder.name, *path.relative_to(folder).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, (ast.Name, ast.Attribute)) and ast.unparse(test).endswith("TYPE_CHECKING")


def _statements(tree: ast.AST):
    """Every node of `tree`, anywhere, except what an ``if TYPE_CHECKING:`` block holds."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            yield from (n for child in node.orelse for n in [child, *_statements(child)])
            continue
        yield node
        yield from _statements(node)


def imported_names(name: str, path: Path) -> list[str]:
    """The modules one module imports, by absolute dotted name (``from x import y`` gives x.y and x)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return found


def import_graph(folder: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    known = modules(folder)
    return {name: {n for n in imported_names(name, path) if n in known and n != name} for name, path in known.items()}


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of `graph` (its modules, first repeated at the end), or [] when there is none."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        return list(error.args[1])
    return []


def _names_reference(node: ast.AST) -> bool:
    """A text that is the reference package's dotted name, or starts an f-string with it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(NAMES_REFERENCE.match(node.value))
    if isinstance(node, ast.JoinedStr) and node.values:
        return _names_reference(node.values[0])
    return False


def reference_imports(folder: Path, allowed: str = SCORING) -> dict[str, list[int]]:
    """Modules outside `allowed` that import the reference or name it (a name can be imported by
    ``import_module``, ``__import__`` …), with the lines; docstrings and sentences do not count."""
    found = {}
    for name, path in modules(folder).items():
        nodes = list(_statements(ast.parse(path.read_text(encoding="utf-8"))))
        prose = {id(node.value) for node in nodes if isinstance(node, ast.Expr)}  # docstrings
        lines = []
        for node in nodes:
            if isinstance(node, ast.Import):
                named = any(NAMES_REFERENCE.match(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                named = not node.level and bool(NAMES_REFERENCE.match(node.module or ""))
            else:
                named = id(node) not in prose and _names_reference(node)
            if named:
                lines.append(node.lineno)
        if lines and not (name == allowed or name.startswith(allowed + ".")):
            found[name] = lines
    return found


def test_mda_checks_has_no_import_cycle():
    graph = import_graph(PACKAGE_ROOT)
    assert sum(map(len, graph.values())) > 300  # not vacuous: the whole package is read
    assert "mda_checks.check.handover" in graph["mda_checks.check.base"]  # once the lazy side of a circle
    assert import_cycle(graph) == []


def test_only_the_scoring_room_imports_the_reference():
    assert reference_imports(PACKAGE_ROOT) == {}
    everywhere = reference_imports(PACKAGE_ROOT, allowed="-")  # not vacuous: the door itself is found
    assert set(everywhere) == {"mda_checks.scoring.reference"}


# The rules, proven to fail: a crafted package with a circle and with imports of the reference.

def _package(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "paquet" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "paquet"


def test_a_circle_closed_by_a_lazy_or_relative_import_is_found(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from paquet.b import f\n",
        "b.py": "def f():\n    from . import c\n",
        "c.py": "import paquet.a\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from paquet import a\n",
    })
    cycle = import_cycle(import_graph(package))
    assert set(cycle) == {"paquet.a", "paquet.b", "paquet.c"}
    assert import_cycle({k: v for k, v in import_graph(package).items() if k != "paquet.c"}) == []


def test_a_type_checking_import_is_no_edge(tmp_path):
    package = _package(tmp_path, {"__init__.py": "", "a.py": "from typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from paquet import b\nelse:\n    import paquet.c\n",
                                  "b.py": "", "c.py": ""})
    assert import_graph(package)["paquet.a"] == {"paquet.c"}


@pytest.mark.parametrize("source", [
    "import mda_reference\n",
    "import mda_reference.bloc1 as reference\n",
    "from mda_reference.registry import CaseData\n",
    "def f():\n    from mda_reference import bloc2\n",
    "import importlib\ndef f(bloc):\n    return importlib.import_module(f'mda_reference.{bloc}')\n",
    "def f(load):\n    return load('/cours', 'mda_reference', 'bloc1')\n",
    "def f():\n    return __import__(name='mda_reference.bloc3')\n",
    "import importlib\nPACKAGE = 'mda_reference'\ndef f():\n    return importlib.import_module(PACKAGE)\n",
])
def test_the_reference_imported_outside_scoring_is_refused(tmp_path, source):
    package = _package(tmp_path, {"__init__.py": "", "rapport.py": source,
                                  "scoring/__init__.py": "", "scoring/porte.py": source})
    assert set(reference_imports(package, allowed="paquet.scoring")) == {"paquet.rapport"}


def test_words_that_only_mention_the_reference_are_no_import(tmp_path):
    package = _package(tmp_path, {"__init__.py": "", "copie.py": '''
        """Copies mda_reference/ with the course."""
        FOLDER = "mda_reference/bloc1"
        def f(run):
            return run(["python", "-c", "import mda_reference"]), print("le corrigé (mda_reference/)")
        '''})
    assert reference_imports(package, allowed="paquet.scoring") == {}
