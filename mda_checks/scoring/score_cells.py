"""The trusted second phase of grading: the score of each check cell, from the data it handed over.

The learner's kernel has finished; what it displayed is data in the notebook. For each
check cell (``grade`` and not ``solution``), ``score_cell``:

1. reads the kind and settings of the answer from the cell's source, restored by
   nbgrader from the gradebook (``answer_spec``);
2. finds the one answer the cell handed over, checks it against the schema and decodes
   it (``answer_schema``) — none, several or a malformed one scores 0 with a French reason;
3. computes the expected value from the case data with the grader-only reference
   (``mda_checks.scoring.reference``, never in the kernel);
4. replaces the cell's outputs by its one and only score: text/plain (the number that
   nbgrader's SaveAutoGrades reads) and the French HTML message.

Whatever the kernel printed in a check cell is discarded: it can never be a score. The check
cells of a notebook are scored in a child process limited in processor time and memory
(``bounded_scoring``): a cell over its limits scores 0 with its reason, the others as usual.
The nbgrader step that runs this is ``mda_checks.grade.preprocessors.score_answers.ScoreAnswers``.
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbformat.v4 import new_output

from mda_apprenant.check.handover import MIME_TYPE
from mda_apprenant.check.result import CheckResult, Status
from mda_checks.copies.handovers import scored_handover
from mda_checks.grade.reasons import exception_words  # what trainers and learners read names no Python class
from mda_checks.grade.sandbox.capped_execute import TIMEOUT_ERROR
from mda_checks.notebook import cells
from mda_checks.notebook.result_record import write_record
from mda_checks.scoring.answer_schema import TOO_LARGE, ReceivedError, decode, validate
from mda_checks.scoring.answer_spec import SpecError, read_spec
from mda_checks.scoring.reference import ExpectedOf
from mda_checks.scoring.right_answers import RightAnswers


def _kernel_problem(cell: NotebookNode) -> str:
    """Why a check cell handed nothing over, from what the kernel left in it."""
    errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
    if not errors and cell.get("execution_count") is None:
        return "la cellule de vérification n'a pas été exécutée (le carnet a été arrêté plus haut)"
    if not errors:
        return ("la cellule de vérification n'a transmis aucune réponse (elle n'a rien affiché : "
                "a-t-elle été exécutée, son affichage a-t-il été désactivé ?)")
    error = errors[0]
    if error.ename == TIMEOUT_ERROR:
        return "la cellule de vérification a été interrompue (délai dépassé)"
    if error.ename == "NameError":  # a cell that raised gives its variables a CellError: this one was never set
        return ("la variable de réponse n'existe pas : la cellule de réponse ne la définit pas (variable renommée "
                "ou ligne « … = ... » supprimée ?)")
    return f"la cellule de vérification s'est arrêtée sur une erreur ({exception_words(error.ename[:60])})"


def score_cell(cell: NotebookNode, expected_of: ExpectedOf | RightAnswers) -> tuple[CheckResult, str]:
    """The score of one check cell, and the problem with its hand-over ('' when there is none).

    Give the notebook's ``RightAnswers`` (visited in cell order): a carried answer is graded on
    what the earlier check cells handed over, and recognised as right when recomputed from the data."""
    points = cells.points(cell)
    spec = read_spec(cell.source)
    right_answers = expected_of if isinstance(expected_of, RightAnswers) else RightAnswers(expected_of)
    expected, right = right_answers.of(cells.grade_id(cell), spec)

    def zero(reason: str, hint: str | None = None, status: Status = Status.INVALID) -> tuple[CheckResult, str]:
        message = reason[0].upper() + reason[1:] + "."
        return CheckResult(spec.label, status, message, 0.0, points, hint), reason

    handed = [o for o in cell.get("outputs", [])
              if o.output_type in ("execute_result", "display_data") and MIME_TYPE in o.get("data", {})]
    if not handed:
        raised = any(o.output_type == "error" for o in cell.get("outputs", []))
        return zero(_kernel_problem(cell), "Réexécutez le carnet du début à la fin avant de le rendre.",
                    Status.RAISED if raised else Status.NOT_RUN)
    if len(handed) > 1:
        return zero("la cellule de vérification a transmis plusieurs réponses : aucune n'est retenue")
    try:
        data = validate(handed[0].data[MIME_TYPE])
        value = decode(data["value"])
    except ReceivedError as problem:
        return zero(str(problem))
    except RecursionError:
        return zero(TOO_LARGE)
    answer = spec.build(value, expected, options=data.get("options"), inputs=right_answers.learner_inputs(spec),
                        direct=right)
    right_answers.given[spec.variable] = value  # what a later carried check is graded on
    return answer.grade(expected, points), ""


def write_score(cell: NotebookNode, result: CheckResult, problem: str = "") -> None:
    """The cell's only output: the score nbgrader reads, and the message the learner reads."""
    output = new_output("execute_result", data={"text/plain": repr(result), "text/html": result._repr_html_()},
                        execution_count=cell.get("execution_count"))
    if problem:
        output.metadata["mda"] = {"probleme": problem}
    cell.outputs = [output]
    write_record(cell, result, problem)  # the same result as data, for reports (never the HTML)


def score_notebook(notebook: NotebookNode, expected_of: ExpectedOf) -> list[CheckResult]:
    """Score every check cell of an executed notebook in place (the trusted phase)."""
    results, right_answers = [], RightAnswers(expected_of)
    for cell in notebook.cells:
        if cells.is_autograded_test(cell):
            result, problem = score_cell(cell, right_answers)
            write_score(cell, result, problem)
            results.append(result)
    return results


def score_check(cell: NotebookNode, right_answers: RightAnswers) -> dict:
    """One check cell's score as JSON data: ``result`` (CheckResult), ``problem``, and ``bug``, the
    trainer's log line when the master or the reference, not the learner, is at fault."""
    before = dict(right_answers.given)
    try:
        result, problem = score_cell(cell, right_answers)
        bug = ""
    except MemoryError:  # the hand-over's cost, not a bug: the bounded scoring says so
        raise
    except Exception as error:  # noqa: BLE001 - the master's or the reference's fault: say so, never blame the learner
        bug = f"Check cell {cells.grade_id(cell)} cannot be scored: {type(error).__name__}: {error}"
        what = str(error) if isinstance(error, SpecError) else f"erreur du corrigé ({exception_words(type(error).__name__)})"
        result = CheckResult(cells.grade_id(cell), Status.INVALID,
                             f"Vérification impossible : {what} ; prévenez le formateur.", 0.0, cells.points(cell))
        problem = f"vérification impossible : {what} (à corriger par le formateur, puis relancer mda grade)"
    kept = scored_handover(cell, before, right_answers.given) is not None  # for copy detection
    return {"result": result.to_data(), "problem": problem, "bug": bug, "kept": kept}


def unfinished(cell: NotebookNode, reason: str) -> dict:
    """The score of a check cell whose scoring ran out of time or memory: 0, and why."""
    try:
        label = read_spec(cell.source).label
    except SpecError:
        label = cells.grade_id(cell)
    result = CheckResult(label, Status.INVALID, reason[0].upper() + reason[1:] + ".", 0.0, cells.points(cell))
    return {"result": result.to_data(), "problem": reason, "bug": ""}
