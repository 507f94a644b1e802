"""`mda groupes BLOC FICHIER`: a trainer's group file checked against the gradebook, then merged or replacing.

Computing and writing are two steps (``plan_groups``, then ``apply_groups``): the trainer sees the change,
and confirms it when learners would leave or change group, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, replace as replaced
from pathlib import Path

from nbgrader.api import Gradebook

from mda_checks.course import Course
from mda_checks.groups.changes import GroupChange, back_up_groups, compare, merged
from mda_checks.groups.roster import NAME, Groups, read_group_file, read_groups, write_groups


@dataclass
class GroupImport:
    groups: Groups                    # the assignment's groups after the import (or that it would give)
    previous: Groups
    without_group: list[str]          # learners of the gradebook in no group
    submitted_without_group: list[str]  # … who already handed the assignment in
    change: GroupChange | None = None
    applied: bool = True              # False: computed only (a simulation, or not confirmed yet), nothing written
    backup: Path | None = None        # the dated copy of the former groupes.csv
    replace: bool = False

    @property
    def needs_confirmation(self) -> bool:
        """Learners would leave their group or change group (their handed-in copy may no longer count)."""
        return self.change is not None and bool(self.change.moved or self.change.removed)

    def summary(self, file_name: str) -> list[str]:
        return self.preview(file_name) + self.outcome()

    def preview(self, file_name: str) -> list[str]:
        """What the file does and the change, learner by learner (shown before anything is written)."""
        how = ("remplace tous les groupes du devoir (--remplacer)" if self.replace else
               "ajoute ou met à jour ; les apprenants absents du fichier gardent leur groupe (--remplacer pour tout "
               "remplacer)")
        return [f"{file_name} : {how}.", *(self.change.lines() if self.change is not None else [])]

    def outcome(self) -> list[str]:
        """What was written (or that nothing was), then who is left without a group."""
        from mda_checks.referentiel import bloc_label

        g = self.groups
        sizes = ", ".join(f"{group} ({len(m)})" for group, m in g.members.items())
        lines = []
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


def plan_groups(course: Course, db_url: str, path: Path, assignment: str, replace: bool = False) -> GroupImport:
    """Check a trainer's file against the gradebook and compute the assignment's groups it gives (added or
    updated; all of them replaced with `replace`) and the change: nothing is written (``applied`` is False)."""
    with Gradebook(db_url) as gb:
        known = {student.id for student in gb.students}
    imported = read_group_file(path, assignment, known)
    previous = read_groups(course, assignment)
    groups = imported if replace else merged(previous, imported)
    submitted = course.step("submitted")
    handed_in = {p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir()} if submitted.is_dir() else set()
    return GroupImport(groups, previous, sorted(known - groups.students), sorted(handed_in - groups.students),
                       compare(previous, groups), applied=False, replace=replace)


def apply_groups(course: Course, plan: GroupImport) -> GroupImport:
    """Write a computed change: the former groupes.csv kept, dated, then the new groups (nothing when the
    change is empty)."""
    backup = None
    if plan.change is None or not plan.change.empty:
        backup = back_up_groups(course)
        write_groups(course, plan.groups)
    return replaced(plan, applied=True, backup=backup)


def import_groups(course: Course, db_url: str, path: Path, assignment: str, replace: bool = False,
                  simulate: bool = False) -> GroupImport:
    """``plan_groups``, then ``apply_groups`` unless `simulate` (no confirmation: the command asks for it)."""
    plan = plan_groups(course, db_url, path, assignment, replace)
    return plan if simulate else apply_groups(course, plan)
