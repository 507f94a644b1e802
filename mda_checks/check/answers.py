"""All answer kinds, in one import for the notebooks' test cells."""
from mda_checks.check.carried import Carried
from mda_checks.check.figures import FigureAnswer
from mda_checks.check.files import ExcelTable
from mda_checks.check.schedules import DateTable
from mda_checks.check.scalars import Amount, Choice, DateValue, Duration, Quantity, Rate, Ratio
from mda_checks.check.tables import Selection, Table

__all__ = [
    "Amount",
    "Carried",
    "Choice",
    "DateTable",
    "DateValue",
    "ExcelTable",
    "Duration",
    "FigureAnswer",
    "Quantity",
    "Rate",
    "Ratio",
    "Selection",
    "Table",
]
