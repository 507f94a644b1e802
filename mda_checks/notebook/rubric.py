"""The header of a grading grid, written from data: its points and its criteria as ``referentiel.json`` words them.

A grid (the locked cell above a written answer, or a jury's task cell) starts with a block between two
markers: its title with the points of the graded cell, then each criterion the cell declares
(``metadata.mda.ce``) with the referentiel's text, its own lists kept as lists. ``mda build`` refreshes
the blocks (``mda_checks.assign.rubric_headers``): the text a learner reads is the criterion the jury
holds, and the points are those nbgrader grades.
"""
from __future__ import annotations

import re

from mda_apprenant.check.formatting import format_points
from mda_checks.referentiel import load_referentiel

BEGIN = "<!-- en-tête de grille : généré par « mda build » (points de la cellule notée, referentiel.json), ne pas modifier à la main -->"
END = "<!-- fin de l'en-tête de grille -->"
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
CRITERIA_TITLE = "Critères du référentiel évalués :"


def criterion_item(code: str) -> str:
    """One criterion as a list item: its code, its text; the lines of a list in the text stay a nested list."""
    first, *rest = load_referentiel().criterion(code).text.strip().split("\n")
    return "\n".join([f"- **{code}** — {first.strip()}", *(f"  {line.strip()}" for line in rest if line.strip())])


def header_markdown(points: float, codes: list[str] | tuple[str, ...], jury: bool = False) -> str:
    """The generated block: the grid's title with its points, then its criteria."""
    title = (f"**Grille du jury — {format_points(points)} point(s)**" if jury
             else f"**Grille de correction — {format_points(points)} point(s), notée par le formateur**")
    criteria = "\n".join(criterion_item(code) for code in codes)
    return f"{BEGIN}\n{title}\n\n{CRITERIA_TITLE}\n\n{criteria}\n{END}"


def with_header(text: str, block: str) -> str:
    """The grid's text with its header block replaced (or put first)."""
    if BLOCK.search(text):
        return BLOCK.sub(lambda _: block, text, count=1)
    return block + "\n\n" + text.lstrip()
