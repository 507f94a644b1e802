"""Which submission is a group's: the most recent among its members' (their copies' ``timestamp.txt``).

The time of a copy is ``mda_checks.collect.timing.recorded_time``: the time ``mda collecte`` found
the submission handed in (never one its learner wrote), and never later than the moment the copy's
``timestamp.txt`` was written, so that no copy can claim a time still to come and stay « the
latest » of its group for good (a copy collected by ``nbgrader collect`` keeps its learner's date).

Members hand in with nbgrader as usual, each under their own id. At ``mda grade``, for a group
assignment, only the group's submission is graded (once); an older one by another member is
recorded as superseded (« rendu remplacé par celui de … », in the journal and the reports), never
silently dropped. A learner who handed in but is in no group (never put in one, or removed from
their group after handing in) is named in a French error: their copy is not graded until the
trainer puts them in a group (a group of one grades them alone).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mda_checks.collect.timing import recorded_time
from mda_checks.course import Course
from mda_checks.groups.roster import Groups
from mda_checks.report.timing import format_when

SUPERSEDED = "remplacé"


@dataclass(frozen=True)
class GroupCopy:
    group: str
    members: tuple[str, ...]
    source: str                 # the member whose submission is the group's
    timestamp: datetime | None
    superseded: tuple[str, ...]  # members who handed in too, earlier


@dataclass
class GroupSelection:
    assignment: str
    copies: dict[str, GroupCopy] = field(default_factory=dict)  # group -> its copy (groups that handed in)
    without_group: list[str] = field(default_factory=list)      # handed in, in no group

    @property
    def graded(self) -> set[str]:
        """The learners whose submission is graded: one per group."""
        return {copy.source for copy in self.copies.values()}

    def source_of(self, student: str) -> GroupCopy | None:
        for copy in self.copies.values():
            if student in copy.members:
                return copy
        return None

    def superseded_notes(self) -> list[tuple[str, str]]:
        """(learner, French note) for each superseded submission."""
        notes = []
        for group, copy in sorted(self.copies.items()):
            when = f" le {format_when(copy.timestamp)}" if copy.timestamp else ""
            for student in copy.superseded:
                notes.append((student, f"rendu remplacé par celui de {copy.source} (rendu{when}), la copie du groupe "
                                       f"{group} : il n'est pas corrigé, la note du groupe compte pour chaque membre"))
        return notes

    def without_group_reason(self, student: str) -> str:
        return (f"{student} a rendu {self.assignment} mais n'est dans aucun groupe de {self.assignment} (groupes.csv) : "
                "copie non corrigée. Ajoutez-le à un groupe avec `mda groupes` (un groupe d'une personne le corrige "
                "seul), puis relancez `mda grade`")


def submission_time(course: Course, student: str, assignment: str) -> datetime | None:
    """The copy's time in naive UTC (as nbgrader's), never later than its timestamp.txt was written."""
    when = recorded_time(course.step("submitted") / student / assignment)
    return None if when is None else when.replace(tzinfo=None)


def select_group_copies(course: Course, groups: Groups, submitted: list[str]) -> GroupSelection:
    """The group's submission of each group that handed in, the superseded ones, those in no group."""
    selection = GroupSelection(groups.assignment)
    handed_in = set(submitted)
    for group, members in groups.members.items():
        candidates = [m for m in members if m in handed_in]
        if not candidates:
            continue
        times = {m: submission_time(course, m, groups.assignment) for m in candidates}
        # latest first; no timestamp counts as oldest; equal times: the id decides (stable choice)
        ordered = sorted(candidates, key=lambda m: (times[m] is not None, times[m] or datetime.min, m), reverse=True)
        selection.copies[group] = GroupCopy(group, members, ordered[0], times[ordered[0]], tuple(ordered[1:]))
    selection.without_group = sorted(handed_in - groups.students)
    return selection


def member_sentence(groups: Groups, selection: GroupSelection, student: str) -> str:
    """What a report or a feedback page says of a member's group and of the copy graded for it."""
    group = groups.group_of(student)
    if group is None:
        return (f"Devoir de groupe : {student} n'est dans aucun groupe de {groups.assignment} ; ses notes de groupe "
                "ne sont plus mises à jour (ajoutez-le à un groupe avec `mda groupes`).")
    members = ", ".join(groups.members[group])
    text = f"Devoir de groupe — groupe {group} : {members}. "
    copy = selection.copies.get(group)
    if copy is None:
        return text + "Le groupe n'a encore rien rendu. La soutenance est notée pour chaque membre."
    when = f" le {format_when(copy.timestamp)}" if copy.timestamp else ""
    text += (f"Dossier du groupe : la copie rendue par {copy.source}{when}, corrigée une fois, mêmes points pour "
             "chaque membre. Soutenance individuelle : la grille du jury de chaque membre, notée pour lui seul.")
    if student in copy.superseded:
        text += f" Le rendu de {student} a été remplacé par celui de {copy.source}, plus récent."
    return text


def group_sentences(course: Course, assignments: list[str]) -> dict[tuple[str, str], str]:
    """(learner, assignment) -> ``member_sentence`` for every learner named in a group assignment's groups."""
    from mda_checks.grade.autograde import submitted_students
    from mda_checks.groups.roster import read_groups

    found = {}
    for assignment in assignments:
        groups = read_groups(course, assignment)
        if not groups:
            continue
        selection = select_group_copies(course, groups, submitted_students(course, assignment))
        for student in groups.students | set(selection.without_group):
            found[(student, assignment)] = member_sentence(groups, selection, student)
    return found
