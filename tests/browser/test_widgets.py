"""The learners' what-if tools in a real JupyterLab: a solved workbook is run, a slider is moved with
the keyboard, and the chart and the result text change (bloc 1 notebook 04, bloc 4 notebook 04).

These tests need no graded course: they start their own JupyterLab on a folder holding the learner's
copy with the answers filled in (as a learner who has worked through the questions), so they run on
their own in well under a minute of browser time."""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from mda_checks.demo.submissions import solved  # noqa: E402
from tests.browser import ui  # noqa: E402
from tests.browser.conftest import Screenshots, browser_page  # noqa: E402
from tests.browser.lab import KERNEL_WAIT_MS, start_lab  # noqa: E402
from tests.conftest import COURSE, REPO  # noqa: E402

pytestmark = [pytest.mark.xdist_group("widgets-browser")]

KERNEL_IDLE = re.compile(r"Python 3 \(ipykernel\) \| Idle")
RESULT = ".mda-simulation-resultat"
CHART = ".mda-simulation-graphique"


@pytest.fixture(scope="module")
def widget_lab(chromium, tmp_path_factory):
    """A JupyterLab serving a learner's folder: the solved copies of the two workbooks with a tool."""
    root = tmp_path_factory.mktemp("simulateurs")
    for assignment, notebook in (("bloc1", "04_budget_rentabilite"), ("bloc4", "04_rapport_crise")):
        folder = root / assignment
        shutil.copytree(REPO / "release" / assignment / "data", folder / "data")
        release = nbformat.read(REPO / "release" / assignment / f"{notebook}.ipynb", as_version=4)
        master = COURSE.read_source(assignment)[notebook]
        nbformat.write(solved(release, master), folder / f"{notebook}.ipynb")
    server = start_lab(root, tmp_path_factory.mktemp("jupyterlab-simulateurs"))
    yield server
    server.stop()


@pytest.fixture
def lab_page(browser, widget_lab, request, tmp_path):
    yield from browser_page(browser, widget_lab, request, tmp_path)


def _run_to_the_tool(page, server, path: str, call: str, tool: str, shots):
    """Open the workbook, Run All Cells, and return the tool's live widget once it is drawn."""
    ui.open_notebook(page, server, f"simulateurs-{path.split('/')[0]}", path)
    # the notebook's own kernel is started and connected (not « No Kernel | Initializing »)
    expect(page.locator("#jp-main-statusbar")).to_contain_text(KERNEL_IDLE, timeout=KERNEL_WAIT_MS)
    shots("carnet-ouvert")
    ui.run_all(page)
    shots("tout-execute")
    cell = ui.cell_with(page, call)
    widget = ui.outputs(cell).locator(tool)
    expect(widget).to_be_visible(timeout=KERNEL_WAIT_MS)
    expect(widget.locator(RESULT)).not_to_be_empty(timeout=KERNEL_WAIT_MS)
    expect(widget.locator(f"{CHART}[src^='blob:']")).to_have_count(1, timeout=KERNEL_WAIT_MS)
    _reveal(page, widget.locator(RESULT))
    return cell, widget


def _reveal(page, element, attempts: int = 10) -> None:
    """Scroll `element` into view, again while JupyterLab settles the heights of the cells above it
    (its windowed notebook measures charts as they are drawn, which can shift the page)."""
    for attempt in range(attempts):
        element.evaluate("e => e.scrollIntoView({block: 'center'})")
        try:
            expect(element).to_be_in_viewport(timeout=3_000)
            break
        except AssertionError:
            if attempt == attempts - 1:
                raise
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _press(page, handle, key: str, times: int) -> None:
    """A person moving a slider with the keyboard: focus its handle, press the arrow key."""
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def test_the_break_even_sliders_redraw_the_chart_and_the_result(widget_lab, lab_page, tmp_path):
    shots = Screenshots(lab_page, tmp_path)
    cell, widget = _run_to_the_tool(lab_page, widget_lab, "bloc1/04_budget_rentabilite.ipynb",
                                    "break_even_explorer(", ".mda-simulateur-seuil", shots)
    shots("simulateur-seuil-depart")
    result = widget.locator(RESULT)
    expect(result).to_contain_text("Au départ : vos réponses")  # the solved copy's own answers, as they are
    expect(result).to_contain_text("Seuil de rentabilité :")
    expect(result).to_contain_text("Résultat prévisionnel :")
    expect(result).not_to_contain_text("écart avec le départ")
    before_text = result.text_content()
    before_src = widget.locator(CHART).get_attribute("src")
    fixed = widget.locator(".mda-curseur-fixed-costs")
    before_readout = fixed.locator("xpath=..").inner_text()

    # higher fixed costs: a higher threshold, a lower result, a new chart
    _press(lab_page, fixed.locator(".noUi-handle"), "ArrowRight", 5)
    expect(result).to_contain_text("écart avec le départ : −", timeout=KERNEL_WAIT_MS)
    expect(result).to_contain_text("formules du carnet appliquées à votre synthèse")
    expect(result).not_to_have_text(before_text)
    expect(widget.locator(CHART)).not_to_have_attribute("src", before_src or "", timeout=KERNEL_WAIT_MS)
    expect(fixed.locator("xpath=..")).not_to_have_text(before_readout)
    threshold_before = before_text.split("Seuil de rentabilité :")[1].split("€")[0]
    assert threshold_before not in result.inner_text().split("Seuil de rentabilité :")[1].split("€")[0]
    _reveal(lab_page, widget.locator(RESULT))
    shots("simulateur-seuil-charges-fixes")

    # a higher price: the result gets better than at the start
    reset = widget.get_by_role("button", name="Revenir au budget de départ")
    reset.click()
    expect(result).to_have_text(before_text, timeout=KERNEL_WAIT_MS)
    _press(lab_page, widget.locator(".mda-curseur-price .noUi-handle"), "ArrowRight", 3)
    expect(result).to_contain_text("écart avec le départ : +", timeout=KERNEL_WAIT_MS)
    expect(lab_page.locator(ui.STDERR)).to_have_count(0)
    _reveal(lab_page, widget.locator(RESULT))
    shots("simulateur-seuil-prix")


def test_the_risk_controls_move_a_risk_across_the_zones(widget_lab, lab_page, tmp_path):
    shots = Screenshots(lab_page, tmp_path)
    cell, widget = _run_to_the_tool(lab_page, widget_lab, "bloc4/04_rapport_crise.ipynb",
                                    "risk_explorer(", ".mda-simulateur-risques", shots)
    result = widget.locator(RESULT)
    # the case's first risk and zones, read from the learner's data (the solved copy's answer is computed from them)
    import pandas as pd

    data = REPO / "release" / "bloc4" / "data"
    risk = pd.read_csv(data / "registre_risques.csv").iloc[0]
    zones = pd.read_csv(data / "zones_criticite.csv")

    def zone(criticality: int) -> str:
        return zones.loc[(zones.criticite_min <= criticality) & (criticality <= zones.criticite_max), "zone"].iloc[0]

    probability, gravity = int(risk.probabilite), int(risk.gravite)
    assert probability > 1 and zone(probability * gravity) != zone(gravity), "le cas ne permet pas de changer de zone"
    # the start: the learner's own criticality and zone (the solved copy's), nothing recomputed
    expect(result).to_contain_text(f"Au départ (votre matrice, question 5) : probabilité {probability}, gravité "
                                   f"{gravity}, criticité {probability * gravity}, zone « {zone(probability * gravity)} »")
    expect(result).not_to_contain_text("Position simulée")
    before_src = widget.locator(CHART).get_attribute("src")
    shots("simulateur-risques-depart")

    # a prevention measure: the probability drops to 1, the risk changes zone
    _press(lab_page, widget.locator(".mda-curseur-probabilite .noUi-handle"), "ArrowLeft", probability - 1)
    expect(result).to_contain_text(f"Position simulée : probabilité 1 × gravité {gravity} = criticité {gravity}, "
                                   f"zone « {zone(gravity)} »", timeout=KERNEL_WAIT_MS)
    expect(widget.locator(CHART)).not_to_have_attribute("src", before_src or "", timeout=KERNEL_WAIT_MS)
    expect(lab_page.locator(ui.STDERR)).to_have_count(0)
    _reveal(lab_page, widget.locator(RESULT))
    shots("simulateur-risques-prevention")
