"""`mda copies [DEVOIR ...]` and the line `mda grade` ends with: detect, then write the trainer's files."""
from __future__ import annotations

from pathlib import Path

from mda_checks.copies.detection import Findings, detect_copies
from mda_checks.copies.export import CSV_NAME, write_findings
from mda_checks.course import Course


def graded_assignments(course: Course, assignments: list[str] | None = None) -> list[str]:
    """The assignments (among `assignments`, all by default) that have at least one graded copy."""
    graded = course.step("autograded")
    return [a for a in (assignments or course.assignments()) if any(p.is_dir() for p in graded.glob(f"*/{a}"))]


def find_copies(course: Course, assignments: list[str] | None = None) -> tuple[list[Findings], Path]:
    """Detect copies in the graded assignments and write exports/soupcons_copie.csv (and its detail)."""
    found = [detect_copies(course, assignment) for assignment in graded_assignments(course, assignments)]
    csv_path, _ = write_findings(course, found)
    return found, csv_path


def try_find_copies(course: Course, assignments: list[str] | None = None) -> str:
    """find_copies for a step whose own work must go on (`mda report`): '' when done, else why not, in French."""
    try:
        find_copies(course, assignments)
    except Exception as problem:  # noqa: BLE001 - the reports are written all the same
        return f"comparaison impossible ({type(problem).__name__}: {problem}) ; relancez `mda copies`"
    return ""


def grading_line(course: Course, assignments: list[str] | None = None) -> str:
    """The summary `mda grade` prints: how many suspicions, where to read them; never an error."""
    try:
        found, csv_path = find_copies(course, assignments)
    except Exception as problem:  # noqa: BLE001 - grading is done; detection only informs the trainer
        return (f"Copies entre apprenants : comparaison impossible ({type(problem).__name__}: {problem}) ; "
                "relancez `mda copies`.")
    if not found:
        return "Copies entre apprenants : aucune copie corrigée à comparer."
    count = sum(len(f.suspicions) for f in found)
    where = csv_path.relative_to(course.root) if csv_path.is_relative_to(course.root) else csv_path
    detail = ", ".join(f"{f.assignment} : {len(f.suspicions)}" for f in found)
    if not count:
        return f"Copies entre apprenants : aucun soupçon ({detail}) ; {where}."
    return (f"Copies entre apprenants : {count} soupçon(s) ({detail}), à examiner (aucune note n'est changée) : "
            f"`mda copies` ou {where}.")


__all__ = ["CSV_NAME", "find_copies", "grading_line", "graded_assignments", "try_find_copies"]
