"""Counts rounded up are drawn clearly between two whole numbers: rounding another way never gives the right one."""
import math

import pandas as pd
import pytest

from mda_checks.casedata import bloc1, bloc2
from mda_checks.casedata.roundings import FRACTION, clear_rounding


def hypotheses(value: float) -> pd.DataFrame:
    return pd.DataFrame({"parametre": ["objectif"], "valeur": [value]})


def fraction(x: float) -> float:
    return x - math.floor(x)


def test_the_parameter_moves_by_its_step_to_the_nearest_clear_count():
    table = hypotheses(160.0)
    clear_rounding(table, "objectif", lambda objective: objective / 0.07, step=1)  # 2285.71: to the nearest is right
    moved = table.at[0, "valeur"]
    assert moved == 158.0 and FRACTION[0] <= fraction(moved / 0.07) <= FRACTION[1]  # 2257.14 (162 is as near)


def test_a_count_already_clear_keeps_its_parameter_and_one_never_clear_is_left_to_the_case_check():
    clear = hypotheses(10.0)
    clear_rounding(clear, "objectif", lambda objective: objective + 0.25, step=1)
    assert clear.at[0, "valeur"] == 10.0
    never = hypotheses(10.0)
    clear_rounding(never, "objectif", lambda objective: objective + 0.7, step=1)  # always above one half
    assert never.at[0, "valeur"] == 10.0


@pytest.mark.parametrize("seed", [0, 7, 8, 2026])
def test_the_generated_counts_are_clearly_between_two_whole_numbers(seed):
    frames = bloc1.generate(seed)
    given = frames["hypotheses_2026.csv"].set_index("parametre")["valeur"]
    clients = frames["clients_b2b.csv"]
    new_clients = clients["ca_2025_eur"].sum() * given["objectif_croissance_ca_b2b_2026"] \
        / clients.loc[clients["anciennete_ans"] == 0, "ca_2025_eur"].mean()
    lines = frames["budget_2026.csv"].groupby("nature")["montant_eur"].sum()
    rate = (lines["chiffre d'affaires"] - lines["variable"]) / lines["chiffre d'affaires"]
    bikes = (lines["fixe"] - lines["autre produit"]) / (given["prix_moyen_vae_ht_2026"] * rate)
    frames = bloc2.generate(seed)
    funnel = frames["leads_2025.csv"]
    objective = frames["hypotheses_bloc2.csv"].set_index("parametre").at["objectif_nouveaux_clients_2026", "valeur"]
    leads = objective * funnel["date_creation"].notna().sum() / funnel["date_signature"].notna().sum()
    for count in (new_clients, bikes, leads):
        assert FRACTION[0] <= fraction(count) <= FRACTION[1], count
