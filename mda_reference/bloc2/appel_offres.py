"""02_appel_offres: cost build-up to the price, price score, weighted total, rank, price to win."""
import pandas as pd

from mda_apprenant.bareme import TOLERANCES
from mda_checks.casedata.company import elided
from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc2.answers import reference
from mda_reference.carried import number, numbers_of
from mda_reference.registry import CaseData


def costing(data: CaseData, with_options: bool = False) -> pd.DataFrame:
    frame = data("ao_chiffrage.csv")
    if not with_options:
        frame = frame[frame["exigence"] != "option"]
    return frame


def dry_cost(data: CaseData, with_options: bool = False) -> float:
    """Déboursé sec: labour + materials + equipment of the lines the CCTP asks for (variants are not allowed)."""
    frame = costing(data, with_options)
    return float((frame["quantite"] * frame["cout_unitaire_ht_eur"]).sum())


def price_ht(data: CaseData, ds: float | None = None) -> float:
    """PVHT = DS × (1 + frais de chantier) / (1 − frais généraux − bénéfice), FG and B on the price."""
    ds = dry_cost(data) if ds is None else ds
    site, overheads, profit = (data.parameter(p) for p in ("ao_taux_frais_chantier", "ao_taux_frais_generaux",
                                                            "ao_taux_benefice"))
    return ds * (1 + site) / (1 - overheads - profit)


def bids_ht(data: CaseData, ours: float | None = None, competitors_ttc: bool = False) -> pd.Series:
    """HT price of every bid: the competitors' TTC amounts / (1 + VAT), and Cyclonord's PVHT."""
    frame = data("ao_offres_concurrents.csv").set_index("candidat")
    vat = 0.0 if competitors_ttc else data.parameter("taux_tva")
    prices = frame["montant_ttc_eur"] / (1 + vat)
    prices[data.company] = price_ht(data) if ours is None else ours
    return prices


def price_scores(data: CaseData, prices: pd.Series) -> pd.Series:
    """Proportional formula of the RC: N × Pmin / P."""
    return data.parameter("ao_note_maximale") * prices.min() / prices


def weighted(data: CaseData, scores: pd.Series) -> pd.Series:
    frame = data("ao_offres_concurrents.csv").set_index("candidat")
    return (data.parameter("ao_poids_prix") * scores
            + data.parameter("ao_poids_technique") * frame["note_technique"]
            + data.parameter("ao_poids_environnement") * frame["note_environnement"])


def totals(data: CaseData) -> pd.Series:
    return weighted(data, price_scores(data, bids_ht(data)))


def candidates(data: CaseData) -> pd.Series:
    return data("ao_offres_concurrents.csv")["candidat"]


def price_to_win(data: CaseData, competitors_ttc: bool = False, best: float | None = None,
                 prices: pd.Series | None = None) -> float:
    """The highest PVHT at which Cyclonord's total equals the best competitor's total.

    Above the competitors' lowest price the others' scores do not move:
    w·N·Pmin/P + rest(us) = best total. Below it, Cyclonord sets Pmin and takes N.
    ``best``: the best competitor's total read in a learner's totals (computed from the case otherwise);
    ``prices``: the competitors' prices a learner compared (``learners_prices``).
    """
    frame = data("ao_offres_concurrents.csv").set_index("candidat")
    weight, top = data.parameter("ao_poids_prix"), data.parameter("ao_note_maximale")
    rest = weighted(data, pd.Series(0.0, index=frame.index))
    prices = (bids_ht(data, competitors_ttc=competitors_ttc) if prices is None else prices).drop(data.company, errors="ignore")
    others = weighted(data, price_scores(data, prices)).drop(data.company)
    candidate = weight * top * prices.min() / ((others.max() if best is None else best) - rest[data.company])
    if candidate >= prices.min():
        return float(candidate)
    # Cyclonord becomes the lowest bid: each competitor i is matched when w·N·P/P_i + rest_i = w·N + rest(us)
    return float(((weight * top + rest[data.company] - rest.drop(data.company)) * prices / (weight * top)).min())


def learners_prices(data: CaseData, notes_prix, prix_vente_ht) -> pd.Series:
    """The HT prices a learner compared, read in their own price scores.

    Scored by the rule's proportional formula (the lowest price gets N exactly, no price 0), a score
    is N × Pmin / P: each price is then Cyclonord's price × Cyclonord's score / its score (a learner
    who compared the competitors' TTC amounts, say, gets those amounts back). Scores of another form
    (the linear formula gives 0 to the highest price) say nothing of the prices: the learner's prices
    are then taken as the statement's HT prices.
    """
    scores = numbers_of(notes_prix, like=candidates(data))
    ours = number(prix_vente_ht)
    top = data.parameter("ao_note_maximale")
    proportional = (data.company in scores.index and bool((scores > 0).all())
                    and TOLERANCES["ratio"].accepts(float(scores.max()), top))
    return ours * scores[data.company] / scores if proportional else bids_ht(data, ours=ours)


@reference.answer("debourse_sec")
def dry_cost_answer(data: CaseData) -> Expected:
    return Expected(dry_cost(data), mistakes=[Mistake(
        dry_cost(data, with_options=True),
        "les lignes « option » (variantes) sont comptées ; le règlement de la consultation n'autorise pas de variante.",
        "methode")])


@reference.answer("prix_vente_ht")
def price_answer(data: CaseData) -> Expected:
    """Carried: the price built up from the learner's own déboursé sec."""
    site, overheads, profit = (data.parameter(p) for p in ("ao_taux_frais_chantier", "ao_taux_frais_generaux",
                                                            "ao_taux_benefice"))
    vat = data.parameter("taux_tva")

    def on_the_price(debourse_sec):
        return price_ht(data, number(debourse_sec))

    def in_cascade(debourse_sec):
        return number(debourse_sec) * (1 + site) * (1 + overheads) * (1 + profit)

    def all_on_cost(debourse_sec):
        return number(debourse_sec) * (1 + site + overheads + profit)

    def with_vat(debourse_sec):
        return price_ht(data, number(debourse_sec)) * (1 + vat)

    return Expected(on_the_price, mistakes=[
        Mistake(in_cascade,
                "les frais généraux et le bénéfice sont appliqués en cascade sur le coût ; ils sont exprimés en % du "
                "prix de vente HT.", "base_taux"),
        Mistake(all_on_cost,
                "tous les pourcentages sont appliqués au déboursé sec ; frais généraux et bénéfice se calculent sur "
                "le prix de vente HT.", "base_taux"),
        Mistake(with_vat, "le prix est donné TTC ; le prix de vente du chiffrage est HT.", "ht_ttc"),
    ], hint="PVHT = DS × (1 + frais de chantier) / (1 − frais généraux − bénéfice).")


@reference.answer("montant_ttc")
def amount_incl_vat(data: CaseData) -> Expected:
    """Carried: the learner's own price HT with VAT."""
    vat = data.parameter("taux_tva")

    def with_vat(prix_vente_ht):
        return number(prix_vente_ht) * (1 + vat)

    def without_vat(prix_vente_ht):
        return number(prix_vente_ht)

    return Expected(with_vat, mistakes=[Mistake(
        without_vat, "c'est le montant HT ; l'acte d'engagement demande aussi le montant TTC (HT × 1,20).", "ht_ttc")])


@reference.answer("notes_prix")
def price_score_answer(data: CaseData) -> Expected:
    """Carried: the price scores with Cyclonord at the learner's own price HT."""
    top = data.parameter("ao_note_maximale")

    def proportional(prix_vente_ht):
        return price_scores(data, bids_ht(data, ours=number(prix_vente_ht)))

    def competitors_ttc(prix_vente_ht):
        return price_scores(data, bids_ht(data, ours=number(prix_vente_ht), competitors_ttc=True))

    def linear(prix_vente_ht):
        prices = bids_ht(data, ours=number(prix_vente_ht))
        return top * (prices.max() - prices) / (prices.max() - prices.min())

    return Expected(proportional, mistakes=[
        Mistake(competitors_ttc,
                f"les prix TTC des concurrents sont comparés au prix HT {elided('de', data.company)} ; comparez des "
                "montants HT.", "ht_ttc"),
        Mistake(linear, "c'est la formule linéaire ; le règlement impose la formule proportionnelle N × Pmin / P.", "methode"),
    ])


@reference.answer("notes_totales")
def total_answer(data: CaseData) -> Expected:
    """Carried: the weighted totals of the learner's own price scores."""
    frame = data("ao_offres_concurrents.csv").set_index("candidat")

    def weighted_totals(notes_prix):
        return weighted(data, numbers_of(notes_prix, like=frame.index))

    def plain_mean(notes_prix):
        return (numbers_of(notes_prix, like=frame.index) + frame["note_technique"] + frame["note_environnement"]) / 3

    return Expected(weighted_totals, mistakes=[Mistake(
        plain_mean, "les trois notes ont le même poids ; appliquez les pondérations du règlement (article 6).", "methode")])


@reference.answer("rang_cyclonord")
def rank_answer(data: CaseData) -> Expected:
    """Carried: Cyclonord's rank in the learner's own totals."""
    def rank(notes_totales):
        totals_ = numbers_of(notes_totales, like=candidates(data))
        return int(totals_.rank(ascending=False, method="min")[data.company])

    def offers_ahead(notes_totales):
        return rank(notes_totales) - 1

    # Not listed: the rank counted from the lowest total (rank() without ascending=False). Among five candidates it is
    # the right rank whenever the company is third, on most draws: listing it would have the generator redraw most
    # cases (tests/reference/test_seed_sweep.py); the generator must first keep the company off the middle rank.
    return Expected(rank, mistakes=[
        Mistake(offers_ahead, "c'est le nombre d'offres mieux notées ; le rang est ce nombre plus un.", "methode"),
    ], hint="Le rang 1 revient à la meilleure note totale.")


@reference.answer("prix_gagnant_ht")
def price_to_win_answer(data: CaseData) -> Expected:
    """Carried: the price that equals the best competitor's total read in the learner's own totals, against the
    competitors' prices read in their own price scores (an error there is charged once, at the price scores)."""
    vat = data.parameter("taux_tva")

    def best_competitor(notes_totales):
        return numbers_of(notes_totales, like=candidates(data)).drop(data.company, errors="ignore").max()

    def price(notes_totales, notes_prix, prix_vente_ht):
        return price_to_win(data, best=best_competitor(notes_totales),
                            prices=learners_prices(data, notes_prix, prix_vente_ht))

    def competitors_ttc(notes_totales, notes_prix, prix_vente_ht):  # every price of the reasoning TTC: the answer too
        return price(notes_totales, notes_prix, prix_vente_ht) * (1 + vat)

    return Expected(price, mistakes=[Mistake(
        competitors_ttc,
        "le raisonnement porte sur les prix TTC des concurrents ; le prix de l'offre se compare et s'exprime HT.", "ht_ttc")],
        hint=f"Cherchez le prix P tel que 0,5 × 10 × Pmin / P + notes hors prix {elided('de', data.company)} = meilleure "
             "note totale des concurrents.")
