"""All answer kinds, in one import for the notebooks' test cells."""
from mda_apprenant.check.carried import Carried
from mda_apprenant.check.figures import FigureAnswer
from mda_apprenant.check.files import ExcelTable
from mda_apprenant.check.schedules import DateTable
from mda_apprenant.check.scalars import Amount, Choice, DateValue, Duration, Quantity, Rate, Ratio
from mda_apprenant.check.tables import Selection, Table

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
