"""Cell builders make cells nbgrader accepts; a tiny course runs the full nbgrader cycle."""
import nbformat
from nbgrader.api import Gradebook

from mda_checks.assign import build_course
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import build, cells
from tests.conftest import copy_course


def tiny_notebook():
    return build.notebook([
        build.markdown("# Essai", lock="intro"),
        build.answer("reponse_total", "total = ...\n### BEGIN SOLUTION\ntotal = 2 + 2\n### END SOLUTION"),
        build.autotest("total", "from mda_apprenant import Quantity\nreponse = Quantity('Total', total)\nreponse", 2,
                       ["CE1.1.1"]),
        build.rubric("grille", ["CE1.1.2"], 1, ["1 point : une source fiable."]),
        build.manual("ecrit", "Une réponse modèle.", 1, ["CE1.1.2"]),
        build.jury_task("jury", ["CE1.1.3"], 3, ["1 point : écoute active."], "jeu de rôle"),
    ])


def test_builders_set_metadata_and_stable_ids():
    nb = tiny_notebook()
    assert [c["id"] for c in nb.cells][:2] == ["intro", "reponse_total"]
    assert cells.is_autograded_test(nb.cells[2]) and cells.ce_codes(nb.cells[2]) == ("CE1.1.1",)
    assert cells.is_manually_graded(nb.cells[4]) and cells.is_manually_graded(nb.cells[5])
    assert cells.is_locked(nb.cells[3]) and "**CE1.1.2** — Les données issues de la veille" in nb.cells[3].source
    assert "Grille du jury — 3 point(s)" in nb.cells[5].source


TINY_REFERENCE = '''
from mda_apprenant.check.expected import Expected
from mda_reference.bloc1.answers import reference


@reference.answer("total")
def total(data):
    return Expected(4)
'''


def tiny_course(tmp_path):
    """A course whose bloc1 is the tiny notebook alone (its expected value in the course's reference), built."""
    course = copy_course(tmp_path)
    for path in course.source_notebooks("bloc1"):
        path.unlink()
    (course.root / "mda_reference" / "bloc1" / "essai.py").write_text(TINY_REFERENCE, encoding="utf-8")
    with (course.root / "mda_reference" / "bloc1" / "__init__.py").open("a", encoding="utf-8") as init:
        init.write("from mda_reference.bloc1 import essai  # noqa: E402,F401\n")
    nbformat.write(tiny_notebook(), course.source / "bloc1" / "essai.ipynb")
    build_course(course, ["bloc1"])
    return course


def test_tiny_course_full_cycle(tmp_path):
    course = tiny_course(tmp_path)
    released = (course.release / "bloc1" / "essai.ipynb").read_text(encoding="utf-8")
    assert "2 + 2" not in released and "Une réponse modèle" not in released
    write_submission(course, "x", "bloc1", solved_submission(course, "bloc1"))
    outcomes = autograde_assignment(course_api(course.root), course, "bloc1")
    assert [o.status for o in outcomes] == ["corrigé"]
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        grades = {g.name: g for g in gb.find_submission_notebook("essai", "bloc1", "x").grades}
        assert grades["total"].score == 2  # scored outside the kernel, from the course's reference
        assert grades["ecrit"].needs_manual_grade and grades["jury"].needs_manual_grade
