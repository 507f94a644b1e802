"""What a trainer sees during and after `mda grade`: a progress bar and a summary table (rich)."""
from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from mda_checks.grade.cohort import FAILED_TASK, GRADED, SKIPPED, CohortRun
from mda_checks.grade.task import TaskResult


@contextmanager
def grading_progress(total: int, console: Console | None = None):
    """Yield a callback to call once per graded submission."""
    progress = Progress(TextColumn("Correction"), BarColumn(), MofNCompleteColumn(), TextColumn("copies"),
                        TimeElapsedColumn(), TextColumn("reste"), TimeRemainingColumn(),
                        TextColumn("{task.description}"), console=console, transient=False)
    with progress:
        bar = progress.add_task("", total=total)

        def advance(result: TaskResult) -> None:
            label = f"{result.task.student} · {result.task.assignment}" + ("" if result.ok else " (échec)")
            progress.update(bar, advance=1, description=label)

        yield advance


NOTEBOOKS_FAILED = "carnets non corrigés"


def summary_table(run: CohortRun) -> Table:
    """Copies per outcome, and the notebooks that could not be graded, per assignment."""
    table = Table(title="Bilan de la correction", title_justify="left")
    table.add_column("Devoir")
    for column in (GRADED, FAILED_TASK, SKIPPED, NOTEBOOKS_FAILED):
        table.add_column(column.capitalize(), justify="right")
    totals = {GRADED: 0, FAILED_TASK: 0, SKIPPED: 0, NOTEBOOKS_FAILED: 0}
    for assignment, counts in sorted(run.counts.items()):
        counts = {**counts, NOTEBOOKS_FAILED: sum(o.assignment == assignment for o in run.notebook_failures)}
        table.add_row(assignment, *(str(counts[c]) for c in totals))
        for column in totals:
            totals[column] += counts[column]
    table.add_row("Total", *(str(totals[c]) for c in totals), style="bold")
    return table
