"""The answer base class: self-check for learners, guarded grading for nbgrader."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from mda_apprenant.check.cell_errors import FIX_HINT, CellError
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.handover import MIME_TYPE, serialise
from mda_apprenant.check.result import CheckResult, Status


class InvalidAnswer(Exception):
    """The answer cannot be graded as given; the message says why, in French."""

    def __init__(self, message: str, hint: str | None = None, status: Status = Status.INVALID):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status


def not_answered() -> InvalidAnswer:
    return InvalidAnswer(
        "La variable vaut encore « ... » : la question n'est pas traitée (ou sa cellule de réponse, modifiée, "
        "n'a pas été réexécutée).",
        "Remplacez « ... » par votre calcul dans la cellule de réponse, exécutez-la, puis réexécutez cette cellule.",
        Status.MISSING,
    )


def raised(error: CellError) -> InvalidAnswer:
    """The answer's cell raised: the same sentence in the check cell, « Vérifier mon carnet » and the grade."""
    return InvalidAnswer(error.sentence(), FIX_HINT, Status.RAISED)


class Answer:
    """A learner's answer and the kind of value it must be.

    Displaying an answer (last line of a test cell) shows a self-check of its
    form that never needs the expected value, and hands the raw value over as
    data (``mda_apprenant.check.handover``). ``grade`` runs on the grader's side
    only, on an answer rebuilt from that data; it never raises.
    """

    #: French description of the expected form, used in messages
    expects: str = "une valeur"  # a class default; some answers set their own (a unit in the text)

    def __init__(self, label: str, value: Any):
        self.label = label
        self.value = value

    # -- to be provided by each kind ------------------------------------------
    def coerce(self) -> Any:
        """The value in canonical form, or raise InvalidAnswer."""
        raise NotImplementedError

    def preview(self, value: Any) -> str:
        """How the learner's value is echoed back (never the expected one)."""
        return ""

    def advise(self, value: Any) -> str | None:
        """A warning about a value whose form is valid but that is most likely not what is asked
        (a rate written as a percentage, a chart without a title): the self-check shows ⚠."""
        return None

    def compare(self, value: Any, expected: Expected, points: float) -> CheckResult:
        raise NotImplementedError

    # -- shared behaviour ------------------------------------------------------
    def precheck(self) -> CheckResult:
        """Self-check of the form only: the learner's copy has no expected value."""
        try:
            if isinstance(self.value, CellError):
                raise raised(self.value)
            with _quiet():
                value = self.coerce()
                hint = self.advise(value)
        except InvalidAnswer as problem:
            return CheckResult(self.label, problem.status, problem.message, hint=problem.hint)
        except Exception as exc:  # noqa: BLE001 - a learner's object can fail in any way
            return self._crashed(exc)
        if hint:  # readable, but most likely not what the question asks: say so before submission
            return CheckResult(
                self.label,
                Status.TO_CHECK,
                f"{self.preview(value)} Forme lisible ({self.expects}), mais à vérifier avant de rendre.".lstrip(),
                hint=hint,
            )
        return CheckResult(
            self.label,
            Status.FORMAT_OK,
            f"{self.preview(value)} Forme attendue respectée ({self.expects}) ; "
            "la valeur sera vérifiée lors de la correction.".lstrip(),
        )

    def grade(self, expected: Expected | Any, points: float) -> CheckResult:
        """Score the answer out of `points` against `expected` (on the grader's side only)."""
        if not isinstance(expected, Expected):
            expected = Expected(expected)
        try:
            if isinstance(self.value, CellError):
                raise raised(self.value)
            with _quiet():
                value = self.coerce()
                return self.compare(value, expected, float(points))
        except InvalidAnswer as problem:
            return CheckResult(self.label, problem.status, problem.message, 0.0, float(points), problem.hint)
        except MemoryError:  # the grader's limit, not the answer's form: the bounded scoring names it
            raise
        except Exception as exc:  # noqa: BLE001 - a learner's object can fail in any way
            return self._crashed(exc, float(points))

    def _crashed(self, exc: Exception, points: float | None = None) -> CheckResult:
        return CheckResult(
            self.label,
            Status.INVALID,
            f"La réponse n'a pas pu être vérifiée ({type(exc).__name__}).",
            0.0 if points is not None else None,
            points,
            f"Attendu : {self.expects}.",
        )

    def result(self, status: Status, message: str, score: float, points: float, hint: str | None = None,
               slip: str | None = None):
        return CheckResult(self.label, status, message, round(score, 2), points, hint, slip)

    def mistaken(self, shown: str, mistake: Mistake, points: float, share: float = 0.0) -> CheckResult:
        """A recognised mistake: its cause, and the better of its barème credit and ``share``."""
        score = max(mistake.credit, share)
        status = Status.PARTIAL if score > 0 else Status.WRONG
        message = f"{shown} Cause probable : {mistake.cause}".lstrip()
        if share > mistake.credit:
            message += " Vous gardez la part de vos valeurs justes, supérieure à celle de cette erreur."
        return self.result(status, message, points * score, points, slip=mistake.slip)

    def handover_value(self) -> Any:
        """The value handed over to the grader (see ``mda_apprenant.check.handover``)."""
        return self.value

    def handed_answer(self) -> Answer:
        """The answer whose kind and options are handed over (``Carried`` hands over the one it wraps)."""
        return self

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The self-check for the learner, and the answer handed over as data for the grader."""
        with _quiet():
            handed = serialise(self)  # first, and on its own: a failing self-check never loses it
        try:
            result = self.precheck()
            plain, page = repr(result), result._repr_html_()
        except Exception as exc:  # noqa: BLE001 - e.g. a library broken by the learner's own code
            plain = page = f"{self.label} : la vérification de forme a échoué ({type(exc).__name__})."
        return {"text/plain": plain, "text/html": page, MIME_TYPE: handed}

    def _repr_html_(self) -> str:
        return self.precheck()._repr_html_()

    def __repr__(self) -> str:
        return repr(self.precheck())


class _quiet:  # noqa: N801 - used as a function: with _quiet(): …
    """Silence warnings (they would land on stderr and zero the cell in nbgrader)."""

    def __enter__(self):
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._errstate = np.errstate(all="ignore")
        self._errstate.__enter__()

    def __exit__(self, *exc_info):
        self._errstate.__exit__(*exc_info)
        return self._warnings.__exit__(*exc_info)
