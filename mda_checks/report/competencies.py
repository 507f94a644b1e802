"""The competency grid: for each learner, bloc and evaluation criterion (CE), points and a status.

Rules (stated to the jury in the reports):

- a CE's points are the sum of the points of the graded cells that declare it
  (``metadata.mda.ce``); a cell declaring several CE counts fully for each of them;
- the CE is « acquis » when points / maximum ≥ ``ACQUIRED_THRESHOLD`` (config.py),
  « non acquis » otherwise;
- it is « en attente » while one of its cells still waits for a manual grade;
- a CE that no graded cell assesses yet is « non évalué » (see ``mda coverage``).

In a group assignment (``mda_checks.groups``: bloc 4's collective dossier, defended individually)
each row also names the learner's group (``groupe``) and where the CE's evidence comes from
(``part``: the group's dossier, the member's own oral, or both), with the points of each part
(``points_groupe``, ``points_individuels``); these columns are empty for an individual assignment.

Each row also says which data the learner's copy of that assignment was graded on
(``variante``): their own variant (« V-3F9A2C », published by ``mda release``) or the
common case (« cas commun »), as the course's registry of variants records it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from mda_checks.config import ACQUIRED_THRESHOLD
from mda_checks.course import Course, bloc_number
from mda_checks.coverage import Coverage, assignment_coverage
from mda_checks.groups.roster import read_groups
from mda_checks.roster import learner_names
from mda_checks.statuses import CriterionStatus
from mda_checks.variants.learner_case import COMMON
from mda_checks.variants.registry import read_registry

STATUSES = ACQUIRED, NOT_ACQUIRED, PENDING, NOT_ASSESSED = tuple(CriterionStatus)
#: what ``criteria_rows`` gives, then the learner's name (roster) and the data they were graded on
ROW_COLUMNS = ["apprenant", "devoir", "bloc", "ce", "libelle", "points", "points_max", "taux", "statut", "cellules",
               "groupe", "part", "points_groupe", "points_individuels"]
COLUMNS = ROW_COLUMNS + ["nom", "variante"]
#: where a CE's evidence comes from, in a group assignment
PART_GROUP, PART_INDIVIDUAL = "dossier du groupe", "soutenance individuelle"
PART_BOTH = f"{PART_GROUP} + {PART_INDIVIDUAL}"


def part_label(group_cells: int, individual_cells: int) -> str:
    if group_cells and individual_cells:
        return PART_BOTH
    return PART_INDIVIDUAL if individual_cells else PART_GROUP if group_cells else ""


def criterion_status(points: float, maximum: float, pending: bool, threshold: float = ACQUIRED_THRESHOLD) -> str:
    """acquis / non acquis / en attente / non évalué, by the rules above."""
    if maximum <= 0:
        return NOT_ASSESSED
    if pending:
        return PENDING
    return ACQUIRED if points / maximum >= threshold - 1e-9 else NOT_ACQUIRED


@dataclass(frozen=True)
class CellScore:
    """A graded cell of one submission, as the gradebook has it."""

    notebook: str
    grade_id: str
    score: float
    max_score: float
    pending: bool


def submission_cells(gb: Gradebook, assignment: str, student: str) -> dict[tuple[str, str], CellScore]:
    submission = gb.find_submission(assignment, student)
    return {(nb.name, g.name): CellScore(nb.name, g.name, float(g.score or 0.0), float(g.max_score),
                                         bool(g.needs_manual_grade))
            for nb in submission.notebooks for g in nb.grades}


def criteria_rows(coverage: Coverage, student: str, scores: dict[tuple[str, str], CellScore],
                  threshold: float = ACQUIRED_THRESHOLD, group: str | None = None) -> list[dict]:
    """One row per CE of the assignment's bloc for one learner.

    `group`: in a group assignment, the learner's group (« » when they are in none): the rows then say
    which part — the group's dossier, the learner's oral — each CE's points come from."""
    assignment = coverage.assignment
    labels = {ce.code: ce.text for ce in coverage.criteria}
    rows = []
    for code, graded in coverage.by_criterion().items():
        found = [scores[(c.notebook, c.grade_id)] for c in graded if (c.notebook, c.grade_id) in scores]
        points = sum(s.score for s in found)
        maximum = sum(s.max_score for s in found)
        pending = any(s.pending for s in found)
        rows.append({
            "apprenant": student, "devoir": assignment, "bloc": bloc_number(assignment), "ce": code,
            "libelle": labels[code], "points": points, "points_max": maximum,
            "taux": points / maximum if maximum else 0.0,
            "statut": criterion_status(points, maximum, pending, threshold),
            "cellules": ", ".join(f"{c.notebook}:{c.grade_id}" for c in graded),
            "groupe": group or "", "part": "", "points_groupe": None, "points_individuels": None,
        })
        if group is not None:
            own = {(c.notebook, c.grade_id) for c in graded if c.individual}
            rows[-1].update({
                "part": part_label(len(graded) - len(own), len(own)),
                "points_groupe": sum(s.score for s in found if (s.notebook, s.grade_id) not in own),
                "points_individuels": sum(s.score for s in found if (s.notebook, s.grade_id) in own),
            })
    return rows


def competency_grid(course: Course, db_url: str, assignments: list[str] | None = None,
                    threshold: float = ACQUIRED_THRESHOLD) -> pd.DataFrame:
    """The whole cohort's grid (long format, one row per learner × CE), from the gradebook."""
    rows = []
    with Gradebook(db_url) as gb:
        for assignment in assignments or course.assignments():
            try:
                submissions = gb.find_assignment(assignment).submissions
            except MissingEntry:
                continue
            coverage = assignment_coverage(course, assignment)
            groups = read_groups(course, assignment)
            for submission in submissions:
                scores = submission_cells(gb, assignment, submission.student_id)
                group = (groups.group_of(submission.student_id) or "") if groups else None
                rows += criteria_rows(coverage, submission.student_id, scores, threshold, group)
    # the roster (mda apprenants) and the registry of variants (mda release), each read once
    return grid_frame(rows, learner_names(db_url), variant_names(course))


def variant_names(course: Course) -> dict[tuple[str, str], str]:
    """(assignment, learner) -> the name of the variant published to that learner (registry read once)."""
    return {key: record.variante for key, record in read_registry(course).items()}


def data_label(variant: str) -> str:
    """What a page says of a learner's data: « variante V-3F9A2C » or « cas commun »."""
    from mda_checks.company.register import company_name

    if company_name(variant):
        return f"entreprise d'accueil {company_name(variant)}"
    return COMMON if not variant or variant == COMMON else f"variante {variant}"


def grid_frame(rows: list[dict], names: dict[str, str], variants: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The grid from ``criteria_rows``: each learner's name and, per assignment, their variant
    (``COMMON`` for a learner given no personal copy), in the report's order."""
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    frame["nom"] = [names.get(student, "") for student in frame["apprenant"]]
    frame["variante"] = [variants.get((assignment, student), COMMON)
                         for assignment, student in zip(frame["devoir"], frame["apprenant"])]
    return frame.sort_values(["bloc", "apprenant", "ce"], key=_natural).reset_index(drop=True)


def shown_names(grid: pd.DataFrame) -> dict[str, str]:
    """Learner id -> « Prénom Nom (id) » when the roster gave a name, else the id."""
    pairs = grid[["apprenant", "nom"]].drop_duplicates("apprenant")
    return {student: f"{name} ({student})" if isinstance(name, str) and name else student
            for student, name in zip(pairs["apprenant"], pairs["nom"])}


def _natural(column: pd.Series) -> pd.Series:
    """CE1.1.10 after CE1.1.9."""
    if column.name != "ce":
        return column
    return column.map(lambda code: tuple(int(part) for part in code[2:].split(".")))


def submission_facts(db_url: str) -> pd.DataFrame:
    """Per learner and assignment: submission time and due date (naive UTC, as nbgrader stores them),
    lateness (seconds) and totals."""
    rows = []
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                rows.append({
                    "apprenant": submission.student_id, "devoir": assignment.name,
                    "rendu_le": submission.timestamp, "date_limite": assignment.duedate,
                    "retard_s": float(submission.total_seconds_late),
                    "points": submission.score, "points_max": submission.max_score,
                    "en_attente": bool(submission.needs_manual_grade),
                })
    return pd.DataFrame(rows, columns=["apprenant", "devoir", "rendu_le", "date_limite", "retard_s", "points",
                                       "points_max", "en_attente"])
