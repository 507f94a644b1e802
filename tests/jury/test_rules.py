"""jury.toml: the shipped file states the defaults; every kind of mistake is named with its line and key."""
from __future__ import annotations

import pytest

from mda_checks.jury.rules import (
    ALL_CE, BLOCK_BLOC, BLOCK_IF_DECISIVE, DEFAULT_RULES, SHARE, JuryRules, RulesError, Threshold, parse_rules,
    read_rules,
)
from tests.conftest import REPO


def problems(text: str) -> list[str]:
    with pytest.raises(RulesError) as caught:
        parse_rules(text)
    return caught.value.problems


def test_the_shipped_jury_toml_states_the_defaults(tmp_path):
    shipped = read_rules(REPO)
    assert (shipped.competence, shipped.bloc, shipped.pending) == (DEFAULT_RULES.competence, DEFAULT_RULES.bloc,
                                                                   DEFAULT_RULES.pending)
    assert shipped.source == "jury.toml"
    assert read_rules(tmp_path) == DEFAULT_RULES  # no jury.toml: the defaults, said to be the defaults
    assert "par défaut" in DEFAULT_RULES.text()[-1]


def test_a_valid_file_sets_shares_the_pending_rule_and_the_members():
    rules = parse_rules('[competence]\nregle = "part"\npart = 0.75\n[bloc]\nregle = "part"\npart = 0.8\n'
                        '[attente]\nbloque = "si_decisif"\n[jury]\nmembres = ["Mme A, présidente", "M. B"]\n'
                        'lieu = "Lille"\n')
    assert rules == JuryRules(Threshold(SHARE, 0.75), Threshold(SHARE, 0.8), BLOCK_IF_DECISIVE,
                              ("Mme A, présidente", "M. B"), "Lille", "jury.toml")
    assert "au moins 75" in rules.text()[0] and "au moins 80" in rules.text()[1]


@pytest.mark.parametrize("text, expected", [
    ('[competence]\nregle = "moitie"\n', ["ligne 2, [competence] regle", "« moitie »", "« tous » ou « part »"]),
    ('[bloc]\nregle = "part"\npart = 1.5\n', ["ligne 3, [bloc] part", "« 1.5 »", "entre 0 (exclu) et 1"]),
    ('[bloc]\nregle = "part"\npart = true\n', ["ligne 3, [bloc] part", "invalide"]),
    ('[bloc]\nregle = "part"\npart = "0.5"\n', ["ligne 3, [bloc] part", "invalide"]),
    ('[bloc]\nregle = "part"\n', ["ligne 2, [bloc] regle", "donnez aussi part"]),
    ('[competence]\npart = 0.5\n', ["ligne 2, [competence] part", "ne s'emploie qu'avec"]),
    ('[attente]\nbloque = "jamais"\n', ["ligne 2, [attente] bloque", "« bloc » ou « si_decisif »"]),
    ('[jury]\nmembres = ["A", ""]\n', ["ligne 2, [jury] membres", "aucun texte vide"]),
    ('[jury]\nmembres = "A"\n', ["ligne 2, [jury] membres"]),
    ('[jury]\nlieu = 3\n', ["ligne 2, [jury] lieu"]),
    ('[juri]\nmembres = []\n', ["ligne 1, [juri]", "section inconnue"]),
    ('[bloc]\nregles = "toutes"\n', ["ligne 2, [bloc] regles", "clé inconnue", "regle, part"]),
    ('[bloc\nregle = "toutes"\n', ["ligne 1, colonne", "syntaxe TOML invalide"]),
    ('regle = "tous"\n', ["ligne 1, regle : clé hors de toute section"]),
])
def test_each_kind_of_mistake_is_named_with_its_line_and_key(text, expected):
    found = problems(text)
    assert len(found) == 1, found
    for part in expected:
        assert part in found[0], (part, found)


def test_every_problem_is_reported_at_once_in_french(tmp_path):
    path = tmp_path / "jury.toml"
    path.write_text('[competence]\nregle = "moitie"\n[bloc]\npart = 3\n[attente]\nbloque = 1\n', encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        read_rules(tmp_path)
    assert len(caught.value.problems) == 3
    assert str(caught.value).startswith("jury.toml : 3 erreurs, aucune proposition n'est faite")
    path.write_bytes('[jury]\nlieu = "Évry"\n'.encode("latin-1"))
    with pytest.raises(RulesError, match="pas encodé en UTF-8"):
        read_rules(tmp_path)


@pytest.mark.parametrize("threshold, total, needed", [
    (Threshold(ALL_CE), 4, 4), (Threshold(SHARE, 0.75), 4, 3), (Threshold(SHARE, 0.5), 3, 2),
    (Threshold(SHARE, 1.0), 5, 5), (Threshold(ALL_CE), 0, 1),
])
def test_a_threshold_needs_all_or_its_share_of_the_assessed_parts(threshold, total, needed):
    assert threshold.needed(total) == needed
    if total:
        assert threshold.met(needed, total) and not threshold.met(needed - 1, total)
    else:
        assert not threshold.met(0, 0)  # nothing assessed: never met


def test_the_default_pending_rule_blocks_the_whole_bloc():
    assert DEFAULT_RULES.pending == BLOCK_BLOC
