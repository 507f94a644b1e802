"""Bloc 1 reference: the formulas reproduce the worked examples of the formula sheet."""
import datetime as dt

import pandas as pd
import pytest

from mda_checks.check.expected import Expected
from tests.conftest import COURSE

ref = COURSE.import_reference("bloc1")


@pytest.fixture
def worked_example(tmp_path):
    """CA 500 000, CV 300 000, CF 120 000 and the seasonal months of the formula sheet."""
    budget = pd.DataFrame([
        ("Ventes de vélos (VAE)", "produit", "chiffre d'affaires", 500_000.0),
        ("Achats de vélos et composants consommés", "charge", "variable", 200_000.0),
        ("Transport sur ventes", "charge", "variable", 100_000.0),
        ("Charges fixes", "charge", "fixe", 120_000.0),
        ("Subvention", "produit", "autre produit", 0.0),
        ("Atelier", "investissement", "investissement", 10_000.0),
    ], columns=["poste", "categorie", "nature", "montant_eur"])
    budget.to_csv(tmp_path / "budget_2026.csv", index=False)
    months = [10, 10, 15, 20, 30, 50, 90, 100, 60, 40, 30, 45]
    pd.DataFrame({"mois": [f"2026-{m:02d}" for m in range(1, 13)], "ca_prevu_eur": [m * 1000.0 for m in months]}) \
        .to_csv(tmp_path / "ventes_mensuelles_2026.csv", index=False)
    return tmp_path


def test_break_even_worked_example(worked_example):
    assert ref.expected("taux_mcv", worked_example).value == pytest.approx(0.40)
    assert ref.expected("seuil_rentabilite", worked_example).value == pytest.approx(300_000)
    assert ref.expected("marge_securite", worked_example).value == pytest.approx(200_000)
    assert ref.expected("indice_securite", worked_example).value == pytest.approx(0.40)
    # 270 days would be 9 months for SR/CA = 0.75; here SR/CA = 0.6 -> 216 days
    assert ref.expected("delai_point_mort_jours", worked_example).value == pytest.approx(216)


def test_seasonal_break_even_date_worked_example(worked_example):
    """Sheet: cumulated to end of July 225 k, (300 - 225) / 100 = 0.75 of August -> about 23 August."""
    expected = ref.expected("date_point_mort", worked_example)
    assert expected.value == dt.date(2026, 8, 24)  # 0.75 × 31 days = 23.25 -> the 24th, within ±1 day of the sheet
    regular = expected.mistakes[0].value
    assert regular == dt.date(2026, 8, 6)  # the sheet's regular-sales figure: 7.2 months -> about 6 August


def test_expected_values_follow_the_data(worked_example):
    before = ref.expected("seuil_rentabilite", worked_example).value
    budget = pd.read_csv(worked_example / "budget_2026.csv")
    budget.loc[budget["nature"] == "fixe", "montant_eur"] = 160_000.0
    budget.to_csv(worked_example / "budget_2026.csv", index=False)
    assert ref.expected("seuil_rentabilite", worked_example).value == pytest.approx(400_000) != before


def test_every_expected_value_is_an_expected_object():
    data = COURSE.source / "bloc1" / "data"
    for key in ref.reference.keys():
        assert isinstance(ref.expected(key, data), Expected), key


def test_known_mistakes_differ_from_the_expected_value():
    """A mistake equal to the right answer would hide a wrong formula."""
    data = COURSE.source / "bloc1" / "data"
    for key in ref.reference.keys():
        expected = ref.expected(key, data)
        for mistake in expected.mistakes:
            if isinstance(expected.value, (float, int)):
                assert abs(float(mistake.value) - float(expected.value)) > 0.01, key
            elif isinstance(expected.value, pd.Series):
                assert not mistake.value.reindex(expected.value.index).equals(expected.value), key
            else:
                assert mistake.value != expected.value, key
