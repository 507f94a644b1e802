"""Bloc 4 case: Cyclonord Services, the Lille maintenance and fleet-services centre, pilots its year 2025.

Files: the value stream of a fleet bike service and the proposed kaizen actions,
the 2025 work orders, the budget and actual costs, QCD targets, technicians, the
customer invoices with payments and disputes, the administrative obligations and
document files, a draft invoice to check, and the risk register of the crisis plan.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mda_checks.casedata.draws import step_draw

YEAR = 2025
TECHNICIANS = ["Amina", "Bastien", "Chloé", "David", "Élodie", "Farid"]
#: prestation: (share of orders, price HT, budget price HT, promised days, labour hours)
PRESTATIONS = {
    "Révision": (0.46, 105.0, 99.0, 5, 2.25),
    "Réparation": (0.30, 168.0, 175.0, 4, 2.8),
    "Remplacement batterie": (0.09, 585.0, 560.0, 7, 1.1),
    "Entretien contrat flotte": (0.15, 79.0, 79.0, 3, 1.5),
}
#: monthly weight of the workshop's activity (spring and back-to-work peaks)
SEASON = np.array([5, 6, 9, 11, 12, 11, 8, 5, 10, 9, 8, 6], dtype=float)
FLEET_CLIENTS = [
    # id, name, type, payment behaviour in the common register (each case draws its own: ``payment_habits``)
    ("F01", "Métropole européenne de Lille", "Collectivité", "ponctuel"),
    ("F02", "Clinique des Flandres", "Entreprise", "ponctuel"),
    ("F03", "Logivert Express", "Entreprise", "retard"),
    ("F04", "Ville de Roubaix", "Collectivité", "retard"),
    ("F05", "Assurances Nordia", "Entreprise", "ponctuel"),
    ("F06", "CHU Val de Lys", "Collectivité", "ponctuel"),
    ("F07", "Colis Malin", "Entreprise", "litige"),
    ("F08", "Banque Artois", "Entreprise", "ponctuel"),
    ("F09", "Campus Euratech", "Entreprise", "retard"),
    ("F10", "Transports Scarpe", "Entreprise", "litige"),
    ("F11", "Mutuelle Opale", "Entreprise", "ponctuel"),
    ("F12", "Ville de Tourcoing", "Collectivité", "ponctuel"),
]
#: how many fleet clients pay late, and how many dispute invoices (drawn in these ranges)
LATE_PAYERS, DISPUTING = (2, 4), (1, 3)
PAYMENT_TERMS = {"Entreprise": 45, "Collectivité": 30}  # days from the invoice date
DISPUTES = ["Facture contestée : heures de main-d'œuvre", "Vélo restitué non conforme", "Pièce facturée non posée"]


def hypotheses(rng: np.random.Generator) -> pd.DataFrame:
    rows = [
        ("heures_ouvrees_par_jour", 8, "heures", "amplitude de travail de l'atelier, du lundi au vendredi"),
        ("pauses_min_par_jour", step_draw(rng, 20, 45, 5), "minutes", "pauses collectives de l'atelier"),
        ("jours_ouvres_2025", 251, "jours", "jours ouvrés 2025 (lundi-vendredi hors jours fériés)"),
        ("taux_tva", 0.20, "taux", "TVA sur les prestations"),
        ("jours_annee_commerciale", 360, "jours", "convention de l'année commerciale"),
        ("jours_par_mois_commercial", 30, "jours", "convention du mois commercial"),
        ("indemnite_forfaitaire_recouvrement", 40, "euros", "par facture payée en retard, entre professionnels"),
        ("seuil_retard_a_risque_jours", 60, "jours", "retard au-delà duquel une créance est jugée à risque"),
        ("crise_jours_arret", int(rng.integers(6, 13)), "jours ouvrés", "scénario R02 : arrêt de l'atelier"),
        ("crise_part_ca_non_rattrapee", round(float(rng.uniform(0.45, 0.7)), 2), "taux",
         "part du CA des jours d'arrêt perdue définitivement"),
        ("crise_penalite_jour_client_flotte", float(rng.choice([80, 100, 120, 150])), "euros",
         "pénalité contractuelle par jour d'arrêt et par client flotte"),
    ]
    return pd.DataFrame(rows, columns=["parametre", "valeur", "unite", "commentaire"])


def key_dates(rng: np.random.Generator) -> pd.DataFrame:
    reference = pd.Timestamp("2026-01-05") + pd.offsets.BDay(int(rng.integers(0, 35)))
    rows = [
        ("reference_obligations", reference.strftime("%Y-%m-%d"), "date du point sur les obligations et les dossiers"),
        ("arrete_creances", f"{YEAR}-12-31", "date d'arrêté de la balance âgée des créances"),
    ]
    return pd.DataFrame(rows, columns=["evenement", "date", "commentaire"])


#: how far the value-added work of a service varies from the mapped durations (the bikes of the case differ)
VALUE_ADDED_SPREAD = (0.5, 1.7)


def value_stream(rng: np.random.Generator) -> pd.DataFrame:
    """The service of a fleet bike as the team mapped it (durations in working hours)."""
    base = [
        # activity, service, nature, category, waste type, hours
        ("Réception de la demande du client", "Accueil", "traitement", "nécessaire sans valeur ajoutée", "", 0.25),
        ("Attente de planification de l'enlèvement", "Accueil", "attente", "gaspillage", "Attente", 16),
        ("Enlèvement du vélo chez le client", "Logistique", "traitement", "nécessaire sans valeur ajoutée", "", 1.0),
        ("Stockage du vélo avant prise en charge", "Atelier", "attente", "gaspillage", "Stocks", 20),
        ("Transfert du vélo vers le poste de travail", "Atelier", "traitement", "gaspillage", "Transport", 0.25),
        ("Diagnostic", "Atelier", "traitement", "valeur ajoutée", "", 0.5),
        ("Recherche des pièces au magasin", "Atelier", "traitement", "gaspillage", "Mouvements inutiles", 0.75),
        ("Attente des pièces commandées", "Magasin", "attente", "gaspillage", "Attente", 18),
        ("Révision et remplacement des pièces", "Atelier", "traitement", "valeur ajoutée", "", 1.5),
        ("Double saisie de l'intervention (papier puis logiciel)", "Atelier", "traitement", "gaspillage",
         "Surtraitement", 0.5),
        ("Contrôle qualité final", "Qualité", "traitement", "nécessaire sans valeur ajoutée", "", 0.25),
        ("Reprise des défauts détectés au contrôle", "Atelier", "traitement", "gaspillage", "Défauts", 0.5),
        ("Attente de la tournée de livraison", "Logistique", "attente", "gaspillage", "Attente", 8),
        ("Livraison au client", "Logistique", "traitement", "nécessaire sans valeur ajoutée", "", 1.0),
        ("Facturation", "Administration", "traitement", "nécessaire sans valeur ajoutée", "", 0.25),
    ]
    rows = []
    for number, (activity, service, nature, category, waste, hours) in enumerate(base, start=1):
        if nature == "attente":
            hours = float(round(hours * rng.uniform(0.7, 1.4)))
        else:
            spread = VALUE_ADDED_SPREAD if category == "valeur ajoutée" else (0.8, 1.3)
            hours = max(0.25, round(hours * rng.uniform(*spread) * 4) / 4)
        rows.append((number, activity, service, nature, category, waste, hours))
    return pd.DataFrame(rows, columns=["activite_no", "activite", "service", "nature", "categorie",
                                       "type_gaspillage", "duree_h"])


def kaizen() -> pd.DataFrame:
    rows = [
        ("K1", "Prise de rendez-vous en ligne avec créneau d'enlèvement", 2, 0.75),
        ("K2", "Enlèvement planifié : le vélo passe directement au poste", 4, 0.5),
        ("K3", "Kit de pièces préparé la veille (kitting)", 7, 1.0),
        ("K3", "Kit de pièces préparé la veille (kitting)", 8, 0.5),
        ("K4", "Saisie unique de l'intervention sur tablette", 10, 1.0),
        ("K5", "Tournée de livraison quotidienne", 13, 0.5),
    ]
    return pd.DataFrame(rows, columns=["chantier", "action", "activite_no", "reduction"])


def _workdays(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    days = pd.bdate_range(f"{YEAR}-01-02", f"{YEAR}-12-12")
    weights = SEASON[days.month - 1]
    return pd.DatetimeIndex(np.sort(rng.choice(days.values, n, p=weights / weights.sum())))


#: share of orders returned late outside the peak months (drawn in this range; the peak months have PEAK_FACTOR
#: times more), and share of orders not right first time (idem): the QCD targets are met or missed by case
LATE_SHARE, DEFECT_SHARE, PEAK_FACTOR = (0.04, 0.10), (0.015, 0.045), 2.5


def work_orders(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(3000, 3250))
    late_share, defect_share = rng.uniform(*LATE_SHARE), rng.uniform(*DEFECT_SHARE)
    received = _workdays(rng, n)
    names = list(PRESTATIONS)
    prestation = rng.choice(names, n, p=[PRESTATIONS[p][0] for p in names])
    fleet = np.array([c[0] for c in FLEET_CLIENTS])
    b2b = (prestation == "Entretien contrat flotte") | (rng.random(n) < 0.45)
    client = np.where(b2b, rng.choice(fleet, n), [f"P{i:04d}" for i in rng.integers(1, 1800, n)])
    promised_days = np.array([PRESTATIONS[p][3] for p in prestation])
    peak = np.isin(received.month, [4, 5, 6, 9])
    late = rng.random(n) < np.where(peak, PEAK_FACTOR * late_share, late_share)
    lead = promised_days + np.where(late, rng.integers(1, 9, n), -rng.integers(0, 3, n))
    promised = received + pd.to_timedelta(promised_days, unit="D")
    returned = np.minimum(received + pd.to_timedelta(np.maximum(lead, 1), unit="D"), pd.Timestamp(f"{YEAR}-12-31"))
    price = np.array([PRESTATIONS[p][1] for p in prestation]) * rng.lognormal(0, 0.12, n)
    price = np.where(prestation == "Entretien contrat flotte", PRESTATIONS["Entretien contrat flotte"][1], price)
    hours = np.array([PRESTATIONS[p][4] for p in prestation]) * rng.lognormal(0, 0.25, n)
    defective = rng.random(n) < np.where(peak, PEAK_FACTOR * defect_share, defect_share)
    frame = pd.DataFrame({
        "ot_id": [f"OT{i:05d}" for i in range(1, n + 1)],
        "date_reception": received.strftime("%Y-%m-%d"),
        "date_promise": promised.strftime("%Y-%m-%d"),
        "date_restitution": pd.DatetimeIndex(returned).strftime("%Y-%m-%d"),
        "prestation": prestation,
        "client_id": client,
        "type_client": np.where(b2b, "Flotte B2B", "Particulier"),
        "technicien": rng.choice(TECHNICIANS, n, p=[0.19, 0.18, 0.17, 0.17, 0.15, 0.14]),
        "heures_mo": np.round(hours * 4) / 4,
        "montant_ht_eur": np.round(price, 2),
        "conforme_premier_passage": np.where(defective, "non", "oui"),
    })
    frame["heures_mo"] = frame["heures_mo"].clip(lower=0.25)
    return frame


def budget_prestations(rng: np.random.Generator, orders: pd.DataFrame) -> pd.DataFrame:
    counts = orders["prestation"].value_counts()
    rows = [(p, int(round(counts[p] * rng.uniform(0.88, 1.1), -1)), PRESTATIONS[p][2]) for p in PRESTATIONS]
    return pd.DataFrame(rows, columns=["prestation", "volume_prevu", "prix_moyen_prevu_ht_eur"])


def monthly_budget(rng: np.random.Generator, plan: pd.DataFrame) -> pd.DataFrame:
    total = float((plan["volume_prevu"] * plan["prix_moyen_prevu_ht_eur"]).sum())
    weights = SEASON * rng.normal(1, 0.04, 12)
    amounts = np.round(total * weights / weights.sum(), -2)
    amounts[-1] = round(total - amounts[:-1].sum(), 2)
    months = pd.period_range(f"{YEAR}-01", periods=12, freq="M").astype(str)
    return pd.DataFrame({"mois": months, "ca_prevu_ht_eur": amounts})


#: the year's average overrun of the costs (actual / budget), drawn in this range: under or over budget by case
COST_DRIFT = (0.98, 1.05)


def costs(rng: np.random.Generator) -> pd.DataFrame:
    base = [
        ("Salaires et charges des techniciens", 252_000, 0.03),
        ("Pièces détachées consommées", 96_000, 0.08),
        ("Véhicules de collecte et carburant", 18_500, 0.06),
        ("Loyer et énergie de l'atelier", 31_000, 0.02),
        ("Logiciel de gestion d'atelier", 6_000, 0.0),
        ("Sous-traitance (peinture, roues)", 12_000, 0.15),
        ("Frais de structure refacturés par le siège", 24_000, 0.0),
    ]
    rows, drift = [], rng.uniform(*COST_DRIFT)
    for item, amount, spread in base:
        budget = float(round(amount * rng.normal(1, 0.02), -2))
        rows.append((item, budget, round(budget * rng.normal(drift, spread), 2) if spread else budget))
    return pd.DataFrame(rows, columns=["poste", "budget_eur", "reel_eur"])


def targets(rng: np.random.Generator) -> pd.DataFrame:
    """The direction's 2025 targets (the cost target stays « no overspend »)."""
    rows = [
        ("Qualité", "taux de conformité au premier passage", step_draw(rng, 0.94, 0.97, 0.01), "au moins"),
        ("Coût", "écart relatif des charges : (réel − budget) / budget", 0.0, "au plus"),
        ("Délai", "taux de restitution au plus tard à la date promise", step_draw(rng, 0.88, 0.93, 0.01), "au moins"),
        ("Occupation", "heures facturées / heures disponibles, par technicien", step_draw(rng, 0.70, 0.80, 0.05),
         "au moins"),
    ]
    return pd.DataFrame(rows, columns=["indicateur", "definition", "objectif", "sens"])


def technicians(rng: np.random.Generator) -> pd.DataFrame:
    contracts = ["temps plein", "temps plein", "temps plein", "temps plein", "temps partiel 80 %", "temps plein"]
    hours = [1607 * (0.8 if "partiel" in c else 1.0) * rng.uniform(0.9, 1.0) for c in contracts]
    return pd.DataFrame({"technicien": TECHNICIANS, "contrat": contracts,
                         "heures_disponibles_2025": np.round(hours)})


def payment_habits(rng: np.random.Generator) -> dict[str, str]:
    """Each fleet client's payment behaviour: a few pay late, one to three dispute invoices, the others are punctual."""
    late, disputing = (int(rng.integers(low, high + 1)) for low, high in (LATE_PAYERS, DISPUTING))
    order = rng.permutation([client[0] for client in FLEET_CLIENTS])
    return {str(client): "retard" if k < late else "litige" if k < late + disputing else "ponctuel"
            for k, client in enumerate(order)}


def invoices(rng: np.random.Generator, orders: pd.DataFrame, vat: float = 0.20) -> pd.DataFrame:
    """Private customers pay on return; fleet clients get a monthly invoice paid per their habits."""
    names = {c[0]: c for c in FLEET_CLIENTS}
    habits = payment_habits(rng)
    rows = []
    private = orders[orders["type_client"] == "Particulier"]
    unpaid_private = rng.random(len(private)) < 0.006
    for order, unpaid in zip(private.itertuples(), unpaid_private):
        day = order.date_restitution
        rows.append((order.client_id, "Client particulier", "Particulier", day, day, order.montant_ht_eur,
                     "" if unpaid else day, "Paiement refusé (chèque sans provision)" if unpaid else ""))
    fleet = orders[orders["type_client"] == "Flotte B2B"].copy()
    fleet["mois"] = pd.to_datetime(fleet["date_restitution"]).dt.to_period("M")
    cutoff = pd.Timestamp(f"{YEAR}-12-31")
    for (client, month), group in fleet.groupby(["client_id", "mois"]):
        _, name, kind, _ = names[client]
        habit = habits[client]
        issued = month.to_timestamp(how="end").normalize()
        due = issued + pd.Timedelta(days=PAYMENT_TERMS[kind])
        dispute = ""
        if habit == "ponctuel":
            paid = due + pd.Timedelta(days=int(rng.integers(-6, 4)))
        elif habit == "retard":
            paid = due + pd.Timedelta(days=int(rng.integers(15, 80)))
        else:
            paid = due + pd.Timedelta(days=int(rng.integers(0, 30)))
            if rng.random() < 0.3 and month.month >= 5:
                paid, dispute = None, str(rng.choice(DISPUTES))
        paid_text = paid.strftime("%Y-%m-%d") if paid is not None and paid <= cutoff else ""
        rows.append((client, name, kind, issued.strftime("%Y-%m-%d"), due.strftime("%Y-%m-%d"),
                     round(float(group["montant_ht_eur"].sum()), 2), paid_text, dispute))
    frame = pd.DataFrame(rows, columns=["client_id", "client", "type_client", "date_facture", "date_echeance",
                                        "montant_ht_eur", "date_paiement", "litige"])
    frame["montant_ttc_eur"] = (frame["montant_ht_eur"] * (1 + vat)).round(2)
    frame = frame.sort_values(["date_facture", "client_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "facture_id", [f"FA{YEAR}-{i:04d}" for i in range(1, len(frame) + 1)])
    return frame[["facture_id", "date_facture", "client_id", "client", "type_client", "montant_ht_eur",
                  "montant_ttc_eur", "date_echeance", "date_paiement", "litige"]]


def obligations(rng: np.random.Generator, reference: pd.Timestamp) -> pd.DataFrame:
    contract_end = reference + pd.DateOffset(months=4) + pd.offsets.BDay(int(rng.integers(0, 30)))
    hired = reference - pd.offsets.BDay(int(rng.integers(10, 40)))
    rows = [
        ("Déclaration de TVA (CA3)", "fiscal", "Service des impôts des entreprises",
         "mensuelle : le 19 du mois qui suit le mois déclaré", "mensuelle", 19, "", "", ""),
        ("Déclaration sociale nominative (DSN)", "social", "URSSAF (net-entreprises.fr)",
         "mensuelle : le 15 du mois qui suit la paie (entreprise de moins de 50 salariés)", "mensuelle", 15, "", "", ""),
        ("État récapitulatif TVA et enquête EMEBI (échanges intra-UE)", "douane", "Douane",
         "mensuelle : le 10 du mois qui suit les livraisons", "mensuelle", 10, "", "", ""),
        ("Acompte d'impôt sur les sociétés", "fiscal", "Service des impôts des entreprises",
         "trimestrielle : les 15 mars, 15 juin, 15 septembre et 15 décembre", "trimestrielle", 15, "3;6;9;12", "", ""),
        ("Déclaration de résultats (liasse fiscale)", "fiscal", "Service des impôts des entreprises",
         "annuelle : le 19 mai (exercice clos le 31 décembre)", "annuelle", 19, "5", "", ""),
        ("Cotisation foncière des entreprises (CFE)", "fiscal", "Service des impôts des entreprises",
         "annuelle : le 15 décembre", "annuelle", 15, "12", "", ""),
        ("Préavis de non-reconduction du contrat flotte Métropole européenne de Lille", "juridique",
         "Client (lettre recommandée avec accusé de réception)",
         "ponctuelle : 3 mois avant la fin du contrat (date_evenement)", "ponctuelle", "", "",
         contract_end.strftime("%Y-%m-%d"), -3),
        ("Visite d'information et de prévention du technicien embauché", "social", "Service de prévention et de santé au travail",
         "ponctuelle : dans les 3 mois qui suivent l'embauche (date_evenement)", "ponctuelle", "", "",
         hired.strftime("%Y-%m-%d"), 3),
    ]
    return pd.DataFrame(rows, columns=["obligation", "domaine", "organisme", "regle", "frequence", "jour",
                                       "mois", "date_evenement", "decalage_mois"])


REQUIRED_DOCUMENTS: dict[str, list[tuple[str, Any]]] = {  # (document, days of validity or "")
    "import": [
        ("Facture commerciale du fournisseur", ""), ("Liste de colisage", ""),
        ("Connaissement maritime (B/L)", ""), ("Déclaration en douane d'importation (DAU)", ""),
        ("Certificat d'origine", ""), ("Numéro EORI de l'importateur", ""),
        ("Fiche de données de sécurité des batteries lithium", ""), ("Rapport d'essai UN 38.3", ""),
        ("Déclaration UE de conformité", ""), ("Attestation d'assurance transport", 12),
    ],
    "export": [
        ("Facture commerciale", ""), ("Liste de colisage", ""), ("Déclaration en douane d'exportation (DAE)", ""),
        ("Numéro EORI de l'exportateur", ""), ("Attestation d'origine sur facture", ""),
        ("Lettre de voiture (CMR)", ""),
    ],
    "sous-traitance": [
        ("Contrat de sous-traitance signé", ""), ("Extrait Kbis", 3), ("Attestation de vigilance URSSAF", 6),
        ("Attestation d'assurance responsabilité civile professionnelle", 12),
        ("Liste nominative des salariés étrangers", ""),
    ],
    "contrat client": [
        ("Contrat de prestation signé", ""), ("Conditions générales de vente acceptées", ""),
        ("Bon de commande", ""), ("Mandat de prélèvement SEPA", ""), ("Grille tarifaire annexée", ""),
    ],
}
DOSSIERS = [
    ("IMP-2026-01", "import", "Import de 400 batteries lithium (Shenzhen, Chine)"),
    ("EXP-2026-02", "export", "Export de 30 vélos de flotte vers Genève (Suisse)"),
    ("SST-2026-03", "sous-traitance", "Peinture des cadres par l'atelier Couleurs du Nord"),
    ("CLI-2026-04", "contrat client", "Contrat d'entretien de flotte, Assurances Nordia"),
]


def required_documents() -> pd.DataFrame:
    rows = [(kind, doc, validity) for kind, docs in REQUIRED_DOCUMENTS.items() for doc, validity in docs]
    return pd.DataFrame(rows, columns=["type_dossier", "document", "validite_mois"])


def document_files(rng: np.random.Generator, reference: pd.Timestamp) -> pd.DataFrame:
    """Documents received in each file: some are missing, some have expired at the reference date."""
    rows = []
    for dossier, kind, subject in DOSSIERS:
        docs = REQUIRED_DOCUMENTS[kind]
        missing = set(rng.choice(len(docs), 2, replace=False).tolist())
        if kind == "import":  # the file under review always holds an expired document
            missing = set(rng.choice(len(docs) - 1, 2, replace=False).tolist()) | {len(docs) - 1}
        for index, (doc, validity) in enumerate(docs):
            if index in missing and validity == "":
                continue
            months = int(rng.integers(0, validity)) if validity != "" else int(rng.integers(1, 4))
            if validity != "" and index in missing:
                months = int(validity) + int(rng.integers(1, 4))  # received, but expired
            day = (reference - pd.DateOffset(months=months) - pd.Timedelta(days=int(rng.integers(0, 20))))
            rows.append((dossier, kind, subject, doc, day.strftime("%Y-%m-%d")))
    return pd.DataFrame(rows, columns=["dossier_id", "type_dossier", "objet", "document", "date_document"])


def draft_invoice(rng: np.random.Generator) -> pd.DataFrame:
    lines = [
        ("Révision annuelle VAE de flotte", int(rng.integers(18, 30)), 90.0, 0.10),
        ("Remplacement batterie 500 Wh", int(rng.integers(2, 6)), 520.0, 0.05),
        ("Pneus anti-crevaison (paire)", int(rng.integers(6, 14)), 58.0, 0.0),
        ("Main-d'œuvre hors forfait (heure)", int(rng.integers(5, 12)), 55.0, 0.0),
        ("Enlèvement et livraison sur site", 2, 45.0, 0.0),
    ]
    wrong = int(rng.integers(0, 2))  # the draft forgot the discount on one line
    rows = []
    for index, (item, qty, price, discount) in enumerate(lines):
        typed = qty * price * (1 if index == wrong else 1 - discount)
        rows.append((item, qty, price, discount, 0.20, round(typed, 2)))
    return pd.DataFrame(rows, columns=["designation", "quantite", "prix_unitaire_ht_eur", "remise",
                                       "taux_tva", "montant_ht_saisi_eur"])


#: how the team's assessment of a risk moves from the register below (probability 1–4, severity 1–5); the crisis
#: scenario's risk (R02, criticality 10) and R10 (4) stay where they are: on the bounds of two zones, they are
#: what tells a zone slip from the right zones
RISK_STEPS, RISK_KEPT = (-1, 0, 0, 1), ("R02", "R10")


def risks(rng: np.random.Generator) -> pd.DataFrame:
    """The risk register: the team's assessment of each risk, around the levels below."""
    rows = [
        ("R01", "Rupture d'approvisionnement en batteries (fournisseur unique)", "fournisseur", 3, 4),
        ("R02", "Cyberattaque (rançongiciel) sur le logiciel de gestion d'atelier", "numérique", 2, 5),
        ("R03", "Incendie d'une batterie lithium dans l'atelier", "sécurité", 1, 5),
        ("R04", "Accident du travail d'un technicien", "social", 2, 3),
        ("R05", "Départ du seul technicien expert en diagnostic électronique", "social", 3, 3),
        ("R06", "Défaut en série sur un modèle de VAE (rappel)", "qualité", 2, 4),
        ("R07", "Perte du contrat flotte de la Métropole européenne de Lille", "commercial", 1, 4),
        ("R08", "Impayé d'un grand client flotte", "financier", 3, 2),
        ("R09", "Avis négatifs viraux après un litige client", "réputation", 4, 2),
        ("R10", "Blocage des livraisons par une grève des transporteurs", "logistique", 2, 2),
        ("R11", "Saturation de l'atelier au pic de printemps", "opérationnel", 4, 3),
        ("R12", "Déversement d'huiles et de liquides de frein usagés", "environnement", 1, 3),
    ]
    rows = [(rid, text, kind, p, g) if rid in RISK_KEPT else
            (rid, text, kind, int(np.clip(p + rng.choice(RISK_STEPS), 1, 4)), int(np.clip(g + rng.choice(RISK_STEPS), 1, 5)))
            for rid, text, kind, p, g in rows]
    return pd.DataFrame(rows, columns=["risque_id", "risque", "categorie", "probabilite", "gravite"])


def risk_scales() -> pd.DataFrame:
    rows = [
        ("probabilite", 1, "rare : moins d'une fois en 10 ans"), ("probabilite", 2, "possible : une fois en 5 à 10 ans"),
        ("probabilite", 3, "probable : une fois en 1 à 5 ans"), ("probabilite", 4, "fréquent : au moins une fois par an"),
        ("gravite", 1, "mineure : impact inférieur à 2 000 €, aucun client touché"),
        ("gravite", 2, "significative : moins de 10 000 €, quelques clients touchés"),
        ("gravite", 3, "grave : moins de 50 000 €, arrêt partiel ou blessure légère"),
        ("gravite", 4, "critique : moins de 150 000 €, perte d'un client clé ou atteinte à l'image"),
        ("gravite", 5, "catastrophique : plus de 150 000 €, arrêt durable, blessure grave ou pollution"),
    ]
    return pd.DataFrame(rows, columns=["echelle", "niveau", "libelle"])


def risk_zones() -> pd.DataFrame:
    rows = [
        ("acceptable", 1, 4, "surveillance annuelle"),
        ("acceptable sous contrôle", 5, 9, "plan de réduction et indicateur de suivi"),
        ("inacceptable", 10, 20, "traitement immédiat et plan de crise"),
    ]
    return pd.DataFrame(rows, columns=["zone", "criticite_min", "criticite_max", "conduite_a_tenir"])


def generate(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    dates = key_dates(rng)
    reference = pd.Timestamp(dates.loc[dates["evenement"] == "reference_obligations", "date"].item())
    orders = work_orders(rng)
    plan = budget_prestations(rng, orders)
    return {
        "hypotheses_centre.csv": hypotheses(rng),
        "dates_cles.csv": dates,
        "flux_revision.csv": value_stream(rng),
        "chantiers_kaizen.csv": kaizen(),
        "ordres_travail_2025.csv": orders,
        "budget_prestations_2025.csv": plan,
        "budget_mensuel_2025.csv": monthly_budget(rng, plan),
        "charges_centre_2025.csv": costs(rng),
        "objectifs_2025.csv": targets(rng),
        "techniciens_2025.csv": technicians(rng),
        "factures_clients_2025.csv": invoices(rng, orders),
        "obligations.csv": obligations(rng, reference),
        "documents_requis.csv": required_documents(),
        "documents_dossiers.csv": document_files(rng, reference),
        "facture_a_verifier.csv": draft_invoice(rng),
        "registre_risques.csv": risks(rng),
        "echelles_risques.csv": risk_scales(),
        "zones_criticite.csv": risk_zones(),
    }


def statement_parameters(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Numbers the statements quote from the files: the payment terms of the fleet clients' invoices
    and the bounds of the criticality zones."""
    from mda_checks.assign.statements import format_number, format_parameter

    invoices = frames["factures_clients_2025.csv"]
    terms = (pd.to_datetime(invoices["date_echeance"]) - pd.to_datetime(invoices["date_facture"])).dt.days

    def term(kind: str) -> str:
        return format_parameter(float(terms[invoices["type_client"] == kind].mode().iloc[0]), "jours")

    zones = ", ".join(f"{row.zone} de {format_number(row.criticite_min)} à {format_number(row.criticite_max)}"
                      for row in frames["zones_criticite.csv"].itertuples(index=False))
    return {
        "delai_paiement_entreprise": term("Entreprise"),
        "delai_paiement_collectivite": term("Collectivité"),
        "zones_criticite": zones,
    }
