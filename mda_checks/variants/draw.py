"""Release time: draw a learner's variant (``mda release``), fit for the barème.

The draw checks each candidate case with the reference (``assign.case_check.acceptor``); grading
never draws, it regenerates the published draw (``learner_case``).
"""
from __future__ import annotations

import pandas as pd

from mda_checks.assign.case_check import acceptor
from mda_checks.casedata import draw_case
from mda_checks.course import Course, bloc_number
from mda_checks.variants.secret import course_secret
from mda_checks.variants.seeds import variant_name, variant_seed


def draw_variant(course: Course, assignment: str, student: str,
                 identity: str | None = None) -> tuple[str, int, dict[str, pd.DataFrame]]:
    """A learner's variant, drawn as at release: (name, draw, frames). Creates the secret on first use.

    `identity`: whose seed to draw from (a group's « groupe:G1 » in a group assignment); the learner's id by default."""
    secret = course_secret(course, create=True)
    identity = identity or student
    seed = variant_seed(secret, identity, assignment)
    attempt, frames = draw_case(bloc_number(assignment), seed, accept=acceptor(course, assignment))
    return variant_name(secret, identity, assignment), attempt, frames
