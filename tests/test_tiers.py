"""The tier markers come from what a test uses, and the fast tier really starts no kernel."""
from __future__ import annotations

import importlib
import os
import sys
import textwrap
from types import ModuleType

import pytest

from tests import tiers
from tests.conftest import GUARD, REPO

pytest_plugins = ["pytester"]


def _module(name: str, **values) -> ModuleType:
    module = ModuleType(name)
    vars(module).update(values)
    return module


def test_a_module_using_a_kernel_library_is_kernel_tier_and_a_plain_one_has_no_tier():
    import json

    import nbclient

    assert tiers.module_markers(_module("tests.x.test_k", nbclient=nbclient)) == {"kernel"}
    assert tiers.module_markers(_module("tests.x.test_plain", json=json)) == set()


def test_a_function_imported_from_a_grading_run_makes_the_module_e2e():
    from mda_checks.grade.runs.cohort import run_grading

    assert tiers.module_markers(_module("tests.x.test_run", run_grading=run_grading)) >= {"e2e", "kernel"}


def test_a_launcher_reached_through_a_test_helper_marks_the_test(monkeypatch):
    import nbclient

    helper = _module("tests.x.helper_of_helper", nbclient=nbclient)
    monkeypatch.setitem(sys.modules, helper.__name__, helper)

    def run_it():
        pass

    run_it.__module__ = helper.__name__
    middle = _module("tests.x.helper", run_it=run_it)
    monkeypatch.setitem(sys.modules, middle.__name__, middle)
    uses = _module("tests.x.test_uses", helper=middle)
    assert tiers.module_markers(uses) == {"kernel"}


def _module_with(name: str, source: str) -> ModuleType:
    module = ModuleType(name)
    exec(compile(textwrap.dedent(source), name, "exec"), vars(module))  # noqa: S102 - the test's own source
    return module


def test_a_module_that_runs_mda_grade_in_process_or_as_a_program_is_e2e_and_one_that_builds_is_not():
    in_process = _module_with("tests.x.test_cli_grade", """
        from mda_checks.cli import main

        def test_grades():
            assert main(["grade", "bloc1", "--workers", "1"]) == 0
    """)
    program = _module_with("tests.x.test_program_grade", """
        import subprocess

        def run(*arguments):
            return subprocess.run(["mda", *arguments])

        def test_grades():
            for command in (("grade", "bloc1"), ("feedback", "bloc1")):
                run(*command)
    """)
    builds = _module_with("tests.x.test_cli_build", """
        from mda_checks.cli import main

        def test_builds():
            assert main(["build"]) == 0
    """)
    assert tiers.module_markers(in_process) >= {"e2e", "kernel"}
    assert tiers.module_markers(program) >= {"e2e", "kernel"}
    assert tiers.module_markers(builds) == set()


def test_a_module_that_runs_nbgraders_autograde_is_e2e_and_one_that_asks_its_version_is_not():
    program = _module_with("tests.x.test_plain_autograde", """
        import subprocess

        def test_autogrades():
            subprocess.run(["nbgrader", "autograde", "bloc1", "--force"])
    """)
    through_the_api = _module_with("tests.x.test_api_autograde", """
        from mda_checks.nbgrader_api import course_api

        def test_autogrades(root):
            course_api(root).autograde("bloc1", "x", force=True)
    """)
    version = _module_with("tests.x.test_nbgrader_version", """
        import subprocess

        def test_version():
            subprocess.run(["nbgrader", "--version"])
    """)
    assert tiers.module_markers(program) >= {"e2e", "kernel", "sandbox"}
    assert tiers.module_markers(through_the_api) >= {"e2e", "kernel", "sandbox"}
    assert tiers.module_markers(version) == set()


def test_no_test_file_marks_a_tier_by_hand():
    by_hand = [path.relative_to(REPO).as_posix() for path in (REPO / "tests").rglob("*.py")
               if path.name not in {"tiers.py", "test_tiers.py"}
               and any(f"mark.{tier}" in path.read_text(encoding="utf-8") for tier in tiers.TIERS)]
    assert by_hand == []


def test_a_browser_path_is_browser_tier():
    assert tiers._path_markers("tests/browser/test_learner.py::test_x") >= {"browser"}
    assert tiers._path_markers("tests/apprenant/check/test_scalars.py::test_x") == set()


def test_a_fixture_defined_with_a_launcher_marks_the_tests_that_use_it(pytester):
    pytester.makeconftest("""
        import pytest
        from nbclient import NotebookClient

        @pytest.fixture
        def executed():
            return NotebookClient
    """)
    using, plain = pytester.getitems("""
        def test_using(executed):
            pass

        def test_plain():
            pass
    """)
    assert tiers.item_markers(using) == {"kernel"}
    assert tiers.item_markers(plain) == set()


@pytest.mark.parametrize("module, expected", [
    ("tests.e2e.test_cycle", {"e2e", "kernel", "sandbox"}),
    ("tests.grade.sandbox.test_warm_kernels", {"kernel"}),
    ("tests.grade.sandbox.test_isolation", {"sandbox"}),
    ("tests.test_exchange", {"e2e", "kernel"}),
    ("tests.grade.test_learner_html", {"e2e", "kernel"}),
    ("tests.collect.test_accounts", {"e2e"}),
    ("tests.copies.test_detection", {"e2e"}),
    ("tests.apprenant.check.test_scalars", set()),
    ("tests.casedata.test_roundings", set()),
])
def test_the_suites_own_modules_get_the_tiers_of_what_they_run(module, expected):
    assert tiers.module_markers(importlib.import_module(module)) >= expected
    if not expected:
        assert tiers.module_markers(importlib.import_module(module)) == set()


def _rapide_run(pytester, source: str):
    """The file run as make test-rapide runs a test: guard on PYTHONPATH, MDA_TEST_RAPIDE=1, own journal."""
    pytester.makeconftest("from tests.conftest import _no_launch_in_fast_tier  # noqa: F401")
    pytester.makepyfile(test_launch=textwrap.dedent(source))
    env = {"MDA_TEST_RAPIDE": "1", "PYTHONPATH": os.pathsep.join([str(GUARD), str(REPO)]),
           "MDA_TEST_JOURNAL_LANCEMENTS": str(pytester.path / "journal.tsv")}
    for key, value in env.items():
        pytester._monkeypatch.setenv(key, value)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")


def test_in_the_fast_tier_a_test_that_starts_a_kernel_fails_and_says_why(pytester):
    result = _rapide_run(pytester, """
        from jupyter_client.manager import start_new_kernel

        def test_starts_a_kernel():
            manager, client = start_new_kernel()
            manager.shutdown_kernel()
    """)
    result.assert_outcomes(failed=1, errors=1)
    result.stdout.fnmatch_lines(["*make test-rapide ne démarre ni noyau ni bac à sable*test_starts_a_kernel*"])


def test_in_the_fast_tier_a_subprocess_with_its_own_environment_is_still_watched(pytester):
    result = _rapide_run(pytester, """
        import subprocess, sys

        def test_kernel_in_a_clean_subprocess():
            code = "from jupyter_client.manager import start_new_kernel; start_new_kernel()"
            subprocess.run([sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin"}, check=False)
    """)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ce test a lancé kernel*"])


def test_in_the_fast_tier_a_launch_the_code_swallows_still_fails_the_test(pytester):
    result = _rapide_run(pytester, """
        import subprocess

        def test_swallows_a_sandbox():
            try:
                subprocess.run(["bwrap", "--version"], check=False)
            except Exception:
                pass
    """)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ce test a lancé sandbox*tests/tiers.py*"])



def _group(item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    return None if mark is None else (mark.args[0] if mark.args else mark.kwargs.get("name"))


def test_this_test_runs_in_its_files_group_and_every_test_has_a_group(request):
    """With --dist loadgroup, a file's tests share one test process (its fixtures are prepared once): xdist's
    scheduler reads the group from the « @group » it adds to each test's id, so the group must be there before."""
    items = request.session.items
    own = {item.nodeid: _group(item) for item in items}
    this_file = request.node.nodeid.split("::", 1)[0]
    assert own[request.node.nodeid] == this_file
    assert not [nodeid for nodeid, group in own.items() if not group]
    if getattr(request.config.option, "loadgroup", False):  # set by xdist in a test process under --dist loadgroup
        assert request.node.nodeid.endswith("@" + this_file), request.node.nodeid
        assert all("@" in item.nodeid for item in items)


def test_a_test_without_a_group_gets_its_files_and_a_named_group_is_kept():
    from tests.conftest import group_by_file

    class Item:
        def __init__(self, nodeid, marks=()):
            self.nodeid, self.marks = nodeid, list(marks)

        def get_closest_marker(self, name):
            return next((m for m in self.marks if m.name == name), None)

        def add_marker(self, mark):
            self.marks.append(mark.mark)

    plain = Item("tests/x/test_a.py::test_one[bloc1]")
    named = Item("tests/x/test_a.py::test_two", [pytest.mark.xdist_group("bloc2").mark])
    group_by_file([plain, named])
    assert (_group(plain), _group(named)) == ("tests/x/test_a.py", "bloc2")
    assert len(named.marks) == 1


def test_property_tests_are_reproducible_and_draw_their_full_counts_in_make_test():
    from tests.scoring.test_answer_schema import SETTINGS

    assert SETTINGS.derandomize and SETTINGS.database is None and SETTINGS.deadline is None
    if os.environ.get("MDA_TEST_RAPIDE") != "1":
        assert SETTINGS.max_examples == 150


def test_make_test_rapide_draws_the_rapide_profiles_fewer_examples():
    import subprocess

    code = ("from tests.conftest import cases; from tests.reference.test_seed_sweep import SEEDS_PER_BLOC as n; "
            "print(n, cases(8))")
    counts = {flag: subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                                   env={**os.environ, "MDA_TEST_RAPIDE": flag}).stdout.strip()
              for flag in ("0", "1")}
    assert counts == {"0": "20 8", "1": "5 2"}  # property examples: the profile's 5; whole cases (cases()): 2


@pytest.mark.parametrize("root, apt_get, outcome", [
    (True, "/usr/bin/apt-get", pytest.fail.Exception),   # make install would have installed it: a regression
    (False, "/usr/bin/apt-get", pytest.skip.Exception),  # not root: make install cannot, the test says why
    (True, None, pytest.skip.Exception),                 # no apt-get: same
])
def test_a_missing_system_tool_fails_where_make_install_provides_it_and_skips_elsewhere(monkeypatch, root, apt_get,
                                                                                      outcome):
    from tests import conftest

    monkeypatch.setattr(conftest.os, "geteuid", lambda: 0 if root else 1000)
    monkeypatch.setattr(conftest.shutil, "which", lambda name: apt_get if name == "apt-get" else None)
    with pytest.raises(outcome, match="Chromium absent"):
        conftest.skip_missing_tool("Chromium absent.")
