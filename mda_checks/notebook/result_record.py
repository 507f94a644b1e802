"""A graded check cell's result as data: ``metadata.mda.resultat``, written by the scorer, read by reports.

The trusted scorer (``ScoreAnswers``) writes it beside the output it renders for the learner, from
the same ``CheckResult``: status, score and points, message, hint, the barème's slip a recognised
mistake names, and whether the cell was gradable (its check handed over an answer the scorer could
read). Reports and workbooks read this record, never the HTML shown to learners; so does the learner's feedback page, whose template
renders each check cell from its record (``record_html``, the Jinja filter ``mda_result_html``). A learner's copy
never brings one in: grading puts the master's ``metadata.mda`` back before running it
(``mda_checks.grade.preprocessors.restore_metadata``). Its shape is the schema's (``mda_metadata.v1.json``).
"""
from __future__ import annotations

from nbformat import NotebookNode

from mda_apprenant.check.result import CheckResult, Status
from mda_checks.notebook.metadata_schema import KEY, problems

RECORD = "resultat"


def record(result: CheckResult, problem: str = "") -> dict:
    """The record of one scored check cell (JSON data)."""
    return {"titre": result.label, "statut": result.status.value, "score": result.score, "points": result.points,
            "message": result.message, "piste": result.hint, "ecart": result.slip, "notable": not problem}


def write_record(cell: NotebookNode, result: CheckResult, problem: str = "") -> None:
    cell.setdefault("metadata", {}).setdefault(KEY, {})[RECORD] = record(result, problem)


def read_record(cell: dict) -> dict | None:
    """The cell's record, or None when it has none or one the schema refuses (never half-read)."""
    mda = cell.get("metadata", {}).get(KEY)
    if not isinstance(mda, dict) or RECORD not in mda or problems({RECORD: mda[RECORD]}, "cell"):
        return None
    return mda[RECORD]


def record_text(found: dict) -> str:
    """The record as the plain French text reports show (the points have their own columns)."""
    parts = [f"{found['titre']} — {found['statut']}.", found["message"]]
    if found["piste"]:
        parts.append(f"Piste : {found['piste']}")
    return " ".join(part for part in parts if part)


#: what a feedback page says under a check cell that has no readable record (never the cell's own HTML)
NO_RECORD = ("<div class=\"mda-check mda-non-verifie\" role=\"status\"><strong>… Vérification sans résultat "
             "enregistré</strong><div>Cette vérification n'a pas été notée par la correction : demandez à votre "
             "formateur.</div></div>")


def from_record(found: dict) -> CheckResult:
    """The result a record describes (the record holds every field the message shows)."""
    return CheckResult(found["titre"], Status(found["statut"]), found["message"], found["score"], found["points"],
                       found["piste"], found["ecart"])


def record_html(cell: dict) -> str:
    """A check cell's message for the feedback page, rendered from its record alone (Jinja filter
    ``mda_result_html``): whatever HTML the cell's output holds is never shown."""
    found = read_record(cell)
    return NO_RECORD if found is None else from_record(found)._repr_html_()
