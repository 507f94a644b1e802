"""The result of one check: the score nbgrader reads and the message a learner reads."""
from __future__ import annotations

import html
from dataclasses import dataclass
from enum import Enum

from mda_apprenant.check.formatting import format_points


class Status(str, Enum):
    """What the check concluded, in the words shown to learners."""

    CORRECT = "correct"
    PARTIAL = "partiellement correct"
    WRONG = "incorrect"
    INVALID = "format non valide"
    MISSING = "non traité"
    FORMAT_OK = "format valide"
    TO_CHECK = "à vérifier"
    RAISED = "erreur d'exécution"  # the answer's cell raised (mda_apprenant.check.cell_errors)
    NOT_RUN = "non vérifié"  # the check cell handed nothing over (not run, display turned off …)


#: CSS class of each status: the feedback page (sanitized: no inline style) styles them
CSS_CLASS = {
    "correct": "mda-juste", "partiellement correct": "mda-partiel", "incorrect": "mda-faux",
    "format non valide": "mda-invalide", "non traité": "mda-non-traite", "format valide": "mda-format",
    "à vérifier": "mda-a-verifier", "erreur d'exécution": "mda-erreur",
    "non vérifié": "mda-non-verifie",
}

_STYLE = {
    # status: (icon, border colour, background) – the icon and words carry the
    # meaning, colour only repeats it (readable in greyscale and by colour-blind readers)
    Status.CORRECT: ("✔", "#1b7837", "#eef7ef"),
    Status.PARTIAL: ("◐", "#b35806", "#fdf3e7"),
    Status.WRONG: ("✘", "#b2182b", "#fbeceb"),
    Status.INVALID: ("⚠", "#b2182b", "#fbeceb"),
    Status.MISSING: ("…", "#4d4d4d", "#f2f2f2"),
    Status.FORMAT_OK: ("✔", "#2166ac", "#edf3fa"),
    Status.TO_CHECK: ("⚠", "#b35806", "#fdf3e7"),
    Status.RAISED: ("⚠", "#b2182b", "#fbeceb"),
    Status.NOT_RUN: ("…", "#4d4d4d", "#f2f2f2"),
}


@dataclass(frozen=True, repr=False)
class CheckResult:
    """Outcome of checking one answer.

    When the result is a cell's last expression, nbgrader reads its plain-text
    form as the cell's score, while JupyterLab and the feedback page show the
    HTML message. A learner's self-check has no score (``score is None``).
    """

    label: str
    status: Status
    message: str
    score: float | None = None
    points: float | None = None
    hint: str | None = None
    #: the barème's slip a recognised mistake names (``mda_apprenant.bareme.SLIPS``), None otherwise
    slip: str | None = None

    @property
    def graded(self) -> bool:
        return self.score is not None

    def to_data(self) -> dict:
        """The result as JSON data (the bounded scoring sends it from a child process)."""
        return {"label": self.label, "status": self.status.value, "message": self.message, "score": self.score,
                "points": self.points, "hint": self.hint, "slip": self.slip}

    @classmethod
    def from_data(cls, data: dict) -> CheckResult:
        return cls(data["label"], Status(data["status"]), data["message"], data["score"], data["points"],
                   data["hint"], data.get("slip"))

    def __repr__(self) -> str:
        if self.score is None:
            return f"{self.label} : {self.status.value}. {self.message}"
        return format(round(self.score, 4), "g")

    def text(self) -> str:
        """The message as plain French text (for logs and reports)."""
        parts = [f"{self.label} : {self.status.value}.", self.message]
        if self.hint:
            parts.append(self.hint)
        if self.graded:
            parts.append(f"Score : {format_points(self.score)} / {format_points(self.points)}.")
        return " ".join(p for p in parts if p)

    def _repr_html_(self) -> str:
        icon, colour, background = _STYLE[self.status]
        lines = [
            f'<div class="mda-check {CSS_CLASS[self.status.value]}" role="status" '
            f'style="border-left:6px solid {colour};'
            f"background:{background};padding:0.5em 0.8em;margin:0.3em 0;"
            f'font-family:sans-serif;line-height:1.4;color:#111">',
            f"<strong>{icon} {html.escape(self.label)} — {html.escape(self.status.value)}</strong>",
            f"<div>{html.escape(self.message)}</div>",
        ]
        if self.hint:
            lines.append(f"<div><em>Piste : {html.escape(self.hint)}</em></div>")
        if self.graded:
            lines.append(
                f"<div>Score : <strong>{format_points(self.score)} / "
                f"{format_points(self.points)}</strong> point(s)</div>"
            )
        lines.append("</div>")
        return "\n".join(lines)
