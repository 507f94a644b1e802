"""nbgrader's fetch, for a course that publishes one copy per learner (`mda release`).

The common copy stays in the exchange's outbound/ folder, so JupyterLab's Assignments panel
lists the assignment as usual; fetching it gives the learner their own copy, from
``personnel/<assignment>/<learner id>/`` beside outbound/. An assignment published per learner
is never handed out in its common form: a learner without a copy of their own is told so.
Where learners have their own accounts, ``personnel/<assignment>/`` cannot be listed and each copy
is its learner's alone (mda_checks/assign/personal_release.py): a learner reaches their own by name,
and one whose copy is not (yet) theirs is told what to ask for, in French.
"""
from __future__ import annotations

import os

from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment
from nbgrader.utils import get_username

#: beside outbound/ in the course's exchange: personnel/<assignment>/<learner id>/
PERSONAL = "personnel"


class FetchOwnCopy(ExchangeFetchAssignment):
    """fetch_assignment that takes the learner's own copy when the assignment has per-learner copies."""

    def init_src(self):
        super().init_src()
        personal = os.path.join(self.course_path, PERSONAL, self.coursedir.assignment_id)
        if not os.path.isdir(personal):
            return  # published in its common form only
        learner = get_username()
        own = os.path.join(personal, learner)
        if not os.path.isdir(own):
            self.fail(f"Aucune copie personnelle du devoir « {self.coursedir.assignment_id} » n'a été publiée pour "
                      f"l'identifiant « {learner} » : demandez à votre formateur de la publier "
                      f"(mda release {self.coursedir.assignment_id}).")
        if not os.access(own, os.R_OK | os.X_OK):
            self.fail(f"Votre copie personnelle du devoir « {self.coursedir.assignment_id} » est publiée mais fermée à "
                      f"votre compte « {learner} » (publiée avant la création de votre compte, ou sans les droits "
                      f"de root) : demandez à votre formateur de la republier en root (sudo .venv/bin/mda release "
                      f"{self.coursedir.assignment_id}).")
        self.src_path = own
