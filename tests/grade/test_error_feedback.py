"""The 15 beginner errors graded: the check's grade and the feedback page say what the learner saw.

The corpus notebook (tests/apprenant/check/error_corpus.py) runs in a real kernel as in a grading run
(NBGRADER_EXECUTION set, the learner runtime imported by its first cell); then the trusted phase
scores each check cell (ScoreAnswers' ``score_cell``) and shortens paths (StripGraderPaths), and
the course's feedback template renders the page, sanitized as ``mda feedback`` does.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from mda_apprenant.check.expected import Expected
from mda_apprenant.check.result import Status
from mda_checks.scoring.score_cells import _kernel_problem, score_cell, write_score
from mda_checks.grade.preprocessors.strip_paths import StripGraderPaths
from mda_checks.notebook.build import answer, autotest, code
from tests.apprenant.check.error_corpus import CORPUS, DATA_FILE, SETUP, check_cell, expected_message
from tests.feedback_pages import feedback_page


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("copie")
    (folder / DATA_FILE).parent.mkdir()
    (folder / DATA_FILE).write_text("annee;ca\n2025;1\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [code(SETUP)]
    for index, error in enumerate(CORPUS):
        notebook.cells += [answer(f"reponse_{index}", error.answer), autotest(f"q{index}", check_cell(error), 1, ["CE"])]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    pytest.MonkeyPatch().setenv("NBGRADER_EXECUTION", "autograde")
    try:
        NotebookClient(notebook, timeout=120, allow_errors=True, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        pytest.MonkeyPatch().delenv("NBGRADER_EXECUTION", raising=False)
    results = {}
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            result, problem = score_cell(cell, lambda key: Expected(1.0))
            write_score(cell, result, problem)
            cell.metadata.nbgrader["score"] = result.score  # what nbgrader's GetGrades gives the template
            results[cell.metadata.nbgrader.grade_id] = result
    StripGraderPaths().preprocess(notebook, {})
    return notebook, results


def test_each_check_is_graded_with_the_explanation_the_learner_saw(graded):
    notebook, results = graded
    for index, error in enumerate(CORPUS):
        result = results[f"q{index}"]
        assert result.status is Status.RAISED and result.score == 0
        assert result.message.startswith(expected_message(error)), result.message
        assert "non traité" not in result.text()


def test_answer_cells_show_the_french_explanation_without_the_grader_s_paths(graded):
    notebook, _ = graded
    answers = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
    for error, cell in zip(CORPUS, answers):
        kinds = [o.output_type for o in cell.outputs]
        assert "error" in kinds and "stream" not in kinds, (error.name, cell.outputs)  # nothing on stderr
        explanation = next(o for o in cell.outputs if o.output_type == "display_data")
        assert error.summary[1:] in explanation.data["text/plain"]
        assert "<details>" not in explanation.data["text/html"]   # no traceback in a grading run
    text = nbformat.writes(notebook)
    assert "site-packages" not in text and str(Path.home()) + "/" not in text and "/tmp/" not in text


def test_the_feedback_page_says_the_same(graded):
    notebook, _ = graded
    text = feedback_page(notebook, name="corpus", max_score=len(CORPUS))
    for error in CORPUS:
        assert expected_message(error) in text
        assert error.summary[:1].upper() + error.summary[1:] in text     # the answer cell's explanation
    assert "non traité" not in text and "site-packages" not in text


def test_a_check_cell_whose_variable_never_existed_is_not_called_not_answered():
    cell = nbformat.v4.new_code_cell("reponse = Amount('x', x)\nreponse")
    cell.outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'x' is not defined", traceback=[])]
    assert "n'existe pas" in _kernel_problem(cell) and "NameError" not in _kernel_problem(cell)
