"""The README's trainer steps call `mda`, never a raw nbgrader command (those live in « Sous le capot » notes)."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
#: the sections a trainer follows, step by step (the others explain how grading works, or how to write a workbook)
TRAINER_SECTIONS = ("## Deux commandes", "## Pour les formateurs", "## Notes manuelles et jury", "## Le jury et l'école")
#: a call of nbgrader's command line (its subcommands): « nbgrader collect », « .venv/bin/nbgrader db student remove »
SUBCOMMANDS = ("generate_assignment", "release_assignment", "collect", "autograde", "generate_feedback",
               "release_feedback", "fetch_assignment", "fetch_feedback", "submit", "list", "db", "export",
               "zip_collect", "validate", "quickstart", "update", "formgrader", "generate_config", "generate_solution",
               "assign", "feedback", "release", "fetch")
COMMAND = re.compile(r"\bnbgrader (?:{})\b".format("|".join(SUBCOMMANDS)))
UNDER_THE_HOOD = "> **Sous le capot**"


def trainer_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the trainer sections that are not in a « Sous le capot » note."""
    found, inside, note = [], False, False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            inside = line.startswith(TRAINER_SECTIONS)
        quoted = line.lstrip()  # a note may sit inside a numbered step, indented
        note = quoted.startswith(UNDER_THE_HOOD) or (note and quoted.startswith(">"))
        if inside and not note:
            found.append((number, line))
    return found


def calls(text: str) -> list[str]:
    """Raw nbgrader commands a trainer is told to run: in code (`…` or a fenced block) outside the notes."""
    found, fenced = [], False
    for number, line in trainer_lines(text):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        code = [line] if fenced else re.findall(r"`([^`]*)`", line)
        found += [f"ligne {number} : {piece.strip()}" for piece in code if COMMAND.search(piece)]
    return found


def test_no_trainer_step_calls_a_raw_nbgrader_command():
    assert calls(README.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_raw_command_and_spares_a_marked_note():
    text = ("## Pour les formateurs\n1. Retirer : `nbgrader db student remove ID`.\n"
            "> **Sous le capot** : `nbgrader collect bloc1` est ce que `mda collecte` remplace.\n"
            "> `nbgrader submit bloc1` aussi.\n\n```bash\n.venv/bin/nbgrader export\n```\n"
            "2. Une étape :\n   > **Sous le capot** : `nbgrader db upgrade`.\n"
            "## Écrire ou modifier un devoir\n`nbgrader generate_assignment` ici est permis.\n")
    assert calls(text) == ["ligne 2 : nbgrader db student remove ID", "ligne 7 : .venv/bin/nbgrader export"]
