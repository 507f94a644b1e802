"""`mda export moodle BLOC`: the grades in the CSV Moodle's grade import reads (Notes › Importer › Fichier CSV).

Moodle's rules (grade/import/csv, lib/csvlib.class.php), and what this file does for each:

- the encoding is chosen on the import page (UTF-8 by default), a byte order mark is dropped: the file is
  UTF-8 without one;
- the separator is chosen there too (virgule by default): commas, values quoted when needed (« " »);
  every line has as many values as the header, the header's names are trimmed;
- each line is one user, found by the column mapped to « Adresse de courriel » (useremail) or « Nom
  d'utilisateur » (username); a line whose user is unknown, or empty, stops the whole import: a learner
  without an address (or without an id) is left out of the file and listed;
- a grade is read by ``unformat_float``: spaces removed, the language's decimal separator replaced by
  a point: grades are written with a decimal point, which every language's Moodle reads; « - » or an
  empty value means « no grade » (a notebook still waiting for a manual grade gets « - »);
- a grade above the site's maximum (100 by default, ``gradepointmax``) is refused: a maximum above
  100 is said when writing;
- feedback is a column mapped to « Feedback de <élément> »; Moodle asks that grades and feedback of an
  item be imported together.

Columns: the identifier, the learner's name (to check the preview; map it to « Ignorer »), one column
per notebook of the bloc and one for the bloc's total, each named with its maximum (« bloc1 — total
(sur 101) »), and the feedback (proposal and decision of the jury, CE acquired).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry

from mda_apprenant.check.formatting import format_points
from mda_checks.course import Course
from mda_checks.report.competencies import ACQUIRED

EMAIL, USERNAME = "email", "username"
IDENTIFIER_HEADERS = {EMAIL: "Adresse e-mail", USERNAME: "Nom d'utilisateur"}
NO_GRADE = "-"
MOODLE_DEFAULT_MAXIMUM = 100.0


def moodle_number(value: float) -> str:
    """97.5 -> '97.5', 12.0 -> '12': a decimal point, which Moodle reads in every language."""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def clean_text(text: str) -> str:
    """One line, no backslash (PHP's fgetcsv reads « \\" » as an escaped quote)."""
    return " ".join(str(text).replace("\\", "/").split())


@dataclass
class MoodleExport:
    path: Path
    learners: int
    items: list[str]
    left_out: list[str] = field(default_factory=list)   # learners without the identifier
    ungraded: int = 0                                    # values written « - » (a manual grade missing)
    above_100: list[str] = field(default_factory=list)   # items whose maximum exceeds Moodle's default

    def summary(self, root: Path) -> list[str]:
        lines = [f"Export Moodle : {self.path.relative_to(root) if self.path.is_relative_to(root) else self.path} — "
                 f"{self.learners} apprenant(s), {len(self.items)} élément(s) de note "
                 f"({', '.join(self.items)}) et un commentaire."]
        if self.ungraded:
            lines.append(f"{self.ungraded} note(s) écrite(s) « {NO_GRADE} » (pas de note : une note manuelle manque "
                         "encore) ; Moodle laisse ces cases vides.")
        if self.left_out:
            lines.append(f"Absent(s) du fichier, faute d'identifiant Moodle : {', '.join(self.left_out)} ; complétez la "
                         "liste des apprenants (`mda apprenants`), puis relancez.")
        if self.above_100:
            lines.append(f"Maximum au-dessus de 100 : {', '.join(self.above_100)} ; créez ces éléments dans Moodle avec "
                         "ce maximum (Administration du site › Notes › Réglages généraux : « Notes illimitées »).")
        lines.append("Dans Moodle : Notes › Importer › Fichier CSV, codage UTF-8, séparateur « virgule » ; voir "
                     "docs/jury.md (« `mda export moodle BLOC` ») pour l'association des colonnes.")
        return lines


def export_rows(course: Course, db_url: str, assignment: str, identifier: str,
                feedback: dict[str, str]) -> tuple[list[str], list[list[str]], MoodleExport]:
    """The header, the lines and what was left out, from the gradebook."""
    if identifier not in IDENTIFIER_HEADERS:
        raise ValueError(f"identifiant « {identifier} » inconnu (identifiants possibles : {', '.join(IDENTIFIER_HEADERS)})")
    with Gradebook(db_url) as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(f"le devoir {assignment} n'est pas dans le carnet de notes : lancez d'abord `mda build`") \
                from None
        notebooks = [(nb.name, float(nb.max_score)) for nb in found.notebooks]
        submissions = sorted(found.submissions, key=lambda s: s.student_id)
        if not submissions:
            raise ValueError(f"aucune copie corrigée de {assignment} : lancez d'abord `mda grade`")
        total = sum(maximum for _, maximum in notebooks)
        items = [f"{assignment} — {name} (sur {format_points(maximum)})" for name, maximum in notebooks]
        items.append(f"{assignment} — total (sur {format_points(total)})")
        header = [IDENTIFIER_HEADERS[identifier], "Nom", *items, f"{assignment} — commentaire"]
        report = MoodleExport(Path(), 0, items,
                              above_100=[i for i, m in zip(items, [m for _, m in notebooks] + [total])
                                         if m > MOODLE_DEFAULT_MAXIMUM])
        seen: dict[Any, Any]
        rows, seen = [], {}
        for submission in submissions:
            student = submission.student
            key = (student.email or "").strip() if identifier == EMAIL else student.id.lower()
            if not key:
                report.left_out.append(student.id)
                continue
            if key in seen:
                raise ValueError(f"{student.id} et {seen[key]} ont le même identifiant Moodle « {key} » : Moodle "
                                 "noterait deux fois le même compte ; corrigez la liste des apprenants")
            seen[key] = student.id
            name = " ".join(p for p in (student.first_name, student.last_name) if p) or student.id
            by_name = {nb.name: nb for nb in submission.notebooks}
            values = []
            for notebook, _ in notebooks:
                graded = by_name.get(notebook)
                if graded is None or graded.needs_manual_grade:
                    values.append(NO_GRADE)
                else:
                    values.append(moodle_number(graded.score))
            values.append(NO_GRADE if submission.needs_manual_grade else moodle_number(submission.score))
            report.ungraded += values.count(NO_GRADE)
            rows.append([key, clean_text(name), *values, clean_text(feedback.get(student.id, ""))])
    report.learners = len(rows)
    return header, rows, report


def moodle_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def feedback_texts(course: Course, assignment: str) -> dict[str, str]:
    """Per learner: the CE acquired, the jury's proposal and, once recorded, its decision."""
    from mda_checks.jury.overview import jury_overview
    from mda_checks.jury.convene import graded_grid

    grid = graded_grid(course, assignment)
    overview = jury_overview(course, grid)
    texts = {}
    for student, rows in grid.groupby("apprenant"):
        acquired = int((rows["statut"] == ACQUIRED).sum())
        line = overview.get((student, assignment))
        parts = [f"Critères d'évaluation acquis : {acquired} sur {len(rows)}."]
        if line:
            parts.append(f"Proposition au jury : {line.proposition}.")
            parts.append(f"Décision du jury : {line.decision} ({line.decided_on})." if line.decision else
                         "Décision du jury : pas encore prise.")
        texts[student] = " ".join(parts)
    return texts


def export_moodle(course: Course, assignment: str, identifier: str = EMAIL, path: Path | None = None) -> MoodleExport:
    """exports/moodle_<assignment>.csv, from the gradebook and the jury's register."""
    from mda_checks.nbgrader_api import course_directory

    db_url = course_directory(course.root).db_url
    feedback = feedback_texts(course, assignment)
    header, rows, report = export_rows(course, db_url, assignment, identifier, feedback)
    path = path or course.step("exports") / f"moodle_{assignment}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(moodle_csv(header, rows).encode("utf-8"))
    report.path = path
    return report
