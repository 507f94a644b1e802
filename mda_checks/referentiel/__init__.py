"""The certification's reference text as data: blocs, competences, criteria (CE).

The data file is ``referentiel.json`` beside this module; the source text it was
taken from is in docs/referentiel/.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

CRITERION_CODE = re.compile(r"^CE(\d)\.(\d)\.(\d+)$")
ASSIGNMENT_ID = re.compile(r"^bloc(\d+)$")


@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion (CE1.1.1 …), judged acquired or not by the jury."""

    code: str
    text: str
    competence: str

    @property
    def bloc(self) -> int:
        return int(self.code[2])


@dataclass(frozen=True)
class Competence:
    code: str
    text: str
    activity: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Modality:
    """How the certifier evaluates some competences of a bloc."""

    competences: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Bloc:
    number: int
    title: str
    activity: str
    activities: dict[str, str]
    modalities: tuple[Modality, ...]
    competences: tuple[Competence, ...]
    short_title: str = ""  # the few words trainers and learners know the bloc by

    @property
    def code(self) -> str:
        return f"B{self.number}"

    @property
    def label(self) -> str:
        """« Bloc 1 — Stratégie commerciale durable »: how a bloc is named wherever people read it."""
        return f"Bloc {self.number} — {self.short_title}" if self.short_title else f"Bloc {self.number}"

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(ce for comp in self.competences for ce in comp.criteria)


@dataclass(frozen=True)
class Referentiel:
    blocs: tuple[Bloc, ...]

    @property
    def competences(self) -> tuple[Competence, ...]:
        return tuple(c for b in self.blocs for c in b.competences)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(ce for b in self.blocs for ce in b.criteria)

    def bloc(self, number: int) -> Bloc:
        for bloc in self.blocs:
            if bloc.number == number:
                return bloc
        raise KeyError(f"bloc {number} inconnu (blocs 1 à {len(self.blocs)})")

    def criterion(self, code: str) -> Criterion:
        for ce in self.criteria:
            if ce.code == code:
                return ce
        raise KeyError(f"critère {code} inconnu du référentiel")


@cache
def load_referentiel() -> Referentiel:
    """Read the packaged referential (cached: it never changes at run time)."""
    raw = json.loads(resources.files(__name__).joinpath("referentiel.json").read_text(encoding="utf-8"))
    blocs = []
    for b in raw["blocs"]:
        competences = tuple(
            Competence(
                code=c["code"],
                text=c["text"],
                activity=c["activity"],
                criteria=tuple(Criterion(e["code"], e["text"], c["code"]) for e in c["criteria"]),
            )
            for c in b["competences"]
        )
        blocs.append(
            Bloc(
                number=b["number"],
                title=b["title"],
                activity=b["activity"],
                activities={a["code"]: a["text"] for a in b["activities"]},
                modalities=tuple(Modality(tuple(m["competences"]), m["text"]) for m in b["modalities"]),
                competences=competences,
                short_title=b.get("short_title", ""),
            )
        )
    return Referentiel(tuple(blocs))


def bloc_label(assignment: str) -> str:
    """An assignment as people read it: « bloc1 » -> « Bloc 1 — Stratégie commerciale durable ».

    The id (« bloc1 ») stays where it is an identifier (file and folder names, command arguments);
    an assignment that is not one of the referential's blocs keeps its own name."""
    match = ASSIGNMENT_ID.match(str(assignment))
    if not match:
        return str(assignment)
    try:
        return load_referentiel().bloc(int(match.group(1))).label
    except KeyError:
        return str(assignment)
