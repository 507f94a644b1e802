"""The case a learner is graded on: their variant, regenerated and verified, or the common case.

``learner_case`` is what every trusted step asks (the kernel's data, the expected values, the
statements of the feedback, ``mda corrige``). A learner with a published variant gets it
regenerated from the seed and the draw recorded at release, into a cache beside the secret
(.mda/cache/, hidden from kernels like the rest of the course); its files must have the digest
recorded at release, else grading stops with a French reason rather than grade on other data.
Files a learner hands in are never read: a learner who edits their data only gets their
answers wrong.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mda_checks.casedata import regenerate_case, write_frames
from mda_checks.company.register import company_data, is_company
from mda_checks.course import Course, bloc_number
from mda_checks.variants.digest import data_digest
from mda_checks.variants.registry import VariantRecord, find_record
from mda_checks.variants.secret import FOLDER, course_secret
from mda_checks.variants.seeds import variant_name, variant_seed

COMMON = "cas commun"
CACHE = "cache"


class VariantMismatch(ValueError):
    """The regenerated data are not those published: grading them would grade another case."""


@dataclass(frozen=True)
class LearnerCase:
    assignment: str
    student: str
    folder: Path     # the case data the learner's answers are graded against
    variant: str     # « V-3F9A2C », or COMMON

    @property
    def is_variant(self) -> bool:
        return self.variant != COMMON


def frames_digest(frames: dict[str, pd.DataFrame]) -> tuple[str, Path]:
    """Write frames to a scratch folder the way a copy ships them; (digest, folder)."""
    folder = Path(tempfile.mkdtemp(prefix="mda-variante-"))
    write_frames(frames, folder)
    return data_digest(folder), folder


def _cache_folder(course: Course, record: VariantRecord) -> Path:
    return course.root / FOLDER / CACHE / record.devoir / f"{record.apprenant}-{record.empreinte[:16]}"


def regenerate_variant(course: Course, record: VariantRecord) -> Path:
    """The published data of a record, in the cache (regenerated when absent or altered)."""
    folder = _cache_folder(course, record)
    if folder.is_dir() and data_digest(folder) == record.empreinte:
        return folder
    secret = course_secret(course)
    seed = variant_seed(secret, record.identity, record.devoir)
    digest, scratch = frames_digest(regenerate_case(bloc_number(record.devoir), seed, record.tirage))
    if digest != record.empreinte or variant_name(secret, record.identity, record.devoir) != record.variante:
        shutil.rmtree(scratch, ignore_errors=True)
        raise VariantMismatch(
            f"les données régénérées de la variante {record.variante} de {record.apprenant} ({record.devoir}) ne sont "
            f"pas celles publiées le {record.publie_le} : la clé des variantes, le générateur de données ou les "
            "versions de numpy/pandas ont changé depuis `mda release`. Corrigez avec l'installation d'alors, "
            "ou republiez cette copie")
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        os.replace(scratch, folder)
    except OSError:  # another grading process put it there first: same digest, same data
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


def learner_case(course: Course, assignment: str, student: str) -> LearnerCase:
    """The case `student` is graded on for `assignment`."""
    record = find_record(course, assignment, student)
    if record is None:
        return LearnerCase(assignment, student, course.source / assignment / "data", COMMON)
    if is_company(record):  # their host company's files (mda entreprise), checked by digest
        return LearnerCase(assignment, student, company_data(course, record), record.variante)
    return LearnerCase(assignment, student, regenerate_variant(course, record), record.variante)
