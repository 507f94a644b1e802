"""What a person does in JupyterLab, as Playwright steps (JupyterLab 4, English menus)."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.lab import KERNEL_WAIT_MS, LabServer

#: the workbook both the learner's and the exchange tests open, and its first question
ASSIGNMENT, NOTEBOOK = "bloc1", "01_veille_concurrence"
STUB = "nb_doublons = ..."
ANSWER = "nb_doublons = int(marche.duplicated().sum())"

CELLS = ".jp-Notebook .jp-Cell"
OUTPUT = ".jp-OutputArea-output"
#: an error or a warning written by the kernel is shown in a red box with this MIME type
STDERR = f"{OUTPUT}[data-mime-type='application/vnd.jupyter.stderr']"
#: one round of `menu`: the menu opened, or opened again (a busy machine draws it late, never this late)
MENU_ROUND_MS = 20_000


def open_lab(page: Page, server: LabServer, workspace: str, path: str = "") -> None:
    """JupyterLab at `path` (a notebook, or the bare lab) in a workspace of its own: nothing another
    test opened comes back (a `?reset` address would reset the workspace again on later clicks)."""
    page.goto(server.url(f"lab/workspaces/{workspace}" + (f"/tree/{path}" if path else "")))
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=KERNEL_WAIT_MS)


def open_notebook(page: Page, server: LabServer, workspace: str, path: str) -> None:
    open_lab(page, server, workspace, path)
    expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=KERNEL_WAIT_MS)
    wait_for_kernel(page)


def wait_for_kernel(page: Page) -> None:
    """Until the notebook's kernel has started and is idle (a busy machine: up to 2 minutes)."""
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator")
           ).to_have_attribute("data-status", "idle", timeout=KERNEL_WAIT_MS)


def menu(page: Page, title: str, item: str, attempts: int = 6) -> None:
    """A command of the menu bar, e.g. menu(page, "Run", "Run All Cells").

    A click on the menu's title toggles it: one that lands while the menu is still open (a menu just
    closed by Escape and not yet redrawn on a busy machine) closes it, and the command never shows.
    As a person would, the title is clicked again until the command is there; each round waits
    generously, and the last one gives Playwright's own message."""
    title_item = page.locator(".lm-MenuBar-item", has_text=title).first
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^\s*{re.escape(item)}\s*$"))
    command = page.locator(".lm-Menu-item:visible").filter(has=label)  # not « Restart Kernel and Run All Cells… »
    for attempt in range(attempts):
        if not command.count():
            title_item.click()
        try:
            command.click(timeout=MENU_ROUND_MS if attempt < attempts - 1 else None)
            return
        except PlaywrightTimeout:  # closed again, or still being drawn: looked at afresh (no Escape: it would
            if attempt == attempts - 1:  # dismiss a kernel dialog that `run_all` answers)
                raise


def accept_kernel_dialog(page: Page, attempts: int = 30) -> None:
    """A busy lab may ask which kernel to use (« Select Kernel »): the notebook's own, Python 3.

    A click that lands while the dialog is still being drawn is lost, and the lab may ask again
    once its session is rebuilt: the dialog is answered until none is left (up to about 60 s)."""
    dialog = page.locator(".jp-Dialog")
    for _ in range(attempts):
        if not (dialog.count() and dialog.first.is_visible()):
            return
        try:
            dialog.first.locator("button.jp-mod-accept").click(timeout=5_000)
        except PlaywrightTimeout:  # gone, or replaced, meanwhile: looked at again
            pass
        page.wait_for_timeout(2_000)
    expect(dialog).to_have_count(0)


def run_all(page: Page, attempts: int = 4) -> None:
    """Run › Run All Cells, until the last code cell has started.

    On a busy machine a kernel that has only just said « idle » may let a Run All go by (the menu is
    drawn, the command does nothing), or ask which kernel to use and drop the cells still queued. A
    prompt turns « [*]: » as soon as its cell is queued, before the kernel runs anything, so this wait
    never includes a kernel's start-up; a lost Run All is simply made again, as a person would (the
    tests that use it only read, or set variables again to the same values)."""
    prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").last
    not_started = re.compile(r"^\s*\[\s*\]:?\s*$")
    for attempt in range(attempts):
        accept_kernel_dialog(page)
        try:
            menu(page, "Run", "Run All Cells")
        except PlaywrightTimeout:  # a dialog came up in front of the menu: answered on the next round
            continue
        for _ in range(10):  # up to 20 s for the page to show the queued cells
            page.wait_for_timeout(2_000)
            accept_kernel_dialog(page)
            if not not_started.match(prompt.inner_text()):
                return
        if attempt < attempts - 1:
            wait_for_kernel(page)
    raise AssertionError(f"Run All Cells n'a lancé aucune cellule après {attempts} essais")


def cell_with(page: Page, code: str) -> Locator:
    """The notebook cell whose source contains `code`."""
    found = page.locator(CELLS).filter(has=page.locator(".jp-InputArea", has_text=code))
    expect(found).to_have_count(1)
    return found


def outputs(cell: Locator) -> Locator:
    return cell.locator(OUTPUT)


def replace_source(page: Page, cell: Locator, code: str) -> None:
    """Click into a code cell, select everything and type `code` instead (no auto-closed brackets)."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def save(page: Page, attempts: int = 6) -> None:
    """Ctrl + S, until the tab no longer shows unsaved changes.

    A notebook whose kernel has just started can be changed again right after a save (JupyterLab
    writes the kernel's language_info into its metadata): save again, as a person would."""
    dirty = page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
    for _ in range(attempts - 1):
        page.keyboard.press("Control+S")
        try:
            expect(dirty).to_have_count(0, timeout=10_000)
            return
        except AssertionError:
            continue
    page.keyboard.press("Control+S")
    expect(dirty).to_have_count(0)


def show(page: Page, element: Locator) -> None:
    """Scroll `element` to the middle of its view and let the page paint it (before a screenshot)."""
    element.evaluate("e => e.scrollIntoView({block: 'center'})")
    expect(element).to_be_in_viewport()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
