"""Reports and feedback say which data each learner was graded on: their own variant, or the common case.

A tiny course (tests/notebook/test_build.py): two learners given a personal copy of bloc1 (two
variants, two names), a third on the common copy; graded for real, then `mda feedback` and
`mda report`'s writers.
"""
from __future__ import annotations

import csv

import openpyxl
import pytest

from mda_checks.demo.cohort import Learner, write_cohort
from mda_checks.demo.submissions import solved_submission, write_submission
from mda_checks.feedback import SUMMARY_NAME, FeedbackTask, feedback_task
from mda_checks.grade.autograde import autograde_assignment
from mda_checks.nbgrader_api import course_api
from mda_checks.report import competencies
from mda_checks.report.cohort import write_reports
from mda_checks.variants.learner_case import COMMON
from mda_checks.variants.registry import read_registry
from tests.notebook.test_build import tiny_course

pytestmark = pytest.mark.xdist_group("variants-reports")
PERSONAL, COMMON_LEARNER = ("ana", "ben"), "chloe"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tiny_course(tmp_path_factory.mktemp("variantes"))
    write_cohort(course, [Learner(name, "fort", 0.0) for name in PERSONAL], ["bloc1"])  # their own copies
    write_submission(course, COMMON_LEARNER, "bloc1", solved_submission(course, "bloc1"))  # release/'s copy
    outcomes = autograde_assignment(course_api(course.root), course, "bloc1")
    assert {o.status for o in outcomes} == {"corrigé"}, [(o.student, o.notes) for o in outcomes]
    for student in (*PERSONAL, COMMON_LEARNER):
        assert not feedback_task(FeedbackTask(str(course.root), "bloc1", student)).problem
    names = {student: read_registry(course)["bloc1", student].variante for student in PERSONAL}
    assert len(set(names.values())) == 2 and ("bloc1", COMMON_LEARNER) not in read_registry(course)
    return course, names


def _feedback(course, student: str) -> dict[str, str]:
    folder = course.step("feedback") / student / "bloc1"
    return {path.name: " ".join(path.read_text(encoding="utf-8").split()) for path in folder.glob("*.html")}


def test_each_learners_feedback_names_their_own_variant(graded):
    course, names = graded
    for student, name in names.items():
        pages = _feedback(course, student)
        assert set(pages) == {"essai.html", SUMMARY_NAME}
        for page, text in pages.items():
            assert f"Vos données : variante {name} (propres à votre copie)" in text, (student, page)
            assert not any(other in text for other in names.values() if other != name), (student, page)
        # near the top of the notebook's page: before its first cell
        assert pages["essai.html"].index("Vos données") < pages["essai.html"].index('id="notebook-container"')


def test_the_common_case_feedback_says_nothing_special(graded):
    course, _ = graded
    pages = _feedback(course, COMMON_LEARNER)
    assert set(pages) == {"essai.html", SUMMARY_NAME}
    for text in pages.values():
        assert "Vos données" not in text and "variante V-" not in text


def test_the_reports_show_each_learners_data_reading_the_registry_once(graded, monkeypatch):
    course, names = graded
    reads = []

    def counted(course_):
        reads.append(course_.root)
        return read_registry(course_)

    monkeypatch.setattr(competencies, "read_registry", counted)
    reports = write_reports(course, ["bloc1"])
    assert len(reads) == 1  # once per report, whatever the number of learners and criteria
    expected = {**names, COMMON_LEARNER: COMMON}

    with reports.grid_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {row["apprenant"]: row["variante"] for row in rows} == expected
    assert all(row["variante"] == expected[row["apprenant"]] for row in rows)  # every CE row of a learner

    sheet = openpyxl.load_workbook(reports.workbook)["Synthèse"]
    header = [cell.value for cell in sheet[1]]
    shown = {row[0].value: row[header.index("Variante")].value for row in sheet.iter_rows(min_row=2)}
    assert shown == expected

    pages = reports.index.parent / "apprenants"
    for student, name in names.items():
        page = " ".join((pages / f"{student}.html").read_text(encoding="utf-8").split())
        assert f"Données : variante {name}" in page
        assert not any(other in page for other in names.values() if other != name)
    common = " ".join((pages / f"{COMMON_LEARNER}.html").read_text(encoding="utf-8").split())
    assert "Données : cas commun" in common and "variante" not in common
