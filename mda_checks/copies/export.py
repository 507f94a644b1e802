"""What copy detection found, for the trainer: ``exports/soupcons_copie.csv`` and its detail.

One CSV line per suspected copy (learner, probable source, the counted cells); the detail
(``soupcons_copie.json``, read by ``mda report`` and the dashboard) has every concordant cell
with the learner's answer, their own right answer and the source's, side by side. Detecting again
for some assignments replaces their lines and keeps the others'.
"""
from __future__ import annotations

import csv
import json
import math
import numbers
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from mda_checks.config import COPY_EVIDENCE_CELLS
from mda_checks.copies.detection import CARRIED, COUNTED, WEAK, Findings, Suspicion
from mda_checks.course import Course
from mda_checks.report.timing import PARIS, format_when

CSV_NAME, DETAIL_NAME = "soupcons_copie.csv", "soupcons_copie.json"
COLUMNS = ["devoir", "apprenant", "source_probable", "cellules", "nb_cellules", "nb_cellules_comparables",
           "questions_reportees", "concordances_faibles"]
#: longest text shown for one value (a table is summarised)
SHOWN_CHARS = 160


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.6g}".replace(",", "\u202f").replace(".", ",")


def shown(value: Any) -> str:
    """A value in one short line: a number in French, a table's first values, a list's items."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, numbers.Real):
        return _number(float(value))
    if isinstance(value, pd.DataFrame):
        value = value.stack() if len(value.columns) > 1 else value.iloc[:, 0]
    if isinstance(value, pd.Series):
        items = [f"{k if not isinstance(k, tuple) else ' · '.join(map(str, k))} : {shown(v)}" for k, v in value.items()]
        text = f"tableau de {len(value)} valeur(s) — " + " ; ".join(items)
    elif isinstance(value, (list, tuple, set)):
        text = ", ".join(sorted(map(shown, value))) if value else "(liste vide)"
    else:
        text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def suspicion_record(suspicion: Suspicion) -> dict:
    """A suspicion as plain data, every value shown as text."""
    return {
        "devoir": suspicion.assignment, "apprenant": suspicion.learner, "variante": suspicion.learner_variant,
        "source_probable": suspicion.source, "variante_source": suspicion.source_variant,
        "nb_cellules": len(suspicion.counted), "nb_cellules_comparables": suspicion.comparable,
        "cellules": [{"carnet": c.notebook, "cellule": c.grade_id, "question": c.question, "type": c.kind,
                      "reponse": shown(c.answer), "juste_apprenant": shown(c.own), "juste_source": shown(c.source),
                      "entrees": list(c.inputs)} for c in suspicion.concordances],
    }


def findings_record(findings: Findings) -> dict:
    return {"copies": findings.units, "cas": findings.cases, "sans_reponses": findings.without_handovers,
            "sources_non_rendues": findings.not_handed_in, "ecartees": findings.left_out,
            "soupcons": [suspicion_record(s) for s in findings.suspicions]}


def csv_line(assignment: str, record: dict) -> dict:
    def ids(kind: str) -> str:
        return "; ".join(c["cellule"] + (f" (de {', '.join(c['entrees'])})" if c["entrees"] else "")
                         for c in record["cellules"] if c["type"] == kind)

    return {"devoir": assignment, "apprenant": record["apprenant"], "source_probable": record["source_probable"],
            "cellules": ids(COUNTED), "nb_cellules": record["nb_cellules"],
            "nb_cellules_comparables": record["nb_cellules_comparables"], "questions_reportees": ids(CARRIED),
            "concordances_faibles": ids(WEAK)}


def read_detail(course: Course) -> dict:
    """The saved detail ({} when copy detection never ran): « calcule_le » and « devoirs »."""
    path = course.step("exports") / DETAIL_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_findings(course: Course, found: list[Findings], now: datetime | None = None) -> tuple[Path, Path]:
    """Write the CSV and the detail for these assignments, keeping the other assignments' lines."""
    detail = read_detail(course)
    assignments = dict(detail.get("devoirs", {}))
    assignments.update({f.assignment: findings_record(f) for f in found})
    now = now or datetime.now(PARIS)
    detail = {"calcule_le": now.astimezone(PARIS).isoformat(timespec="seconds"), "seuil": COPY_EVIDENCE_CELLS,
              "devoirs": dict(sorted(assignments.items()))}
    folder = course.step("exports")
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, detail_path = folder / CSV_NAME, folder / DETAIL_NAME
    scratch = csv_path.with_suffix(".tmp")
    with scratch.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for assignment, record in detail["devoirs"].items():
            writer.writerows(csv_line(assignment, s) for s in record["soupcons"])
    os.replace(scratch, csv_path)
    scratch = detail_path.with_suffix(".tmp")
    scratch.write_text(json.dumps(detail, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(scratch, detail_path)
    return csv_path, detail_path


def summary_lines(found: list[Findings]) -> list[str]:
    """What `mda copies` prints: per assignment, what was compared and each suspicion."""
    lines = []
    for findings in found:
        absent = len(findings.not_handed_in)
        lines.append(f"{findings.assignment} : {findings.units} copie(s) corrigée(s) sur {findings.cases} cas"
                     + (f" (dont {absent} d'apprenants sans copie corrigée, comparés comme sources)" if absent else "")
                     + f" ; {len(findings.suspicions)} soupçon(s) de copie.")
        for suspicion in findings.suspicions:
            carried = len(suspicion.of_kind(CARRIED))
            lines.append(f"  {suspicion.learner} : {len(suspicion.counted)} réponse(s) sur {suspicion.comparable} "
                         f"comparables sont les bonnes réponses de {suspicion.source} et pas les siennes"
                         + (f" ; {carried} question(s) reportée(s) en dépendent" if carried else "") + ".")
        for reason in findings.left_out:
            lines.append(f"  Copie non comparée : {reason}.")
        if findings.without_handovers:
            lines.append(f"  Sans réponse conservée (corrigées avant que les réponses soient gardées, ou rien de "
                         f"transmis ; `mda grade --force` pour les comparer) : {', '.join(findings.without_handovers)}.")
    return lines


def when_text(detail: dict) -> str:
    """When the saved detection ran, in Paris time (« » when it never ran)."""
    stamp = detail.get("calcule_le")
    return format_when(datetime.fromisoformat(stamp)) if stamp else ""


KIND_WORDS = {COUNTED: "comptée", WEAK: "concordance faible (non comptée)", CARRIED: "question reportée (non comptée)"}


def report_context(detail: dict, assignments: list[str] | None = None) -> dict:
    """The « Copies entre apprenants » section of the reports and of the dashboard, from the saved detail."""
    from mda_checks.referentiel import bloc_label  # the bloc's title, as the rest of the report names it

    blocs = []
    for assignment, record in detail.get("devoirs", {}).items():
        if assignments is not None and assignment not in assignments:
            continue
        suspicions = [{**s, "lignes": [{**c, "type_texte": KIND_WORDS.get(c["type"], c["type"]),
                                        "entrees_texte": ", ".join(c["entrees"])} for c in s["cellules"]]}
                      for s in record["soupcons"]]
        blocs.append({"name": assignment, "label": bloc_label(assignment), "units": record["copies"], "cases": record["cas"],
                      "without": record["sans_reponses"], "left_out": record.get("ecartees", []),
                      "not_handed_in": record.get("sources_non_rendues", []),
                      "suspicions": suspicions})
    return {"computed": bool(detail), "when": when_text(detail), "threshold": detail.get("seuil", COPY_EVIDENCE_CELLS),
            "blocs": blocs, "problem": ""}
