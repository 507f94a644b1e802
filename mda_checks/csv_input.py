"""Tables trainers keep in a spreadsheet (the roster, the due dates): CSV files in UTF-8.

A French Excel saves « CSV » with semicolons, an English one with commas: both are read
(the separator is the one the header line uses). Column names are matched without case,
accents, spaces or dashes (« Prénom », « prenom », « E-mail », « email »). Every problem
is reported at once, with its line number, and nothing is used from a file with a problem.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from mda_apprenant.check.scalars import normalise_text

SEPARATORS = (";", ",", "\t")
UTF8_HELP = ("enregistrez-le en « CSV UTF-8 » (dans Excel : Fichier › Enregistrer sous › "
             "« CSV UTF-8 (délimité par des virgules) »)")


class TableError(ValueError):
    """A table that cannot be used: every problem, in French, with its line number."""

    def __init__(self, path: Path, problems: list[str], consequence: str = "rien n'a été importé"):
        self.path = Path(path)
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{self.path.name} : {count} erreur{'s' if count > 1 else ''}, {consequence}"
        super().__init__(heading + "\n" + "\n".join(f"  - {problem}" for problem in self.problems))


@dataclass(frozen=True)
class Column:
    """A column the table must have: its name as written in messages, and the names accepted."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    line: int          # line of the file (the header is line 1)
    values: dict       # column label -> text, stripped


def column_key(text: str) -> str:
    """« Prénom » -> 'prenom', « E-mail » -> 'email': lower case, no accents, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", normalise_text(text))


def _decode(path: Path, consequence: str) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise TableError(path, ["c'est un dossier, pas un fichier CSV"], consequence) from None
    try:
        return data.decode("utf-8-sig")  # Excel's « CSV UTF-8 » starts with a byte order mark
    except UnicodeDecodeError as problem:
        line = data[:problem.start].count(b"\n") + 1
        raise TableError(path, [f"ligne {line} : le fichier n'est pas encodé en UTF-8 ; {UTF8_HELP}"], consequence) from None


def separator(header: str) -> str:
    """The separator the header line uses most (semicolon from a French Excel, comma otherwise)."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(path: Path, columns: list[Column], consequence: str = "rien n'a été importé") -> list[Row]:
    """The rows of a CSV file, with the required `columns` (other columns are ignored).

    Raises TableError listing every problem of the header and of the rows' shape."""
    path = Path(path)
    if not path.is_file() and not path.is_dir():
        raise FileNotFoundError(f"fichier introuvable : {path}")
    text = _decode(path, consequence)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise TableError(path, ["le fichier est vide : la première ligne doit nommer les colonnes "
                                f"({', '.join(c.label for c in columns)})"], consequence)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(next(line for line in lines if line.strip())))
    header: list[str] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = cells
            break
    header_line = reader.line_num
    keys = [column_key(name) for name in header]
    problems, positions = [], {}
    for column in columns:
        found = [index for index, key in enumerate(keys) if key in column.names]
        if not found:
            present = ", ".join(name.strip() for name in header if name.strip())
            problems.append(f"ligne {header_line} : colonne manquante « {column.label} » (colonnes trouvées : {present})")
        elif len(found) > 1:
            problems.append(f"ligne {header_line} : la colonne « {column.label} » apparaît {len(found)} fois")
        else:
            positions[column.label] = found[0]
    if problems:
        raise TableError(path, problems, consequence)
    width = len(header)
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the « ;;; » lines a spreadsheet leaves at the end
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            problems.append(f"ligne {reader.line_num} : {len(cells)} valeurs pour {width} colonnes "
                            "(un séparateur dans une valeur ? mettez-la entre guillemets)")
            continue
        cells = cells + [""] * (width - len(cells))
        rows.append(Row(reader.line_num, {label: cells[index].strip() for label, index in positions.items()}))
    if problems:
        raise TableError(path, problems, consequence)
    return rows
