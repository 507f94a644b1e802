"""Simulated manual grades: marked as simulated, and the jury's orals of the last learners left pending."""
from nbgrader.api import Gradebook

from mda_checks.demo.cohort import SIMULATED, Learner, simulate_manual_grades
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
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
