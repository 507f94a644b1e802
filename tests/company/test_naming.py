"""Feedback, reports and jury booklets name the host company a learner was graded on."""
from mda_checks.company.register import company_name, company_note
from mda_checks.feedback_variant import variant_sentence
from mda_checks.report.competencies import data_label


def test_a_host_company_variant_is_named_as_the_company():
    assert company_name("entreprise Numéria Services") == "Numéria Services"
    assert variant_sentence("entreprise Numéria Services") == (
        "Vos données : celles de votre entreprise d'accueil, Numéria Services (propres à votre copie)")
    assert data_label("entreprise Numéria Services") == "entreprise d'accueil Numéria Services"


def test_other_variants_keep_their_words():
    assert company_name("V-3F9A2C") == ""
    assert variant_sentence("V-3F9A2C") == "Vos données : variante V-3F9A2C (propres à votre copie)"
    assert data_label("V-3F9A2C") == "variante V-3F9A2C" and data_label("") == "cas commun"


def test_the_copy_opens_with_the_company():
    cell = company_note("entreprise Numéria Services")
    assert cell.cell_type == "markdown" and "Numéria Services" in cell.source and "nbgrader" not in cell.metadata
