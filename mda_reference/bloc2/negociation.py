"""05_offre_negociation: offer vs stated budget, discount and volume, procedure floor, QCD concessions."""
import pandas as pd

from mda_apprenant.check.expected import Expected, Mistake
from mda_reference.bloc2.answers import reference
from mda_reference.carried import number, numbers_of, rows_behind
from mda_reference.registry import CaseData

BIKES = ("VAE-URB-26", "VAE-CARGO")


def quote(data: CaseData) -> pd.DataFrame:
    return data("demande_lumen.csv").merge(data("catalogue_2026.csv"), on="reference")


def offer_price(data: CaseData) -> float:
    frame = quote(data)
    return float((frame["quantite"] * frame["prix_catalogue_ht_eur"]).sum())


def offer_cost(data: CaseData) -> float:
    frame = quote(data)
    return float((frame["quantite"] * frame["cout_revient_ht_eur"]).sum())


def budget_ht(data: CaseData) -> float:
    return data.parameter("budget_client_ttc") / (1 + data.parameter("taux_tva"))


def margin_rate(data: CaseData) -> float:
    """Taux de marque: margin / selling price HT."""
    return (offer_price(data) - offer_cost(data)) / offer_price(data)


def kept_concessions(data: CaseData, kept_only: bool = True) -> pd.DataFrame:
    frame = data("negociation_lumen.csv")
    return frame[frame["retenue"] == "oui"] if kept_only else frame


def final_terms(data: CaseData) -> tuple[float, float]:
    """Price and margin HT of the final agreement: the offer plus the concessions kept."""
    kept = kept_concessions(data)
    price = offer_price(data) + kept["effet_prix_ht_eur"].sum()
    margin = offer_price(data) - offer_cost(data) + (kept["effet_prix_ht_eur"] - kept["effet_cout_ht_eur"]).sum()
    return price, margin


@reference.answer("montant_offre_ht")
def offer_answer(data: CaseData) -> Expected:
    return Expected(offer_price(data), mistakes=[Mistake(
        offer_price(data) * (1 + data.parameter("taux_tva")), "le montant est TTC ; l'offre se chiffre HT.", "ht_ttc")])


@reference.answer("ecart_budget")
def budget_gap(data: CaseData) -> Expected:
    """Carried: the learner's own offer amount less the budget HT."""
    budget, budget_ttc = budget_ht(data), data.parameter("budget_client_ttc")

    def gap(montant_offre_ht):
        return number(montant_offre_ht) - budget

    def gap_to_ttc(montant_offre_ht):
        return number(montant_offre_ht) - budget_ttc

    return Expected(gap, mistakes=[Mistake(
        gap_to_ttc, "le budget annoncé est TTC : convertissez-le en HT avant de le comparer à l'offre HT.", "ht_ttc")],
        hint="Écart = montant de l'offre HT − budget HT du client.")


@reference.answer("remise_necessaire")
def discount_needed(data: CaseData) -> Expected:
    """Carried: the discount that brings the learner's own offer amount to their own budget HT.

    The learner's budget HT is the one their gap was computed from: offer amount − gap.
    """
    budget_ttc = data.parameter("budget_client_ttc")

    def learners_budget(montant_offre_ht, ecart_budget):
        return number(montant_offre_ht) - number(ecart_budget)

    def on_the_price(montant_offre_ht, ecart_budget):
        return 1 - learners_budget(montant_offre_ht, ecart_budget) / number(montant_offre_ht)

    def on_the_budget(montant_offre_ht, ecart_budget):
        return number(montant_offre_ht) / learners_budget(montant_offre_ht, ecart_budget) - 1

    def to_ttc(montant_offre_ht, ecart_budget):
        return 1 - budget_ttc / number(montant_offre_ht)

    return Expected(on_the_price, mistakes=[
        Mistake(on_the_budget, "l'écart est rapporté au budget ; une remise se calcule sur le prix de l'offre.",
                "base_taux"),
        Mistake(to_ttc, "le budget TTC est comparé à l'offre HT ; comparez deux montants HT.", "ht_ttc"),
    ])


@reference.answer("taux_marque_offre")
def margin_rate_answer(data: CaseData) -> Expected:
    """Carried: the margin on the learner's own offer amount, over that amount."""
    cost = offer_cost(data)

    def on_price(montant_offre_ht):
        price = number(montant_offre_ht)
        return (price - cost) / price

    def on_cost(montant_offre_ht):
        return (number(montant_offre_ht) - cost) / cost

    return Expected(on_price, mistakes=[Mistake(
        on_cost, "c'est le taux de marge (marge / coût) ; le taux de marque rapporte la marge au prix de vente.",
        "base_taux")])


def learners_cost(montant_offre_ht, taux_marque_offre) -> float:
    """The cost the learner's margin rate was computed with: offer amount × (1 − margin rate)."""
    return number(montant_offre_ht) * (1 - number(taux_marque_offre))


@reference.answer("marge_apres_remise")
def margin_after_discount(data: CaseData) -> Expected:
    """Carried: the learner's own offer amount, discounted, less their own cost (read in their margin rate)."""
    discount = data.parameter("remise_etudiee")

    def discounted_price(montant_offre_ht, taux_marque_offre):
        return number(montant_offre_ht) * (1 - discount) - learners_cost(montant_offre_ht, taux_marque_offre)

    def discounted_margin(montant_offre_ht, taux_marque_offre):
        return (number(montant_offre_ht) - learners_cost(montant_offre_ht, taux_marque_offre)) * (1 - discount)

    return Expected(discounted_price, mistakes=[Mistake(
        discounted_margin, "la remise est appliquée à la marge ; elle s'applique au prix, le coût restant le même.",
        "methode")])


@reference.answer("hausse_volume")
def volume_increase(data: CaseData) -> Expected:
    """Carried: discount / (the learner's own margin rate − discount)."""
    discount = data.parameter("remise_etudiee")
    price, cost = offer_price(data), offer_cost(data)

    def increase(taux_marque_offre):
        return discount / (number(taux_marque_offre) - discount)

    return Expected(increase, mistakes=[
        Mistake(discount, "la hausse de volume n'est pas égale à la remise : chaque vente rapporte moins de marge.", "methode"),
        Mistake(discount / ((price - cost) / cost - discount),
                "le taux de marge (sur le coût) remplace le taux de marque (sur le prix).", "base_taux"),
    ], hint="Volume nécessaire / volume initial = marge unitaire avant remise / marge unitaire après remise.")


@reference.answer("remise_maximale")
def max_discount(data: CaseData) -> Expected:
    """Carried: the discount that keeps the floor margin rate on the learner's own offer amount and cost (read in
    their margin rate): 1 − cost / (amount × (1 − floor)), where cost / amount is 1 − their margin rate."""
    floor = data.parameter("taux_marque_plancher")

    def at_the_floor(montant_offre_ht, taux_marque_offre):
        cost = learners_cost(montant_offre_ht, taux_marque_offre)
        return 1 - cost / (number(montant_offre_ht) * (1 - floor))

    def rate_gap(montant_offre_ht, taux_marque_offre):
        return number(taux_marque_offre) - floor

    return Expected(at_the_floor, mistakes=[Mistake(
        rate_gap, "l'écart entre deux taux de marque n'est pas la remise possible : le taux de "
                  "marque se calcule sur le prix remisé.", "methode")])


@reference.answer("effets_qcd")
def qcd_effects(data: CaseData) -> Expected:
    def by_axis(frame: pd.DataFrame) -> pd.Series:
        return (frame["effet_prix_ht_eur"] - frame["effet_cout_ht_eur"]).groupby(frame["axe_qcd"]).sum()

    return Expected(by_axis(kept_concessions(data)), mistakes=[Mistake(
        by_axis(kept_concessions(data, kept_only=False)),
        "les demandes refusées sont comptées ; seules les concessions retenues (retenue = « oui ») entrent dans "
        "l'accord.", "methode")], hint="Effet sur la marge = effet sur le prix − effet sur le coût.")


@reference.answer("marge_finale")
def final_margin(data: CaseData) -> Expected:
    """Carried: the learner's own offer amount less their own cost, plus their own QCD effects."""
    def margin(montant_offre_ht, taux_marque_offre, effets_qcd):
        return (number(montant_offre_ht) - learners_cost(montant_offre_ht, taux_marque_offre)
                + float(numbers_of(effets_qcd).sum()))

    def without_concessions(montant_offre_ht, taux_marque_offre, effets_qcd):
        return number(montant_offre_ht) - learners_cost(montant_offre_ht, taux_marque_offre)

    def effects_subtracted(montant_offre_ht, taux_marque_offre, effets_qcd):
        return (number(montant_offre_ht) - learners_cost(montant_offre_ht, taux_marque_offre)
                - float(numbers_of(effets_qcd).sum()))

    return Expected(margin, mistakes=[
        Mistake(without_concessions, "c'est la marge de l'offre au prix catalogue ; ajoutez les effets des "
                                     "concessions retenues.", "methode"),
        Mistake(effects_subtracted, "les effets des concessions sont retranchés ; ce sont des effets sur la marge "
                                    "(déjà négatifs pour une concession qui coûte) : ajoutez-les.", "methode"),
    ])


def learners_price_effects(data: CaseData, effets_qcd) -> float:
    """The price effects of the concessions the learner's QCD effects were computed from (``rows_behind``)."""
    moves = data("negociation_lumen.csv")
    moves["effet_marge"] = moves["effet_prix_ht_eur"] - moves["effet_cout_ht_eur"]
    kept = rows_behind(effets_qcd, moves, "axe_qcd", "effet_marge", default=moves["retenue"] == "oui")
    return float(moves.loc[kept, "effet_prix_ht_eur"].sum())


@reference.answer("taux_marque_final")
def final_margin_rate(data: CaseData) -> Expected:
    """Carried: the learner's own final margin over their own offer amount plus the price effects of the
    concessions they kept (read in their QCD effects)."""
    def on_final_price(marge_finale, montant_offre_ht, effets_qcd):
        return number(marge_finale) / (number(montant_offre_ht) + learners_price_effects(data, effets_qcd))

    def on_initial_price(marge_finale, montant_offre_ht, effets_qcd):
        return number(marge_finale) / number(montant_offre_ht)

    return Expected(on_final_price, mistakes=[Mistake(
        on_initial_price, "la marge finale est rapportée au prix initial ; rapportez-la au prix "
                          "de l'accord final.", "base_taux")])
