"""The demonstration's own course: a copy of this course's originals where `mda demo` writes its cohort.

A simulated cohort written into the trainer's course would stay there: its 24 learners would get
copies at `mda release`, its due dates would make real submissions late, its crashed copies would
end every later `mda grade`. So `mda demo` only writes into a course marked as a demonstration copy
(``MARKER``), made by ``make_demo_copy`` (`make demo` uses ``demo/`` under the checkout, git-ignored):
the originals (source/, mda_reference/, nbgrader_config.py, calendrier.csv, jury.toml), nothing of a promotion.
A course with neither the mark nor anything of a promotion (a fresh copy in tests) is marked at once.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from mda_checks.course import Course
from mda_checks.jury.rules import NAME as RULES_FILE
from mda_checks.scoring.reference import REFERENCE_PACKAGE

MARKER = ".mda/copie_de_demonstration"
#: what the simulated crashes were (written by `mda demo`, read by `mda demo --bilan` and `mda grade`)
DAMAGES = ".mda/demo_casse.json"
#: what a demonstration copy takes from the course: its originals, never a promotion's files
ORIGINALS = ("source", REFERENCE_PACKAGE, "nbgrader_config.py", "calendrier.csv", RULES_FILE)
#: what a promotion leaves in a course (a course holding one of them is not an empty course); the variants' key
#: stays after `mda nouvelle-promotion`: the course of a real promotion, even between two
PROMOTION_TRACES = ("submitted", "autograded/etat_correction.json", "groupes.csv", ".mda/variantes.csv",
                    ".mda/cle_variantes")


class NotADemoCourse(ValueError):
    """`mda demo` asked to write into a course that is not a demonstration copy."""


def is_demo(course: Course) -> bool:
    return (course.root / MARKER).is_file()


def _learners(course: Course) -> list[str]:
    from nbgrader.api import Gradebook

    from mda_checks.nbgrader_api import course_directory

    with Gradebook(course_directory(course.root).db_url) as gb:
        return sorted(student.id for student in gb.students)


def ensure_demo_course(course: Course) -> None:
    """Refuse (NotADemoCourse, French) unless `course` is a demonstration copy, or holds no promotion yet
    (then it becomes one)."""
    if is_demo(course):
        return
    traces = [name for name in PROMOTION_TRACES if (course.root / name).exists()]
    learners = _learners(course) if not traces else []
    if traces or learners:
        raise NotADemoCourse(
            "mda demo écrit une promotion simulée : jamais dans le cours d'une vraie promotion "
            f"({', '.join(traces) or f'{len(learners)} apprenant(s) au carnet de notes'}). Lancez `make demo` "
            "(copie de démonstration dans demo/), ou `mda demo --copie DOSSIER` puis `mda demo` depuis DOSSIER.")
    mark(course)


def mark(course: Course) -> None:
    (course.root / MARKER).parent.mkdir(parents=True, exist_ok=True)
    (course.root / MARKER).write_text("Copie de démonstration (mda demo) : promotion simulée.\n", encoding="utf-8")


def make_demo_copy(course: Course, target: Path) -> Course:
    """A fresh demonstration course at `target` (a former demonstration copy there is replaced)."""
    target = Path(target).absolute()
    if target == course.root:
        raise NotADemoCourse("la copie de démonstration ne peut pas être le cours lui-même")
    if target.exists():
        if not (target / MARKER).is_file():
            raise NotADemoCourse(f"{target} existe et n'est pas une copie de démonstration : choisissez un autre "
                                 "dossier (rien n'a été écrit)")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ORIGINALS:
        path = course.root / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif path.is_file():
            shutil.copy2(path, target / name)
    copy = Course(target)
    mark(copy)
    return copy


def record_damages(course: Course, damages: list[dict]) -> None:
    path = course.root / DAMAGES
    known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    path.parent.mkdir(parents=True, exist_ok=True)  # a course without variants has no .mda/ yet
    path.write_text(json.dumps(known + damages, ensure_ascii=False, indent=1), encoding="utf-8")


def damages(course: Course) -> list[dict]:
    path = course.root / DAMAGES
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def summary_lines(course: Course) -> list[str]:
    """The last lines of `make demo`: where it is, what it left alone, and which crashes were simulated."""
    name = course.root.name
    lines = [f"Démonstration terminée dans {name}/ : une copie du cours à part (son carnet de notes, ses copies, "
             "son échange). Votre promotion, à la racine du cours, n'a pas été touchée.",
             f"Rapports : {name}/reports/index.html ; classeur du jury : {name}/reports/grille_competences.xlsx ; "
             f"retours : {name}/feedback/."]
    from mda_checks.referentiel import bloc_label

    simulated = damages(course)
    if simulated:
        lines.append("Échecs SIMULÉS exprès (profil « casse ») : " + " ; ".join(
            f"{d['apprenant']} · {bloc_label(d['devoir'])} · {d['carnet']} : {d['quoi']}" for d in simulated)
            + ". Les « Carnet non corrigé » et « Correction incomplète » de la démonstration viennent d'eux.")
    lines.append("Pour recommencer : make demo (la copie est refaite à neuf).")
    return lines
