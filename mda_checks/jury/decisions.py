"""The jury's decisions: read from a CSV or the filled minutes, kept in an append-only register.

``jury/decisions.csv`` (the course's, never committed) gets one line per decision recorded, with the
time (Paris), the session, the proposal it was made against, the file it came from (name and SHA-256)
and who recorded it. Nothing is ever rewritten:

- recording the same decision again changes nothing;
- a different decision for a candidate already decided in that session is refused unless asked for
  (``--modifier``): then a new line is added, and the earlier one stays, named in ``precedente``;
- each line carries ``chaine``, the SHA-256 of the line before's and of its own fields: a line edited,
  removed or inserted by hand breaks the chain, and every reader says where.

The jury decides « validé », « non validé » or « ajourné »; a decision that differs from the proposal
needs a comment (what the decision rests on).
"""
from __future__ import annotations

import csv
import getpass
import hashlib
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from mda_apprenant.check.scalars import normalise_text
from mda_checks.course import Course
from mda_checks.csv_input import Column, TableError, read_table
from mda_checks.jury.sessions import Session, jury_folder
from mda_checks.report.timing import PARIS, format_when
from mda_checks.statuses import JuryDecision

REGISTER = "decisions.csv"
DECISIONS = VALIDATED, NOT_VALIDATED, DEFERRED = tuple(JuryDecision)
#: how a decision may be written (case, accents, dashes and spaces aside)
SPELLINGS = {"valide": VALIDATED, "nonvalide": NOT_VALIDATED, "ajourne": DEFERRED}
CONSEQUENCE = "aucune décision n'a été enregistrée"
GENESIS = "0" * 64


class DecisionError(ValueError):
    """Decisions that cannot be recorded, or a register edited by hand: in French, with lines."""


@dataclass(frozen=True)
class DecisionLine:
    """One line of the register."""

    horodatage: str     # ISO 8601, Paris time with its offset
    session: str
    devoir: str
    apprenant: str
    decision: str
    commentaire: str
    proposition: str    # the rules' proposal when the decision was recorded
    source: str         # the file the decision came from
    source_sha256: str
    auteur: str         # the account that recorded it
    precedente: str     # the decision it replaces in this session, '' for a first one
    chaine: str = ""

    def content(self) -> str:
        return "\x1f".join(getattr(self, f.name) for f in fields(self) if f.name != "chaine")


FIELDS = [f.name for f in fields(DecisionLine)]


@dataclass(frozen=True)
class DecisionInput:
    line: int | str   # where it was read (a CSV line, or « ligne 5 » of the workbook)
    student: str
    decision: str
    comment: str


def register_path(course: Course) -> Path:
    return jury_folder(course) / REGISTER


def chained(previous: str, line: DecisionLine) -> str:
    return hashlib.sha256((previous + "\x1e" + line.content()).encode("utf-8")).hexdigest()


def read_register(course: Course) -> list[DecisionLine]:
    """Every line recorded, oldest first; DecisionError when the chain shows a line changed by hand."""
    path = register_path(course)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != FIELDS:
            raise DecisionError(f"{path.name} : colonnes inattendues ({', '.join(reader.fieldnames or [])}) ; "
                                "le registre des décisions a été modifié hors de `mda jury` : restaurez-le depuis la "
                                "sauvegarde du cours")
        lines = [DecisionLine(**row) for row in reader]
    previous = GENESIS
    for number, line in enumerate(lines, start=2):
        if chained(previous, line) != line.chaine:
            raise DecisionError(f"{path.name}, ligne {number} : cette ligne (ou une ligne avant elle) a été modifiée, "
                                "ajoutée ou retirée hors de `mda jury` ; le registre n'est plus une preuve : "
                                "restaurez-le depuis la sauvegarde du cours")
        previous = line.chaine
    return lines


def current_decisions(course: Course) -> dict[tuple[str, str], DecisionLine]:
    """(assignment, learner) -> the latest decision recorded for them, whatever the session."""
    return {(line.devoir, line.apprenant): line for line in read_register(course)}


def session_decisions(course: Course, session: str) -> dict[str, DecisionLine]:
    """learner -> the decision in force in one session."""
    return {line.apprenant: line for line in read_register(course) if line.session == session}


def history(course: Course, assignment: str, student: str,
            lines: list[DecisionLine] | None = None) -> list[DecisionLine]:
    """Every decision recorded for a learner and bloc, oldest first (of `lines`, the register read once, when
    given)."""
    lines = read_register(course) if lines is None else lines
    return [line for line in lines if line.devoir == assignment and line.apprenant == student]


def normalise_decision(text: str) -> str | None:
    return SPELLINGS.get("".join(ch for ch in normalise_text(text) if ch.isalnum()))


def read_decisions_csv(path: Path) -> list[DecisionInput]:
    """A CSV (apprenant, décision, commentaire), separated by semicolons or commas."""
    columns = [Column("apprenant", ("apprenant", "id", "identifiant", "candidat")),
               Column("décision", ("decision", "decisiondujury")),
               Column("commentaire", ("commentaire", "commentairedujury", "motif"))]
    rows = read_table(path, columns, CONSEQUENCE)
    return [DecisionInput(row.line, row.values["apprenant"], row.values["décision"], row.values["commentaire"])
            for row in rows]


@dataclass
class Recorded:
    added: list[DecisionLine]
    unchanged: list[str]
    undecided: list[str]   # candidates the file gives no decision for

    def summary(self, session: str) -> list[str]:
        changed = [line for line in self.added if line.precedente]
        lines = [f"Session {session} : {len(self.added) - len(changed)} décision(s) enregistrée(s), "
                 f"{len(changed)} modifiée(s) (l'ancienne reste dans l'historique), {len(self.unchanged)} inchangée(s)."]
        if self.undecided:
            lines.append(f"Sans décision du jury pour l'instant : {', '.join(self.undecided)}.")
        return lines


def check_inputs(entries: list[DecisionInput], proposals: dict[str, str], source: str) -> list[tuple[DecisionInput, str]]:
    """(entry, decision in its one spelling) of the decided entries; DecisionError lists every problem."""
    seen: dict[Any, Any]
    problems, seen, decided = [], {}, []
    for entry in entries:
        where = entry.line if isinstance(entry.line, str) else f"ligne {entry.line}"
        if entry.student not in proposals:
            problems.append(f"{where} : « {entry.student} » n'est pas un candidat de cette session "
                            f"(candidats : {', '.join(sorted(proposals))})")
            continue
        if entry.student in seen:
            problems.append(f"{where} : « {entry.student} » a déjà une ligne ({seen[entry.student]})")
            continue
        seen[entry.student] = where
        if not entry.decision.strip():
            continue
        decision = normalise_decision(entry.decision)
        if decision is None:
            problems.append(f"{where} : décision « {entry.decision} » inconnue (décisions possibles : "
                            f"{', '.join(DECISIONS)})")
            continue
        if decision != proposals[entry.student] and not entry.comment.strip():
            problems.append(f"{where} : la décision « {decision} » de {entry.student} diffère de la proposition "
                            f"« {proposals[entry.student]} » : un commentaire doit dire sur quoi elle repose")
            continue
        decided.append((entry, decision))
    if problems:
        raise TableError(Path(source), problems, CONSEQUENCE)
    return decided


def record_decisions(course: Course, session: Session, entries: list[DecisionInput], proposals: dict[str, str],
                     source: Path, replace: bool = False, now: datetime | None = None) -> Recorded:
    """Append the decisions of `entries` to the register (see the module's rules); all or nothing."""
    decided = check_inputs(entries, proposals, Path(source).name)
    path = register_path(course)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    stamp = (now or datetime.now(PARIS)).astimezone(PARIS).isoformat(timespec="seconds")
    with FileLock(str(path) + ".lock"):
        lines = read_register(course)
        before = {line.apprenant: line for line in lines if line.session == session.name}
        added, unchanged, conflicts = [], [], []
        for entry, decision in decided:
            earlier = before.get(entry.student)
            comment = " ".join(entry.comment.split())
            if earlier and (earlier.decision, earlier.commentaire) == (decision, comment):
                unchanged.append(entry.student)
                continue
            if earlier and not replace:
                conflicts.append(f"{entry.line if isinstance(entry.line, str) else f'ligne {entry.line}'} : "
                                 f"{entry.student} a déjà la décision « {earlier.decision} » dans la session "
                                 f"{session.name} (enregistrée le {format_when(datetime.fromisoformat(earlier.horodatage))}) ; "
                                 "pour la modifier, relancez "
                                 "avec --modifier : l'ancienne décision reste dans l'historique")
                continue
            added.append(DecisionLine(stamp, session.name, session.assignment, entry.student, decision, comment,
                                      proposals[entry.student], Path(source).name, digest, _author(),
                                      earlier.decision if earlier else ""))
        if conflicts:
            raise TableError(Path(source), conflicts, CONSEQUENCE)
        previous = lines[-1].chaine if lines else GENESIS
        sealed = []
        for line in added:
            line = DecisionLine(**{**asdict(line), "chaine": chained(previous, DecisionLine(**asdict(line)))})
            sealed.append(line)
            previous = line.chaine
        new_file = not path.is_file()
        with path.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
            if new_file:
                writer.writeheader()
            writer.writerows(asdict(line) for line in sealed)
    decided_ids = {entry.student for entry, _ in decided} | set(before)
    return Recorded(sealed, unchanged, sorted(s for s in proposals if s not in decided_ids))


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"
