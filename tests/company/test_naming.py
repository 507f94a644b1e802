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


def test_the_references_messages_name_the_case_company(tmp_path):
    """A message of the correction that names the company names the case's: Numéria Services on its data, Cyclonord
    on the common case (never a fixed name)."""
    from mda_checks.company.example import write_example
    from mda_checks.scoring.reference import load_reference
    from tests.conftest import REPO

    # through the one door: a test before this one may have loaded another course's reference in this process
    appel_offres, registry = load_reference(REPO, "bloc2.appel_offres"), load_reference(REPO, "registry")
    write_example(2, tmp_path)
    for folder, name in ((tmp_path, "de Numéria Services"), (REPO / "source" / "bloc2" / "data", "de Cyclonord")):
        data = registry.CaseData(folder)
        said = [mistake.cause for mistake in appel_offres.price_score_answer(data).mistakes if mistake.slip == "ht_ttc"]
        said.append(appel_offres.price_to_win_answer(data).hint)
        assert len(said) == 2
        assert all(name in text for text in said), said
