"""nbgrader's collect, with the learner's identity and the submission time checked on the trainer's side.

``TrustedCollect`` is nbgrader's ``ExchangeCollect`` (same exchange, same ``submitted/`` layout,
same ``--update`` and ``--before-duedate`` rules, same ``CourseDirectory`` file rules) with three
changes, because everything in the exchange's ``inbound/`` folder was written by a learner:

- **Identity.** nbgrader only logs « cheating attempt? » when a folder named after one learner
  belongs to another account, and collects it. Here, where learners have their own accounts
  (``check_owner``, nbgrader's own setting, True by default), such a folder is refused and
  reported: never collected, never replacing that learner's genuine copy. Learners sharing one
  account set ``c.ExchangeCollect.check_owner = False``: identity is then not enforced.
- **Time.** nbgrader takes the date in the folder's name (chosen by its writer) to pick the latest
  submission and keeps the learner's ``timestamp.txt``. Here the time is the trusted one
  (``timing``), read while copying; it picks the latest genuine submission and is what the
  collected ``timestamp.txt`` holds. Claimed times that differ are reported.
- **Contents.** Links, special files and oversized folders are refused (``snapshot``); a folder
  name nbgrader cannot read is reported instead of stopping the whole collect.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets import Bool

from mda_checks.collect.snapshot import CopyRules, Refused, read_submission
from mda_checks.collect.timing import STAMP_FILE, Claim, claim_notes, recorded_time, stamp, trusted_time
from mda_checks.config import COLLECT_LIMITS
from mda_checks.report.timing import format_when
from mda_checks.roster import forbidden_name
from mda_checks.statuses import CollectStatus

COLLECTED, UPDATED, UNCHANGED, REFUSED, REPORTED = tuple(CollectStatus)


@dataclass(frozen=True)
class FolderEvent:
    """Something said about one folder of the exchange: refused, or collected with a remark."""

    folder: str
    status: str  # REFUSED or REPORTED
    reason: str


@dataclass
class LearnerOutcome:
    """What the collect did for one learner id found in the exchange."""

    learner: str
    status: str | None = None        # COLLECTED, UPDATED, UNCHANGED; None: nothing genuine to collect
    time: datetime | None = None     # the trusted time of the copy now in submitted/
    folder: str | None = None        # the exchange folder it came from
    detail: str = ""
    events: list[FolderEvent] = field(default_factory=list)

    @property
    def refused(self) -> list[FolderEvent]:
        return [event for event in self.events if event.status == REFUSED]


def _now() -> datetime:
    return datetime.now(UTC)


def _parts(name: str) -> list[str]:
    """« id+devoir+date[+aléa] »: nbgrader's folder name, as its fields."""
    return name.split("+")


class TrustedCollect(ExchangeCollect):
    """``nbgrader collect`` that refuses what a learner cannot have handed in themselves (see the module)."""

    check_owner = Bool(
        True,
        help="Learners have their own Unix accounts: a submission whose files do not all belong to the "
             "account named by its learner id is refused (mda collecte). False where learners share one "
             "account: identity is then not enforced."
    ).tag(config=True)

    on_learner: Callable[[LearnerOutcome, int, int], None] | None = None

    def ensure_root(self):
        """The collect only reads the exchange (nbgrader's check asks for a folder everyone may write)."""
        if not os.path.isdir(self.root):
            self.fail(f"aucun rendu à collecter : le dossier d'échange {self.root} n'existe pas (`mda echange` le crée)")

    # -- where nbgrader lists records (and fails the whole collect on one unreadable name)
    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("Aucun identifiant de cours (CourseDirectory.course_id dans nbgrader_config.py).")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"aucun rendu à collecter : {self.inbound_path} n'existe pas (le devoir a-t-il été publié ?)")
        wanted, assignment = self.coursedir.student_id, self.coursedir.assignment_id
        self.candidates: dict[str, list[str]] = {}
        self.unreadable: list[str] = []
        for name in sorted(os.listdir(self.inbound_path)):
            parts = _parts(name)
            if len(parts) < 2 or parts[1] != assignment or (wanted not in ("", "*") and parts[0] != wanted):
                continue
            if len(parts) not in (3, 4) or not parts[0] or forbidden_name(parts[0]):
                self.unreadable.append(name)
            else:
                self.candidates.setdefault(parts[0], []).append(name)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                duedate = gb.find_assignment(assignment).duedate
            except MissingEntry:
                duedate = None
        self.duedate = None if duedate is None else duedate.replace(tzinfo=UTC)

    def init_dest(self):
        pass

    @property
    def rules(self) -> CopyRules:
        kilo = 1000
        return CopyRules(exclude=tuple(self.coursedir.ignore), include=tuple(self.coursedir.include),
                         max_file_bytes=kilo * self.coursedir.max_file_size,
                         max_total_bytes=kilo * self.coursedir.max_dir_size,
                         max_entries=COLLECT_LIMITS.entries, max_depth=COLLECT_LIMITS.depth)

    def copy_files(self):
        self.outcomes: list[LearnerOutcome] = []
        if self.unreadable:
            outcome = LearnerOutcome("?", events=[FolderEvent(name, REFUSED, "nom de dépôt illisible (attendu : "
                                                              "« identifiant+devoir+date ») : ignoré")
                                                  for name in self.unreadable])
            self.outcomes.append(outcome)
        total = len(self.candidates)
        for done, learner in enumerate(sorted(self.candidates), start=1):
            outcome = self.collect_learner(learner, self.candidates[learner])
            self.outcomes.append(outcome)
            if self.on_learner:
                self.on_learner(outcome, done, total)

    # -- one learner
    def owner_of(self, learner: str) -> int | None:
        """The uid that must own the learner's submissions; None when identity is not enforced."""
        if not self.check_owner:
            return None
        try:
            return pwd.getpwnam(learner).pw_uid
        except KeyError:
            raise Refused(f"aucun compte Unix « {learner} » sur cette machine : l'identité du rendu ne peut pas être "
                          "vérifiée (apprenants sur un compte partagé : c.ExchangeCollect.check_owner = False dans "
                          "nbgrader_config.py)") from None

    def collect_learner(self, learner: str, names: list[str]) -> LearnerOutcome:
        outcome = LearnerOutcome(learner)
        try:
            owner = self.owner_of(learner)
        except Refused as problem:
            outcome.events += [FolderEvent(name, REFUSED, str(problem)) for name in names]
            return outcome
        genuine = []
        for name in names:
            try:
                snapshot = read_submission(Path(self.inbound_path) / name, owner, learner, self.rules)
            except Refused as problem:
                outcome.events.append(FolderEvent(name, REFUSED, str(problem)))
                continue
            genuine.append((trusted_time(snapshot.latest_change, _now()), name))
        if not genuine:
            return outcome
        when, name = self.choose(genuine)
        dest = Path(self.coursedir.format_path(self.coursedir.submitted_directory, learner,
                                               self.coursedir.assignment_id))
        had_copy = dest.is_dir()
        existing = recorded_time(dest) if had_copy else None
        if had_copy and not self.replaces(existing, when):
            outcome.status, outcome.time, outcome.folder = UNCHANGED, existing, name
            outcome.detail = self.unchanged_detail(existing, when)
            return outcome
        try:
            outcome.time = self.copy_one(learner, name, owner, dest, outcome)
        except Refused as problem:
            outcome.events.append(FolderEvent(name, REFUSED, str(problem)))
            if had_copy:
                outcome.status, outcome.time = UNCHANGED, existing
            return outcome
        outcome.status, outcome.folder = (UPDATED if had_copy else COLLECTED), name
        return outcome

    def choose(self, genuine: list[tuple[datetime, str]]) -> tuple[datetime, str]:
        """The latest genuine submission; with ``before_duedate``, the latest one on time if any (nbgrader's rule)."""
        ordered = sorted(genuine, reverse=True)
        if self.before_duedate and self.duedate is not None:
            on_time = [item for item in ordered if item[0] <= self.duedate]
            if on_time:
                return on_time[0]
        return ordered[0]

    def replaces(self, existing: datetime | None, new: datetime) -> bool:
        """nbgrader's rule: --update takes a newer one; --before-duedate takes the chosen one if it differs."""
        if self.update and (existing is None or new > existing):
            return True
        return bool(self.before_duedate and existing != new)

    def unchanged_detail(self, existing: datetime | None, new: datetime) -> str:
        if existing is not None and new > existing and not self.update:
            return (f"copie déjà collectée ({format_when(existing)}) ; un rendu plus récent ({format_when(new)}) "
                    "attend : `mda collecte --update` le reprend")
        return f"aucun rendu plus récent que la copie collectée ({format_when(existing)})"

    def copy_one(self, learner: str, name: str, owner: int | None, dest: Path, outcome: LearnerOutcome) -> datetime:
        """Copy the folder beside `dest`, write the trusted time, then put it in place (the previous copy
        stays until the new one is complete)."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(4)
        fresh = dest.parent / f".{dest.name}.collecte-{token}"
        try:
            snapshot = read_submission(Path(self.inbound_path) / name, owner, learner, self.rules, dest=fresh)
            collected_at = _now()
            when = trusted_time(snapshot.latest_change, collected_at)
            (fresh / STAMP_FILE).write_text(stamp(when), encoding="utf-8")
            if dest.is_dir():
                previous = dest.parent / f".{dest.name}.remplacee-{token}"
                os.rename(dest, previous)
                os.rename(fresh, dest)
                shutil.rmtree(previous)
            else:
                os.rename(fresh, dest)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        tolerance = timedelta(seconds=COLLECT_LIMITS.claim_tolerance_seconds)
        parts = _parts(name)
        claims = [Claim("nom du dossier", parts[2]), Claim(STAMP_FILE, snapshot.claimed_stamp)]
        notes = claim_notes(claims, when, collected_at, tolerance) + snapshot.skipped
        outcome.events += [FolderEvent(name, REPORTED, note) for note in notes]
        return when
