"""Content-Security-Policy of formgrader's pages that show learners' work, on the trainer's Jupyter server.

A Jupyter server extension (enabled by ``mda echange --environnement``, i.e. ``make install``): the
trainer's browser is logged into that server, so a script of a learner's running there could grade
every copy and rewrite the course. Learners' text is cleaned before it reaches a page
(``mda_checks.grade.safe_html``); this is the second lock, in the browser, scoped to the routes that
render submissions (JupyterLab and nbgrader's other pages keep their own headers):

- the manual grading page (``formgrader/submissions/<id>/``): scripts only from formgrader's own
  static folder, plus the page's one inline script (``templates/formgrade/formgrade_page.js``)
  allowed by its hash; no inline handler, ``javascript:`` link, plugin, frame, form, ``<base>``;
  images and connections to the trainer's server only (no learner's origin);
- a learner's file that formgrader serves from the graded folder (``formgrader/submissions/<id>/<file>``):
  ``sandbox``: no script at all, and a unique origin, never the trainer's session.

The manual grading page also carries the same policy in a ``<meta>`` (``'self'`` instead of the
static folder, which needs the server's address): it holds with any Jupyter that reads the course's
``nbgrader_config.py``, this extension or not.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from tornado.web import OutputTransform

#: the manual grading page's only inline script, as the template includes it
PAGE_SCRIPT = Path(__file__).parent / "templates" / "formgrade" / "formgrade_page.js"
#: extension name, as `jpserver_extensions` lists it
EXTENSION = __name__
SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def page_script() -> str:
    """The inline script as Jinja includes it (without the file's last newline)."""
    text = PAGE_SCRIPT.read_text(encoding="utf-8")
    return text[:-1] if text.endswith("\n") else text


def formgrade_policy(script: str, scripts_from: str = "'self'") -> str:
    """The manual grading page's policy; `script` is its inline script (a Jinja filter of the template)."""
    return "; ".join([
        "default-src 'none'",
        f"script-src {scripts_from} {script_hash(script)}",
        "style-src 'self' 'unsafe-inline'",  # nbconvert's inlined CSS; no learner style reaches the page
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",  # (frames of the page: Jupyter's own header, frame-ancestors 'self')
    ])


def route_policy(path: str, base_url: str, origin: str) -> str | None:
    """The policy of one address of the server; None outside the routes that render submissions."""
    prefix = re.escape(base_url.rstrip("/") + "/formgrader/submissions/")
    if re.fullmatch(prefix + r"(?!components/)[^/]+/?", path):
        return formgrade_policy(page_script(), f"{origin}{base_url.rstrip('/')}/formgrader/static/")
    if re.fullmatch(prefix + r"(?!components/)[^/]+/.+", path):
        return SANDBOX
    return None


class LearnerContentPolicy(OutputTransform):
    """Adds the policy of its route to a response (tornado output transform, one per request)."""

    base_url = "/"

    def __init__(self, request) -> None:
        self.policy = route_policy(request.path, self.base_url, f"{request.protocol}://{request.host}")

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if self.policy:
            headers.add("Content-Security-Policy", self.policy)  # beside Jupyter's own: both apply
            headers["Referrer-Policy"] = "no-referrer"
            headers["X-Content-Type-Options"] = "nosniff"
        return status_code, headers, chunk


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp) -> None:
    transform = type("LearnerContentPolicy", (LearnerContentPolicy,), {"base_url": serverapp.base_url})
    serverapp.web_app.add_transform(transform)
    serverapp.log.info("mda_checks : politique de sécurité (CSP) des pages de formgrader qui montrent "
                       "le travail des apprenants")
