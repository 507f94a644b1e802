"""What `mda groupes` changes, shown before it is applied: learners added, moved or removed, groups made or emptied.

By default a trainer's file adds or updates: each learner of the file goes to the file's group (a learner
already in another group of the assignment is *moved*), and everyone else keeps their group; a group left
with no member disappears. With ``--remplacer`` the file becomes the assignment's groups, and a learner
absent from it leaves their group. Before any change, the current ``groupes.csv`` is copied, dated, to
``.mda/historique-groupes/`` (the trainer's private folder: git-ignored and in every `mda sauvegarde`).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mda_checks.course import Course
from mda_checks.groups.roster import Groups, groups_path

HISTORY = ".mda/historique-groupes"


def merged(previous: Groups, imported: Groups) -> Groups:
    """`previous` updated by `imported`: its learners in their new group, the others where they were."""
    moving = imported.students
    members: dict[str, list[str]] = {g: [s for s in m if s not in moving] for g, m in previous.members.items()}
    for group, students in imported.members.items():
        members.setdefault(group, [])
        members[group] += [s for s in students if s not in members[group]]
    return Groups(imported.assignment, {g: tuple(m) for g, m in members.items() if m})


@dataclass(frozen=True)
class GroupChange:
    """From `previous` to `result`, learner by learner and group by group."""

    previous: Groups
    result: Groups
    added: list[tuple[str, str]] = field(default_factory=list)         # (learner, group): in no group before
    moved: list[tuple[str, str, str]] = field(default_factory=list)    # (learner, old group, new group)
    removed: list[tuple[str, str]] = field(default_factory=list)       # (learner, old group): now in none
    new_groups: list[str] = field(default_factory=list)
    removed_groups: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.moved or self.removed or self.new_groups or self.removed_groups)

    def lines(self) -> list[str]:
        """The change in French, one line per learner or group."""
        if self.empty:
            return ["Aucun changement : les groupes enregistrés sont déjà ceux-là."]
        lines = ["Changements :"]
        lines += [f"  + nouveau groupe {g} : {', '.join(self.result.members[g])}" for g in self.new_groups]
        lines += [f"  + {s} entre dans le groupe {g}" for s, g in self.added if g not in self.new_groups]
        lines += [f"  ↪ {s} change de groupe : {old} → {new} (sa copie rendue ne compte plus pour {old})"
                  for s, old, new in self.moved]
        lines += [f"  − {s} quitte le groupe {g} et n'est plus dans aucun groupe" for s, g in self.removed]
        lines += [f"  − groupe {g} supprimé (plus aucun membre)" for g in self.removed_groups]
        if self.unchanged:
            lines.append(f"  = {self.unchanged} apprenant(s) restent dans leur groupe.")
        return lines


def compare(previous: Groups, result: Groups) -> GroupChange:
    added, moved, removed = [], [], []
    for student in sorted(previous.students | result.students):
        old, new = previous.group_of(student), result.group_of(student)
        if old is None:
            added.append((student, new))
        elif new is None:
            removed.append((student, old))
        elif old != new:
            moved.append((student, old, new))
    unchanged = sum(previous.group_of(s) == result.group_of(s) for s in previous.students)
    return GroupChange(previous, result, added, moved, removed,  # type: ignore[arg-type]  # a learner is in one of them
                       [g for g in result.members if g not in previous.members],
                       [g for g in previous.members if g not in result.members], unchanged)


def back_up_groups(course: Course, now: datetime | None = None) -> Path | None:
    """Copy groupes.csv to .mda/historique-groupes/groupes-AAAAMMJJ-HHMMSS.csv (None: no groupes.csv yet)."""
    source = groups_path(course)
    if not source.is_file():
        return None
    folder = course.root / HISTORY
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"groupes-{(now or datetime.now()):%Y%m%d-%H%M%S}"
    target, number = folder / f"{stamp}.csv", 1
    while target.exists():  # two changes in the same second: never overwrite the earlier copy
        number += 1
        target = folder / f"{stamp}-{number}.csv"
    shutil.copy2(source, target)
    return target
