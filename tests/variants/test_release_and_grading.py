"""Per-learner copies through nbgrader for real: `mda release`, fetch of one's own copy, grading on
one's own data, `mda corrige`; and copying another learner's answers does not pay."""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell
from nbgrader.api import Gradebook
from nbgrader.utils import get_username

from mda_apprenant.check.handover import MIME_TYPE
from mda_checks.cli import main
from mda_checks.scoring.answer_schema import decode, validate
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.grade.autograde import run_autograde
from mda_checks.nbgrader_api import course_api
from mda_checks.notebook import cells
from mda_checks.variants.learner_case import data_digest
from mda_checks.variants.registry import read_registry
from tests.test_exchange import nbgrader, small_course

pytestmark = [pytest.mark.xdist_group("variants-e2e")]
NOTEBOOK = "01_veille_concurrence"


def _roster(course, *ids: str) -> str:
    path = course.root / "apprenants.csv"
    path.write_text("id;nom;prénom;e-mail\n" + "".join(f"{i};Nom{k};Prénom{k};{k}@exemple.fr\n"
                                                       for k, i in enumerate(ids)), encoding="utf-8")
    return path.name


def _graded_score(course, student: str) -> tuple[float, dict[str, float]]:
    with Gradebook(course_api(course.root).coursedir.db_url) as gb:
        notebook = gb.find_submission_notebook(NOTEBOOK, "bloc1", student)
        return notebook.score, {g.name: g.auto_score for g in notebook.grades if g.auto_score is not None}


def test_each_learner_fetches_their_own_copy_and_is_graded_on_its_data(tmp_path, monkeypatch, capsys):
    course = small_course(tmp_path / "cours")
    me = get_username()  # nbgrader's fetch knows the learner by their account
    monkeypatch.chdir(course.root)
    assert main(["build"]) == 0
    assert main(["release", "bloc1", "--apprenants", _roster(course, me, "autre.apprenant")]) == 0
    out = capsys.readouterr().out
    assert "2 copie(s) personnelle(s)" in out and "personnel" in out, out
    records = read_registry(course)
    mine, other = records[("bloc1", me)], records[("bloc1", "autre.apprenant")]
    assert mine.variante != other.variante and mine.empreinte != other.empreinte

    # the learner's Jupyter, configured as `mda echange` says: Fetch gives their own copy
    learner = tmp_path / "apprenant"
    (learner / ".jupyter").mkdir(parents=True)
    (learner / "devoirs").mkdir()
    from mda_checks.exchange import learner_config
    (learner / ".jupyter" / "nbgrader_config.py").write_text(learner_config(course), encoding="utf-8")
    nbgrader(learner / "devoirs", learner, "fetch_assignment", "bloc1")
    fetched = learner / "devoirs" / "bloc1"
    assert data_digest(fetched / "data") == mine.empreinte
    copy = nbformat.read(fetched / f"{NOTEBOOK}.ipynb", as_version=4)
    assert copy.metadata["mda"] == {"variante": mine.variante, "apprenant": me}
    assert not any("{{" in cell.source for cell in copy.cells)

    # they solve it (the master's code, on their data), edit their data to « help » themselves, submit
    shutil.copy(course.source / "bloc1" / f"{NOTEBOOK}.ipynb", fetched / f"{NOTEBOOK}.ipynb")
    for path in (fetched / "data").glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    nbgrader(learner / "devoirs", learner, "submit", "bloc1", f"--student={me}")
    nbgrader(course.root, tmp_path / "formateur", "collect", "bloc1")
    assert main(["grade", "bloc1", "--workers", "1"]) == 0, capsys.readouterr()
    # full marks although the data they handed in are empty: the kernel ran on their variant, and the
    # expected values were computed from it (on the common data, or on mixed data, values would differ)
    _, scores = _graded_score(course, me)
    with Gradebook(course_api(course.root).coursedir.db_url) as gb:
        maxima = {g.name: g.max_score for g in gb.find_notebook(NOTEBOOK, "bloc1").grade_cells if g.cell_type == "code"}
    assert scores and all(scores[name] == maxima[name] for name in scores if name in maxima), scores


def _literal_answers(course, copy_folder) -> dict[str, object]:
    """Run the master on a learner's copy (trusted code, plain kernel): their scalar answers, by variable."""
    work = copy_folder.parent / f"{copy_folder.name}-execution"
    shutil.copytree(copy_folder, work)
    master = nbformat.read(course.source / "bloc1" / f"{NOTEBOOK}.ipynb", as_version=4)
    NotebookClient(master, timeout=600, resources={"metadata": {"path": str(work)}}).execute()
    answers = {}
    for cell in master.cells:
        if not cells.is_autograded_test(cell):
            continue
        handed = [o for o in cell.outputs if MIME_TYPE in o.get("data", {})]
        value = decode(validate(handed[0].data[MIME_TYPE])["value"])
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            answers[read_spec(cell.source).variable] = value
    return answers


def _typed_in(course, answers: dict[str, object]) -> nbformat.NotebookNode:
    """The master with each scalar answer typed in as a number just before its check: copied answers."""
    notebook = nbformat.read(course.source / "bloc1" / f"{NOTEBOOK}.ipynb", as_version=4)
    typed = []
    for cell in notebook.cells:
        variable = read_spec(cell.source).variable if cells.is_autograded_test(cell) else None
        if variable in answers:
            typed.append(new_code_cell(f"{variable} = {json.dumps(answers[variable])}"))
        typed.append(cell)
    notebook.cells = typed
    return notebook


def test_answers_copied_from_another_learner_earn_what_they_are_worth_on_ones_own_data(tmp_path, monkeypatch, capsys):
    course = small_course(tmp_path / "cours")
    monkeypatch.chdir(course.root)
    assert main(["build"]) == 0
    copies = tmp_path / "copies"
    assert main(["release", "bloc1", "--apprenants", _roster(course, "alice", "bob"), "--dossier", str(copies)]) == 0
    answers = _literal_answers(course, copies / "alice" / "bloc1")
    assert len(answers) >= 3, answers
    for student in ("alice", "bob"):  # the same typed-in answers: alice's own, copied by bob
        folder = course.root / "submitted" / student / "bloc1"
        shutil.copytree(copies / student / "bloc1", folder)
        nbformat.write(_typed_in(course, answers), folder / f"{NOTEBOOK}.ipynb")
        assert run_autograde(course_api(course.root), "bloc1", student, NOTEBOOK)["success"]
    typed = {name for name in answers}
    checks = {cells.grade_id(c): read_spec(c.source).variable
              for c in nbformat.read(course.source / "bloc1" / f"{NOTEBOOK}.ipynb", as_version=4).cells
              if cells.is_autograded_test(c)}
    own, copied = _graded_score(course, "alice")[1], _graded_score(course, "bob")[1]
    typed_cells = [grade_id for grade_id, variable in checks.items() if variable in typed]
    assert sum(copied[g] for g in typed_cells) < sum(own[g] for g in typed_cells), (own, copied)
    assert sum(copied.values()) < sum(own.values())

    # the trainer reads each learner's right answers: alice's typed ones are hers, not bob's
    capsys.readouterr()
    assert main(["corrige", "bloc1", "alice"]) == 0
    key_alice = capsys.readouterr().out
    assert main(["corrige", "bloc1", "bob"]) == 0
    key_bob = capsys.readouterr().out
    records = read_registry(course)
    assert records[("bloc1", "alice")].variante in key_alice and records[("bloc1", "bob")].variante in key_bob
    assert key_alice.splitlines()[2:] != key_bob.splitlines()[2:]
    assert main(["corrige", "bloc1", "inconnu"]) == 0
    assert "cas commun" in capsys.readouterr().out
