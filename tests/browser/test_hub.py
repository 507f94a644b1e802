"""A real class through `mda hub`: two learners and a trainer, each with their own Unix account, in Chromium.

One hub for the whole module (root only: accounts are made by `mda hub comptes`), on a tiny course
(one workbook, a few cells: tests/hub/harness.py). Both learners log in with the password of the
generated sheet at the same time (their servers start in parallel). Alice does the whole cycle in
the browser: a French JupyterLab from the learners' environment (no « Formgrader », « Create
Assignment » nor « Validate »), fetch of HER OWN variant, an answer, submit. Bruno proves the
isolation from his account's command line: he fetches his own variant, submits, reaches neither
Alice's home, nor her copy in the exchange, nor the course, nor the exchange's inbound/, and a
submission he forges in her name is refused by `mda collecte`. The trainer logs in, lands on
formgrader (the shared grading service), grades by hand after `mda grade`, releases feedback, and
Alice, still logged in, fetches and reads it. Screenshots in each test's folder; `durees.txt` in
the last one says where the time went.
"""
from __future__ import annotations

import filecmp
import re
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import psutil
import pytest
from nbgrader.api import Gradebook

from mda_checks.config import HUB_DEFAULTS
from mda_checks.grade.sandbox.cgroups import kernel_cgroup, unavailable_reason

pytest.importorskip("playwright.sync_api", reason="Playwright absent : « make install » (extra [test]). "
                                                  "Playwright is missing: pip install -e '.[test]'.")
from playwright.sync_api import expect  # noqa: E402

from tests.browser import ui  # noqa: E402
from tests.browser.conftest import Screenshots  # noqa: E402
from tests.browser.lab import KERNEL_WAIT_MS  # noqa: E402
from tests.hub.harness import ASSIGNMENT as A  # noqa: E402
from tests.hub.harness import NOTEBOOK, ClassHub, memory_limit, skip_reason  # noqa: E402

pytestmark = [pytest.mark.xdist_group("hub")]

STUB, ANSWER = ui.STUB, ui.ANSWER
#: a learner's server starting on a loaded machine (the hub waits up to 300 s itself)
SPAWN_WAIT_MS = 360_000
MANUAL = "veille"  # the written answer of the tiny workbook, graded by hand in formgrader


@pytest.fixture(scope="module")
def klass(chromium):
    """The class, its accounts, bloc 1 published per learner, the hub started; the learners'
    environment is built (or refreshed from its cache) meanwhile, in a thread of its own."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    from tests.hub.learner_env import learner_env

    started = time.monotonic()
    made = None
    with ThreadPoolExecutor(1) as pool:
        building = pool.submit(learner_env)
        try:
            made = ClassHub()
            made.make_accounts()
            made.mda("mda", "release", A)  # after the accounts: each copy is handed to its learner
            made.learner_prefix = building.result()[0]
            made.start()
            made.timings = {"préparation (environnement, cours, comptes, publication, hub)": time.monotonic() - started}
            yield made
        finally:
            if made is not None:
                made.close()
            if building.exception() is None:  # waits for the build: its lock is released only then
                building.result()[1].release()


class People:
    """A browser context per person (each has their own hub cookie), kept for the whole module:
    Alice reads her feedback in the JupyterLab she opened to submit."""

    def __init__(self, browser):
        self.browser, self.contexts = browser, {}

    def context(self, name: str):
        if name not in self.contexts:
            context = self.browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
            context.set_default_timeout(KERNEL_WAIT_MS // 2)
            self.contexts[name] = context
        return self.contexts[name]

    def page(self, name: str):
        pages = self.context(name).pages
        return pages[0] if pages else self.context(name).new_page()


@pytest.fixture(scope="module")
def people(browser, klass):
    made = People(browser)
    yield made
    for context in made.contexts.values():
        context.close()


@pytest.fixture
def on_failure(people, klass, request, tmp_path):
    """On failure: a screenshot of every open page, and the hub's log."""
    yield
    failed = getattr(request.node, "report_call", None)
    if failed is None or not failed.failed:
        return
    for name, context in people.contexts.items():
        for number, page in enumerate(context.pages):
            try:
                page.screenshot(path=str(tmp_path / f"echec-{name}-{number}.png"))
            except Exception:  # noqa: BLE001 - the test's own failure is what matters
                pass
    (tmp_path / "hub.log").write_text(klass.log_tail(400), encoding="utf-8")


def submit_login(page, klass: ClassHub, name: str) -> None:
    """The hub's login page, the password of the sheet."""
    page.goto(f"{klass.url}/hub/login")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(klass.passwords[name])
    page.locator("#login_submit").click()


def french_lab(page, name: str) -> None:
    """A learner's JupyterLab, started for their account, in French."""
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=SPAWN_WAIT_MS)
    expect(page).to_have_url(re.compile(rf"/user/{re.escape(name)}/lab"))
    menus = page.locator(".lm-MenuBar-item")
    expect(menus.filter(has_text="Fichier")).to_have_count(1)  # JupyterLab in French
    expect(menus.filter(has_text="Exécution")).to_have_count(1)


def servers(cmdline_part: str, uid: int) -> list[psutil.Process]:
    """The running processes of account `uid` whose command line holds `cmdline_part`."""
    found = []
    for process in psutil.process_iter(["uids", "cmdline"]):
        if process.info["uids"] and process.info["uids"].real == uid and any(
                cmdline_part in part for part in process.info["cmdline"] or []):
            found.append(process)
    return found


def open_assignments(page) -> None:
    ui.menu(page, "Nbgrader", "Assignment List")


def alice_submits(page, klass: ClassHub, shots: Screenshots) -> None:
    """Alice's whole cycle in her French JupyterLab: fetch her copy, answer, save, submit."""
    french_lab(page, klass.learners["alice"])
    shots("alice-jupyterlab-en-francais")
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").first.click()
    items = page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel")
    expect(items.filter(has_text="Assignment List")).to_have_count(1)
    labels = items.all_inner_texts()
    assert not [label for label in labels if re.search("Formgrader|Create Assignment|Course List", label)], labels
    page.keyboard.press("Escape")

    open_assignments(page)
    released = page.locator("#released_assignments_list .list_item", has_text=A)
    expect(released).to_have_count(1)
    released.get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list > .list_item", has_text=A)
    expect(fetched).to_have_count(1)
    fetched.locator("a.assignment-notebooks-link").click()
    fetched.get_by_role("link", name=NOTEBOOK).click()
    ui.wait_for_kernel(page)
    toolbar = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar")  # not a cell's
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_text("Validate", exact=True)).to_have_count(0)  # « Vérifier mon carnet » is the one check
    answer = ui.cell_with(page, STUB)
    ui.replace_source(page, answer, ANSWER)
    ui.save(page)
    ui.show(page, ui.cell_with(page, ANSWER))
    shots("alice-reponse")
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    fetched.get_by_role("button", name="Submit").click()
    expect(page.locator("#submitted_assignments_list .list_item", has_text=A).first).to_be_visible()
    shots("alice-devoir-rendu")


def test_both_learners_log_in_alice_fetches_her_own_variant_in_a_french_lab_and_bruno_his_own(
        klass, people, on_failure, tmp_path):
    started = time.monotonic()
    alice, bruno = klass.learners["alice"], klass.learners["bruno"]
    pages = {name: people.page(name) for name in (alice, bruno)}
    for name, page in pages.items():  # both servers start at once
        submit_login(page, klass, name)
    french_lab(pages[bruno], bruno)
    bruno_shots = Screenshots(pages[bruno], tmp_path / "bruno")
    bruno_shots.folder.mkdir()
    bruno_shots("bruno-connecte")
    alice_submits(pages[alice], klass, Screenshots(pages[alice], tmp_path))
    done = klass.run_as(bruno, f"nbgrader fetch_assignment {A} && nbgrader submit {A}")  # the rest from his terminal
    assert done.returncode == 0, done.stdout + done.stderr
    expect(pages[bruno].locator(".jp-DirListing-item", has_text=A)).to_be_visible(timeout=KERNEL_WAIT_MS)
    bruno_shots("bruno-devoir-recupere")
    pages[bruno].close()
    inbound = klass.exchange / klass.service / "inbound"
    for name in (alice, bruno):  # submitted in Paris time (Exchange.timezone), as nbgrader writes it: CET or CEST
        (folder,) = inbound.glob(f"{name}+{A}+*")
        assert re.search(r" CES?T$", (folder / "timestamp.txt").read_text(encoding="utf-8").strip()), folder
        assert re.search(r" CES?T\+", folder.name), folder.name

    personal = klass.exchange / klass.service / "personnel" / A
    fetched = {short: klass.home(name) / A / "data" for short, name in klass.learners.items()}
    for short, name in klass.learners.items():  # their own variant: the data published for them, not a classmate's
        same = filecmp.dircmp(fetched[short], personal / name / "data")
        assert not same.diff_files and not same.left_only and not same.right_only, short
    assert filecmp.dircmp(fetched["alice"], fetched["bruno"]).diff_files, "both learners got the same data"
    notebook = klass.home(alice) / A / f"{NOTEBOOK}.ipynb"
    assert notebook.stat().st_uid == klass.uid(alice) and ANSWER in notebook.read_text(encoding="utf-8")
    klass.timings["apprenants (connexions, cycle d'Alice, ligne de commande de Bruno)"] = time.monotonic() - started


def test_a_learner_never_reaches_the_trainers_formgrader_nor_one_in_her_own_server(klass, people):
    alice = klass.learners["alice"]
    page = people.context(alice).new_page()  # her hub cookie; her JupyterLab stays open in the first page
    try:
        service = page.goto(f"{klass.url}/services/{klass.service}/formgrader")
        assert service.status == 403, (service.status, service.url)  # the hub refuses her the service's login
        expect(page.locator("#main-table")).to_have_count(0)
        own = page.goto(f"{klass.url}/user/{alice}/formgrader")
        assert own.status == 404, (own.status, own.url)  # formgrader's server part is off in the learners' env
    finally:
        page.close()


def test_a_learner_reaches_nothing_of_a_classmate_nor_the_course_nor_the_inbound_submissions(klass):
    alice, bruno = klass.learners["alice"], klass.learners["bruno"]
    root, course_exchange = klass.course.root, klass.exchange / klass.service
    personal = course_exchange / "personnel" / A
    attempts = {
        "dossier d'une camarade": f"ls {klass.home(alice)}",
        "carnet d'une camarade": f"cat {klass.home(alice)}/{A}/{NOTEBOOK}.ipynb",
        "liste des copies personnelles": f"ls {personal}",
        "copie personnelle d'une camarade": f"ls {personal / alice}",
        "données d'une camarade": f"cat {personal / alice}/data/*.csv {personal / alice}/{NOTEBOOK}.ipynb",
        "cours": f"ls {root}",
        "corrigé": f"cat {root}/mda_reference/__init__.py",
        "carnet de notes": f"head -c 16 {root}/gradebook.db",
        "clé des variantes": f"cat {root}/.mda/cle_variantes",
        "rendus (inbound)": f"ls {course_exchange / 'inbound'}",
    }
    for what, script in attempts.items():
        done = klass.run_as(bruno, script)
        assert done.returncode != 0 and "Permission denied" in done.stderr, f"{what} : {done.stdout}{done.stderr}"
    for name in (alice, bruno):  # each copy belongs to its learner's account, closed to the others
        assert (personal / name).stat().st_uid == klass.uid(name)
    own = klass.run_as(bruno, f"ls {klass.home(bruno)}/{A} {personal / bruno}")  # the same commands on his own files
    assert own.returncode == 0 and own.stdout.count(NOTEBOOK) == 2, own.stdout + own.stderr


def test_collecte_refuses_a_submission_forged_in_a_classmates_name_and_collects_hers(klass):
    alice, bruno = klass.learners["alice"], klass.learners["bruno"]
    inbound = klass.exchange / klass.service / "inbound"
    forged = inbound / f"{alice}+{A}+2099-01-01 00:00:00.000000 UTC+fabrique"
    done = klass.run_as(bruno, f'cp -r "{klass.home(bruno)}/{A}" "{forged}"')
    assert done.returncode == 0, done.stderr
    collected = klass.mda("mda", "collecte", A, check=False, env={"TZ": "UTC"})  # a root shell's zone
    out = " ".join(collected.stdout.split())
    assert collected.returncode == 1, out
    assert "heure déclarée" not in out, out  # their Paris stamps read as Paris time: no false time note
    assert re.search(rf"Refusé {alice} · {re.escape(forged.name)} : le dossier de dépôt appartient au compte "
                     rf"{bruno}, pas à {alice}", out), out
    for short, name in klass.learners.items():
        copy = klass.course.root / "submitted" / name / A / f"{NOTEBOOK}.ipynb"
        mine = klass.home(name) / A / f"{NOTEBOOK}.ipynb"
        assert nbformat.read(copy, as_version=4).cells == nbformat.read(mine, as_version=4).cells, short


def test_the_trainer_grades_in_formgrader_releases_feedback_and_the_learner_reads_it(
        klass, people, on_failure, tmp_path):
    started = time.monotonic()
    alice = klass.learners["alice"]
    graded = klass.mda("mda", "grade", A)
    assert "Toutes les copies et tous les carnets ont été corrigés." in graded.stdout, graded.stdout
    db_url = f"sqlite:///{klass.course.root / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        submission = gb.find_submission_notebook(NOTEBOOK, A, alice)
        grading_page = f"/services/{klass.service}/formgrader/submissions/{submission.id}/"
        before = gb.find_submission(A, alice).score
    klass.timings["mda grade"] = time.monotonic() - started

    page = people.page(klass.trainer)
    shots = Screenshots(page, tmp_path)
    submit_login(page, klass, klass.trainer)  # trainers land on formgrader, through the hub
    expect(page).to_have_url(re.compile(rf"/services/{klass.service}/formgrader"), timeout=SPAWN_WAIT_MS)
    expect(page.locator("#main-table tr", has_text=A)).to_be_visible(timeout=SPAWN_WAIT_MS)
    shots("formateur-formgrader")
    (grading,) = [p for p in servers("jupyterhub-singleuser", klass.uid(klass.grader))
                  if f"--ServerApp.root_dir={klass.course.root}" in p.cmdline()]
    assert grading.uids().effective == klass.uid(klass.grader) != 0  # formgrader never runs as root
    response = page.goto(f"{klass.url}{grading_page}")
    assert response.status == 200, response.status
    # formgrader binds its inputs once it has fetched the grades and comments: a score typed before is lost
    page.wait_for_function("() => typeof formgrader !== 'undefined' && formgrader.loaded && formgrader.grades"
                           " && formgrader.grades.loaded && formgrader.comments && formgrader.comments.loaded",
                           timeout=KERNEL_WAIT_MS)
    field = page.locator(f"input[id='{MANUAL}']")
    field.scroll_into_view_if_needed()
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        field.fill("2.5")
        field.press("Tab")
    assert saved.value.ok and saved.value.json()["manual_score"] == 2.5
    shots("formateur-note-manuelle")
    with Gradebook(db_url) as gb:
        assert gb.find_submission(A, alice).score == pytest.approx(before + 2.5)

    klass.mda("mda", "feedback", A)
    published = klass.mda("mda", "retours", "--publier", A)  # the documented command, not nbgrader's
    said = " ".join(published.stdout.split())
    assert "Retours publiés dans l'échange" in said and "Échec" not in said and "Non publié" not in said, said
    learner = people.page(alice)  # still logged in, in the JupyterLab where she submitted
    shots.page = learner
    learner.locator(".lm-TabBar-tab", has_text="Assignments").click()
    learner.locator("#refresh_assignments_list").click()
    learner.get_by_role("button", name="Fetch Feedback").first.click()
    link = learner.locator("#submitted_assignments_list a", has_text=re.compile("view feedback", re.I)).first
    expect(link).to_be_visible()
    shots("apprenante-retour-recupere")
    feedback = sorted((klass.home(alice) / A / "feedback").glob(f"*/{NOTEBOOK}.html"))
    assert feedback and feedback[0].stat().st_uid == klass.uid(alice)
    text = feedback[0].read_text(encoding="utf-8")
    assert "2.5" in text or "2,5" in text
    link.click()  # the file browser opens the feedback's folder; the learner opens the page in JupyterLab
    learner.locator(".jp-DirListing-item", has_text=NOTEBOOK).first.dblclick()
    shown = learner.frame_locator(".jp-HTMLViewer iframe").locator("body")
    expect(shown).to_contain_text(f"{NOTEBOOK} (points", timeout=KERNEL_WAIT_MS)
    shots("apprenante-lit-son-retour")
    klass.timings["formateur et retour"] = time.monotonic() - started
    (tmp_path / "durees.txt").write_text("".join(f"{k} : {v:.0f} s\n" for k, v in klass.timings.items()),
                                         encoding="utf-8")


def test_alices_server_is_in_a_control_group_with_the_configured_memory_and_the_idle_culler_runs(klass, people):
    alice = klass.learners["alice"]
    (server,) = servers("jupyterhub-singleuser", klass.uid(alice))  # still logged in since she submitted
    probe = kernel_cgroup(f"mda-noyau-hub-sonde-test-{server.pid}", HUB_DEFAULTS.memory_bytes, 16)
    if probe is None:
        pytest.skip(f"groupes de contrôle indisponibles ici ({unavailable_reason()}) : le hub l'a dit au démarrage")
    probe.remove()
    assert memory_limit(server.pid) == HUB_DEFAULTS.memory_bytes
    for kernel in server.children(recursive=True):  # her kernels share the same limit
        assert memory_limit(kernel.pid) == HUB_DEFAULTS.memory_bytes, kernel.cmdline()

    context = people.context(klass.trainer)  # logged in on formgrader: his cookie reads the hub's API
    xsrf = next(c["value"] for c in context.cookies() if c["name"] == "_xsrf" and c["path"].startswith("/hub"))
    answer = context.request.get(f"{klass.url}/hub/api/services/arret-inactifs", headers={"X-XSRFToken": xsrf})
    assert answer.ok, (answer.status, answer.text())
    culler = psutil.Process(answer.json()["pid"])
    assert culler.is_running() and "jupyterhub_idle_culler" in culler.cmdline(), culler.cmdline()
    assert f"--timeout={HUB_DEFAULTS.idle_seconds}" in culler.cmdline()
