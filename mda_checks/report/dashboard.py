"""The promotion's dashboard: the data behind ``formateur/tableau_de_bord_promotion.ipynb``.

The promotion is read once from the gradebook (``load_promotion``): the competency grid of
``mda report`` (one row per learner × CE, the same statuses « acquis », « non acquis »,
« en attente », « non évalué »), each learner's variant, their submissions, every graded cell
with its comment, and the grading journal. Then everything is pure:

- ``filter_view`` keeps the rows of a bloc, a CE, a learner and a status (``Filters``);
- ``view_table`` is the view as the trainer reads it, with French headers; when the view has rows of a
  group assignment (bloc 4's collective dossier, ``mda_checks.groups``) it also names each learner's
  group and, per CE, the part its points come from (« dossier du groupe », « soutenance
  individuelle » or both) with the points of each part, as ``mda report`` does (``GROUP_HEADERS``);
  these columns are absent from a view without group rows and empty on the rows of other blocs;
- ``learner_detail`` drills into one learner: their blocs (variant, group, points, submission time,
  lateness), their grades per CE and the message of each graded cell;
- ``export_view`` writes the current view to an Excel workbook (``exports/``);
- ``copy_table`` and ``copy_cells`` show the suspected copies between learners that the last comparison
  found (``mda copies``, ``mda grade``, ``mda report``: ``exports/soupcons_copie.json``), evidence for the
  trainer that never changes a grade.

The widgets (``dashboard_widgets.py``) only call these functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from mda_checks.course import Course, bloc_number
from mda_checks.nbgrader_api import course_directory
from mda_checks.referentiel import bloc_label
from mda_checks.report.competencies import STATUSES, competency_grid, shown_names, submission_facts
from mda_checks.report.messages import CellMessage, cell_result, gradebook_cells, learner_messages, read_journal
from mda_checks.report.timing import PARIS, format_lateness, format_when
from mda_checks.variants.learner_case import COMMON

NO_GRADED_COPY = ("Aucune copie corrigée dans le carnet de notes : corrigez d'abord les copies "
                  "(`mda grade`), puis exécutez à nouveau ce carnet.")
NO_GRADEBOOK = ("Le carnet de notes est introuvable ({path}) : générez d'abord les devoirs (`mda build`) "
                "et corrigez les copies (`mda grade`), puis exécutez à nouveau ce carnet.")
NO_CONNECTION = ("Le carnet de notes ne répond pas ({reason}) : vérifiez son adresse (MDA_GRADEBOOK_URL, "
                 "docs/formateur.md « Carnet de notes partagé (PostgreSQL) »), puis exécutez à nouveau ce carnet.")
NO_COURSE = ("Aucun cours trouvé : ouvrez ce carnet depuis le dossier du cours (celui qui contient "
             "nbgrader_config.py et source/), par exemple `jupyter lab formateur/tableau_de_bord_promotion.ipynb`.")

#: the view, as shown and exported (French headers)
VIEW_HEADERS = ["Apprenant", "Bloc", "CE", "Critère d'évaluation", "Statut", "Points", "Maximum", "Variante"]
#: the columns a view with rows of a group assignment adds (the grid's groupe, part, points_groupe,
#: points_individuels), and where each goes: after the learner, after the criterion, before the points
GROUP, PART, GROUP_POINTS, ORAL_POINTS = "Groupe", "Part", "Points du groupe", "Points à l'oral"
GROUP_HEADERS = ["Apprenant", GROUP, "Bloc", "CE", "Critère d'évaluation", PART, "Statut", GROUP_POINTS, ORAL_POINTS,
                 "Points", "Maximum", "Variante"]
#: a learner of a group assignment who is in no group (mda groupes): as the jury's workbook says it
NO_GROUP = "aucun groupe"
MESSAGE_HEADERS = ["Bloc", "Carnet", "Cellule", "CE", "Résultat", "Points", "Maximum", "Message", "Commentaire"]
JOURNAL_HEADERS = ["Bloc", "Carnet", "Statut", "Remarques"]
EVERYTHING = "tous"


class DashboardError(ValueError):
    """Why the dashboard cannot show the promotion, in French for the trainer."""


@dataclass(frozen=True)
class Filters:
    """What the trainer chose; None keeps every value."""

    devoir: str | None = None
    ce: str | None = None
    apprenant: str | None = None
    statut: str | None = None

    def described(self, names: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """(filter, value) in French, as the export records them."""
        learner = (names or {}).get(self.apprenant, self.apprenant) if self.apprenant else None
        return [("Bloc", bloc_label(self.devoir) if self.devoir else EVERYTHING), ("Critère (CE)", self.ce or EVERYTHING),
                ("Apprenant", learner or EVERYTHING), ("Statut", self.statut or EVERYTHING)]


@dataclass(frozen=True)
class Promotion:
    """The promotion as the gradebook has it, read once."""

    course: Course
    db_url: str
    grid: pd.DataFrame      # competency_grid: one row per learner × CE
    facts: pd.DataFrame     # submission_facts: one row per learner × assignment
    cells: pd.DataFrame     # gradebook_cells: one row per learner × graded cell
    journal: pd.DataFrame   # the grading journal: one row per learner × notebook
    names: dict[str, str] = field(default_factory=dict)  # learner id -> « Prénom Nom (id) »
    jury: dict = field(default_factory=dict)  # (learner, assignment) -> proposal and decision (mda_checks.jury)
    copies: dict = field(default_factory=dict)  # the last copy detection (mda_checks.copies.export.read_detail)
    #: the notebooks non corrigés (mda_checks.grade.ungraded: the same list as `mda grade` and the reports)
    ungraded: list = field(default_factory=list)
    _messages: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def assignments(self) -> list[str]:
        return sorted(set(self.grid["devoir"]), key=bloc_number)

    def criteria(self, assignment: str | None = None) -> list[str]:
        """The CE of one bloc (of every bloc when None), in the grid's order (CE1.1.10 after CE1.1.9)."""
        rows = self.grid if assignment is None else self.grid[self.grid["devoir"] == assignment]
        return list(dict.fromkeys(rows["ce"]))

    def learners(self) -> list[str]:
        return sorted(set(self.grid["apprenant"]))

    def messages(self, student: str, assignment: str) -> dict[tuple[str, str], CellMessage]:
        """The messages of one learner's graded notebooks, read the first time they are asked for."""
        key = (student, assignment)
        if key not in self._messages:
            self._messages[key] = learner_messages(self.course, student, assignment)
        return self._messages[key]


def gradebook_url(course: Course) -> str:
    """The course's gradebook, as nbgrader_config.py gives it (MDA_GRADEBOOK_URL for PostgreSQL)."""
    return course_directory(course.root).db_url


def load_promotion(root: Path | str | None = None) -> Promotion:
    """The promotion of the course at (or above) `root`, the working folder by default."""
    try:
        course = Course.find(Path(root) if root else None)
    except FileNotFoundError as missing:
        raise DashboardError(NO_COURSE) from missing
    db_url = gradebook_url(course)
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if not path.is_file():  # opening it would create an empty gradebook
            raise DashboardError(NO_GRADEBOOK.format(path=path.name))
    try:
        grid = competency_grid(course, db_url)
        if grid.empty:
            raise DashboardError(NO_GRADED_COPY)
        facts, cells = submission_facts(db_url), gradebook_cells(db_url)
    except SQLAlchemyError as failure:  # a shared gradebook (PostgreSQL) out of reach, for instance
        reason = str(getattr(failure, "orig", None) or failure).strip().splitlines()[0]
        raise DashboardError(NO_CONNECTION.format(reason=reason)) from failure
    from mda_checks.copies.export import read_detail
    from mda_checks.jury.overview import jury_overview

    try:
        jury = jury_overview(course, grid)
    except ValueError as problem:  # jury.toml or the register of decisions cannot be read
        raise DashboardError(str(problem)) from problem
    from mda_checks.grade.ungraded import ungraded_notebooks

    return Promotion(course, db_url, grid, facts, cells, read_journal(course), shown_names(grid), jury,
                     read_detail(course), ungraded_notebooks(course))


def check_filters(grid: pd.DataFrame, filters: Filters) -> None:
    """A value the promotion does not have is an error, never a silently empty view."""
    problems = []
    for label, column, value in (("bloc", "devoir", filters.devoir), ("critère", "ce", filters.ce),
                                 ("apprenant", "apprenant", filters.apprenant)):
        if value is not None and value not in set(grid[column]):
            problems.append(f"{label} inconnu « {value} »")
    if filters.statut is not None and filters.statut not in STATUSES:
        problems.append(f"statut inconnu « {filters.statut} » (statuts : {', '.join(STATUSES)})")
    if problems:
        raise ValueError("Filtre impossible : " + " ; ".join(problems) + ".")


def filter_view(grid: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The grid's rows that match every chosen filter, in the grid's order."""
    check_filters(grid, filters)
    keep = pd.Series(True, index=grid.index)
    for column, value in (("devoir", filters.devoir), ("ce", filters.ce), ("apprenant", filters.apprenant),
                          ("statut", filters.statut)):
        if value is not None:
            keep &= grid[column] == value
    return grid[keep]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def group_rows(view: pd.DataFrame) -> pd.Series:
    """Which rows of the grid belong to a group assignment: the grid gives them a part (« dossier du
    groupe », « soutenance individuelle » or both); other rows have an empty one."""
    if "part" not in view:
        return pd.Series(False, index=view.index)
    return view["part"].map(_text) != ""


def has_groups(view: pd.DataFrame) -> bool:
    return bool(group_rows(view).any())


def group_label(row_is_grouped: bool, group) -> str:
    """The learner's group on a row of a group assignment (« aucun groupe » when in none), '' elsewhere."""
    if not row_is_grouped:
        return ""
    return _text(group) or NO_GROUP


def _points(value) -> float | None:
    text = _text(value)
    return float(value) if text else None


def view_table(view: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The view with French headers: points are numbers, the learner « Prénom Nom (id) ».

    With rows of a group assignment: also the group, the part and the points of each part
    (``GROUP_HEADERS``), empty on the rows of an individual assignment."""
    table = {
        "Apprenant": [names.get(s, s) for s in view["apprenant"]],
        "Bloc": [bloc_label(a) for a in view["devoir"]], "CE": list(view["ce"]),
        "Critère d'évaluation": list(view["libelle"]),
        "Statut": list(view["statut"]), "Points": [float(p) for p in view["points"]],
        "Maximum": [float(p) for p in view["points_max"]], "Variante": list(view["variante"]),
    }
    if not has_groups(view):
        return pd.DataFrame(table, columns=VIEW_HEADERS)
    grouped = list(group_rows(view))
    table[GROUP] = [group_label(g, group) for g, group in zip(grouped, view["groupe"])]
    table[PART] = [_text(part) if g else "" for g, part in zip(grouped, view["part"])]
    for header, column in ((GROUP_POINTS, "points_groupe"), (ORAL_POINTS, "points_individuels")):
        table[header] = pd.array([_points(p) if g else None for g, p in zip(grouped, view[column])], dtype=object)
    return pd.DataFrame(table, columns=GROUP_HEADERS)


UNGRADED_HEADERS = ["Apprenant", "Bloc", "Carnet", "Raison"]


def ungraded_table(promotion: Promotion, filters: Filters | None = None) -> pd.DataFrame:
    """The notebooks non corrigés of the bloc and learner in view (``mda_checks.grade.ungraded``), French headers."""
    filters = filters or Filters()
    shown = [u for u in promotion.ungraded if (filters.devoir is None or u.assignment == filters.devoir)
             and (filters.apprenant is None or u.student == filters.apprenant)]
    return pd.DataFrame([[promotion.names.get(u.student, u.student), bloc_label(u.assignment), u.notebook, u.reason]
                         for u in shown], columns=UNGRADED_HEADERS)


def status_counts(view: pd.DataFrame) -> dict[str, int]:
    """Rows of the view per status, in the statuses' order (every status, 0 included)."""
    counts = view["statut"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


@dataclass(frozen=True)
class LearnerBloc:
    """One learner's copy of one bloc."""

    devoir: str
    variante: str   # « V-3F9A2C », or « cas commun »
    points: float
    points_max: float
    rendu_le: str   # Paris time, in words
    retard: str     # « 1 j 2 h », '' when on time
    groupe: str = ""  # a group assignment: the learner's group (« aucun groupe » when in none); '' otherwise
    proposition: str = ""  # the jury's rules' proposal (validé, non validé, en attente)
    decision: str = ""     # the jury's decision recorded, with its date; « pas encore décidé » otherwise
    historique: str = ""   # every decision recorded, dated, oldest first (« ajourné le … → validé le … »)


@dataclass(frozen=True)
class LearnerDetail:
    """Everything the dashboard shows of one learner, under the current filters."""

    apprenant: str
    nom: str                 # « Prénom Nom (id) »
    blocs: list[LearnerBloc]
    criteria: pd.DataFrame   # view_table of their rows: grades per CE
    messages: pd.DataFrame   # one row per graded cell (MESSAGE_HEADERS)
    journal: pd.DataFrame    # the grading journal's rows of their copies (JOURNAL_HEADERS)


def cells_of_criteria(grid: pd.DataFrame) -> dict[tuple[str, str, str], list[str]]:
    """(assignment, notebook, grade_id) -> the CE the cell assesses (from the grid's « cellules »)."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for row in grid.drop_duplicates(["devoir", "ce"]).itertuples():
        for cell in filter(None, (c.strip() for c in str(row.cellules).split(","))):
            notebook, _, grade_id = cell.partition(":")
            found.setdefault((row.devoir, notebook, grade_id), []).append(row.ce)
    return found


def learner_detail(promotion: Promotion, student: str, filters: Filters | None = None) -> LearnerDetail:
    """One learner under the current filters (the learner filter is `student`).

    Messages: the graded cells of the blocs in view; when a CE or a status is chosen, only the
    cells that assess a CE of the view (e.g. the cells behind their « non acquis » CE)."""
    filters = filters or Filters()
    filters = Filters(filters.devoir, filters.ce, student, filters.statut)
    view = filter_view(promotion.grid, filters)
    own = promotion.grid[promotion.grid["apprenant"] == student]
    assignments = [a for a in promotion.assignments() if a in set(own["devoir"])
                   and (filters.devoir is None or a == filters.devoir)]
    blocs = [_learner_bloc(promotion, student, a) for a in assignments]
    by_cell = cells_of_criteria(own)
    in_view = set(zip(view["devoir"], view["ce"]))
    narrowed = filters.ce is not None or filters.statut is not None
    rows = []
    for assignment in assignments:
        messages = promotion.messages(student, assignment)
        cells = promotion.cells[(promotion.cells["apprenant"] == student) & (promotion.cells["devoir"] == assignment)]
        for cell in cells.itertuples():
            criteria = by_cell.get((assignment, cell.carnet, cell.cellule), [])
            if narrowed and not any((assignment, ce) in in_view for ce in criteria):
                continue
            found = messages.get((cell.carnet, cell.cellule))
            rows.append(((bloc_number(assignment), cell.carnet, found.position if found else 10**6, cell.cellule), [
                bloc_label(assignment), cell.carnet, cell.cellule, ", ".join(criteria),
                cell_result(found.status if found else "", cell.en_attente), cell.points, cell.points_max,
                found.text if found else "", cell.commentaire,
            ]))
    messages_table = pd.DataFrame([row for _, row in sorted(rows, key=lambda r: r[0])], columns=MESSAGE_HEADERS)
    journal = promotion.journal[(promotion.journal["apprenant"] == student)
                                & promotion.journal["devoir"].isin(assignments)]
    journal_table = pd.DataFrame({"Bloc": [bloc_label(a) for a in journal["devoir"]], "Carnet": list(journal["notebook"]),
                                  "Statut": list(journal["statut"]), "Remarques": list(journal["remarques"])},
                                 columns=JOURNAL_HEADERS)
    return LearnerDetail(student, promotion.names.get(student, student), blocs,
                         view_table(view, promotion.names), messages_table, journal_table)


def _learner_bloc(promotion: Promotion, student: str, assignment: str) -> LearnerBloc:
    rows = promotion.grid[(promotion.grid["apprenant"] == student) & (promotion.grid["devoir"] == assignment)]
    facts = promotion.facts[(promotion.facts["apprenant"] == student) & (promotion.facts["devoir"] == assignment)]
    fact = facts.iloc[0] if len(facts) else None
    grouped = group_rows(rows)
    group = group_label(True, rows.loc[grouped, "groupe"].iloc[0]) if grouped.any() else ""
    jury = promotion.jury.get((student, assignment))
    return LearnerBloc(
        assignment, rows["variante"].iloc[0] if len(rows) else COMMON,
        float(fact["points"] if fact is not None else rows["points"].sum()),
        float(fact["points_max"] if fact is not None else rows["points_max"].sum()),
        format_when(fact["rendu_le"] if fact is not None else None),
        format_lateness(fact["retard_s"] if fact is not None else 0), group,
        jury.proposition if jury else "",
        (f"{jury.decision} (le {jury.decided_on})" if jury.decision else jury.decision_text) if jury else "",
        jury.history_text() if jury else "")


COPY_HEADERS = ["Bloc", "Apprenant", "Source probable", "Réponses concordantes", "Comparables", "Cellules"]
COPY_CELL_HEADERS = ["Bloc", "Carnet", "Cellule", "Question", "Indice", "Réponse de l'apprenant", "Sa bonne réponse",
                     "Bonne réponse de la source", "Source probable"]


def _concerns(label: str, student: str) -> bool:
    """Is the learner `student` the copy `label` names (« a.martin », or « groupe G1 (a.martin, b.lefevre) »)?"""
    return label == student or student in [name.strip() for name in label.partition("(")[2].rstrip(")").split(",")]


def _suspicions(promotion: Promotion, filters: Filters):
    for assignment, record in promotion.copies.get("devoirs", {}).items():
        if filters.devoir is not None and assignment != filters.devoir:
            continue
        for suspicion in record["soupcons"]:
            if filters.apprenant is None or _concerns(suspicion["apprenant"], filters.apprenant):
                yield assignment, suspicion


def copy_table(promotion: Promotion, filters: Filters | None = None) -> pd.DataFrame:
    """The suspected copies of the view's bloc and learner: one row per (copy, probable source)."""
    rows = [[assignment, s["apprenant"], s["source_probable"], s["nb_cellules"], s["nb_cellules_comparables"],
             ", ".join(c["cellule"] for c in s["cellules"] if c["type"] == "comptée")]
            for assignment, s in _suspicions(promotion, filters or Filters())]
    return pd.DataFrame(rows, columns=COPY_HEADERS)


def copy_cells(promotion: Promotion, filters: Filters) -> pd.DataFrame:
    """The concordant cells of the suspected copies in view: the learner's answer, their own right answer and the
    source's, side by side."""
    from mda_checks.copies.export import KIND_WORDS

    rows = [[assignment, c["carnet"], c["cellule"], c["question"], KIND_WORDS.get(c["type"], c["type"]),
             c["reponse"], c["juste_apprenant"], c["juste_source"], s["source_probable"]]
            for assignment, s in _suspicions(promotion, filters) for c in s["cellules"]]
    return pd.DataFrame(rows, columns=COPY_CELL_HEADERS)


def export_path(course: Course, now: datetime | None = None) -> Path:
    """exports/tableau_de_bord_<AAAAMMJJ-HHMMSS>.xlsx (Paris time), never an earlier export's name."""
    stamp = (now or datetime.now(PARIS)).astimezone(PARIS).strftime("%Y%m%d-%H%M%S")
    folder = course.step("exports")
    path, number = folder / f"tableau_de_bord_{stamp}.xlsx", 1
    while path.exists():
        number += 1
        path = folder / f"tableau_de_bord_{stamp}-{number}.xlsx"
    return path


def export_view(promotion: Promotion, filters: Filters, path: Path | None = None,
                now: datetime | None = None) -> Path:
    """The current view in an Excel workbook: « Vue » (its rows), « Filtres » (what was chosen,
    when) and, when one learner is chosen, « Messages » (their graded cells and messages)."""
    from mda_checks.report.dashboard_excel import write_dashboard_workbook

    now = now or datetime.now(PARIS)
    path = path or export_path(promotion.course, now)
    view = view_table(filter_view(promotion.grid, filters), promotion.names)
    about = [*filters.described(promotion.names), ("Lignes", str(len(view))),
             ("Exporté le", f"{format_when(now)} (heure de Paris)")]
    messages = learner_detail(promotion, filters.apprenant, filters).messages if filters.apprenant else None
    return write_dashboard_workbook(path, view, about, messages)
