"""Feedback for learners: nbgrader's HTML pages in French (hidden tests removed), and a
competency summary per learner and bloc (``competences.html`` beside the pages). Both say which
data a learner given a personal copy was graded on (``feedback_variant``).

``nbgrader_config.py`` puts the French template (mda_checks/templates/feedback) first and
ClearHiddenTests. NbGraderAPI.generate_feedback forces nbgrader's English template, so the
GenerateFeedback converter is run directly here, as the ``nbgrader generate_feedback`` command does.
Each (learner, assignment) is independent: it only reads the gradebook and writes its own
folder, so the cohort's feedback runs in parallel worker processes.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import GenerateFeedback
from nbgrader.utils import capture_log, temp_attrs

from mda_checks.course import Course
from mda_checks.grade.reasons import exception_words, failure_words
from mda_checks.nbgrader_api import failure_reason
from mda_checks.scoring.reference import REFERENCE_PACKAGE

HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", REFERENCE_PACKAGE)
SUMMARY_NAME = "competences.html"


def run_generate_feedback(api: NbGraderAPI, assignment: str, student: str) -> dict:
    """nbgrader generate_feedback for one submission (forced), with the course's template."""
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        app = GenerateFeedback(coursedir=api.coursedir, parent=api)
        app.force = True
        return capture_log(app)


def generate_feedback(api: NbGraderAPI, course: Course, assignment: str, students: list[str]) -> dict[str, str]:
    """Write feedback/<student>/<assignment>/*.html; return {student: problem} for failures."""
    problems = {}
    for student in students:
        if not (course.step("autograded") / student / assignment).is_dir():
            continue
        result = run_generate_feedback(api, assignment, student)
        if not result.get("success"):
            problems[student] = failure_reason(result)
    return problems


def write_competency_summary(course: Course, db_url: str, assignment: str, student: str) -> Path:
    """feedback/<student>/<assignment>/competences.html: the learner's CE, points and statuses."""
    from mda_apprenant.check.formatting import format_points
    from mda_checks.coverage import assignment_coverage
    from mda_checks.report.competencies import criteria_rows, submission_cells
    from mda_checks.report.html import CSS, _late, _when, common, environment

    with Gradebook(db_url) as gb:
        scores = submission_cells(gb, assignment, student)
        submission = gb.find_submission(assignment, student)
        points, maximum = submission.score, submission.max_score
        submitted, late_hours = submission.timestamp, submission.total_seconds_late / 3600
    from mda_checks.feedback_variant import learner_variant, variant_sentence
    from mda_checks.grade.ungraded import ungraded_notebooks
    from mda_checks.referentiel import bloc_label

    from mda_checks.groups.roster import read_groups
    from mda_checks.groups.selection import group_sentences
    from mda_checks.report.html import group_columns

    groups = read_groups(course, assignment)
    group = (groups.group_of(student) or "") if groups else None
    rows = criteria_rows(assignment_coverage(course, assignment), student, scores, group=group)
    ungraded = [{"notebook": u.notebook, "reason": u.reason} for u in ungraded_notebooks(course, [assignment])
                if u.student == student]  # the one definition of « carnet non corrigé »
    folder = course.step("feedback") / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    page = environment().get_template("report/competences.html.j2").render(
        **common(datetime.now()), name=student, assignment=bloc_label(assignment),
        points=format_points(points), maximum=format_points(maximum), submitted=_when(submitted),
        late=_late(late_hours), ungraded=ungraded, data=variant_sentence(learner_variant(course, assignment, student)),
        pages=sorted(p.stem for p in folder.glob("*.html") if p.name != SUMMARY_NAME),
        group=group_sentences(course, [assignment]).get((student, assignment), "") if groups else "",
        grouped=group is not None,
        rows=[{**r, "points_text": f"{format_points(r['points'])} / {format_points(r['points_max'])}",
               "css": CSS[r["statut"]], **group_columns(r)} for r in rows])
    path = folder / SUMMARY_NAME
    path.write_text(page, encoding="utf-8")
    return path


#: nbgrader's files of a submission that came through the exchange (`nbgrader submit`, then `collect`):
#: `nbgrader release_feedback` reads both beside the feedback pages.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def copy_exchange_files(course: Course, student: str, assignment: str) -> None:
    """Put the submission's nbgrader files beside its feedback pages, as nbgrader's own autograde and
    generate_feedback leave them (mda grade brings only the graded notebooks back to autograded/)."""
    source = course.step("submitted") / student / assignment
    target = course.step("feedback") / student / assignment
    for name in EXCHANGE_FILES:
        path = source / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 4096:
            shutil.copyfile(path, target / name)


@dataclass(frozen=True)
class FeedbackTask:
    course_root: str
    assignment: str
    student: str


@dataclass(frozen=True)
class FeedbackResult:
    task: FeedbackTask
    problem: str = ""  # French, for the trainer
    detail: str = ""   # technical (exception, nbgrader's log line): autograded/journal_retours.csv


def feedback_task(task: FeedbackTask) -> FeedbackResult:
    """Worker side: nbgrader's pages, then the competency summary; problems come back as text."""
    from mda_checks.nbgrader_api import course_api

    course = Course(Path(task.course_root))
    try:
        api = course_api(course.root)
        # a submission whose notebooks all failed has nothing for nbgrader: only its summary is written
        if list((course.step("autograded") / task.student / task.assignment).glob("*.ipynb")):
            result = run_generate_feedback(api, task.assignment, task.student)
            if not result.get("success"):
                detail = failure_reason(result)
                return FeedbackResult(task, f"nbgrader n'a pas pu écrire ses pages : {failure_words(detail)}", detail)
        write_competency_summary(course, api.coursedir.db_url, task.assignment, task.student)
        copy_exchange_files(course, task.student, task.assignment)
        return FeedbackResult(task)
    except Exception as exc:  # noqa: BLE001 - one learner's feedback must never stop the others
        return FeedbackResult(task, f"erreur pendant l'écriture du retour : {exception_words(type(exc).__name__)}",
                              f"{type(exc).__name__}: {exc}")


def feedback_tasks(course: Course, assignments: list[str]) -> list[FeedbackTask]:
    """Every graded submission of these assignments (a folder under autograded/)."""
    graded = course.step("autograded")
    if not graded.is_dir():  # nothing graded yet
        return []
    return [FeedbackTask(str(course.root), assignment, folder.name)
            for assignment in assignments
            for folder in sorted(graded.iterdir()) if (folder / assignment).is_dir()]


def leaked_hidden_tests(feedback_file: Path) -> list[str]:
    """Markers of hidden tests found in a feedback page (must be empty)."""
    text = feedback_file.read_text(encoding="utf-8")
    return [marker for marker in HIDDEN_MARKERS if marker in text]


def write_feedback_journal(course: Course, failures: list[FeedbackResult]) -> Path:
    """autograded/journal_retours.csv: one row per feedback not written, its French reason and technical detail."""
    import csv

    path = course.step("autograded") / "journal_retours.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["apprenant", "devoir", "raison", "detail_technique"])
        writer.writerows([f.task.student, f.task.assignment, f.problem, f.detail] for f in failures)
    return path


def _feedback_failure(task: FeedbackTask, reason: str, detail: str = "") -> FeedbackResult:
    return FeedbackResult(task, reason, detail)


def generate_cohort_feedback(course: Course, assignments: list[str] | None = None, workers: int | None = None,
                             on_result=None, propagate: bool = True) -> tuple[int, list[FeedbackResult]]:
    """Feedback of every graded submission, in parallel; returns (pages written, failures).

    `propagate`: write the groups' grades for their members first (``mda_checks.groups``)."""
    from mda_checks.grade.runs.pool import default_workers, process_pool, run_tasks

    from mda_checks.groups.propagate import propagate_groups
    from mda_checks.nbgrader_api import course_api

    workers = workers or default_workers()
    # group assignments: the groups' grades (manual ones entered since `mda grade` too) reach every member first
    if propagate:
        propagate_groups(course, course_api(course.root).coursedir.db_url, assignments)
    tasks = feedback_tasks(course, assignments or course.assignments())
    done, failures = 0, []
    for result in run_tasks(tasks, process_pool(workers), 2 * workers, work=feedback_task, failure=_feedback_failure):
        if result.problem:
            failures.append(result)
        else:
            done += 1
        if on_result:
            on_result(result)
    return done, failures
