"""`mda build` refuses masters whose metadata.mda the schema refuses, before building anything."""
from __future__ import annotations

import nbformat

from mda_checks.cli import main
from mda_checks.notebook import cells
from tests.conftest import copy_course


def test_a_master_with_a_string_of_criteria_is_refused_and_release_is_left_alone(tmp_path, monkeypatch, capsys):
    course = copy_course(tmp_path)
    path = course.source_notebooks("bloc2")[0]
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if cells.is_graded(c))
    cell.metadata["mda"]["ce"] = "CE2.1.1"
    nbformat.write(notebook, path)
    monkeypatch.chdir(course.root)
    assert main(["build"]) == 2
    error = capsys.readouterr().err
    assert f"bloc2/{path.name}" in error and f"« {cells.grade_id(cell)} »" in error and "mda.ce" in error
    assert '"CE2.1.1" refusé' in error
    assert not course.release.exists() or not any(course.release.iterdir())  # bloc1, checked first, not built either
