"""The status words the trainer's side records and shows, one enum per concept.

Each value is the French word written in a file (grading journal, collection journal, reports,
jury registers) or shown to a trainer: files already on disk hold these words, so a value never
changes (``tests/test_statuses.py`` keeps them). ``StrEnum``: a member is its word wherever it is
written (CSV, JSON, Excel, f-strings) and equals the plain string read back from a file.
A check's result (what a learner reads) has its own enum, ``mda_apprenant.check.result.Status``.
"""
from __future__ import annotations

from enum import StrEnum


class NotebookStatus(StrEnum):
    """How one notebook of one submission came out of grading (the grading journal's « statut »)."""

    GRADED = "corrigé"
    GRADED_WITH_NOTES = "corrigé avec remarques"
    NOT_GRADED = "non corrigé"  # absent, empty, unreadable or too large as handed in
    FAILED = "échec"  # its grading failed (dead kernel, time …): graded again on the next run


class CopyOutcome(StrEnum):
    """What a grading run did with one submission (the columns of `mda grade`'s summary)."""

    GRADED = "corrigées"
    FAILED = "en échec"
    SKIPPED = "ignorées (inchangées)"


class NotebookFile(StrEnum):
    """What an expected notebook of a submission is, before grading."""

    GRADABLE = "à corriger"
    MISSING = "absent"
    UNREADABLE = "illisible"
    TOO_LARGE = "trop volumineux"


class CollectStatus(StrEnum):
    """What collection did with one learner's folder of the exchange (the collection journal)."""

    COLLECTED = "collecté"
    UPDATED = "mis à jour"
    UNCHANGED = "inchangé"
    REFUSED = "refusé"
    REPORTED = "signalé"


class CriterionStatus(StrEnum):
    """One learner's evaluation criterion (CE) in the reports, from the points of its cells."""

    ACQUIRED = "acquis"
    NOT_ACQUIRED = "non acquis"
    PENDING = "en attente"
    NOT_ASSESSED = "non évalué"


class CompetenceStatus(StrEnum):
    """One competence of a bloc for one candidate, proposed to the jury from its criteria."""

    ACQUIRED = "acquise"
    NOT_ACQUIRED = "non acquise"
    PENDING = "en attente"
    NOT_ASSESSED = "non évaluée"


class BlocProposal(StrEnum):
    """What the rules propose to the jury for one candidate's bloc."""

    VALIDATED = "validé"
    NOT_VALIDATED = "non validé"
    WAITING = "en attente"


class JuryDecision(StrEnum):
    """What the jury decided for one candidate's bloc (its register)."""

    VALIDATED = "validé"
    NOT_VALIDATED = "non validé"
    DEFERRED = "ajourné"
