"""The test tiers (markers ``kernel``, ``sandbox``, ``e2e``, ``browser``), derived from what a test uses.

A test is marked from its path, from the modules its test module uses (names imported from them,
followed through the repository's own test helpers, e.g. ``tests.e2e.harness``) and from the modules
that define its fixtures; nobody marks a test by hand. ``make test-rapide`` runs the rest, and
tests/fast_tier_guard fails any test of that tier that still starts a kernel or a sandbox, so a rule
that misses a kind of launch shows up at once.
"""
from __future__ import annotations

import sys
import weakref
from types import CodeType, ModuleType

import pytest

#: tests under these folders get these markers (the folder says what the test drives)
PATH_MARKERS: dict[str, tuple[str, ...]] = {
    "tests/browser/": ("browser", "e2e", "kernel"),
}

#: modules (and packages: a prefix followed by a dot) whose use starts a kernel, a sandbox, or a whole
#: nbgrader cycle; a test that uses one of them, itself or through a test helper, gets the markers
MODULE_MARKERS: dict[str, tuple[str, ...]] = {
    # kernels: jupyter_client and what drives it
    "jupyter_client": ("kernel",),
    "nbclient": ("kernel",),
    "nbval": ("kernel",),
    "nbconvert.preprocessors.execute": ("kernel",),
    # the sandbox room (mda_checks/grade/sandbox/): bubblewrap, cgroups, quota and their checks
    "mda_checks.grade.sandbox": ("sandbox",),
    "mda_checks.grade.sandbox.capped_execute": ("kernel",),
    "mda_checks.grade.sandbox.warm_kernels": ("kernel",),
    "mda_checks.grade.sandbox.sandboxed_kernel": ("sandbox", "kernel"),
    # the runs room (mda_checks/grade/runs/): workers run notebooks
    "mda_checks.grade.runs.pool": ("kernel",),
    "mda_checks.grade.runs.worker": ("kernel",),
    # whole nbgrader cycles on a course copy: autograde runs every notebook in a sandboxed kernel
    "mda_checks.grade.autograde": ("e2e", "kernel", "sandbox"),
    "mda_checks.grade.runs.cohort": ("e2e", "kernel", "sandbox"),
    "mda_checks.grade.runs.cluster": ("e2e", "kernel", "sandbox"),
    "tests.e2e.harness": ("e2e", "kernel", "sandbox"),
    # real Unix accounts (useradd, runuser): a whole release or collection as the learners do it
    "tests.collect.accounts": ("e2e",),
    # a whole simulated cohort, every learner's copy run and graded (in-process, no kernel, but as long)
    "tests.copies.cohort": ("e2e",),
}

#: the command line, in-process (``mda_checks.cli.main``) or as the ``mda`` program in a subprocess: a module
#: that runs it with one of these commands (a string constant in one of its functions, e.g.
#: ``main(["grade", ...])``) is in their tiers, as if it used the grading run or the release itself
CLI, PROGRAM = "mda_checks.cli", "mda"
CLI_COMMANDS: dict[str, tuple[str, ...]] = {
    "grade": ("e2e", "kernel", "sandbox"),
    "release": ("e2e",),
}

#: nbgrader's own autograde, as a program in a subprocess (`nbgrader autograde`) or through its API in-process
#: (``NbGraderAPI.autograde``): a whole nbgrader cycle, every notebook run in a sandboxed kernel
NBGRADER, NBGRADER_API, AUTOGRADE = "nbgrader", "mda_checks.nbgrader_api", "autograde"
AUTOGRADE_MARKERS = ("e2e", "kernel", "sandbox")

TIERS = ("kernel", "sandbox", "e2e", "browser")
#: where the rules themselves live: never followed (they name every launcher)
RULE_MODULES = {__name__, "tests.conftest"}


def _module_name(value: object) -> str | None:
    """The module a global of a test module comes from (itself, for a module)."""
    if isinstance(value, ModuleType):
        return value.__name__
    name = getattr(value, "__module__", None)
    return name if isinstance(name, str) else None


def _own_markers(name: str) -> set[str]:
    """Markers of a module named in MODULE_MARKERS, or inside a package named there."""
    found: set[str] = set()
    for prefix, markers in MODULE_MARKERS.items():
        if name == prefix or name.startswith(prefix + "."):
            found.update(markers)
    return found


def _constants(code: CodeType):
    """String constants of a function, its nested functions and comprehensions (lists fold into tuples)."""
    pending = list(code.co_consts)
    while pending:
        constant = pending.pop()
        if isinstance(constant, str):
            yield constant
        elif isinstance(constant, CodeType):
            pending.extend(constant.co_consts)
        elif isinstance(constant, (tuple, frozenset)):
            pending.extend(constant)


def _own_functions(module: ModuleType):
    """Functions defined in a module, methods of its classes included."""
    for value in list(vars(module).values()):
        if getattr(value, "__module__", None) != module.__name__:
            continue
        members = vars(value).values() if isinstance(value, type) else (value,)
        for member in members:
            function = getattr(member, "__func__", member)
            function = getattr(function, "__wrapped__", function)
            if isinstance(getattr(function, "__code__", None), CodeType):
                yield function


def _names(code: CodeType):
    """Attribute and global names a function, its nested functions and comprehensions use."""
    pending = [code]
    while pending:
        current = pending.pop()
        yield from current.co_names
        pending.extend(c for c in current.co_consts if isinstance(c, CodeType))


def _cli_markers(module: ModuleType) -> set[str]:
    """Tiers of the CLI commands a module runs (only if it runs the CLI, in-process or as a program), and of
    nbgrader's autograde (the program, or its API's method)."""
    used = {_module_name(value) for value in list(vars(module).values())}
    constants = {c for function in _own_functions(module) for c in _constants(function.__code__)}
    names = {n for function in _own_functions(module) for n in _names(function.__code__)}
    if ("subprocess" in used and NBGRADER in constants or NBGRADER_API in used) and AUTOGRADE in constants | names:
        return set(AUTOGRADE_MARKERS) | _cli_markers_of_mda(used, constants)
    return _cli_markers_of_mda(used, constants)


def _cli_markers_of_mda(used: set[str], constants: set[str]) -> set[str]:
    if CLI not in used and not ("subprocess" in used and PROGRAM in constants):
        return set()
    return {marker for command in constants & CLI_COMMANDS.keys() for marker in CLI_COMMANDS[command]}


#: module -> its markers (every test of a module, and every fixture a module defines, asks again)
_MODULE_MARKERS: weakref.WeakKeyDictionary[ModuleType, frozenset[str]] = weakref.WeakKeyDictionary()


def module_markers(module: ModuleType, _seen: set[str] | None = None) -> set[str]:
    """Markers of everything a module uses, following the repository's test helpers (tests.*); computed once per
    module (collection asks for each test and each fixture)."""
    if _seen is None:
        if module not in _MODULE_MARKERS:
            _MODULE_MARKERS[module] = frozenset(module_markers(module, set()))
        return set(_MODULE_MARKERS[module])
    seen = _seen
    if module.__name__ in seen or module.__name__ in RULE_MODULES:
        return set()
    seen.add(module.__name__)
    found = _own_markers(module.__name__) | _cli_markers(module)
    for value in list(vars(module).values()):
        name = _module_name(value)
        if not name or name == module.__name__:
            continue
        found |= _own_markers(name)
        helper = sys.modules.get(name)
        if name.split(".")[0] == "tests" and helper is not None:
            found |= module_markers(helper, seen)
    return found


def _path_markers(nodeid: str) -> set[str]:
    return {m for folder, markers in PATH_MARKERS.items() if nodeid.startswith(folder) for m in markers}


def _fixture_markers(item: pytest.Item) -> set[str]:
    """Markers of the modules that define the fixtures a test uses (conftests, helpers)."""
    info = getattr(item, "_fixtureinfo", None)
    found: set[str] = set()
    for definitions in (info.name2fixturedefs.values() if info else ()):
        for definition in definitions:
            module = sys.modules.get(getattr(definition.func, "__module__", "") or "")
            if module is not None:
                found |= module_markers(module)
    return found


def item_markers(item: pytest.Item) -> set[str]:
    """Every tier marker a collected test gets."""
    found = _path_markers(item.nodeid) | _fixture_markers(item)
    module = getattr(item, "module", None)
    if module is not None:
        found |= module_markers(module)
    return found


def mark_tiers(items: list[pytest.Item]) -> None:
    """Add the tier markers to each collected test (pytest_collection_modifyitems)."""
    for item in items:
        for marker in sorted(item_markers(item)):
            item.add_marker(marker)
