"""A host-company case registered for one learner, like a variant: its files in .mda/, its digest in the registry.

``mda entreprise`` keeps the dossier's contract files in ``.mda/entreprises/<bloc>/<learner>/`` (the
trainer's private folder, hidden from kernels like the rest of the course) and writes the learner's row
of ``.mda/variantes.csv``: the variant's name is « entreprise <nom> », its ``graine`` « entreprise:<id> »
(no seed: the files are the case), its ``empreinte`` the SHA-256 of the files. Release copies them into
the learner's copy and grading reads them from there, after checking the digest (``company_data``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from mda_checks.course import Course
from mda_checks.variants.digest import data_digest
from mda_checks.variants.registry import VariantRecord, find_record
from mda_checks.variants.secret import FOLDER

STORE = "entreprises"
SEED_PREFIX = "entreprise:"
VARIANT_PREFIX = "entreprise "
#: the waivers a trainer granted, kept beside the files (not a CSV: outside the digest and the copies)
WAIVERS = "derogations.json"


class CompanyMismatch(ValueError):
    """The stored files are not those registered: grading them would grade another case."""


def is_company(record: VariantRecord | None) -> bool:
    return record is not None and record.graine.startswith(SEED_PREFIX)


def company_name(variant: str) -> str:
    """« Numéria Services » for the variant « entreprise Numéria Services »; '' for any other variant."""
    return variant[len(VARIANT_PREFIX):] if variant.startswith(VARIANT_PREFIX) else ""


def store_folder(course: Course, assignment: str, student: str) -> Path:
    return course.root / FOLDER / STORE / assignment / student


def company_record(course: Course, assignment: str, student: str) -> VariantRecord | None:
    record = find_record(course, assignment, student)
    return record if is_company(record) else None


def company_data(course: Course, record: VariantRecord) -> Path:
    """The registered files of a host-company record, checked against their digest (French error otherwise)."""
    folder = store_folder(course, record.devoir, record.apprenant)
    if not folder.is_dir() or data_digest(folder) != record.empreinte:
        raise CompanyMismatch(
            f"les données de l'entreprise d'accueil de {record.apprenant} ({record.devoir}) ne sont plus celles "
            f"importées le {record.publie_le} ({folder.relative_to(course.root)} absent ou modifié) : restaurez ce "
            "dossier depuis la sauvegarde du cours, ou réimportez-le avec `mda entreprise`")
    return folder


def read_company(folder: Path) -> str:
    """The company's name, from its entreprise.csv."""
    frame = pd.read_csv(folder / "entreprise.csv", dtype=str).set_index("parametre")
    return str(frame.loc["entreprise", "valeur"]).strip()


def company_note(variant: str):
    """The markdown cell a host-company copy opens with (under its title): the data are the learner's company's."""
    from nbformat.v4 import new_markdown_cell

    name = company_name(variant)
    return new_markdown_cell(
        f"> **Votre entreprise d'accueil : {name}.** Les fichiers de `data/` sont ceux de votre entreprise, "
        "importés par votre formateur ; les chiffres des énoncés et les résultats attendus en sont calculés. "
        "Les énoncés nomment votre entreprise ; le reste du récit (événements, interlocuteurs, produits cités) "
        "est la mise en situation de l'exercice, à transposer à votre entreprise.",
        metadata={"mda": {"entreprise": name}})
