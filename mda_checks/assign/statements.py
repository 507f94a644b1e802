"""Statements that quote the case's numbers: « {{budget_client_ttc}} » in a master, the number in a copy.

A locked markdown cell of a master may quote a parameter of the case data by name. Each copy
shows the number of the data it ships with, rendered at the time the copy is written: the
common release/ from source/<bloc>/data (``RenderStatements``, in nbgrader's generate_assignment),
each learner's copy from their own variant (``render_copy``), and the graded notebook behind their
feedback from the case they were graded on (``grade.preprocessors.render_learner_statements``). The text and the data
always agree.

Parameters: every row (parametre, valeur, unite) of the case's hypotheses files, formatted in
French by its unit, and what a bloc's generator adds with ``statement_parameters(frames)``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import compute_checksum

from mda_checks.casedata import GENERATORS
from mda_checks.course import bloc_number
from mda_checks.notebook import cells

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
LOCALE = "fr_FR"
NBSP = "\u00a0"
#: columns of a hypotheses file: one named parameter per row
HYPOTHESIS_COLUMNS = {"parametre", "valeur", "unite"}


#: the typographic minus sign of French text (« −0,8 »), not the hyphen
MINUS = "\u2212"
#: units written before the number: « niveau 3 »
UNITS_BEFORE = {"niveau"}
#: unit words that do not change in the singular
INVARIABLE = {"mois", "fois"}


def format_number(value: float, decimals: int = 2) -> str:
    """French digits (« 111 000 », « 0,5 », « −0,8 »): no decimals for a whole number."""
    if float(value).is_integer():
        text = format_decimal(int(value), locale=LOCALE)
    else:
        text = format_decimal(round(float(value), decimals), locale=LOCALE, decimal_quantization=False)
    return text.replace("-", MINUS)


def _unit_for(value: float, unit: str) -> str:
    """A unit agrees with its number: below 2 in absolute value, French writes the singular (« 0,8 point »)."""
    if abs(float(value)) >= 2:
        return unit
    return " ".join(word[:-1] if word.endswith("s") and word not in INVARIABLE else word for word in unit.split())


def format_parameter(value, unit: str) -> str:
    """A parameter as a statement writes it: « 111 000 € », « 928,50 € », « 12 % », « 30 jours »,
    « 1 jour », « −0,8 point », « niveau 3 »."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"paramètre non fini : {value}")
    unit = (unit or "").strip()
    if unit in ("euros", "€", "eur"):
        if float(value).is_integer():
            return f"{format_number(value)}{NBSP}€"
        cents = format_decimal(round(float(value), 2), format="#,##0.00", locale=LOCALE).replace("-", MINUS)
        return f"{cents}{NBSP}€"
    if unit == "taux":
        return f"{format_number(value * 100, 1)}{NBSP}%"
    if unit in ("", "ratio"):
        return format_number(value)
    if unit in UNITS_BEFORE:
        return f"{unit}{NBSP}{format_number(value)}"
    return f"{format_number(value)}{NBSP}{_unit_for(value, unit)}"


def case_parameters(assignment: str, frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Every parameter a statement of `assignment` may quote, formatted, from the case's data."""
    found: dict[str, str] = {}
    for frame in frames.values():
        if HYPOTHESIS_COLUMNS <= set(frame.columns):
            for row in frame.itertuples(index=False):
                found[str(row.parametre)] = format_parameter(row.valeur, row.unite)
    module = import_module(GENERATORS[bloc_number(assignment)])
    extra = getattr(module, "statement_parameters", None)
    if extra is not None:
        found.update(extra(frames))
    return found


def read_frames(folder: Path | str) -> dict[str, pd.DataFrame]:
    return {path.name: pd.read_csv(path) for path in sorted(Path(folder).glob("*.csv"))}


def folder_parameters(assignment: str, folder: Path | str) -> dict[str, str]:
    return case_parameters(assignment, read_frames(folder))


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(text: str, parameters: Mapping[str, str]) -> str:
    """`text` with each « {{name}} » replaced; an unknown name is an error of the master."""
    unknown = sorted(placeholders(text) - set(parameters))
    if unknown:
        raise KeyError(f"paramètre(s) inconnu(s) dans un énoncé : {', '.join(unknown)} ; un énoncé ne cite que "
                       "les paramètres des fichiers d'hypothèses du cas et ceux que calcule le générateur du bloc "
                       "(statement_parameters)")
    return PLACEHOLDER.sub(lambda match: parameters[match.group(1)], text)


def master_templates(master: NotebookNode) -> dict[str, str]:
    """grade_id -> source, for the master's locked cells that quote parameters (a learner cannot edit
    a statement, and nbgrader restores it by grade_id). An unlocked cell is never a template: its
    grade_id in a copy is the learner's answer, which a model answer must not overwrite."""
    return {cells.grade_id(cell): cell.source for cell in master.cells
            if cell.cell_type == "markdown" and cells.is_locked(cell) and cells.grade_id(cell)
            and placeholders(cell.source)}


def render_copy(copy: NotebookNode, master: NotebookNode, parameters: Mapping[str, str]) -> int:
    """Render a copy's statements from its master's templates, in place; checksums follow the text
    (nbgrader's validate and autograde compare them). Returns the number of cells rendered."""
    templates, rendered = master_templates(master), 0
    for cell in copy.cells:
        template = templates.get(cells.grade_id(cell) or "")
        if template is None:
            continue
        cell.source = render(template, parameters)
        if "checksum" in cell.metadata.get("nbgrader", {}):
            cell.metadata.nbgrader.checksum = compute_checksum(cell)
        rendered += 1
    return rendered


class RenderStatements(NbGraderPreprocessor):
    """generate_assignment: the common copy quotes the numbers of source/<bloc>/data."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        if not any(placeholders(cell.source) for cell in nb.cells if cell.cell_type == "markdown"):
            return nb, resources
        folder = Path(resources["metadata"]["path"]) / "data"
        parameters = folder_parameters(resources["nbgrader"]["assignment"], folder)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and placeholders(cell.source):
                cell.source = render(cell.source, parameters)
        return nb, resources
