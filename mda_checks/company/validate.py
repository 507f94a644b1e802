"""Validate a host-company dossier against its contract: every finding in French, with file, line and column.

Each CSV row is read as text (``csv``, so that a line number is the file's own), its cells are converted
by the column's kind (a cell that does not convert stays text, and the schema reports it), and the row
is validated against the file's row schema (``contract.row_schema``); the table rules
follow. Valid rows are checked by ``jsonschema-rs`` (fast); an invalid one again by ``jsonschema``, whose
errors name each column. Nothing is changed in the dossier.
"""
from __future__ import annotations

import csv
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator

from mda_checks.company.contract import (KINDS, MARKUP, PERIOD, PLAUSIBILITY, STRUCTURE, Column, FileContract,
                                         TableRule, contract, row_schema)
from mda_checks.config import COMPANY_FILE_MAX_BYTES

#: findings shown per file, column and rule; the rest are counted
SHOWN = 5
INTEGER = re.compile(r"^-?\d+(\.0+)?$")


@dataclass(frozen=True)
class Finding:
    """One thing to fix: where (file, line, column), what, and which rule (``contract`` ids)."""

    file: str
    line: int | None
    column: str | None
    message: str
    rule: str

    @property
    def waivable(self) -> bool:
        return self.rule in PLAUSIBILITY

    def text(self) -> str:
        where = [self.file] + ([f"ligne {self.line}"] if self.line else []) + (
            [f"colonne « {self.column} »"] if self.column else [])
        return f"{', '.join(where)} : {self.message}"


def _convert(text: str, column: Column):
    """A cell as JSON: None when empty, a number for a numeric kind when it reads as one, else the text."""
    text = text.strip()
    if text == "":
        return None
    json_type = KINDS[column.kind][0]
    if json_type == "integer" and INTEGER.match(text):
        return int(float(text))
    if json_type == "number":
        try:
            value = float(text)
        except ValueError:
            return text
        return value if math.isfinite(value) and not text.lower().startswith(("nan", "inf", "-inf")) else text
    return text


def _describe(error, column: Column, cell: str) -> tuple[str, str]:
    """(French message, rule id) of a jsonschema error on one cell."""
    shown = f"« {cell} »" if cell.strip() else "la case est vide"
    expected = KINDS[column.kind][1]
    if error.validator in ("exclusiveMinimum", "minimum"):
        word = "strictement positif" if error.validator == "exclusiveMinimum" else "positif ou nul"
        return f"{shown} : la valeur doit être {word} ({column.unit or 'quantité'})", "signe"
    if error.validator == "enum" or (error.validator == "anyOf" and column.values and cell.strip()):
        return f"{shown} n'est pas une valeur autorisée (valeurs : {', '.join(map(str, column.values))})", "valeurs"
    if not cell.strip():
        return f"{shown} : il faut {expected}", "type"
    if column.kind in ("texte", "identifiant") and any(c in MARKUP for c in cell):
        found = " ".join(sorted({c for c in cell if c in MARKUP}))
        return f"{shown} contient {found} : un texte du dossier ne contient ni balise, ni accolade, ni accent grave", "type"
    hint = " ; écrivez les nombres avec un point décimal, sans espace" if re.search(r"\d[ ,\u00a0]\d", cell) else ""
    return f"{shown} n'est pas {expected}{hint}", "type"


def _read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]] | Finding:
    if path.is_symlink() or not path.is_file():  # a link could bring any file of the trainer's machine into a copy
        return Finding(path.name, None, None, "ce n'est pas un fichier ordinaire (lien ou dossier) : remettez le "
                                              "fichier lui-même", "fichier")
    if path.stat().st_size > COMPANY_FILE_MAX_BYTES:
        return Finding(path.name, None, None, f"fichier trop volumineux (plus de {COMPANY_FILE_MAX_BYTES // 1_000_000} "
                                              "Mo) : refusé sans être lu", "fichier")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return Finding(path.name, None, None, "le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »", "fichier")
    reader = csv.reader(text.splitlines())
    rows = []
    header: list[str] = []
    for cells in reader:
        if not header:
            header = [cell.strip() for cell in cells]
            continue
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    if len(header) == 1 and ";" in header[0]:
        return Finding(path.name, 1, None, "les colonnes sont séparées par des points-virgules : enregistrez le "
                                           "fichier en CSV séparé par des virgules, avec le point décimal", "fichier")
    return header, rows


def _check_rows(file: FileContract, header: list[str], rows) -> tuple[list[Finding], dict[str, list]]:
    findings: list[Finding] = []
    columns = {c.name: c for c in file.columns}
    schemas = [row_schema(file), row_schema(file, plausibility=True)]
    fast = [jsonschema_rs.validator_for(schema) for schema in schemas]  # most rows are valid: checked in Rust
    detailed = [Draft202012Validator(schema) for schema in schemas]  # an invalid row: every error, by column
    values: dict[str, list] = {name: [] for name in columns}
    for line, cells in rows:
        if len(cells) != len(header):
            findings.append(Finding(file.name, line, None, f"{len(cells)} valeurs pour {len(header)} colonnes : une "
                                    "virgule dans un nombre (« 12 000,50 ») ou une valeur manquante ?", "colonnes"))
            continue
        raw = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name in columns}
        row = {name: _convert(text, columns[name]) for name, text in raw.items()}
        bad = set()
        for quick, validator in zip(fast, detailed):
            if quick.is_valid(row):
                continue
            for error in validator.iter_errors(row):
                name = error.path[0] if error.path else None
                if name is None or name in bad:
                    continue
                bad.add(name)
                message, rule = _describe(error, columns[name], raw[name])
                findings.append(Finding(file.name, line, name, message, rule))
        for name, column in columns.items():
            value = row.get(name)
            if column.in_period and name not in bad and value is not None and not PERIOD[0] <= value <= PERIOD[1]:
                findings.append(Finding(file.name, line, name, f"« {value} » est hors de la période étudiée "
                                        f"({PERIOD[0]} au {PERIOD[1]})", "periode"))
            values[name].append((line, value))
    return findings, values


def _check_table(file: FileContract, rule: TableRule, values: dict[str, list],
                 tables: dict[str, dict[str, list]]) -> list[Finding]:
    column, out = rule.column, []
    if rule.kind == "min_rows":
        count = len(next(iter(values.values()), []))
        if count < rule.value:
            out.append(Finding(file.name, None, None, f"{count} ligne(s) : il en faut au moins {rule.value} pour "
                               f"l'analyse ({file.what})", rule.rule))
    elif rule.kind == "varies":
        distinct = {v for _, v in values[column] if v is not None}
        if len(values[column]) > 1 and len(distinct) == 1:
            out.append(Finding(file.name, None, column, f"toutes les valeurs sont égales ({distinct.pop()}) : "
                               "l'analyse ne distinguerait rien ; vérifiez l'extraction", rule.rule))
    elif rule.kind == "unique":
        first: dict = {}
        for line, value in values[column]:
            if value is not None and value in first:
                out.append(Finding(file.name, line, column, f"« {value} » apparaît déjà ligne {first[value]} : "
                                   "chaque identifiant est unique", rule.rule))
            first.setdefault(value, line)
    elif rule.kind == "known":
        other_file, other_column = rule.value
        known = {v for _, v in tables.get(other_file, {}).get(other_column, [])}
        if known:
            out += [Finding(file.name, line, column, f"« {value} » est absent de {other_file} (colonne "
                            f"« {other_column} »)", rule.rule) for line, value in values[column] if value not in known]
    elif rule.kind == "parameters":
        present = {v for _, v in values["parametre"]}
        out += [Finding(file.name, None, "parametre", f"le paramètre « {name} » manque : ajoutez sa ligne", rule.rule)
                for name in rule.value if name not in present]
    elif rule.kind == "company_row":
        identity = dict(zip([v for _, v in tables.get("entreprise.csv", {}).get("parametre", [])],
                            [v for _, v in tables.get("entreprise.csv", {}).get("valeur", [])]))
        name = identity.get("entreprise")
        if name and name not in {v for _, v in values[column]}:
            out.append(Finding(file.name, None, column, f"l'entreprise « {name} » (entreprise.csv) n'a pas sa ligne : "
                               "ajoutez-la, à ce nom", rule.rule))
        elif name and rule.value:
            out += _blank_on_company_row(file, column, rule, name, values)
    elif rule.kind == "required_value":
        if rule.value not in {v for _, v in values[column]}:
            out.append(Finding(file.name, None, column, f"une ligne doit porter la valeur « {rule.value} »", rule.rule))
    return out


def _blank_on_company_row(file: FileContract, column: str, rule: TableRule, name: str,
                          values: dict[str, list]) -> list[Finding]:
    """`rule.value` is empty on the company's row and filled on every other: the notebook finds the company by it."""
    blank, out = rule.value, []
    filled = {line: value is not None for line, value in values[blank]}
    for line, value in values[column]:
        if value == name and filled.get(line):
            out.append(Finding(file.name, line, blank, f"la ligne de l'entreprise « {name} » doit laisser cette "
                               "colonne vide : c'est le montant que l'apprenant calcule", rule.rule))
        elif value != name and not filled.get(line, True):
            out.append(Finding(file.name, line, blank, f"vide : seule la ligne de l'entreprise « {name} » l'est ; "
                               "donnez le montant de ce concurrent", rule.rule))
    return out


def _limited(findings: list[Finding]) -> list[Finding]:
    """At most SHOWN findings per (file, column, rule), then one line counting the others."""
    kept: list[Finding] = []
    seen: Counter = Counter()
    for finding in findings:
        key = (finding.file, finding.column, finding.rule)
        seen[key] += 1
        if seen[key] <= SHOWN:
            kept.append(finding)
    for (file, column, rule), count in seen.items():
        if count > SHOWN:
            kept.append(Finding(file, None, column, f"… et {count - SHOWN} autre(s) ligne(s) avec la même erreur", rule))
    return kept


def validate_dossier(assignment: str, folder: Path | str) -> list[Finding]:
    """Every finding of the dossier in `folder` against the contract of `assignment` (empty: valid)."""
    folder, findings, tables = Path(folder), [], {}
    for file in contract(assignment):
        path = folder / file.name
        if not os.path.lexists(path):
            findings.append(Finding(file.name, None, None, f"fichier absent ({file.what})", "fichier"))
            continue
        read = _read(path)
        if isinstance(read, Finding):
            findings.append(read)
            continue
        header, rows = read
        missing = [c.name for c in file.columns if c.name not in header]
        if missing:
            findings += [Finding(file.name, 1, name, "colonne absente de la ligne d'en-tête", "colonnes") for name in missing]
            continue
        row_findings, values = _check_rows(file, header, rows)
        findings += row_findings
        tables[file.name] = values
    for file in contract(assignment):
        if file.name in tables:
            for rule in file.rules:
                findings += _check_table(file, rule, tables[file.name], tables)
    return _limited(findings)


def rule_label(rule: str) -> str:
    return PLAUSIBILITY.get(rule) or STRUCTURE.get(rule, rule)
