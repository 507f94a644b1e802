"""The trainer's dashboard in JupyterLab: Run All, choose a learner and a status, export the view.

The notebook is the repository's `formateur/tableau_de_bord_promotion.ipynb`, copied into the lab's
graded bloc2 course as it sits in a trainer's course; its widgets read that course's gradebook.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from mda_checks.report.competencies import ACQUIRED  # noqa: E402
from mda_checks.report.dashboard import Filters, filter_view, load_promotion  # noqa: E402
from tests.browser import ui  # noqa: E402
from tests.browser.lab import KERNEL_WAIT_MS  # noqa: E402
from tests.conftest import REPO  # noqa: E402
from tests.e2e.harness import SLIPS, SOLVED  # noqa: E402

pytestmark = [pytest.mark.xdist_group("bloc2")]

NOTEBOOK = Path("formateur") / "tableau_de_bord_promotion.ipynb"
BOARD = ".mda-tableau-de-bord"
VIEW_ROWS = f"{BOARD} table[data-tableau='vue'] tbody tr"


def dropdown(page, label: str):
    """The <select> of the dashboard's drop-down list named `label`."""
    named = page.locator(".widget-dropdown").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))
    expect(named).to_have_count(1)
    return named.locator("select")


def run_until_board(page, attempts: int = 3) -> None:
    """Run All until the dashboard shows without an error. On a busy machine a kernel dialog answered
    while the first cell imports can interrupt it (KeyboardInterrupt, then NameError in the next cell):
    the outputs are cleared and everything runs again, as a person would (the dashboard only reads)."""
    board, errors = page.locator(BOARD), page.locator(ui.STDERR)
    for attempt in range(attempts):
        ui.run_all(page)
        expect(board.or_(errors).first).to_be_visible(timeout=KERNEL_WAIT_MS)
        if errors.count() == 0:
            return
        if attempt < attempts - 1:
            ui.wait_for_kernel(page)
            ui.menu(page, "Edit", "Clear Outputs of All Cells")
            expect(errors).to_have_count(0)
    expect(errors).to_have_count(0)


def test_a_trainer_filters_the_promotion_opens_a_learner_and_exports_the_view(course_lab, page, shots):
    root = course_lab.root
    target = root / NOTEBOOK
    target.parent.mkdir(exist_ok=True)
    shutil.copy(REPO / NOTEBOOK, target)
    promotion = load_promotion(root)  # what the page must show, read here from the same gradebook
    everyone, criteria = len(promotion.grid), len(promotion.criteria("bloc2"))
    acquired = len(filter_view(promotion.grid, Filters(apprenant=SOLVED, statut=ACQUIRED)))
    assert everyone == 3 * criteria and acquired > 0
    exports = set((root / "exports").glob("tableau_de_bord_*.xlsx"))
    written = None
    try:
        ui.open_notebook(page, course_lab.server, "formateur", course_lab.lab_path(target))
        run_until_board(page)
        expect(page.locator(BOARD)).to_be_visible(timeout=KERNEL_WAIT_MS)
        rows = page.locator(VIEW_ROWS)
        expect(rows).to_have_count(everyone, timeout=KERNEL_WAIT_MS)
        expect(page.locator(BOARD)).to_contain_text(f"{everyone} ligne(s)")
        expect(page.locator(ui.STDERR)).to_have_count(0)
        shots("promotion")

        # one learner: their rows only, then their variant and the messages of the grading
        dropdown(page, "Apprenant").select_option(label=SLIPS)
        expect(rows).to_have_count(criteria, timeout=KERNEL_WAIT_MS)
        for text in rows.all_text_contents():
            assert SLIPS in text, text
        detail = page.locator(f"{BOARD} h3[data-apprenant='{SLIPS}']")
        expect(detail).to_be_visible()
        expect(page.locator(f"{BOARD} table[data-tableau='blocs']")).to_contain_text(re.compile(r"variante V-[0-9A-F]{6}"))
        messages = page.locator(f"{BOARD} table[data-tableau='messages'] tbody tr")
        expect(messages.first).to_be_visible()
        expect(page.locator(f"{BOARD} table[data-tableau='messages']")).to_contain_text("Cause probable")
        ui.show(page, detail)
        shots("un-apprenant")

        # another learner and one status: the table changes to their acquired criteria
        dropdown(page, "Apprenant").select_option(label=SOLVED)
        dropdown(page, "Statut").select_option(label=ACQUIRED)
        # each widget change refreshes the view in turn: wait for the view of both filters, not just its size
        # (the view of the learner alone may have as many rows), then read it
        expect(rows.filter(has_not_text=SOLVED)).to_have_count(0, timeout=KERNEL_WAIT_MS)
        expect(page.locator(f"{VIEW_ROWS} td.statut:not([data-statut='{ACQUIRED}'])")).to_have_count(
            0, timeout=KERNEL_WAIT_MS)
        expect(rows).to_have_count(acquired, timeout=KERNEL_WAIT_MS)
        for text in rows.all_text_contents():
            assert SOLVED in text, text
        assert set(page.locator(f"{VIEW_ROWS} td.statut").evaluate_all(
            "cells => cells.map(c => c.dataset.statut)")) == {ACQUIRED}
        expect(page.locator(f"{BOARD} .mda-resume")).to_contain_text(f"{acquired} ligne(s)")
        ui.show(page, rows.first)
        shots("acquis-d-un-apprenant")

        # the export: a workbook in exports/, its path shown, the rows of the view in it
        page.locator(f"{BOARD} button", has_text="Exporter la vue (Excel)").click()
        shown = page.locator(f"{BOARD} .mda-export")
        expect(shown).to_contain_text(re.compile(r"Vue exportée : exports/tableau_de_bord_\d{8}-\d{6}(-\d+)?\.xlsx"),
                                      timeout=KERNEL_WAIT_MS)
        written = Path(shown.get_attribute("data-chemin"))
        assert written.is_file() and written.parent == root / "exports" and written not in exports
        sheet = openpyxl.load_workbook(written)["Vue"]
        assert sheet.max_row == 1 + acquired
        assert {sheet.cell(row=i, column=5).value for i in range(2, sheet.max_row + 1)} == {ACQUIRED}
        ui.show(page, shown)
        shots("export")
    finally:
        if written is not None:
            written.unlink(missing_ok=True)  # the graded course is shared with the bloc's other tests
