"""The rooms of mda_checks import one another in one direction, and only scoring/ opens the reference;
the learner runtime (mda_apprenant, its own distribution) imports nothing of the trainer's side.

Read from the source with ``ast``, every import statement counts, those inside functions too (a
lazy import hides a circle, it does not break it); only ``if TYPE_CHECKING:`` blocks, never run,
are left out. docs/architecture.md says why the rooms are there.
"""
from __future__ import annotations

import ast
import re
import sys
import textwrap
import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import mda_apprenant
import mda_checks

PACKAGE_ROOT = Path(mda_checks.__file__).resolve().parent
LEARNER_ROOT = Path(mda_apprenant.__file__).resolve().parent
REFERENCE = "mda_reference"
SCORING = "mda_checks.scoring"
NAMES_REFERENCE = re.compile(rf"^{REFERENCE}(\.|$)")
#: what the learner runtime must never import (nor name for importlib): the trainer's package and the answer key
NAMES_TRAINER_SIDE = re.compile(r"^(mda_checks|mda_reference)(\.|$)")
#: the import name of a distribution the learner runtime declares, where the two differ
IMPORT_NAMES = {"ipython": "IPython"}


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
    return [n for node in _statements(ast.parse(path.read_text(encoding="utf-8"))) for n in _imports_of(node, package)]


def _imports_of(node: ast.AST, package: str) -> list[str]:
    """What one statement imports, by absolute dotted name (relative ones resolved from `package`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(anchor + ([node.module] if node.module else []))
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


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


def _names_package(node: ast.AST, pattern: re.Pattern) -> bool:
    """A text that is a dotted name `pattern` matches, or starts an f-string with it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(pattern.match(node.value))
    if isinstance(node, ast.JoinedStr) and node.values:
        return _names_package(node.values[0], pattern)
    return False


def package_imports(folder: Path, pattern: re.Pattern, allowed: str = "-") -> dict[str, list[int]]:
    """Modules outside `allowed` that import a package `pattern` matches or name it (a name can be imported by
    ``import_module``, ``__import__`` …), with the lines; docstrings and sentences do not count."""
    found = {}
    for name, path in modules(folder).items():
        nodes = list(_statements(ast.parse(path.read_text(encoding="utf-8"))))
        prose = {id(node.value) for node in nodes if isinstance(node, ast.Expr)}  # docstrings
        lines = []
        for node in nodes:
            if isinstance(node, ast.Import):
                named = any(pattern.match(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                named = not node.level and bool(pattern.match(node.module or ""))
            else:
                named = id(node) not in prose and _names_package(node, pattern)
            if named:
                lines.append(node.lineno)
        if lines and not (name == allowed or name.startswith(allowed + ".")):
            found[name] = lines
    return found


def reference_imports(folder: Path, allowed: str = SCORING) -> dict[str, list[int]]:
    """Modules outside `allowed` that import the reference or name it."""
    return package_imports(folder, NAMES_REFERENCE, allowed)


def trainer_side_imports(folder: Path) -> dict[str, list[int]]:
    """Modules of a learner package that import (or name) the trainer's package or the reference."""
    return package_imports(folder, NAMES_TRAINER_SIDE)


def third_party_imports(folder: Path) -> set[str]:
    """Top-level names of what a package imports that is neither the standard library nor itself."""
    names = {n.split(".")[0] for name, path in modules(folder).items() for n in imported_names(name, path)}
    return {n for n in names if n and n != folder.name and n not in sys.stdlib_module_names and n != "__future__"}


def declared_imports(pyproject: Path) -> set[str]:
    """The import names of the dependencies a pyproject declares (its extras' included)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *(r for extra in project.get("optional-dependencies", {}).values() for r in extra)]
    names = [Requirement(line).name.lower() for line in lines]
    return {IMPORT_NAMES.get(name, name) for name in names}


def test_mda_checks_has_no_import_cycle():
    graph = import_graph(PACKAGE_ROOT)
    assert sum(map(len, graph.values())) > 300  # not vacuous: the whole package is read
    assert import_cycle(graph) == []


def test_mda_apprenant_has_no_import_cycle():
    graph = import_graph(LEARNER_ROOT)
    assert sum(map(len, graph.values())) > 50  # not vacuous
    assert "mda_apprenant.check.handover" in graph["mda_apprenant.check.base"]  # once the lazy side of a circle
    assert import_cycle(graph) == []


def test_the_learner_runtime_imports_nothing_of_the_trainers_side():
    """Neither mda_checks nor mda_reference, in any file of mda_apprenant, lazily or by name."""
    assert len(modules(LEARNER_ROOT)) > 20  # not vacuous: every file is read
    assert trainer_side_imports(LEARNER_ROOT) == {}


def test_the_learner_runtime_imports_only_what_its_distribution_declares():
    """A learner's environment has only mda-apprenant's dependencies: an undeclared import would fail there."""
    declared = declared_imports(LEARNER_ROOT.parent / "pyproject.toml")
    assert {"pandas", "numpy", "matplotlib", "babel", "IPython", "ipywidgets"} <= third_party_imports(LEARNER_ROOT)
    assert third_party_imports(LEARNER_ROOT) <= declared, third_party_imports(LEARNER_ROOT) - declared


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


@pytest.mark.parametrize("source", [
    "import mda_checks\n",
    "from mda_checks.scoring.right_answers import right_answer\n",
    "def f():\n    from mda_checks import config\n",
    "import importlib\ndef f():\n    return importlib.import_module('mda_checks.grade')\n",
    "from mda_reference import bloc1\n",
    "def f(name):\n    return __import__(f'mda_reference.{name}')\n",
])
def test_a_learner_package_importing_the_trainers_side_is_refused(tmp_path, source):
    package = _package(tmp_path, {"__init__.py": "", "check/__init__.py": "", "check/base.py": source,
                                  "widgets.py": '"""Never imports mda_checks."""\nTEXT = "le paquet mda_checks"\n'})
    assert set(trainer_side_imports(package)) == {"paquet.check.base"}


def test_an_undeclared_third_party_import_is_seen(tmp_path):
    package = _package(tmp_path, {"__init__.py": "import json\nimport pandas\nfrom . import a\n",
                                  "a.py": "def f():\n    import scipy.stats\n"})
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pandas>=2", "ipython"]\n',
                                             encoding="utf-8")
    assert third_party_imports(package) == {"pandas", "scipy"}
    assert declared_imports(tmp_path / "pyproject.toml") == {"pandas", "IPython"}


# The suite itself: a test process grades other courses too, and ``load_reference`` then swaps the
# ``mda_reference`` of sys.modules for theirs; a bare import of the reference inside a test, run after,
# would read that other course's (or fail where it was trimmed). Inside a test, the reference comes through
# the one door (``load_reference(REPO, …)``); at a module's top, imports run at collection, before any test.

def reference_imports_inside_functions(path: Path) -> list[int]:
    """Lines of `path` where a function imports the reference by a bare import statement."""
    lines = []
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines += [node.lineno for node in ast.walk(function)
                      if any(NAMES_REFERENCE.match(n) for n in _imports_of(node, "tests"))]
    return sorted(set(lines))


def test_no_test_imports_the_reference_inside_a_function():
    tests = Path(__file__).resolve().parent
    found = {str(p.relative_to(tests)): lines for p in sorted(tests.rglob("*.py"))
             if (lines := reference_imports_inside_functions(p))}
    assert found == {}


def test_a_bare_reference_import_inside_a_test_is_found_and_one_in_a_string_is_not(tmp_path):
    path = tmp_path / "test_x.py"
    path.write_text(textwrap.dedent('''
        from mda_reference.bloc1 import expected  # at collection: allowed
        CODE = "from mda_reference.bloc1 import expected"  # a string, not an import

        def test_one():
            import mda_reference.bloc2

        def test_two():
            def inner():
                from mda_reference.registry import CaseData
    '''), encoding="utf-8")
    assert reference_imports_inside_functions(path) == [6, 10]
