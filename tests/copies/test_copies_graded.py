"""Copies found after a real grading: `mda grade` keeps the answers and says how many suspicions, `mda copies`
writes exports/soupcons_copie.csv, `mda report` and the dashboard show the cells side by side.

A small course (bloc1, its first notebook): Alice and Bob hand in their own copies solved; Carla hands in her
copy with Alice's answers typed in as numbers (read from Alice's graded notebooks).
"""
from __future__ import annotations

import csv
import json

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell

from mda_checks.cli import main
from mda_checks.copies.handovers import read_handovers
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.scoring.answer_spec import read_spec
from mda_checks.notebook import cells
from mda_checks.report.dashboard import Filters, copy_cells, copy_table, load_promotion
from mda_checks.report.dashboard_widgets import Dashboard
from tests.test_exchange import small_course

pytestmark = [pytest.mark.xdist_group("copies-e2e")]
NOTEBOOK = "01_veille_concurrence"


def _literal(value) -> str:
    """A value as a learner would type it."""
    if hasattr(value, "to_dict"):
        return f"pd.Series({json.dumps(value.to_dict(), ensure_ascii=False)})"
    return json.dumps(value, ensure_ascii=False)


def typed_in(notebook: nbformat.NotebookNode, answers: dict) -> nbformat.NotebookNode:
    """Each answer typed in, as a number, just before the check cell that reads it."""
    out = []
    for cell in notebook.cells:
        if cells.is_autograded_test(cell) and cells.grade_id(cell) in answers:
            variable = read_spec(cell.source).variable
            out.append(new_code_cell(f"import pandas as pd\n{variable} = {_literal(answers[cells.grade_id(cell)])}"))
        out.append(cell)
    notebook.cells = out
    return notebook


def test_a_copier_is_found_after_grading_and_shown_to_the_trainer(tmp_path, monkeypatch, capsys):
    course = small_course(tmp_path / "cours")
    monkeypatch.chdir(course.root)
    roster = course.root / "apprenants.csv"
    roster.write_text("id;nom;prénom;e-mail\nalice;A;Alice;a@x.fr\nbob;B;Bob;b@x.fr\ncarla;C;Carla;c@x.fr\n",
                      encoding="utf-8")
    assert main(["build"]) == 0
    copies = tmp_path / "copies"
    assert main(["release", "bloc1", "--apprenants", roster.name, "--dossier", str(copies)]) == 0
    for student in ("alice", "bob"):
        own = copies / student / "bloc1"
        write_submission(course, student, "bloc1", solved_submission(course, "bloc1", own), own_copy=own)
    capsys.readouterr()
    assert main(["copies", "bloc1"]) == 1
    assert "Aucune copie corrigée à comparer : lancez d'abord `mda grade`." in capsys.readouterr().out
    assert main(["grade", "bloc1", "--workers", "1"]) == 0
    assert "Copies entre apprenants : aucun soupçon (bloc1 : 0)" in capsys.readouterr().out

    answers = {g: v for g, v in read_handovers(course.step("autograded") / "alice" / "bloc1").items()
               if isinstance(v, (int, float, str, pd.Series))}  # the numbers and labels (a chart is drawn, not typed)
    assert {"tcam_marche", "parts_marche", "croissance_segments"} <= set(answers)
    own = copies / "carla" / "bloc1"
    notebooks = solved_submission(course, "bloc1", own)
    notebooks[NOTEBOOK] = typed_in(notebooks[NOTEBOOK], answers)
    write_submission(course, "carla", "bloc1", notebooks, own_copy=own)
    assert main(["grade", "bloc1", "--workers", "1"]) == 0
    assert "Copies entre apprenants : 1 soupçon(s) (bloc1 : 1)" in capsys.readouterr().out

    assert main(["copies", "bloc1"]) == 0
    out = capsys.readouterr().out
    assert "carla : " in out and "sont les bonnes réponses de alice et pas les siennes" in out, out
    with (course.step("exports") / "soupcons_copie.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["devoir"], r["apprenant"], r["source_probable"]) for r in rows] == [("bloc1", "carla", "alice")]
    counted = set(rows[0]["cellules"].split("; "))
    assert {"tcam_marche", "parts_marche", "croissance_segments"} <= counted
    assert int(rows[0]["nb_cellules"]) == len(counted) <= int(rows[0]["nb_cellules_comparables"])

    assert main(["report"]) == 0
    page = (course.step("reports") / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="copies"'):]
    assert "<b>carla</b>" in section and "<b>alice</b>" in section and "tcam_marche" in section
    assert "aucune note n'est changée" in section

    promotion = load_promotion(course.root)
    table = copy_table(promotion)
    assert list(table["Apprenant"]) == ["carla"] and list(table["Source probable"]) == ["alice"]
    detail = copy_cells(promotion, Filters(apprenant="carla"))
    assert "tcam_marche" in set(detail["Cellule"])
    assert copy_table(promotion, Filters(apprenant="bob")).empty

    board = Dashboard(promotion)  # the trainer's dashboard: the section follows the filters
    assert 'data-tableau="copies"' in board.copies.value and "carla" in board.copies.value
    board.learner.value = "carla"
    assert 'data-tableau="copies-cellules"' in board.copies.value and "tcam_marche" in board.copies.value
    board.learner.value = "bob"
    assert "Aucun soupçon pour ces filtres" in board.copies.value
