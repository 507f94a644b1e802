"""The dashboard's controls (ipywidgets): four filters, the table, one learner's detail, the export.

A thin layer: every figure comes from ``dashboard.py``; this module only builds the controls,
turns their values into ``Filters`` and writes HTML. ``open_dashboard()`` is the one call of
``formateur/tableau_de_bord_promotion.ipynb``.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from mda_apprenant.check.formatting import format_points
from mda_checks.report.charts import LOOKS
from mda_checks.report.competencies import STATUSES, data_label
from mda_checks.report.dashboard import (
    DashboardError, Filters, Promotion, copy_cells, copy_table, export_view, filter_view, learner_detail,
    load_promotion, status_counts, ungraded_table, view_table,
)
from mda_checks.referentiel import bloc_label

#: the value of « every bloc / CE / learner / status » in a drop-down list
ALL = ""
#: rows drawn in the page at most (the export always has every row of the view)
DISPLAY_LIMIT = 400
WIDE = {"description_width": "7em"}
#: columns whose words never break (ids, codes, statuses)
UNBROKEN = {"Apprenant", "Variante", "Carnet", "Cellule", "Données", "Retard", "Groupe"}
#: columns of points (numbers, right-aligned; a group assignment's points per part included)
POINTS = {"Points", "Maximum", "Points du groupe", "Points à l'oral"}

CSS = """<style>
.mda-tableau { border-collapse: collapse; font-size: 0.9em; margin: 0.4em 0; }
.mda-tableau th { background: #2b6a4f; color: #fff; text-align: left; padding: 0.25em 0.5em; }
.mda-tableau td { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
.mda-tableau td.nombre { text-align: right; white-space: nowrap; }
.mda-tableau td.court, .mda-tableau td.statut { white-space: nowrap; }
.mda-note { color: #444; font-style: italic; }
.mda-erreur { border-left: 6px solid #b2182b; background: #fbeceb; padding: 0.5em 0.8em; color: #111; }
</style>"""


class Notice:
    """A French message instead of the dashboard (no course, no gradebook, no graded copy)."""

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        return f'{CSS}<div class="mda-erreur" role="alert">⚠ {html.escape(self.message)}</div>'


def _cell(value, column: str) -> str:
    if column in ("Statut", "Résultat") and value in LOOKS:
        look = LOOKS[value]
        return (f'<td class="statut" data-statut="{html.escape(value)}" '
                f'style="background: {look.background}; color: {look.ink}">{html.escape(value)}</td>')
    if column in POINTS and isinstance(value, (int, float)) and not pd.isna(value):
        return f'<td class="nombre">{format_points(value)}</td>'
    text = html.escape("" if value is None or pd.isna(value) else str(value))
    return f'<td class="court">{text}</td>' if column in UNBROKEN else f"<td>{text}</td>"


def html_table(table: pd.DataFrame, name: str, limit: int | None = None) -> str:
    """A table with French headers; statuses in words (their colour only repeats the word)."""
    shown = table if limit is None else table.head(limit)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(_cell(v, c) for c, v in zip(table.columns, row)) + "</tr>"
                   for row in shown.itertuples(index=False))
    note = (f'<p class="mda-note">Les {limit} premières lignes sur {len(table)} sont affichées ; '
            "l'export Excel les contient toutes.</p>" if limit is not None and len(table) > limit else "")
    return f'<table class="mda-tableau" data-tableau="{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def short_label(code: str, text: str, width: int = 60) -> str:
    """« CE2.1.3 — La technique d'entonnoir de la prospection… » (a drop-down list's width)."""
    text = " ".join(str(text).split())
    return f"{code} — {text[:width].rstrip()}…" if len(text) > width else f"{code} — {text}" if text else code


def summary_text(view: pd.DataFrame) -> str:
    counts = " · ".join(f"{status} : {count}" for status, count in status_counts(view).items())
    return f"{len(view)} ligne(s) — {counts}"


def ungraded_html(table: pd.DataFrame) -> str:
    """« Carnets non corrigés (N) » of the view: the same notebooks `mda grade` and the reports name."""
    from mda_checks.grade.ungraded import MEANING, TITLE

    if table.empty:
        return f'<p class="mda-note" data-non-corriges="0">{TITLE} : aucun.</p>'
    return (f'<h4 data-non-corriges="{len(table)}">{TITLE} ({len(table)})</h4>'
            f'<p class="mda-note">{html.escape(MEANING)}.</p>' + html_table(table, "non-corriges"))


class Dashboard:
    """The promotion's dashboard: filters, table, one learner's detail and the Excel export."""

    def __init__(self, promotion: Promotion):
        self.promotion = promotion
        names = promotion.names
        self.bloc = widgets.Dropdown(description="Bloc", style=WIDE,
                                     options=[("Tous les blocs", ALL),
                                              *((bloc_label(a), a) for a in promotion.assignments())],
                                     layout=widgets.Layout(width="36em"))
        self.criterion = widgets.Dropdown(description="Critère (CE)", style=WIDE, layout=widgets.Layout(width="36em"),
                                          options=self._criteria_options())
        self.learner = widgets.Dropdown(description="Apprenant", style=WIDE, layout=widgets.Layout(width="28em"),
                                        options=[("Toute la promotion", ALL),
                                                 *((names.get(s, s), s) for s in promotion.learners())])
        self.status = widgets.Dropdown(description="Statut", style=WIDE,
                                       options=[("Tous les statuts", ALL), *((s, s) for s in STATUSES)])
        self.export_button = widgets.Button(description="Exporter la vue (Excel)", icon="download",
                                            tooltip="Écrit la vue affichée dans exports/ (classeur Excel)",
                                            layout=widgets.Layout(width="auto"))
        self.export_result = widgets.HTML()
        self.summary = widgets.HTML()
        self.ungraded = widgets.HTML()
        self.table = widgets.HTML()
        self.detail = widgets.HTML()
        self.copies = widgets.HTML()
        self.last_export: Path | None = None
        self.bloc.observe(self._bloc_changed, names="value")
        self._updating = False
        for control in (self.criterion, self.learner, self.status):
            control.observe(self._filter_changed, names="value")
        self.export_button.on_click(lambda _button: self.export())
        self.root = widgets.VBox([
            widgets.HTML(CSS + "<h3>Tableau de bord de la promotion</h3>"),
            widgets.HBox([self.bloc, self.criterion]), widgets.HBox([self.learner, self.status]),
            widgets.HBox([self.export_button, self.export_result]),
            self.summary, self.ungraded, self.table, self.detail, self.copies,
        ])
        self.root.add_class("mda-tableau-de-bord")
        self.refresh()

    def _criteria_options(self) -> list[tuple[str, str]]:
        assignment = self.bloc.value or None
        labels = dict(zip(self.promotion.grid["ce"], self.promotion.grid["libelle"]))
        return [("Tous les critères", ALL),
                *((short_label(ce, labels.get(ce, "")), ce) for ce in self.promotion.criteria(assignment))]

    def _bloc_changed(self, _change) -> None:
        """The CE of the chosen bloc; a CE already chosen stays chosen when the bloc has it."""
        kept = self.criterion.value
        options = self._criteria_options()
        self._updating = True  # new options reset the value: one refresh, once the CE is set again
        try:
            self.criterion.options = options
            self.criterion.value = kept if kept in {value for _, value in options} else ALL
        finally:
            self._updating = False
        self.refresh()

    def _filter_changed(self, _change) -> None:
        if not self._updating:
            self.refresh()

    @property
    def filters(self) -> Filters:
        return Filters(self.bloc.value or None, self.criterion.value or None, self.learner.value or None,
                       self.status.value or None)

    def refresh(self) -> None:
        filters = self.filters
        view = filter_view(self.promotion.grid, filters)
        self.export_result.value = ""  # an earlier export is not this view
        self.summary.value = f'<p class="mda-resume" role="status">{html.escape(summary_text(view))}</p>'
        self.ungraded.value = ungraded_html(ungraded_table(self.promotion, filters))
        if view.empty:
            self.table.value = '<p class="mda-note" data-tableau="vue">Aucune ligne ne correspond à ces filtres.</p>'
        else:
            self.table.value = html_table(view_table(view, self.promotion.names), "vue", DISPLAY_LIMIT)
        self.detail.value = self._detail_html(filters)
        self.copies.value = self._copies_html(filters)

    def _copies_html(self, filters: Filters) -> str:
        """The suspected copies of the view's bloc and learner (the last comparison's), and for one learner the
        concordant cells side by side."""
        from mda_checks.copies.export import when_text

        saved = self.promotion.copies
        parts = ["<h4>Copies entre apprenants</h4>"]
        if not saved:
            return parts[0] + ('<p class="mda-note">Aucune comparaison enregistrée : lancez `mda copies` (ou `mda grade`), '
                               "puis exécutez à nouveau ce carnet.</p>")
        parts.append(f'<p class="mda-note">Réponses qui sont les bonnes réponses d\'un autre apprenant et pas les siennes '
                     f"(comparaison du {html.escape(when_text(saved))}) : des indices à examiner, aucune note n'est "
                     "changée.</p>")
        table = copy_table(self.promotion, filters)
        if table.empty:
            return "".join(parts) + '<p class="mda-note" data-tableau="copies">Aucun soupçon pour ces filtres.</p>'
        parts.append(html_table(table, "copies"))
        if filters.apprenant is not None:
            parts.append(html_table(copy_cells(self.promotion, filters), "copies-cellules"))
        return "".join(parts)

    def _detail_html(self, filters: Filters) -> str:
        if filters.apprenant is None:
            return ('<p class="mda-note">Choisissez un apprenant pour voir sa variante, ses notes par critère '
                    "et les messages de la correction, cellule par cellule.</p>")
        detail = learner_detail(self.promotion, filters.apprenant, filters)
        blocs = pd.DataFrame([{"Bloc": bloc_label(b.devoir), "Données": data_label(b.variante),
                               **({"Groupe": b.groupe} if any(d.groupe for d in detail.blocs) else {}),
                               "Points": f"{format_points(b.points)} / {format_points(b.points_max)}",
                               "Rendu le (heure de Paris)": b.rendu_le, "Retard": b.retard or "aucun",
                               "Proposition du jury": b.proposition, "Décision du jury": b.decision,
                               "Historique des décisions": b.historique or "aucune décision enregistrée"}
                              for b in detail.blocs])
        parts = [f'<h3 data-apprenant="{html.escape(detail.apprenant)}">{html.escape(detail.nom)}</h3>',
                 html_table(blocs, "blocs"),
                 "<h4>Notes par critère</h4><p class=\"mda-note\">Dans le tableau ci-dessus (filtré sur "
                 "cet apprenant).</p>",
                 "<h4>Messages de la correction</h4>",
                 html_table(detail.messages, "messages") if len(detail.messages)
                 else '<p class="mda-note">Aucune cellule notée pour ces filtres.</p>']
        remarks = detail.journal[detail.journal["Remarques"].astype(str).str.strip() != ""]
        parts.append("<h4>Journal de la correction</h4>")
        parts.append(html_table(remarks, "journal") if len(remarks)
                     else '<p class="mda-note">Aucune remarque de la correction pour ces copies.</p>')
        return "".join(parts)

    def export(self) -> Path | None:
        """Write the current view to exports/ and say where (a French message, never a traceback)."""
        try:
            path = export_view(self.promotion, self.filters)
        except (OSError, ValueError) as problem:
            self.export_result.value = f'<span class="mda-erreur">Export impossible : {html.escape(str(problem))}</span>'
            return None
        self.last_export = path
        shown = path.relative_to(self.promotion.course.root) if path.is_relative_to(self.promotion.course.root) else path
        self.export_result.value = (f'<span class="mda-export" data-chemin="{html.escape(str(path))}">'
                                    f"Vue exportée : {html.escape(str(shown))}</span>")
        return path

    def _repr_mimebundle_(self, **kwargs):
        return self.root._repr_mimebundle_(**kwargs)


def open_dashboard(root: Path | str | None = None) -> Dashboard | Notice:
    """The dashboard of the course at (or above) `root` (the notebook's folder by default), or a
    French message saying why it cannot be shown."""
    try:
        return Dashboard(load_promotion(root))
    except DashboardError as problem:
        return Notice(str(problem))
