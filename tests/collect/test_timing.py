"""The submission time is one the learner cannot set: change times, capped by the collect."""
from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, UTC
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import gettz

from mda_checks.collect.timing import (STAMP_FORMAT, Claim, claim_notes, parse_claim, recorded_time, stamp,
                                       trusted_time, utc)
from mda_checks.course import Course
from mda_checks.groups.roster import Groups
from mda_checks.groups.selection import select_group_copies, submission_time

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
TOLERANCE = timedelta(minutes=5)


def test_the_trusted_time_is_the_latest_change_never_later_than_the_collect():
    earlier = NOW - timedelta(hours=2)
    assert trusted_time(earlier.timestamp(), NOW) == earlier
    assert trusted_time((NOW + timedelta(days=3)).timestamp(), NOW) == NOW  # a clock set back: capped


def test_a_stamp_reads_back_as_the_same_utc_time():
    moment = datetime(2026, 11, 27, 16, 59, 3, 123456, tzinfo=UTC)
    assert stamp(moment) == "2026-11-27 16:59:03.123456 UTC" and parse_claim(stamp(moment)) == moment
    assert parse_claim(None) is None and parse_claim("  ") is None and parse_claim("demain") is None


@pytest.fixture(params=["UTC", "Europe/Paris"])
def process_zone(request, monkeypatch):
    """This process's own zone (TZ): a root shell's UTC, or a trainer's Paris."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    gettz.cache_clear()  # dateutil keeps zones it resolved with the previous TZ
    yield request.param
    monkeypatch.undo()
    time.tzset()
    gettz.cache_clear()


def paris_stamp(moment: datetime) -> str:
    """What nbgrader's submit writes with ``Exchange.timezone = "Europe/Paris"`` (« … 12:00:00.000000 CEST »)."""
    return moment.astimezone(ZoneInfo("Europe/Paris")).strftime(STAMP_FORMAT)


def test_paris_stamps_of_winter_and_summer_read_back_as_the_same_moment_whatever_the_processs_zone(process_zone):
    winter = datetime(2026, 1, 15, 9, 30, 1, 250000, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert paris_stamp(winter).endswith(" CET") and paris_stamp(summer).endswith(" CEST")
    assert parse_claim(paris_stamp(winter)) == winter
    assert parse_claim(paris_stamp(summer)) == summer  # read as UTC, it was two hours late
    assert parse_claim("2026-07-01 10:00:00 +0200") == summer  # a %z format reads as well
    # the hour lived twice when clocks go back: the abbreviation says which one
    assert parse_claim("2026-10-25 02:30:00.000000 CEST") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert parse_claim("2026-10-25 02:30:00.000000 CET") == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_summer_submission_stamped_in_paris_time_gets_no_time_note(process_zone):
    trusted = datetime(2026, 6, 30, 15, 59, 50, tzinfo=UTC)
    claims = [Claim("timestamp.txt", paris_stamp(trusted - timedelta(seconds=3))),
              Claim("nom du dossier", paris_stamp(trusted - timedelta(seconds=4)))]
    assert claim_notes(claims, trusted, trusted + timedelta(minutes=1), TOLERANCE) == []


def test_a_zone_abbreviation_nobody_knows_is_unreadable_never_taken_for_utc(process_zone):
    assert parse_claim("2026-07-01 10:00:00.000000 XQZT") is None
    notes = claim_notes([Claim("timestamp.txt", "2026-07-01 10:00:00.000000 XQZT")], NOW, NOW, TOLERANCE)
    assert notes and notes[0].startswith("heure déclarée illisible")


def test_claimed_times_in_the_future_or_far_from_the_trusted_one_are_reported_and_ignored():
    trusted = NOW - timedelta(hours=1)
    close = Claim("timestamp.txt", stamp(trusted - timedelta(seconds=20)))  # nbgrader's submit takes a few seconds
    future = Claim("nom du dossier", "2099-01-01 00:00:00.000000 UTC")
    backdated = Claim("timestamp.txt", "2020-01-01 00:00:00.000000 UTC")
    unreadable = Claim("timestamp.txt", "n'importe quoi")
    assert claim_notes([close, Claim("timestamp.txt", None)], trusted, NOW, TOLERANCE) == []
    notes = claim_notes([future, backdated, unreadable], trusted, NOW, TOLERANCE)
    assert len(notes) == 3
    assert notes[0].startswith("heure déclarée dans le futur (nom du dossier : 1 janvier 2099") and "ignorée" in notes[0]
    assert notes[1].startswith("heure déclarée (timestamp.txt : 1 janvier 2020") and "différente" in notes[1]
    assert notes[2].startswith("heure déclarée illisible (timestamp.txt : « n'importe quoi »)")


def test_setting_a_files_times_backwards_does_not_move_its_change_time(tmp_path):
    """What the rule rests on: utime (touch -d) moves mtime, never ctime, which only goes forward."""
    path = tmp_path / "copie.ipynb"
    path.write_text("{}", encoding="utf-8")
    before = path.stat().st_ctime
    os.utime(path, (0, 0))  # 1970
    after = path.stat()
    assert after.st_mtime == 0 and after.st_ctime >= before
    assert utc(after.st_ctime) > datetime(2020, 1, 1, tzinfo=UTC)


def _copy(root, student, assignment, when: str):
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(when, encoding="utf-8")
    return folder


def test_a_copys_time_is_never_later_than_when_its_timestamp_was_written(tmp_path):
    past = _copy(tmp_path, "alice", "bloc4", "2026-11-27 10:00:00.000000 UTC")
    future = _copy(tmp_path, "bruno", "bloc4", "2099-01-01 00:00:00.000000 UTC")
    written = utc((future / "timestamp.txt").stat().st_ctime)
    assert recorded_time(past) == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert recorded_time(future) == written and written < datetime(2099, 1, 1, tzinfo=UTC)
    assert recorded_time(tmp_path / "personne") is None
    (past / "timestamp.txt").write_text("illisible", encoding="utf-8")
    assert recorded_time(past) is None


def test_a_member_who_wrote_a_future_time_does_not_stay_the_latest_of_the_group(tmp_path):
    course = Course(tmp_path)
    _copy(tmp_path, "bruno", "bloc4", "2099-01-01 00:00:00.000000 UTC")  # the attack: « latest » for good
    time.sleep(0.05)  # chloe's copy arrives after bruno's (change times are ordered by the clock)
    _copy(tmp_path, "chloe", "bloc4", stamp(datetime.now(UTC)))
    groups = Groups("bloc4", {"G1": ("bruno", "chloe")})
    selection = select_group_copies(course, groups, ["bruno", "chloe"])
    assert selection.graded == {"chloe"} and selection.copies["G1"].superseded == ("bruno",)
    assert submission_time(course, "bruno", "bloc4").tzinfo is None  # naive UTC, as nbgrader's
