"""The cohort's roster: a CSV file (id, nom, prénom, e-mail) put into nbgrader's gradebook.

The id is the learner's nbgrader id: the name their submissions carry (their account name on
the machine, unless they submit with ``--student``), so the folder name in ``submitted/``.
Importing is idempotent (same file, same gradebook) and never deletes anyone: a learner who
left the file keeps their row and their grades in the gradebook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from mda_checks.csv_input import Column, TableError, read_table

ID, LAST_NAME, FIRST_NAME, EMAIL = "id", "nom", "prénom", "e-mail"
COLUMNS = [
    Column(ID, ("id", "identifiant")),
    Column(LAST_NAME, ("nom", "nomdefamille")),
    Column(FIRST_NAME, ("prenom",)),
    Column(EMAIL, ("email", "mail", "courriel", "adresseemail", "adressemail")),
]
# what an e-mail address looks like (the mail server decides the rest)
EMAIL_FORM = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")
# an id is a folder name and a part of nbgrader's exchange file names (« id+devoir+date »)
ID_FORBIDDEN = re.compile(r"[\s/\\+*:]")


@dataclass(frozen=True)
class Learner:
    id: str
    last_name: str
    first_name: str
    email: str | None


#: what a name that becomes a folder may not hold (learner ids, group names), in French
NAME_RULE = "ni espace, ni « / », « \\ », « + », « * », « : », ni point au début"


def forbidden_name(value: str) -> bool:
    """A name that cannot be a folder and a part of nbgrader's exchange file names."""
    return bool(ID_FORBIDDEN.search(value)) or value.startswith(".")


#: the account-name rule (Debian's useradd default, NAME_REGEX): a learner id is their account's name
ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9._-]{0,31}$")
ACCOUNT_RULE = ("lettres minuscules sans accent, chiffres, « . », « - » ou « _ », commençant par une lettre, "
                "32 caractères au plus")


def id_problem(value: str) -> str | None:
    if not value:
        return "identifiant vide"
    if forbidden_name(value):
        return (f"identifiant « {value} » invalide : {NAME_RULE} "
                "(c'est un nom de dossier et le nom du compte de l'apprenant)")
    if not ACCOUNT_NAME.match(value):
        return (f"identifiant « {value} » invalide : un identifiant est le nom du compte de l'apprenant sur la "
                f"machine ({ACCOUNT_RULE})")
    return None


def read_roster(path: Path) -> list[Learner]:
    """The learners of a roster file; TableError lists every problem (nothing is imported then)."""
    rows = read_table(path, COLUMNS, consequence="aucun apprenant n'a été importé")
    first_line: dict[str, int]
    problems, learners, first_line = [], [], {}
    for row in rows:
        values, where = row.values, f"ligne {row.line}"
        found = []
        identifier = values[ID]
        if (problem := id_problem(identifier)) is not None:
            found.append(problem)
        elif identifier in first_line:
            found.append(f"identifiant « {identifier} » en double (déjà ligne {first_line[identifier]})")
        else:
            first_line[identifier] = row.line
        for label in (LAST_NAME, FIRST_NAME):
            if not values[label]:
                found.append(f"{label} vide")
        email = values[EMAIL]
        if email and not EMAIL_FORM.match(email):
            found.append(f"adresse e-mail invalide « {email} »")
        if found:
            problems += [f"{where} : {problem}" for problem in found]
        else:
            learners.append(Learner(identifier, values[LAST_NAME], values[FIRST_NAME], email or None))
    if problems:
        raise TableError(path, problems, "aucun apprenant n'a été importé")
    if not learners:
        raise TableError(path, ["aucun apprenant : le fichier n'a que la ligne des colonnes"],
                         "aucun apprenant n'a été importé")
    return learners


@dataclass
class RosterImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # in the gradebook, not in the file: kept

    def summary(self, file_name: str) -> list[str]:
        """What `mda apprenants` says, in French."""
        read = len(self.created) + len(self.updated) + len(self.unchanged)
        lines = [f"{file_name} : {read} apprenant(s) lu(s). Carnet de notes : {len(self.created)} ajouté(s), "
                 f"{len(self.updated)} mis à jour, {len(self.unchanged)} inchangé(s)."]
        if self.absent:
            lines.append(f"{len(self.absent)} apprenant(s) du carnet de notes absent(s) du fichier, conservé(s) avec "
                         f"leurs copies et leurs notes (aucun apprenant n'est supprimé) : {', '.join(self.absent)}")
        lines.append("Les noms s'affichent dans formgrader, dans l'export des notes de `mda report` "
                     "(exports/notes_nbgrader.csv), dans ses rapports et dans le classeur du jury.")
        return lines


def import_roster(db_url: str, learners: list[Learner]) -> RosterImport:
    """Create or update each learner in the gradebook (Gradebook.update_or_create_student)."""
    result = RosterImport()
    with Gradebook(db_url) as gb:
        known = {student.id: (student.first_name, student.last_name, student.email) for student in gb.students}
        for learner in learners:
            wanted = (learner.first_name, learner.last_name, learner.email)
            before = known.get(learner.id)
            if before == wanted:
                result.unchanged.append(learner.id)
                continue
            gb.update_or_create_student(learner.id, first_name=learner.first_name, last_name=learner.last_name,
                                        email=learner.email)
            (result.created if before is None else result.updated).append(learner.id)
        listed = {learner.id for learner in learners}
        result.absent = sorted(student_id for student_id in known if student_id not in listed)
    return result


def learner_names(db_url: str) -> dict[str, str]:
    """id -> « Prénom Nom » for the learners whose name the gradebook has (imported roster)."""
    with Gradebook(db_url) as gb:
        return {s.id: " ".join(part for part in (s.first_name, s.last_name) if part)
                for s in gb.students if s.first_name or s.last_name}
