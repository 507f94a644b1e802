"""Benchmark and evidence: the jury's outputs of a graded course (not a test).

    .venv/bin/python benchmarks/jury_pdf.py COURSE [BLOC]      # BLOC: bloc1 by default

COURSE is a graded course folder (after `make demo`: demo/). In a throw-away copy of it (its jury/
folder left out), times `mda jury BLOC` (proposals, minutes in xlsx, HTML and PDF), `mda livrets BLOC`
(one PDF per candidate, one Chromium for all), `mda archive SESSION` and its `--verifier`, and
`mda export moodle BLOC --identifiant nom-utilisateur`; prints wall times, seconds per livret and the
machine. It fails (exit 1, each problem said) unless what it times is right: every command succeeds,
every learner graded for the bloc is a candidate with a proposal and its reason, there is one livret per
candidate, the archive verifies, and the Moodle file imports by Moodle's rules (tests/jury/moodle_rules.py)
with every candidate in it. The checks are plain functions, fed wrong outputs by tests/jury/test_demo_evidence.py.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.machine import describe_machine  # noqa: E402
from mda_checks.jury.proposals import OUTCOMES  # noqa: E402
from tests.jury.moodle_rules import ImportAborted, moodle_import  # noqa: E402

MDA = REPO / ".venv" / "bin" / "mda"
DAY = "2026-12-10"
SKIPPED = ("jury", ".venv", ".git", "echange", ".lab", "node_modules")
MAXIMUM = re.compile(r"\(sur ([0-9]+(?:[.,][0-9]+)?)\)$")


def timed(course: Path, *argv: str) -> tuple[float, str]:
    """Run `mda ARGV` in `course`; its wall time and output. Any status but 0 stops the benchmark."""
    env = {**os.environ, "PATH": f"{MDA.parent}{os.pathsep}{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    done = subprocess.run([str(MDA), *argv], cwd=course, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"mda {' '.join(argv)} : échec ({done.returncode})\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def proposal_problems(content: dict, graded: set[str]) -> list[str]:
    """Every learner graded for the bloc is a candidate of the session, with a proposal and its reason."""
    candidates = {c["apprenant"]: c for c in content["candidats"]}
    problems = [f"{student} : corrigé mais absent de la session du jury" for student in sorted(graded - set(candidates))]
    for student, candidate in sorted(candidates.items()):
        if candidate.get("proposition") not in OUTCOMES:
            problems.append(f"{student} : pas de proposition (« {candidate.get('proposition')} »)")
        elif not str(candidate.get("motif", "")).strip():
            problems.append(f"{student} : proposition « {candidate['proposition']} » sans motif")
    if not candidates:
        problems.append("aucun candidat dans la session")
    return problems


def livret_problems(content: dict, folder: Path) -> list[str]:
    """One livret (PDF) per candidate, and none for anybody else."""
    candidates = [c["apprenant"] for c in content["candidats"]]
    written = sorted(path.stem for path in folder.glob("*.pdf")) if folder.is_dir() else []
    problems = []
    if len(written) != len(candidates):
        problems.append(f"{len(written)} livret(s) pour {len(candidates)} candidat(s)")
    problems += [f"{student} : pas de livret" for student in candidates if student not in written]
    problems += [f"{name}.pdf : livret d'aucun candidat" for name in written if name not in candidates]
    return problems


def moodle_problems(data: bytes, candidates: set[str]) -> list[str]:
    """The file (identified by username) imports by Moodle's rules, with either decimal separator set in
    Moodle, on a site whose maximum grade allows the bloc's total, and every candidate is in it."""
    try:
        header = next(iter(data.decode("utf-8").splitlines()), "").split(",")
    except UnicodeDecodeError:
        return ["fichier Moodle : pas en UTF-8"]
    grades = [name for name in header if MAXIMUM.search(name.strip())]
    if not grades:
        return ["fichier Moodle : aucune colonne de note « … (sur N) »"]
    ceiling = max(float(MAXIMUM.search(name.strip()).group(1).replace(",", ".")) for name in grades)
    users = {student.lower() for student in candidates}
    problems = []
    for separator in (".", ","):
        try:
            imported = moodle_import(data, header[0].strip(), grades, header[-1].strip(), users,
                                     decimal_separator=separator, gradepointmax=max(ceiling, 100.0))
        except ImportAborted as reason:
            problems.append(f"fichier Moodle refusé par l'import (séparateur décimal « {separator} ») : {reason}")
            continue
        missing = sorted(users - set(imported))
        if missing:
            problems.append(f"fichier Moodle : candidat(s) absent(s) : {', '.join(missing)}")
    return problems


def graded_learners(course: Path, bloc: str) -> set[str]:
    from nbgrader.api import Gradebook

    from mda_checks.nbgrader_api import course_directory

    with Gradebook(course_directory(course).db_url) as gb:
        return {submission.student_id for submission in gb.find_assignment(bloc).submissions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("bloc", nargs="?", default="bloc1")
    args = parser.parse_args()
    from mda_checks.course import Course
    from mda_checks.jury.sessions import find_session

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mda-bench-jury-") as scratch:
        course = Path(scratch) / "cours"
        shutil.copytree(args.course, course, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED))
        jury, out = timed(course, "jury", args.bloc, "--date", DAY, "--membres", "Mme A, présidente", "M. B, expert")
        session = find_session(Course(course), f"{args.bloc}-{DAY}")
        content = session.read()
        candidates = len(content["candidats"])
        problems += proposal_problems(content, graded_learners(course, args.bloc))
        livrets, _ = timed(course, "livrets", args.bloc)
        problems += livret_problems(content, session.livrets)
        sealing, _ = timed(course, "archive", f"{args.bloc}-{DAY}")
        verifying, out = timed(course, "archive", "--verifier", f"jury/archives/{args.bloc}-{DAY}.zip")
        if "Archive intacte" not in out:
            problems.append(f"l'archive ne se vérifie pas :\n{out}")
        moodle, _ = timed(course, "export", "moodle", args.bloc, "--identifiant", "nom-utilisateur")
        data = (course / "exports" / f"moodle_{args.bloc}.csv").read_bytes()
        problems += moodle_problems(data, {c["apprenant"] for c in content["candidats"]})
        outcomes = {outcome: sum(c["proposition"] == outcome for c in content["candidats"]) for outcome in OUTCOMES}
    print(f"Machine : {describe_machine()}")
    print(f"{args.bloc} : {candidates} candidat(s) ; propositions : "
          + ", ".join(f"{outcome} {count}" for outcome, count in outcomes.items()))
    print(f"mda jury (propositions, procès-verbal xlsx/html/pdf) : {jury:.1f} s")
    print(f"mda livrets : {livrets:.1f} s, soit {livrets / max(candidates, 1):.2f} s par livret (Chromium compris)")
    print(f"mda archive : {sealing:.1f} s ; --verifier : {verifying:.1f} s ; mda export moodle : {moodle:.1f} s")
    if problems:
        print("ÉCHEC : les sorties du jury ne sont pas complètes :\n" + "\n".join(f"  - {p}" for p in problems))
        raise SystemExit(1)
    print(f"Vérifié : {candidates} candidats, chacun avec sa proposition et son motif ; {candidates} livrets ; "
          "archive intacte ; fichier Moodle importable (règles de tests/jury/moodle_rules.py), tous les candidats.")


if __name__ == "__main__":
    main()
