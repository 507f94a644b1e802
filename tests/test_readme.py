"""The trainer's steps (README, docs/formateur.md, docs/jury.md) call `mda`, never a raw nbgrader command.

Raw commands live in « Sous le capot » notes, or in sections that explain how grading works.
"""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: each text a trainer follows step by step, with its trainer sections (None: the whole text)
TRAINER_TEXTS = {
    "README.md": ("## Deux commandes",),
    "docs/formateur.md": None,
    "docs/jury.md": None,
}
#: subsections of docs/formateur.md that explain how grading works rather than give steps
EXPLANATIONS = ("### Comment une réponse est vérifiée",)
#: a call of nbgrader's command line (its subcommands): « nbgrader collect », « .venv/bin/nbgrader db student remove »
SUBCOMMANDS = ("generate_assignment", "release_assignment", "collect", "autograde", "generate_feedback",
               "release_feedback", "fetch_assignment", "fetch_feedback", "submit", "list", "db", "export",
               "zip_collect", "validate", "quickstart", "update", "formgrader", "generate_config", "generate_solution",
               "assign", "feedback", "release", "fetch")
COMMAND = re.compile(r"\bnbgrader (?:{})\b".format("|".join(SUBCOMMANDS)))
UNDER_THE_HOOD = "> **Sous le capot**"


def trainer_lines(text: str, sections: tuple[str, ...] | None = None) -> list[tuple[int, str]]:
    """(line number, line) of the trainer sections that are neither explanations nor « Sous le capot » notes."""
    found, inside, explained, note = [], sections is None, False, False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            inside, explained = sections is None or line.startswith(sections), False
        elif line.startswith("### "):
            explained = line.startswith(EXPLANATIONS)
        quoted = line.lstrip()  # a note may sit inside a numbered step, indented
        note = quoted.startswith(UNDER_THE_HOOD) or (note and quoted.startswith(">"))
        if inside and not explained and not note:
            found.append((number, line))
    return found


def calls(text: str, sections: tuple[str, ...] | None = None) -> list[str]:
    """Raw nbgrader commands a trainer is told to run: in code (`…` or a fenced block) outside the notes."""
    found, fenced = [], False
    for number, line in trainer_lines(text, sections):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        code = [line] if fenced else re.findall(r"`([^`]*)`", line)
        found += [f"ligne {number} : {piece.strip()}" for piece in code if COMMAND.search(piece)]
    return found


def test_no_trainer_step_calls_a_raw_nbgrader_command():
    for name, sections in TRAINER_TEXTS.items():
        assert calls((REPO / name).read_text(encoding="utf-8"), sections) == [], name


def test_the_check_finds_a_raw_command_and_spares_a_marked_note():
    text = ("## Pour les formateurs\n1. Retirer : `nbgrader db student remove ID`.\n"
            "> **Sous le capot** : `nbgrader collect bloc1` est ce que `mda collecte` remplace.\n"
            "> `nbgrader submit bloc1` aussi.\n\n```bash\n.venv/bin/nbgrader export\n```\n"
            "2. Une étape :\n   > **Sous le capot** : `nbgrader db upgrade`.\n"
            "## Écrire ou modifier un devoir\n`nbgrader generate_assignment` ici est permis.\n")
    assert calls(text, ("## Pour les formateurs",)) == ["ligne 2 : nbgrader db student remove ID",
                                                        "ligne 7 : .venv/bin/nbgrader export"]


def test_a_whole_guide_is_checked_except_its_explanations():
    text = ("# Guide\nPublier : `nbgrader release_assignment bloc1`.\n## Correction\n"
            "### Comment une réponse est vérifiée\nla chaîne de `nbgrader autograde`.\n"
            "### Copies entre apprenants\nPuis `nbgrader export`.\n"
            "## Hub\nLe terminal lance `nbgrader release_feedback`.\n")
    assert calls(text) == ["ligne 2 : nbgrader release_assignment bloc1", "ligne 7 : nbgrader export",
                           "ligne 9 : nbgrader release_feedback"]
