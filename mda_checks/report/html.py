"""The HTML report: a cohort overview with charts, and one page per learner (jinja2 templates)."""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import jinja2
import pandas as pd
from babel.dates import format_datetime

from mda_checks.check.formatting import format_points
from mda_checks.config import ACQUIRED_THRESHOLD, LOCALE
from mda_checks.report.charts import heat_map, status_distribution
from mda_checks.report.competencies import ACQUIRED, NOT_ACQUIRED, PENDING

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CSS = {"acquis": "acquis", "non acquis": "non-acquis", "en attente": "en-attente", "non évalué": "non-evalue"}


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def page_name(student: str) -> str:
    """A safe file name for a learner's page."""
    return re.sub(r"[^\w.-]", "_", student) + ".html"


def _when(value) -> str:
    if value is None or pd.isna(value):
        return "date inconnue"
    return format_datetime(pd.Timestamp(value).to_pydatetime(), "d MMMM y 'à' HH:mm", locale=LOCALE)


def _late(hours: float) -> str:
    if not hours or hours <= 0:
        return ""
    return f"{format_points(hours / 24)} jour(s)" if hours >= 48 else f"{format_points(hours)} h"


def common(generated: datetime) -> dict:
    return {"threshold_text": f"{format_points(ACQUIRED_THRESHOLD * 100)} %",
            "generated": format_datetime(generated, "d MMMM y 'à' HH:mm", locale=LOCALE)}


def bloc_summaries(grid: pd.DataFrame, facts: pd.DataFrame) -> list[dict]:
    summaries = []
    for assignment, rows in grid.groupby("devoir", sort=False):
        sub = facts[facts["devoir"] == assignment]
        share = (sub["points"] / sub["points_max"]).mean() if len(sub) else 0.0
        counts = rows["statut"].value_counts()
        summaries.append({
            "name": assignment, "copies": rows["apprenant"].nunique(),
            "mean": f"{format_points(share * 100)} %",
            "acquis": int(counts.get(ACQUIRED, 0)), "non_acquis": int(counts.get(NOT_ACQUIRED, 0)),
            "en_attente": int(counts.get(PENDING, 0)), "late": int((sub["retard_h"] > 0).sum()),
            "distribution": status_distribution(rows, f"{assignment} : statut des critères"),
            "heat_map": heat_map(rows, f"{assignment} : part des points par critère"),
        })
    return summaries


def learner_page(student: str, grid: pd.DataFrame, facts: pd.DataFrame, feedback_root: Path,
                 page_dir: Path, ungraded: dict | None = None) -> dict:
    blocs = []
    for assignment, rows in grid[grid["apprenant"] == student].groupby("devoir", sort=False):
        fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
        fact = fact.iloc[0] if len(fact) else None
        folder = feedback_root / student / assignment
        pages = sorted(folder.glob("*.html")) if folder.is_dir() else []
        blocs.append({
            "name": assignment,
            "points": format_points(fact["points"] if fact is not None else rows["points"].sum()),
            "maximum": format_points(fact["points_max"] if fact is not None else rows["points_max"].sum()),
            "submitted": _when(fact["rendu_le"] if fact is not None else None),
            "late": _late(fact["retard_h"] if fact is not None else 0),
            "feedback": [{"name": p.stem, "href": Path(os.path.relpath(p, page_dir)).as_posix()} for p in pages],
            "ungraded": (ungraded or {}).get((student, assignment), []),
            "rows": [{**row, "points_text": f"{format_points(row['points'])} / {format_points(row['points_max'])}",
                      "css": CSS[row["statut"]]} for row in rows.to_dict("records")],
        })
    return {"name": student, "blocs": blocs}


def write_html_report(grid: pd.DataFrame, facts: pd.DataFrame, folder: Path, feedback_root: Path,
                      generated: datetime | None = None, ungraded: dict | None = None) -> Path:
    """Write folder/index.html and folder/apprenants/<learner>.html; return the index.

    `ungraded` maps (learner, assignment) to the notebooks that could not be graded."""
    env = environment()
    context = common(generated or datetime.now())
    pages = folder / "apprenants"
    pages.mkdir(parents=True, exist_ok=True)
    students = sorted(grid["apprenant"].unique())
    assignments = list(dict.fromkeys(grid["devoir"]))
    learners = []
    for student in students:
        page = learner_page(student, grid, facts, feedback_root, pages, ungraded)
        (pages / page_name(student)).write_text(env.get_template("report/learner.html.j2").render(**context, **page),
                                                encoding="utf-8")
        cells = []
        for assignment in assignments:
            fact = facts[(facts["apprenant"] == student) & (facts["devoir"] == assignment)]
            cells.append("—" if fact.empty else
                         f"{format_points(fact.iloc[0]['points'])} / {format_points(fact.iloc[0]['points_max'])}")
        learners.append({"name": student, "page": page_name(student), "cells": cells})
    index = folder / "index.html"
    index.write_text(env.get_template("report/index.html.j2").render(
        **context, learners=learners, blocs=bloc_summaries(grid, facts),
        ungraded=[{"student": s, "assignment": a, **item} for (s, a), items in sorted((ungraded or {}).items())
                  for item in items]), encoding="utf-8")
    return index
