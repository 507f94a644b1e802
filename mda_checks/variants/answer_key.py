"""`mda corrige BLOC APPRENANT`: the right answers of one learner's case, for the trainer.

To discuss a copy with its learner, the trainer needs the values of *that* learner's case: each
check cell's expected value computed by the grader-only reference from the case the learner is
graded on (``learner_case``), carried answers from the right earlier ones. Trainer-side only.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mda_apprenant.check.expected import Expected
from mda_checks.course import Course
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import LearnerCase, learner_case

#: rows of a table shown before « … »
SHOWN_ROWS = 12
#: kinds whose expected value is a list of requirements, not a value to show
REQUIREMENTS = {"FigureAnswer", "ExcelTable"}


@dataclass(frozen=True)
class KeyLine:
    notebook: str
    grade_id: str
    label: str
    value: str


def show_value(value) -> str:
    """A right answer as a trainer reads it in a terminal."""
    if value is None:
        return "(non calculable : une réponse antérieure manque)"
    if isinstance(value, (pd.Series, pd.DataFrame)):
        text = value.head(SHOWN_ROWS).to_string()
        more = len(value) - SHOWN_ROWS
        return "\n" + text + (f"\n… ({more} ligne(s) de plus)" if more > 0 else "")
    if isinstance(value, float):
        return f"{value:,.6g}".replace(",", " ")
    if isinstance(value, (list, set, tuple)):
        return ", ".join(map(str, sorted(value, key=str)))
    return str(value)


def answer_key(course: Course, assignment: str, student: str) -> tuple[LearnerCase, list[KeyLine]]:
    case = learner_case(course, assignment, student)
    expected_of = reference_expected(course.root, assignment, case.folder)
    lines = []
    for name, notebook in course.read_source(assignment).items():
        right_answers = RightAnswers(expected_of)
        for cell in notebook.cells:
            if not cells.is_autograded_test(cell):
                continue
            spec = read_spec(cell.source)
            _, right = right_answers.of(cells.grade_id(cell), spec)
            shown = ("graphique ou classeur : noté sur ses exigences" if spec.kind in REQUIREMENTS
                     else show_value(right.value if isinstance(right, Expected) else None))
            lines.append(KeyLine(name, cells.grade_id(cell), spec.label, shown))
    return case, lines


def answer_key_text(course: Course, assignment: str, student: str) -> list[str]:
    case, lines = answer_key(course, assignment, student)
    where = (f"variante {case.variant} (ses propres données)" if case.is_variant
             else "cas commun (aucune copie personnelle publiée : données de source/)")
    out = [f"Corrigé de {student} · {assignment} · {where}",
           "Valeurs attendues calculées par le corrigé sur les données de cet apprenant ; "
           "les réponses reportées sont celles tirées des bonnes réponses précédentes. À ne pas diffuser."]
    notebook = None
    for line in lines:
        if line.notebook != notebook:
            notebook = line.notebook
            out.append(f"\n== {notebook} ==")
        out.append(f"- {line.label} [{line.grade_id}] : {line.value}")
    return out
