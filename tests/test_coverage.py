"""Coverage: every graded cell declares its CE; each bloc's CE are all assessed."""
import nbformat
import pytest

from mda_checks.coverage import AUTO, MANUAL, assignment_coverage, format_coverage
from mda_checks.notebook import build
from tests.conftest import ASSIGNMENTS, COURSE, copy_course


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_criterion_of_the_bloc_is_assessed(assignment):
    coverage = assignment_coverage(COURSE, assignment)
    assert not coverage.untagged, [c.grade_id for c in coverage.untagged]
    assert not coverage.foreign
    assert not coverage.missing, [ce.code for ce in coverage.missing]


def test_missing_untagged_and_foreign_cells_are_reported(tmp_path):
    course = copy_course(tmp_path)
    for path in course.source_notebooks("bloc1"):
        path.unlink()
    nb = build.notebook([
        build.autotest("q1", "1", 2, ["CE1.1.1"]),
        build.autotest("q2", "1", 1, []),
        build.manual("m1", "réponse", 3, ["CE1.1.1", "CE2.1.1"]),
    ])
    nbformat.write(nb, course.source / "bloc1" / "essai.ipynb")
    coverage = assignment_coverage(course, "bloc1")
    assert [c.grade_id for c in coverage.untagged] == ["q2"]
    assert [(c.grade_id, code) for c, code in coverage.foreign] == [("m1", "CE2.1.1")]
    assert len(coverage.missing) == 24 and not coverage.complete
    by_ce = coverage.by_criterion()
    assert {c.mode for c in by_ce["CE1.1.1"]} == {AUTO, MANUAL}
    text = format_coverage(coverage)
    assert "CE1.1.2  NON ÉVALUÉ" in text
    assert "Critères évalués : 1 / 25." in text
    assert "Cellule sans critère déclaré (metadata.mda.ce) : essai:q2" in text
