"""Serial autograde of one submission: the fast whole-submission run and its per-notebook fallback."""
from nbgrader.api import Gradebook

from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.grade.autograde import FAILED, GRADED, autograde_submission
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from tests.grade.helpers import trimmed_course


def test_a_dying_kernel_costs_only_its_own_notebook():
    course = trimmed_course("noyau", keep=2)
    notebooks = solved_submission(course, "bloc1")
    first, second = sorted(notebooks)
    for cell in notebooks[first].cells:
        if cells.grade_id(cell) == "reponse_nb_doublons":
            cell.source = "import os\nos._exit(1)"
    write_submission(course, "x", "bloc1", notebooks)
    write_submission(course, "y", "bloc1", solved_submission(course, "bloc1"))
    # a death is seen at once; the limit only bounds a cell that hangs, with room for a loaded machine
    api = course_api(course.root, Execute={"timeout": 300})
    crashed = {o.notebook: o for o in autograde_submission(api, course, "x", "bloc1")}
    good = {o.notebook: o for o in autograde_submission(api, course, "y", "bloc1")}
    assert crashed[first].status == FAILED and "noyau Python s'est arrêté" in crashed[first].notes
    assert crashed[second].status == GRADED
    assert {o.status for o in good.values()} == {GRADED}
    with Gradebook(api.coursedir.db_url) as gb:
        x = {nb.name: nb for nb in gb.find_submission("bloc1", "x").notebooks}
        y = {nb.name: nb for nb in gb.find_submission("bloc1", "y").notebooks}
        assert x[first].score == 0 and not x[first].needs_manual_grade
        # the other notebook of the crashed submission is graded exactly like a good one
        assert {g.name: g.auto_score for g in x[second].grades} == {g.name: g.auto_score for g in y[second].grades}
