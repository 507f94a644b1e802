"""A learner's day in JupyterLab: Run All on a fresh workbook, one answer, its check, « Vérifier mon carnet »."""
from __future__ import annotations

import nbformat
import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from mda_apprenant.check.notebook_check import notebook_report  # noqa: E402
from mda_checks.notebook import cells  # noqa: E402
from tests.browser import ui  # noqa: E402
from tests.browser.ui import ANSWER, ASSIGNMENT, NOTEBOOK, STUB  # noqa: E402
from tests.browser.lab import KERNEL_WAIT_MS  # noqa: E402

pytestmark = [pytest.mark.xdist_group("bloc2")]

#: the start of the first question's check cell
CHECK = 'Quantity("Nombre de lignes en double"'
VERIFY = "verifier_carnet()"
CHECK_HEADER = "# Vérification (ne pas modifier cette cellule)"


def test_a_learner_runs_a_fresh_workbook_answers_one_question_and_checks_the_notebook(course_lab, page, shots):
    path = course_lab.learner_copy(ASSIGNMENT, NOTEBOOK, folder=f"essai-{ASSIGNMENT}")
    released = nbformat.read(path, as_version=4)
    check_cells = [c for c in released.cells if cells.is_autograded_test(c)]
    questions = len(notebook_report(path, namespace={}).states)  # computed and written answers
    assert len(check_cells) >= 5 and questions > len(check_cells)

    ui.open_notebook(page, course_lab.server, "apprenant", course_lab.lab_path(path))
    shots("carnet-ouvert")

    # Run › Run All Cells on the untouched copy: every check says « non traité », nothing breaks
    ui.run_all(page)
    verify = ui.cell_with(page, VERIFY)
    expect(ui.outputs(verify)).to_contain_text(f"0 réponse(s) prête(s) sur {questions}", timeout=KERNEL_WAIT_MS)
    shots("tout-execute")
    texts = page.locator(ui.OUTPUT).all_text_contents()
    assert not [t for t in texts if "Traceback" in t or "Error:" in t], "a Python error reached the learner"
    expect(page.locator(ui.STDERR)).to_have_count(0)
    checks = page.locator(ui.CELLS).filter(has=page.locator(".jp-InputArea", has_text=CHECK_HEADER))
    expect(checks).to_have_count(len(check_cells))
    for index in range(len(check_cells)):
        shown = ui.outputs(checks.nth(index))
        expect(shown).to_have_count(1)
        expect(shown).to_contain_text("non traité")
        expect(shown).to_contain_text("la question n'est pas traitée")
    ui.show(page, ui.outputs(checks.first))
    shots("verifications-non-traitees")

    # one answer typed in its cell, then the answer and its check cell run with Shift + Enter
    answer = ui.cell_with(page, STUB)
    ui.replace_source(page, answer, ANSWER)
    page.keyboard.press("Shift+Enter")
    check = ui.cell_with(page, CHECK)
    expect(page.locator(f"{ui.CELLS}.jp-mod-active")).to_contain_text(CHECK)  # Shift + Enter moved on to it
    page.keyboard.press("Shift+Enter")
    expect(ui.outputs(check)).to_contain_text("format valide", timeout=KERNEL_WAIT_MS)
    expect(ui.outputs(check)).to_contain_text("Votre réponse")
    expect(ui.outputs(check)).not_to_contain_text("non traité")
    ui.show(page, check)
    shots("reponse-et-verification")

    # « Vérifier mon carnet » reads the saved notebook: save, then run the last cell
    ui.save(page)
    assert ANSWER in path.read_text(encoding="utf-8")
    verify.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    shown = ui.outputs(verify)
    expect(shown).to_contain_text(f"1 réponse(s) prête(s) sur {questions}", timeout=KERNEL_WAIT_MS)
    expect(shown).to_contain_text(f"{questions - 1} réponse(s) à reprendre")
    expect(shown.locator("table th")).to_have_text(["Question", "Type", "État", "Ce qu'il reste à faire"])
    # the answered question left the table of what remains to do; the others are still there
    expect(shown.locator("table")).not_to_contain_text("Nombre de lignes en double")
    expect(shown.locator("table")).to_contain_text("TCAM du marché")
    expect(shown).not_to_contain_text("Traceback")
    ui.show(page, verify)
    shots("verifier-mon-carnet")
