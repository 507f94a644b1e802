"""One assessment booklet (« livret d'évaluation ») per candidate of a jury session, in PDF.

It opens with the candidate's identity and their grid of criteria (CE, grouped by competence, with
points and status); then the proposal, the jury's decision and its history; the automatic messages
of the grading, cell by cell (read from the graded notebooks, as the dashboard reads them); the
trainers' comments from formgrader; the rules. Printed by Chromium (``pdf.py``), in French, pages
numbered. Written to ``jury/<session>/livrets/<id>.pdf``.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from mda_apprenant.check.formatting import format_points
from mda_checks.course import Course
from mda_checks.jury.decisions import DecisionLine, history
from mda_checks.jury.minutes import day_text
from mda_checks.jury.sessions import Session
from mda_checks.referentiel import bloc_label
from mda_checks.report.competencies import competency_grid, data_label
from mda_checks.report.html import CSS, page_name
from mda_checks.report.messages import cell_result, gradebook_cells, learner_messages
from mda_checks.report.timing import PARIS, format_when


def livret_path(session: Session, student: str) -> Path:
    return session.livrets / page_name(student).replace(".html", ".pdf")


def _points(value) -> str:
    return "" if value is None or pd.isna(value) else format_points(value)


def grid_sections(rows: pd.DataFrame, candidate: dict) -> list[dict]:
    """The candidate's CE, grouped by the competences of the session's record."""
    by_ce = {r["ce"]: r for r in rows.to_dict("records")}
    sections = []
    for competence in candidate["competences"]:
        criteria = [code for code in by_ce if code.startswith(f"CE{competence['code'][1:]}.")]
        sections.append({**competence, "criteria": [
            {"ce": code, "libelle": by_ce[code]["libelle"], "statut": by_ce[code]["statut"],
             "css": CSS[by_ce[code]["statut"]],
             "points_text": f"{format_points(by_ce[code]['points'])} / {format_points(by_ce[code]['points_max'])}"}
            for code in criteria]})
    return sections


def message_rows(course: Course, cells: pd.DataFrame, rows: pd.DataFrame, student: str, assignment: str) -> list[dict]:
    """Every graded cell of the candidate's copy: its CE, result, points and the grading's message."""
    criteria: dict[tuple[str, str], list[str]] = {}
    for row in rows.itertuples():
        for cell in filter(None, (c.strip() for c in str(row.cellules).split(","))):
            notebook, _, grade_id = cell.partition(":")
            criteria.setdefault((notebook, grade_id), []).append(row.ce)
    messages = learner_messages(course, student, assignment)
    own = cells[(cells["apprenant"] == student) & (cells["devoir"] == assignment)]
    found = []
    for cell in own.itertuples():
        message = messages.get((cell.carnet, cell.cellule))
        found.append(((cell.carnet, message.position if message else 10 ** 6, cell.cellule), {
            "carnet": cell.carnet, "cellule": cell.cellule, "ce": ", ".join(criteria.get((cell.carnet, cell.cellule), [])),
            "resultat": cell_result(message.status if message else "", cell.en_attente),
            "points_text": f"{format_points(cell.points)} / {format_points(cell.points_max)}",
            "message": message.text if message else ""}))
    return [row for _, row in sorted(found, key=lambda item: item[0])]


def _group(rows: pd.DataFrame) -> str:
    """A group assignment's group (« aucun groupe » when in none); '' for an individual assignment."""
    if "part" not in rows or not rows["part"].fillna("").astype(bool).any():
        return ""
    return str(rows["groupe"].iloc[0] or "aucun groupe")


def livret_context(course: Course, session: Session, content: dict, candidate: dict, grid: pd.DataFrame,
                   cells: pd.DataFrame, comments: pd.DataFrame, emails: dict[str, str],
                   ungraded: list | None = None) -> dict:
    student, assignment = candidate["apprenant"], session.assignment
    rows = grid[(grid["apprenant"] == student) & (grid["devoir"] == assignment)]
    decisions: list[DecisionLine] = history(course, assignment, student)
    in_session = [d for d in decisions if d.session == session.name]
    own_comments = comments[(comments["apprenant"] == student) & (comments["devoir"] == assignment)]
    return {
        **candidate, "devoir": assignment, "libelle_bloc": bloc_label(assignment), "bloc": content["bloc"],
        "intitule": content["intitule"],
        "session": session.name, "day": day_text(content["date"]), "email": emails.get(student, ""),
        "donnees": data_label(candidate["variante"]), "regles": content["regles"],
        "groupe": _group(rows),
        "points_text": f"{format_points(candidate['points'])} / {format_points(candidate['points_max'])}",
        "sections": grid_sections(rows, candidate),
        "decision": in_session[-1] if in_session else None,
        "historique": decisions,
        "messages": message_rows(course, cells, rows, student, assignment),
        # the notebooks non corrigés of this copy (mda_checks.grade.ungraded: as `mda grade` and the reports name them)
        "non_corriges": [{"carnet": u.notebook, "raison": u.reason} for u in (ungraded or []) if u.student == student],
        "commentaires": [{"carnet": c.carnet, "cellule": c.cellule, "points_text": _points(c.points)
                          + (f" / {_points(c.points_max)}" if c.points_max is not None else ""),
                          "commentaire": c.commentaire} for c in own_comments.itertuples()],
        "genere_le": format_when(datetime.now(PARIS)),
    }


def livret_html(context: dict) -> str:
    from mda_checks.report.html import environment

    defaults = {"libelle_bloc": bloc_label(context["devoir"]), "non_corriges": []}
    return environment().get_template("jury/livret.html.j2").render(**{**defaults, **context})


def write_livrets(course: Course, session: Session, renderer, on_done=None) -> list[Path]:
    """Every candidate's livret of the session (PDF); `on_done(path)` after each one."""
    from nbgrader.api import Gradebook

    from mda_checks.nbgrader_api import course_directory
    from mda_checks.report.comments import trainer_comments

    content = session.read()
    db_url = course_directory(course.root).db_url
    grid = competency_grid(course, db_url, [session.assignment])
    cells = gradebook_cells(db_url)
    comments = trainer_comments(db_url, [session.assignment])
    with Gradebook(db_url) as gb:
        emails = {s.id: s.email or "" for s in gb.students}
    from mda_checks.grade.ungraded import ungraded_notebooks

    ungraded = ungraded_notebooks(course, [session.assignment])
    written = []
    for candidate in content["candidats"]:
        context = livret_context(course, session, content, candidate, grid, cells, comments, emails, ungraded)
        path = renderer.render(livret_html(context), livret_path(session, candidate["apprenant"]),
                               footer=f"Livret d'évaluation — {candidate['nom']} — {bloc_label(session.assignment)}")
        written.append(path)
        if on_done:
            on_done(path)
    return written
