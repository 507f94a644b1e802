"""The course's groups: ``groupes.csv`` at the course root, the one place they are declared.

``mda groupes FICHIER [--devoir bloc4]`` reads a CSV (columns ``groupe`` and ``apprenant``, UTF-8,
``;`` or ``,`` like ``mda apprenants``), checks it entirely (ids well formed, every learner known
in the gradebook, no learner in two groups) and writes the assignment's rows into ``groupes.csv``
(columns ``devoir;groupe;apprenant``): the file adds or updates (``--remplacer``: replaces) that
assignment's groups, the change shown first and the former file kept (``changes.py``). An assignment
with rows in ``groupes.csv`` is a group assignment: one submission per group, graded once.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any


from mda_checks.course import Course
from mda_checks.csv_input import Column, TableError, read_table
from mda_checks.roster import NAME_RULE, forbidden_name, id_problem

if TYPE_CHECKING:  # changes.py imports this module
    pass

NAME = "groupes.csv"
ASSIGNMENT, GROUP, LEARNER = "devoir", "groupe", "apprenant"
COLUMNS = [Column(GROUP, ("groupe", "equipe", "group")), Column(LEARNER, ("apprenant", "id", "identifiant"))]
STORED_COLUMNS = [Column(ASSIGNMENT, ("devoir",)), *COLUMNS]
NOTHING = "aucun groupe n'a été importé"
#: the seed identity of a group's case (variants): never a learner id, which has no « : »
SEED_PREFIX = "groupe:"


@dataclass(frozen=True)
class Groups:
    """The groups of one assignment: group id -> its members (file order)."""

    assignment: str
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.members)

    def group_of(self, student: str) -> str | None:
        for group, members in self.members.items():
            if student in members:
                return group
        return None

    @property
    def students(self) -> set[str]:
        return {s for members in self.members.values() for s in members}


def groups_path(course: Course) -> Path:
    return course.root / NAME


def _group_problem(value: str) -> str | None:
    if not value:
        return "nom de groupe vide (chaque apprenant est dans un groupe nommé)"
    if forbidden_name(value):
        return f"nom de groupe « {value} » invalide : {NAME_RULE}"
    return None


def parse_groups(path: Path, rows, assignment: str, known: set[str] | None, consequence: str) -> Groups:
    """Groups from table rows; TableError names every problem with its line."""
    members: dict[str, Any]
    first: dict[str, Any]
    problems, members, first = [], {}, {}
    for row in rows:
        group, student = row.values[GROUP], row.values[LEARNER]
        found = []
        if (problem := _group_problem(group)) is not None:
            found.append(problem)
        if (problem := id_problem(student)) is not None:
            found.append(f"apprenant : {problem}")
        elif known is not None and student not in known:
            found.append(f"apprenant « {student} » inconnu du carnet de notes (inscrivez-le d'abord avec "
                         "`mda apprenants FICHIER.csv`)")
        elif student in first:
            line, other = first[student]
            found.append(f"apprenant « {student} » déjà dans le groupe « {other} » (ligne {line}) : "
                         "un apprenant est dans un seul groupe" if other != group else
                         f"apprenant « {student} » en double dans le groupe « {group} » (déjà ligne {line})")
        if found:
            problems += [f"ligne {row.line} : {p}" for p in found]
            continue
        first[student] = (row.line, group)
        members.setdefault(group, []).append(student)
    if problems:
        raise TableError(path, problems, consequence)
    if not members:
        raise TableError(path, ["aucun groupe : le fichier n'a que la ligne des colonnes"], consequence)
    return Groups(assignment, {g: tuple(m) for g, m in members.items()})


def read_group_file(path: Path, assignment: str, known: set[str] | None = None) -> Groups:
    """A trainer's file (groupe, apprenant), checked entirely."""
    rows = read_table(path, COLUMNS, consequence=NOTHING)
    return parse_groups(Path(path), rows, assignment, known, NOTHING)


def read_groups(course: Course, assignment: str) -> Groups:
    """The groups of `assignment` declared in the course (empty: not a group assignment)."""
    path = groups_path(course)
    if not path.is_file():
        return Groups(assignment)
    consequence = "les groupes du cours sont illisibles (corrigez groupes.csv ou réimportez-les avec `mda groupes`)"
    rows = [row for row in read_table(path, STORED_COLUMNS, consequence=consequence)
            if row.values[ASSIGNMENT] == assignment]
    if not rows:
        return Groups(assignment)
    return parse_groups(path, rows, assignment, None, consequence)


def is_grouped(course: Course, assignment: str) -> bool:
    return bool(read_groups(course, assignment))


def seed_identity(course: Course, assignment: str, student: str) -> str:
    """Whose case a learner's copy carries: their group's (« groupe:G1 ») in a group assignment,
    else their own (their id)."""
    group = read_groups(course, assignment).group_of(student)
    return f"{SEED_PREFIX}{group}" if group else student


def write_groups(course: Course, groups: Groups) -> Path:
    """Replace the rows of `groups.assignment` in groupes.csv (atomically); other assignments are kept."""
    path = groups_path(course)
    kept = []
    if path.is_file():
        kept = [(r.values[ASSIGNMENT], r.values[GROUP], r.values[LEARNER])
                for r in read_table(path, STORED_COLUMNS) if r.values[ASSIGNMENT] != groups.assignment]
    rows = kept + [(groups.assignment, g, s) for g, members in groups.members.items() for s in members]
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow([ASSIGNMENT, GROUP, LEARNER])
        writer.writerows(rows)
    os.replace(temporary, path)
    return path
