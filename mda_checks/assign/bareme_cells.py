"""The « Barème » block of each master notebook, generated from the barème (``mda_apprenant.bareme``).

Each notebook's conventions cell ends its hand-written conventions with a block between
two markers: the common conventions and tolerances, and the rules of credit, naming the
convention slips this notebook's checks recognise and the questions graded from the
learner's earlier results. ``mda build`` refreshes the blocks before generating release/,
so the text a learner reads is the rule the grader applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from nbformat import NotebookNode

from mda_apprenant.bareme import TOLERANCES, Family, bareme_markdown
from mda_apprenant.check.answers import Table
from mda_apprenant.check.scalars import Scalar
from mda_checks.course import Course
from mda_checks.scoring.answer_spec import KINDS, read_spec
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells

BEGIN = "<!-- barème : bloc généré par « mda build » depuis apprenant/mda_apprenant/bareme.py, ne pas modifier à la main -->"
END = "<!-- fin du barème -->"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)


@dataclass(frozen=True)
class NotebookBareme:
    """What one notebook's checks recognise: convention slips, and carried questions."""

    conventions: tuple[str, ...]
    carried: tuple[str, ...]

    def markdown(self) -> str:
        return f"{BEGIN}\n{bareme_markdown(self.conventions, self.carried)}\n{END}"


def generic_slips(kind: str, settings: dict) -> list[str]:
    """Slips an answer kind recognises on its own: its ``generic_mistakes`` (asked on a sample
    value), and the rounding rule of a kind graded as a whole number."""
    answer = KINDS[kind]("", None, **settings)
    if not hasattr(answer, "generic_mistakes"):
        return []
    sample = pd.DataFrame({"valeur": [1.0]}) if isinstance(answer, Table) else 1.0
    found = [mistake.slip for mistake in answer.generic_mistakes(sample)]
    if isinstance(answer, Scalar) and TOLERANCES[answer.kind].integer:
        found.append("arrondi")  # Scalar.compare: an unrounded count whose rounding is right
    return found


def notebook_bareme(notebook: NotebookNode, expected_of) -> NotebookBareme:
    conventions, carried = [], []
    for cell in notebook.cells:
        if not cells.is_autograded_test(cell):
            continue
        spec = read_spec(cell.source)
        expected = expected_of(cells.grade_id(cell))
        conventions += [m.slip for m in expected.mistakes if m.kind.family is Family.CONVENTION]
        conventions += generic_slips(spec.kind, spec.settings)
        if spec.carried_inputs is not None:
            carried.append(spec.label)
    return NotebookBareme(tuple(dict.fromkeys(conventions)), tuple(carried))


def conventions_cell(notebook: NotebookNode) -> NotebookNode | None:
    """The cell holding the notebook's conventions (grade_id ``*_conventions``), if any."""
    found = [c for c in notebook.cells if c.cell_type == "markdown" and cells.grade_id(c).endswith("_conventions")]
    return found[0] if found else None


def with_block(text: str, block: str) -> str:
    """The conventions text with its barème block replaced (or added at the end)."""
    if _BLOCK.search(text):
        return _BLOCK.sub(lambda _: block, text)
    return text.rstrip() + "\n\n" + block


def refresh_bareme(course: Course, assignment: str, write: bool = True) -> list[Path]:
    """Regenerate the barème block of each master notebook of `assignment`; return those that changed."""
    expected_of = reference_expected(course.root, assignment, course.source / assignment / "data")
    changed = []
    for path in course.source_notebooks(assignment):
        notebook = nbformat.read(path, as_version=4)
        cell = conventions_cell(notebook)
        if cell is None:  # the structure tests require one in every master; a scratch notebook may have none
            continue
        text = with_block(cell.source, notebook_bareme(notebook, expected_of).markdown())
        if text != cell.source:
            changed.append(path)
            if write:
                cell.source = text
                nbformat.write(notebook, path)
    return changed
