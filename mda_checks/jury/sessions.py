"""A jury session: one bloc, one day, one folder ``jury/<bloc>-<AAAA-MM-JJ>/``.

``mda jury BLOC`` opens it (or writes it again) with ``session.json`` (candidates, proposals and their
reasons, the jury's members, the rules in force), the minutes and, later, the livrets. The course's
``jury/`` folder is the promotion's, never committed (like the gradebook).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mda_checks.course import Course, bloc_number
from mda_checks.report.timing import PARIS

FOLDER = "jury"
SESSION_FILE = "session.json"
SESSION_NAME = re.compile(r"^(bloc\d)-(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Session:
    name: str
    assignment: str
    day: date
    folder: Path

    @property
    def record(self) -> Path:
        return self.folder / SESSION_FILE

    @property
    def livrets(self) -> Path:
        return self.folder / "livrets"

    def read(self) -> dict:
        """What `mda jury` recorded of the session (candidates, proposals, members, rules)."""
        if not self.record.is_file():
            raise FileNotFoundError(f"la session {self.name} n'a pas de {SESSION_FILE} : relancez "
                                    f"`mda jury {self.assignment} --date {self.day.isoformat()}`")
        return json.loads(self.record.read_text(encoding="utf-8"))

    def write(self, content: dict) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.record.with_suffix(".tmp")
        temporary.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, self.record)
        return self.record


def jury_folder(course: Course) -> Path:
    return course.step(FOLDER)


def today() -> date:
    return datetime.now(PARIS).date()


def session_for(course: Course, assignment: str, day: date | None = None) -> Session:
    day = day or today()
    name = f"{assignment}-{day.isoformat()}"
    return Session(name, assignment, day, jury_folder(course) / name)


def parse_day(text: str) -> date:
    """« 2026-12-10 » or « 10/12/2026 »; a French error otherwise."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date « {text} » illisible : écrivez-la AAAA-MM-JJ (2026-12-10) ou JJ/MM/AAAA (10/12/2026)")


def find_session(course: Course, name: str) -> Session:
    """The session named `name` (« bloc1-2026-12-10 »), which `mda jury` must have opened."""
    match = SESSION_NAME.match(name.strip())
    if not match:
        raise ValueError(f"« {name} » n'est pas un nom de session : il s'écrit BLOC-AAAA-MM-JJ (bloc1-2026-12-10) ; "
                         f"sessions du cours : {', '.join(s.name for s in all_sessions(course)) or 'aucune'}")
    bloc_number(match.group(1))
    session = session_for(course, match.group(1), parse_day(match.group(2)))
    if not session.record.is_file():
        raise FileNotFoundError(f"session {name} introuvable (dossier {session.folder.relative_to(course.root)}) ; "
                                f"sessions du cours : {', '.join(s.name for s in all_sessions(course)) or 'aucune'}")
    return session


def all_sessions(course: Course, assignment: str | None = None) -> list[Session]:
    """The sessions `mda jury` opened, oldest first."""
    folder = jury_folder(course)
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        match = SESSION_NAME.match(path.name)
        if match and (path / SESSION_FILE).is_file() and (assignment is None or match.group(1) == assignment):
            found.append(Session(path.name, match.group(1), date.fromisoformat(match.group(2)), path))
    return sorted(found, key=lambda s: (s.day, s.name))


def latest_session(course: Course, assignment: str) -> Session:
    sessions = all_sessions(course, assignment)
    if not sessions:
        raise FileNotFoundError(f"aucune session du jury pour {assignment} : lancez d'abord `mda jury {assignment}`")
    return sessions[-1]
