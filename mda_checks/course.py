"""Where things are in a course directory (nbgrader's layout) and what they are called.

Assignments are named after their bloc: ``bloc1`` … ``bloc4``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ASSIGNMENT_NAME = re.compile(r"^bloc(\d)$")


def bloc_number(assignment: str) -> int:
    """'bloc2' -> 2."""
    match = ASSIGNMENT_NAME.match(assignment)
    if not match:
        raise ValueError(f"« {assignment} » n'est pas un nom de devoir valide (bloc1 … bloc4)")
    return int(match.group(1))


@dataclass(frozen=True)
class Course:
    """A course directory: source/, release/, submitted/, autograded/, feedback/."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Course:
        """The course whose nbgrader_config.py is in `start` or one of its parents."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
                return cls(folder)
        raise FileNotFoundError(
            "Aucun cours trouvé : lancez la commande depuis le dossier qui contient nbgrader_config.py et source/."
        )

    def step(self, name: str) -> Path:
        return self.root / name

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    def assignments(self) -> list[str]:
        """Assignments present in source/, in bloc order."""
        found = [p.name for p in self.source.iterdir() if p.is_dir() and ASSIGNMENT_NAME.match(p.name)]
        return sorted(found, key=bloc_number)

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.source / assignment).glob("*.ipynb"))

    def read_source(self, assignment: str) -> dict[str, nbformat.NotebookNode]:
        """Notebook name (without .ipynb) -> notebook, for one assignment's masters."""
        return {p.stem: nbformat.read(p, as_version=4) for p in self.source_notebooks(assignment)}
