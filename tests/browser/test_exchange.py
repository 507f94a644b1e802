"""The exchange cycle in JupyterLab: the trainer releases a bloc, the learner fetches it in the
Assignments panel (Nbgrader › Assignment List), writes an answer and submits, the trainer collects.

The learner's Jupyter finds the course's exchange through the lines `mda echange` gives for
« un Jupyter installé ailleurs » (`mda_checks.exchange.learner_config`), written here into the
first folder of the server's Jupyter configuration path; fetched assignments go to the learner's folder.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config import PyFileConfigLoader

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import ui  # noqa: E402
from tests.browser.ui import ANSWER, ASSIGNMENT, NOTEBOOK, STUB  # noqa: E402

pytestmark = [pytest.mark.xdist_group("bloc2")]

COMMAND_TIMEOUT = 300


def configured_exchange(root: Path) -> str | None:
    """c.Exchange.root of the course's nbgrader_config.py, if it sets one."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return config.Exchange.get("root")


def trainer(root: Path, *command: str) -> subprocess.CompletedProcess:
    """A command of the trainer's, from the course root, with the environment's bin/ on PATH."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([str(bin_dir / command[0]), *command[1:]], cwd=root, env=env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    assert done.returncode == 0, f"{' '.join(command)} :\n{done.stdout}\n{done.stderr}"
    return done


def test_a_learner_fetches_and_submits_a_bloc_in_the_assignments_panel(course_lab, page, shots):
    root, home = course_lab.root, course_lab.learner_home
    exchange = configured_exchange(root)
    try:
        from mda_checks.exchange import learner_config
    except ImportError:
        learner_config = None
    if not exchange or learner_config is None:
        pytest.skip("TODO : pas de dossier d'échange configuré (c.Exchange.root dans nbgrader_config.py, "
                    "mda_checks.exchange) : le cycle récupération / rendu ne peut pas être testé. "
                    "No exchange configured yet.")

    # the trainer: the exchange folder (drwxrwxrwt), then the release of the bloc
    trainer(root, "mda", "echange")
    assert stat.S_IMODE(Path(exchange).stat().st_mode) == 0o1777  # every learner's account may submit there
    trainer(root, "nbgrader", "release_assignment", ASSIGNMENT)
    # the learner's Jupyter: the course's exchange, fetched assignments in the learner's folder
    # (the panel reads nbgrader's configuration again at every request)
    (course_lab.config_dir / "nbgrader_config.py").write_text(
        learner_config(course_lab.graded.course) + f"c.Exchange.assignment_dir = {str(home)!r}\n", encoding="utf-8")

    ui.open_lab(page, course_lab.server, "echange")
    # the menu is already open (the person clicked it a moment ago): `ui.menu` must not close it by
    # clicking its title once more (the race that left a hub test with a closed menu on a busy machine)
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    expect(page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel", has_text="Assignment List")).to_have_count(1)
    ui.menu(page, "Nbgrader", "Assignment List")
    released = page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
    expect(released).to_have_count(1)
    shots("devoirs-publies")
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list > .list_item", has_text=ASSIGNMENT)
    expect(fetched).to_have_count(1)
    fetched_notebook = home / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert fetched_notebook.is_file()
    assert (home / ASSIGNMENT / "data").is_dir()  # the case's data come with the notebooks
    shots("devoir-recupere")

    # the fetched notebook, opened from the panel: one answer, saved
    fetched.locator("a.assignment-notebooks-link").click()
    fetched.get_by_role("link", name=NOTEBOOK).click()
    ui.wait_for_kernel(page)
    answer = ui.cell_with(page, STUB)
    ui.replace_source(page, answer, ANSWER)
    ui.save(page)
    assert ANSWER in fetched_notebook.read_text(encoding="utf-8")
    ui.show(page, ui.cell_with(page, ANSWER))
    shots("reponse-dans-le-devoir")

    # back to the panel: submit
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    fetched.get_by_role("button", name="Submit").click()
    submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
    expect(submitted.first).to_be_visible()
    shots("devoir-rendu")

    # the trainer collects: the learner's answer is in submitted/
    trainer(root, "nbgrader", "collect", ASSIGNMENT)
    collected = sorted(root.glob(f"submitted/*/{ASSIGNMENT}/{NOTEBOOK}.ipynb"))
    assert len(collected) == 1, collected
    assert ANSWER in collected[0].read_text(encoding="utf-8")
