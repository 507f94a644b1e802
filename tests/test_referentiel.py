"""The referential as data: counts, unique codes, every code from the reference text."""
import re
from pathlib import Path

from mda_checks.referentiel import load_referentiel

SOURCE_TEXT = Path(__file__).resolve().parents[1] / "docs" / "referentiel" / "referentiel-manager-affaires.txt"


def test_counts_four_blocs_27_competences_112_criteria():
    ref = load_referentiel()
    assert len(ref.blocs) == 4
    assert len(ref.competences) == 27
    assert len(ref.criteria) == 112
    assert [len(b.criteria) for b in ref.blocs] == [25, 37, 26, 24]


def test_codes_are_unique_and_well_formed():
    ref = load_referentiel()
    codes = [ce.code for ce in ref.criteria]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"CE\d\.\d\.\d+", c) for c in codes)
    assert len({c.code for c in ref.competences}) == 27
    for competence in ref.competences:
        assert all(ce.code.startswith("CE" + competence.code[1:] + ".") for ce in competence.criteria)


def test_every_code_appears_in_the_reference_text():
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    # the source text writes two codes with a typo: C.E4.4.4 and C.4.5.4
    normalised = text.replace("C.E4.4.4", "CE4.4.4").replace("C.4.5.4", "CE4.5.4")
    ref = load_referentiel()
    for ce in ref.criteria:
        assert re.search(re.escape(ce.code) + r"\.?\s", normalised), ce.code
    for competence in ref.competences:
        assert competence.code + " " in text or competence.code + ". " in text, competence.code


def test_criterion_wording_is_taken_from_the_text():
    text = " ".join(SOURCE_TEXT.read_text(encoding="utf-8").split())
    ref = load_referentiel()
    for ce in ref.criteria:
        first_words = " ".join(ce.text.split()[:6])
        assert first_words.replace("délégatif", "déléгатif") in text or first_words in text, ce.code


def test_each_competence_has_an_activity_and_each_bloc_modalities_covering_it():
    ref = load_referentiel()
    for bloc in ref.blocs:
        covered = {code for modality in bloc.modalities for code in modality.competences}
        assert covered == {c.code for c in bloc.competences}
        for competence in bloc.competences:
            assert competence.activity in bloc.activities


def test_lookup_by_code():
    ref = load_referentiel()
    assert ref.criterion("CE1.6.3").competence == "C1.6"
    assert "seuil de rentabilité" in ref.criterion("CE1.6.3").text
    assert ref.bloc(2).criteria[0].code == "CE2.1.1"


def test_each_bloc_is_named_by_its_short_title_as_the_readme_names_it():
    from mda_checks.referentiel import bloc_label

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for bloc in load_referentiel().blocs:
        assert bloc.short_title and f"| {bloc.number} — {bloc.short_title} |" in readme, bloc.number
        assert bloc_label(f"bloc{bloc.number}") == f"Bloc {bloc.number} — {bloc.short_title}"
    assert bloc_label("bloc1") == "Bloc 1 — Stratégie commerciale durable"
    assert bloc_label("bloc9") == "bloc9" and bloc_label("essai") == "essai"  # not a bloc of the referential
