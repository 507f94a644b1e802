"""The HTML report: a cohort overview with charts, and one page per learner (jinja2 templates)."""
from __future__ import annotations

import os
import re
from datetime import datetime, UTC
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from mda_apprenant.check.formatting import format_points
from mda_checks.config import ACQUIRED_THRESHOLD
from mda_checks.referentiel import bloc_label
from mda_checks.report.charts import LOOKS, distribution_alt, png_size, status_distribution
from mda_checks.report.competencies import (
    ACQUIRED, NOT_ACQUIRED, NOT_ASSESSED, PENDING, STATUSES, data_label, shown_names,
)
from mda_checks.report.timing import format_lateness, format_when

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CSS = {"acquis": "acquis", "non acquis": "non-acquis", "en attente": "en-attente", "non évalué": "non-evalue"}


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def page_name(student: str) -> str:
    """A safe file name for a learner's page."""
    return re.sub(r"[^\w.-]", "_", student) + ".html"


def _when(value) -> str:
    """A gradebook time (naive UTC) in Paris time."""
    return format_when(value)


def _late(hours: float) -> str:
    """A delay given in hours, written the reports' one way (timing.format_lateness)."""
    return format_lateness(hours * 3600 if hours else 0)


def threshold_text() -> str:
    return f"{format_points(ACQUIRED_THRESHOLD * 100)}\u00a0%"


def common(generated: datetime) -> dict:
    """What every page says: the threshold, and when it was generated (Paris time; a naive
    `generated` is the machine's local time, as ``datetime.now()`` gives it)."""
    return {"threshold_text": threshold_text(),
            "generated": f"{format_when(generated, naive_is_utc=False)} (heure de Paris)"}


def status_css() -> Markup:
    """CSS of the heat map's cells and legend swatches, from the one description of the statuses."""
    rules = [f".s-{look.css} {{ background: {look.background}; color: {look.ink}; }}" for look in LOOKS.values()]
    return Markup("\n".join(rules))


def status_legend() -> list[dict]:
    """The heat map's legend: each status's letter, its name and what it means."""
    threshold = threshold_text()
    meanings = {
        ACQUIRED: f"au moins {threshold} des points du critère",
        NOT_ACQUIRED: f"moins de {threshold} des points du critère",
        PENDING: "une note manuelle (formateur ou jury) manque encore",
        NOT_ASSESSED: "aucune cellule notée n'évalue encore ce critère pour cet apprenant",
    }
    return [{"letter": LOOKS[s].letter, "css": LOOKS[s].css, "status": s, "meaning": meanings[s]} for s in STATUSES]


def heat_table(rows: pd.DataFrame) -> dict:
    """Learners × CE of one bloc, as an HTML table: a status letter in each cell, the colour repeating it.

    Columns: the CE that at least one learner's graded cells assess (as the chart)."""
    assessed = rows[rows["statut"] != NOT_ASSESSED]
    criteria = list(dict.fromkeys(assessed["ce"]))
    by_cell = {(r["apprenant"], r["ce"]): r for r in rows.to_dict("records")}
    names = shown_names(rows)
    lines = []
    for student in sorted(rows["apprenant"].unique()):
        cells = []
        for ce in criteria:
            row = by_cell.get((student, ce))
            status = row["statut"] if row else NOT_ASSESSED
            points = (f", {format_points(row['points'])} / {format_points(row['points_max'])} points"
                      if row and status != NOT_ASSESSED else "")
            cells.append({"letter": LOOKS[status].letter, "css": LOOKS[status].css,
                          "title": f"{names[student]}, {ce} : {status}{points}"})
        lines.append({"name": names[student], "page": page_name(student), "cells": cells})
    return {"criteria": criteria, "lines": lines}


def _chart(uri: str, alt: str) -> dict:
    width, height = png_size(uri)
    return {"src": uri, "alt": alt, "width": width, "height": height}


def bloc_summaries(grid: pd.DataFrame, facts: pd.DataFrame) -> list[dict]:
    summaries = []
    for assignment, rows in grid.groupby("devoir", sort=False):
        sub = facts[facts["devoir"] == assignment]
        share = (sub["points"] / sub["points_max"]).mean() if len(sub) else 0.0
        counts = rows["statut"].value_counts()
        label = bloc_label(assignment)
        summaries.append({
            "id": assignment, "name": label, "copies": rows["apprenant"].nunique(),
            "mean": f"{format_points(share * 100)} %",
            "acquis": int(counts.get(ACQUIRED, 0)), "non_acquis": int(counts.get(NOT_ACQUIRED, 0)),
            "en_attente": int(counts.get(PENDING, 0)), "late": int((sub["retard_s"] > 0).sum()),
            "distribution": _chart(status_distribution(rows, f"{label} : statut des critères par CE"),
                                   distribution_alt(rows, label)),
            "heat": heat_table(rows),
        })
    return summaries


def group_columns(row: dict) -> dict:
    """A group assignment's row: its part and the points of each part, as shown."""
    def shown(value) -> str:
        return "" if value is None or pd.isna(value) else format_points(value)

    return {"points_groupe_text": shown(row.get("points_groupe")),
            "points_individuels_text": shown(row.get("points_individuels"))}


def jury_blocs(grid: pd.DataFrame, jury: dict | None) -> list[dict]:
    """Per bloc, each learner's proposal and the jury's decision (``mda_checks.jury.overview``), for the index."""
    if not jury:
        return []
    names = shown_names(grid)
    blocs = []
    for assignment in dict.fromkeys(grid["devoir"]):
        lines = [{"name": names[s], "page": page_name(s), "line": jury[(s, assignment)]}
                 for s in sorted(grid.loc[grid["devoir"] == assignment, "apprenant"].unique()) if (s, assignment) in jury]
        if lines:
            blocs.append({"name": bloc_label(assignment), "lines": lines})
    return blocs


def learner_page(student: str, grid: pd.DataFrame, facts: pd.DataFrame, feedback_root: Path,
                 page_dir: Path, ungraded: dict | None = None, groups: dict | None = None,
                 jury: dict | None = None) -> dict:
    blocs = []
    for assignment, rows in grid[grid["apprenant"] == student].groupby("devoir", sort=False):
        fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
        fact = fact.iloc[0] if len(fact) else None
        folder = feedback_root / student / assignment
        pages = sorted(folder.glob("*.html")) if folder.is_dir() else []
        blocs.append({
            "name": bloc_label(assignment),
            "data": data_label(rows["variante"].iloc[0]),
            "points": format_points(fact["points"] if fact is not None else rows["points"].sum()),
            "maximum": format_points(fact["points_max"] if fact is not None else rows["points_max"].sum()),
            "submitted": _when(fact["rendu_le"] if fact is not None else None),
            "late": format_lateness(fact["retard_s"] if fact is not None else 0),
            "feedback": [{"name": p.stem, "href": Path(os.path.relpath(p, page_dir)).as_posix()} for p in pages],
            "ungraded": [{"notebook": u.notebook, "reason": u.reason} for u in (ungraded or {}).get((student, assignment), [])],
            "group": (groups or {}).get((student, assignment), ""),
            "jury": (jury or {}).get((student, assignment)),
            "grouped": bool(rows["part"].fillna("").astype(bool).any()) if "part" in rows else False,
            "rows": [{**row, "points_text": f"{format_points(row['points'])} / {format_points(row['points_max'])}",
                      "css": CSS[row["statut"]], **group_columns(row)} for row in rows.to_dict("records")],
        })
    return {"name": shown_names(grid[grid["apprenant"] == student])[student], "blocs": blocs}


def write_html_report(grid: pd.DataFrame, facts: pd.DataFrame, folder: Path, feedback_root: Path,
                      generated: datetime | None = None, ungraded: list | None = None,
                      groups: dict | None = None, jury: dict | None = None, copies: dict | None = None) -> Path:
    """Write folder/index.html and folder/apprenants/<learner>.html; return the index.

    `ungraded`: the notebooks non corrigés (``mda_checks.grade.ungraded``); `groups` maps (learner, assignment) to
    what a group assignment's page says of the learner's group (``mda_checks.groups.selection.group_sentences``);
    `jury` to the proposal and the jury's decision (``mda_checks.jury.overview.jury_overview``);
    `copies` is the « Copies entre apprenants » section (``mda_checks.copies.export.report_context``)."""
    from mda_checks.grade.ungraded import MEANING, by_copy

    listed = list(ungraded or [])
    ungraded_by_copy = by_copy(listed)
    env = environment()
    context = common(generated or datetime.now(UTC))
    pages = folder / "apprenants"
    pages.mkdir(parents=True, exist_ok=True)
    students = sorted(grid["apprenant"].unique())
    assignments = list(dict.fromkeys(grid["devoir"]))
    pairs = grid.drop_duplicates(["apprenant", "devoir"])
    variants = dict(zip(zip(pairs["apprenant"], pairs["devoir"]), pairs["variante"]))
    learners = []
    for student in students:
        page = learner_page(student, grid, facts, feedback_root, pages, ungraded_by_copy, groups, jury)
        (pages / page_name(student)).write_text(env.get_template("report/learner.html.j2").render(**context, **page),
                                                encoding="utf-8")
        cells = []
        for assignment in assignments:
            fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
            graded = variants.get((student, assignment))
            cells.append({"points": "—" if fact.empty else
                          f"{format_points(fact.iloc[0]['points'])} / {format_points(fact.iloc[0]['points_max'])}",
                          "data": data_label(graded) if graded else ""})
        learners.append({"name": page["name"], "page": page_name(student), "cells": cells})
    index = folder / "index.html"
    index.write_text(env.get_template("report/index.html.j2").render(
        **context, learners=learners, blocs=bloc_summaries(grid, facts),
        legend=status_legend(), status_css=status_css(), jury_blocs=jury_blocs(grid, jury), copies=copies,
        ungraded_meaning=MEANING,
        ungraded=[{"student": u.student, "assignment": bloc_label(u.assignment), "notebook": u.notebook,
                   "reason": u.reason} for u in listed]), encoding="utf-8")
    return index
