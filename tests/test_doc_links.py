"""Every relative link of README.md and docs/ leads to a file that exists (and to a heading, when it names one)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: an inline link or image, `[texte](cible)` or `[texte](cible "titre")`, and a reference definition `[nom]: cible`
INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
#: a target with a scheme (https:, mailto:…) is not a file of the repository
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+).*?\1")


def documents(root: Path) -> list[Path]:
    """The README and every Markdown file under docs/."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def prose(text: str) -> str:
    """The text without fenced blocks and code spans, where a link is only an example."""
    kept, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            kept.append(CODE_SPAN.sub("", line))
    return "\n".join(kept)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", "")).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (a repeated heading gets -1, -2…)."""
    found: set[str] = set()
    for line in prose(path.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            base = anchor = slug(heading.group(1))
            count = 0
            while anchor in found:
                count += 1
                anchor = f"{base}-{count}"
            found.add(anchor)
    return found


def broken_links(root: Path) -> list[str]:
    """« file: target » for each relative link whose file, or whose heading, does not exist."""
    broken = []
    for document in documents(root):
        text = prose(document.read_text(encoding="utf-8"))
        for target in INLINE.findall(text) + REFERENCE.findall(text):
            if EXTERNAL.match(target):
                continue
            name, _, anchor = target.partition("#")
            path = (document.parent / name).resolve() if name else document
            missing = not path.exists() or (anchor and path.suffix == ".md" and path.is_file()
                                             and anchor not in anchors(path))
            if missing:
                broken.append(f"{document.relative_to(root)}: {target}")
    return broken


def test_every_relative_link_of_the_docs_leads_somewhere():
    assert broken_links(REPO) == []


def test_a_broken_link_or_anchor_is_found_and_code_and_urls_are_spared(tmp_path):
    (tmp_path / "docs" / "mesures").mkdir(parents=True)
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Le cours : les blocs\n\n## Le cours : les blocs\n",
                                                encoding="utf-8")
    (tmp_path / "docs" / "mesures" / "notes.md").write_text(
        "Retour au [guide](../guide.md#le-cours--les-blocs-1), puis [ailleurs](../absent.md).\n", encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "Voir [le guide](docs/guide.md), [le cours](docs/guide.md#le-cours--les-blocs),\n"
        "[les mesures](docs/mesures/), ![figure](docs/figure.png \"Figure\") et [nbgrader](https://nbgrader.org).\n"
        "Un [titre absent](docs/guide.md#correction) et [ici](#nulle-part).\n\n[ref]: docs/renomme.md\n\n"
        "`[exemple](docs/inexistant.md)`\n\n```markdown\n[exemple](docs/inexistant.md)\n```\n", encoding="utf-8")
    assert broken_links(tmp_path) == ["README.md: docs/figure.png", "README.md: docs/guide.md#correction",
                                      "README.md: #nulle-part", "README.md: docs/renomme.md",
                                      "docs/mesures/notes.md: ../absent.md"]
