"""The simulated cohort: each learner works on their own personal copy; simulated manual grades are
marked as simulated, and the jury's orals of the last learners left pending."""
import nbformat
from nbgrader.api import Gradebook

from mda_checks.demo.cohort import SIMULATED, Learner, simulate_manual_grades, write_cohort
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import read_registry
from tests.notebook.test_build import tiny_course


def test_simulated_grades_leave_the_last_orals_pending(tmp_path):
    course = tiny_course(tmp_path)
    # six learners in the cohort, only four hand in this bloc (as blocs 2-4 in the demo)
    learners = [Learner(f"l{i}", "moyen", 0.0) for i in range(6)]
    for learner in learners[:4]:
        write_submission(course, learner.name, "bloc1", solved_submission(course, "bloc1"))
    autograde_assignment(course_api(course.root), course, "bloc1")
    db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    assert simulate_manual_grades(db_url, learners, pending=2) == 4 * 1 + 2 * 1  # written answers + 2 orals
    with Gradebook(db_url) as gb:
        for learner in learners[:4]:
            grades = {g.name: g for g in gb.find_submission_notebook("essai", "bloc1", learner.name).grades}
            assert not grades["ecrit"].needs_manual_grade
            assert gb.find_comment("ecrit", "essai", "bloc1", learner.name).manual_comment.startswith(SIMULATED)
            assert grades["jury"].needs_manual_grade == (learner.name in {"l2", "l3"})


def test_each_simulated_learner_hands_in_their_own_personal_copy(tmp_path):
    """The cohort's copies are published as `mda release` does (variants in the registry) and each
    submission is built from its learner's own copy: their data/ and their copy's notebooks."""
    course = tiny_course(tmp_path)
    learners = [Learner("l1", "fort", 0.0), Learner("l2", "vierge", 0.0), Learner("l3", "fort", 26.0)]
    assert write_cohort(course, learners, ["bloc1"]) == 3
    registry = read_registry(course)
    assert set(registry) == {("bloc1", learner.name) for learner in learners}
    assert len({record.variante for record in registry.values()}) == 3
    for learner in learners:
        record = registry["bloc1", learner.name]
        folder = course.step("submitted") / learner.name / "bloc1"
        assert data_digest(folder / "data") == record.empreinte  # the data of their copy, not of source/
        notebook = nbformat.read(folder / "essai.ipynb", as_version=4)
        assert notebook.metadata["mda"] == {"variante": record.variante, "apprenant": learner.name}
        answer = next(c for c in notebook.cells if cells.grade_id(c) == "reponse_total")
        assert ("2 + 2" in answer.source) == (learner.profile != "vierge")  # solved from the master
    assert data_digest(course.source / "bloc1" / "data") not in {r.empreinte for r in registry.values()}


def test_without_personal_copies_the_cohort_works_on_the_common_copy(tmp_path):
    course = tiny_course(tmp_path)
    assert write_cohort(course, [Learner("l1", "fort", 0.0)], ["bloc1"], personal=False) == 1
    assert not read_registry(course)
    folder = course.step("submitted") / "l1" / "bloc1"
    assert not (folder / "data").exists()
    assert "mda" not in nbformat.read(folder / "essai.ipynb", as_version=4).metadata
