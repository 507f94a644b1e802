"""01_veille_concurrence: market growth, data checks, market shares, perceptual map."""
from mda_apprenant.check.expected import Expected, Mistake
from mda_apprenant.check.figures import FigureSpec, Marks
from mda_reference.bloc1.answers import reference
from mda_reference.registry import CaseData

FIRST, LAST = 2021, 2025


def market(data: CaseData, deduplicate: bool = True):
    frame = data("marche_vae.csv")
    return frame.drop_duplicates() if deduplicate else frame


def revenue_by_year(data: CaseData, deduplicate: bool = True):
    return market(data, deduplicate).groupby("annee")["ca_meur"].sum()


def cagr(first: float, last: float, periods: int) -> float:
    return (last / first) ** (1 / periods) - 1


@reference.answer("nb_doublons")
def duplicates(data: CaseData) -> Expected:
    frame = data("marche_vae.csv")
    return Expected(int(frame.duplicated().sum()), mistakes=[Mistake(
        int(frame.duplicated(keep=False).sum()), "chaque ligne d'un doublon est comptée, la première aussi ; ne comptez "
                                                 "que les lignes déjà vues plus haut (duplicated()).", "methode")],
                    hint="Une ligne en double est identique à une autre sur toutes les colonnes.")


@reference.answer("tcam_marche")
def market_cagr(data: CaseData) -> Expected:
    ca = revenue_by_year(data)
    with_duplicates = revenue_by_year(data, deduplicate=False)
    return Expected(
        cagr(ca[FIRST], ca[LAST], LAST - FIRST),
        mistakes=[
            Mistake(cagr(with_duplicates[FIRST], with_duplicates[LAST], LAST - FIRST),
                    "les lignes en double n'ont pas été supprimées avant le calcul.", "preparation"),
            Mistake(cagr(ca[FIRST], ca[LAST], LAST - FIRST + 1),
                    "vous avez compté 5 périodes : de 2021 à 2025 il y a 4 évolutions annuelles.", "decompte"),
            Mistake(ca[LAST] / ca[FIRST] - 1,
                    "c'est la croissance totale sur la période, pas le taux annuel moyen.", "methode"),
        ],
        hint="TCAM = (CA final / CA initial) ** (1 / nombre d'années) − 1, sur le CA total du marché.",
    )


@reference.answer("croissance_segments")
def segment_growth(data: CaseData) -> Expected:
    frame = market(data)
    value = frame.pivot_table(index="segment", columns="annee", values="ca_meur", aggfunc="sum")
    volume = frame.pivot_table(index="segment", columns="annee", values="ventes_unites", aggfunc="sum")
    return Expected(
        value[LAST] / value[LAST - 1] - 1,
        mistakes=[Mistake(volume[LAST] / volume[LAST - 1] - 1,
                          "la croissance est calculée sur les volumes (unités) et non sur le chiffre d'affaires.", "methode"),
                  Mistake((value[LAST] - value[LAST - 1]) / value[LAST],
                          "l'évolution est rapportée au chiffre d'affaires de 2025 ; un taux de croissance se rapporte "
                          "à l'année de départ (2024).", "methode")],
    )


def segment_cagr(data: CaseData):
    value = market(data).pivot_table(index="segment", columns="annee", values="ca_meur", aggfunc="sum")
    return cagr(value[FIRST], value[LAST], LAST - FIRST)


@reference.answer("segment_porteur")
def leading_segment(data: CaseData) -> Expected:
    growth = segment_cagr(data)
    return Expected(growth.idxmax(), hint="Comparez le TCAM 2021-2025 de chaque segment, en valeur.")


@reference.answer("segment_risque")
def declining_segment(data: CaseData) -> Expected:
    growth = segment_cagr(data)
    return Expected(growth.idxmin(), hint="Cherchez le segment dont le chiffre d'affaires recule entre 2021 et 2025.")


@reference.answer("parts_marche")
def market_shares(data: CaseData) -> Expected:
    players = data("concurrents_2025.csv").set_index("concurrent")
    value = players["ca_vae_2025_keur"]
    volume = players["ventes_unites_2025"]
    return Expected(
        value / value.sum(),
        mistakes=[Mistake(volume / volume.sum(), "les parts sont calculées en volume (unités) et non en valeur.", "methode")],
    )


@reference.answer("carte_perceptuelle")
def perceptual_map(data: CaseData) -> Expected:
    players = data("concurrents_2025.csv")
    price, rating = players["prix_moyen_eur"], players["note_clients"]
    return Expected(FigureSpec(marks=(Marks("points", points=len(players), x=(price.min(), price.max()),
                                            y=(rating.min(), rating.max()),
                                            label="un nuage d'un point par acteur (prix moyen en abscisse, note "
                                                  "en ordonnée)"),),
                               n_annotations=len(players)),
                    hint="Un nuage de points (ax.scatter), un point par acteur, son nom à côté, un titre et un "
                         "intitulé par axe.")
