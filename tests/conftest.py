"""Shared fixtures: the repository's course and disposable copies of it."""
from __future__ import annotations

import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from mda_checks.course import Course
from tests import tiers

REPO = Path(__file__).resolve().parents[1]
COURSE = Course(REPO)
ASSIGNMENTS = COURSE.assignments()

# Kernels never import the grader-only reference: only the trusted grading step does.
os.environ.setdefault("MPLBACKEND", "Agg")
# A trainer's shared gradebook (docs/formateur.md « Carnet de notes partagé ») is never the tests' gradebook.
os.environ.pop("MDA_GRADEBOOK_URL", None)
# Grading tests run in the sandbox, as a real course is graded (`make install` installs bubblewrap): grading
# without isolation is for a demonstration copy only (docs/bac-a-sable.md), never a default of the tests.
os.environ.pop("MDA_CORRECTION_SANS_ISOLATION", None)


# `make test-rapide` (MDA_TEST_RAPIDE=1): no kernel, no sandbox. The guard refuses every launch, here and in
# every subprocess (sitecustomize on PYTHONPATH), and logs it so that a launch caught by the code under test
# still fails its test (tests/fast_tier_guard).
GUARD = REPO / "tests" / "fast_tier_guard"
RAPIDE = os.environ.get("MDA_TEST_RAPIDE") == "1"
if RAPIDE:
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH")]))
    if "MDA_TEST_JOURNAL_LANCEMENTS" not in os.environ:  # the controller: one fresh journal for the run
        journal = Path(tempfile.gettempdir()) / f"mda-test-rapide-{os.getpid()}.tsv"
        journal.unlink(missing_ok=True)
        os.environ["MDA_TEST_JOURNAL_LANCEMENTS"] = str(journal)
    from tests.fast_tier_guard import sitecustomize as fast_tier_guard
    fast_tier_guard.install()


# Hypothesis: every property test is derandomised (reproducible CI, no example database); how many examples
# it draws is the profile's. `make test` (CI) draws the counts each test asks for, which find the known slips;
# `make test-rapide` caps them at the « rapide » profile's.
settings.register_profile("complet", deadline=None, derandomize=True, database=None)
settings.register_profile("rapide", settings.get_profile("complet"), max_examples=5)
settings.load_profile("rapide" if RAPIDE else "complet")


#: whole cases (a bloc's data drawn, its reference run, its copies scored) a sweep draws in make test-rapide
RAPIDE_CASES = 2


def examples(full: int) -> int:
    """Examples a property test draws: `full` in make test, at most the « rapide » profile's in make test-rapide."""
    return min(full, settings.default.max_examples) if RAPIDE else full


def cases(full: int) -> int:
    """Whole cases a sweep draws (seeds, variants): `full` in make test, RAPIDE_CASES in make test-rapide, where a
    sweep only shows that it still runs; the counts that find the rare coincidences are make test's."""
    return min(full, RAPIDE_CASES) if RAPIDE else full


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Tier markers from paths, modules used and fixtures (tests/tiers.py), never by hand; and a test without an
    xdist group runs in its file's group (below). First: xdist reads the groups in its own implementation of this
    hook (it adds « @group » to each test's id, which is what its scheduler reads), in each test process."""
    tiers.mark_tiers(items)
    group_by_file(items)


def group_by_file(items) -> None:
    """Each test without an xdist group joins its file's group: with ``--dist loadgroup`` a file's tests run in one
    test process, so what the file prepares once (module fixtures, cached cases and courses) is prepared once,
    not once per process that happens to receive one of its tests (docs/mesures/tests.md, « Un fichier, un
    processus »). Groups named by the tests themselves (a bloc, a corpus) are kept."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    """The modules imported and the tests collected live as long as the test process: the cyclic garbage collector
    is off while they are made (its passes took a third of the collection's processor time), then one full pass
    frees what they left and they are frozen, so that it never walks them again (docs/mesures/tests.md,
    « Le ramasse-miettes »)."""
    gc.disable()
    try:
        return (yield)
    finally:
        gc.enable()
        gc.collect()
        gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """One full pass, then freeze: pytest's own clean-up (five passes, for the exceptions raised by finalisers)
    then walks only what that pass left, not the whole heap of a process that ran hundreds of tests."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _outside_a_grading_run():
    """Every test starts outside a grading run: nbgrader's ``utils.setenv`` sets NBGRADER_EXECUTION around an
    in-process autograde and does not restore it when the autograde raises, which would turn a later learner-side
    test of the same worker into a grading run (no traceback, no « Vérifier mon carnet » output)."""
    os.environ.pop("NBGRADER_EXECUTION", None)


@pytest.fixture(autouse=True)
def _no_launch_in_fast_tier(request):
    """In make test-rapide, a test that started a kernel or a sandbox fails, even if the code caught the refusal."""
    yield
    if RAPIDE:
        launches = fast_tier_guard.launches_of(request.node.nodeid)
        if launches:
            pytest.fail(f"make test-rapide : ce test a lancé {', '.join(sorted(set(launches)))} ; "
                        "il doit être marqué par les règles de tests/tiers.py.", pytrace=False)


def skip_missing_tool(reason: str, module_level: bool = False) -> None:
    """Skip a test whose system tool (Chromium, bubblewrap, PostgreSQL) is missing, unless `make install` would have
    installed it (root with apt-get, as in CI): there the absence hides a regression, so the test fails."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        pytest.fail(f"{reason} Or « make install » l'installe sur cette machine (root et apt-get) : "
                    "son absence est une régression, pas une raison d'ignorer ce test.", pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def per_assignment(function_params=ASSIGNMENTS):
    """Parametrize over assignments, one xdist group each (run with --dist loadgroup)."""
    return pytest.mark.parametrize(
        "assignment", [pytest.param(a, marks=pytest.mark.xdist_group(a), id=a) for a in function_params]
    )


def copy_course(destination: Path) -> Course:
    """A throw-away course: the masters, the configuration and the grader-only reference."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "source", destination / "source")
    shutil.copytree(REPO / "mda_reference", destination / "mda_reference",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "nbgrader_config.py", destination / "nbgrader_config.py")
    return Course(destination)


@pytest.fixture
def repo_course() -> Course:
    return COURSE
