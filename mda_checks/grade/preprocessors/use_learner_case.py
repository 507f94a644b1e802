"""UseLearnerCase: before the kernel runs, a learner with a variant gets their own case data."""
from __future__ import annotations

import shutil
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from mda_checks.course import Course
from mda_checks.variants.learner_case import learner_case


class UseLearnerCase(NbGraderPreprocessor):
    """autograde, before the kernel runs: the notebook's data/ becomes the learner's own case.

    nbgrader has just copied source/<bloc>/data over the submission; for a learner with a
    variant, those files are replaced by the variant's (regenerated, verified)."""

    course_root = Unicode("", help="The course folder (default: the one around the working folder)").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        course = Course(Path(self.course_root)) if self.course_root else Course.find()
        case = learner_case(course, info["assignment"], info["student"])
        if case.is_variant:
            data = Path(resources["metadata"]["path"]) / "data"
            if data.is_symlink() or (data.exists() and not data.is_dir()):
                data.unlink()
            data.mkdir(exist_ok=True)
            for path in case.folder.glob("*.csv"):
                target = data / path.name
                if target.is_symlink() or target.exists():
                    target.unlink()
                shutil.copyfile(path, target)
        return nb, resources
