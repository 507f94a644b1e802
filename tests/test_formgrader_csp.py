"""The trainer's Jupyter puts a Content-Security-Policy on formgrader's pages of learners' work, and only there."""
from __future__ import annotations

import json

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from mda_checks import formgrader_csp
from mda_checks.exchange import CSP_EXTENSION, server_extension_config_path, write_server_extension_config
from mda_checks.formgrader_csp import LearnerContentPolicy, page_script, route_policy, script_hash

ORIGIN = "http://127.0.0.1:8888"
SUBMISSION = "5f0c0e3a9d6b4b1c8f1e2d3c4b5a6978"


def _request(path: str) -> HTTPServerRequest:
    return HTTPServerRequest(start_line=RequestStartLine("GET", path, "HTTP/1.1"),
                             headers=HTTPHeaders({"Host": "127.0.0.1:8888"}))


def _policy(path: str, base_url: str = "/") -> str | None:
    return route_policy(path, base_url, ORIGIN)


@pytest.mark.parametrize("base_url", ["/", "/user/formateur/"])
def test_the_grading_page_runs_formgraders_scripts_and_its_own_inline_script_only(base_url):
    policy = _policy(f"{base_url}formgrader/submissions/{SUBMISSION}/", base_url)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == f"{ORIGIN}{base_url}formgrader/static/ {script_hash(page_script())}"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["default-src"] == "'none'" and directives["img-src"] == "'self' data:"
    assert directives["base-uri"] == directives["form-action"] == "'none'"
    assert _policy(f"{base_url}formgrader/submissions/{SUBMISSION}", base_url) == policy


@pytest.mark.parametrize("path", [f"/formgrader/submissions/{SUBMISSION}/evil.html",
                                  f"/formgrader/submissions/{SUBMISSION}/data/rapport.svg"])
def test_a_learners_file_served_by_formgrader_is_sandboxed(path):
    assert _policy(path).startswith("sandbox;") and "allow-scripts" not in _policy(path)


@pytest.mark.parametrize("path", ["/lab", "/lab/tree/autograded", "/api/contents/nbgrader_config.py",
                                  "/formgrader", "/formgrader/gradebook/bloc1", "/formgrader/static/js/formgrade.js",
                                  "/formgrader/submissions/components/bootstrap.css", "/files/autograded/x.html",
                                  "/user/x/formgrader/submissions/abc/"])
def test_jupyterlab_and_formgraders_other_pages_keep_their_headers(path):
    assert _policy(path) is None


def test_the_transform_adds_the_policy_beside_jupyters_own():
    request = _request(f"/formgrader/submissions/{SUBMISSION}/")
    headers = HTTPHeaders({"Content-Security-Policy": "frame-ancestors 'self'"})
    status, headers, chunk = LearnerContentPolicy(request).transform_first_chunk(200, headers, b"<html>", True)
    assert headers.get_list("Content-Security-Policy")[0] == "frame-ancestors 'self'"
    assert headers.get_list("Content-Security-Policy")[1].startswith("default-src 'none'")
    assert headers["Referrer-Policy"] == "no-referrer" and (status, chunk) == (200, b"<html>")
    lab = _request("/lab")
    untouched = HTTPHeaders({"Content-Security-Policy": "frame-ancestors 'self'"})
    assert LearnerContentPolicy(lab).transform_first_chunk(200, untouched, b"", True)[1].get_list(
        "Content-Security-Policy") == ["frame-ancestors 'self'"]


def test_the_policy_hashes_the_script_as_the_template_includes_it():
    """Jinja drops the file's last newline; the hash is of what the page holds (tests/grade/test_learner_html.py
    renders real pages)."""
    assert not page_script().endswith("\n") and "window.submission_id" in page_script()


def test_make_install_enables_the_extension_for_the_environments_jupyter(tmp_path):
    assert CSP_EXTENSION == formgrader_csp.EXTENSION
    path = write_server_extension_config(tmp_path)
    assert path == server_extension_config_path(tmp_path) == tmp_path / "jupyter_server_config.d" / "mda_checks.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"ServerApp": {"jpserver_extensions": {CSP_EXTENSION: True}}}
    assert formgrader_csp._jupyter_server_extension_points() == [{"module": CSP_EXTENSION}]
