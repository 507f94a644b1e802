"""The hostile HTML corpus: what a learner can write in a written answer to act on the trainer's pages.

Each payload, if it ran, would call ``top.postMessage("pwned:<name>")`` (seen from any frame,
sandboxed or not) or make the browser request the test's listener (``{listener}/hit/<name>``):
the browser tests watch both. ``dangers`` lists, in Python, what of it survives in a piece of HTML.
"""
from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, solved_submission, write_submission
from mda_checks.notebook import cells
from tests.grade.helpers import trimmed_course

#: the listener address the payloads point at (the browser tests give their own)
NO_LISTENER = "http://127.0.0.1:9"
#: the bloc of the hostile course (13 written answers in 5 notebooks, quick to grade), its learners: the corpus,
#: a blank copy and an honest learner who solved everything (graded beside the corpus as alone)
ASSIGNMENT, HOSTILE, UNCHANGED, HONEST = "bloc3", "x-pirate", "x-vierge", "x-honnete"
MDA_TIMEOUT = 900
#: the visible text every hostile answer also carries (the trainer must still read it)
ANSWER_TEXT = "Analyse argumentée de l'apprenant (réponse {n})"


def js(name: str) -> str:
    """The marker a payload runs: no double quote, no space (it fits any attribute)."""
    return f"top.postMessage('pwned:{name}','*')"


def _html_doc(name: str) -> str:
    return base64.b64encode(f"<script>{js(name)}</script>".encode()).decode()


def payloads(listener: str = NO_LISTENER) -> dict[str, str]:
    """name -> markdown a learner may write; every kind of the red team's report, and their variants."""
    hit = f"{listener}/hit"
    return {
        "script": f"<script>{js('script')}</script>",
        "img-onerror": f'<img src=x onerror="{js("img-onerror")}">',
        "img-onerror-majuscules": f'<IMG SRC=x ONERROR="{js("img-onerror-majuscules")}">',
        "svg-onload": f'<svg onload="{js("svg-onload")}"><circle r="2"/></svg>',
        "details-ontoggle": f'<details open ontoggle="{js("details-ontoggle")}"><summary>Détail</summary>x</details>',
        "iframe-srcdoc": f'<iframe srcdoc="&lt;script&gt;{js("iframe-srcdoc")}&lt;/script&gt;"></iframe>',
        "iframe-javascript": f'<iframe src="javascript:{js("iframe-javascript")}"></iframe>',
        "object-data": f'<object data="data:text/html;base64,{_html_doc("object-data")}"></object>',
        "embed-src": f'<embed src="data:text/html;base64,{_html_doc("embed-src")}">',
        "lien-javascript-markdown": f"[Voir l'annexe](javascript:{js('lien-javascript-markdown')})",
        "lien-javascript-html": f'<a href="javascript:{js("lien-javascript-html")}">annexe</a>',
        "lien-javascript-entites": f'<a href="jav&#x09;ascript:{js("lien-javascript-entites")}">annexe 2</a>',
        "lien-data-html": f'<a href="data:text/html;base64,{_html_doc("lien-data-html")}">annexe 3</a>',
        "meta-refresh": f'<meta http-equiv="refresh" content="0;url={hit}/meta-refresh">',
        "base-href": f'<base href="{hit}/base-href/">',
        "form-action": f'<form action="{hit}/form-action" method="post"><input name="n" value="1">'
                       "<button>Valider la note</button></form>",
        "input-autofocus": f'<input autofocus onfocus="{js("input-autofocus")}">',
        "video-source-onerror": f'<video><source onerror="{js("video-source-onerror")}"></video>',
        "survol": f'<a href="#" onmouseover="{js("survol")}">survol</a>',
        "bootstrap-data-api": f'<a data-toggle="collapse" data-target="<img src=x onerror={js("bootstrap-data-api")}>">'
                              "plier</a>",
        "style-recouvrement": '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999;'
                              'background:white">Page de connexion</div>',
        "classe-recouvrement": '<div class="modal-backdrop in">voile</div><div class="navbar-fixed-top">barre</div>',
        "style-element": "<style>body { display: none; } .nbgrader_cell { position: fixed; }</style>",
        "feuille-externe": f'<link rel="stylesheet" href="{hit}/feuille-externe">',
        "image-externe": f"![graphique]({hit}/image-externe)",
        "image-relative": "![graphique](../../../logout)",
        "image-svg": f"![schéma](data:image/svg+xml;base64,{_html_doc('image-svg')})",
        "id-ecrase": '<input id="submission_id" value="x"><span id="notebook_id">y</span>',
        "mathjax-href": f"$\\href{{javascript:{js('mathjax-href')}}}{{clic}}$",
        # mutation XSS; the last one's unclosed <style> (inside MathML) hides what follows, in any browser as here
        "noscript-mxss": f'<noscript><p title="</noscript><img src=x onerror={js("noscript-mxss")}>"></noscript>',
        "math-mxss": f'<math><mtext><table><mglyph><style><img src=x onerror="{js("math-mxss")}">',
    }


#: payloads that are text once rendered by nbconvert, not HTML (MathJax is not loaded on the pages)
TEXT_ONLY = {"mathjax-href"}
#: HTML that acts on a page: elements, attributes and addresses (what `dangers` looks for)
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "meta", "base", "form", "input", "button", "svg", "math",
                   "style", "link", "video", "audio", "source", "details", "noscript", "template", "frame", "textarea"}
SAFE_LINK = re.compile(r"(https?://|mailto:|#)", re.I)
SAFE_IMAGE = re.compile(r"data:image/(png|jpeg|gif);base64,", re.I)


def dangers(html: str) -> list[str]:
    """What in `html` could act on the page it is shown in (empty when it is harmless)."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        where = f"<{element.name}>"
        if element.name in ACTIVE_ELEMENTS:
            found.append(where)
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name.startswith("data-") or name in ("id", "name", "srcdoc", "srcset"):
                found.append(f"{where} {name}")
            elif name == "style" and not re.fullmatch(r"\s*(text-align\s*:\s*(left|right|center)\s*;?\s*)?", value):
                found.append(f"{where} style={value}")
            elif name == "class" and not all(re.fullmatch(r"[a-z0-9]{1,3}|highlight|hll|language-[\w+-]+", c)
                                             for c in value.split()):
                found.append(f"{where} class={value}")
            elif name == "href" and not SAFE_LINK.match(re.sub(r"\s", "", value)):
                found.append(f"{where} href={value[:40]}")
            elif name in ("src", "data", "action") and not (name == "src" and SAFE_IMAGE.match(value)):
                found.append(f"{where} {name}={value[:40]}")
    return found


def hostile_answer(n: int, listener: str = NO_LISTENER) -> str:
    """A written answer: the learner's visible text, then every payload."""
    return ANSWER_TEXT.format(n=n) + "\n\n" + "\n\n".join(payloads(listener).values())


def hostile_submission(course: Course, student: str, assignment: str, listener: str = NO_LISTENER) -> int:
    """A blank copy whose every written answer carries the whole corpus, plus a markdown cell, a raw cell
    and outputs of the learner's own with it too; returns the number of written answers."""
    notebooks, n = blank_submission(course, assignment), 0
    for notebook in notebooks.values():
        for cell in notebook.cells:
            if cell.cell_type == "markdown" and cells.is_solution(cell):
                n += 1
                cell.source = hostile_answer(n, listener)
        corpus = "\n\n".join(payloads(listener).values())
        notebook.cells.insert(1, nbformat.v4.new_markdown_cell("Cellule ajoutée par l'apprenant\n\n" + corpus))
        notebook.cells.insert(1, nbformat.v4.new_raw_cell("<p>Cellule brute de l'apprenant</p>" + corpus))
        notebook.cells.insert(2, nbformat.v4.new_code_cell(
            "from IPython.display import HTML, Markdown, display\n"
            f"display(HTML({corpus!r}))\n"
            f"display(Markdown({corpus!r}))"))
    write_submission(course, student, assignment, notebooks)
    return n


@dataclass(frozen=True)
class HostileCourse:
    course: Course
    answers: int  # written answers of the hostile learner, each with the whole corpus

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.course.root / 'gradebook.db'}"


def run_mda(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    """An `mda` command in the course, as a trainer runs it (nbgrader needs the environment's bin/ on PATH)."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(bin_dir / "mda"), *arguments], cwd=root, env=env, capture_output=True, text=True,
                          timeout=MDA_TIMEOUT)


def _graded(course: Course) -> None:
    for command in (("grade", ASSIGNMENT), ("feedback", ASSIGNMENT)):
        done = run_mda(course.root, *command)
        assert done.returncode == 0, f"mda {' '.join(command)} :\n{done.stdout}\n{done.stderr}"


def graded_hostile_course(label: str, listener: str = NO_LISTENER) -> HostileCourse:
    """A course of the bloc where one learner wrote the corpus everywhere, another left every answer
    as released and a third solved everything; graded by `mda grade`, with its feedback by `mda feedback`."""
    course = trimmed_course(label, ASSIGNMENT, keep=5)
    answers = hostile_submission(course, HOSTILE, ASSIGNMENT, listener)
    write_submission(course, UNCHANGED, ASSIGNMENT, blank_submission(course, ASSIGNMENT))
    write_submission(course, HONEST, ASSIGNMENT, solved_submission(course, ASSIGNMENT))
    _graded(course)
    return HostileCourse(course, answers)


def graded_honest_alone(label: str) -> HostileCourse:
    """The same course with the honest learner alone, graded the same way: what its grades are without the corpus."""
    course = trimmed_course(label, ASSIGNMENT, keep=5)
    write_submission(course, HONEST, ASSIGNMENT, solved_submission(course, ASSIGNMENT))
    _graded(course)
    return HostileCourse(course, 0)
