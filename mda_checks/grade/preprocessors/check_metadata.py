"""nbgrader's cell-metadata check with its JSON schema checked once per process, not once per cell.

``jsonschema.validate`` first validates the schema itself against its meta-schema, then the
instance; nbgrader calls it for every cell, twice per graded notebook (sanitizing, then after
execution) and twice per generated learner copy: about 0.15 s of processor per notebook of
bloc 1. Here one ``jsonschema`` validator is kept per schema version and raises the error
``jsonschema.validate`` would (``best_match`` of the same errors). nbgrader's other checks (grade ids, points, cell types…) are its own
``MetadataValidatorV3`` code, unchanged.
"""
from __future__ import annotations

import traceback

import jsonschema
from jsonschema.exceptions import best_match
from nbformat import NotebookNode
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata

_schemas: dict[int, dict] = {}
_validators: dict[int, object] = {}


class _SchemaOnce(BaseMetadataValidator):
    """``BaseMetadataValidator``, its schema read and checked once per process."""

    def __init__(self) -> None:
        if self.schema_version not in _schemas:
            super().__init__()
            _schemas[self.schema_version] = self.schema  # type: ignore[has-type]  # set by nbgrader's __init__
        self.schema = _schemas[self.schema_version]

    def _validator(self):
        if self.schema_version not in _validators:
            kind = jsonschema.validators.validator_for(self.schema)
            kind.check_schema(self.schema)
            _validators[self.schema_version] = kind(self.schema)
        return _validators[self.schema_version]

    def validate_cell(self, cell: NotebookNode) -> None:
        """As nbgrader's: the schema version, then the schema (``jsonschema.validate``'s error)."""
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        error = best_match(self._validator().iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class MetadataValidatorOnce(MetadataValidatorV3, _SchemaOnce):
    """nbgrader's v3 validator; its ``super().validate_cell`` reaches ``_SchemaOnce``."""


class CheckCellMetadataOnce(CheckCellMetadata):
    """``CheckCellMetadata`` (same messages, same errors) with ``MetadataValidatorOnce``."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        try:
            MetadataValidatorOnce().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)  # noqa: B904 - as nbgrader's CheckCellMetadata: the traceback is logged above
        return nb, resources
