"""Which variant each learner was given: one row per (assignment, learner), written by `mda release`.

In a group assignment (``mda_checks.groups``) every member's row names the group's case (``graine``):
the members share one case. Only what is needed to regenerate and verify the published case is kept: the variant's name, the
draw of the seed (a seed's first draws may be redrawn as unfit for the barème) and the SHA-256
of the data files. A learner with no row was given the common case (release/, source data).
"""
from __future__ import annotations

import csv
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from mda_checks.course import Course
from mda_checks.variants.secret import FOLDER

NAME = "variantes.csv"


@dataclass(frozen=True)
class VariantRecord:
    devoir: str
    apprenant: str
    variante: str
    tirage: int
    empreinte: str
    publie_le: str
    #: whose seed drew the case: empty for the learner's own, « groupe:G1 » for their group's (group assignment)
    graine: str = ""

    @property
    def identity(self) -> str:
        return self.graine or self.apprenant


def registry_path(course: Course) -> Path:
    return course.root / FOLDER / NAME


def read_registry(course: Course) -> dict[tuple[str, str], VariantRecord]:
    """(assignment, learner) -> record; empty when no learner has a variant yet."""
    path = registry_path(course)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [VariantRecord(**{**row, "tirage": int(row["tirage"])})  # type: ignore[arg-type]  # its columns
                for row in csv.DictReader(handle)]
    return {(row.devoir, row.apprenant): row for row in rows}


def find_record(course: Course, assignment: str, student: str) -> VariantRecord | None:
    return read_registry(course).get((assignment, student))


def record_variants(course: Course, records: list[VariantRecord]) -> Path:
    """Add or replace rows (atomically: a crash never leaves half a registry)."""
    rows = read_registry(course)
    rows.update({(r.devoir, r.apprenant): r for r in records})
    path = registry_path(course)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f.name for f in fields(VariantRecord)], lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(rows[key]) for key in sorted(rows))
    os.replace(temporary, path)
    return path
