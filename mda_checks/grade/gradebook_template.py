"""A grading worker's private gradebook, built through nbgrader's API from the live one, whatever its URL.

    templates = GradebookTemplates.build(db_url, ["bloc1"], scratch / "gabarit.db")  # once per run
    data = templates.for_learner("a.martin", "bloc1")   # bytes of a small SQLite gradebook

The live gradebook may be SQLite (nbgrader's default) or a server such as PostgreSQL
(``CourseDirectory.db_url``). It is only read, through ``nbgrader.api.Gradebook``, and
what a worker's Autograde needs is written into a new SQLite gradebook through the same API:

- once per run, the assignments being graded: due date, course, notebooks (kernelspec),
  grade, solution, task and source cells (points, cell types, locked, source, checksums);
- then, per task, that structure plus the learner (names, e-mail) and, when they already
  have one, their submission as the live gradebook has it now (time stamp, extension,
  flags, late penalties, every grade and comment with its manual fields). Autograde reads
  those: a cell with a manual score is marked for review (``SaveAutoGrades``), a late
  copy's penalty depends on the extension, so the worker grades exactly as nbgrader
  would grade in the live gradebook.

A task then carries its gradebook as bytes (``GradingTask.template``): plain data, the
same for a local process and for a worker on another machine, holding one learner only.
``template_differences`` compares two gradebooks' assignments cell by cell (tests, checks).
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Base, Gradebook, MissingEntry
from sqlalchemy import create_engine, text

from mda_checks.nbgrader_api import schema_head


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_empty_gradebook(path: Path) -> None:
    """An empty SQLite gradebook at `path`, as ``Gradebook`` creates one: nbgrader's tables
    (``nbgrader.api.Base``) and the ``alembic_version`` stamp."""
    engine = create_engine(sqlite_url(path))
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:revision)"),
                               {"revision": schema_head()})
    finally:
        engine.dispose()


@contextmanager
def open_template(path: Path) -> Iterator[Gradebook]:
    """nbgrader's Gradebook on the SQLite file `path` (created empty when missing), without
    waiting for the disk at every commit: a template is scratch data, rebuilt at each run."""
    if not path.exists():
        create_empty_gradebook(path)
    with Gradebook(sqlite_url(path)) as template:
        template.db.execute(text("PRAGMA synchronous = OFF"))
        yield template


def copy_assignment(live: Gradebook, template: Gradebook, name: str) -> None:
    """The assignment `name`, its notebooks and all their cells, from `live` into `template`."""
    assignment = live.find_assignment(name)
    template.check_course(course_id=assignment.course_id)
    template.update_or_create_assignment(name, duedate=assignment.duedate, course_id=assignment.course_id)
    for notebook in assignment.notebooks:
        template.update_or_create_notebook(notebook.name, name, kernelspec=notebook.kernelspec)
        for cell in notebook.grade_cells:
            template.update_or_create_grade_cell(cell.name, notebook.name, name,
                                                 max_score=cell.max_score, cell_type=cell.cell_type)
        for cell in notebook.solution_cells:
            template.update_or_create_solution_cell(cell.name, notebook.name, name)
        for cell in notebook.task_cells:
            template.update_or_create_task_cell(cell.name, notebook.name, name,
                                                max_score=cell.max_score, cell_type=cell.cell_type)
        for cell in notebook.source_cells:
            template.update_or_create_source_cell(cell.name, notebook.name, name, cell_type=cell.cell_type,
                                                  locked=cell.locked, source=cell.source, checksum=cell.checksum)


def copy_student(live: Gradebook, template: Gradebook, student_id: str) -> None:
    """The learner's row (names, e-mail, LMS id); a learner unknown to `live` is created bare,
    as Autograde itself would create them."""
    try:
        student = live.find_student(student_id)
    except MissingEntry:
        template.update_or_create_student(student_id)
        return
    template.update_or_create_student(student_id, first_name=student.first_name, last_name=student.last_name,
                                      email=student.email, lms_user_id=student.lms_user_id)


def copy_submission(live: Gradebook, template: Gradebook, assignment: str, student_id: str) -> None:
    """The learner's submission of `assignment` as `live` has it (nothing when there is none)."""
    try:
        submission = live.find_submission(assignment, student_id)
    except MissingEntry:
        return
    copy = template.update_or_create_submission(assignment, student_id, timestamp=submission.timestamp,
                                                 extension=submission.extension)
    notebooks = {notebook.name: notebook for notebook in copy.notebooks}
    for notebook in submission.notebooks:
        target = notebooks.get(notebook.name)
        if target is None:
            continue
        target.flagged = notebook.flagged
        target.late_submission_penalty = notebook.late_submission_penalty
        grades = {grade.name: grade for grade in target.grades}
        for grade in notebook.grades:
            if grade.name in grades:
                row = grades[grade.name]
                row.auto_score, row.manual_score = grade.auto_score, grade.manual_score
                row.extra_credit, row.needs_manual_grade = grade.extra_credit, grade.needs_manual_grade
        comments = {comment.name: comment for comment in target.comments}
        for comment in notebook.comments:
            if comment.name in comments:
                comments[comment.name].auto_comment = comment.auto_comment
                comments[comment.name].manual_comment = comment.manual_comment
    template.db.commit()


def gradebook_template(db_url: str, assignments: Iterable[str], students: Iterable[str], target: Path) -> bytes:
    """A new SQLite gradebook at `target` (which must not exist) with the assignments and learners
    being graded, read from the gradebook at `db_url` (any URL nbgrader accepts); its bytes."""
    if target.exists():
        raise FileExistsError(target)
    assignments, students = list(assignments), list(students)
    with Gradebook(db_url) as live, open_template(target) as template:
        for assignment in assignments:
            copy_assignment(live, template, assignment)
        for student in students:
            copy_student(live, template, student)
            for assignment in assignments:
                copy_submission(live, template, assignment, student)
    return target.read_bytes()


@dataclass(frozen=True)
class GradebookTemplates:
    """The run's template: the assignments' structure, built once; a learner's gradebook on demand."""

    db_url: str
    structure: Path   # SQLite gradebook with the assignments being graded, no learner

    @classmethod
    def build(cls, db_url: str, assignments: Iterable[str], target: Path) -> GradebookTemplates:
        gradebook_template(db_url, assignments, [], target)
        return cls(db_url, target)

    def for_learner(self, student: str, assignment: str) -> bytes:
        """The structure plus this learner and their current submission: a task's gradebook."""
        with tempfile.TemporaryDirectory(prefix="gabarit-", dir=self.structure.parent) as folder:
            path = Path(folder) / "gradebook.db"
            path.write_bytes(self.structure.read_bytes())
            with Gradebook(self.db_url) as live, open_template(path) as template:
                copy_student(live, template, student)
                copy_submission(live, template, assignment, student)
            return path.read_bytes()


# ---------------------------------------------------------------- comparison (tests, checks)

def assignment_cells(db_url: str, assignments: Iterable[str] | None = None) -> dict[tuple, tuple]:
    """Every assignment's due date, notebooks and cells as plain values, keyed by names."""
    rows: dict[tuple, tuple] = {}
    with Gradebook(db_url) as gb:
        chosen = list(assignments) if assignments is not None else [a.name for a in gb.assignments]
        for name in chosen:
            try:
                assignment = gb.find_assignment(name)
            except MissingEntry:  # reported as missing by the comparison
                continue
            rows[(name,)] = (assignment.duedate, assignment.course_id)
            for notebook in assignment.notebooks:
                rows[(name, notebook.name)] = (notebook.kernelspec,)
                for cell in notebook.grade_cells:
                    rows[(name, notebook.name, "grade", cell.name)] = (cell.max_score, cell.cell_type)
                for cell in notebook.solution_cells:
                    rows[(name, notebook.name, "solution", cell.name)] = ()
                for cell in notebook.task_cells:
                    rows[(name, notebook.name, "task", cell.name)] = (cell.max_score, cell.cell_type)
                for cell in notebook.source_cells:
                    rows[(name, notebook.name, "source", cell.name)] = (cell.cell_type, cell.locked, cell.checksum,
                                                                      cell.source)
    return rows


def template_differences(expected_url: str, actual_url: str, assignments: Iterable[str] | None = None) -> list[str]:
    """What differs between two gradebooks' assignments (missing, extra or changed rows), in French."""
    chosen = list(assignments) if assignments is not None else None
    expected, actual = assignment_cells(expected_url, chosen), assignment_cells(actual_url, chosen)
    differences = []
    for key in sorted(set(expected) | set(actual), key=str):
        where = " / ".join(key)
        if key not in actual:
            differences.append(f"manquant : {where}")
        elif key not in expected:
            differences.append(f"en trop : {where}")
        elif expected[key] != actual[key]:
            differences.append(f"différent : {where} ({expected[key]!r} ≠ {actual[key]!r})")
    return differences
