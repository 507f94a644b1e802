"""The autograde exporter refuses a notebook above the size cap before opening it, whatever way grading takes."""
from __future__ import annotations

import nbformat
import pytest
from nbconvert.exporters import NotebookExporter

from mda_checks.config import GRADING_LIMITS
from mda_checks.grade.capped_exporter import SizeCappedExporter
from mda_checks.grade.inspect import NotebookTooLarge
from mda_checks.nbgrader_api import course_config
from tests.conftest import REPO


def test_a_notebook_above_the_cap_is_refused_unopened_and_one_at_the_cap_is_read(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(NotebookExporter, "from_filename", lambda self, filename, resources=None, **kw:
                        opened.append(filename) or (nbformat.v4.new_notebook(), {}))
    huge, fitting = tmp_path / "geant.ipynb", tmp_path / "juste.ipynb"
    with huge.open("wb") as handle:
        handle.truncate(GRADING_LIMITS.submission_bytes + 1)  # sparse: nothing to read anyway
    with fitting.open("wb") as handle:
        handle.truncate(GRADING_LIMITS.submission_bytes)
    with pytest.raises(NotebookTooLarge, match=r"carnet trop volumineux \(20,0 Mio, au-delà de la limite de 20 Mio\)"
                                               r" : refusé sans être lu"):
        SizeCappedExporter().from_filename(str(huge))
    assert opened == []
    SizeCappedExporter().from_filename(str(fitting))
    assert opened == [str(fitting)]


def test_the_course_configuration_gives_every_autograde_this_exporter():
    """Plain `nbgrader autograde` and formgrader's button read the course's configuration, as `mda grade` does."""
    from nbgrader.converters import Autograde

    config = course_config(REPO)
    assert Autograde(config=config).exporter_class is SizeCappedExporter
