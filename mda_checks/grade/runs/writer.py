"""The only writer of the course's gradebook and ``autograded/`` during a cohort run.

Workers return grades as data; this class, in the parent process and one thread,
puts them in nbgrader's gradebook exactly as nbgrader's Autograde left them in the
worker's private copy (same rows, same values), replaces the learner's graded folder,
and records the submission's fingerprint. One writer: SQLite never sees two at once.

Manual fields (manual score, extra credit, manual comment) are merged at write time:
the worker started from a snapshot, so a value that differs in the live gradebook was
entered by a trainer during the run, and is kept.
"""
from __future__ import annotations

import os
import shutil
from pathlib import PurePosixPath

from nbgrader.api import Gradebook

from mda_checks.course import Course
from mda_checks.grade.autograde import FAILED
from mda_checks.grade.runs.state import GradingState
from mda_checks.grade.runs.task import TaskResult


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"chemin de fichier refusé : {name}")
    return path


class GradebookWriter:
    """Merge grading results into the course, one at a time."""

    def __init__(self, course: Course, db_url: str, state: GradingState):
        self.course = course
        self.db_url = db_url
        self.state = state

    def write(self, result: TaskResult) -> None:
        """Grades, then files, then the fingerprint (so an interrupted run re-grades).

        A submission with a notebook that could not be graded keeps no fingerprint: the next
        run grades it again."""
        if not result.ok:
            return
        self.write_grades(result)
        self.write_files(result)
        task = result.task
        complete = not any(o.status == FAILED for o in result.outcomes)
        self.state.record(task.student, task.assignment, task.fingerprint if complete else "", result.outcomes)
        self.state.save()

    def write_grades(self, result: TaskResult) -> None:
        task = result.task
        grades = {(g.notebook, g.grade_id): g for g in result.grades}
        comments = {(c.notebook, c.grade_id): c for c in result.comments}
        with Gradebook(self.db_url) as gb:
            gb.update_or_create_student(task.student)
            submission = gb.update_or_create_submission(task.assignment, task.student)
            if result.timestamp is not None:
                submission.timestamp = result.timestamp
            for notebook in submission.notebooks:
                if notebook.name in result.late_penalties:
                    notebook.late_submission_penalty = result.late_penalties[notebook.name]
                for grade in notebook.grades:
                    found = grades.get((notebook.name, grade.name))
                    if found:
                        grade.auto_score = found.auto_score
                        if (grade.manual_score, grade.extra_credit) == (found.manual_score, found.extra_credit):
                            grade.needs_manual_grade = found.needs_manual_grade
                        # else: a trainer graded this cell while the run went on (the worker started
                        # from a snapshot): the trainer's grade, newer, stands as it is
                for comment in notebook.comments:
                    found_comment = comments.get((notebook.name, comment.name))
                    if found_comment:
                        comment.auto_comment = found_comment.auto_comment
            gb.db.commit()

    def write_files(self, result: TaskResult) -> None:
        """Replace autograded/<student>/<assignment>/ by the worker's files, all at once."""
        task = result.task
        target = self.course.step("autograded") / task.student / task.assignment
        staging = target.parent / f".{task.assignment}.en-cours"
        if staging.exists():
            shutil.rmtree(staging)
        for name, content in result.files.items():
            path = staging / _safe_relative(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        staging.mkdir(parents=True, exist_ok=True)
        previous = target.parent / f".{task.assignment}.ancien"
        if target.exists():
            if previous.exists():
                shutil.rmtree(previous)
            os.replace(target, previous)
        os.replace(staging, target)
        if previous.exists():
            shutil.rmtree(previous)


def graded_folder_exists(course: Course, student: str, assignment: str) -> bool:
    return (course.step("autograded") / student / assignment).is_dir()

