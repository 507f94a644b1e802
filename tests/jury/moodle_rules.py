"""Moodle's grade import (grade/import/csv/classes/load_data.php, lib/csvlib.class.php), replayed on a file.

What Moodle does, step by step: the text is converted from the chosen encoding, a UTF-8 byte order mark
dropped, line ends made « \\n », the whole trimmed; lines are read with fgetcsv (separator chosen, « " »
as enclosure); a blank line is skipped; every line must have as many values as the header (else
« csvweirdcolumns »), the header's names are trimmed. Then, per line: a line of one value is skipped; the
user is looked up by the mapped field (an unknown or empty user aborts the whole import); a grade value is
trimmed, « - » or empty is « no grade », else spaces are removed and the language's decimal separator
replaced by « . », and it must be numeric (PHP is_numeric) and at most gradepointmax (100 by default).
"""
from __future__ import annotations

import csv
import io
import re

PHP_NUMERIC = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


class ImportAborted(Exception):
    """What Moodle would stop the import with."""


def moodle_import(data: bytes, identifier: str, grades: list[str], feedback: str, users: set[str],
                  encoding: str = "utf-8", delimiter: str = ",", decimal_separator: str = ".",
                  gradepointmax: float = 100.0) -> dict[str, dict]:
    """user -> {grade column: float or None, feedback: text}, or ImportAborted with Moodle's reason."""
    text = data.decode(encoding)
    if "\\" in text:
        raise ImportAborted("a backslash: PHP's fgetcsv reads « \\\" » as an escaped quote")
    text = text.removeprefix("\ufeff")
    text = re.sub(r"\r\n?", "\n", text).strip()
    lines = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
             if not (len(row) == 1 and row[0] == "") and row]
    if not lines:
        raise ImportAborted("csvemptyfile")
    header = [name.strip() for name in lines[0]]
    if any(len(row) != len(header) for row in lines):
        raise ImportAborted("csvweirdcolumns")
    column = {name: index for index, name in enumerate(header)}
    for wanted in [identifier, feedback, *grades]:
        if wanted not in column:
            raise ImportAborted(f"no column « {wanted} » to map")
    imported = {}
    for row in lines[1:]:
        if len(row) <= 1:
            continue
        user = row[column[identifier]].strip()
        if not user or user not in users:
            raise ImportAborted(f"usermappingerror: « {user} »")
        values = {}
        for name in grades:
            value = row[column[name]].strip()
            if value in ("", "-"):
                values[name] = None
                continue
            value = value.replace(" ", "").replace(decimal_separator, ".")
            if not PHP_NUMERIC.match(value):
                raise ImportAborted(f"badgrade: « {row[column[name]]} »")
            if float(value) > gradepointmax:
                raise ImportAborted(f"gradevaluetoobig: {value}")
            values[name] = float(value)
        values[feedback] = row[column[feedback]].strip()
        imported[user] = values
    return imported
