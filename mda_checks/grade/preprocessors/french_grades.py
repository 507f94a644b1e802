"""SaveAutoGrades, with nbgrader's automatic comment in French.

nbgrader writes « No response. » as the comment of every written answer a learner left
blank; formgrader and the feedback pages show it as is. This step writes the same
comment in French, so no English from the grading pipeline reaches a learner or a trainer.
"""
from __future__ import annotations

from nbgrader.preprocessors import SaveAutoGrades
from traitlets import Unicode

#: nbgrader's own text (nbgrader/preprocessors/saveautogrades.py), replaced where it is written
NBGRADER_NO_RESPONSE = "No response."


class SaveAutoGradesFr(SaveAutoGrades):
    """nbgrader's SaveAutoGrades; a blank written answer's comment reads « Pas de réponse. »."""

    no_response = Unicode("Pas de réponse.", help="Comment of a written answer left blank").tag(config=True)

    def _add_comment(self, cell, resources) -> None:
        super()._add_comment(cell, resources)
        comment = self.gradebook.find_comment(cell.metadata["nbgrader"]["grade_id"], self.notebook_id,
                                              self.assignment_id, self.student_id)
        if comment.auto_comment == NBGRADER_NO_RESPONSE:
            comment.auto_comment = self.no_response
            self.gradebook.db.commit()
