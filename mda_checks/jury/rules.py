"""The jury's decision rules as data: ``jury.toml`` beside calendrier.csv, read and validated.

The referential certifies bloc by bloc before an independent jury; the certifier sets when a
competence counts as acquired from its criteria (CE) and when a bloc is proposed « validé ». The file
says it in four short sections (docs/jury.md)::

    [competence]  regle = "tous" | "part"   (part = 0.75: at least 75 % of its assessed CE acquired)
    [bloc]        regle = "toutes" | "part" (part: share of its competences acquired)
    [attente]     bloque = "bloc" | "si_decisif"
    [jury]        membres = ["Mme …, présidente", …] ; lieu = "Lille"

Every problem is reported at once, with its line and key, in French; nothing is decided from a
file with a problem. Without the file, the defaults below hold (and are said to hold).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mda_apprenant.check.formatting import format_points

NAME = "jury.toml"
ALL_CE, ALL_COMPETENCES, SHARE = "tous", "toutes", "part"
BLOCK_BLOC, BLOCK_IF_DECISIVE = "bloc", "si_decisif"
#: section -> key -> what it may hold (said in the error messages)
SCHEMA = {
    "competence": {"regle": f"« {ALL_CE} » ou « {SHARE} »", "part": "un nombre entre 0 (exclu) et 1"},
    "bloc": {"regle": f"« {ALL_COMPETENCES} » ou « {SHARE} »", "part": "un nombre entre 0 (exclu) et 1"},
    "attente": {"bloque": f"« {BLOCK_BLOC} » ou « {BLOCK_IF_DECISIVE} »"},
    "jury": {"membres": "une liste de textes, par exemple [\"Mme Claire Dupont, présidente\"]",
             "lieu": "un texte, par exemple \"Lille\""},
}


class RulesError(ValueError):
    """jury.toml cannot be used: every problem, in French, with its line."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = list(problems)
        count = len(problems)
        plural = "s" if count > 1 else ""
        super().__init__(f"{Path(path).name} : {count} erreur{plural}, aucune proposition n'est faite tant "
                         f"qu'elle{plural} reste{'nt' if count > 1 else ''} :\n"
                         + "\n".join(f"  - {problem}" for problem in problems))


@dataclass(frozen=True)
class Threshold:
    """How many of its parts a whole needs: all of them, or a share (of those that were assessed)."""

    rule: str
    share: float = 1.0

    @property
    def all(self) -> bool:
        return self.rule != SHARE

    def met(self, acquired: int, total: int) -> bool:
        if total <= 0:
            return False
        return acquired >= total if self.all else acquired / total >= self.share - 1e-9

    def needed(self, total: int) -> int:
        """The least number of acquired parts out of `total` that meets the threshold."""
        return next((n for n in range(total + 1) if self.met(n, total)), total + 1)

    def describe(self, parts: str) -> str:
        """« tous ses CE évalués », « au moins 75 % de ses compétences »."""
        if self.all:
            return f"{'toutes' if parts.endswith('compétences') else 'tous'} {parts}"
        return f"au moins {format_points(self.share * 100)}\u00a0% de {parts}"


@dataclass(frozen=True)
class JuryRules:
    competence: Threshold = Threshold(ALL_CE)
    bloc: Threshold = Threshold(ALL_COMPETENCES)
    pending: str = BLOCK_BLOC
    members: tuple[str, ...] = ()
    place: str = ""
    source: str = "règles par défaut (pas de jury.toml)"

    def text(self) -> list[str]:
        """The rules in French, as the minutes and the livrets state them."""
        waiting = ("le bloc n'a pas de proposition tant qu'un de ses critères attend une note manuelle"
                   if self.pending == BLOCK_BLOC else
                   "un critère en attente ne retient la proposition que s'il peut encore en changer le sens")
        return [
            f"Une compétence est acquise quand {self.competence.describe('ses critères (CE) évalués')} sont acquis ; "
            "une compétence dont aucun critère n'est évalué ne l'est pas.",
            f"Un bloc est proposé « validé » quand {self.bloc.describe('ses compétences')} sont acquises, "
            "« non validé » sinon.",
            f"En attente : {waiting}.",
            f"Source : {self.source}.",
        ]


DEFAULT_RULES = JuryRules()


def rules_path(root: Path) -> Path:
    return Path(root) / NAME


def read_rules(root: Path) -> JuryRules:
    """The course's jury.toml (the defaults when there is none); RulesError lists every problem."""
    path = rules_path(root)
    if not path.is_file():
        return DEFAULT_RULES
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise RulesError(path, [f"le fichier n'est pas encodé en UTF-8 (octet {problem.start})"]) from None
    return parse_rules(text, path)


def key_line(text: str, section: str | None, key: str | None = None) -> int | None:
    """The line where `key` of `[section]` is set (the section's header line when `key` is None; a key
    before any section when `section` is None)."""
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1).strip().strip('"')
            if key is None and current == section:
                return number
            continue
        if key is not None and current == section and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None


def _syntax_error(problem: tomllib.TOMLDecodeError) -> str:
    where = re.search(r"line (\d+), column (\d+)", str(problem))
    position = f"ligne {where.group(1)}, colonne {where.group(2)} : " if where else ""
    return (f"{position}syntaxe TOML invalide (vérifiez les guillemets autour des textes, les crochets des "
            "sections et le signe = entre clé et valeur)")


def parse_rules(text: str, path: Path | str = NAME) -> JuryRules:
    """The rules of a jury.toml's text; RulesError names the line and the key of each problem."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise RulesError(path, [_syntax_error(problem)]) from None
    problems: list[str] = []

    def where(section: str, key: str | None = None) -> str:
        line = key_line(text, section, key)
        label = f"[{section}]" + (f" {key}" if key else "")
        return f"ligne {line}, {label}" if line else label

    sections = ", ".join(f"[{name}]" for name in SCHEMA)
    for section, value in data.items():
        if not isinstance(value, dict):
            line = key_line(text, None, section)
            problems.append(f"{f'ligne {line}, ' if line else ''}{section} : clé hors de toute section (placez-la "
                            f"sous l'une d'elles : {sections})")
        elif section not in SCHEMA:
            problems.append(f"{where(section)} : section inconnue (sections possibles : {sections})")
        else:
            for key in value:
                if key not in SCHEMA[section]:
                    problems.append(f"{where(section, key)} : clé inconnue (clés de [{section}] : "
                                    + ", ".join(SCHEMA[section]) + ")")
    competence = _threshold(data.get("competence"), "competence", ALL_CE, where, problems)
    bloc = _threshold(data.get("bloc"), "bloc", ALL_COMPETENCES, where, problems)
    pending = _choice(data.get("attente"), "attente", "bloque", (BLOCK_BLOC, BLOCK_IF_DECISIVE), BLOCK_BLOC,
                      where, problems)
    jury = data.get("jury")
    if not isinstance(jury, dict):
        jury = {}
    members = jury.get("membres", [])
    if not isinstance(members, list) or not all(isinstance(m, str) and m.strip() for m in members):
        problems.append(f"{where('jury', 'membres')} : valeur invalide, il faut {SCHEMA['jury']['membres']} "
                        "(aucun texte vide)")
        members = []
    place = jury.get("lieu", "")
    if not isinstance(place, str):
        problems.append(f"{where('jury', 'lieu')} : valeur invalide, il faut {SCHEMA['jury']['lieu']}")
        place = ""
    if problems:
        raise RulesError(path, problems)
    return JuryRules(competence, bloc, pending, tuple(m.strip() for m in members), place.strip(), str(path.name))


def _choice(section: dict | None, name: str, key: str, allowed: tuple[str, ...], default: str, where,
            problems: list[str]) -> str:
    if not isinstance(section, dict) or key not in section:
        return default
    value = section[key]
    if value not in allowed:
        problems.append(f"{where(name, key)} : valeur « {value} » invalide (valeurs possibles : {SCHEMA[name][key]})")
        return default
    return value


def _threshold(section: dict | None, name: str, everything: str, where, problems: list[str]) -> Threshold:
    rule = _choice(section, name, "regle", (everything, SHARE), everything, where, problems)
    if not isinstance(section, dict) or "part" not in section:
        if rule == SHARE:
            problems.append(f"{where(name, 'regle')} : avec regle = \"{SHARE}\", donnez aussi part "
                            "(par exemple part = 0.75)")
        return Threshold(rule)
    share = section["part"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        problems.append(f"{where(name, 'part')} : valeur « {share} » invalide (il faut {SCHEMA[name]['part']}, "
                        "par exemple 0.75 pour 75 %)")
        return Threshold(rule)
    if rule != SHARE:
        problems.append(f"{where(name, 'part')} : part ne s'emploie qu'avec regle = \"{SHARE}\" "
                        f"(ici regle = \"{rule}\")")
    return Threshold(rule, float(share))
