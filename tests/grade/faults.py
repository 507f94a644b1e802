"""The fault corpus: bad submissions, each with the outcome its grading must record.

Every fault is made from a solved (or blank) submission of the first notebook of bloc 1
by a small function; ``EXPECTED`` says what the journal and the gradebook must show.
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field

import nbformat

from mda_checks.demo.run import slips_of
from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission
from mda_checks.notebook import cells
from mda_checks.statuses import NotebookStatus

ASSIGNMENT = "bloc1"
GRADED, GRADED_WITH_NOTES, NOT_GRADED, FAILED = tuple(NotebookStatus)


@dataclass(frozen=True)
class Expected:
    """What one submission's grading must record for the faulty notebook."""

    status: str
    words: tuple[str, ...] = ()  # in the journal's row: its French remarks or its technical detail
    #: grade_id -> score in the gradebook (None: not checked)
    scores: dict = field(default_factory=dict)
    #: every autograded cell scores its maximum / zero
    all_auto: str | None = None  # "max", "zero" or None


def _cell(notebook, grade_id):
    return next(c for c in notebook.cells if cells.grade_id(c) == grade_id)


def _code(source: str):
    return nbformat.v4.new_code_cell(textwrap.dedent(source))


def attack_cell(course: Course) -> nbformat.NotebookNode:
    """A cell a learner adds: tries to reach what the sandbox must protect, prints what it could do."""
    root = str(course.root)
    return _code(f'''
        import os, socket, sqlite3, subprocess
        essais = {{}}
        def essai(nom, action):
            try:
                action()
                essais[nom] = "réussi"
            except BaseException as exc:
                essais[nom] = "refusé : " + type(exc).__name__
        essai("ecrire_source", lambda: open({root!r} + "/source/bloc1/pirate.txt", "w").write("x"))
        essai("effacer_release", lambda: os.remove(sorted(__import__("glob").glob({root!r} + "/release/bloc1/*.ipynb"))[0]))
        essai("ecrire_autre_copie", lambda: open({root!r} + "/submitted/a-solutions/bloc1/pirate.txt", "w").write("x"))
        essai("lire_autre_copie", lambda: os.listdir({root!r} + "/submitted/a-solutions/bloc1")[0])
        essai("ecrire_reference", lambda: open({root!r} + "/mda_reference/pirate.py", "w").write("x"))
        essai("ecrire_parent", lambda: open("../pirate.txt", "w").write("x"))
        essai("reseau", lambda: socket.create_connection(("1.1.1.1", 80), timeout=2))
        essai("carnet_lecture", lambda: sqlite3.connect({root!r} + "/gradebook.db").execute("select count(*) from grade").fetchone())
        essai("carnet_ecriture", lambda: sqlite3.connect({root!r} + "/gradebook.db").execute("update grade set manual_score = 100"))
        print("ATTAQUE=" + repr(essais))
    ''')


def _first(course: Course) -> str:
    return course.source_notebooks(ASSIGNMENT)[0].stem


def build_corpus(course: Course) -> dict[str, Expected]:
    """Write the good and bad submissions under submitted/; return student -> expected outcome."""
    first = _first(course)
    slips = slips_of(course, ASSIGNMENT)
    expected: dict[str, Expected] = {}

    def solved():
        return solved_submission(course, ASSIGNMENT)

    def add(student, notebooks, outcome, when=None):
        folder = write_submission(course, student, ASSIGNMENT, notebooks, when)
        expected[student] = outcome
        return folder

    # good submissions graded in the same run
    add("a-solutions", solved(), Expected(GRADED, all_auto="max"))
    add("a-vierge", blank_submission(course, ASSIGNMENT), Expected(GRADED, all_auto="zero"))
    add("a-erreurs", slipped_submission(course, ASSIGNMENT, slips),
        Expected(GRADED, scores={s.test_cell: None for s in slips}))

    folder = add("f01-json-casse", solved(), Expected(NOT_GRADED, ("n'est pas un JSON valide",), all_auto="zero"))
    (folder / f"{first}.ipynb").write_text('{"cells": [', encoding="utf-8")

    folder = add("f02-absent", solved(), Expected(NOT_GRADED, ("non rendu",), all_auto="zero"))
    (folder / f"{first}.ipynb").unlink()

    folder = add("f03-renomme", solved(), Expected(NOT_GRADED, ("non rendu", f"{first} (copie).ipynb"), all_auto="zero"))
    (folder / f"{first}.ipynb").rename(folder / f"{first} (copie).ipynb")

    # extra files, among them a fake reference that would give every point if it were imported
    folder = add("f04-fichiers-en-trop", blank_submission(course, ASSIGNMENT),
                 Expected(GRADED_WITH_NOTES, ("fichier(s) inattendu(s) ignoré(s)", "mda_reference/bloc1/__init__.py"),
                          all_auto="zero"))
    fake = folder / "mda_reference" / "bloc1"
    fake.mkdir(parents=True)
    (folder / "mda_reference" / "__init__.py").write_text("", encoding="utf-8")
    (fake / "__init__.py").write_text("def expected(key):\n    raise SystemExit('faux')\n", encoding="utf-8")
    (folder / "notes_perso.txt").write_text("brouillon", encoding="utf-8")

    notebooks = solved()
    notebooks[first].cells.remove(_cell(notebooks[first], "parts_marche"))
    add("f05-test-supprime", notebooks, Expected(GRADED_WITH_NOTES, ("« parts_marche » supprimée",), all_auto="max"))

    notebooks = solved()
    _cell(notebooks[first], "tcam_marche").source = "2.0  # je m'attribue les points"
    _cell(notebooks[first], "reponse_tcam_marche").source = "tcam_marche = 0.5"
    add("f06-test-modifie", notebooks, Expected(GRADED_WITH_NOTES, ("« tcam_marche » modifiée",), {"tcam_marche": 0.0}))

    notebooks = solved()
    nb = notebooks[first]
    for grade_id in ("reponse_nb_doublons", "nb_doublons"):
        index = nb.cells.index(_cell(nb, grade_id))
        nb.cells.insert(index, nbformat.from_dict(json.loads(json.dumps(nb.cells[index]))))
    add("f07-cellules-dupliquees", notebooks,
        Expected(GRADED_WITH_NOTES, ("« nb_doublons » présente 2 fois",), all_auto="max"))

    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "while True:\n    pass"
    add("f08-boucle-infinie", notebooks, Expected(GRADED_WITH_NOTES, ("délai dépassé",),
                                                  {"nb_doublons": 0.0, "tcam_marche": 2.0}))

    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "bombe = [0] * 10**10"
    add("f09-bombe-memoire", notebooks, Expected(GRADED_WITH_NOTES, ("la mémoire est épuisée", "MemoryError"),
                                                 {"nb_doublons": 0.0, "tcam_marche": 2.0}))

    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "import sys\nsys.exit(3)"
    add("f10-sys-exit", notebooks, Expected(GRADED_WITH_NOTES, ("arrêt demandé par le code", "SystemExit"),
                                            {"nb_doublons": 0.0, "tcam_marche": 2.0}))

    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source = "import os\nos._exit(1)"
    add("f11-noyau-tue", notebooks, Expected(FAILED, ("noyau Python s'est arrêté",), all_auto="zero"))

    notebooks = solved()
    notebooks[first].cells.insert(1, attack_cell(course))
    add("f12-ecrit-hors-dossier", notebooks, Expected(GRADED, all_auto="max"))

    notebooks = solved()
    _cell(notebooks[first], "reponse_tcam_marche").source = (
        "import sqlite3\n"
        f"sqlite3.connect({str(course.root / 'gradebook.db')!r}).execute('update grade set auto_score = 2')\n"
        "tcam_marche = 0.5")
    add("f13-ouvre-carnet", notebooks, Expected(GRADED_WITH_NOTES, ("opération refusée par la base de données",
                                                                     "OperationalError"), {"tcam_marche": 0.0}))

    notebooks = solved()
    _cell(notebooks[first], "reponse_tcam_marche").source = "tcam_marche = 0.5\nprint(2.0)\nprint('2.0', file=__import__('sys').stdout)"
    add("f14-imprime-un-nombre", notebooks, Expected(GRADED, scores={"tcam_marche": 0.0}))

    notebooks = solved()
    _cell(notebooks[first], "reponse_nb_doublons").source += "\nprint('x' * 100_000_000)"
    add("f15-sortie-100-mo", notebooks, Expected(GRADED, all_auto="max"))

    folder = add("f16-octets-non-utf8", solved(), Expected(NOT_GRADED, ("n'est pas encodé en UTF-8",), all_auto="zero"))
    path = folder / f"{first}.ipynb"
    path.write_bytes(path.read_bytes().replace("Vérification".encode(), "Vérification".encode("latin-1")))

    notebooks = solved()
    notebooks[first].metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    add("f17-mauvais-noyau", notebooks, Expected(GRADED, all_auto="max"))

    # a loop that ignores the interrupt: the notebook stops there and is graded as it stands. It waits rather than
    # computes (f08 is the busy loop): an ignored interrupt is the same either way, and a busy loop would hold a
    # core for its limit and the grace after the interrupt (17 s of processor measured, docs/mesures/tests.md)
    notebooks = solved()
    _cell(notebooks[first], "reponse_tcam_marche").source = (
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)")
    add("f19-ignore-interruption", notebooks, Expected(GRADED_WITH_NOTES, ("ignore l'interruption",),
                                                       {"nb_doublons": 1.0, "tcam_marche": 0.0, "parts_marche": 0.0}))

    folder = add("f18-lien-symbolique", solved(), Expected(NOT_GRADED, ("non rendu",), all_auto="zero"))
    (folder / f"{first}.ipynb").unlink()
    (folder / f"{first}.ipynb").symlink_to(course.root / "source" / ASSIGNMENT / f"{first}.ipynb")
    return expected
