"""``mda entreprise``: validate a learner's host-company dossier, check it against the barème, register it.

The order is the cheapest first, and nothing is registered unless every step passes:
1. the data contract (``validate``); a trainer may waive a plausibility rule with a written reason,
   never a structure rule;
2. the statements can quote the data's numbers, and the barème's case check (``assign.case_check``, the one
   every variant passes): the reference runs, the
   right answer scores full, no listed slip gives the right answer or another slip's credit; never waived;
3. the files are copied to the trainer's private store and the learner's row written (``register``).
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from mda_checks.assign.case_check import SlipGrade, graded_slips
from mda_apprenant.check.result import Status
from mda_checks.company.contract import PLAUSIBILITY, STRUCTURE, contract
from mda_checks.company.register import (SEED_PREFIX, VARIANT_PREFIX, WAIVERS, read_company, store_folder)
from mda_checks.company.validate import Finding, validate_dossier
from mda_checks.config import TIMEZONE
from mda_checks.course import Course
from mda_checks.variants.digest import data_digest
from mda_checks.variants.registry import VariantRecord, find_record, record_variants


@dataclass
class ImportReport:
    """What `mda entreprise` found: blocking findings, waived ones, the barème's problems, the record if registered."""

    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    bareme: list[str] = field(default_factory=list)
    record: VariantRecord | None = None
    #: the learner's case before this import (a variant or an earlier dossier), if any
    previous: VariantRecord | None = None

    @property
    def registered(self) -> bool:
        return self.record is not None


def broken_fr(problem: str) -> str:
    """A reference that cannot compute on the data (a case-check line written for developers), in French."""
    check, _, detail = problem.partition(": ")
    return f"question « {check} » : le corrigé ne peut pas être calculé sur ces données ({detail})"


def slip_fr(slip: SlipGrade) -> str:
    """Why a listed slip makes the data unfit, in French, with the slip's full cause."""
    cause = slip.mistake.cause
    if slip.result.status is Status.CORRECT:
        return (f"question « {slip.check} » : l'erreur classique « {cause} » donne le bon résultat sur ces données ; "
                "la correction ne pourrait pas la reconnaître (changez les données qui la rendent indiscernable)")
    if slip.named is not None and slip.named.credit != slip.mistake.credit:
        return (f"question « {slip.check} » : l'erreur classique « {cause} » donne le même résultat que « "
                f"{slip.named.cause} », qui n'a pas le même crédit au barème")
    return f"question « {slip.check} » : l'erreur classique « {cause} » n'obtiendrait pas le crédit prévu au barème"


def bareme_problems(course: Course, assignment: str, folder: Path) -> list[str]:
    """The barème's case check (the one every variant passes), each problem in French."""
    broken, slips = graded_slips(course, assignment, folder)
    return [broken_fr(problem) for problem in broken] + [slip_fr(slip) for slip in slips if slip.problem()]


def statement_problems(assignment: str, folder: Path) -> list[str]:
    """Why the statements could not quote this case's numbers (a reference or unit they name is absent)."""
    from mda_checks.assign.statements import folder_parameters

    try:
        folder_parameters(assignment, folder)
    except (KeyError, IndexError, ValueError) as problem:
        return [f"les énoncés ne peuvent pas citer les chiffres de ces données : « {problem} » est introuvable "
                "(les références et unités que citent les énoncés sont décrites dans docs/entreprise-accueil.md)"]
    return []


def check_waivers(waivers: dict[str, str]) -> None:
    """Only plausibility rules can be waived, and each with a reason (French ValueError otherwise)."""
    for rule, reason in waivers.items():
        if rule in STRUCTURE or rule not in PLAUSIBILITY:
            allowed = ", ".join(f"{key} ({label})" for key, label in PLAUSIBILITY.items())
            raise ValueError(f"« {rule} » ne peut pas faire l'objet d'une exception : seules les règles de "
                             f"plausibilité le peuvent ({allowed}) ; la structure et le barème, jamais")
        if not reason.strip():
            raise ValueError(f"l'exception « {rule} » doit être justifiée : --exception {rule}:\"raison\"")


def import_dossier(course: Course, assignment: str, student: str, dossier: Path | str,
                   waivers: dict[str, str] | None = None) -> ImportReport:
    """Validate, check and (if all passes) register `dossier` as `student`'s case for `assignment`."""
    waivers = waivers or {}
    check_waivers(waivers)
    dossier = Path(dossier)
    if not dossier.is_dir():
        raise FileNotFoundError(f"{dossier} n'est pas un dossier : donnez le dossier des fichiers CSV de l'entreprise")
    report = ImportReport()
    for finding in validate_dossier(assignment, dossier):
        (report.waived if finding.rule in waivers else report.findings).append(finding)
    if report.findings:
        return report
    with tempfile.TemporaryDirectory(prefix="mda-entreprise-") as scratch:
        files = Path(scratch) / "donnees"
        files.mkdir()
        for file in contract(assignment):  # only the contract's files: nothing else the learner left in the folder
            shutil.copyfile(dossier / file.name, files / file.name)
        report.bareme = statement_problems(assignment, files) + bareme_problems(course, assignment, files)
        if report.bareme:
            return report
        report.previous = find_record(course, assignment, student)
        report.record = _register(course, assignment, student, files, waivers)
    return report


def _register(course: Course, assignment: str, student: str, files: Path, waivers: dict[str, str]) -> VariantRecord:
    folder = store_folder(course, assignment, student)
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = folder.with_name(f".{student}.import")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(files, staging)
    (staging / WAIVERS).write_text(json.dumps(waivers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    now = dt.datetime.now(ZoneInfo(TIMEZONE)).isoformat(timespec="seconds")
    record = VariantRecord(assignment, student, f"{VARIANT_PREFIX}{read_company(staging)}", 0, data_digest(staging),
                           now, f"{SEED_PREFIX}{student}")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    record_variants(course, [record])
    return record
