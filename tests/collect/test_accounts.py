"""Identity and time on the trainer's side, with real learner accounts submitting through nbgrader's exchange.

Five learners, each their own Unix account, hand in bloc 1 with `nbgrader submit` run as themselves
(root only: the accounts are made with useradd). Beside each attack an honest learner scores exactly
their honest points:

- bruno drops two submissions in alice's name (a folder dated 2099 and `nbgrader submit --student`):
  both refused and reported, alice's own solved copy is the one graded (as chloe's, cell by cell);
- bruno dates his own early blank copy 2099 (name and timestamp.txt) to stay his group's « latest »:
  chloe's later copy is the group's;
- david hands in after the due date, then dates his copy 2020: collected with the time it really
  arrived, late, and nbgrader's late penalty (here « zero ») applies;
- eve adds a submission whose notebook is a link to alice's collected copy: refused, eve keeps
  her own (blank) points, exactly bruno's.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from datetime import datetime, UTC
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from mda_checks.cli import main
from mda_checks.collect.timing import parse_claim
from mda_checks.demo.submissions import blank_submission, solved_submission
from mda_checks.exchange import ensure_exchange, learner_config
from mda_checks.grade.runs.cohort import plan_grading, run_grading
from mda_checks.groups.roster import Groups
from mda_checks.groups.selection import select_group_copies
from mda_checks.nbgrader_api import course_api, ensure_success
from tests.collect.accounts import Accounts, skip_unless_root
from tests.grade.helpers import trimmed_course

pytestmark = [pytest.mark.xdist_group("comptes")]
A = "bloc1"
FUTURE, PAST = "2099-01-01 00:00:00.000000 UTC", "2020-01-15 12:00:00.000000 UTC"


def _in_course(course, *argv: str) -> tuple[int, str]:
    here = os.getcwd()
    os.chdir(course.root)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as said:
            status = main(list(argv))
    finally:
        os.chdir(here)
    return status, " ".join(said.getvalue().split())


class Cohort:
    def __init__(self, base: Path):
        self.accounts = Accounts(base)
        self.course = trimmed_course("comptes")
        self.exchange = base / "echange"
        with (self.course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(f"\nc.Exchange.root = {str(self.exchange)!r}\n"
                         "c.LateSubmissionPlugin.penalty_method = 'zero'\n")
        ensure_exchange(self.course)
        self.db = f"sqlite:///{self.course.root / 'gradebook.db'}"
        self.learners = {short: self.accounts.add(short) for short in ("alice", "bruno", "chloe", "david", "eve")}
        self.accounts.check_python(self.learners["alice"])
        with Gradebook(self.db) as gb:
            for name in self.learners.values():
                gb.update_or_create_student(name)
        ensure_success(course_api(self.course.root).release_assignment(A), f"release_assignment {A}")
        self.inbound = self.exchange / "manager-affaires" / "inbound"

    def work(self, short: str, notebooks: dict) -> Path:
        """The learner fetches bloc 1 as themselves, and their answers are in their own folder."""
        name = self.learners[short]
        home = self.accounts.home(name)
        (home / ".jupyter").mkdir(exist_ok=True)
        (home / ".jupyter" / "nbgrader_config.py").write_text(learner_config(self.course), encoding="utf-8")
        self.accounts.give(name, home / ".jupyter")
        self.accounts.run(name, "nbgrader", "fetch_assignment", A, cwd=home / "devoirs")
        for stem, notebook in notebooks.items():
            nbformat.write(notebook, home / "devoirs" / A / f"{stem}.ipynb")
        self.accounts.give(name, home / "devoirs")
        return home / "devoirs" / A

    def submit(self, short: str, *options: str) -> Path:
        """`nbgrader submit` as the learner; the folder it wrote in inbound/ (nbgrader's log names it)."""
        name = self.learners[short]
        out = self.accounts.run(name, "nbgrader", "submit", A, *options, cwd=self.accounts.home(name) / "devoirs")
        return Path(re.search(r"Destination: (.+)", out).group(1).strip())

    def redate(self, short: str, folder: Path, when: str) -> Path:
        """The learner dates their own inbound folder `when`: its timestamp.txt, then its name."""
        name = self.learners[short]
        renamed = folder.with_name("+".join([*folder.name.split("+")[:2], when, folder.name.split("+")[3]]))
        self.accounts.run(name, "sh", "-c", f'printf "%s" "{when}" > "{folder}/timestamp.txt" && mv "{folder}" "{renamed}"')
        return renamed

    def forge(self, short: str, victim: str, when: str, source: Path, link: Path | None = None) -> None:
        """A folder in inbound/ made by hand by `short`, in `victim`'s name, dated `when`."""
        name = self.learners[short]
        folder = self.inbound / f"{self.learners[victim]}+{A}+{when}+fabrique"
        script = f'cp -r "{source}" "{folder}" && printf "%s" "{when}" > "{folder}/timestamp.txt"'
        if link is not None:
            script += f' && rm "{folder}/{link.name}" && ln -s "{link}" "{folder}/{link.name}"'
        self.accounts.run(name, "sh", "-c", script)

    def collected(self, short: str) -> tuple[dict, datetime]:
        folder = self.course.root / "submitted" / self.learners[short] / A
        notebooks = {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}
        return notebooks, parse_claim((folder / "timestamp.txt").read_text(encoding="utf-8"))


def _answers(notebooks: dict) -> list:
    return [[cell.source for cell in nb.cells] for _, nb in sorted(notebooks.items())]


@pytest.fixture(scope="module")
def cohort():
    skip_unless_root()
    base = Path(tempfile.mkdtemp(prefix="mda-echange-comptes-"))
    base.chmod(0o711)  # the learners reach the exchange inside it, nothing else
    made = None
    try:
        made = Cohort(base)
        course = made.course
        solved, blank = solved_submission(course, A), blank_submission(course, A)
        for short, notebooks in (("alice", solved), ("bruno", blank), ("chloe", solved), ("david", solved),
                                 ("eve", blank)):
            made.work(short, notebooks)
        made.submit("alice")
        made.redate("bruno", made.submit("bruno"), FUTURE)  # his own early copy, « the latest » for good
        made.submit("chloe")
        time.sleep(1)
        due = datetime.now(UTC)
        with Gradebook(made.db) as gb:
            gb.update_or_create_assignment(A, duedate=due.replace(tzinfo=None))
        time.sleep(1)
        bruno_work = made.accounts.home(made.learners["bruno"]) / "devoirs" / A
        made.forge("bruno", "alice", FUTURE, bruno_work)  # a blank copy in alice's name, dated 2099
        made.submit("bruno", f"--student={made.learners['alice']}")  # the same, through nbgrader itself
        made.redate("david", made.submit("david"), PAST)  # late, then dated before the due date
        made.submit("eve")
        first = _in_course(course, "collecte", A)
        eve_work = made.accounts.home(made.learners["eve"]) / "devoirs" / A
        target = next((course.root / "submitted" / made.learners["alice"] / A).glob("*.ipynb"))
        made.forge("eve", "eve", FUTURE, eve_work, link=target)  # her notebook: a link to alice's copy
        second = _in_course(course, "collecte", A, "--update")
        yield made, due, solved, blank, first, second
    finally:
        if made is not None:
            made.accounts.close()
        shutil.rmtree(base, ignore_errors=True)


def test_submissions_in_a_classmates_name_are_refused_and_her_own_copy_is_collected(cohort):
    made, due, solved, blank, (status, out), _ = cohort
    alice, bruno = made.learners["alice"], made.learners["bruno"]
    assert status == 1, out  # refused folders: the trainer must look
    assert "Identité des rendus vérifiée" in out
    refusals = re.findall(rf"Refusé {alice} · ({alice}\+{A}\+.+?) : le dossier de dépôt appartient au compte "
                          rf"{bruno}, pas à {alice}", out)
    assert len(refusals) == 2 and any("2099" in folder for folder in refusals), out
    notebooks, when = made.collected("alice")
    assert _answers(notebooks) == _answers(solved) and when < due
    assert "5 copie(s) collectée(s)" in out and "2 dépôt(s) refusé(s)" in out


def test_times_written_by_learners_are_ignored_reported_and_the_trusted_ones_collected(cohort):
    made, due, *_, (_, out), _ = cohort
    bruno, david = made.learners["bruno"], made.learners["david"]
    assert made.collected("bruno")[1] < due < made.collected("david")[1] <= datetime.now(UTC)
    assert f"Signalé {bruno} · {bruno}+{A}+2099" in out and "heure déclarée dans le futur (nom du dossier : 1 janvier 2099" in out
    assert f"Signalé {david} · {david}+{A}+2020" in out and "heure déclarée (timestamp.txt : 15 janvier 2020" in out


def test_a_future_date_does_not_keep_a_members_copy_the_latest_of_the_group(cohort):
    made, *_ = cohort
    bruno, chloe = made.learners["bruno"], made.learners["chloe"]
    selection = select_group_copies(made.course, Groups(A, {"G1": (bruno, chloe)}), [bruno, chloe])
    assert selection.graded == {chloe} and selection.copies["G1"].superseded == (bruno,)


def test_a_submission_holding_a_link_is_refused_and_the_learner_keeps_her_own_copy(cohort):
    made, due, solved, blank, _, (status, out) = cohort
    eve = made.learners["eve"]
    assert status == 1 and f"Refusé {eve} · {eve}+{A}+2099" in out and "est un lien symbolique" in out, out
    assert _answers(made.collected("eve")[0]) == _answers(blank)


def test_every_honest_learner_scores_exactly_their_honest_points_and_the_late_one_is_penalised(cohort):
    made, due, *_ = cohort
    course = made.course
    run = run_grading(course, plan_grading(course, [A]), workers=2)
    assert not run.failures, run.failures
    with Gradebook(made.db) as gb:
        submissions = {short: gb.find_submission(A, name) for short, name in made.learners.items()}
        grades = {short: {(nb.name, g.name): g.score for nb in s.notebooks for g in nb.grades}
                  for short, s in submissions.items()}
        lateness = {short: s.total_seconds_late for short, s in submissions.items()}
        score, penalty = submissions["david"].score, submissions["david"].late_submission_penalty
    assert grades["alice"] == grades["chloe"] and sum(grades["alice"].values()) > 0  # the victim's own work
    assert grades["eve"] == grades["bruno"] and grades["eve"] != grades["alice"]      # the link bought nothing
    assert lateness["alice"] == lateness["bruno"] == lateness["chloe"] == 0
    assert lateness["david"] > 0 and lateness["eve"] > 0
    assert score > 0 and penalty == score  # nbgrader's « zero » penalty: the backdating bought nothing
