"""Bloc 2 case: Cyclonord prospects, answers a tender, maps its client portfolio and negotiates.

Files: the 2025 leads of the CRM by prospection channel and the channels' spend;
the costing of a public tender (one line per cost item) and the bids of the
competitors; two years of orders (2024–2025) of a few hundred B2B and B2C clients
with their cost-to-serve; a negotiation case (catalogue, client request,
concessions); one file of hypotheses shared by the five notebooks.

Nothing here computes an expected answer: the files only hold the case's raw data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mda_checks.casedata.draws import step_draw
from mda_checks.casedata.roundings import clear_rounding

YEAR = 2025

# -- Prospection (notebook 1) -------------------------------------------------------------
CHANNELS = {
    # channel: (target, leads in 2025, stage probabilities lead→MQL, MQL→SQL, SQL→opportunité, opportunité→client)
    "Salon professionnel": ("B2B", 420, (0.45, 0.45, 0.60, 0.35)),
    "Social selling LinkedIn": ("B2B", 700, (0.35, 0.40, 0.55, 0.30)),
    "Prospection téléphonique": ("B2B", 950, (0.20, 0.35, 0.50, 0.25)),
    "Référencement payant (SEA)": ("B2C", 2_600, (0.22, 0.28, 0.45, 0.32)),
    "Publicité réseaux sociaux": ("B2C", 3_200, (0.15, 0.25, 0.45, 0.30)),
    "Parrainage clients": ("B2C", 300, (0.60, 0.55, 0.70, 0.50)),
}
SPEND = {
    # channel: [(item, nature, nominal amount HT)]; nature: marketing or commercial (valued sales time included)
    "Salon professionnel": [("Location du stand et aménagement", "marketing", 14_000),
                            ("Déplacements et hébergement", "commercial", 3_500),
                            ("Temps commercial valorisé (salaires chargés)", "commercial", 9_000)],
    "Social selling LinkedIn": [("Licences Sales Navigator", "marketing", 1_900),
                                ("Publications sponsorisées", "marketing", 6_000),
                                ("Temps commercial valorisé (salaires chargés)", "commercial", 12_000)],
    "Prospection téléphonique": [("Achat de fichiers qualifiés", "marketing", 2_500),
                                 ("Temps commercial valorisé (salaires chargés)", "commercial", 18_000)],
    "Référencement payant (SEA)": [("Achat de mots-clés", "marketing", 32_000),
                                   ("Honoraires de l'agence", "marketing", 6_000),
                                   ("Temps commercial valorisé (salaires chargés)", "commercial", 4_000)],
    "Publicité réseaux sociaux": [("Achat d'espace Meta", "marketing", 24_000),
                                  ("Création des visuels", "marketing", 4_000),
                                  ("Temps commercial valorisé (salaires chargés)", "commercial", 3_000)],
    "Parrainage clients": [("Primes de parrainage versées", "marketing", 5_200),
                           ("Outil de parrainage", "marketing", 1_200),
                           ("Temps commercial valorisé (salaires chargés)", "commercial", 1_500)],
}


def _date(rng: np.random.Generator, start: pd.Timestamp, days: np.ndarray | int) -> pd.Series:
    return start + pd.to_timedelta(rng.integers(0, days), unit="D")


def leads(rng: np.random.Generator) -> pd.DataFrame:
    """One row per 2025 lead: the dates it passed each funnel stage (empty if it did not)."""
    frames = []
    for channel, (target, volume, rates) in CHANNELS.items():
        n = int(round(volume * rng.normal(1, 0.03)))
        created = pd.Series(pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 350, n), unit="D"))
        reached = np.ones(n, dtype=bool)
        stages, previous = {}, created
        for name, rate, delay in zip(("date_mql", "date_sql", "date_opportunite", "date_signature"), rates,
                                     (6, 12, 15, 25)):
            reached = reached & (rng.random(n) < rate * rng.normal(1, 0.04))
            when = previous + pd.to_timedelta(rng.integers(1, 2 * delay, n), unit="D")
            when = when.where(when <= pd.Timestamp("2025-12-31"), pd.Timestamp("2025-12-31"))
            stages[name] = when.where(reached)
            previous = when
        frame = pd.DataFrame({"canal": channel, "cible": target, "date_creation": created, **stages})
        won = frame["date_signature"].notna()
        lost = ~won & (rng.random(n) < np.where(frame["date_opportunite"].notna(), 0.45, 0.75))
        frame["statut"] = np.select([won, lost], ["gagné", "perdu"], "en cours")
        last = frame[["date_creation", "date_mql", "date_sql", "date_opportunite", "date_signature"]].max(axis=1)
        follow_up = pd.to_timedelta(rng.integers(0, 75, n), unit="D")
        frame["date_dernier_contact"] = (last + follow_up).clip(upper=pd.Timestamp("2025-12-31"))
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True).sort_values(["date_creation", "canal"], kind="stable")
    frame.insert(0, "lead_id", [f"L{i:05d}" for i in range(1, len(frame) + 1)])
    for column in ("date_creation", "date_mql", "date_sql", "date_opportunite", "date_signature",
                   "date_dernier_contact"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.reset_index(drop=True)


#: spread of each channel's 2025 budget around its nominal amounts (log-normal): which channel pays best or
#: worst differs from case to case
CHANNEL_SPREAD = 0.2


def prospection_spend(rng: np.random.Generator) -> pd.DataFrame:
    budget = {channel: rng.lognormal(0, CHANNEL_SPREAD) for channel in SPEND}
    rows = [(channel, item, nature, float(round(amount * budget[channel] * rng.normal(1, 0.04), -1)))
            for channel, items in SPEND.items() for item, nature, amount in items]
    return pd.DataFrame(rows, columns=["canal", "poste", "nature", "montant_ht_eur"])


# -- Tender (notebook 2) ------------------------------------------------------------------
COST_LINES = [
    # requirement of the CCTP (or "option"), item, nature, quantity, unit, nominal unit cost HT
    ("E01", "Composants des VAE urbains (cadre, moteur, batterie)", "matériaux", 30, "vélo", 1_150),
    ("E01", "Assemblage et contrôle des VAE urbains", "main-d'œuvre", 120, "heure", 38),
    ("E02", "Composants des vélos cargo électriques", "matériaux", 6, "vélo", 2_600),
    ("E02", "Assemblage et contrôle des vélos cargo", "main-d'œuvre", 36, "heure", 38),
    ("E03", "Location d'un utilitaire pour la livraison", "matériel", 3, "jour", 180),
    ("E03", "Livraison et mise en service sur les trois sites", "main-d'œuvre", 24, "heure", 35),
    ("E04", "Formation des agents à la prise en main et à la sécurité", "main-d'œuvre", 12, "heure", 55),
    ("E05", "Visites de maintenance préventive (2 par an pendant 2 ans)", "main-d'œuvre", 216, "heure", 38),
    ("E05", "Consommables de maintenance (plaquettes, pneus, chaînes)", "matériaux", 144, "kit", 25),
    ("E05", "Outillage mobile de l'atelier (quote-part du marché)", "matériel", 1, "forfait", 650),
    ("E06", "Marquage antivol réglementaire", "matériaux", 36, "vélo", 12),
    ("E07", "Batteries de rechange", "matériaux", 4, "batterie", 420),
    ("option", "Casques connectés (variante non demandée)", "matériaux", 36, "casque", 45),
    ("option", "Antivols GPS (variante non demandée)", "matériaux", 36, "antivol", 70),
]
#: nominal price HT around which the competitors' bids are drawn (a round planning figure)
BID_ANCHOR_HT = 96_000
BIDDERS = [
    # name, price relative to the anchor, technical score /10, environmental score /10 (each moved by a
    # step drawn in SCORE_STEPS: the buyer's estimate differs from case to case; Cargonaut stays the one to beat)
    ("Veloxia Pro", 0.86, 6.0, 5.0),
    ("Cargonaut", 1.03, 8.75, 8.5),
    ("Urban'Ride", 0.95, 7.5, 6.5),
    ("Mobilib", 1.02, 7.5, 7.0),
]
SCORE_STEPS = (-0.5, 0.0, 0.5)
CYCLONORD_SCORES = (7.5, 8.0)


def tender_costing(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, (requirement, item, nature, quantity, unit, cost) in enumerate(COST_LINES, start=1):
        rows.append((f"D{k:02d}", requirement, item, nature, quantity, unit, round(cost * rng.normal(1, 0.03), 2)))
    return pd.DataFrame(rows, columns=["ligne", "exigence", "poste", "nature", "quantite", "unite",
                                       "cout_unitaire_ht_eur"])


def tender_bids(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for name, factor, technical, environment in BIDDERS:
        price_ht = round(BID_ANCHOR_HT * factor * rng.normal(1, 0.01), -1)
        technical, environment = (min(10.0, base + float(rng.choice(SCORE_STEPS)) / (2 if name == "Cargonaut" else 1))
                                  for base in (technical, environment))
        rows.append((name, round(price_ht * 1.2, 2), technical, environment))
    rows.append(("Cyclonord", np.nan, *CYCLONORD_SCORES))
    return pd.DataFrame(rows, columns=["candidat", "montant_ttc_eur", "note_technique", "note_environnement"])


# -- Client portfolio and communication (notebooks 3 and 4) -----------------------------------
SECTORS = ["Santé", "Logistique urbaine", "Collectivité", "Industrie", "Services", "Commerce"]
TOWNS = ["Lille", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Amiens", "Arras", "Lens", "Douai", "Valenciennes"]
CATEGORIES = {
    # category: (share of B2B orders, share of B2C orders, unit price HT, gross margin rate)
    "VAE": (0.30, 0.35, 2_300, 0.30),
    "Accessoires": (0.35, 0.35, 55, 0.45),
    "Entretien": (0.35, 0.30, 95, 0.55),
}


def portfolio_clients(rng: np.random.Generator, n_b2b: int = 130, n_b2c: int = 390) -> pd.DataFrame:
    b2b = pd.DataFrame({
        "client_id": [f"E{i:03d}" for i in range(1, n_b2b + 1)],
        "type_client": "B2B",
        "secteur": rng.choice(SECTORS, n_b2b, p=[0.22, 0.16, 0.14, 0.18, 0.18, 0.12]),
    })
    b2c = pd.DataFrame({"client_id": [f"P{i:04d}" for i in range(1, n_b2c + 1)], "type_client": "B2C",
                        "secteur": "Particulier"})
    frame = pd.concat([b2b, b2c], ignore_index=True)
    n = len(frame)
    frame["ville"] = rng.choice(TOWNS, n)
    # a third of the clients started before 2024, the others during the two years
    old = rng.random(n) < 0.35
    first = np.where(old, rng.integers(0, 6 * 365, n) - 6 * 365, rng.integers(0, 700, n))
    frame["date_premiere_commande"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(first, unit="D")
    b2c_mask = frame["type_client"] == "B2C"
    frame["consentement_email"] = np.where(b2c_mask, np.where(rng.random(n) < 0.62, "oui", "non"), "non")
    frame["opposition_email"] = np.where(~b2c_mask & (rng.random(n) < 0.12), "oui", "non")
    return frame


#: first day of the year-end closure (no order from 24 to 31 December)
CLOSURE_FROM_DAY = 24


def orders(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """2024–2025 orders; some clients stop buying (churn), new ones arrive.

    The shop closes from 24 to 31 December: the last order comes before the analysis date
    (31 December), as in a real file, so a recency counted from the last order differs.
    """
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")
    # rng.choice(names, p=shares) draws one rng.random() and looks it up in the shares' cumulative sums: the same
    # draw and lookup, with the sums computed once instead of once per order (the same numbers, the same stream)
    names = np.array(list(CATEGORIES))
    cumulative = {}
    for b2b in (True, False):
        cumulative[b2b] = np.array([c[0 if b2b else 1] for c in CATEGORIES.values()], dtype=float).cumsum()
        cumulative[b2b] /= cumulative[b2b][-1]
    rows, firsts, offsets = [], [], []
    for client in clients.itertuples():
        b2b = client.type_client == "B2B"
        yearly = rng.lognormal(np.log(9.0 if b2b else 3.0), 0.6)
        first = max(client.date_premiere_commande, start)
        stop = end
        if rng.random() < (0.18 if b2b else 0.30):  # the client leaves at some point
            stop = first + pd.Timedelta(days=int(rng.integers(30, 600)))
        span = max((min(stop, end) - first).days, 1)
        n = max(1, rng.poisson(yearly * span / 365))
        days = np.sort(rng.integers(0, span + 1, n))
        if client.date_premiere_commande >= start:
            days[0] = 0  # the first order of a new client is the date in the client file
        size = rng.lognormal(np.log(4 if b2b else 1), 0.7) if b2b else 1.0
        for day in days:
            category = names[cumulative[b2b].searchsorted(rng.random(), side="right")]
            share_b2b, share_b2c, price, rate = CATEGORIES[category]
            if category == "VAE":
                quantity = max(1, int(round(size * rng.uniform(0.5, 1.5)))) if b2b else 1
            elif category == "Accessoires":
                quantity = int(rng.integers(5, 40) if b2b else rng.integers(1, 4))
            else:
                quantity = int(rng.integers(2, 12) if b2b else 1)
            amount = quantity * price * rng.normal(1, 0.12)
            margin = amount * rate * rng.normal(1, 0.08)
            firsts.append(first)
            offsets.append(int(day))
            rows.append((client.client_id, category, quantity, round(amount, 2), round(margin, 2)))
    frame = pd.DataFrame(rows, columns=["client_id", "categorie", "quantite", "montant_ht_eur", "marge_brute_eur"])
    frame.insert(0, "date", pd.DatetimeIndex(firsts) + pd.to_timedelta(offsets, unit="D"))
    closed = (frame["date"].dt.month == 12) & (frame["date"].dt.day >= CLOSURE_FROM_DAY)  # year-end closure
    frame = frame[(frame["date"] <= end) & ~closed].sort_values(["date", "client_id"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "commande_id", [f"CMD{i:05d}" for i in range(1, len(frame) + 1)])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


def cost_to_serve(rng: np.random.Generator, order_lines: pd.DataFrame, clients: pd.DataFrame) -> pd.DataFrame:
    """2025 service activity of each client active in 2025 (commercial visits, after-sales, deliveries)."""
    active = order_lines[order_lines["date"] >= "2025-01-01"].groupby("client_id").size()
    kinds = clients.set_index("client_id").loc[active.index, "type_client"]
    b2b = (kinds == "B2B").to_numpy()
    n = len(active)
    # a few demanding clients: many visits (B2B) or repeated after-sales calls (B2C)
    demanding = rng.random(n) < 0.10
    visits = np.where(b2b, rng.poisson(np.where(demanding, 14, 3)), 0)
    after_sales = rng.poisson(np.where(b2b, 2.0, np.where(demanding, 3.5, 0.4)))
    deliveries = np.where(b2b, active.to_numpy(), (active.to_numpy() * rng.uniform(0, 0.4, n)).round())
    return pd.DataFrame({"client_id": active.index, "nb_visites_commerciales": visits,
                         "nb_interventions_sav": after_sales, "nb_livraisons": deliveries.astype(int)})


# -- Offer and negotiation (notebook 5) -----------------------------------------------------
CATALOGUE = [
    # reference, designation, price HT (moved by a step of PRICE_STEPS), cost price HT
    ("VAE-URB-26", "VAE urbain Cyclonord City 2026", 2_390, 1_640),
    ("VAE-CARGO", "Vélo cargo électrique Cyclonord Cargo", 5_200, 3_690),
    ("KIT-SECU", "Kit sécurité (casque, antivol, éclairage renforcé)", 145, 78),
    ("MAINT-3A", "Contrat de maintenance 3 ans (par vélo)", 420, 250),
    ("FORM-1J", "Formation prise en main et sécurité (par groupe de 8)", 650, 380),
    ("LIVR-SITE", "Livraison et mise en service (par site)", 380, 240),
]
#: catalogue prices of the case: the list price moved by one of these shares (then rounded to 10 €, 5 € below 1 000 €)
PRICE_STEPS = (-0.04, -0.02, 0.0, 0.02, 0.04)
#: Lumen Soins' request: urban bikes and cargo bikes (drawn in these ranges), one safety kit and one maintenance
#: contract per bike, training of the 30 carers by groups of 8, delivery on the three sites
URBAN_BIKES, CARGO_BIKES = (18, 30), (2, 6)
CARERS, GROUP_SIZE, SITES = 30, 8, 3
#: the client's budget TTC: this share of the offer at list price TTC, rounded to 500 € (below the offer: the
#: negotiation is about the gap)
BUDGET_SHARE = (0.90, 0.97)
CONCESSIONS = [
    # round, party, QCD axis, description, effect on the price HT (€), extra cost for Cyclonord HT (€), kept
    (1, "client", "Coût", "Demande une remise de 12 % sur les vélos", -4, 0, "non"),
    (1, "Cyclonord", "Coût", "Remise de 5 % sur les VAE urbains et les vélos cargo", -1, 0, "oui"),
    (2, "client", "Délai", "Exige une livraison en 3 semaines au lieu de 6", 0, 2_600, "non"),
    (2, "Cyclonord", "Délai", "Livraison en 4 semaines par transport express", 0, 1_350, "oui"),
    (3, "Cyclonord", "Qualité", "Garantie batterie portée de 2 à 3 ans", 0, 1_680, "oui"),
    (3, "client", "Qualité", "Renonce au kit sécurité pour les vélos cargo ({cargo} kits)", -2, -2, "oui"),
    (4, "Cyclonord", "Coût", "Deux sessions de formation offertes (référents internes)", -3, 0, "oui"),
    (4, "client", "Délai", "Paiement à 30 jours au lieu de 45", 0, -260, "oui"),
]


def _list_price(rng: np.random.Generator, price: float) -> float:
    moved = price * (1 + float(rng.choice(PRICE_STEPS)))
    return float(round(moved, -1) if price >= 1_000 else round(moved / 5) * 5)


def catalogue(rng: np.random.Generator) -> pd.DataFrame:
    rows = [(ref, name, _list_price(rng, price), round(cost * rng.normal(1, 0.02), 2))
            for ref, name, price, cost in CATALOGUE]
    return pd.DataFrame(rows, columns=["reference", "designation", "prix_catalogue_ht_eur", "cout_revient_ht_eur"])


def client_request(rng: np.random.Generator) -> pd.DataFrame:
    urban, cargo = (int(rng.integers(low, high + 1)) for low, high in (URBAN_BIKES, CARGO_BIKES))
    rows = [("VAE-URB-26", urban), ("VAE-CARGO", cargo), ("KIT-SECU", urban + cargo), ("MAINT-3A", urban + cargo),
            ("FORM-1J", -(-CARERS // GROUP_SIZE)), ("LIVR-SITE", SITES)]
    return pd.DataFrame(rows, columns=["reference", "quantite"])


def client_budget(rng: np.random.Generator, items: pd.DataFrame, request: pd.DataFrame, vat: float) -> float:
    """The budget Lumen Soins announces, TTC: below the offer at list price, a round figure."""
    prices = items.set_index("reference")["prix_catalogue_ht_eur"]
    offer_ttc = float((request.set_index("reference")["quantite"] * prices).sum()) * (1 + vat)
    return float(round(offer_ttc * rng.uniform(*BUDGET_SHARE) / 500) * 500)


def concessions(rng: np.random.Generator, items: pd.DataFrame, request_lines: pd.DataFrame) -> pd.DataFrame:
    """The negotiation's moves; coded effects (-1, -2, -3, -4) are priced from the catalogue and the request."""
    prices = items.set_index("reference")
    request = dict(zip(request_lines["reference"], request_lines["quantite"]))
    bikes = sum(prices.at[r, "prix_catalogue_ht_eur"] * request[r] for r in ("VAE-URB-26", "VAE-CARGO"))
    priced = {
        -1: (-round(0.05 * bikes, 2), 0.0),
        -2: (-request["VAE-CARGO"] * prices.at["KIT-SECU", "prix_catalogue_ht_eur"],
             -request["VAE-CARGO"] * prices.at["KIT-SECU", "cout_revient_ht_eur"]),
        -4: (-round(0.12 * bikes, 2), 0.0),
        -3: (-2 * prices.at["FORM-1J", "prix_catalogue_ht_eur"], 0.0),
    }
    rows = []
    cost: float
    for stage, party, axis, text, price, cost, kept in CONCESSIONS:
        if price < 0:
            price, cost = priced[price]
        elif cost:
            cost = round(cost * rng.normal(1, 0.03), 2)
        rows.append((stage, party, axis, text.format(cargo=request["VAE-CARGO"]), float(price), float(cost), kept))
    return pd.DataFrame(rows, columns=["tour", "partie", "axe_qcd", "concession", "effet_prix_ht_eur",
                                       "effet_cout_ht_eur", "retenue"])


VAT = 0.20
#: the two tender weights besides the price's (they add up to 1 − the price's weight)
TENDER_WEIGHTS = ((0.30, 0.20), (0.35, 0.15), (0.40, 0.10))


def hypotheses(rng: np.random.Generator, budget_ttc: float) -> pd.DataFrame:
    """The bloc's parameters. Objectives, rates, costs and thresholds vary with the case; VAT, the tender's
    scale and price weight, the follow-up and inactivity delays and the LTV/CAC rule do not (the law, the
    buyer's rules, and the messages of the grading quote them)."""
    technical, environmental = TENDER_WEIGHTS[int(rng.integers(0, len(TENDER_WEIGHTS)))]
    rows = [
        ("objectif_nouveaux_clients_2026", step_draw(rng, 130, 190, 10), "clients",
         "objectif du comité de direction (tous canaux)"),
        ("marge_annuelle_client_b2b", float(round(2_900 * rng.normal(1, 0.03), -1)), "euros",
         "marge brute annuelle moyenne d'un client B2B"),
        ("marge_annuelle_client_b2c", float(round(520 * rng.normal(1, 0.03), -1)), "euros",
         "marge brute annuelle moyenne d'un client B2C"),
        ("attrition_prevue_b2b", step_draw(rng, 0.12, 0.18, 0.01), "taux", "taux d'attrition annuel prévu des nouveaux clients B2B"),
        ("attrition_prevue_b2c", step_draw(rng, 0.25, 0.35, 0.01), "taux", "taux d'attrition annuel prévu des nouveaux clients B2C"),
        ("seuil_ltv_cac", 3, "ratio", "règle de la direction : un canal doit rapporter au moins 3 fois son coût"),
        ("delai_relance_jours", 30, "jours", "délai maximal sans contact pour une opportunité en cours"),
        ("taux_tva", VAT, "taux", "TVA sur les ventes de vélos et de services"),
        ("ao_taux_frais_chantier", step_draw(rng, 0.07, 0.09, 0.01), "taux",
         "frais de chantier (projet, livraison), en % du déboursé sec"),
        ("ao_taux_frais_generaux", step_draw(rng, 0.11, 0.13, 0.01), "taux", "frais généraux, en % du prix de vente HT"),
        ("ao_taux_benefice", step_draw(rng, 0.05, 0.07, 0.01), "taux", "bénéfice visé, en % du prix de vente HT"),
        ("ao_note_maximale", 10, "points", "note maximale de chaque critère (règlement de la consultation)"),
        ("ao_poids_prix", 0.50, "taux", "pondération du critère prix"),
        ("ao_poids_technique", technical, "taux", "pondération du critère valeur technique"),
        ("ao_poids_environnement", environmental, "taux", "pondération du critère performance environnementale"),
        ("cout_visite_commerciale", step_draw(rng, 140, 180, 5), "euros", "coût complet d'une visite commerciale"),
        ("cout_intervention_sav", step_draw(rng, 70, 100, 5), "euros",
         "coût complet d'une intervention du service après-vente"),
        ("cout_livraison", step_draw(rng, 35, 55, 5), "euros", "coût complet d'une livraison"),
        ("seuil_inactivite_jours", 180, "jours", "un client sans commande depuis plus longtemps est à relancer"),
        ("seuil_ca_vip", step_draw(rng, 12_000, 18_000, 1_000), "euros",
         "CA HT cumulé 2024-2025 ouvrant droit à l'invitation VIP"),
        ("budget_client_ttc", budget_ttc, "euros", "budget annoncé par Lumen Soins lors de l'entretien de découverte"),
        ("remise_etudiee", step_draw(rng, 0.04, 0.08, 0.01), "taux", "remise sur l'ensemble de l'offre étudiée avant la négociation"),
        ("taux_marque_plancher", step_draw(rng, 0.22, 0.26, 0.01), "taux",
         "procédure interne : taux de marque minimal d'une affaire"),
    ]
    return pd.DataFrame(rows, columns=["parametre", "valeur", "unite", "commentaire"])


def generate(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    lead_rows = leads(rng)
    spend = prospection_spend(rng)
    costing = tender_costing(rng)
    bids = tender_bids(rng)
    client_base = portfolio_clients(rng)
    order_lines = orders(rng, client_base)
    service = cost_to_serve(rng, order_lines, client_base)
    client_base["date_premiere_commande"] = client_base["date_premiere_commande"].dt.strftime("%Y-%m-%d")
    items = catalogue(rng)
    request = client_request(rng)
    frames = {
        "hypotheses_bloc2.csv": hypotheses(rng, client_budget(rng, items, request, VAT)),
        "leads_2025.csv": lead_rows,
        "depenses_prospection_2025.csv": spend,
        "ao_chiffrage.csv": costing,
        "ao_offres_concurrents.csv": bids,
        "clients.csv": client_base,
        "commandes_2024_2025.csv": order_lines,
        "couts_service_2025.csv": service,
        "catalogue_2026.csv": items,
        "demande_lumen.csv": request,
        "negociation_lumen.csv": concessions(rng, items, request),
    }
    clear_roundings(frames)
    return frames


def clear_roundings(frames: dict[str, pd.DataFrame]) -> None:
    """The leads needed are rounded up: the objective is moved until rounding another way gives another number
    (``casedata.roundings``)."""
    funnel = frames["leads_2025.csv"]
    rate = funnel["date_signature"].notna().sum() / funnel["date_creation"].notna().sum()
    clear_rounding(frames["hypotheses_bloc2.csv"], "objectif_nouveaux_clients_2026", lambda objective: objective / rate, 1)


def statement_parameters(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Quantities the statements quote from the files: the bikes and batteries the tender's CCTP
    asks for (its costing), the bikes Lumen Soins asks for (its request), the clients who ordered in the
    period (the portfolio's size); and the company's name and first sentence (``casedata.company``)."""
    from mda_checks.assign.statements import format_number
    from mda_checks.casedata.company import company_parameters

    costing = frames["ao_chiffrage.csv"]

    def tender_quantity(requirement: str, unit: str) -> str:
        lines = costing[(costing["exigence"] == requirement) & (costing["unite"] == unit)]
        return format_number(lines["quantite"].sum())

    request = frames["demande_lumen.csv"].set_index("reference")["quantite"]
    return {
        "ao_quantite_vae_urbains": tender_quantity("E01", "vélo"),
        "ao_quantite_vae_cargo": tender_quantity("E02", "vélo"),
        "ao_quantite_batteries": tender_quantity("E07", "batterie"),
        "lumen_quantite_vae_urbains": format_number(request["VAE-URB-26"]),
        "lumen_quantite_vae_cargo": format_number(request["VAE-CARGO"]),
        "nb_clients_actifs": format_number(frames["commandes_2024_2025.csv"]["client_id"].nunique()),
        **company_parameters(frames),
    }
