"""Bloc 1 case: Cyclonord, a maker of electric bikes (VAE) in Lille, builds its 2026 strategy.

Files: the French VAE market by segment, the regional competitors, the B2B client
base and prospects, the costed commercial actions (PAC), the 2026 budget with its
seasonal monthly sales, and 2024–2025 invoices for the management KPIs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mda_checks.casedata.draws import step_draw
from mda_checks.casedata.roundings import clear_rounding

YEARS = list(range(2019, 2026))
SEGMENTS = {
    # segment: (units 2019, average price 2019 €, price drift)
    "Urbain": (210_000, 1_850, 0.030),
    "Cargo": (18_000, 3_900, 0.020),
    "VTC/Trekking": (95_000, 2_300, 0.025),
    "VTT électrique": (52_000, 3_400, 0.030),
    "Pliant": (41_000, 1_450, 0.010),
}
#: segments that may lead the market (and how likely), and those that may decline: each variant draws one of each
LEADERS = {"Cargo": 0.4, "VTT électrique": 0.25, "Urbain": 0.2, "VTC/Trekking": 0.15}
DECLINERS = {"Pliant": 0.4, "VTC/Trekking": 0.3, "Urbain": 0.3}
#: yearly growth in volume of the leading segment, of the declining one, of the others
LEADER_GROWTH, DECLINE, MODERATE = (0.18, 0.32), (-0.08, -0.04), (0.03, 0.10)
#: rows keyed in twice when the two panels were merged: one in 2021 and one in 2025 (they change the
#: growth of the period), plus up to this many more in other years
EXTRA_DUPLICATES = 4
SECTORS = ["Santé", "Logistique urbaine", "Collectivité", "Industrie", "Services", "Commerce"]
SIZES = ["10-49", "50-249", "250-999", "1000+"]
DEPARTMENTS = [59, 62, 80, 60, 2]


def _pick(rng: np.random.Generator, weights: dict[str, float], excluded: str = "") -> str:
    names = [name for name in weights if name != excluded]
    shares = np.array([weights[name] for name in names])
    return str(rng.choice(names, p=shares / shares.sum()))


def segment_growth(rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """(yearly growth in volume, price drift) of each segment: one leads, one declines (its prices flat)."""
    leader = _pick(rng, LEADERS)
    decliner = _pick(rng, DECLINERS, excluded=leader)
    growth = {}
    for segment, (_, _, drift) in SEGMENTS.items():
        bounds = LEADER_GROWTH if segment == leader else DECLINE if segment == decliner else MODERATE
        growth[segment] = (round(float(rng.uniform(*bounds)), 3), 0.0 if segment == decliner else drift)
    return growth


def market(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    growth = segment_growth(rng)
    for segment, (units, price, _) in SEGMENTS.items():
        rate, drift = growth[segment]
        for k, year in enumerate(YEARS):
            shock = 0.82 if year == 2023 else 1.0  # the 2023 market slowdown
            u = units * (1 + rate) ** k * shock * rng.normal(1, 0.03)
            p = price * (1 + drift) ** k * rng.normal(1, 0.01)
            rows.append((year, segment, int(round(u, -1)), round(float(p)), round(u * p / 1e6, 2)))
    frame = pd.DataFrame(rows, columns=["annee", "segment", "ventes_unites", "prix_moyen_eur", "ca_meur"])
    # rows keyed in twice when two panels were merged: the learner must spot them
    by_year = {year: frame.index[frame["annee"] == year] for year in YEARS}
    others = frame.index[~frame["annee"].isin([2021, 2025])]
    twice = [rng.choice(by_year[2021]), rng.choice(by_year[2025]),
             *rng.choice(others, int(rng.integers(0, EXTRA_DUPLICATES + 1)), replace=False)]
    frame = pd.concat([frame, frame.loc[twice]], ignore_index=True)
    return frame.sort_values(["annee", "segment"], kind="stable").reset_index(drop=True)


def competitors(rng: np.random.Generator) -> pd.DataFrame:
    base = [
        # name, type, units, price, rating, reviews, channel, followers
        ("Cyclonord", "direct", 2_150, 2_620, 4.5, 640, "boutiques + site + flottes B2B", 9_800),
        ("Veloxia", "direct", 4_900, 1_980, 4.0, 5_200, "grande distribution + site", 61_000),
        ("Urban'Ride", "direct", 1_700, 2_890, 4.3, 880, "site marchand", 22_000),
        ("Cargonaut", "direct", 620, 5_400, 4.6, 310, "showroom + flottes B2B", 7_400),
        ("Rouebleue", "direct", 1_250, 2_250, 3.7, 1_150, "magasins franchisés", 12_500),
        ("Décavélo", "indirect", 5_600, 1_490, 3.9, 9_800, "grandes surfaces de sport", 140_000),
        ("Mobilib", "indirect", 950, 3_100, 4.1, 420, "location longue durée B2B", 5_100),
        ("Biclou & Co", "direct", 480, 2_450, 4.8, 190, "atelier-boutique", 3_300),
    ]
    rows = []
    for name, kind, units, price, rating, reviews, channel, followers in base:
        u = int(units * rng.normal(1, 0.04))
        p = round(price * rng.normal(1, 0.02))
        rows.append((name, kind, u, p, round(u * p / 1000, 1), rating, reviews, channel, followers))
    return pd.DataFrame(rows, columns=[
        "concurrent", "type", "ventes_unites_2025", "prix_moyen_eur", "ca_vae_2025_keur",
        "note_clients", "nb_avis", "canal_principal", "abonnes_reseaux",
    ])


def _b2b_firms(rng: np.random.Generator, n: int, prefix: str) -> pd.DataFrame:
    sector = rng.choice(SECTORS, n, p=[0.22, 0.16, 0.14, 0.18, 0.18, 0.12])
    size = rng.choice(SIZES, n, p=[0.35, 0.32, 0.22, 0.11])
    dept = rng.choice(DEPARTMENTS, n, p=[0.42, 0.22, 0.14, 0.12, 0.10])
    return pd.DataFrame({
        f"{prefix}_id": [f"{prefix[0].upper()}{i:03d}" for i in range(1, n + 1)],
        "secteur": sector, "effectif_tranche": size, "departement": dept,
    })


#: share of a full year's revenue that a client won during 2025 brings in 2025
FIRST_YEAR_SHARE = 0.5


def clients(rng: np.random.Generator) -> pd.DataFrame:
    """B2B clients active in 2025 with their revenue, gross margin and number of orders."""
    frame = _b2b_firms(rng, 180, "client")
    # value drivers: health-care fleets of mid-size firms near Lille buy most
    lift = (
        frame["secteur"].map({"Santé": 2.3, "Logistique urbaine": 1.5}).fillna(1.0)
        * frame["effectif_tranche"].map({"250-999": 2.0, "1000+": 1.4, "50-249": 1.2}).fillna(0.8)
        * frame["departement"].map({59: 1.5}).fillna(1.0)
    )
    revenue = 9_000 * lift * rng.lognormal(0, 0.45, len(frame))
    margin_rate = rng.normal(0.31, 0.04, len(frame)).clip(0.18, 0.42)
    frame["anciennete_ans"] = rng.integers(0, 9, len(frame))
    # a client won in 2025 bought during part of the year only: its revenue is well below an older one's
    revenue = np.where(frame["anciennete_ans"] == 0, revenue * FIRST_YEAR_SHARE, revenue)
    frame["ca_2025_eur"] = revenue.round(2)
    frame["marge_brute_2025_eur"] = (revenue * margin_rate).round(2)
    frame["nb_commandes_2025"] = rng.integers(1, 4, len(frame))
    return frame


def prospects(rng: np.random.Generator) -> pd.DataFrame:
    frame = _b2b_firms(rng, 120, "prospect")
    frame["source"] = rng.choice(["Salon", "LinkedIn", "Site web", "Recommandation", "Fichier CCI"], len(frame))
    return frame


def hypotheses(rng: np.random.Generator) -> pd.DataFrame:
    """The 2026 parameters: the committee's objective and the PAC's margin rate vary with the case; VAT
    and the commercial year are the law's and the convention's."""
    rows = [
        ("taux_tva", 0.20, "taux", "TVA sur les devis des actions du PAC"),
        ("objectif_croissance_ca_b2b_2026", step_draw(rng, 0.08, 0.16, 0.01), "taux", "objectif du comité de direction"),
        ("taux_mcv_actions", step_draw(rng, 0.32, 0.44, 0.01), "taux", "taux de MCV retenu pour évaluer les actions du PAC"),
        ("prix_moyen_vae_ht_2026", step_draw(rng, 2_250, 2_650, 50), "euros", "prix de vente moyen HT d'un vélo en 2026"),
        ("jours_annee_commerciale", 360, "jours", "convention de l'année commerciale"),
    ]
    return pd.DataFrame(rows, columns=["parametre", "valeur", "unite", "commentaire"])


#: spread of the revenue each quote expects (log-normal): which action pays least differs from case to case
ACTION_SPREAD = 0.3


def actions(rng: np.random.Generator) -> pd.DataFrame:
    base = [
        ("A01", "Salon Eurobike Lille", "Salon", "B2B", "T1", 21_000, 90_000),
        ("A02", "Campagne LinkedIn flottes d'entreprise", "Réseaux sociaux", "B2B", "T1", 9_600, 95_000),
        ("A03", "Journées d'essai en entreprise", "Démonstration terrain", "B2B", "T2", 14_400, 160_000),
        ("A04", "Partenariat mutuelle santé", "Partenariat", "B2B", "T2", 7_200, 70_000),
        ("A05", "Référencement payant (SEA)", "Web", "B2C", "T1", 18_000, 80_000),
        ("A06", "Newsletter et emailing clients", "Emailing", "B2C", "T2", 3_600, 45_000),
        ("A07", "Affichage métro Lille", "Affichage", "B2C", "T2", 26_400, 100_000),
        ("A08", "Portes ouvertes atelier", "Événement", "B2C", "T3", 6_000, 52_000),
        ("A09", "Programme de parrainage", "Fidélisation", "B2C", "T3", 4_800, 58_000),
        ("A10", "Appel d'offres collectivités", "Prospection directe", "B2B", "T3", 8_400, 140_000),
        ("A11", "Influence vélotaf (créateurs locaux)", "Réseaux sociaux", "B2C", "T4", 10_800, 44_000),
        ("A12", "Catalogue accessible (FALC, audio)", "Print et accessibilité", "B2C", "T4", 5_400, 22_000),
    ]
    rows = []
    for code, name, channel, target, quarter, cost, revenue in base:
        cost_ht = round(cost * rng.normal(1, 0.05), -1)
        rows.append((code, name, channel, target, quarter, round(cost_ht * 1.2, 2),
                     round(revenue * rng.lognormal(0, ACTION_SPREAD), -2)))
    return pd.DataFrame(rows, columns=[
        "action_id", "action", "canal", "cible", "trimestre", "cout_ttc_eur", "ca_attendu_ht_eur",
    ])


def budget(rng: np.random.Generator) -> pd.DataFrame:
    def noisy(x: float) -> float:
        return float(round(x * rng.normal(1, 0.02), -2))

    rows = [
        ("Ventes de vélos (VAE)", "produit", "chiffre d'affaires", noisy(5_400_000)),
        ("Prestations d'entretien", "produit", "chiffre d'affaires", noisy(380_000)),
        ("Subvention Région mobilité durable", "produit", "autre produit", step_draw(rng, 40_000, 80_000, 5_000)),
        ("Autres produits d'exploitation", "produit", "autre produit", noisy(25_000)),
        ("Achats de vélos et composants consommés", "charge", "variable", noisy(2_970_000)),
        ("Transport sur ventes", "charge", "variable", noisy(162_000)),
        ("Commissions des apporteurs d'affaires", "charge", "variable", noisy(108_000)),
        ("Charges externes (loyers, assurances, énergie)", "charge", "fixe", noisy(420_000)),
        ("Budget marketing et commercial (PAC)", "charge", "fixe", step_draw(rng, 145_000, 185_000, 5_000)),
        ("Salaires et charges sociales", "charge", "fixe", noisy(1_350_000)),
        ("Impôts et taxes", "charge", "fixe", noisy(85_000)),
        ("Dotations aux amortissements", "charge", "fixe", noisy(140_000)),
        ("Extension de l'atelier de montage", "investissement", "investissement", step_draw(rng, 180_000, 320_000, 5_000)),
        ("Flotte de vélos de démonstration", "investissement", "investissement", step_draw(rng, 30_000, 60_000, 1_000)),
    ]
    return pd.DataFrame(rows, columns=["poste", "categorie", "nature", "montant_eur"])


def monthly_sales(rng: np.random.Generator, annual_revenue: float) -> pd.DataFrame:
    """Seasonal 2026 revenue: spring and summer carry the bike market."""
    weights = np.array([3.5, 4.0, 7.5, 10.0, 12.5, 13.5, 12.0, 8.5, 9.0, 7.0, 5.0, 7.5])
    weights = weights * rng.normal(1, 0.03, 12)
    amounts = np.round(annual_revenue * weights / weights.sum(), -2)
    amounts[-1] = round(annual_revenue - amounts[:-1].sum(), 2)  # months add up to the budget
    return pd.DataFrame({"mois": pd.period_range("2026-01", periods=12, freq="M").astype(str),
                         "ca_prevu_eur": amounts})


def _split(rng: np.random.Generator, total: float, parts: int) -> list[float]:
    """`total` split into `parts` amounts to the cent that add up exactly."""
    amounts = list(np.round(total * rng.dirichlet(np.full(parts, 4.0)), 2))
    amounts[-1] = round(total - sum(amounts[:-1]), 2)
    return amounts


def invoices(rng: np.random.Generator, client_base: pd.DataFrame) -> pd.DataFrame:
    """2024–2025 invoices: B2B clients (consistent with clients_b2b.csv), 20 B2B clients
    lost after 2024, and about 1 400 private (B2C) customers."""
    rows = []
    for firm in client_base.itertuples():
        rate = firm.marge_brute_2025_eur / firm.ca_2025_eur
        for amount in _split(rng, firm.ca_2025_eur, firm.nb_commandes_2025):
            rows.append((2025, firm.client_id, "B2B", amount, rate))
        if firm.anciennete_ans > 0:
            for amount in _split(rng, firm.ca_2025_eur * rng.uniform(0.75, 1.1), int(rng.integers(1, 4))):
                rows.append((2024, firm.client_id, "B2B", amount, rate))
    for i in range(181, 201):
        for amount in _split(rng, 9_000 * rng.lognormal(0, 0.4), int(rng.integers(1, 3))):
            rows.append((2024, f"C{i:03d}", "B2B", amount, 0.30))
    for i in range(1, 1401):
        for year in (2024, 2025):
            buys = rng.random() < (0.55 if i <= 1000 else (0.0 if year == 2024 else 0.7))
            for _ in range(int(rng.integers(1, 3)) if buys else 0):
                rows.append((year, f"P{i:04d}", "B2C", max(300.0, rng.normal(2_300, 600)), rng.normal(0.36, 0.03)))
    frame = pd.DataFrame(rows, columns=["annee", "client_id", "type_client", "montant", "taux"])
    season = np.array([3, 4, 8, 10, 12, 13, 12, 8, 9, 8, 5, 8], dtype=float)
    month = rng.choice(12, len(frame), p=season / season.sum()) + 1
    day = rng.integers(1, 29, len(frame))
    frame["date"] = pd.to_datetime(dict(year=frame["annee"], month=month, day=day)).dt.strftime("%Y-%m-%d")
    frame["montant_ht_eur"] = frame["montant"].round(2)
    frame["cout_achat_ht_eur"] = (frame["montant_ht_eur"] * (1 - frame["taux"])).round(2)
    frame = frame.sort_values(["date", "client_id"], kind="stable").reset_index(drop=True)
    frame["facture_id"] = [f"F{i:05d}" for i in range(1, len(frame) + 1)]
    return frame[["facture_id", "date", "client_id", "type_client", "montant_ht_eur", "cout_achat_ht_eur"]]


def acquisition_spend(rng: np.random.Generator) -> pd.DataFrame:
    rows = [
        ("Publicité en ligne", 160_000), ("Salons et événements", 95_000), ("Outils CRM et emailing", 24_000),
        ("Supports commerciaux", 31_000), ("Commissions d'apport", 52_000),
    ]
    return pd.DataFrame(
        [(p, float(round(a * rng.normal(1, 0.05), -2))) for p, a in rows],
        columns=["poste", "montant_ht_eur"],
    )


def generate(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    client_base = clients(rng)
    budget_lines = budget(rng)
    revenue = budget_lines.loc[budget_lines["nature"] == "chiffre d'affaires", "montant_eur"].sum()
    frames = {
        "marche_vae.csv": market(rng),
        "concurrents_2025.csv": competitors(rng),
        "clients_b2b.csv": client_base,
        "prospects.csv": prospects(rng),
        "hypotheses_2026.csv": hypotheses(rng),
        "actions_pac.csv": actions(rng),
        "budget_2026.csv": budget_lines,
        "ventes_mensuelles_2026.csv": monthly_sales(rng, revenue),
        "factures_2024_2025.csv": invoices(rng, client_base),
        "depenses_acquisition_2025.csv": acquisition_spend(rng),
    }
    clear_roundings(frames)
    return frames


def clear_roundings(frames: dict[str, pd.DataFrame]) -> None:
    """The new clients to sign and the bikes of the break-even are rounded up: their parameters are moved until
    rounding another way gives another number (``casedata.roundings``)."""
    hypotheses, clients = frames["hypotheses_2026.csv"], frames["clients_b2b.csv"]
    revenue = clients["ca_2025_eur"].sum()
    new_client = clients.loc[clients["anciennete_ans"] == 0, "ca_2025_eur"].mean()
    clear_rounding(hypotheses, "objectif_croissance_ca_b2b_2026", lambda growth: revenue * growth / new_client, 0.001)
    lines = frames["budget_2026.csv"].groupby("nature")["montant_eur"].sum()
    net_fixed = lines["fixe"] - lines["autre produit"]
    rate = (lines["chiffre d'affaires"] - lines["variable"]) / lines["chiffre d'affaires"]
    clear_rounding(hypotheses, "prix_moyen_vae_ht_2026", lambda price: net_fixed / (price * rate), 10)


#: notebook 2's convention: the high-value clients are this share of the B2B clients (as in its reference)
HIGH_VALUE_SHARE = 0.20
PAC_BUDGET_LINE = "Budget marketing et commercial (PAC)"


def statement_parameters(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Numbers the statements quote that are not rows of the hypotheses: the PAC envelope voted in
    the budget, the counts of clients, prospects and market players, and the number of clients notebook 2's high-value
    share makes; and the company's name and first sentence (``casedata.company``)."""
    from mda_checks.assign.statements import format_number, format_parameter
    from mda_checks.casedata.company import company_parameters

    budget_lines = frames["budget_2026.csv"].set_index("poste")["montant_eur"]
    clients = len(frames["clients_b2b.csv"])
    return {
        "budget_pac_ht": format_parameter(float(budget_lines[PAC_BUDGET_LINE]), "euros"),
        "nb_clients_b2b": format_number(clients),
        "nb_clients_forte_valeur": format_number(round(HIGH_VALUE_SHARE * clients)),
        "nb_prospects": format_number(len(frames["prospects.csv"])),
        "nb_acteurs": format_number(len(frames["concurrents_2025.csv"])),  # the company and its competitors
        **company_parameters(frames),
    }
