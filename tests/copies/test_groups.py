"""A group assignment (bloc 4): a group's members share one case and one copy, so copying within a group is
never flagged; a group that copies another group's answers is, with that group as its source, even when that
group never handed in."""
from __future__ import annotations

import shutil

import pytest

from mda_checks.copies.detection import copy_units, detect_copies
from mda_checks.copies.handovers import read_handovers
from mda_checks.groups.roster import Groups, write_groups
from mda_checks.variants.learner_case import data_digest
from tests.copies.cohort import Work, cohort_course, grade

pytestmark = pytest.mark.xdist_group("variants-bloc4")
GROUPS = {"G1": ("g1.anna", "g1.bruno"), "G2": ("g2.chloe",), "G3": ("g3.david", "g3.emma"),
          "G4": ("g4.farid", "g4.gina"), "G5": ("g5.hugo",)}
#: G4 never hands in; G5 typed in G4's worked answers
ABSENT_GROUP = "groupe G4 (g4.farid, g4.gina, copie non rendue)"


def _hand_in(course, student: str, when: str) -> None:
    folder = course.step("submitted") / student / "bloc4"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text(when + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def groups_course(tmp_path_factory, variants_root):
    members = {student: f"groupe:{group}" for group, people in GROUPS.items() for student in people}
    course = cohort_course(tmp_path_factory.mktemp("groupes") / "cours", "bloc4", members, variants_root)
    write_groups(course, Groups("bloc4", GROUPS))
    # G1: both members handed the same dossier in (the latest, Anna's, is the group's copy); G2 on its own
    _hand_in(course, "g1.bruno", "2026-11-27 10:00:00.000000 UTC")
    _hand_in(course, "g1.anna", "2026-11-27 12:00:00.000000 UTC")
    _hand_in(course, "g2.chloe", "2026-11-27 11:00:00.000000 UTC")
    for student in ("g1.anna", "g2.chloe"):
        grade(course, "bloc4", student)
    # mda grade recopies the group's graded notebooks for every member (mda_checks.groups.propagate)
    shutil.copytree(course.step("autograded") / "g1.anna" / "bloc4", course.step("autograded") / "g1.bruno" / "bloc4")
    # G3 typed in G1's answers
    _hand_in(course, "g3.emma", "2026-11-27 13:00:00.000000 UTC")
    grade(course, "bloc4", "g3.emma", Work(typed=read_handovers(course.step("autograded") / "g1.anna" / "bloc4")))
    absent = grade(course, "bloc4", "g4.farid")  # G4's worked answers, then nothing graded: never handed in
    _hand_in(course, "g5.hugo", "2026-11-27 14:00:00.000000 UTC")
    grade(course, "bloc4", "g5.hugo", Work(typed=read_handovers(absent)))
    shutil.rmtree(absent.parent)
    return course


def test_one_copy_per_group_is_compared(groups_course):
    units = copy_units(groups_course, "bloc4")
    assert [u.label for u in units] == ["groupe G1 (g1.anna, g1.bruno)", "groupe G2 (g2.chloe)",
                                        "groupe G3 (g3.david, g3.emma)", "groupe G5 (g5.hugo)"]
    assert [u.student for u in units] == ["g1.anna", "g2.chloe", "g3.emma", "g5.hugo"]


def test_copying_within_a_group_is_not_flagged_between_groups_it_is(groups_course):
    findings = detect_copies(groups_course, "bloc4")
    assert findings.units == 4 and findings.cases == 5 and findings.not_handed_in == [ABSENT_GROUP]
    lines = {(s.learner, s.source) for s in findings.suspicions}
    assert lines == {("groupe G3 (g3.david, g3.emma)", "groupe G1 (g1.anna, g1.bruno)"),
                     ("groupe G5 (g5.hugo)", ABSENT_GROUP)}
    assert all(len(s.counted) >= 3 for s in findings.suspicions)


def test_without_the_groups_the_same_copies_would_be_compared_member_by_member(groups_course, tmp_path):
    """The group rule is what keeps Bruno's recopied notebooks out: with no groups declared, every graded folder
    is a copy of its own (Bruno's and Anna's on one case: still never compared with each other)."""
    path = groups_course.root / "groupes.csv"
    saved = path.read_text(encoding="utf-8")
    try:
        path.unlink()
        units = copy_units(groups_course, "bloc4")
        assert [u.student for u in units] == ["g1.anna", "g1.bruno", "g2.chloe", "g3.emma", "g5.hugo"]
        assert data_digest(units[0].case.folder) == data_digest(units[1].case.folder)  # one case, two folders
        flagged = {(s.learner, s.source) for s in detect_copies(groups_course, "bloc4").suspicions}
        assert flagged == {("g3.emma", "g1.anna, g1.bruno"), ("g5.hugo", ABSENT_GROUP)}
    finally:
        path.write_text(saved, encoding="utf-8")


def test_a_copy_whose_case_cannot_be_regenerated_is_left_out_with_why_the_others_are_compared(groups_course):
    """A variant whose data are not those published (docs/formateur.md « Une variante par apprenant ») stops
    nothing."""
    from mda_checks.variants.registry import read_registry, record_variants

    records = read_registry(groups_course)
    saved = records[("bloc4", "g2.chloe")]
    cache = groups_course.root / ".mda" / "cache"
    moved = cache.with_name("cache-mis-de-cote")
    try:
        cache.rename(moved)  # the regenerated data are checked against the published digest
        record_variants(groups_course, [type(saved)(**{**saved.__dict__, "empreinte": "0" * 64})])
        findings = detect_copies(groups_course, "bloc4")
        assert len(findings.left_out) == 1 and findings.left_out[0].startswith("groupe G2 (g2.chloe) : ")
        assert "ne sont pas celles publiées" in findings.left_out[0]
        assert {(s.learner, s.source) for s in findings.suspicions} == {
            ("groupe G3 (g3.david, g3.emma)", "groupe G1 (g1.anna, g1.bruno)"), ("groupe G5 (g5.hugo)", ABSENT_GROUP)}
    finally:
        record_variants(groups_course, [saved])
        shutil.rmtree(cache, ignore_errors=True)
        moved.rename(cache)
