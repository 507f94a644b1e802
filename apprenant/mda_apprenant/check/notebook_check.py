"""« Vérifier mon carnet »: before submitting, the state of every answer of the notebook, in French.

The last cell of each workbook calls ``verifier_carnet()``. It reads the notebook as last
saved (JupyterLab tells the kernel its path), then, for each computed answer, rebuilds the
check cell's answer object from the learner's variables and runs its self-check (form
only: the learner's copy has no expected value), and, for each written answer, says
whether it is still the blank stub. It never raises and writes nothing on stderr: in a
grading run it only says what it could read.
"""
from __future__ import annotations

import ast
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from mda_apprenant.check import answers
from mda_apprenant.check.base import _quiet
from mda_apprenant.check.result import CSS_CLASS, Status

#: the stub nbgrader leaves in a written answer (nbgrader_config.py: ClearSolutions.text_stub)
WRITTEN_STUB = "VOTRE RÉPONSE ICI"
KINDS = {name: getattr(answers, name) for name in answers.__all__}
#: how statements number their questions: « ### Question 3 — Croissance par segment (CE1.1.5) »
QUESTION_HEADING = re.compile(r"^#+\s*(Question\s+\d+[a-z]?)\s*[—–-]\s*(.*?)\s*(?:\((?:CE|C)\d[^)]*\))?\s*$")
#: a line of an answer cell as the workbook gives it: « variable = ... », comments, blank lines
_STUB_LINE = re.compile(r"^\s*(?:#.*|[A-Za-z_]\w*\s*=\s*\.\.\.\s*)?$")
_LEFT = ' style="text-align:left;vertical-align:top"'


@dataclass(frozen=True)
class AnswerState:
    """One question of the notebook and what the learner still has to do about it."""

    question: str
    kind: str           # « calcul » or « rédaction »
    status: Status
    message: str
    hint: str = ""      # the check's ⚠ hint, repeated here

    @property
    def ready(self) -> bool:
        return self.status is Status.FORMAT_OK


@dataclass(frozen=True)
class NotebookReport:
    """The state of every answer of a notebook; displayed as a French table."""

    notebook: str
    states: tuple[AnswerState, ...]
    problem: str = ""

    def _repr_html_(self) -> str:
        if self.problem:
            return f'<div class="mda-check mda-invalide" role="status">⚠ {html.escape(self.problem)}</div>'
        todo = [s for s in self.states if not s.ready]
        head = (f"<p><strong>{html.escape(self.notebook)} : {len(self.states) - len(todo)} réponse(s) prête(s) "
                f"sur {len(self.states)}.</strong> "
                + ("Tout est prêt à être rendu." if not todo else f"{len(todo)} réponse(s) à reprendre :") + "</p>")
        rows = "".join(
            f'<tr class="{CSS_CLASS[s.status.value]}"><td{_LEFT}>{html.escape(s.question)}</td><td{_LEFT}>{s.kind}</td>'
            f"<td{_LEFT}>{html.escape(s.status.value)}</td><td{_LEFT}>{html.escape(s.message)}"
            + (f"<br><em>⚠ Piste : {html.escape(s.hint)}</em>" if s.hint else "") + "</td></tr>"
            for s in (todo or self.states))
        header = "".join(f"<th{_LEFT}>{title}</th>" for title in ("Question", "Type", "État", "Ce qu'il reste à faire"))
        return (f'{head}<table class="mda-verification"{_LEFT}><thead><tr>{header}</tr></thead>'
                f"<tbody>{rows}</tbody></table>")

    def __repr__(self) -> str:
        if self.problem:
            return self.problem
        lines = [f"{self.notebook} : {sum(s.ready for s in self.states)} réponse(s) prête(s) sur {len(self.states)}."]
        lines += [f"- {s.question} ({s.kind}) : {s.status.value}. {s.message}" + (f" Piste : {s.hint}" if s.hint else "")
                  for s in self.states if not s.ready]
        return "\n".join(lines)


def _notebook_path(path: str | os.PathLike | None, namespace: dict) -> Path | None:
    for candidate in (path, namespace.get("__session__"), os.environ.get("JPY_SESSION_NAME")):
        if candidate and Path(candidate).suffix == ".ipynb" and Path(candidate).is_file():
            return Path(candidate)
    found = sorted(Path.cwd().glob("*.ipynb"))
    return found[0] if len(found) == 1 else None


def answered(answer_source: str) -> bool:
    """The learner wrote something in the answer cell (not only the workbook's « variable = ... » stub)."""
    return not all(_STUB_LINE.match(line) for line in answer_source.splitlines())


NOT_RUN = "Votre cellule de réponse a été modifiée, mais pas exécutée depuis : exécutez-la, puis relancez cette vérification."


def _computed_state(source: str, namespace: dict, number: str = "", answer_source: str = "") -> AnswerState:
    """Rebuild ``reponse = Kind("label", variable, …)`` from the learner's variables, and self-check it."""
    question = "réponse calculée"
    try:
        tree = ast.parse(source)
        call = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call))
        inner = call.args[0] if getattr(call.func, "id", "") == "Carried" and call.args else call
        question = ast.literal_eval(inner.args[0])  # type: ignore[attr-defined]  # not a call: the except below
        question = f"{number} — {question}" if number else question
        answer = eval(compile(ast.Expression(call), "<vérification>", "eval"),  # noqa: S307 - the locked check cell
                      {**namespace, **KINDS})
        with _quiet():
            result = answer.precheck()
        if result.status is Status.MISSING and answer.value is Ellipsis and answered(answer_source):
            return AnswerState(question, "calcul", Status.NOT_RUN, NOT_RUN)
        return AnswerState(question, "calcul", result.status, result.message, result.hint or "")
    except NameError:
        if answered(answer_source):
            return AnswerState(question, "calcul", Status.NOT_RUN, NOT_RUN)
        return AnswerState(question, "calcul", Status.MISSING,
                           "La cellule de réponse n'a pas été exécutée : exécutez le carnet du début à la fin.")
    except Exception:  # noqa: BLE001 - a learner's object can fail in any way
        return AnswerState(question, "calcul", Status.INVALID,
                           "La réponse n'a pas pu être relue : sa valeur est d'un type inattendu.",
                           "Réexécutez la cellule de réponse, puis sa vérification : elle dit la forme attendue.")


def _written_state(cell: dict, label: str) -> AnswerState:
    text = "".join(cell.get("source", "")).strip()
    if not text or WRITTEN_STUB in text:
        return AnswerState(label, "rédaction", Status.MISSING,
                           "Rédigez votre réponse à la place de « VOTRE RÉPONSE ICI », puis enregistrez le carnet.")
    return AnswerState(label, "rédaction", Status.FORMAT_OK, "Réponse rédigée (elle sera notée par le formateur).")


def notebook_report(path: str | os.PathLike | None = None, namespace: dict | None = None) -> NotebookReport:
    """The state of every answer of the notebook at `path` (found by itself in JupyterLab)."""
    if namespace is None:
        try:
            namespace = get_ipython().user_ns  # type: ignore[name-defined]  # noqa: F821
        except NameError:
            namespace = {}
    found = _notebook_path(path, namespace)
    if found is None:
        return NotebookReport("", (), "Carnet introuvable : enregistrez-le, puis relancez cette cellule "
                                      "depuis JupyterLab.")
    try:
        cells = json.loads(found.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return NotebookReport(found.name, (), "Le carnet enregistré n'a pas pu être lu : enregistrez-le à nouveau.")
    states, heading, number, answer_source = [], "Réponse écrite", "", ""
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell.get("source", ""))
        if meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code":
            states.append(_computed_state(source, namespace, number, answer_source))
        elif meta.get("solution") and cell.get("cell_type") == "code":
            answer_source = source  # the answer cell the next check cells read
        elif meta.get("solution") and meta.get("grade") and cell.get("cell_type") == "markdown":
            states.append(_written_state(cell, heading))
        elif cell.get("cell_type") == "markdown":
            for line in source.splitlines():
                titled = QUESTION_HEADING.match(line)
                if titled:  # « Question 3 — Croissance par segment »: how the statement names the question
                    number, heading = titled.group(1), f"{titled.group(1)} — {titled.group(2)}".rstrip(" —")
                elif line.startswith("#"):
                    heading = line.lstrip("#").strip()  # the question a written answer belongs to
    return NotebookReport(found.stem, tuple(states))


def verifier_carnet(chemin: str | os.PathLike | None = None) -> NotebookReport | None:
    """Vérifier mon carnet : les réponses prêtes et celles à reprendre, avant de rendre."""
    if os.environ.get("NBGRADER_EXECUTION"):  # a grading run: the grade says it all, nothing to show
        return None
    try:
        return notebook_report(chemin)
    except Exception:  # noqa: BLE001 - never an error in the learner's last cell
        return NotebookReport("", (), "La vérification du carnet a échoué : le carnet enregistré n'a pas la forme "
                                      "attendue (une cellule du sujet modifiée ou supprimée ?). Enregistrez-le, puis "
                                      "relancez cette cellule ; si le message revient, montrez-le au formateur.")


__all__ = ["AnswerState", "NotebookReport", "notebook_report", "verifier_carnet"]
