"""Example submissions of one assignment (solved, blank, classic slips), for tests and authors.

The solved and slipped examples are handed in by learners given a personal copy (``mda
release``: their own variant of the case), the blank one by a learner of the common copy
(release/), as in a real promotion where a late joiner gets the common copy. The simulated
cohort of `make demo` is in ``mda_checks.demo.cohort``.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from mda_checks.assign.personal_release import PersonalCopy, write_personal_copy
from mda_checks.course import Course
from mda_checks.demo.submissions import blank_submission, slipped_submission, solved_submission, write_submission
from mda_checks.scoring.reference import load_reference
from mda_checks.variants.registry import record_variants
from mda_checks.variants.secret import course_secret

#: demo learners and how their notebooks are made
SOLVED, BLANK, SLIPS = "exemple-solutions", "exemple-vierge", "exemple-erreurs"
#: the demo learners given a personal copy (their own data); the others keep the common copy
PERSONAL = (SOLVED, SLIPS)


def slips_of(course: Course, assignment: str) -> list:
    """The classic mistakes the reference declares for an assignment, for the notebooks this course has."""
    present = {path.stem for path in course.source_notebooks(assignment)}
    return [slip for slip in load_reference(course.root, f"{assignment}.slips").SLIPS if slip.notebook in present]


def _write_copy(root: str, assignment: str, student: str, folder: str) -> PersonalCopy:
    return write_personal_copy(Course(Path(root)), assignment, student, Path(folder))


def publish_demo_copies(course: Course, pairs: list[tuple[str, str]], folder: Path,
                        workers: int | None = None) -> dict[tuple[str, str], Path]:
    """Publish the personal copies of simulated learners, as ``mda release BLOC --dossier`` does,
    into `folder`/<learner>/<assignment>/: each (assignment, learner) of `pairs` gets their own variant,
    recorded in the course's registry so that grading uses it. One pool of processes writes the
    copies of every assignment (a pool per assignment would pay its start-up again and again).
    Returns (assignment, learner) -> their copy's folder."""
    if not pairs:
        return {}
    course_secret(course, create=True)  # once, before the pool
    workers = max(1, min(workers or os.cpu_count() or 1, len(pairs)))
    targets = [str(Path(folder) / student / assignment) for assignment, student in pairs]
    if workers == 1:
        copies = [write_personal_copy(course, a, s, Path(t)) for (a, s), t in zip(pairs, targets)]
    else:
        with ProcessPoolExecutor(workers) as pool:
            copies = list(pool.map(_write_copy, [str(course.root)] * len(pairs), [a for a, _ in pairs],
                                   [s for _, s in pairs], targets))
    record_variants(course, [copy.record for copy in copies])
    return {(copy.record.devoir, copy.record.apprenant): copy.folder for copy in copies}


def write_demo_submissions(course: Course, assignment: str, personal: Iterable[str] = PERSONAL) -> list[str]:
    """The three example learners' submissions; those in `personal` work on their own personal copy."""
    with tempfile.TemporaryDirectory(prefix="mda-copies-") as scratch:
        published = publish_demo_copies(course, [(assignment, s) for s in (SOLVED, BLANK, SLIPS) if s in set(personal)],
                                        Path(scratch))
        copies = {student: folder for (_, student), folder in published.items()}
        write_submission(course, SOLVED, assignment, solved_submission(course, assignment, copies.get(SOLVED)),
                         own_copy=copies.get(SOLVED))
        write_submission(course, BLANK, assignment, blank_submission(course, assignment, copies.get(BLANK)),
                         own_copy=copies.get(BLANK))
        write_submission(course, SLIPS, assignment,
                         slipped_submission(course, assignment, slips_of(course, assignment), copies.get(SLIPS)),
                         own_copy=copies.get(SLIPS))
    return [SOLVED, BLANK, SLIPS]
