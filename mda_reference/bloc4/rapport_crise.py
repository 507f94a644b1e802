"""04_rapport_crise: key figures and chart of the activity report; risk matrix, heat map, crisis impact."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figures import FigureSpec, Marks
from mda_reference.bloc4.answers import reference
from mda_reference.carried import number, table
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
    """Carried: the learner's own result over the revenue HT."""
    revenue = float(data("ordres_travail_2025.csv")["montant_ht_eur"].sum())
    charges = float(data("charges_centre_2025.csv")["reel_eur"].sum())

    def on_revenue(resultat_centre):
        return number(resultat_centre) / revenue

    def on_charges(resultat_centre):
        return number(resultat_centre) / charges

    return Expected(on_revenue,
                    mistakes=[Mistake(on_charges, "le résultat est rapporté aux charges ; il se rapporte au CA HT.",
                                      "methode")])


@reference.answer("graphique_rapport")
def report_chart(data: CaseData) -> Expected:
    months, budget_months = len(monthly_revenue(data)), len(data("budget_mensuel_2025.csv"))
    return Expected(FigureSpec(
        marks=(Marks("bars", points=months, label="le CA réel en barres (une par mois)"),
               Marks("lines", series=1, points=budget_months, markers=True,
                     label="le CA prévu en courbe avec marqueurs (un point par mois)")),
        legend=True, readable_without_colour=True),
        hint="Le CA réel en barres (ax.bar), le CA prévu en courbe avec marqueurs (ax.plot(..., marker=\"o\")), "
             "une légende, et des séries lisibles sans la couleur.")


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
            Mistake(risk_matrix(data, shift=-1),
                    "les bornes des zones sont exclues : une criticité de 4 ou de 9 est classée dans la zone "
                    "supérieure (chaque zone inclut sa borne supérieure).", "bornes"),
            Mistake(risk_matrix(data, additive=True),
                    "la criticité est une somme ; c'est le produit probabilité × gravité.", "methode"),
        ],
        hint="Criticité = probabilité × gravité ; zone d'après zones_criticite.csv, bornes incluses.",
    )


def ranking(register: pd.DataFrame) -> pd.Series:
    """Rank 1 for the most critical risk: criticality, then severity decreasing, then identifier."""
    ordered = register.sort_values(["criticite", "gravite", "risque_id"], ascending=[False, False, True])
    return pd.Series(range(1, len(ordered) + 1), index=ordered["risque_id"])


@reference.answer("rang_risques")
def risk_ranking(data: CaseData) -> Expected:
    """Carried: the ranking of the criticalities of the learner's own risk matrix."""
    register = data("registre_risques.csv")

    def ranked(matrice_criticite):
        criticality = table(matrice_criticite, ["criticite"], like=register["risque_id"])["criticite"].astype(float)
        return ranking(register.assign(criticite=register["risque_id"].map(criticality)))

    def from_the_least_critical(matrice_criticite):
        ranks = ranked(matrice_criticite)
        return len(ranks) + 1 - ranks

    return Expected(ranked, mistakes=[Mistake(
        from_the_least_critical, "le classement part du risque le moins critique ; le rang 1 revient au plus "
                                 "critique (criticité décroissante).", "sens_classement")],
                    hint="Classez par criticité décroissante, puis gravité décroissante, puis identifiant croissant.")


@reference.answer("carte_chaleur")
def heat_map(data: CaseData) -> Expected:
    risks = len(data("registre_risques.csv"))
    scale = data("echelles_risques.csv")["echelle"]
    grid = (int(scale.eq("probabilite").sum()), int(scale.eq("gravite").sum()))  # rows: probability, columns: severity
    return Expected(FigureSpec(marks=(Marks("heatmap", grid=grid,
                                            label="une carte de chaleur (une case par couple gravité × probabilité, "
                                                  "gravité en abscisse)"),),
                               colorbar=True, n_annotations=risks, readable_without_colour=True),
                    hint="Une grille probabilité × gravité colorée (ax.imshow) avec une palette à clarté croissante "
                         "(par exemple « YlOrRd ») et sa barre de couleur (fig.colorbar), l'identifiant de chaque "
                         "risque écrit dans sa case, un titre et un intitulé par axe.")


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
