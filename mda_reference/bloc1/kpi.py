"""05_kpi_direction: revenue, margin rate, churn, CLV, CAC and LTV/CAC for the board."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figures import FigureSpec, Marks
from mda_reference.bloc1.answers import reference
from mda_reference.carried import number
from mda_reference.registry import CaseData


def invoices(data: CaseData) -> pd.DataFrame:
    frame = data("factures_2024_2025.csv")
    frame["annee"] = frame["date"].str[:4].astype(int)
    return frame


def yearly(data: CaseData, year: int) -> pd.DataFrame:
    frame = invoices(data)
    return frame[frame["annee"] == year]


def active(data: CaseData, year: int) -> set[str]:
    return set(yearly(data, year)["client_id"])


def churn(data: CaseData, base_year: int = 2024) -> float:
    lost = active(data, 2024) - active(data, 2025)
    return len(lost) / len(active(data, base_year))


def clv(data: CaseData, value: str = "marge", churn_rate: float | None = None) -> float:
    """Value per active client × lifetime (1 / churn), at the reference churn or a learner's ``churn_rate``."""
    year = yearly(data, 2025)
    margin = year["montant_ht_eur"] - (year["cout_achat_ht_eur"] if value == "marge" else 0)
    return margin.sum() / len(active(data, 2025)) / (churn(data) if churn_rate is None else churn_rate)


def cac(data: CaseData, new_only: bool = True) -> float:
    clients = active(data, 2025) - active(data, 2024) if new_only else active(data, 2025)
    return data("depenses_acquisition_2025.csv")["montant_ht_eur"].sum() / len(clients)


@reference.answer("ca_2025")
def revenue(data: CaseData) -> Expected:
    return Expected(yearly(data, 2025)["montant_ht_eur"].sum(), mistakes=[Mistake(
        invoices(data)["montant_ht_eur"].sum(), "les factures de 2024 et de 2025 sont additionnées ; seul 2025 "
                                                "compte.", "perimetre")])


@reference.answer("croissance_ca")
def revenue_growth(data: CaseData) -> Expected:
    last, first = yearly(data, 2025)["montant_ht_eur"].sum(), yearly(data, 2024)["montant_ht_eur"].sum()
    return Expected(last / first - 1, mistakes=[Mistake(
        (last - first) / last, "l'évolution est rapportée au CA de 2025 ; une croissance se rapporte à l'année de "
                               "départ (2024).", "methode")])


@reference.answer("taux_marque")
def margin_rate(data: CaseData) -> Expected:
    year = yearly(data, 2025)
    margin = year["montant_ht_eur"].sum() - year["cout_achat_ht_eur"].sum()
    return Expected(margin / year["montant_ht_eur"].sum(), mistakes=[Mistake(
        margin / year["cout_achat_ht_eur"].sum(),
        "vous avez divisé la marge par le coût d'achat (taux de marge) ; le taux de marque la divise par le CA.", "base_taux")])


@reference.answer("taux_attrition")
def churn_rate(data: CaseData) -> Expected:
    return Expected(churn(data), mistakes=[Mistake(
        churn(data, base_year=2025),
        "le taux est calculé sur les clients de fin de période ; la base est celle du début (2024).", "base_taux")])


@reference.answer("clv")
def lifetime_value(data: CaseData) -> Expected:
    """Carried: the lifetime is 1 / the learner's own churn rate."""
    def on_margin(taux_attrition):
        return clv(data, churn_rate=number(taux_attrition))

    def on_revenue(taux_attrition):
        return clv(data, value="ca", churn_rate=number(taux_attrition))

    return Expected(on_margin, mistakes=[Mistake(
        on_revenue, "la valeur vie client est calculée sur le chiffre d'affaires et non sur la marge brute.", "methode")])


@reference.answer("cac")
def acquisition_cost(data: CaseData) -> Expected:
    return Expected(cac(data), mistakes=[Mistake(
        cac(data, new_only=False), "les dépenses sont divisées par tous les clients actifs, pas par les nouveaux clients.", "methode")])


@reference.answer("ltv_cac")
def ltv_over_cac(data: CaseData) -> Expected:
    """Carried: the learner's own CLV over their own CAC."""
    def ratio(clv, cac):
        return number(clv) / number(cac)

    def inverted(clv, cac):
        return number(cac) / number(clv)

    return Expected(ratio, mistakes=[Mistake(
        inverted, "le ratio est inversé (CAC / LTV) ; c'est la valeur vie client divisée par le coût d'acquisition.",
        "methode")])


@reference.answer("graphique_ca_mensuel")
def monthly_chart(data: CaseData) -> Expected:
    return Expected(FigureSpec(marks=(Marks("lines", series=2, points=24, label="deux courbes de 12 points"),),
                               legend=True, legend_names=("2024", "2025"), distinct_line_styles=True),
                    hint="Deux courbes de 12 mois (2024 et 2025) qui diffèrent aussi par le style de trait ou les "
                         "marqueurs, une légende, un titre et des intitulés d'axes.")
