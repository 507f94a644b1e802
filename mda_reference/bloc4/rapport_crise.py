"""04_rapport_crise: key figures and chart of the activity report; risk matrix, heat map, crisis impact."""
import pandas as pd

from mda_checks.check.expected import Expected, Mistake
from mda_checks.check.figures import FigureSpec
from mda_reference.bloc4.answers import reference
from mda_reference.registry import CaseData


def monthly_revenue(data: CaseData, date_column: str = "date_restitution") -> pd.Series:
    orders = data("ordres_travail_2025.csv")
    return orders.groupby(orders[date_column].str[:7])["montant_ht_eur"].sum()


@reference.answer("ca_mensuel")
def revenue_by_month(data: CaseData) -> Expected:
    return Expected(
        monthly_revenue(data),
        mistakes=[Mistake(monthly_revenue(data, "date_reception"),
                          "le CA est rattaché au mois de réception ; il est constaté au mois de restitution.", "methode")],
        hint="CA HT mensuel = somme des montants HT par mois de la date de restitution (format AAAA-MM).",
    )


def centre_result(data: CaseData, column: str = "reel_eur") -> float:
    revenue = data("ordres_travail_2025.csv")["montant_ht_eur"].sum()
    return float(revenue - data("charges_centre_2025.csv")[column].sum())


@reference.answer("resultat_centre")
def result(data: CaseData) -> Expected:
    return Expected(centre_result(data),
                    mistakes=[Mistake(centre_result(data, "budget_eur"),
                                      "les charges retenues sont celles du budget, pas les charges réelles.", "methode")],
                    hint="Résultat du centre = CA HT réel − charges réelles.")


@reference.answer("taux_resultat")
def result_rate(data: CaseData) -> Expected:
    revenue = float(data("ordres_travail_2025.csv")["montant_ht_eur"].sum())
    charges = float(data("charges_centre_2025.csv")["reel_eur"].sum())
    return Expected(centre_result(data) / revenue,
                    mistakes=[Mistake(centre_result(data) / charges,
                                      "le résultat est rapporté aux charges ; il se rapporte au CA HT.", "methode")])


@reference.answer("graphique_rapport")
def report_chart(data: CaseData) -> Expected:
    months = len(monthly_revenue(data))
    return Expected(FigureSpec(n_points=2 * months, legend=True, readable_without_colour=True),
                    hint="Deux séries de 12 mois (réel et budget), une légende, et des séries lisibles sans la couleur.")


# -- crisis plan ---------------------------------------------------------------------
def zone_of(criticality: int, zones: pd.DataFrame, shift: int = 0) -> str:
    """The first zone (in increasing order) whose upper bound, included, reaches the criticality."""
    for _, zone in zones.sort_values("criticite_max").iterrows():
        if criticality <= zone["criticite_max"] + shift:
            return zone["zone"]
    return zones["zone"].iloc[-1]


def risk_matrix(data: CaseData, additive: bool = False, shift: int = 0) -> pd.DataFrame:
    register = data("registre_risques.csv").set_index("risque_id")
    zones = data("zones_criticite.csv")
    score = register["probabilite"] + register["gravite"] if additive else register["probabilite"] * register["gravite"]
    return pd.DataFrame({"criticite": score, "zone": [zone_of(c, zones, shift) for c in score]})


@reference.answer("matrice_criticite")
def criticality(data: CaseData) -> Expected:
    return Expected(
        risk_matrix(data),
        mistakes=[
            Mistake(risk_matrix(data, shift=1),
                    "les bornes des zones sont décalées : une criticité de 5 ou de 10 est classée dans la zone "
                    "inférieure (acceptable jusqu'à 4 inclus, inacceptable dès 10).", "bornes"),
            Mistake(risk_matrix(data, additive=True),
                    "la criticité est une somme ; c'est le produit probabilité × gravité.", "methode"),
        ],
        hint="Criticité = probabilité × gravité ; zone d'après zones_criticite.csv, bornes incluses.",
    )


@reference.answer("rang_risques")
def risk_ranking(data: CaseData) -> Expected:
    register = data("registre_risques.csv")
    register["criticite"] = register["probabilite"] * register["gravite"]
    ordered = register.sort_values(["criticite", "gravite", "risque_id"], ascending=[False, False, True])
    return Expected(pd.Series(range(1, len(ordered) + 1), index=ordered["risque_id"]),
                    hint="Classez par criticité décroissante, puis gravité décroissante, puis identifiant croissant.")


@reference.answer("carte_chaleur")
def heat_map(data: CaseData) -> Expected:
    risks = len(data("registre_risques.csv"))
    return Expected(FigureSpec(n_annotations=risks, readable_without_colour=True),
                    hint="Une grille probabilité × gravité colorée avec une palette à clarté croissante "
                         "(par exemple « YlOrRd »), et l'identifiant de chaque risque écrit dans sa case.")


def crisis_impact(data: CaseData, with_vat: bool = False, lost_share: bool = True, penalties: bool = True) -> float:
    """Revenue lost for good during the stoppage plus the penalties owed to fleet clients."""
    orders = data("ordres_travail_2025.csv")
    revenue = orders["montant_ht_eur"].sum() * ((1 + data.parameter("taux_tva")) if with_vat else 1)
    days = data.parameter("crise_jours_arret")
    lost = revenue / data.parameter("jours_ouvres_2025") * days
    lost *= data.parameter("crise_part_ca_non_rattrapee") if lost_share else 1
    fleet_clients = orders.loc[orders["type_client"] == "Flotte B2B", "client_id"].nunique()
    fees = data.parameter("crise_penalite_jour_client_flotte") * days * fleet_clients if penalties else 0
    return float(lost + fees)


@reference.answer("impact_crise_r02")
def crisis_cost(data: CaseData) -> Expected:
    return Expected(
        crisis_impact(data),
        mistakes=[
            Mistake(crisis_impact(data, penalties=False), "les pénalités dues aux clients flotte ont été oubliées.", "methode"),
            Mistake(crisis_impact(data, lost_share=False),
                    "tout le CA des jours d'arrêt est compté perdu ; seule la part non rattrapée l'est.", "methode"),
            Mistake(crisis_impact(data, with_vat=True), "le CA perdu est compté TTC au lieu de HT.", "ht_ttc"),
        ],
        hint="Impact = CA HT par jour ouvré × jours d'arrêt × part non rattrapée + pénalité × jours × clients flotte.",
    )
