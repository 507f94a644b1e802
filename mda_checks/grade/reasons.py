"""What went wrong while grading, in French words: what a trainer reads never names a Python class.

An exception's class name (« DeadKernelError », « KeyError ») and nbgrader's log lines are
technical details: they are kept in the grading journal's ``detail_technique`` column. The console,
the reports, the dashboard and the jury's workbook say it in French (``exception_words``); a text
that may still carry a class name (nbgrader's last log line, an older journal) goes through
``without_exception_names`` before a trainer reads it.
"""
from __future__ import annotations

import re

KERNEL_DIED = "le noyau s'est arrêté (mémoire ou arrêt brutal)"
#: a class name as Python and its libraries write them, with an optional module path (nbclient.exceptions.…)
EXCEPTION_NAME = re.compile(
    r"\b(?:[A-Za-z_]\w*\.)*([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning)|StopIteration)\b")

_WORDS = {
    "DeadKernelError": KERNEL_DIED,
    "CellTimeoutError": "délai d'exécution dépassé",
    "TimeoutError": "délai dépassé",
    "CellExecutionError": "une cellule a levé une erreur",
    "CellControlSignal": "exécution interrompue",
    "BrokenProcessPool": "le processus de correction s'est arrêté brutalement",
    "NameError": "nom inconnu (variable non définie ou mal orthographiée)",
    "UnboundLocalError": "variable utilisée avant d'avoir reçu une valeur",
    "KeyError": "clé ou colonne introuvable",
    "TypeError": "type de valeur inattendu",
    "ValueError": "valeur inattendue",
    "AttributeError": "attribut ou méthode inconnu",
    "IndexError": "position hors limites",
    "ZeroDivisionError": "division par zéro",
    "FileNotFoundError": "fichier introuvable",
    "ModuleNotFoundError": "module introuvable",
    "SyntaxError": "erreur de syntaxe",
    "IndentationError": "décalage des lignes incorrect",
    "KeyboardInterrupt": "exécution interrompue",
    "SystemExit": "arrêt demandé par le code",
    "ValidationError": "format Jupyter invalide",
    "NotJSONError": "fichier qui n'est pas du JSON",
    "JSONDecodeError": "JSON invalide",
    "UnicodeDecodeError": "encodage du fichier inattendu",
    "IsADirectoryError": "un dossier à la place d'un fichier",
    "NotADirectoryError": "un fichier à la place d'un dossier",
    "PermissionError": "accès refusé",
    "OperationalError": "opération refusée par la base de données",
    "IntegrityError": "écriture refusée par la base de données",
}


def exception_words(name: str) -> str:
    """« KeyError » -> « clé ou colonne introuvable »; a class unknown here gets general French words."""
    from mda_apprenant.check.explain_words import french_exception

    short = str(name).rsplit(".", 1)[-1]
    return _WORDS.get(short) or french_exception(short)


def without_exception_names(text: str) -> str:
    """`text` with every class name replaced by its French words (« … (KeyError) » -> « … (clé ou … ) »)."""
    return EXCEPTION_NAME.sub(lambda match: exception_words(match.group(1)), str(text or ""))


class FrenchReason(Exception):
    """Base of the project's exceptions whose message is a French reason written for the trainer (a sandbox
    refusal …): a failure they cause is told by that message, their class name stays in the technical detail."""


def _french_reason_names() -> set[str]:
    found, todo = set(), [FrenchReason]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found


def failure_words(detail: str) -> str:
    """A failed step's reason for a trainer, from its technical detail (« DeadKernelError: Kernel died »
    -> « le noyau s'est arrêté (mémoire ou arrêt brutal) »): the message of the project's own French
    reason when one caused it (``FrenchReason``), otherwise the French words of its last class name."""
    own = _french_reason_names()
    for name, message in reversed(re.findall(r"\b(\w+): ([^\n|]+)", str(detail or ""))):
        if name in own and message.strip():
            return message.strip()
    names = EXCEPTION_NAME.findall(str(detail or ""))
    if re.search(r"kernel died", str(detail or ""), re.I):
        return KERNEL_DIED
    return exception_words(names[-1]) if names else "raison inconnue (détail au journal)"
