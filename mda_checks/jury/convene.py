"""`mda jury BLOC`: open (or write again) a jury session from the gradebook's competency grid.

The session's record (``session.json``) keeps what the jury is shown: each candidate with their
variant, points, proposal and its reason, competence by competence; the members; the rules in
force. The minutes are written from it (``minutes.py``).
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from mda_checks.course import Course, bloc_number
from mda_checks.jury.proposals import OUTCOMES, bloc_proposals
from mda_checks.jury.rules import JuryRules, read_rules
from mda_checks.jury.sessions import Session, session_for
from mda_checks.referentiel import load_referentiel
from mda_checks.report.timing import PARIS, format_when


def graded_grid(course: Course, assignment: str) -> pd.DataFrame:
    """The bloc's competency grid, the group grades propagated first (as `mda report` does)."""
    from mda_checks.groups.propagate import propagate_groups
    from mda_checks.nbgrader_api import course_directory
    from mda_checks.report.competencies import competency_grid

    db_url = course_directory(course.root).db_url
    propagate_groups(course, db_url, [assignment])
    grid = competency_grid(course, db_url, [assignment])
    if grid.empty:
        raise ValueError(f"aucune copie corrigée de {assignment} dans le carnet de notes : lancez d'abord `mda grade`")
    return grid


def session_content(session: Session, grid: pd.DataFrame, facts: pd.DataFrame, rules: JuryRules,
                    generated: datetime | None = None) -> dict:
    """What the session record holds (plain data: written as JSON, read by the minutes and livrets)."""
    bloc = load_referentiel().bloc(bloc_number(session.assignment))
    rows = grid[grid["devoir"] == session.assignment]
    names = dict(zip(rows["apprenant"], rows["nom"]))
    variants = dict(zip(rows["apprenant"], rows["variante"]))
    totals = {(f.apprenant, f.devoir): (f.points, f.points_max) for f in facts.itertuples()}
    candidates = []
    for proposal in bloc_proposals(grid, session.assignment, rules):
        own = rows[rows["apprenant"] == proposal.student]
        points, maximum = totals.get((proposal.student, session.assignment),
                                     (own["points"].sum(), own["points_max"].sum()))
        name = names.get(proposal.student)
        candidates.append({
            "apprenant": proposal.student, "nom": name if isinstance(name, str) and name else proposal.student,
            "variante": variants.get(proposal.student, ""), "points": float(points or 0),
            "points_max": float(maximum or 0), "proposition": proposal.outcome, "motif": proposal.reason,
            "competences": [{"code": c.code, "libelle": c.text, "statut": c.status, "acquis": list(c.acquired),
                             "non_acquis": list(c.not_acquired), "en_attente": list(c.pending)}
                            for c in proposal.competences],
        })
    return {
        "session": session.name, "devoir": session.assignment, "bloc": bloc.number, "intitule": bloc.title,
        "date": session.day.isoformat(), "membres": list(rules.members), "lieu": rules.place,
        "regles": rules.text(), "genere_le": format_when(generated or datetime.now(PARIS)),
        "candidats": candidates,
    }


def convene(course: Course, assignment: str, day: date | None = None, members: list[str] | None = None,
            place: str | None = None) -> tuple[Session, dict]:
    """Open the session of `assignment` on `day` (today by default) and record its candidates."""
    from dataclasses import replace

    from mda_checks.nbgrader_api import course_directory
    from mda_checks.report.competencies import submission_facts

    rules = read_rules(course.root)
    if members:
        rules = replace(rules, members=tuple(m.strip() for m in members if m.strip()))
    if place is not None:
        rules = replace(rules, place=place.strip())
    grid = graded_grid(course, assignment)
    session = session_for(course, assignment, day)
    content = session_content(session, grid, submission_facts(course_directory(course.root).db_url), rules)
    session.write(content)
    return session, content


def outcome_counts(content: dict) -> dict[str, int]:
    counts: dict[str, int] = {outcome: 0 for outcome in OUTCOMES}
    for candidate in content["candidats"]:
        counts[candidate["proposition"]] += 1
    return counts
