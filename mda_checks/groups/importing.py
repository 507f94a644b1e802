"""`mda groupes BLOC FICHIER`: a trainer's group file checked against the gradebook, then merged or replacing."""
from __future__ import annotations

from dataclasses import dataclass
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
