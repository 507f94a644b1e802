"""A learner's HTML on the trainer's side, in Chromium: a copy whose every written answer (and an added cell,
and an output) carries the hostile corpus, graded by `mda grade`, opened in formgrader, as a feedback page
and in JupyterLab. Nothing may run (each payload would post « pwned:… » to the page or call the test's
listener), the trainer still reads the answers, and formgrader still grades."""
from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from nbgrader.api import Gradebook

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from mda_checks.notebook import cells  # noqa: E402
from tests.browser import ui  # noqa: E402
from tests.browser.conftest import browser_page  # noqa: E402
from tests.browser.lab import start_lab  # noqa: E402
from tests.grade.hostile_html import (ANSWER_TEXT, ASSIGNMENT, HOSTILE, graded_hostile_course, js,  # noqa: E402
                                      payloads)

pytestmark = [pytest.mark.xdist_group("learner-html-browser")]

ANSWER = re.compile(re.escape(ANSWER_TEXT.split("{")[0]) + r"\d+\)")
#: records every « pwned:… » message posted to the page (from the page itself or from any of its frames)
WATCH = """
window.__pwned = [];
window.addEventListener('message', e => {
  if (typeof e.data === 'string' && e.data.startsWith('pwned:')) window.__pwned.push(e.data);
});
"""
#: what could act on the page inside the learner's parts (markdown cells, outputs of cells other than checks)
DOM_DANGERS = r"""() => {
  const active = new Set(['script', 'iframe', 'object', 'embed', 'meta', 'base', 'form', 'input', 'button', 'svg',
    'math', 'style', 'link', 'video', 'audio', 'source', 'details', 'noscript', 'template', 'frame', 'textarea']);
  const found = [];
  for (const el of document.querySelectorAll('.text_cell_render *, .output_subarea *')) {
    if (el.closest('.mda-check')) continue;  // ScoreAnswers' message, not the learner's
    const tag = el.tagName.toLowerCase();
    if (active.has(tag)) found.push('<' + tag + '>');
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value;
      if (n.startsWith('on') || n.startsWith('data-') || ['id', 'name', 'srcdoc', 'srcset'].includes(n)) found.push(tag + ' ' + n);
      else if (n === 'style' && !/^\s*(text-align\s*:\s*(left|right|center)\s*;?\s*)?$/.test(v)) found.push(tag + ' style');
      else if (n === 'class' && !v.split(/\s+/).filter(Boolean).every(
          c => /^([a-z0-9]{1,3}|highlight|hll|language-[\w+-]+|ansi-[\w-]+)$/.test(c))) found.push(tag + ' class=' + v);
      else if (n === 'href' && !/^(https?:\/\/|mailto:|#)/i.test(v.replace(/\s/g, ''))) found.push(tag + ' href');
      else if (['src', 'data', 'action'].includes(n) && !(n === 'src' && /^data:image\/(png|jpeg|gif);base64,/i.test(v)))
        found.push(tag + ' ' + n);
    }
    const position = getComputedStyle(el).position;
    if (['fixed', 'absolute', 'sticky'].includes(position)) found.push(tag + ' position:' + position);
  }
  return found;
}"""
#: payloads that run script (or move the page's base) if they reach a page raw: what a CSP must stop alone
SCRIPT_PAYLOADS = ("script", "img-onerror", "svg-onload", "details-ontoggle", "iframe-srcdoc", "iframe-javascript",
                   "object-data", "embed-src", "input-autofocus", "video-source-onerror", "base-href")


#: a policy's refusal of something that runs or moves the page (not of a missing font of the feedback pages)
SCRIPTING = re.compile(r"script|event handler|JavaScript URL|plugin|base URI|frame", re.I)


class Listener:
    """A local HTTP server that records what a payload would fetch, load or submit."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                hits.append(self.path)
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            do_GET = do_POST = _record  # noqa: N815 - http.server's names

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hostile(chromium, tmp_path_factory):
    listener = Listener()
    graded = graded_hostile_course("navigateur-html", listener.url)
    server = start_lab(graded.course.root, tmp_path_factory.mktemp("jupyterlab-html"))
    yield graded, server, listener
    server.stop()
    listener.stop()


class Watched:
    """What ran on the page: posted markers, dialogs, new windows, Content-Security-Policy refusals."""

    def __init__(self, page) -> None:
        self.page, self.dialogs, self.popups, self.refused = page, [], [], []
        page.add_init_script(WATCH)
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("popup", lambda popup: self.popups.append(popup.url))
        page.on("console", lambda message: self.refused.append(message.text)
                if "Content Security Policy" in message.text and SCRIPTING.search(message.text) else None)

    def markers(self) -> list[str]:
        return self.page.evaluate("() => window.__pwned || []")

    def assert_nothing_ran(self, listener: Listener) -> None:
        self.page.wait_for_load_state("networkidle")
        assert self.markers() == [] and self.dialogs == [] and self.popups == [], (self.markers(), self.dialogs)
        assert listener.hits == [], listener.hits


@pytest.fixture
def page(browser, hostile, request, tmp_path):
    """A page logged into the server (formgrader's own pages set the login cookie for the whole server)."""
    hostile[2].hits.clear()  # what an earlier test's page called is not this test's
    for opened in browser_page(browser, hostile[1], request, tmp_path):
        opened.goto(hostile[1].url("formgrader"))
        yield opened


def submission_ids(graded) -> dict[str, str]:
    with Gradebook(graded.db_url) as gb:
        return {p.stem: gb.find_submission_notebook(p.stem, ASSIGNMENT, HOSTILE).id
                for p in graded.course.source_notebooks(ASSIGNMENT)}


def written_answer_ids(graded, notebook: str) -> list[str]:
    master = graded.course.read_source(ASSIGNMENT)[notebook]
    return [cells.grade_id(c) for c in master.cells if cells.is_solution(c) and c.cell_type == "markdown"]


def test_formgrader_shows_every_hostile_answer_runs_none_of_it_and_still_grades(hostile, page, shots):
    graded, server, listener = hostile
    watched, shown = Watched(page), 0
    for notebook, submission in submission_ids(graded).items():
        address = server.url(f"formgrader/submissions/{submission}/")
        response = page.goto(address)
        assert response.status == 200, response.status
        policies = [h["value"] for h in response.headers_array() if h["name"].lower() == "content-security-policy"]
        assert any("script-src" in p and "'unsafe-inline'" not in p.split("script-src")[1].split(";")[0]
                   for p in policies), policies  # the server's policy for this route (mda_checks.formgrader_csp)
        expect(page.locator(".nbgrader_cell").first).to_be_visible()
        watched.assert_nothing_ran(listener)
        assert page.url.startswith(f"{server.base}/formgrader/submissions/{submission}/") and page.title() == notebook
        assert page.evaluate(DOM_DANGERS) == [], notebook
        answers = page.locator(".text_cell_render p", has_text=ANSWER)
        for index in range(answers.count()):
            expect(answers.nth(index)).to_be_visible()
        shown += answers.count()
        if answers.count():
            ui.show(page, answers.first)
            shots(f"formgrader-{notebook}")
    assert shown == graded.answers
    assert watched.refused == [], watched.refused  # nothing needed stopping; formgrader's own scripts all allowed

    # formgrader still works under its policy: the name toggle, the live notebook link, a grade saved
    notebook, submission = next((n, s) for n, s in submission_ids(graded).items() if written_answer_ids(graded, n))
    page.goto(server.url(f"formgrader/submissions/{submission}/"))
    expect(page.locator("a.name-shown")).to_be_hidden()
    page.locator("span.glyphicon.name-hidden").click()
    expect(page.locator("a.name-shown")).to_have_text(HOSTILE)
    expect(page.locator("li.live-notebook a.name-shown")).to_have_attribute("href", re.compile(rf"{HOSTILE}/{ASSIGNMENT}"))
    grade_id = written_answer_ids(graded, notebook)[0]
    field = page.locator(f"input[id='{grade_id}']")
    field.scroll_into_view_if_needed()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        field.fill("1")
        field.press("Tab")
    assert saved.value.ok and saved.value.json()["manual_score"] == 1
    with Gradebook(graded.db_url) as gb:
        assert gb.find_grade(grade_id, notebook, ASSIGNMENT, HOSTILE).manual_score == 1
    watched.assert_nothing_ran(listener)


@pytest.mark.parametrize("policy", ["aucune", "en-tête", "meta"])
def test_each_policy_alone_stops_the_scripts_a_cleaning_miss_would_let_in(hostile, page, policy):
    """The learner's payloads put raw into the grading page (as if the cleaning had missed them), with only the
    server's header, or only the page's own <meta> policy, left: no payload runs, formgrader's scripts do.
    Without either (« aucune »), they run: the check can fail."""
    graded, server, listener = hostile
    submission = next(iter(submission_ids(graded).values()))
    raw = "".join(payloads(listener.url)[name] for name in SCRIPT_PAYLOADS)
    raw += f'<a id="lien-pirate" href="javascript:{js("clic-javascript")}">annexe</a>'

    def inject(route):
        original = route.fetch()
        body = original.text().replace("<body>", "<body>" + raw, 1)
        assert "<body>" + raw in body
        headers = {h["name"]: h["value"] for h in original.headers_array
                   if h["name"].lower() not in ("content-length", "content-security-policy")}
        if policy != "meta":  # the page's own policy removed
            body = re.sub(r'<meta[^>]*http-equiv="Content-Security-Policy"[^>]*>', "", body)
        if policy == "en-tête":  # the server's policies kept (Jupyter's own and mda_checks')
            headers["Content-Security-Policy"] = ", ".join(
                h["value"] for h in original.headers_array if h["name"].lower() == "content-security-policy")
        route.fulfill(response=original, body=body, headers=headers)

    watched = Watched(page)
    page.route(re.compile(rf".*/formgrader/submissions/{submission}/(\?.*)?$"), inject)
    page.goto(server.url(f"formgrader/submissions/{submission}/"))
    expect(page.locator(".nbgrader_cell").first).to_be_visible()
    page.locator("#lien-pirate").click()
    if policy == "aucune":
        page.wait_for_function("() => ['script', 'img-onerror', 'clic-javascript'].every("
                               "name => window.__pwned.includes('pwned:' + name))")
        return
    watched.assert_nothing_ran(listener)
    assert watched.refused, "the policy refused nothing: the injected payloads did not reach the page"
    assert page.evaluate("() => window.submission_id") == submission  # the page's own inline script ran
    assert page.evaluate("() => formgrader.loaded")  # and formgrader's


def test_a_learners_file_served_by_formgrader_runs_nothing(hostile, page):
    graded, server, listener = hostile
    submission = next(iter(submission_ids(graded).values()))
    annex = graded.course.step("autograded") / HOSTILE / ASSIGNMENT / "annexe.html"
    annex.write_text("<p>Annexe</p><script>document.title = 'pwned'</script>", encoding="utf-8")
    page.goto(annex.as_uri())  # opened as a file, it runs: the check below can fail
    expect(page).to_have_title("pwned")
    response = page.goto(server.url(f"formgrader/submissions/{submission}/annexe.html"))
    assert response.ok and "sandbox" in (response.headers.get("content-security-policy") or "")
    expect(page.locator("body")).to_contain_text("Annexe")
    assert page.title() != "pwned"
    assert listener.hits == []


def test_the_feedback_pages_show_the_answers_and_run_nothing_even_uncleaned(hostile, page, tmp_path):
    graded, server, listener = hostile
    watched, shown = Watched(page), 0
    folder = graded.course.step("feedback") / HOSTILE / ASSIGNMENT
    for path in sorted(folder.glob("0*.html")):
        page.goto(path.as_uri())
        watched.assert_nothing_ran(listener)
        assert page.evaluate(DOM_DANGERS) == [], path.name
        answers = page.locator(".text_cell_render p", has_text=ANSWER)
        shown += answers.count()
        if answers.count():
            expect(answers.first).to_be_visible()
    assert shown == graded.answers
    # the same page with the payloads put raw into it: its own policy stops them
    first = sorted(folder.glob("0*.html"))[0]
    raw = "".join(payloads(listener.url)[name] for name in SCRIPT_PAYLOADS)
    uncleaned = tmp_path / "retour-non-nettoye.html"
    uncleaned.write_text(first.read_text(encoding="utf-8").replace("<body>", "<body>" + raw, 1), encoding="utf-8")
    page.goto(uncleaned.as_uri())
    watched.assert_nothing_ran(listener)
    assert watched.refused, "the policy refused nothing: the injected payloads did not reach the page"


def test_jupyterlab_opens_the_graded_notebook_and_runs_none_of_it(hostile, page, shots):
    graded, server, listener = hostile
    watched = Watched(page)
    notebook = next(n for n in submission_ids(graded) if written_answer_ids(graded, n))
    ui.open_lab(page, server, "formateur-html", f"autograded/{HOSTILE}/{ASSIGNMENT}/{notebook}.ipynb")
    answer = page.locator(".jp-MarkdownOutput", has_text=ANSWER).first
    expect(answer).to_be_visible()
    ui.show(page, answer)
    shots("jupyterlab-copie-corrigee")
    watched.assert_nothing_ran(listener)
