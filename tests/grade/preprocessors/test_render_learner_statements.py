"""RenderLearnerStatements: the graded notebook behind the feedback tells the story of the learner's own case."""
import nbformat

from mda_checks.cli import main
from mda_checks.company.example import NAME
from mda_checks.grade.preprocessors.render_learner_statements import RenderLearnerStatements
from tests.conftest import COURSE, copy_course

NOTEBOOK = "01_veille_concurrence"


def _graded(course, student):
    """The common copy (as nbgrader restores its locked cells) run through the preprocessor for `student`."""
    notebook = nbformat.read(COURSE.release / "bloc1" / f"{NOTEBOOK}.ipynb", as_version=4)
    resources = {"nbgrader": {"assignment": "bloc1", "notebook": NOTEBOOK, "student": student}}
    notebook, _ = RenderLearnerStatements(course_root=str(course.root)).preprocess(notebook, resources)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def test_a_host_company_learners_feedback_names_their_company(tmp_path, monkeypatch, capsys):
    course = copy_course(tmp_path / "cours")
    monkeypatch.chdir(course.root)
    assert main(["entreprise", "bloc1", "--exemple", str(tmp_path / "numeria")]) == 0
    assert main(["entreprise", "bloc1", "alice", str(tmp_path / "numeria")]) == 0
    capsys.readouterr()
    alice, bob = _graded(course, "alice"), _graded(course, "bob")
    assert f"**Cas {NAME}.**" in alice and "Cyclonord" not in alice
    assert "**Cas Cyclonord.**" in bob and NAME not in bob  # another learner's case: the common story
