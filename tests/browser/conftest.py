"""Fixtures of the browser tests: one JupyterLab server and one Chromium per test session.

The server serves a graded copy of the course (bloc2, from the e2e harness: the browser tests
share the « bloc2 » xdist group, so under `make test` the grading is done once for both), runs
from its root (formgrader reads the course's nbgrader_config.py there) and hosts the learner's
folder, `apprenant/`, inside it. Every step of a test leaves a screenshot in the test's tmp
folder, and a failing test leaves one more (`echec.png`) with the server's log next to it.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.lab import WAIT_MS, LabServer, find_chromium, start_lab
from tests.conftest import REPO, skip_missing_tool
from tests.e2e.harness import GradedCourse, graded_course

#: the bloc graded for the trainer's day: its workbooks have a learner's chart and the jury's grids
BLOC = "bloc2"


@dataclass
class CourseLab:
    """The running server, its graded course and the learner's folder in it."""

    graded: GradedCourse
    server: LabServer
    learner_home: Path
    config_dir: Path  # read by nbgrader in the server before any other configuration but the course's

    @property
    def root(self) -> Path:
        return self.graded.course.root

    def learner_copy(self, assignment: str, notebook: str, folder: str) -> Path:
        """A released notebook and its data, copied into the learner's folder as a learner gets them."""
        target = self.learner_home / folder
        target.mkdir(parents=True, exist_ok=True)
        release = REPO / "release" / assignment
        shutil.copy(release / f"{notebook}.ipynb", target)
        if (release / "data").is_dir():
            shutil.copytree(release / "data", target / "data", dirs_exist_ok=True)
        return target / f"{notebook}.ipynb"

    def lab_path(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


@pytest.fixture(scope="session")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        skip_missing_tool("Chromium absent : les tests dans le navigateur ne peuvent pas tourner "
                    "(« make install » l'installe en root avec apt-get, sinon : apt-get install chromium). "
                    "Chromium is missing: browser tests skipped (apt-get install chromium).")
    return found


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium per test module, stopped after it: a running Playwright session keeps an event loop in the
    test process's main thread, which other tests of the same worker must never inherit (Dask's client,
    Playwright's own synchronous API in the jury's PDF printer)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright absent : « make install » (extra [test]). Playwright is missing: pip install -e '.[test]'.")
    sync_api.expect.set_options(timeout=WAIT_MS)  # a busy CI machine: no assertion gives up after 5 s
    playwright = sync_api.sync_playwright().start()
    # --no-sandbox: CI runs as root, where Chromium's own sandbox cannot start
    launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-dev-shm-usage"])
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture(scope="session")
def course_lab(chromium, tmp_path_factory) -> CourseLab:
    graded = graded_course(BLOC)
    # the learner's steps work on bloc 1 (tests/browser/ui.py); the harness built only the graded bloc
    from mda_checks.assign.build import build_course
    from tests.browser.ui import ASSIGNMENT as LEARNER_BLOC

    if not (graded.course.release / LEARNER_BLOC).is_dir():
        build_course(graded.course, [LEARNER_BLOC])
    state = tmp_path_factory.mktemp("jupyterlab")
    learner_home = graded.course.root / "apprenant"
    learner_home.mkdir(exist_ok=True)
    server = start_lab(graded.course.root, state)
    yield CourseLab(graded, server, learner_home, state / "nbgrader")
    server.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Screenshots:
    """`shots("name")` writes NN-name.png in the test's tmp folder, for a person to look at."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0

    def __call__(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        return path


def browser_page(browser, server: LabServer, request, tmp_path):
    """A fresh browser page for one test; on failure, a screenshot and the server's log beside it.

    Afterwards the server's kernels are shut down: the next test (or the rest of the worker's
    tests) gets the memory back."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    opened = context.new_page()
    yield opened
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        try:
            opened.screenshot(path=str(tmp_path / "echec.png"))
        except Exception:  # noqa: BLE001 - the test's own failure is what matters
            pass
        shutil.copy(server.log, tmp_path / "jupyterlab.log")
    context.close()
    server.shutdown_kernels()


@pytest.fixture
def page(browser, course_lab, request, tmp_path):
    yield from browser_page(browser, course_lab.server, request, tmp_path)


@pytest.fixture
def shots(page, tmp_path) -> Screenshots:
    return Screenshots(page, tmp_path)
