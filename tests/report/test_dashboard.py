"""The trainer's dashboard (mda_checks/report/dashboard.py and its widgets) on a really graded promotion.

The promotion is the graded bloc2 course of the e2e harness: three learners (a solved copy and a
copy with classic slips, each on their own variant; a blank copy on the common case), graded by
`mda grade`'s production path. Each expectation is computed another way than the code under test
(a plain loop over the gradebook's grid, the slips' own messages, the registry of variants).
"""
from __future__ import annotations

import re
import socket
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from mda_checks.course import Course, bloc_number
from mda_checks.nbgrader_api import course_directory
from mda_checks.report.competencies import (
    ACQUIRED, NOT_ACQUIRED, PART_BOTH, PART_GROUP, PENDING, STATUSES, competency_grid, grid_frame, shown_names,
)
from mda_checks.report.dashboard import (
    GROUP_HEADERS, JOURNAL_HEADERS, MESSAGE_HEADERS, NO_COURSE, NO_GRADEBOOK, NO_GRADED_COPY, NO_GROUP, VIEW_HEADERS,
    DashboardError, Filters, Promotion, export_path, export_view, filter_view, learner_detail, load_promotion,
    view_table,
)
from mda_checks.report.messages import CELL_COLUMNS, JOURNAL_COLUMNS
from mda_checks.report.dashboard_widgets import ALL, Dashboard, Notice, open_dashboard
from mda_checks.report.timing import PARIS
from mda_checks.variants.learner_case import COMMON
from mda_checks.variants.registry import read_registry
from mda_checks.referentiel import bloc_label
from tests.conftest import copy_course
from tests.e2e.harness import BLANK, SLIPS, SOLVED, graded_course

BLOC = "bloc2"
VARIANT_NAME = re.compile(r"^V-[0-9A-F]{6}$")


@pytest.fixture(scope="module")
def graded():
    return graded_course(BLOC)


@pytest.fixture(scope="module")
def promotion(graded):
    return load_promotion(graded.course.root)


def expected_rows(grid, filters: Filters) -> list[tuple[str, str, str]]:
    """(learner, assignment, CE) the view must have: a plain loop over the grid's records."""
    wanted = {"apprenant": filters.apprenant, "devoir": filters.devoir, "ce": filters.ce, "statut": filters.statut}
    return [(r["apprenant"], r["devoir"], r["ce"]) for r in grid.to_dict("records")
            if all(value is None or r[column] == value for column, value in wanted.items())]


def assert_view(grid, filters: Filters, view) -> None:
    """The view has exactly the rows the filters ask for, in the grid's order."""
    assert list(zip(view["apprenant"], view["devoir"], view["ce"])) == expected_rows(grid, filters), filters


# --- loading ------------------------------------------------------------------------------------------------

@pytest.mark.xdist_group("bloc2")
def test_the_promotion_is_mda_reports_competency_grid(graded, promotion):
    db_url = course_directory(graded.course.root).db_url
    assert promotion.db_url == db_url == graded.db_url  # the course's nbgrader_config.py says where the gradebook is
    same = competency_grid(graded.course, db_url)
    assert promotion.grid[["apprenant", "devoir", "ce", "statut", "points"]].equals(
        same[["apprenant", "devoir", "ce", "statut", "points"]])
    assert promotion.learners() == sorted([SOLVED, BLANK, SLIPS])
    assert promotion.assignments() == [BLOC]
    with Gradebook(db_url) as gb:
        submissions = {s.student_id for s in gb.find_assignment(BLOC).submissions}
    assert set(promotion.grid["apprenant"]) == submissions
    assert set(promotion.grid["statut"]) <= set(STATUSES)
    criteria = promotion.criteria(BLOC)
    assert len(criteria) == len(set(criteria)) == len(promotion.grid) // 3


# --- filters ------------------------------------------------------------------------------------------------

@pytest.mark.xdist_group("bloc2")
def test_each_filter_keeps_exactly_the_rows_asked_for(promotion):
    grid = promotion.grid
    first_ce = promotion.criteria(BLOC)[0]
    choices = [Filters(), Filters(devoir=BLOC), Filters(ce=first_ce),
               *(Filters(apprenant=s) for s in promotion.learners()),
               *(Filters(statut=s) for s in STATUSES),
               Filters(devoir=BLOC, ce=first_ce, apprenant=SOLVED),
               *(Filters(apprenant=s, statut=t) for s in promotion.learners() for t in STATUSES)]
    for filters in choices:
        assert_view(grid, filters, filter_view(grid, filters))
    per_learner = {s: len(filter_view(grid, Filters(apprenant=s))) for s in promotion.learners()}
    assert set(per_learner.values()) == {len(promotion.criteria(BLOC))}  # every CE of the bloc, for each learner
    assert len(filter_view(grid, Filters(ce=first_ce))) == 3


@pytest.mark.xdist_group("bloc2")
def test_the_statuses_tell_the_solved_copy_from_the_blank_one(promotion):
    """The filters work on what the grading decided: a blank copy acquires nothing, a solved one does."""
    grid = promotion.grid
    assert len(filter_view(grid, Filters(apprenant=SOLVED, statut=ACQUIRED))) > 0
    assert len(filter_view(grid, Filters(apprenant=BLANK, statut=ACQUIRED))) == 0
    assert len(filter_view(grid, Filters(apprenant=BLANK, statut=NOT_ACQUIRED))) > 0
    waiting = filter_view(grid, Filters(statut=PENDING))  # written answers and the jury's grids wait for a trainer
    assert len(waiting) > 0 and set(waiting["statut"]) == {PENDING}


@pytest.mark.xdist_group("bloc2")
def test_a_wrong_view_is_caught_by_the_check(promotion):
    """The check of the views can fail: another learner's rows, or one row less, are caught."""
    grid = promotion.grid
    wrong = filter_view(grid, Filters(apprenant=SLIPS))
    with pytest.raises(AssertionError):
        assert_view(grid, Filters(apprenant=SOLVED), wrong)
    with pytest.raises(AssertionError):
        assert_view(grid, Filters(apprenant=SLIPS), wrong.iloc[1:])
    mixed = filter_view(grid, Filters(statut=ACQUIRED))
    with pytest.raises(AssertionError):
        assert_view(grid, Filters(statut=NOT_ACQUIRED), mixed)


@pytest.mark.xdist_group("bloc2")
def test_a_filter_value_the_promotion_does_not_have_is_refused_in_french(promotion):
    grid = promotion.grid
    for filters, words in ((Filters(statut="acquise"), "statut inconnu « acquise »"),
                           (Filters(apprenant="personne"), "apprenant inconnu « personne »"),
                           (Filters(devoir="bloc9"), "bloc inconnu « bloc9 »"),
                           (Filters(ce="CE9.9.9"), "critère inconnu « CE9.9.9 »")):
        with pytest.raises(ValueError, match=re.escape(words)):
            filter_view(grid, filters)


@pytest.mark.xdist_group("bloc2")
def test_the_view_table_has_french_headers_and_the_learners_name(promotion):
    view = filter_view(promotion.grid, Filters(apprenant=SOLVED))
    table = view_table(view, promotion.names)
    assert list(table.columns) == VIEW_HEADERS
    assert set(table["Apprenant"]) == {SOLVED}  # not in a roster: the id alone
    assert list(table["CE"]) == list(view["ce"]) and list(table["Statut"]) == list(view["statut"])
    assert all(isinstance(p, float) for p in table["Points"])


# --- one learner --------------------------------------------------------------------------------------------

@pytest.mark.xdist_group("bloc2")
def test_the_drill_down_shows_the_learners_messages_cell_by_cell(graded, promotion):
    detail = learner_detail(promotion, SLIPS)
    messages = detail.messages
    assert list(messages.columns) == MESSAGE_HEADERS
    with Gradebook(graded.db_url) as gb:
        cells = {(nb.name, g.name): g for nb in gb.find_submission(BLOC, SLIPS).notebooks for g in nb.grades}
    assert {(r["Carnet"], r["Cellule"]) for r in messages.to_dict("records")} == set(cells)
    by_cell = {(r["Carnet"], r["Cellule"]): r for r in messages.to_dict("records")}
    assert graded.slips
    for slip in graded.slips:  # each classic mistake: the grading's message names its cause
        row = by_cell[(slip.notebook, slip.test_cell)]
        assert slip.message in row["Message"], (slip.test_cell, row["Message"])
        assert row["Résultat"] in ("partiellement correct", "incorrect"), row
        assert row["Points"] == pytest.approx(cells[(slip.notebook, slip.test_cell)].score)
        assert row["CE"], slip.test_cell  # the criteria the cell assesses
    automatic = [r for r in by_cell.values() if r["Message"]]
    assert len(automatic) > len(graded.slips) and any(r["Résultat"] == "correct" for r in automatic)
    assert all(r["Résultat"] == PENDING for key, r in by_cell.items() if cells[key].needs_manual_grade)
    # in the notebooks' order: the first cells are those of the first notebook
    assert list(messages["Carnet"]) == sorted(messages["Carnet"])


@pytest.mark.xdist_group("bloc2")
def test_a_blank_copy_says_nothing_was_done_and_no_answer_was_written(promotion):
    messages = learner_detail(promotion, BLANK).messages
    automatic = messages[messages["Message"] != ""]
    assert len(automatic) and set(automatic["Résultat"]) == {"non traité"}
    assert "Pas de réponse." in set(messages["Commentaire"])  # nbgrader's comment of a blank written answer


@pytest.mark.xdist_group("bloc2")
def test_the_drill_down_gives_the_variant_points_and_journal_of_each_bloc(graded, promotion):
    registry = read_registry(graded.course)
    for student in (SOLVED, SLIPS):
        (bloc,) = learner_detail(promotion, student).blocs
        assert bloc.devoir == BLOC and VARIANT_NAME.match(bloc.variante)
        assert bloc.variante == registry[(BLOC, student)].variante
    (blank,) = learner_detail(promotion, BLANK).blocs
    assert blank.variante == COMMON
    detail = learner_detail(promotion, SLIPS)
    with Gradebook(graded.db_url) as gb:
        submission = gb.find_submission(BLOC, SLIPS)
        assert detail.blocs[0].points == pytest.approx(submission.score)
        assert detail.blocs[0].points_max == pytest.approx(submission.max_score)
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} à \d{2}:\d{2}", detail.blocs[0].rendu_le)  # Paris time, in words
    assert list(detail.journal.columns) == JOURNAL_HEADERS
    assert sorted(detail.journal["Carnet"]) == sorted(p.stem for p in graded.course.source_notebooks(BLOC))
    assert list(detail.criteria["CE"]) == promotion.criteria(BLOC)  # their grades per CE


@pytest.mark.xdist_group("bloc2")
def test_a_status_filter_narrows_the_messages_to_the_cells_behind_those_criteria(promotion):
    detail = learner_detail(promotion, SOLVED, Filters(statut=ACQUIRED))
    acquired = filter_view(promotion.grid, Filters(apprenant=SOLVED, statut=ACQUIRED))
    assert len(acquired) and list(detail.criteria["Statut"]) == [ACQUIRED] * len(acquired)
    behind = {cell for cells in acquired["cellules"] for cell in cells.split(", ")}
    shown = {f"{r['Carnet']}:{r['Cellule']}" for r in detail.messages.to_dict("records")}
    assert shown == behind
    assert len(shown) < len(learner_detail(promotion, SOLVED).messages) or len(acquired) == len(promotion.criteria(BLOC))


# --- export -------------------------------------------------------------------------------------------------

@pytest.mark.xdist_group("bloc2")
def test_the_export_round_trips_the_current_view(promotion, tmp_path):
    filters = Filters(devoir=BLOC, apprenant=SLIPS, statut=PENDING)
    expected = view_table(filter_view(promotion.grid, filters), promotion.names)
    assert len(expected) > 0
    path = export_view(promotion, filters, tmp_path / "vue.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Vue", "Filtres", "Messages"]
    sheet = book["Vue"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == VIEW_HEADERS
    assert rows[1:] == [list(r) for r in expected.itertuples(index=False)]  # the rows of the view, nothing else
    assert {r[VIEW_HEADERS.index("Statut")] for r in rows[1:]} == {PENDING}
    assert all(sheet.cell(row=i, column=6).number_format == "0.0#" for i in range(2, len(rows) + 1))
    about = dict(row for row in book["Filtres"].iter_rows(min_row=2, values_only=True))
    assert about["Apprenant"] == SLIPS and about["Statut"] == PENDING and about["Critère (CE)"] == "tous"
    assert about["Lignes"] == str(len(expected))
    messages = [[c.value for c in row] for row in book["Messages"].iter_rows()]
    assert messages[0] == MESSAGE_HEADERS and len(messages) > 1


@pytest.mark.xdist_group("bloc2")
def test_the_export_of_the_whole_promotion_has_every_row_and_no_messages_sheet(promotion, tmp_path):
    path = export_view(promotion, Filters(), tmp_path / "tout.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Vue", "Filtres"]
    assert book["Vue"].max_row == 1 + len(promotion.grid)


def test_exports_are_named_after_their_paris_time_and_never_overwrite_one_another(tmp_path):
    course = Course(tmp_path)
    now = datetime(2026, 12, 1, 23, 30, 5, tzinfo=PARIS)
    first = export_path(course, now)
    assert first == tmp_path / "exports" / "tableau_de_bord_20261201-233005.xlsx"
    first.parent.mkdir()
    first.touch()
    assert export_path(course, now).name == "tableau_de_bord_20261201-233005-2.xlsx"


# --- widgets ------------------------------------------------------------------------------------------------

def table_rows(value: str, name: str = "vue") -> list[str]:
    """The body rows of a table of the dashboard's HTML."""
    table = value.split(f'data-tableau="{name}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])


@pytest.mark.xdist_group("bloc2")
def test_the_widgets_filter_the_table_and_open_a_learner(promotion, tmp_path):
    board = Dashboard(promotion)
    assert len(table_rows(board.table.value)) == len(promotion.grid)
    assert "Choisissez un apprenant" in board.detail.value
    board.learner.value = SLIPS
    rows = table_rows(board.table.value)
    assert len(rows) == len(promotion.criteria(BLOC)) and all(f">{SLIPS}</td>" in r for r in rows)
    registry_name = learner_detail(promotion, SLIPS).blocs[0].variante
    assert f"variante {registry_name}" in board.detail.value and "Messages de la correction" in board.detail.value
    assert len(table_rows(board.detail.value, "messages")) == len(learner_detail(promotion, SLIPS).messages)
    board.status.value = ACQUIRED
    expected = expected_rows(promotion.grid, Filters(apprenant=SLIPS, statut=ACQUIRED))
    assert len(table_rows(board.table.value)) == len(expected)
    assert board.summary.value.count(f"{ACQUIRED} : {len(expected)}") == 1
    board.status.value = ALL
    board.learner.value = ALL
    board.bloc.value = BLOC
    assert [v for _, v in board.criterion.options][1:] == promotion.criteria(BLOC)
    board.criterion.value = promotion.criteria(BLOC)[0]
    board.bloc.value = ALL  # the CE chosen stays chosen: it is a CE of the promotion
    assert board.criterion.value == promotion.criteria(BLOC)[0]


@pytest.mark.xdist_group("bloc2")
def test_the_export_button_writes_the_view_and_says_where(promotion):
    board = Dashboard(promotion)
    board.learner.value = BLANK
    board.export_button.click()
    path = board.last_export
    assert path is not None and path.is_file() and path.parent == promotion.course.root / "exports"
    assert re.fullmatch(r"tableau_de_bord_\d{8}-\d{6}(-\d+)?\.xlsx", path.name)
    assert f"exports/{path.name}" in board.export_result.value
    sheet = openpyxl.load_workbook(path)["Vue"]
    assert sheet.max_row == 1 + len(promotion.criteria(BLOC))
    path.unlink()  # the graded course is shared with the bloc's other tests


# --- no promotion to show -----------------------------------------------------------------------------------

def test_no_gradebook_yet_gives_a_french_message_and_creates_nothing(tmp_path):
    course = copy_course(tmp_path / "cours")
    shown = open_dashboard(course.root)
    assert isinstance(shown, Notice) and shown.message == NO_GRADEBOOK.format(path="gradebook.db")
    assert "mda grade" in repr(shown) and "Traceback" not in shown._repr_html_()
    assert not (course.root / "gradebook.db").exists()


def test_an_empty_gradebook_gives_a_french_message(tmp_path):
    course = copy_course(tmp_path / "cours")
    with Gradebook(course_directory(course.root).db_url) as gb:  # a gradebook with learners, no graded copy
        gb.update_or_create_assignment(BLOC)
        gb.update_or_create_student("a.martin", first_name="Alice", last_name="Martin")
    shown = open_dashboard(course.root / "source")  # from a folder of the course: the course is found above it
    assert isinstance(shown, Notice) and shown.message == NO_GRADED_COPY
    with pytest.raises(DashboardError, match="Aucune copie corrigée"):
        load_promotion(course.root)


def test_outside_a_course_gives_a_french_message(tmp_path):
    shown = open_dashboard(tmp_path)
    assert isinstance(shown, Notice) and shown.message == NO_COURSE


def test_a_gradebook_out_of_reach_gives_a_french_message(tmp_path, monkeypatch):
    course = copy_course(tmp_path / "cours")
    with socket.socket() as probe:  # a port where no server listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("MDA_GRADEBOOK_URL", f"postgresql+psycopg://mda@127.0.0.1:{port}/carnet_mda?connect_timeout=5")
    shown = open_dashboard(course.root)
    assert isinstance(shown, Notice) and shown.message.startswith("Le carnet de notes ne répond pas (")
    assert "MDA_GRADEBOOK_URL" in shown.message


# --- a group assignment (bloc 4: the group's dossier, each member's oral) ------------------------------------

def _grid_row(student: str, assignment: str, ce: str, points: float, maximum: float, *, group: str = "",
              part: str = "", group_points: float | None = None, oral_points: float | None = None) -> dict:
    """A row as ``criteria_rows`` writes it (competencies.py), without a gradebook."""
    return {"apprenant": student, "devoir": assignment, "bloc": bloc_number(assignment), "ce": ce,
            "libelle": f"Critère {ce}", "points": points, "points_max": maximum,
            "taux": points / maximum, "statut": ACQUIRED if points / maximum >= 0.5 else NOT_ACQUIRED,
            "cellules": f"01_carnet:{ce.lower()}", "groupe": group, "part": part,
            "points_groupe": group_points, "points_individuels": oral_points}


@pytest.fixture
def group_promotion(tmp_path):
    """Two members of G1 and a learner in no group on bloc 4 (a group assignment), and bloc 2 (individual)."""
    rows = [
        _grid_row("a.martin", "bloc2", "CE2.1.1", 2, 4),
        _grid_row("a.martin", "bloc4", "CE4.6.1", 7, 9, group="G1", part=PART_GROUP, group_points=7, oral_points=0),
        _grid_row("a.martin", "bloc4", "CE4.6.4", 5, 6, group="G1", part=PART_BOTH, group_points=3, oral_points=2),
        _grid_row("b.lefevre", "bloc4", "CE4.6.1", 7, 9, group="G1", part=PART_GROUP, group_points=7, oral_points=0),
        _grid_row("b.lefevre", "bloc4", "CE4.6.4", 3, 6, group="G1", part=PART_BOTH, group_points=3, oral_points=0),
        _grid_row("c.durand", "bloc4", "CE4.6.1", 0, 9, group="", part=PART_GROUP, group_points=0, oral_points=0),
        _grid_row("c.durand", "bloc4", "CE4.6.4", 1, 6, group="", part=PART_BOTH, group_points=0, oral_points=1),
    ]
    grid = grid_frame(rows, {"a.martin": "Alice Martin"}, {})
    promotion = Promotion(Course(tmp_path), "sqlite:///nulle-part.db", grid,
                          pd.DataFrame(columns=["apprenant", "devoir", "rendu_le", "date_limite", "retard_s",
                                                "points", "points_max", "en_attente"]),
                          pd.DataFrame(columns=CELL_COLUMNS), pd.DataFrame(columns=JOURNAL_COLUMNS),
                          shown_names(grid))
    for student in promotion.learners():  # no graded notebook to read messages from
        for assignment in promotion.assignments():
            promotion._messages[(student, assignment)] = {}
    return promotion


def _records(table: pd.DataFrame) -> dict[tuple[str, str, str], dict]:
    return {(r["Apprenant"], r["Bloc"], r["CE"]): r for r in table.to_dict("records")}


def test_a_group_assignment_shows_the_group_and_the_part_of_each_criterion(group_promotion):
    table = view_table(group_promotion.grid, group_promotion.names)
    assert list(table.columns) == GROUP_HEADERS
    rows = _records(table)
    bloc2, bloc4 = bloc_label("bloc2"), bloc_label("bloc4")  # the Bloc column names each bloc by its title
    both = rows[("Alice Martin (a.martin)", bloc4, "CE4.6.4")]
    assert (both["Groupe"], both["Part"], both["Points du groupe"], both["Points à l'oral"], both["Points"]) \
        == ("G1", "dossier du groupe + soutenance individuelle", 3.0, 2.0, 5.0)
    assert rows[("b.lefevre", bloc4, "CE4.6.1")]["Part"] == PART_GROUP
    assert rows[("c.durand", bloc4, "CE4.6.4")]["Groupe"] == NO_GROUP  # in a group assignment, in no group
    individual = rows[("Alice Martin (a.martin)", bloc2, "CE2.1.1")]  # an individual assignment: empty
    assert (individual["Groupe"], individual["Part"]) == ("", "")
    assert individual["Points du groupe"] is None and individual["Points à l'oral"] is None
    with pytest.raises(AssertionError):  # the check can fail: another member's oral is not Alice's
        assert rows[("b.lefevre", bloc4, "CE4.6.4")]["Points à l'oral"] == both["Points à l'oral"]
    # a view without group rows keeps the individual columns only
    assert list(view_table(filter_view(group_promotion.grid, Filters(devoir="bloc2")), {}).columns) == VIEW_HEADERS


def test_the_drill_down_names_the_learners_group_for_the_group_assignment_only(group_promotion):
    detail = learner_detail(group_promotion, "a.martin")
    assert [(b.devoir, b.groupe) for b in detail.blocs] == [("bloc2", ""), ("bloc4", "G1")]
    assert list(detail.criteria.columns) == GROUP_HEADERS
    assert list(detail.criteria["Part"]) == ["", PART_GROUP, PART_BOTH]
    assert [b.groupe for b in learner_detail(group_promotion, "c.durand").blocs] == [NO_GROUP]
    board = Dashboard(group_promotion)
    assert "<th>Groupe</th>" in board.table.value and "<th>Part</th>" in board.table.value
    board.learner.value = "a.martin"
    (bloc2, bloc4) = table_rows(board.detail.value, "blocs")
    assert '<td class="court">G1</td>' in bloc4 and '<td class="court"></td>' in bloc2
    assert any(f"<td>{PART_BOTH}</td>" in row and ">2</td>" in row for row in table_rows(board.table.value))
    board.bloc.value = "bloc2"
    assert "<th>Part</th>" not in board.table.value


def test_the_export_has_the_group_and_the_part_columns(group_promotion, tmp_path):
    path = export_view(group_promotion, Filters(apprenant="a.martin"), tmp_path / "groupe.xlsx")
    sheet = openpyxl.load_workbook(path)["Vue"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == GROUP_HEADERS
    expected = view_table(filter_view(group_promotion.grid, Filters(apprenant="a.martin")), group_promotion.names)
    assert rows[1:] == [[None if v == "" else v for v in r] for r in expected.itertuples(index=False)]
    by_ce = {r[GROUP_HEADERS.index("CE")]: r for r in rows[1:]}
    assert by_ce["CE4.6.4"][GROUP_HEADERS.index("Part")] == PART_BOTH
    assert by_ce["CE4.6.4"][GROUP_HEADERS.index("Points à l'oral")] == 2
    assert by_ce["CE2.1.1"][GROUP_HEADERS.index("Groupe")] is None  # empty for the individual bloc
    oral = GROUP_HEADERS.index("Points à l'oral") + 1
    assert all(sheet.cell(row=i, column=oral).number_format == "0.0#" for i in range(2, len(rows) + 1)
               if sheet.cell(row=i, column=oral).value is not None)
