"""04_communication_ciblee: churn, and the clients each event concerns (inactivity, anniversary, VIP)."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc2.answers import ANALYSIS_DATE, reference
from mda_reference.bloc2.portefeuille import orders
from mda_reference.registry import CaseData


def active_in(data: CaseData, year: int) -> set[str]:
    frame = orders(data)
    return set(frame.loc[frame["date"].dt.year == year, "client_id"])


@reference.answer("taux_attrition")
def churn(data: CaseData) -> Expected:
    start, end = active_in(data, 2024), active_in(data, 2025)
    lost = len(start - end)
    return Expected(lost / len(start), mistakes=[
        Mistake(lost / len(end), "le taux est calculé sur les clients actifs en 2025 ; la base est celle du début "
                                 "de période (clients actifs en 2024).", "base_taux"),
        Mistake(lost / len(start | end), "le taux est calculé sur tous les clients des deux années ; la base est "
                                         "celle du début de période (clients actifs en 2024).", "base_taux"),
        Mistake(1 - lost / len(start), "c'est le taux de rétention (clients conservés) ; le taux d'attrition "
                                       "compte les clients perdus.", "methode"),
    ])


@reference.answer("clients_inactifs")
def inactive(data: CaseData) -> Expected:
    last = orders(data).groupby("client_id")["date"].max()
    silence = (ANALYSIS_DATE - last).dt.days
    limit = data.parameter("seuil_inactivite_jours")
    return Expected(silence[silence > limit].index.tolist(), hint="Récence strictement supérieure à 180 jours.")


@reference.answer("anniversaires_janvier")
def anniversaries(data: CaseData) -> Expected:
    clients = data("clients.csv")
    first = pd.to_datetime(clients["date_premiere_commande"])
    return Expected(clients.loc[first.dt.month == 1, "client_id"].tolist(),
                    hint="Le mois de la date de première commande est janvier, quelle que soit l'année.")


def vip_candidates(data: CaseData) -> pd.Index:
    frame = orders(data)
    revenue = frame.groupby("client_id")["montant_ht_eur"].sum()
    recent = active_in(data, 2025)
    eligible = revenue[revenue >= data.parameter("seuil_ca_vip")].index
    return pd.Index([c for c in eligible if c in recent])


@reference.answer("invitation_vip")
def vip(data: CaseData) -> Expected:
    clients = data("clients.csv").set_index("client_id")
    candidates = vip_candidates(data)
    chosen = clients.loc[candidates]
    allowed = ((chosen["type_client"] == "B2C") & (chosen["consentement_email"] == "oui")) | (
        (chosen["type_client"] == "B2B") & (chosen["opposition_email"] == "non"))
    return Expected(chosen[allowed].index.tolist(), mistakes=[Mistake(
        list(candidates), "le consentement (B2C) et l'opposition (B2B) à l'e-mailing ne sont pas respectés : "
                          "l'invitation partant par e-mail, le RGPD impose ce filtre.", "methode")])
