"""03_tableau_de_bord: QCD indicators against targets, occupation, revenue variances, the dashboard chart."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figures import FigureSpec, Marks, ReferenceLines
from mda_reference.bloc4.answers import reference
from mda_reference.carried import numbers_of
from mda_reference.registry import CaseData

QCD = ["Qualité", "Coût", "Délai"]


def qcd(data: CaseData, cost_sign: int = 1) -> pd.Series:
    orders = data("ordres_travail_2025.csv")
    costs = data("charges_centre_2025.csv")
    on_time = pd.to_datetime(orders["date_restitution"]) <= pd.to_datetime(orders["date_promise"])
    budget, actual = costs["budget_eur"].sum(), costs["reel_eur"].sum()
    return pd.Series({
        "Qualité": (orders["conforme_premier_passage"] == "oui").mean(),
        "Coût": cost_sign * (actual - budget) / budget,
        "Délai": on_time.mean(),
    })


@reference.answer("indicateurs_qcd")
def qcd_indicators(data: CaseData) -> Expected:
    return Expected(
        qcd(data),
        mistakes=[Mistake(qcd(data, cost_sign=-1),
                          "l'écart de coût a le signe inversé (convention : écart = réel − budget).", "signe")],
        hint="Qualité : part des ordres conformes ; Coût : (réel − budget) / budget ; Délai : part restituée à temps.",
    )


def off_target(values: pd.Series, targets: pd.DataFrame) -> list[str]:
    missed = []
    for _, row in targets[targets["indicateur"].isin(values.index)].iterrows():
        value = values[row["indicateur"]]
        ok = value >= row["objectif"] if row["sens"] == "au moins" else value <= row["objectif"]
        if not ok:
            missed.append(row["indicateur"])
    return missed


@reference.answer("indicateurs_hors_objectif")
def missed_targets(data: CaseData) -> Expected:
    """Carried: the learner's own QCD indicators compared with their targets."""
    targets = data("objectifs_2025.csv")

    def missed(indicateurs_qcd):
        return off_target(numbers_of(indicateurs_qcd, like=QCD), targets)

    return Expected(missed,
                    hint="Comparez chaque indicateur à son objectif en respectant le sens (« au moins » ou « au plus »).")


@reference.answer("taux_occupation")
def occupation(data: CaseData) -> Expected:
    orders = data("ordres_travail_2025.csv")
    available = data("techniciens_2025.csv").set_index("technicien")["heures_disponibles_2025"]
    billed = orders.groupby("technicien")["heures_mo"].sum()
    return Expected(billed / available, mistakes=[Mistake(
        available / billed, "le rapport est inversé : ce sont les heures facturées rapportées aux heures "
                            "disponibles.", "methode")],
                    hint="Taux d'occupation = heures facturées (heures_mo) / heures disponibles, par technicien.")


def quantity_variance(actual_quantity, planned_quantity, planned_price):
    """Écart sur quantité = (Qr − Qp) × Pp (réel − prévu: positive is favourable for revenue)."""
    return (actual_quantity - planned_quantity) * planned_price


def price_variance(actual_price, planned_price, actual_quantity):
    """Écart sur prix = (Pr − Pp) × Qr."""
    return (actual_price - planned_price) * actual_quantity


def revenue_variances(data: CaseData) -> pd.DataFrame:
    orders = data("ordres_travail_2025.csv")
    plan = data("budget_prestations_2025.csv").set_index("prestation")
    actual = orders.groupby("prestation")["montant_ht_eur"].agg(["count", "sum"])
    frame = plan.join(actual)
    frame["prix_reel"] = frame["sum"] / frame["count"]
    frame["ecart_quantite"] = quantity_variance(frame["count"], frame["volume_prevu"], frame["prix_moyen_prevu_ht_eur"])
    frame["ecart_prix"] = price_variance(frame["prix_reel"], frame["prix_moyen_prevu_ht_eur"], frame["count"])
    frame["ecart_prix_sur_prevu"] = price_variance(frame["prix_reel"], frame["prix_moyen_prevu_ht_eur"],
                                                   frame["volume_prevu"])
    return frame


@reference.answer("ecarts_quantite")
def quantity_variances(data: CaseData) -> Expected:
    frame = revenue_variances(data)
    return Expected(
        frame["ecart_quantite"],
        mistakes=[Mistake(-frame["ecart_quantite"], "le signe est inversé (convention : écart = réel − prévu).", "signe")],
        hint="Écart sur quantité = (quantité réelle − quantité prévue) × prix prévu.",
    )


@reference.answer("ecarts_prix")
def price_variances(data: CaseData) -> Expected:
    """Carried: the price variance that, with the learner's own quantity variance, explains the total variance.

    Both variances are read in the same table of actual volumes: the learner's actual volume of a service is
    planned volume + quantity variance ÷ planned price, its actual price the actual revenue over that volume,
    so price variance = (actual revenue − planned revenue) − quantity variance (the convention of the notebook:
    the two variances add up to the total). A volume counted wrong is charged once, in the quantity variances.
    """
    frame = revenue_variances(data)
    planned_price, planned_volume = frame["prix_moyen_prevu_ht_eur"], frame["volume_prevu"]

    def learners_volume(ecarts_quantite):
        return planned_volume + numbers_of(ecarts_quantite, like=frame.index).reindex(frame.index) / planned_price

    def explained(ecarts_quantite):
        volume = learners_volume(ecarts_quantite)
        return price_variance(frame["sum"] / volume, planned_price, volume)

    def on_planned_volumes(ecarts_quantite):
        return price_variance(frame["sum"] / learners_volume(ecarts_quantite), planned_price, planned_volume)

    def sign_reversed(ecarts_quantite):
        return -explained(ecarts_quantite)

    return Expected(
        explained,
        mistakes=[
            Mistake(on_planned_volumes,
                    "l'écart sur prix est calculé sur les quantités prévues ; il se calcule sur les quantités "
                    "réelles, sinon les deux écarts n'expliquent plus l'écart total.", "methode"),
            Mistake(sign_reversed, "le signe est inversé (convention : écart = réel − prévu).", "signe"),
        ],
        hint="Écart sur prix = (prix moyen réel − prix prévu) × quantité réelle.",
    )


@reference.answer("tableau_de_bord")
def dashboard(data: CaseData) -> Expected:
    months = data("ordres_travail_2025.csv")["date_restitution"].str[:7].nunique()
    targets = data("objectifs_2025.csv").set_index("indicateur")["objectif"]
    return Expected(FigureSpec(
        marks=(Marks("lines", series=2, points=2 * months,
                     label="deux courbes mensuelles (taux de conformité, taux de restitution à temps)"),),
        reference_lines=(ReferenceLines((targets["Qualité"], targets["Délai"]),
                                        "les objectifs qualité et délai en lignes horizontales", rates=True),),
        legend=True, distinct_line_styles=True, readable_without_colour=True),
        hint="Deux courbes mois par mois, les deux objectifs en lignes horizontales (ax.axhline), un titre, un "
             "intitulé par axe, une légende, et un marqueur ou un style de trait différent pour chaque série.")
