"""02_obligations_litiges: next due dates, missing documents, a draft invoice, receivables ageing and DSO."""
import numpy as np
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.bareme import TOLERANCES
from mda_reference.bloc4.answers import reference
from mda_reference.registry import CaseData

AGEING_LABELS = ["Non échue", "1 à 30 jours", "31 à 60 jours", "61 à 90 jours", "Plus de 90 jours"]
AGEING_BINS = [-np.inf, 0, 30, 60, 90, np.inf]
PROFESSIONAL = ["Entreprise", "Collectivité"]


def key_date(data: CaseData, event: str) -> pd.Timestamp:
    dates = data("dates_cles.csv").set_index("evenement")["date"]
    return pd.Timestamp(dates[event])


# -- obligations ----------------------------------------------------------------
def roll_to_monday(day: pd.Timestamp) -> pd.Timestamp:
    """A due date on a Saturday or a Sunday moves to the next Monday (public holidays ignored)."""
    return day + pd.Timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def next_due_date(rule, reference_date: pd.Timestamp, roll: bool = True) -> pd.Timestamp:
    """First due date on or after the reference date, for one row of obligations.csv."""
    adjust = roll_to_monday if roll else (lambda day: day)
    if rule["frequence"] == "ponctuelle":
        return adjust(pd.Timestamp(rule["date_evenement"]) + pd.DateOffset(months=int(rule["decalage_mois"])))
    months = range(1, 13) if rule["frequence"] == "mensuelle" else [int(float(m)) for m in str(rule["mois"]).split(";")]
    for year in (reference_date.year, reference_date.year + 1):
        for month in months:
            due = adjust(pd.Timestamp(year, month, int(rule["jour"])))
            if due >= reference_date:
                return due
    raise ValueError(f"no due date for {rule['obligation']}")


def schedule(data: CaseData, roll: bool = True) -> pd.Series:
    when = key_date(data, "reference_obligations")
    rules = data("obligations.csv")
    return pd.Series([next_due_date(rule, when, roll) for _, rule in rules.iterrows()], index=rules["obligation"])


@reference.answer("prochaines_echeances")
def due_dates(data: CaseData) -> Expected:
    return Expected(
        schedule(data),
        mistakes=[Mistake(schedule(data, roll=False),
                          "les échéances qui tombent un samedi ou un dimanche n'ont pas été reportées au lundi suivant.",
                          "decompte")],
        tolerance=TOLERANCES["exact_date"],
        hint="Pour chaque obligation, cherchez la première échéance à partir de la date de référence (incluse).",
    )


# -- documents --------------------------------------------------------------------
def file_under_review(data: CaseData) -> str:
    files = data("documents_dossiers.csv")
    return files.loc[files["type_dossier"] == "import", "dossier_id"].iloc[0]


def missing_documents(data: CaseData, dossier: str, count_expired: bool = True) -> list[str]:
    when = key_date(data, "reference_obligations")
    files = data("documents_dossiers.csv")
    received = files[files["dossier_id"] == dossier]
    required = data("documents_requis.csv")
    required = required[required["type_dossier"] == received["type_dossier"].iloc[0]]
    received = received.merge(required, on=["type_dossier", "document"], how="left")
    ends = [pd.Timestamp(d) + pd.DateOffset(months=int(m)) if pd.notna(m) else pd.Timestamp.max
            for d, m in zip(received["date_document"], received["validite_mois"])]
    valid = received[[end >= when for end in ends]] if count_expired else received
    return sorted(set(required["document"]) - set(valid["document"]))


@reference.answer("documents_manquants_import")
def missing_import_documents(data: CaseData) -> Expected:
    dossier = file_under_review(data)
    return Expected(
        missing_documents(data, dossier),
        mistakes=[Mistake(missing_documents(data, dossier, count_expired=False),
                          "un document périmé à la date de référence (date + durée de validité dépassée) "
                          "compte comme manquant.", "date_reference")],
    )


# -- draft invoice -------------------------------------------------------------------
@reference.answer("ttc_facture_corrige")
def corrected_invoice(data: CaseData) -> Expected:
    lines = data("facture_a_verifier.csv")
    net = (lines["quantite"] * lines["prix_unitaire_ht_eur"] * (1 - lines["remise"])).round(2)
    gross = lines["quantite"] * lines["prix_unitaire_ht_eur"]
    return Expected(
        float((net * (1 + lines["taux_tva"])).sum()),
        mistakes=[
            Mistake(float((lines["montant_ht_saisi_eur"] * (1 + lines["taux_tva"])).sum()),
                    "les montants HT saisis sur le brouillon ont été repris sans être recalculés.", "methode"),
            Mistake(float((gross * (1 + lines["taux_tva"])).sum()), "les remises n'ont pas été appliquées.", "methode"),
            Mistake(float(net.sum()), "c'est le total HT ; la question demande le total TTC.", "ht_ttc"),
        ],
        hint="Montant HT d'une ligne = quantité × prix unitaire × (1 − remise) ; TTC = HT × (1 + taux de TVA).",
    )


# -- receivables ---------------------------------------------------------------------
def invoices(data: CaseData) -> pd.DataFrame:
    frame = data("factures_clients_2025.csv")
    frame["retard_jours"] = (key_date(data, "arrete_creances") - pd.to_datetime(frame["date_echeance"])).dt.days
    return frame


def unpaid(data: CaseData) -> pd.DataFrame:
    frame = invoices(data)
    return frame[frame["date_paiement"].isna()]


def ageing(data: CaseData, column: str = "montant_ttc_eur") -> pd.Series:
    frame = unpaid(data)
    bucket = pd.cut(frame["retard_jours"], AGEING_BINS, labels=AGEING_LABELS)
    return frame.groupby(bucket, observed=False)[column].sum().reindex(AGEING_LABELS, fill_value=0.0)


@reference.answer("balance_agee")
def ageing_balance(data: CaseData) -> Expected:
    return Expected(
        ageing(data),
        mistakes=[Mistake(ageing(data, "montant_ht_eur"), "les créances sont en HT ; elles se suivent en TTC.", "ht_ttc")],
        hint="Retard = date d'arrêté − date d'échéance ; seules les factures non payées au 31/12 comptent.",
    )


def dso(receivables: float, revenue: float, days: float) -> float:
    """DSO, global method: receivables / revenue of the period × days of the period."""
    return receivables / revenue * days


@reference.answer("dso_jours")
def days_sales_outstanding(data: CaseData) -> Expected:
    frame = invoices(data)
    receivables = unpaid(data)["montant_ttc_eur"].sum()
    days = data.parameter("jours_annee_commerciale")
    return Expected(
        dso(receivables, frame["montant_ttc_eur"].sum(), days),
        mistakes=[
            Mistake(dso(receivables, frame["montant_ttc_eur"].sum(), 365),
                    "vous avez compté 365 jours au lieu de 360 (année commerciale).", "decompte"),
            Mistake(dso(receivables, frame["montant_ht_eur"].sum(), days),
                    "le chiffre d'affaires est pris HT alors que les créances sont TTC.", "ht_ttc"),
        ],
        hint="DSO = créances clients TTC / CA TTC de l'année × 360.",
    )


def count_back(receivables: float, monthly_revenue: list[float], month_days: list[float]) -> float:
    """DSO by the count-back method: exhaust the receivables with the latest months' revenue."""
    days, left = 0.0, receivables
    for revenue, length in zip(monthly_revenue, month_days):
        if left <= revenue:
            return days + left / revenue * length
        left -= revenue
        days += length
    return days


def monthly_latest_first(data: CaseData, column: str) -> pd.Series:
    frame = invoices(data)
    return frame.groupby(frame["date_facture"].str[:7])[column].sum().sort_index(ascending=False)


@reference.answer("dso_epuisement_jours")
def count_back_dso(data: CaseData) -> Expected:
    receivables = unpaid(data)["montant_ttc_eur"].sum()
    ttc = monthly_latest_first(data, "montant_ttc_eur")
    commercial = [data.parameter("jours_par_mois_commercial")] * len(ttc)
    calendar = [pd.Period(month).days_in_month for month in ttc.index]
    return Expected(
        count_back(receivables, ttc.tolist(), commercial),
        mistakes=[
            Mistake(count_back(receivables, monthly_latest_first(data, "montant_ht_eur").tolist(), commercial),
                    "le chiffre d'affaires mensuel est pris HT alors que les créances sont TTC.", "ht_ttc"),
            Mistake(count_back(receivables, ttc.tolist(), calendar),
                    "vous avez compté les jours réels de chaque mois au lieu de mois de 30 jours.", "decompte"),
        ],
        hint="Partez de décembre : retranchez le CA TTC de chaque mois des créances tant qu'il en reste.",
    )


@reference.answer("montant_a_risque")
def amount_at_risk(data: CaseData) -> Expected:
    frame = unpaid(data)
    threshold = data.parameter("seuil_retard_a_risque_jours")
    late = frame["retard_jours"] > threshold
    disputed = frame["litige"].notna()
    return Expected(
        float(frame.loc[late | disputed, "montant_ttc_eur"].sum()),
        mistakes=[
            Mistake(float(frame.loc[late, "montant_ttc_eur"].sum() + frame.loc[disputed, "montant_ttc_eur"].sum()),
                    "les factures à la fois en retard et en litige ont été comptées deux fois.", "methode"),
            Mistake(float(frame.loc[late, "montant_ttc_eur"].sum()), "les factures en litige ont été oubliées.", "methode"),
            Mistake(float(frame.loc[late | disputed, "montant_ht_eur"].sum()),
                    "le montant est HT ; les créances se suivent en TTC.", "ht_ttc"),
        ],
        hint="Une facture impayée est à risque si son retard dépasse 60 jours OU si elle est en litige.",
    )


@reference.answer("indemnites_recouvrement")
def recovery_fees(data: CaseData) -> Expected:
    frame = unpaid(data)
    overdue = frame[frame["retard_jours"] > 0]
    fee = data.parameter("indemnite_forfaitaire_recouvrement")
    return Expected(
        fee * int(overdue["type_client"].isin(PROFESSIONAL).sum()),
        mistakes=[Mistake(fee * len(overdue),
                          "les particuliers ont été comptés : l'indemnité forfaitaire ne s'applique qu'entre "
                          "professionnels.", "methode")],
    )
