"""The optional extras (grappe, postgresql) stay optional: no module needs them to be imported, and the
features that use them say in French which extra is missing."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mda_checks import extras
from mda_checks.extras import EXTRA_OF, MissingExtra, require
from mda_checks.grade.runs.certificates import CertificateProblem, check_certificates, create_certificates
from mda_checks.grade.runs.cluster import ClusterUnavailable, cluster_security

ROOT = Path(__file__).resolve().parent.parent

# Imports every module of a package in a Python where the extras' modules cannot be imported;
# prints the modules that failed, as JSON.
IMPORT_ALL = textwrap.dedent("""
    import importlib, importlib.abc, json, pkgutil, sys
    blocked, package = set(json.loads(sys.argv[1])), sys.argv[2]

    class Absent(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in blocked:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    sys.meta_path.insert(0, Absent())
    failed = {}
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        try:
            importlib.import_module(module.name)
        except ModuleNotFoundError as error:
            if error.name and error.name.split(".")[0] in blocked:
                failed[module.name] = error.name
    print(json.dumps(failed))
""")


def modules_needing_extras(package: str, cwd: Path) -> dict[str, str]:
    """Module of ``package`` → the extra's module it could not be imported without."""
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL, json.dumps(sorted(EXTRA_OF)), package], cwd=cwd,
                          capture_output=True, text=True, check=True, env={"MPLBACKEND": "Agg", "PATH": ""})
    return json.loads(done.stdout.splitlines()[-1])


def test_no_module_of_the_course_package_needs_an_extra_to_be_imported():
    """A learner's environment (no dask, distributed, cryptography, psycopg) imports all of mda_checks."""
    assert modules_needing_extras("mda_checks", ROOT) == {}


def test_a_module_importing_an_extra_at_its_top_is_found(tmp_path):
    """The check above fails on a module that imports ``distributed`` when it is imported."""
    package = tmp_path / "paquet"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sain.py").write_text("def grade():\n    import distributed\n")
    (package / "fautif.py").write_text("from distributed import Client\n")
    assert modules_needing_extras("paquet", tmp_path) == {"paquet.fautif": "distributed"}


@pytest.fixture
def without(monkeypatch):
    """Makes the named modules look uninstalled to ``require``."""
    def hide(*names: str) -> None:
        real = extras.importlib.util.find_spec
        monkeypatch.setattr(extras.importlib.util, "find_spec", lambda name, package=None: None if name in names else real(name, package))
    return hide


def test_require_names_the_extra_to_install(without):
    without("psycopg")
    with pytest.raises(MissingExtra, match=r"« psycopg ».*make install.*mda-checks\[postgresql\]"):
        require("psycopg", "Le carnet de notes PostgreSQL")
    require("json", "Rien")  # installed: nothing said


def test_a_postgresql_gradebook_without_psycopg_says_so_in_french(without, monkeypatch):
    """The course's configuration names the extra before SQLAlchemy fails in English."""
    from mda_checks.nbgrader_api import course_config

    without("psycopg")
    monkeypatch.setenv("MDA_GRADEBOOK_URL", "postgresql+psycopg://mda@127.0.0.1:5432/carnet")
    with pytest.raises(MissingExtra, match=r"PostgreSQL.*mda-checks\[postgresql\]"):
        course_config(ROOT)
    monkeypatch.delenv("MDA_GRADEBOOK_URL")
    assert course_config(ROOT).CourseDirectory.db_url.startswith("sqlite:///")  # the default needs no extra


def test_grading_on_a_cluster_without_dask_says_so_in_french(without, tmp_path):
    without("distributed")
    with pytest.raises(ClusterUnavailable, match=r"grappe Dask.*mda-checks\[grappe\]"):
        cluster_security("tls://planificateur:8786", tmp_path)


def test_cluster_certificates_without_cryptography_say_so_in_french(without, tmp_path):
    without("cryptography")
    with pytest.raises(CertificateProblem, match=r"certificats.*mda-checks\[grappe\]"):
        create_certificates(tmp_path / "certificats")
    with pytest.raises(CertificateProblem, match=r"mda-checks\[grappe\]"):
        check_certificates(tmp_path)
    assert not (tmp_path / "certificats").exists()
