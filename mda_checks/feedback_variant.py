"""The learner's feedback says which data their copy was graded on.

A learner given a personal copy (``mda release``) worked on their own variant of the case; their
feedback pages say so near the top (« Vos données : variante V-3F9A2C (propres à votre copie) »),
so that they compare their answers with the numbers of *their* statements, not a classmate's.
A learner graded on the common case reads nothing special.

The variant comes from the course's registry (``.mda/variantes.csv``), never from the notebook
the learner handed in (its metadata is the learner's to edit). Only its public name is read: the
feedback neither regenerates nor shows the data.
"""
from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from mda_checks.course import Course
from mda_checks.variants.registry import find_record

#: the key of ``resources`` the feedback template reads (``resources.mda.variante``)
RESOURCES_KEY = "mda"


def learner_variant(course: Course, assignment: str, student: str) -> str:
    """The name of the variant published to `student` for `assignment`; '' for the common case."""
    record = find_record(course, assignment, student)
    return record.variante if record else ""


def variant_sentence(variant: str) -> str:
    """What the learner reads about their data ('' for the common case: nothing special to say)."""
    from mda_checks.company.register import company_name

    if company_name(variant):
        return f"Vos données : celles de votre entreprise d'accueil, {company_name(variant)} (propres à votre copie)"
    return f"Vos données : variante {variant} (propres à votre copie)" if variant else ""


class ShowLearnerVariant(NbGraderPreprocessor):
    """generate_feedback: put the learner's variant in ``resources`` for the French feedback template.

    nbgrader runs the feedback from the course folder: the course is found there unless
    ``course_root`` says otherwise."""

    course_root = Unicode("", help="The course folder (default: the one around the working folder)").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        course = Course(Path(self.course_root)) if self.course_root else Course.find()
        variant = learner_variant(course, info["assignment"], info["student"])
        resources[RESOURCES_KEY] = {"variante": variant, "phrase": variant_sentence(variant)}
        return nb, resources
