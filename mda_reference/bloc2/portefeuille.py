"""03_portefeuille: RFM (analysis date, quintile scores, ties), segments, value at stake, ABC, cost-to-serve."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figures import FigureSpec, Marks, ReferenceLines
from mda_apprenant.check.scalars import normalise_text
from mda_reference.bloc2.answers import ANALYSIS_DATE, reference
from mda_reference.carried import table
from mda_reference.registry import CaseData

#: the segment grid of the notebook, read top to bottom: the first rule that matches gives the segment
GRID = [
    ("Champions", lambda r, f, m: r >= 4 and f >= 4 and m >= 4),
    ("Fidèles", lambda r, f, m: r >= 4 and f >= 3),
    ("Nouveaux", lambda r, f, m: r >= 4),
    ("À risque", lambda r, f, m: r <= 2 and f >= 4),
    ("Perdus", lambda r, f, m: r <= 2 and f <= 2),
]
OTHERS = "À surveiller"
ABC_BOUNDS = (0.80, 0.95)


def orders(data: CaseData) -> pd.DataFrame:
    frame = data("commandes_2024_2025.csv")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def rfm_metrics(data: CaseData) -> pd.DataFrame:
    """Per client (sorted by client_id): days since the last order, number of orders, revenue HT 2024-2025."""
    grouped = orders(data).groupby("client_id")
    return pd.DataFrame({
        "recence": (ANALYSIS_DATE - grouped["date"].max()).dt.days,
        "frequence": grouped.size(),
        "montant": grouped["montant_ht_eur"].sum(),
    })


def quintile(values: pd.Series, reverse: bool = False) -> pd.Series:
    """Scores 1–5 by quintile; ties are broken in the table's order (client_id), rank(method='first')."""
    labels = [5, 4, 3, 2, 1] if reverse else [1, 2, 3, 4, 5]
    return pd.qcut(values.rank(method="first"), 5, labels=labels).astype(int)


def rfm_scores(data: CaseData, reverse_recency: bool = True) -> pd.DataFrame:
    return scores_of(rfm_metrics(data), reverse_recency)


def scores_of(metrics: pd.DataFrame, reverse_recency: bool = True) -> pd.DataFrame:
    """Quintile scores of a table of R, F, M metrics (the reference's or a learner's), ties in client_id order."""
    metrics = table(metrics, ["recence", "frequence", "montant"]).astype(float).sort_index()
    return pd.DataFrame({"R": quintile(metrics["recence"], reverse=reverse_recency),
                         "F": quintile(metrics["frequence"]), "M": quintile(metrics["montant"])})


def segment_of(r: int, f: int, m: int) -> str:
    return next((name for name, rule in GRID if rule(r, f, m)), OTHERS)


def as_series(value) -> pd.Series:
    """A learner's labelled values as a Series (a dict or a one-column DataFrame is accepted too)."""
    if isinstance(value, dict):
        return pd.Series(value)
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        return value.iloc[:, 0]
    if not isinstance(value, pd.Series):
        raise TypeError("a Series is expected")
    return value


def apply_grid(scores: pd.DataFrame) -> pd.Series:
    """The segment of each row of a learner's (or the reference's) table of R, F, M scores."""
    frame = scores[["R", "F", "M"]].astype(int)
    return pd.Series([segment_of(*row) for row in frame.itertuples(index=False)], index=frame.index)


def revenue_2025(data: CaseData) -> pd.Series:
    frame = orders(data)
    return frame[frame["date"].dt.year == 2025].groupby("client_id")["montant_ht_eur"].sum()


def revenue_by_segment(data: CaseData, segments: pd.Series, revenue: pd.Series | None = None) -> pd.Series:
    """Revenue HT 2025 (or `revenue`, per client) of each segment of a learner's segmentation (client ids compared
    without case)."""
    segments = as_series(segments)
    revenue = revenue_2025(data) if revenue is None else revenue.copy()
    revenue.index = [normalise_text(i) for i in revenue.index]
    labels = pd.Series(list(segments), index=[normalise_text(i) for i in segments.index])
    return revenue.reindex(labels.index).fillna(0.0).groupby(labels.to_numpy()).sum()


def abc_classes(totals: pd.Series, crossing_in_class: bool = True) -> pd.Series:
    """ABC on a per-client total, sorted in decreasing order (ties in client_id order).

    With crossing_in_class, a client is A while the share reached BEFORE it is under 80 %
    (the client that crosses 80 % stays in A); otherwise A means a cumulative share ≤ 80 %.
    """
    ordered = totals.sort_index().sort_values(ascending=False, kind="stable")
    share = ordered.cumsum() / ordered.sum()
    first, second = ABC_BOUNDS
    classes = pd.Series("C", index=ordered.index)
    if crossing_in_class:
        before = share - ordered / ordered.sum()
        classes[before < second] = "B"
        classes[before < first] = "A"
    else:
        classes[share <= second + 1e-12] = "B"
        classes[share <= first + 1e-12] = "A"
    return classes


def margin_after_service(data: CaseData, period_years=(2025,)) -> pd.Series:
    service = data("couts_service_2025.csv").set_index("client_id")
    cost = (service["nb_visites_commerciales"] * data.parameter("cout_visite_commerciale")
            + service["nb_interventions_sav"] * data.parameter("cout_intervention_sav")
            + service["nb_livraisons"] * data.parameter("cout_livraison"))
    frame = orders(data)
    margin = frame[frame["date"].dt.year.isin(period_years)].groupby("client_id")["marge_brute_eur"].sum()
    return margin.reindex(cost.index).fillna(0.0) - cost


@reference.answer("rfm_brut")
def rfm_raw(data: CaseData) -> Expected:
    metrics = rfm_metrics(data)
    last_order = orders(data)["date"].max()
    shifted = metrics.assign(recence=(metrics["recence"] - (ANALYSIS_DATE - last_order).days))
    return Expected(metrics, mistakes=[Mistake(
        shifted, "la récence est comptée depuis la dernière commande du fichier ; la date d'analyse est le "
                 "31 décembre 2025.", "date_reference")])


@reference.answer("scores_rfm")
def rfm_scores_answer(data: CaseData) -> Expected:
    """Carried: the quintile scores of the learner's own R, F, M table."""
    def reversed_recency(rfm):
        return scores_of(rfm)

    def recency_not_reversed(rfm):
        return scores_of(rfm, reverse_recency=False)

    return Expected(reversed_recency, mistakes=[Mistake(
        recency_not_reversed,
        "l'échelle de R n'est pas inversée : les clients les plus récents (récence la plus faible) doivent "
        "avoir 5.", "sens_classement")])


@reference.answer("segments_rfm")
def segments_answer(data: CaseData) -> Expected:
    return Expected(lambda scores: apply_grid(scores),
                    hint="Appliquez la grille dans l'ordre : la première ligne dont les conditions sont remplies "
                         "donne le segment.")


@reference.answer("valeur_en_jeu")
def value_at_stake(data: CaseData) -> Expected:
    def over_both_years(segments):
        return revenue_by_segment(data, segments, revenue=orders(data).groupby("client_id")["montant_ht_eur"].sum())

    return Expected(lambda segments: revenue_by_segment(data, segments), mistakes=[Mistake(
        over_both_years, "le CA de 2024 et de 2025 est additionné ; la valeur en jeu est le CA HT de 2025.", "perimetre")],
                    hint="Somme du CA HT 2025 des clients de chaque segment (0 pour un client sans commande en 2025).")


@reference.answer("classes_abc")
def abc_answer(data: CaseData) -> Expected:
    frame = orders(data)
    revenue = frame.groupby("client_id")["montant_ht_eur"].sum()
    volume = frame.groupby("client_id")["quantite"].sum()
    return Expected(abc_classes(revenue), mistakes=[
        Mistake(abc_classes(volume), "le classement est fait sur les volumes (quantités) ; la méthode ABC du carnet "
                                     "porte sur le chiffre d'affaires.", "methode"),
        Mistake(abc_classes(revenue, crossing_in_class=False),
                "le client qui franchit le seuil de 80 % (ou de 95 %) a été placé dans la classe suivante ; la "
                "convention du carnet le garde dans la classe.", "bornes"),
    ])


@reference.answer("courbe_pareto")
def pareto_curve(data: CaseData) -> Expected:
    return Expected(FigureSpec(marks=(Marks("lines", label="une courbe de la part cumulée du CA"),),
                               reference_lines=(ReferenceLines((0.8,), "une ligne horizontale à 80 %", rates=True),)),
                    hint="Une courbe de la part cumulée du CA, une ligne horizontale à 80 % (ax.axhline), un titre "
                         "et un intitulé par axe.")


@reference.answer("clients_non_rentables")
def unprofitable(data: CaseData) -> Expected:
    margin = margin_after_service(data)
    both_years = margin_after_service(data, (2024, 2025))
    return Expected(margin[margin < 0].index.tolist(), mistakes=[Mistake(
        both_years[both_years < 0].index.tolist(),
        "la marge retenue couvre 2024 et 2025 ; les coûts de service sont ceux de 2025, comparez-les à la marge 2025.",
        "methode")])
