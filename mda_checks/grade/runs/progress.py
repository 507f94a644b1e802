"""What a trainer sees during and after `mda grade`: a progress bar and a summary table (rich)."""
from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from mda_checks.grade.runs.cohort import CohortRun
from mda_checks.grade.runs.task import TaskResult
from mda_checks.referentiel import bloc_label
from mda_checks.statuses import CopyOutcome


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
    """Copies per outcome, and the notebooks non corrigés (``mda_checks.grade.ungraded``), per bloc."""
    table = Table(title="Bilan de la correction", title_justify="left")
    table.add_column("Bloc")
    for column in (*CopyOutcome, NOTEBOOKS_FAILED):
        table.add_column(column.capitalize(), justify="right")
    totals: dict[str, int] = {**{outcome: 0 for outcome in CopyOutcome}, NOTEBOOKS_FAILED: 0}
    assignments = sorted(set(run.counts) | {u.assignment for u in run.ungraded})
    for assignment in assignments:
        counts = {**run.counts.get(assignment, {outcome: 0 for outcome in CopyOutcome}),
                  NOTEBOOKS_FAILED: sum(u.assignment == assignment for u in run.ungraded)}
        table.add_row(bloc_label(assignment), *(str(counts[c]) for c in totals))
        for column in totals:
            totals[column] += counts[column]
    table.add_row("Total", *(str(totals[c]) for c in totals), style="bold")
    return table


def ungraded_lines(run: CohortRun) -> list[str]:
    """Every notebook non corrigé, named (learner, bloc, notebook, reason), then what happens to them."""
    lines = [f"[bold]Carnet non corrigé[/bold] {escape(u.student)} · {bloc_label(u.assignment)} · {escape(u.notebook)} : "
             f"{escape(u.reason)}" for u in run.ungraded]
    retried = sum(u.retried for u in run.ungraded)
    kept = len(run.ungraded) - retried
    parts = ([f"{retried} en échec, recorrigé(s) à la prochaine exécution de `mda grade`"] if retried else []) + (
        [f"{kept} absent(s), vide(s) ou illisible(s) tel(s) que rendu(s), à 0 jusqu'à un nouveau rendu"] if kept else [])
    if parts:
        lines.append(f"{len(run.ungraded)} carnet(s) non corrigé(s), à 0 point automatique : " + " ; ".join(parts) + ".")
    return lines
