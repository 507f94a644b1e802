"""The barème is written once: references name its slips, notebooks and docs quote it."""
import ast

import nbformat
import pytest

from mda_checks.assign.bareme_cells import BEGIN, END, refresh_bareme
from mda_apprenant.bareme import CONVENTION_CREDIT, SLIPS, TOLERANCES, Family, Tolerance, catalogue_markdown, slip
from mda_apprenant.check.expected import Mistake
from mda_checks.notebook import cells
from tests.conftest import ASSIGNMENTS, COURSE, REPO

REFERENCE_FILES = sorted((REPO / "mda_reference").rglob("*.py"))


def test_every_convention_slip_keeps_half_and_an_unknown_slip_is_refused():
    assert all(s.credit == CONVENTION_CREDIT for s in SLIPS.values() if s.family is Family.CONVENTION)
    assert SLIPS["methode"].credit == 0 and SLIPS["perimetre"].credit == 0
    with pytest.raises(ValueError, match="unknown slip"):
        Mistake(1.0, "cause", "demi")
    with pytest.raises(ValueError):
        slip("0.5")
    assert Mistake(1.0, "TTC.", "ht_ttc").credit == 0.5


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_references_name_slips_and_never_write_a_credit_or_a_tolerance(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Mistake":
            slip_arg = node.args[2] if len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg == "slip"), None)
            assert isinstance(slip_arg, ast.Constant) and slip_arg.value in SLIPS, \
                f"line {node.lineno}: Mistake must name a slip of the barème, not {ast.unparse(slip_arg or node)}"
        assert not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Tolerance"), \
            f"line {node.lineno}: tolerances come from mda_apprenant.bareme.TOLERANCES"


@pytest.mark.parametrize("kind, right, wrong", [
    ("amount", [100.0, 100.01, 5_000_000.0 + 1e-9], [100.011, 5_000_000.02]),
    ("rate", [0.1234, 0.1235], [0.12352]),
    ("quantity", [24, 24.0], [24.4, 23.99, 25]),
    ("duration", [12.3, 12.31], [12.32]),
    ("exact_date", [0.0], [1.0]),
])
def test_tolerances_of_each_kind(kind, right, wrong):
    target = {"amount": 100.0, "rate": 0.1234, "quantity": 24, "duration": 12.3, "exact_date": 0.0}[kind]
    for value in right:
        expected = 5_000_000.0 if value > 1e6 else target
        assert TOLERANCES[kind].accepts(value, expected), value
    for value in wrong:
        expected = 5_000_000.0 if value > 1e6 else target
        assert not TOLERANCES[kind].accepts(value, expected), value
    assert Tolerance(abs=0, integer=True).describe() == "nombre entier exact"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_notebook_states_the_bareme_it_is_graded_by(assignment):
    """The committed masters hold the barème block `mda build` generates (run it after changing the barème)."""
    assert refresh_bareme(COURSE, assignment, write=False) == []
    for path in COURSE.source_notebooks(assignment):
        notebook = nbformat.read(path, as_version=4)
        if not any(cells.is_autograded_test(c) for c in notebook.cells):
            continue  # no computed answer, no barème (bloc 4's oral defence: the jury's grids only)
        text = next(c.source for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id", "")
                    .endswith("_conventions"))
        assert text.count(BEGIN) == 1 and text.count(END) == 1, path.name
        assert "Barème des réponses calculées.**" not in text, f"{path.name}: the old hand-written barème is back"


def test_the_generated_block_names_the_conventions_and_carried_questions_of_the_notebook(tmp_path):
    from mda_checks.assign.bareme_cells import NotebookBareme

    block = NotebookBareme(("ht_ttc", "decompte"), ("Segments RFM",)).markdown()
    assert "TTC au lieu de HT" in block and "360 ou 365 jours" in block and "« Segments RFM »" in block
    assert "rang 1 = meilleur" not in block  # a slip this notebook does not recognise is not listed
    assert "au centime près" in block and "nombre entier" in block


def test_a_stale_block_is_refreshed_and_detected(tmp_path):
    from tests.conftest import copy_course

    course = copy_course(tmp_path)
    path = course.source_notebooks("bloc1")[0]
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_conventions"))
    cell.source = cell.source.replace("la moitié des points", "un quart des points")
    nbformat.write(notebook, path)
    assert refresh_bareme(course, "bloc1", write=False) == [path]
    assert refresh_bareme(course, "bloc1") == [path] and refresh_bareme(course, "bloc1", write=False) == []


def test_the_authors_guide_quotes_the_catalogue():
    guide = (REPO / "docs" / "guide-auteur.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in guide, "copy mda_apprenant.bareme.catalogue_markdown() into docs/guide-auteur.md"


def test_the_learners_guide_lists_every_convention_of_the_catalogue():
    guide = (REPO / "docs" / "apprenant.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Barème commun"):].split("\n## ")[0]
    words = {"pourcentage": "pourcentage", "ht_ttc": "HT/TTC", "decompte": "360/365", "signe": "signe",
             "base_taux": "base d'un taux", "arrondi": "arrondi", "sens_classement": "classement",
             "net_brut": "net/brut", "bornes": "seuil", "date_reference": "date de référence",
             "prevision": "prévision"}
    conventions = {k for k, s in SLIPS.items() if s.family is Family.CONVENTION}
    assert conventions == set(words), "a new convention slip: say it in docs/apprenant.md, « Barème commun »"
    assert all(word in section for word in words.values())
