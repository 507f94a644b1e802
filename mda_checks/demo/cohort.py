"""A simulated cohort for `make demo`: seeded learners with realistic profiles, and simulated manual grades.

Each simulated learner is given a personal copy of each assignment, as ``mda release`` gives
real ones (their own variant of the case, statements quoting its numbers; variants recorded in
the course's registry, so that grading uses them): the copies are written to a scratch folder,
and every submission is built from the learner's own copy (their data/ and statements) and from
the course itself (solved, blank, classic slips of ``mda_reference/<bloc>/slips.py``); nothing
is written by hand. Profiles:

- ``fort``: everything solved; ``moyen``: some answers left blank, some slips;
- ``erreurs``: all the classic slips of the bloc; ``partiel``: the second half left blank;
- ``vierge``: the copy as received; ``casse``: one notebook damaged (unreadable file,
  or an answer that crashes); any profile may be handed in late (after the due date).

Bloc 1 gets the whole cohort; the other blocs a smaller one by default (grading time is
dominated by kernel start-ups: see docs/mesures/correction-promotion.md).

Bloc 4 is a group assignment, as the referential asks (``demo_groups``: groups of three, the last
one smaller, written to groupes.csv): each member's copy carries the group's case; one member of
each group hands the dossier in, and in the first group a second member hands it in too (the
latest is graded, the other recorded as superseded). Simulated manual grades go on the group's
copy, and the jury's oral grids on each member's own.
"""
from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from nbgrader.api import Gradebook

from mda_checks.demo.run import publish_demo_copies, slips_of
from mda_checks.course import Course
from mda_checks.demo.submissions import (
    apply_slip, blank_submission, release_notebooks, solved_submission, write_submission,
)
from mda_checks.grade.manual import apply_manual_grade
from mda_checks.nbgrader_api import course_directory
from mda_checks.notebook import cells

SEED = 2026
DUE = datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc)
SIMULATED = "[Simulation]"
NAMES = ["martin", "bernard", "thomas", "petit", "robert", "richard", "durand", "dubois", "moreau", "laurent",
         "simon", "michel", "lefebvre", "leroy", "roux", "david", "bertrand", "morel", "fournier", "girard",
         "bonnet", "dupont", "lambert", "fontaine", "rousseau", "vincent", "muller", "lefevre", "faure", "andre"]
#: profile of each learner, in order (cycled beyond)
PROFILES = ["fort", "moyen", "erreurs", "moyen", "fort", "partiel", "moyen", "casse", "fort", "moyen", "erreurs",
            "vierge", "moyen", "fort", "partiel", "moyen", "erreurs", "fort", "moyen", "casse", "moyen", "fort",
            "erreurs", "moyen"]
#: share of a manual cell's points a trainer would give, per profile (low, high)
MANUAL_SHARE = {"fort": (0.75, 1.0), "moyen": (0.45, 0.8), "erreurs": (0.35, 0.7), "partiel": (0.2, 0.5),
                "casse": (0.3, 0.6), "vierge": (0.0, 0.0)}
COMMENTS = {"fort": "analyse complète et bien argumentée.", "moyen": "des éléments justes, à approfondir.",
            "erreurs": "raisonnement à revoir sur plusieurs points.", "partiel": "réponse incomplète.",
            "casse": "réponse partielle.", "vierge": "pas de réponse."}


@dataclass(frozen=True)
class Learner:
    name: str
    profile: str
    late_hours: float  # 0: on time


def cohort(size: int = 24, seed: int = SEED) -> list[Learner]:
    """The simulated learners: names, profiles and lateness, always the same for a seed."""
    rng = random.Random(seed)
    learners = []
    for index in range(size):
        name = f"{chr(ord('a') + index % 26)}.{NAMES[index % len(NAMES)]}"
        late = rng.choice([5.0, 26.0, 50.0]) if index % 8 == 5 else 0.0
        learners.append(Learner(name, PROFILES[index % len(PROFILES)], late))
    return learners


def _answer_cells(notebooks):
    return [(name, cell) for name, nb in notebooks.items() for cell in nb.cells
            if cells.is_solution(cell) and cell.cell_type == "code"]


def _blank_out(notebooks, release, share: float, rng: random.Random, from_end: bool = False):
    """Put back the learners' stub in a share of the answer cells."""
    stubs = {(name, cells.grade_id(c)): c.source for name, nb in release.items() for c in nb.cells}
    answers = _answer_cells(notebooks)
    count = round(share * len(answers))
    chosen = answers[len(answers) - count:] if from_end else rng.sample(answers, count)
    for name, cell in chosen:
        cell.source = stubs.get((name, cells.grade_id(cell)), cell.source)


def learner_notebooks(course: Course, assignment: str, learner: Learner, slips: list, rng: random.Random,
                      own_copy: Path | None = None, damaged: list | None = None):
    """The notebooks a learner of this profile hands in, from their personal copy (`own_copy`) or release/;
    a « casse » learner's damage is appended to `damaged` (notebook, what)."""
    if learner.profile == "vierge":
        return blank_submission(course, assignment, own_copy)
    notebooks = solved_submission(course, assignment, own_copy)
    release = release_notebooks(course, assignment, own_copy)
    if learner.profile == "moyen":
        for slip in rng.sample(slips, k=min(len(slips), rng.randint(0, 2))):
            apply_slip(notebooks[slip.notebook], slip)
        _blank_out(notebooks, release, rng.uniform(0.1, 0.3), rng)
    elif learner.profile == "erreurs":
        for slip in slips:
            apply_slip(notebooks[slip.notebook], slip)
    elif learner.profile == "partiel":
        _blank_out(notebooks, release, 0.5, rng, from_end=True)
    elif learner.profile == "casse":
        name, cell = rng.choice(_answer_cells(notebooks))
        stops = rng.random() < 0.5
        cell.source = "import os\nos._exit(1)  # le noyau s'arrête" if stops else cell.source + "\nraise ValueError('calcul inachevé')"
        if damaged is not None:
            damaged.append((name, "une cellule de réponse arrête le noyau (os._exit) : carnet non corrigé" if stops else
                            "une cellule de réponse lève une erreur : ses vérifications valent 0"))
    return notebooks


def due_dates(course: Course, assignments: list[str]) -> dict[str, datetime]:
    """Each assignment's due date: the course calendar's (calendrier.csv) when it has one, else DUE."""
    from mda_checks.due_dates import read_calendar

    try:
        calendar = read_calendar(course)
    except FileNotFoundError:
        calendar = {}
    found = {name: calendar[name].utc for name in assignments if name in calendar and calendar[name].utc}
    return {name: found[name].replace(tzinfo=timezone.utc)  # type: ignore[union-attr]  # found keeps the dated ones
            if name in found else DUE for name in assignments}


#: the group assignment of the demo, and the size of its groups
GROUP_ASSIGNMENT, GROUP_SIZE = "bloc4", 3


def demo_groups(course: Course, learners: list[Learner], assignment: str = GROUP_ASSIGNMENT) -> dict[str, tuple[str, ...]]:
    """Put the learners in groups of GROUP_SIZE (« G1 », « G2 » …) for `assignment`, in groupes.csv."""
    from mda_checks.groups.roster import Groups, write_groups

    names = [learner.name for learner in learners]
    members = {f"G{index // GROUP_SIZE + 1}": tuple(names[index:index + GROUP_SIZE])
               for index in range(0, len(names), GROUP_SIZE)}
    write_groups(course, Groups(assignment, members))
    return members


def _hands_in(groups, student: str) -> bool:
    """In a group assignment: the first member of each group hands the dossier in, and the second member
    of the first group too (a group that submitted twice)."""
    if not groups:
        return True
    group = groups.group_of(student)
    if group is None:
        return False
    members = groups.members[group]
    return student == members[0] or (group == next(iter(groups.members)) and len(members) > 1 and student == members[1])


def write_cohort(course: Course, learners: list[Learner], assignments: list[str], seed: int = SEED,
                 personal: bool = True, workers: int | None = None) -> int:
    """Write every learner's submissions under submitted/ and set the due dates; return the count.

    With `personal`, each learner's personal copy is published first (``workers`` processes) and
    their submission built from it; otherwise every learner works on the common copy of release/."""
    from mda_checks.groups.roster import read_groups

    written, simulated = 0, []
    due = due_dates(course, assignments)
    with Gradebook(course_directory(course.root).db_url) as gb:  # the course's gradebook, SQLite or server
        for assignment in assignments:
            gb.update_or_create_assignment(assignment, duedate=due[assignment])
    with tempfile.TemporaryDirectory(prefix="mda-copies-") as scratch:
        pairs = [(assignment, learner.name) for assignment in assignments for learner in learners]
        copies = publish_demo_copies(course, pairs, Path(scratch), workers) if personal else {}
        for assignment in assignments:
            try:
                slips = slips_of(course, assignment)
            except ModuleNotFoundError:  # a bloc without classic slips yet: its « erreurs » learners hand in solutions
                slips = []
            groups = read_groups(course, assignment)
            for learner in learners:
                if not _hands_in(groups, learner.name):
                    continue  # a member of a group: the group's copy is handed in by another member
                rng = random.Random(f"{seed}-{assignment}-{learner.name}")
                own_copy = copies.get((assignment, learner.name))
                damaged: list[tuple[str, str]]
                damaged = []
                notebooks = learner_notebooks(course, assignment, learner, slips, rng, own_copy, damaged)
                deadline = due[assignment]
                when = (deadline + timedelta(hours=learner.late_hours) if learner.late_hours
                        else deadline - timedelta(hours=rng.uniform(2, 72)))
                folder = write_submission(course, learner.name, assignment, notebooks, when, own_copy=own_copy)
                if learner.profile == "casse" and rng.random() < 0.5:
                    first = sorted(folder.glob("*.ipynb"))[-1]
                    first.write_text(first.read_text(encoding="utf-8")[:-200], encoding="utf-8")  # cut off: unreadable
                    damaged.append((first.stem, "fichier coupé (JSON invalide) : carnet illisible, non corrigé"))
                simulated += [{"apprenant": learner.name, "devoir": assignment, "carnet": notebook, "quoi": what}
                              for notebook, what in damaged]
                written += 1
    from mda_checks.demo.copy import record_damages

    record_damages(course, simulated)
    return written


def simulate_manual_grades(db_url: str, learners: list[Learner], seed: int = SEED, pending: int = 3,
                           course: Course | None = None) -> int:
    """Give every ungraded manual cell a plausible score and a comment starting « [Simulation] ».

    The jury's oral tasks of the last ``pending`` learners are left ungraded (the jury has
    not sat yet): the grid shows them « en attente ». Same rule as formgrader's. In a group
    assignment of `course`, a group cell is graded on the group's copy only (propagation then
    writes it for the other members); the individual cells on each member's own.
    """
    group_only = _group_cells(course) if course is not None else {}
    profiles = {learner.name: learner.profile for learner in learners}
    order = {learner.name: index for index, learner in enumerate(learners)}
    graded = 0
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            # the jury has not yet heard the last `pending` learners of an assignment with orals
            ranked = sorted((s.student_id for s in assignment.submissions), key=lambda n: order.get(n, -1))
            waiting = set(ranked[-pending:]) if pending else set()
            for submission in assignment.submissions:
                profile = profiles.get(submission.student_id)
                if profile is None:
                    continue
                rng = random.Random(f"{seed}-manuel-{assignment.name}-{submission.student_id}")
                sources, individual = group_only.get(assignment.name, (None, set()))
                for notebook in submission.notebooks:
                    comments = {c.name: c for c in notebook.comments}
                    for grade in notebook.grades:
                        if not grade.needs_manual_grade:
                            continue
                        if (sources is not None and submission.student_id not in sources
                                and (notebook.name, grade.name) not in individual):
                            continue  # a group cell of a member's copy: graded on the group's copy
                        if submission.student_id in waiting and grade.cell.type == "TaskCell":
                            continue
                        low, high = MANUAL_SHARE[profile]
                        score = round(rng.uniform(low, high) * grade.max_score * 2) / 2
                        apply_manual_grade(grade, score, comments.get(grade.name),
                                           f"{SIMULATED} Note simulée pour la démonstration : {COMMENTS[profile]}")
                        graded += 1
        gb.db.commit()
    return graded


def _group_cells(course: Course) -> dict[str, tuple[set[str], set[tuple[str, str]]]]:
    """Group assignment -> (the learners whose copy is their group's, the individual cells)."""
    from mda_checks.groups.parts import individual_cells
    from mda_checks.groups.propagate import group_selection

    found = {}
    for assignment in course.assignments():
        selection = group_selection(course, assignment)
        if selection is not None:
            found[assignment] = (selection.graded, individual_cells(course, assignment))
    return found
