"""The once-checked schema validator accepts and refuses exactly what nbgrader's own validator does."""
from __future__ import annotations

import copy

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from mda_checks.grade.preprocessors.check_metadata import CheckCellMetadataOnce, MetadataValidatorOnce
from tests.conftest import COURSE


def _outcome(validator, cell) -> tuple[str, str] | None:
    try:
        validator.validate_cell(cell)
    except Exception as error:  # noqa: BLE001 (the outcome compared is the exception itself)
        return type(error).__name__, str(error)
    return None


def _cells():
    return [cell for path in sorted(COURSE.source.glob("*/*.ipynb"))
            for cell in nbformat.read(path, as_version=4).cells if "nbgrader" in cell.metadata]


def _corrupted():
    """Each kind of damage a hand-edited or hostile notebook brings to nbgrader's metadata."""
    base = next(c for c in _cells() if c.metadata["nbgrader"].get("grade"))
    damages = {
        "points en texte": lambda m: m.update(points="beaucoup"),
        "points négatifs": lambda m: m.update(points=-3),
        "grade_id absent": lambda m: m.pop("grade_id"),
        "grade_id vide": lambda m: m.update(grade_id=""),
        "schéma trop ancien": lambda m: m.update(schema_version=1),
        "schéma trop récent": lambda m: m.update(schema_version=9),
        "clé inconnue": lambda m: m.update(inconnue=True),
        "solution non booléenne": lambda m: m.update(solution="oui"),
        "métadonnées vides": lambda m: m.clear(),
    }
    for name, damage in damages.items():
        cell = copy.deepcopy(base)
        damage(cell.metadata["nbgrader"])
        yield pytest.param(cell, id=name)


def test_every_cell_of_the_course_gets_nbgraders_outcome():
    cells = _cells()
    assert len(cells) > 100
    assert [_outcome(MetadataValidatorOnce(), c) for c in cells] == [_outcome(MetadataValidator(), c) for c in cells]


@pytest.mark.parametrize("cell", list(_corrupted()))
def test_damaged_metadata_is_refused_with_nbgraders_error(cell):
    ours, theirs = _outcome(MetadataValidatorOnce(), cell), _outcome(MetadataValidator(), cell)
    assert ours == theirs
    if cell.metadata["nbgrader"].get("inconnue") is None:
        assert theirs is not None  # not vacuous: nbgrader refuses these


def test_the_preprocessor_refuses_a_damaged_notebook_as_nbgrader_does():
    notebook = nbformat.read(sorted(COURSE.source.glob("bloc1/*.ipynb"))[0], as_version=4)
    CheckCellMetadataOnce().preprocess(notebook, {})
    next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")).metadata["nbgrader"]["points"] = "x"
    with pytest.raises(Exception, match="metadata may be corrupted"):
        CheckCellMetadataOnce().preprocess(notebook, {})


def test_every_list_of_the_course_config_checks_metadata_with_the_once_checked_schema():
    """Generating copies and grading them run the same check (nbgrader's own checks the schema for every cell)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE.root)).load_config()
    lists = {f"{app}.{name}": config[app][name] for app, name in [
        ("GenerateAssignment", "preprocessors"), ("Autograde", "sanitize_preprocessors"),
        ("Autograde", "autograde_preprocessors")]}
    once = "mda_checks.grade.preprocessors.check_metadata.CheckCellMetadataOnce"
    for name, steps in lists.items():
        assert "nbgrader.preprocessors.CheckCellMetadata" not in steps, name
        assert once in steps, name
    assert lists["GenerateAssignment.preprocessors"].count(once) == 2  # before and after the solutions are cleared
