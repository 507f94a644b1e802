"""Status words are enums, one per concept, and their values (written in files on disk) never change."""
from __future__ import annotations

import csv
import io
import json

import pytest

from mda_checks import statuses
from mda_checks.collect import exchange_collect
from mda_checks.grade import autograde, inspect
from mda_checks.jury import decisions, proposals
from mda_checks.report import competencies

#: the words journals, reports and registers already hold: changing one would misread old files
ON_DISK = {
    statuses.NotebookStatus: ["corrigé", "corrigé avec remarques", "non corrigé", "échec"],
    statuses.CopyOutcome: ["corrigées", "en échec", "ignorées (inchangées)"],
    statuses.NotebookFile: ["à corriger", "absent", "illisible", "trop volumineux"],
    statuses.CollectStatus: ["collecté", "mis à jour", "inchangé", "refusé", "signalé"],
    statuses.CriterionStatus: ["acquis", "non acquis", "en attente", "non évalué"],
    statuses.CompetenceStatus: ["acquise", "non acquise", "en attente", "non évaluée"],
    statuses.BlocProposal: ["validé", "non validé", "en attente"],
    statuses.JuryDecision: ["validé", "non validé", "ajourné"],
}


@pytest.mark.parametrize("enum", ON_DISK, ids=lambda e: e.__name__)
def test_values_are_those_files_hold(enum):
    assert [member.value for member in enum] == ON_DISK[enum]


@pytest.mark.parametrize("enum", ON_DISK, ids=lambda e: e.__name__)
def test_a_member_is_written_and_read_back_as_its_word(enum):
    for member in enum:
        out = io.StringIO()
        csv.writer(out).writerow([member])
        assert out.getvalue().strip() == member.value and json.dumps(member) == json.dumps(member.value)
        assert f"{member}" == str(member) == member.value and enum(member.value) is member


def test_the_modules_names_are_the_enums_members_not_loose_strings():
    assert autograde.GRADED is statuses.NotebookStatus.GRADED and autograde.FAILED is statuses.NotebookStatus.FAILED
    assert not hasattr(__import__("mda_checks.grade.runs.cohort", fromlist=["x"]), "GRADED")  # one GRADED per concept
    assert inspect.GRADABLE is statuses.NotebookFile.GRADABLE
    assert exchange_collect.REFUSED is statuses.CollectStatus.REFUSED
    assert competencies.STATUSES == tuple(statuses.CriterionStatus)
    assert proposals.OUTCOMES == tuple(statuses.BlocProposal)
    assert proposals.COMPETENCE_NOT_ASSESSED is statuses.CompetenceStatus.NOT_ASSESSED
    assert decisions.DECISIONS == tuple(statuses.JuryDecision)


def test_a_word_outside_its_enum_is_refused():
    with pytest.raises(ValueError):
        statuses.JuryDecision("en attente")  # a proposal's word, not a decision's
    with pytest.raises(ValueError):
        statuses.NotebookStatus("corrigées")  # the run summary's word, not a notebook's
