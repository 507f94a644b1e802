"""Grade: autograde submissions robustly and keep a journal of what happened."""
from mda_checks.grade.autograde import NotebookOutcome, autograde_assignment, autograde_submission

__all__ = ["NotebookOutcome", "autograde_assignment", "autograde_submission"]
