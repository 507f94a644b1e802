"""Accessibility checked by a real tool: axe-core (axe-playwright-python) in Debian's Chromium finds no serious or
critical violation on what learners, trainers and the jury read: feedback pages, reports/index.html, a learner's
report page, the jury's minutes and a livret (their HTML, the source of their PDF).

The pages come from a copy of the graded bloc2 course (the e2e harness's, shared with the other browser tests).
The charts keep French text alternatives, and the heat map's colours only repeat a letter."""
from __future__ import annotations

import html
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install ». Playwright is missing.")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                 reason="axe-playwright-python absent : « make install » (extra [test]).")

from mda_checks.course import Course  # noqa: E402
from tests.browser.conftest import BLOC  # noqa: E402
from tests.browser.lab import WAIT_MS  # noqa: E402
from tests.e2e.harness import SLIPS, graded_course  # noqa: E402

pytestmark = [pytest.mark.xdist_group("bloc2")]

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The pages to check, written by the project's own code on a copy of the graded course."""
    from mda_checks.feedback import generate_feedback, write_competency_summary
    from mda_checks.jury.convene import convene
    from mda_checks.jury.decisions import DecisionInput, record_decisions
    from mda_checks.jury.livrets import livret_context, livret_html
    from mda_checks.jury.minutes import write_minutes
    from mda_checks.nbgrader_api import course_api, course_directory
    from mda_checks.report.cohort import write_reports
    from mda_checks.report.comments import trainer_comments
    from mda_checks.report.competencies import competency_grid
    from mda_checks.report.messages import gradebook_cells

    root = tmp_path_factory.mktemp("axe") / "cours"
    shutil.copytree(graded_course(BLOC).course.root, root, symlinks=True, ignore=shutil.ignore_patterns("jury", "reports"))
    course = Course(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        db_url = course_directory(root).db_url
        assert not generate_feedback(course_api(root), course, BLOC, [SLIPS])  # the pages of today's template
        summary = write_competency_summary(course, db_url, BLOC, SLIPS)
        session, content = convene(course, BLOC, members=["Mme Claire Dupont, présidente"], place="Lille")
        write_minutes(content, {}, session.folder)
        # a decision, then a change of it: the learner page shows the history table, which axe checks too
        proposals = {c["apprenant"]: c["proposition"] for c in content["candidats"]}
        source = root / "decisions-jury.csv"
        source.write_text("apprenant;décision;commentaire\n", encoding="utf-8")
        for decision, comment in (("ajourné", "Soutenance à refaire."), ("validé", "Soutenance refaite.")):
            record_decisions(course, session, [DecisionInput(2, SLIPS, decision, comment)], proposals, source,
                             replace=True)
        reports = write_reports(course, [BLOC])
        learner_page = root / "reports" / "apprenants" / f"{SLIPS}.html"
        shown = learner_page.read_text(encoding="utf-8")
        assert '<table class="historique">' in shown and "(remplace « ajourné »)" in shown
        candidate = next(c for c in content["candidats"] if c["apprenant"] == SLIPS)
        grid = competency_grid(course, db_url, [BLOC])
        livret = session.folder / "livret.html"
        livret.write_text(livret_html(livret_context(course, session, content, candidate, grid, gradebook_cells(db_url),
                                                     trainer_comments(db_url, [BLOC]), {})), encoding="utf-8")
    feedback = sorted((root / "feedback" / SLIPS / BLOC).glob("[0-9]*.html"))
    assert feedback, "aucun retour écrit par la correction"
    found = {f"retour {path.stem}": path for path in feedback}
    found.update({"bilan par critère (competences.html)": summary, "reports/index.html": reports.index,
                  "page d'un apprenant (avec l'historique des décisions)": learner_page,
                  "procès-verbal": session.folder / "proces-verbal.html", "livret": livret})
    return found


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    context.route("http*://**/*", lambda route: route.abort())  # the pages need nothing from the network
    yield context.new_page()
    context.close()


def blocking_violations(page, path: Path) -> list[str]:
    page.goto(path.as_uri(), wait_until="load")
    results = axe_module.Axe().run(page)
    return [f"{v['id']} ({v['impact']}) : {v['help']} — {len(v['nodes'])} élément(s), ex. {v['nodes'][0]['html'][:160]}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


def test_no_serious_or_critical_violation_on_what_learners_trainers_and_the_jury_read(pages, axe_page):
    found = {name: blocking_violations(axe_page, path) for name, path in pages.items()}
    assert not any(found.values()), "\n".join(f"{name} : {problem}" for name, problems in found.items()
                                              for problem in problems)


def test_axe_does_catch_what_it_must(axe_page, tmp_path):
    """The check can fail: a chart without text alternative and grey text on grey are reported."""
    page = tmp_path / "fautive.html"
    page.write_text('<!DOCTYPE html><html lang="fr"><head><title>Page fautive</title></head><body><main>'
                    '<img src="data:image/png;base64,iVBORw0KGgo=">'
                    '<p style="color:#bbb;background:#ccc">texte illisible</p></main></body></html>', encoding="utf-8")
    found = " ".join(blocking_violations(axe_page, page))
    assert "image-alt (critical)" in found and "color-contrast (serious)" in found


def test_charts_keep_french_text_alternatives_and_the_heat_map_a_letter_in_each_cell(pages):
    index = html.unescape(pages["reports/index.html"].read_text(encoding="utf-8"))
    alts = re.findall(r'<img[^>]*alt="([^"]*)"', index)
    from mda_checks.referentiel import bloc_label

    assert alts and all(alt.startswith(f"{bloc_label(BLOC)} : ") and "critères" in alt for alt in alts)
    cells = re.findall(r'<td class="case s-[^"]+"[^>]*>([^<]*)</td>', index)
    assert cells and all(cell.strip() in {"A", "N", "E", "–"} for cell in cells)
    for name, path in pages.items():
        if name.startswith("retour"):
            text = path.read_text(encoding="utf-8")
            assert "No description has been provided" not in text, name
            assert all(alt.strip() for alt in re.findall(r'<img[^>]*alt="([^"]*)"', text)), name
