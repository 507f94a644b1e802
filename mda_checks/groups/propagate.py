"""The group's grades written for every member, after ``mda grade`` and before reports and feedback.

For each group that handed in, its copy (``selection``: the latest submission of its members) is
graded once, under the id of the member who handed it in. Its grades — automatic ones, and the
manual ones the trainer enters on that copy in formgrader — are then written, through nbgrader's
API, into every other member's submission (created when the member handed nothing in), and its
graded notebooks are copied into each member's ``autograded/`` folder, so that formgrader, the
feedback and the reports show them. The individual cells (``parts``: the oral defence's jury
grids) are never touched: each member keeps their own, graded on their own copy.

Never lose a grade. A manual grade (or comment) that a trainer entered on a member's copy of a
group cell, and that differs from the group's copy, is **kept** and reported in French at every
run until the two agree (enter the same grade on the group's copy, or clear the member's): the
ledger ``autograded/groupes_propagation.json`` records what propagation last wrote for each member,
so a value it wrote itself is simply replaced when the group's grade changes.

Idempotent: a rerun writes the same values (same gradebook, same files).
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from mda_checks.course import Course
from mda_checks.grade.autograde import submitted_students
from mda_checks.groups.parts import individual_cells, individual_notebooks
from mda_checks.groups.roster import Groups, read_groups
from mda_checks.groups.selection import GroupSelection, select_group_copies

LEDGER = "groupes_propagation.json"


@dataclass(frozen=True)
class Conflict:
    """A member's manual grade or comment on a group cell that differs from the group's copy."""

    assignment: str
    student: str
    group: str
    source: str
    notebook: str
    grade_id: str
    member_value: object
    group_value: object
    what: str = "note"

    def message(self) -> str:
        return (f"{self.student} · {self.assignment} · {self.notebook}:{self.grade_id} : {self.what} manuelle "
                f"« {_shown(self.member_value)} » saisie sur la copie de {self.student}, « {_shown(self.group_value)} » "
                f"sur la copie du groupe {self.group} (celle de {self.source}). Celle de {self.student} est conservée ; "
                f"saisissez la même sur la copie de {self.source}, ou effacez-la sur celle de {self.student} pour "
                "qu'elle reçoive celle du groupe")


def _shown(value) -> str:
    if isinstance(value, tuple):
        score, extra = value
        text = "vide" if score is None else f"{score:g}"
        return text + (f" + {extra:g} bonus" if extra else "")
    return "vide" if value in (None, "") else str(value)


@dataclass
class Propagation:
    """What one propagation of one assignment did and found."""

    assignment: str
    groups: Groups
    selection: GroupSelection
    members_written: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)  # groups whose copy has no grades yet

    def summary(self, without_group: bool = True) -> list[str]:
        lines = [f"{self.assignment} (devoir de groupe) : {len(self.selection.copies)} groupe(s) ont rendu ; notes de "
                 f"groupe écrites pour {len(self.members_written)} membre(s) ; soutenances individuelles inchangées."]
        lines += [f"Rendu remplacé — {student} : {note}" for student, note in self.selection.superseded_notes()]
        lines += [f"Copie de groupe pas encore corrigée : {group}" for group in self.not_graded]
        lines += [f"Note en désaccord — {c.message()}" for c in self.conflicts]
        if without_group:
            lines += [f"Dans aucun groupe — {self.selection.without_group_reason(s)}" for s in self.selection.without_group]
        return lines


def ledger_path(course: Course) -> Path:
    return course.step("autograded") / LEDGER


def _read_ledger(course: Course) -> dict:
    try:
        return json.loads(ledger_path(course).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_ledger(course: Course, ledger: dict) -> None:
    path = ledger_path(course)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(ledger, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _key(notebook: str, grade_id: str) -> str:
    return f"{notebook}/{grade_id}"


def _manual_values(submission) -> dict[str, list]:
    """What a trainer enters on a copy: (manual score, extra credit) per grade, the manual comment per cell."""
    values = {}
    for nb in submission.notebooks:
        for g in nb.grades:
            values[_key(nb.name, g.name)] = [g.manual_score, g.extra_credit]
        for c in nb.comments:
            values["commentaire:" + _key(nb.name, c.name)] = c.manual_comment
    return values


def group_selection(course: Course, assignment: str) -> GroupSelection | None:
    """None for an assignment without groups."""
    groups = read_groups(course, assignment)
    if not groups:
        return None
    return select_group_copies(course, groups, submitted_students(course, assignment))


def propagate_assignment(course: Course, db_url: str, assignment: str) -> Propagation | None:
    """Write each group's grades for its members (see the module's text); None: not a group assignment."""
    groups = read_groups(course, assignment)
    if not groups:
        return None
    selection = select_group_copies(course, groups, submitted_students(course, assignment))
    result = Propagation(assignment, groups, selection)
    individual = individual_cells(course, assignment)
    own_notebooks = individual_notebooks(course, assignment)
    ledger = _read_ledger(course)
    written = ledger.setdefault(assignment, {})
    autograded = course.step("autograded")
    with Gradebook(db_url) as gb:
        for group, copy in sorted(selection.copies.items()):
            try:
                source = gb.find_submission(assignment, copy.source)
            except MissingEntry:
                source = None
            if source is None or not (autograded / copy.source / assignment).is_dir():
                result.not_graded.append(group)
                continue
            # the group's copy: what a trainer entered there is the group's grade
            written[copy.source] = {"source": copy.source, "valeurs": _manual_values(source)}
            grades = {(nb.name, g.name): g for nb in source.notebooks for g in nb.grades}
            comments = {(nb.name, c.name): c for nb in source.notebooks for c in nb.comments}
            penalties = {nb.name: nb.late_submission_penalty for nb in source.notebooks}
            for member in copy.members:
                if member == copy.source:
                    continue
                previous = written.get(member, {}).get("valeurs", {})
                gb.update_or_create_student(member)
                target = gb.update_or_create_submission(assignment, member)
                target.timestamp = source.timestamp
                now = {}
                for nb in target.notebooks:
                    for g in nb.grades:
                        key = (nb.name, g.name)
                        if key in individual:  # the member's own part: pending until the jury grades it
                            if g.manual_score is None and g.auto_score is None:
                                g.needs_manual_grade = True
                            continue
                        found = grades.get(key)
                        if found is None:
                            continue
                        g.auto_score = found.auto_score
                        mine, theirs = (g.manual_score, g.extra_credit), (found.manual_score, found.extra_credit)
                        stored = tuple(previous[_key(*key)]) if _key(*key) in previous else None
                        if mine == theirs or mine == (None, None) or mine == stored:
                            g.manual_score, g.extra_credit = theirs
                            g.needs_manual_grade = found.needs_manual_grade
                            now[_key(*key)] = list(theirs)
                        else:
                            result.conflicts.append(Conflict(assignment, member, group, copy.source, nb.name, g.name,
                                                             mine, theirs))
                            if stored is not None:
                                now[_key(*key)] = list(stored)
                    if nb.name in penalties and nb.name not in own_notebooks:
                        nb.late_submission_penalty = penalties[nb.name]
                    for c in nb.comments:
                        key = (nb.name, c.name)
                        found = comments.get(key)
                        if key in individual or found is None:
                            continue
                        c.auto_comment = found.auto_comment
                        label = "commentaire:" + _key(*key)
                        mine, theirs, stored = c.manual_comment, found.manual_comment, previous.get(label)
                        if mine == theirs or not mine or (label in previous and mine == stored):
                            c.manual_comment = theirs
                            now[label] = theirs
                        else:
                            result.conflicts.append(Conflict(assignment, member, group, copy.source, nb.name, c.name,
                                                             mine, theirs, "commentaire"))
                            if label in previous:
                                now[label] = stored
                gb.db.commit()
                written[member] = {"source": copy.source, "valeurs": now}
                copy_group_notebooks(course, assignment, copy.source, member, own_notebooks)
                result.members_written.append(member)
    _write_ledger(course, ledger)
    return result


def copy_group_notebooks(course: Course, assignment: str, source: str, member: str, individual: set[str]) -> None:
    """autograded/<member>/<assignment>/ := the group's graded files, the member's own individual notebooks kept
    (the group's copy of an individual notebook is used only when the member has none: its grids are empty)."""
    autograded = course.step("autograded")
    origin, target = autograded / source / assignment, autograded / member / assignment
    staging = target.parent / f".{assignment}.groupe"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(origin, staging, symlinks=True)
    for name in individual:
        own = target / f"{name}.ipynb"
        if own.is_file():
            shutil.copyfile(own, staging / own.name)
    previous = target.parent / f".{assignment}.ancien"
    if target.exists():
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(target, previous)
    os.replace(staging, target)
    shutil.rmtree(previous, ignore_errors=True)


def propagate_groups(course: Course, db_url: str, assignments: list[str] | None = None) -> list[Propagation]:
    """Propagate every group assignment among `assignments` (all by default)."""
    found = []
    for assignment in assignments or course.assignments():
        result = propagate_assignment(course, db_url, assignment)
        if result is not None:
            found.append(result)
    return found
