"""The trusted scoring of a notebook runs in a forked child under processor-time and memory limits.

A cell that runs out of time or memory scores 0 with its French reason and the others keep their
points; a child that dies or stops progressing costs only the cells it had not finished; it never
outlives the process that forked it. Processor limits are CPU seconds of the child (setrlimit),
never a wall clock measured by the test.
"""
from __future__ import annotations

import json
import os
import signal
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from mda_apprenant import Rate
from mda_apprenant.check.figures import FigureSpec
from mda_apprenant.check.handover import serialise
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.scoring.bounded_scoring import (CELL_LIMIT_SIGNAL, CELL_MEMORY, CELL_TIME, STOPPED, ScoringLimits,
                                                Unfinished, cell_time_reason, run_bounded)
from mda_checks.scoring.right_answers import RightAnswers
from mda_checks.grade.preprocessors.score_answers import ScoreAnswers
from mda_checks.scoring.reference import reference_expected
from mda_checks.notebook import cells
from tests.conftest import REPO

LIMITS = ScoringLimits(cell_cpu_seconds=30, notebook_cpu_seconds=60, memory_bytes=256 * 2**20, wall_seconds=600)
#: for the items that spin: a cell's processor time is its own (a timer), so a fraction of a second is enough
SPIN = ScoringLimits(cell_cpu_seconds=0.3, notebook_cpu_seconds=60, memory_bytes=256 * 2**20, wall_seconds=600)


def _spin(_=None):
    while True:
        pass


def _burn(seconds: float) -> float:
    """Use `seconds` of processor time (user and system, as the cell timer counts), then return them."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds


def _hog(_=None):
    blocks = []
    while True:
        blocks.append(bytearray(32 * 2**20))


def test_outcomes_come_back_in_order_as_data_and_state_lasts_the_notebook():
    seen = []

    def work(item):
        seen.append(item)
        return {"item": item, "before": len(seen) - 1}

    assert run_bounded([3, 1, 2], work, LIMITS) == [{"item": 3, "before": 0}, {"item": 1, "before": 1},
                                                     {"item": 2, "before": 2}]
    assert seen == []  # the work ran in the child, never here
    assert run_bounded([], work, LIMITS) == []


def test_an_item_over_its_processor_time_is_unfinished_and_each_item_gets_the_same_time_whatever_came_before():
    """Items using two thirds of the allowance each, before and after one that spins: only that one is stopped
    (a limit counted over the notebook, or not reset after a stopped item, would stop the next ones)."""
    def work(item):
        if item == "boucle":
            try:
                _spin()
            except Exception:  # noqa: BLE001 - the scoring's own guards must not swallow the limit
                return "avalé"
        return _burn(item)

    results = run_bounded([0.2, 0.2, "boucle", 0.2], work, SPIN)
    assert results == [0.2, 0.2, Unfinished(cell_time_reason(SPIN)), 0.2]
    assert "temps de calcul autorisé (0,3 s de processeur)" in results[2].reason
    assert cell_time_reason(LIMITS) == CELL_TIME.format(seconds=30)


def test_an_item_over_the_memory_limit_is_unfinished_and_the_next_ones_go_on():
    results = run_bounded(["avant", "mémoire", "après"], lambda item: _hog() if item == "mémoire" else item, LIMITS)
    assert results == ["avant", Unfinished(CELL_MEMORY.format(mebibytes=256)), "après"]


def test_the_notebook_limit_stops_the_child_and_costs_only_the_unfinished_items():
    limits = ScoringLimits(cell_cpu_seconds=30, notebook_cpu_seconds=1, memory_bytes=LIMITS.memory_bytes,
                           wall_seconds=600)

    def work(item):
        if item == "boucle":
            signal.signal(CELL_LIMIT_SIGNAL, signal.SIG_IGN)  # code that would ignore the cell's limit: the hard one kills
            _spin()
        return item

    assert run_bounded(["avant", "boucle", "après"], work, limits) == ["avant", Unfinished(STOPPED), Unfinished(STOPPED)]


def test_a_child_that_dies_costs_the_items_it_had_not_finished():
    def work(item):
        if item == "sortie":
            os._exit(3)
        return item

    assert run_bounded(["avant", "sortie", "après"], work, LIMITS) == ["avant", Unfinished(STOPPED), Unfinished(STOPPED)]


def test_a_child_that_no_longer_progresses_is_stopped_by_the_wall_clock():
    limits = ScoringLimits(cell_cpu_seconds=1, notebook_cpu_seconds=60, memory_bytes=LIMITS.memory_bytes,
                           wall_seconds=0.5)  # the child sleeps for an hour: any clock stops it
    assert run_bounded(["attente"], lambda item: time.sleep(3600), limits) == [Unfinished(STOPPED)]


def test_without_fork_the_same_work_runs_here_and_memory_errors_are_named():
    def work(item):
        if item == "mémoire":
            raise MemoryError
        return item

    assert run_bounded(["a", "mémoire", "b"], work, LIMITS, fork=False) == \
        ["a", Unfinished(CELL_MEMORY.format(mebibytes=256)), "b"]


def test_it_works_from_a_thread_of_a_busy_process_as_in_formgrader_or_a_dask_worker():
    """formgrader grades in its server's threads, a Dask worker in its task threads: the forked
    child's only thread becomes its main thread, where the processor limit's signal is handled."""
    stop, results = threading.Event(), []
    busy = threading.Thread(target=lambda: stop.wait(), daemon=True)
    busy.start()
    scorer = threading.Thread(target=lambda: results.append(
        run_bounded(["avant", "boucle", "après"], lambda item: _spin() if item == "boucle" else item, SPIN)))
    scorer.start()
    scorer.join()
    stop.set()
    assert results == [["avant", Unfinished(cell_time_reason(SPIN)), "après"]]


def test_the_child_dies_with_the_process_that_forked_it(tmp_path):
    pid_file = tmp_path / "enfant"
    middle = os.fork()
    if middle == 0:  # a grading process that is killed while it scores
        try:
            run_bounded(["attente"], lambda _: (pid_file.write_text(str(os.getpid())), time.sleep(3600)), LIMITS)
        finally:
            os._exit(0)
    deadline = time.monotonic() + 120  # generous: only a slow machine makes this wait
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert psutil.pid_exists(child)
    os.kill(middle, signal.SIGKILL)
    os.waitpid(middle, 0)
    while _alive(child):
        assert time.monotonic() < deadline, "the scoring child outlived its grading process"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# -- ScoreAnswers: one cell over its limits scores 0 with its reason, the others as usual --------------------------
FAKE_REFERENCE = """
    import os
    from faux_corrige.registry import CaseData  # noqa: F401  (ScoreAnswers reads the case data through it)
    from mda_apprenant.check.expected import Expected

    class Reference:
        def expected(self, key, data):
            if key == "boucle":
                while True:
                    pass
            if key == "memoire":
                blocks = []
                while True:
                    blocks.append(bytearray(32 * 2**20))
            if key == "sortie":
                os._exit(3)
            return Expected(0.05)

    reference = Reference()
"""


@pytest.fixture
def fake_course(tmp_path) -> Path:
    package = tmp_path / "faux_corrige"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "registry.py").write_text("class CaseData:\n    def __init__(self, folder):\n        self.folder = folder\n")
    (package / "bloc1.py").write_text(textwrap.dedent(FAKE_REFERENCE))
    (tmp_path / "source" / "bloc1" / "data").mkdir(parents=True)
    return tmp_path


def _check_cell(grade_id: str, value=0.05) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(f'reponse = Rate("Taux {grade_id}", taux)\nreponse', execution_count=1)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 2, "locked": True}
    cell.outputs = [nbformat.v4.new_output("execute_result", data=Rate("x", value)._repr_mimebundle_(), execution_count=1)]
    return cell


def _scored(course: Path, grade_ids: list[str], **limits) -> list[tuple[str, str]]:
    notebook = nbformat.v4.new_notebook(cells=[_check_cell(g) for g in grade_ids])
    step = ScoreAnswers(reference_root=str(course), reference_package="faux_corrige", memory_bytes=256 * 2**20,
                        cell_cpu_seconds=1, **limits)
    step.preprocess(notebook, {"nbgrader": {"assignment": "bloc1", "student": "x", "notebook": "n"}})
    return [(c.outputs[0].data["text/plain"], c.outputs[0].metadata.get("mda", {}).get("probleme", ""))
            for c in notebook.cells]


def test_a_check_cell_over_its_limits_scores_zero_with_its_reason_and_the_others_keep_their_points(fake_course):
    scores = _scored(fake_course, ["juste", "boucle", "juste2", "memoire", "juste3"])
    assert [s for s, _ in scores] == ["2", "0", "2", "0", "2"]
    assert scores[1][1] == CELL_TIME.format(seconds=1) and scores[3][1] == CELL_MEMORY.format(mebibytes=256)
    assert [p for _, p in scores][::2] == ["", "", ""]


def test_a_scoring_that_dies_scores_the_cells_it_had_not_finished_zero(fake_course):
    scores = _scored(fake_course, ["juste", "sortie", "juste2"])
    assert scores == [("2", ""), ("0", STOPPED), ("0", STOPPED)]


def _honest_notebook(path: Path, assignment: str) -> tuple[dict, set[str]]:
    """A master whose check cells hand over the right answers (computed by the reference), as a kernel
    would; and the grade ids of those cells (a chart cannot be handed over from its expected spec)."""
    notebook = nbformat.read(path, as_version=4)
    right_answers = RightAnswers(reference_expected(REPO, assignment, path.parent / "data"))
    handed = set()
    for cell in notebook.cells:
        if cells.is_autograded_test(cell):
            spec = read_spec(cell.source)
            right = right_answers.of(cells.grade_id(cell), spec)[1]
            if right is not None and not isinstance(right.value, FigureSpec):
                answer = spec.build(right.value, right)
                cell.outputs = [nbformat.v4.new_output(
                    "execute_result", data={"application/vnd.mda.reponse+json": serialise(answer)}, execution_count=1)]
                right_answers.given[spec.variable] = right.value
                handed.add(cells.grade_id(cell))
    return json.loads(json.dumps(notebook)), handed


@pytest.mark.parametrize("assignment, number", [("bloc1", 0), ("bloc2", 2)])
def test_bounded_scoring_gives_the_grades_and_messages_of_scoring_in_process(assignment, number):
    path = sorted((REPO / "source" / assignment).glob("*.ipynb"))[number]
    data, handed = _honest_notebook(path, assignment)
    outputs = {}
    for bounded in (True, False):
        notebook = nbformat.from_dict(json.loads(json.dumps(data)))
        ScoreAnswers(reference_root=str(REPO), case_data=str(REPO / "source" / "{assignment}" / "data"),
                     bounded=bounded).preprocess(notebook, {"nbgrader": {"assignment": assignment, "student": "x"}})
        outputs[bounded] = {cells.grade_id(c): (c.outputs, cells.points(c)) for c in notebook.cells
                            if cells.is_autograded_test(c)}
    assert outputs[True] == outputs[False]
    assert len(handed) >= 5
    assert all(float(outputs[True][g][0][0].data["text/plain"]) == outputs[True][g][1] for g in handed)


@pytest.mark.parametrize("seconds", [0, -1, float("nan")])
def test_a_cell_limit_that_is_no_limit_is_refused_with_a_french_message(seconds):
    with pytest.raises(ValueError, match="doit être positive"):
        ScoringLimits(cell_cpu_seconds=seconds, notebook_cpu_seconds=60, memory_bytes=2**20, wall_seconds=60)
