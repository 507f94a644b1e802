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

from nbgrader.api import Gradebook

from mda_checks.course import Course
from mda_checks.csv_input import Column, TableError, read_table
from mda_checks.roster import NAME_RULE, forbidden_name, id_problem

if TYPE_CHECKING:  # changes.py imports this module
    from mda_checks.groups.changes import GroupChange

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


@dataclass
class GroupImport:
    groups: Groups                    # the assignment's groups after the import (or that it would give)
    previous: Groups
    without_group: list[str]          # learners of the gradebook in no group
    submitted_without_group: list[str]  # … who already handed the assignment in
    change: GroupChange | None = None
    applied: bool = True              # False: a simulation, nothing written
    backup: Path | None = None        # the dated copy of the former groupes.csv
    replace: bool = False

    def summary(self, file_name: str) -> list[str]:
        from mda_checks.referentiel import bloc_label

        g = self.groups
        sizes = ", ".join(f"{group} ({len(m)})" for group, m in g.members.items())
        how = ("remplace tous les groupes du devoir (--remplacer)" if self.replace else
               "ajoute ou met à jour ; les apprenants absents du fichier gardent leur groupe (--remplacer pour tout "
               "remplacer)")
        lines = [f"{file_name} : {how}.", *(self.change.lines() if self.change is not None else [])]
        if not self.applied:
            lines.append("Simulation : rien n'a été écrit. Relancez sans --simulation pour appliquer ces changements.")
        elif self.change is None or not self.change.empty:
            lines.append(f"Groupes de {g.assignment} ({bloc_label(g.assignment)}) : {len(g.members)} groupe(s), "
                         f"{len(g.students)} apprenant(s) : {sizes}. Enregistré dans {NAME} : une copie par groupe, "
                         "corrigée une fois, ses notes écrites pour chaque membre ; la soutenance reste individuelle.")
            lines.append(f"Ancien {NAME} sauvegardé : {self.backup}" if self.backup else
                         f"Premier {NAME} du cours : aucune version précédente à sauvegarder.")
        if self.without_group:
            lines.append(f"{len(self.without_group)} apprenant(s) du carnet de notes dans aucun groupe de "
                         f"{g.assignment} (pas de copie de {g.assignment} pour eux) : {', '.join(self.without_group)}")
        if self.submitted_without_group:
            lines.append(f"Attention : {', '.join(self.submitted_without_group)} a (ont) déjà rendu {g.assignment} "
                         "sans être dans aucun groupe : `mda grade` refusera cette copie tant qu'il n'est pas dans "
                         "un groupe (un groupe d'une personne est permis).")
        return lines


def import_groups(course: Course, db_url: str, path: Path, assignment: str, replace: bool = False,
                  simulate: bool = False) -> GroupImport:
    """Check a trainer's file against the gradebook, then add or update the assignment's groups with it (all of
    them replaced with `replace`); the change is computed first, and nothing is written when `simulate`."""
    from mda_checks.groups.changes import back_up_groups, compare, merged

    with Gradebook(db_url) as gb:
        known = {student.id for student in gb.students}
    imported = read_group_file(path, assignment, known)
    previous = read_groups(course, assignment)
    groups = imported if replace else merged(previous, imported)
    change = compare(previous, groups)
    backup = None
    if not simulate and not change.empty:
        backup = back_up_groups(course)
        write_groups(course, groups)
    submitted = course.step("submitted")
    handed_in = {p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()} if submitted.is_dir() else set()
    without = sorted(known - groups.students)
    return GroupImport(groups, previous, without, sorted(handed_in - groups.students), change, not simulate, backup,
                       replace)
