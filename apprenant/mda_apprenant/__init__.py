"""The learner runtime of the « Manager d'affaires » workbooks: what a learner's kernel imports.

Learners meet this package in the check cells of their notebooks: each answer is
wrapped in an answer object (``Rate``, ``Amount``, ``Table`` …) that checks its
form right away and hands the answer over as data. Grading compares that data with
the expected value outside the learner's kernel, on the trainer's side (``mda_checks.scoring``,
another distribution this package never imports).
"""
from mda_apprenant.check.answers import (
    Amount,
    Carried,
    Choice,
    DateTable,
    DateValue,
    Duration,
    ExcelTable,
    FigureAnswer,
    Quantity,
    Rate,
    Ratio,
    Selection,
    Table,
)
from mda_apprenant.check.error_display import install as _explain_errors_in_french
from mda_apprenant.check.notebook_check import verifier_carnet
from mda_apprenant.check.result import CheckResult, Status

_explain_errors_in_french()  # in a learner's kernel: errors explained in French (mda_apprenant.check.error_display)

__all__ = [
    "Amount",
    "Carried",
    "CheckResult",
    "Choice",
    "DateTable",
    "DateValue",
    "Duration",
    "ExcelTable",
    "FigureAnswer",
    "Quantity",
    "Rate",
    "Ratio",
    "Selection",
    "Status",
    "Table",
    "verifier_carnet",
]
