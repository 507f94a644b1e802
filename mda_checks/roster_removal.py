"""`mda apprenants --retirer ID`: a learner taken out of the gradebook, said first, confirmed, never by surprise.

It is nbgrader's ``nbgrader db student remove ID`` (``Gradebook.remove_student``), in French. Like it,
a learner who has copies in the gradebook is only removed with ``--force``: their copies go with them,
with every automatic and manual grade and comment (nbgrader's ``--force``). Files stay where they are
(submitted/, autograded/, feedback/: `mda sauvegarde` keeps them), and so do groupes.csv and the
variants' registry, which the command names when they still mention the learner.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry

from mda_checks.course import Course

FORCE_MEANS = ("--force efface aussi ses copies du carnet de notes, avec leurs notes automatiques et manuelles et "
               "leurs commentaires (comme « nbgrader db student remove --force ») ; les fichiers de submitted/, "
               "autograded/ et feedback/ restent")


@dataclass(frozen=True)
class Removal:
    """What removing one learner takes away."""

    student: str
    name: str                        # « Prénom Nom », or the id
    copies: list[str] = field(default_factory=list)   # assignments with a submission in the gradebook
    elsewhere: list[str] = field(default_factory=list)  # files that still name the learner (kept)

    def question(self) -> str:
        copies = (f" et ses {len(self.copies)} copie(s) au carnet de notes ({', '.join(self.copies)}), avec leurs notes "
                  "et commentaires" if self.copies else "")
        return f"Retirer {self.name} ({self.student}) du carnet de notes{copies} ? [o/N] "

    def lines(self) -> list[str]:
        lines = [f"{self.name} ({self.student}) retiré(e) du carnet de notes"
                 + (f", avec ses copies ({', '.join(self.copies)}) et leurs notes." if self.copies else ".")]
        if self.elsewhere:
            lines.append("Toujours nommé(e) dans : " + ", ".join(self.elsewhere) + " (gardés ; retirez-l'y si besoin, "
                         "par exemple `mda groupes FICHIER --remplacer`).")
        return lines


def plan_removal(course: Course, db_url: str, student: str) -> Removal:
    """What removing `student` would take away; ValueError (French) for a learner the gradebook does not know."""
    from mda_checks.groups.roster import groups_path

    with Gradebook(db_url) as gb:
        try:
            found = gb.find_student(student)
        except MissingEntry:
            raise ValueError(f"apprenant « {student} » inconnu du carnet de notes (apprenants inscrits : "
                             f"{', '.join(sorted(s.id for s in gb.students)) or 'aucun'})") from None
        name = " ".join(part for part in (found.first_name, found.last_name) if part) or student
        copies = sorted(s.assignment.name for s in found.submissions)
    elsewhere = []
    for label, path in (("groupes.csv", groups_path(course)), (".mda/variantes.csv", course.root / ".mda" / "variantes.csv")):
        if path.is_file() and student in {cell.strip() for line in path.read_text(encoding="utf-8").splitlines()
                                          for cell in re.split("[;,]", line)}:
            elsewhere.append(label)
    return Removal(student, name, copies, elsewhere)


def remove_learner(db_url: str, removal: Removal, force: bool) -> None:
    """Remove the learner planned; ValueError (French) when they have copies and `force` is not given."""
    if removal.copies and not force:
        raise ValueError(f"{removal.name} ({removal.student}) a {len(removal.copies)} copie(s) au carnet de notes "
                         f"({', '.join(removal.copies)}) : rien n'a été retiré. {FORCE_MEANS}. Sauvegardez d'abord "
                         "(mda sauvegarde), puis relancez avec --force.")
    with Gradebook(db_url) as gb:
        gb.remove_student(removal.student)
        gb.db.commit()
