"""RenderLearnerStatements: a graded notebook's statements quote the numbers of the learner's own case."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from mda_checks.assign.statements import folder_parameters, master_templates, render_copy
from mda_checks.course import Course
from mda_checks.variants.learner_case import learner_case


class RenderLearnerStatements(NbGraderPreprocessor):
    """autograde: the graded notebook (and so the feedback) quotes the numbers of the case the learner
    was graded on, from the master's templates (nbgrader restored the common text)."""

    course_root = Unicode("", help="The course folder (default: the one around the working folder)").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        course = Course(Path(self.course_root)) if self.course_root else Course.find()
        master_path = course.source / info["assignment"] / f"{info['notebook']}.ipynb"
        if not master_path.is_file():
            return nb, resources
        master = nbformat.read(master_path, as_version=4)
        if master_templates(master):
            case = learner_case(course, info["assignment"], info["student"])
            render_copy(nb, master, folder_parameters(info["assignment"], case.folder))
        return nb, resources
