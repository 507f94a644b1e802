"""The livret and the minutes: what learners and trainers wrote is text, never markup; the PDF printer runs no
script and fetches nothing; a group assignment's livret names the group."""
from __future__ import annotations

import http.server
import threading

import pandas as pd
import pytest

from mda_checks.jury import pdf
from mda_checks.jury.livrets import _group, livret_html
from mda_checks.jury.minutes import minutes_html

HOSTILE = '<script>document.title="pirate"</script><img src=x onerror=alert(1)>'


def context(**changes) -> dict:
    base = {"apprenant": "alice", "nom": "Alice Martin", "devoir": "bloc1", "bloc": 1, "intitule": "Stratégie",
            "session": "bloc1-2026-12-10", "day": "10 décembre 2026", "email": "", "donnees": "cas commun",
            "groupe": "", "regles": ["Une règle."], "points_text": "1 / 2", "sections": [], "proposition": "validé",
            "motif": "Motif.", "decision": None, "historique": [], "commentaires": [], "genere_le": "maintenant",
            "messages": [{"carnet": "c", "cellule": "q", "ce": "CE1.1.1", "resultat": "correct",
                          "points_text": "1 / 1", "message": HOSTILE}]}
    return {**base, **changes}


def test_what_learners_and_trainers_wrote_is_escaped_in_the_livret_and_the_minutes():
    page = livret_html(context(nom=HOSTILE, commentaires=[{"carnet": "c", "cellule": "q", "points_text": "1",
                                                            "commentaire": HOSTILE}]))
    assert "<script>" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    content = {"session": "s", "devoir": "bloc1", "bloc": 1, "intitule": "t", "date": "2026-12-10", "membres": [HOSTILE],
               "lieu": HOSTILE, "regles": [], "genere_le": "g",
               "candidats": [{"apprenant": "a", "nom": HOSTILE, "points": 1.0, "points_max": 2.0,
                              "proposition": "validé", "motif": HOSTILE, "variante": ""}]}
    minutes = minutes_html(content, {})
    assert "<script>" not in minutes and "<img src=x" not in minutes


def test_a_group_assignment_livret_names_the_group():
    rows = pd.DataFrame({"part": ["dossier du groupe", ""], "groupe": ["G1", "G1"]})
    assert _group(rows) == "G1"
    assert _group(pd.DataFrame({"part": ["", ""], "groupe": ["", ""]})) == ""
    assert _group(pd.DataFrame({"part": ["soutenance individuelle"], "groupe": [""]})) == "aucun groupe"
    assert "<dt>Groupe</dt><dd>G1 (dossier collectif" in livret_html(context(groupe="G1"))


def test_the_pdf_printer_runs_no_script_and_fetches_nothing(tmp_path):
    if pdf.find_chromium() is None:
        pytest.skip("Chromium absent : apt-get install chromium")
    pypdf = pytest.importorskip("pypdf")
    asked = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}"
    page = ('<!DOCTYPE html><html lang="fr"><head><title>t</title>'
            f'<link rel="stylesheet" href="{address}/style.css"></head><body><p id="p">TEXTE D\'ORIGINE</p>'
            '<script>document.getElementById("p").textContent = "SCRIPT EXECUTE";</script>'
            f'<img alt="image" src="{address}/image.png"></body></html>')
    try:
        with pdf.PdfRenderer() as renderer:
            target = renderer.render(page, tmp_path / "t.pdf", footer="Essai")
    finally:
        server.shutdown()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(target)).pages)
    assert "TEXTE D'ORIGINE" in text and "SCRIPT EXECUTE" not in text and "page 1 sur 1" in text
    assert asked == []


def test_the_pdf_printer_works_where_an_event_loop_runs(tmp_path):
    """As in a Jupyter kernel (the trainer's dashboard) or beside another Playwright session: Playwright's
    synchronous API refuses such a thread, the printer runs it in a thread of its own."""
    if pdf.find_chromium() is None:
        pytest.skip("Chromium absent : apt-get install chromium")
    pypdf = pytest.importorskip("pypdf")
    import asyncio

    async def inside_a_loop():
        with pdf.PdfRenderer() as renderer:
            return renderer.render('<!DOCTYPE html><html lang="fr"><body><p>DANS UNE BOUCLE</p></body></html>',
                                   tmp_path / "boucle.pdf", footer="Essai")

    # in a thread of its own: the test process's main thread may already run a loop (another Playwright session)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as thread:
        target = thread.submit(asyncio.run, inside_a_loop()).result()
    assert "DANS UNE BOUCLE" in "".join(p.extract_text() for p in pypdf.PdfReader(str(target)).pages)
