"""Checks for the « Manager d'affaires » workbooks.

Learners meet this package in the test cells of their notebooks: each answer is
wrapped in an answer object (``Rate``, ``Amount``, ``Table`` …) that checks its
form right away. Grading compares it with the expected value, which only the
grader's hidden tests know.
"""
from mda_checks.check.answers import (
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
from mda_checks.check.result import CheckResult, Status

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
]
