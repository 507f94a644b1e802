"""Crafted dossiers for the host-company tests: the example company written out, then altered."""
from __future__ import annotations

import csv
from pathlib import Path

from mda_checks.assign.case_check import POINTS, assignment_checks
from mda_checks.company.example import write_example
from mda_checks.scoring.reference import reference_expected
from mda_checks.scoring.right_answers import RightAnswers


def example_dossier(folder: Path, bloc: int, course=None) -> Path:
    """Numéria Services' dossier for `bloc` (its fit draw when a course is given)."""
    from mda_checks.assign.case_check import acceptor

    write_example(bloc, folder, accept=acceptor(course, f"bloc{bloc}") if course is not None else None)
    return folder


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Put `value` in `column` at file line `line` (the header is line 1)."""
    table = rows(path)
    table[line - 1][table[0].index(column)] = value
    write_rows(path, table)


def set_parameter(path: Path, name: str, value: str) -> None:
    table = rows(path)
    line = next(i for i, row in enumerate(table) if row[0] == name)
    set_cell(path, line + 1, "valeur", value)


def grade(course, assignment: str, folder: Path, grade_id: str, value):
    """`value` handed in at check `grade_id` and scored by the reference on the data in `folder` (out of POINTS)."""
    right = RightAnswers(reference_expected(course.root, assignment, folder))
    for check in assignment_checks(course, assignment):  # in order: carried checks see the earlier right answers
        graded, expected = right.of(check.grade_id, check.spec)
        if check.grade_id == grade_id:
            inputs = {name: right.values[variable] for name, variable in check.spec.carried_from}
            return check.spec.build(value, expected, inputs=inputs, direct=expected).grade(graded, POINTS)
    raise KeyError(grade_id)
