"""`mda report`: the grades CSV (nbgrader's columns), the competency grid, the HTML report and the jury's workbook."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mda_checks.course import Course
from mda_checks.grade.ungraded import ungraded_notebooks
from mda_checks.nbgrader_api import course_api
from mda_checks.report.competencies import competency_grid, submission_facts
from mda_checks.report.excel import write_workbook
from mda_checks.report.grades import export_nbgrader_csv
from mda_checks.report.html import write_html_report


@dataclass(frozen=True)
class Reports:
    grades_csv: Path
    grid_csv: Path
    index: Path
    workbook: Path
    learners: int
    statuses: dict  # status -> number of (learner, CE) pairs
    groups: list[str] = field(default_factory=list)  # what the group step found (mda_checks.groups), in French
    ungraded: list = field(default_factory=list)  # the notebooks non corrigés (mda_checks.grade.ungraded)


def write_reports(course: Course, assignments: list[str] | None = None) -> Reports:
    from mda_checks.groups.grading import describe
    from mda_checks.groups.propagate import propagate_groups

    db_url = course_api(course.root).coursedir.db_url
    # group assignments: the groups' grades (manual ones entered since `mda grade` too) reach every member first
    groups = describe(propagate_groups(course, db_url, assignments))
    grid = competency_grid(course, db_url, assignments)
    if grid.empty:
        raise ValueError("aucune copie corrigée dans le carnet de notes : lancez d'abord `mda grade`")
    facts = submission_facts(db_url)
    exports, reports = course.step("exports"), course.step("reports")
    grades_csv = export_nbgrader_csv(db_url, exports / "notes_nbgrader.csv")
    grid_csv = exports / "grille_competences.csv"
    grid.to_csv(grid_csv, index=False, lineterminator="\n")
    from mda_checks.jury.overview import jury_overview
    from mda_checks.report.comments import trainer_comments

    jury = jury_overview(course, grid)  # the jury's proposals (jury.toml) and recorded decisions
    ungraded = ungraded_notebooks(course, assignments)  # the one definition of « carnet non corrigé »
    workbook = write_workbook(grid, facts, reports / "grille_competences.xlsx", jury=jury,
                              comments=trainer_comments(db_url, list(dict.fromkeys(grid["devoir"]))), ungraded=ungraded)
    from mda_checks.groups.selection import group_sentences

    from mda_checks.copies.export import read_detail, report_context
    from mda_checks.copies.run import try_find_copies

    graded = list(dict.fromkeys(grid["devoir"]))
    problem = try_find_copies(course, graded)  # the answers handed over since the last comparison count too
    copies = {**report_context(read_detail(course), graded), "problem": problem}
    index = write_html_report(grid, facts, reports, course.step("feedback"), ungraded=ungraded,
                              groups=group_sentences(course, graded), jury=jury, copies=copies)
    return Reports(grades_csv, grid_csv, index, workbook, grid["apprenant"].nunique(),
                   grid["statut"].value_counts().to_dict(), groups, ungraded)
