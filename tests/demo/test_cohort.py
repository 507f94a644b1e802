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


def test_in_a_group_assignment_one_copy_per_group_is_handed_in_and_graded_by_hand_once(tmp_path):
    """`make demo`'s bloc 4: groups of three, one member hands in (two in the first group), members share the
    group's case; the simulated trainer grades the group's copy, and propagation gives it to every member."""
    from mda_checks.demo.cohort import demo_groups
    from mda_checks.grade.runs.cohort import plan_grading, run_grading
    from mda_checks.groups.propagate import propagate_groups

    course = tiny_course(tmp_path)
    learners = [Learner(f"l{i}", "fort", 0.0) for i in range(5)]
    assert demo_groups(course, learners, "bloc1") == {"G1": ("l0", "l1", "l2"), "G2": ("l3", "l4")}
    assert write_cohort(course, learners, ["bloc1"]) == 3
    assert sorted(p.name for p in course.step("submitted").iterdir()) == ["l0", "l1", "l3"]
    registry = read_registry(course)
    assert registry["bloc1", "l0"].variante == registry["bloc1", "l2"].variante != registry["bloc1", "l3"].variante
    run = run_grading(course, plan_grading(course, ["bloc1"]), workers=1)
    assert not run.failures and len(run.groups[0].selection.copies["G1"].superseded) == 1
    db_url = f"sqlite:///{course.root / 'gradebook.db'}"
    sources = run.groups[0].selection.graded
    assert simulate_manual_grades(db_url, learners, pending=0, course=course) == 2 * len(sources)  # ecrit + jury
    propagate_groups(course, db_url, ["bloc1"])
    with Gradebook(db_url) as gb:
        scores = {s: gb.find_grade("ecrit", "essai", "bloc1", s).manual_score for s in ("l0", "l1", "l2", "l3", "l4")}
    source_g1 = next(s for s in sources if s in ("l0", "l1"))
    assert scores["l2"] == scores[source_g1] is not None and scores["l4"] == scores["l3"] is not None
