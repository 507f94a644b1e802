"""A learner's error explained in French: what went wrong, in the learner's terms, and what to try.

``explain(error, namespace)`` reads the exception (and, for pandas, the object its traceback was
working on: the table whose column is missing, the series whose label is missing) and returns an
``Explanation``: one French sentence (``summary``, the words every check repeats) and a concrete
hint (the closest existing name, the available columns, the expected type …). Rules are tried in
order; an error no rule knows still gets a French sentence. Nothing here prints or raises.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from mda_apprenant.check.cell_errors import CellError
from mda_apprenant.check.explain_words import COMMON_OPTIONS, IMPORTED_BY_FIRST_CELL, SYNTAX, french_exception, type_words

#: how many columns, labels or files a hint lists
SHOWN = 12


@dataclass(frozen=True)
class Explanation:
    """A failure in French: ``summary`` (a sentence fragment, lower case) and ``hint``."""

    summary: str
    hint: str = ""


def syntax_sentence(error: SyntaxError):
    """A syntax error in French (the cell did not run at all)."""
    message = str(getattr(error, "msg", "") or error)
    for pattern, summary, hint in SYNTAX:
        match = re.search(pattern, message)
        if match:
            return Explanation(f"erreur de syntaxe, la cellule n'a pas été exécutée : {summary.format(*match.groups())}",
                               hint)
    return Explanation("erreur de syntaxe, la cellule n'a pas été exécutée : Python ne peut pas lire cette ligne",
                       "Vérifiez les parenthèses, les guillemets, les virgules et les « : » de la ligne indiquée.")


def _closest(word: str, candidates) -> str | None:
    found = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return found[0] if found else None


def _listing(values) -> str:
    values = [str(v) for v in values]
    shown = ", ".join(f"« {v} »" for v in values[:SHOWN])
    return shown + (f" … ({len(values)} en tout)" if len(values) > SHOWN else "")


def _frames(tb):
    while tb is not None:
        yield tb.tb_frame
        tb = tb.tb_next


def _pandas_target(tb):
    """The DataFrame or Series a pandas traceback was reading, and whether through .loc/.iloc."""
    import pandas as pd

    for frame in _frames(tb):
        if not frame.f_code.co_filename.replace("\\", "/").count("/pandas/"):
            continue
        candidate = frame.f_locals.get("self")
        by_position = type(candidate).__name__ in ("_LocIndexer", "_iLocIndexer", "_AtIndexer", "_iAtIndexer")
        if by_position:
            candidate = getattr(candidate, "obj", None)
        if not isinstance(candidate, (pd.DataFrame, pd.Series)):
            candidate = next((v for k, v in frame.f_locals.items() if k in ("obj", "left", "frame", "data")
                              and isinstance(v, pd.DataFrame)), None)
        if isinstance(candidate, (pd.DataFrame, pd.Series)):
            return candidate, by_position
    return None, False


def _key_error(error: KeyError, tb) -> Explanation:
    import pandas as pd

    key = error.args[0] if error.args else ""
    target, by_label = _pandas_target(tb)
    if isinstance(target, pd.DataFrame) and not by_label:
        columns = list(target.columns)
        close = _closest(key, columns)
        return Explanation(f"la colonne « {key} » n'existe pas dans le tableau",
                           (f"Vouliez-vous dire « {close} » ? " if close else "")
                           + f"Colonnes disponibles : {_listing(columns)}.")
    if target is not None:
        labels = list(target.index)
        close = _closest(key, labels) if isinstance(key, str) else None
        what = "d'aucune ligne du tableau" if isinstance(target, pd.DataFrame) else "d'aucune valeur de la série"
        return Explanation(f"l'étiquette {key!r} n'est celle {what}",
                           (f"Vouliez-vous dire « {close} » ? " if close else "")
                           + f"Étiquettes disponibles : {_listing(labels)}. Pour lire par position, utilisez .iloc[…].")
    return Explanation(f"la clé « {key} » n'existe pas", "Vérifiez l'orthographe de la clé (majuscules, accents).")


def _name_error(error: NameError, namespace: dict) -> Explanation:
    name = getattr(error, "name", None) or (re.findall(r"'(\w+)'", str(error)) or [""])[0]
    if name in IMPORTED_BY_FIRST_CELL:
        return Explanation(f"le nom « {name} » n'est pas défini : la cellule des imports n'a pas été exécutée",
                           "Exécutez le carnet depuis le début (menu Run › Run All Cells).")
    close = _closest(name, [n for n in namespace if not n.startswith("_")])
    if close:
        return Explanation(f"le nom « {name} » n'existe pas", f"Vouliez-vous dire « {close} » ?")
    return Explanation(f"le nom « {name} » n'existe pas : faute de frappe, ou cellule qui le définit pas encore "
                       "exécutée",
                       "Vérifiez l'orthographe, puis exécutez les cellules au-dessus (menu Run › Run All Above Selected Cell).")


def _attribute_error(error: AttributeError) -> Explanation:
    import pandas as pd

    text = str(error)
    option = re.search(r"unexpected keyword argument '(\w+)'", text)
    if option:
        return _unknown_option(option.group(1), text.split("(")[0])
    name, target = getattr(error, "name", None), getattr(error, "obj", None)
    if name is None or target is None:
        return Explanation(f"attribut inconnu ({text[:120]})", "Vérifiez l'orthographe du nom après le point.")
    candidates = [n for n in dir(target) if not n.startswith("_")]
    if isinstance(target, pd.DataFrame):
        candidates += [str(c) for c in target.columns]
    close = _closest(name, candidates)
    what = type_words(target)
    lacks = "n'a ni attribut ni colonne" if isinstance(target, pd.DataFrame) else "n'a pas d'attribut"
    return Explanation(f"{what} {lacks} « {name} »",
                       (f"Vouliez-vous dire « {close} » ? " if close else "")
                       + "Pour une colonne, la forme sûre est tableau[\"nom de colonne\"].")


def _unknown_option(option: str, function: str) -> Explanation:
    close = _closest(option, COMMON_OPTIONS)
    where = f" de {function.strip()}" if function.strip() else ""
    return Explanation(f"l'option « {option} »{where} n'existe pas",
                       (f"Vouliez-vous dire « {close} » ? " if close else "")
                       + "Les noms d'options sont en anglais, sans accent.")


def _type_error(error: TypeError, namespace: dict) -> Explanation:
    text = str(error)
    operands = re.search(r"unsupported operand type\(s\) for ([^:]+): '(\w+)' and '(\w+)'", text) or \
        re.search(r"'([<>=!]+)' not supported between instances of '(\w+)' and '(\w+)'", text)
    if operands:
        symbol, left, right = operands.groups()
        hint = "Vérifiez les deux valeurs (type(valeur) affiche leur type)."
        if "str" in (left, right):
            hint = ("Une des valeurs est un texte : convertissez-la en nombre (float(…), pd.to_numeric(…)) "
                    "ou vérifiez la colonne utilisée.")
        elif "NoneType" in (left, right):
            hint = "Une des valeurs vaut None : une fonction qui ne renvoie rien (print au lieu de return ?)."
        elif {"method", "function", "builtin_function_or_method"} & {left, right}:
            hint = "Il manque les parenthèses d'un appel : .sum() et non .sum."
        return Explanation(f"l'opération « {symbol.strip()} » est impossible entre {type_words(left)} et "
                           f"{type_words(right)}", hint)
    concat = re.search(r'can only concatenate str \(not "(\w+)"\) to str', text)
    if concat:
        return Explanation(f"un texte ne s'additionne qu'à un texte, pas à {type_words(concat.group(1))}",
                           "Pour calculer, convertissez le texte en nombre ; pour écrire une phrase, "
                           "utilisez str(valeur) ou une f-chaîne : f\"… {valeur}\".")
    not_callable = re.search(r"'(\w+)' object is not callable", text)
    if not_callable:
        kind = not_callable.group(1)
        return Explanation(f"{type_words(kind)} n'est pas une fonction : on ne peut pas l'appeler avec des parenthèses",
                           "Les crochets lisent une colonne ou une valeur (tableau[\"colonne\"]), les parenthèses "
                           "appellent une fonction ; une variable porte-t-elle le nom d'une fonction (sum, max…) ?")
    not_subscriptable = re.search(r"'(\w+)' object is not subscriptable", text)
    if not_subscriptable:
        kind = not_subscriptable.group(1)
        hint = ("Il manque les parenthèses d'un appel : .groupby(…) et non .groupby[…]."
                if kind in ("method", "function", "builtin_function_or_method") else
                "Vérifiez que la variable contient bien un tableau, une série ou une liste.")
        return Explanation(f"{type_words(kind)} ne se lit pas avec des crochets", hint)
    option = re.search(r"(\S*)\(\) got an unexpected keyword argument '(\w+)'", text)
    if option:
        return _unknown_option(option.group(2), option.group(1))
    missing = re.search(r"(\S*)\(\) missing (\d+) required positional argument", text)
    if missing:
        return Explanation(f"il manque {missing.group(2)} argument(s) obligatoire(s) à l'appel de {missing.group(1)}",
                           "Relisez l'aide de la fonction (touches Maj + Tab dans les parenthèses).")
    expected_number = re.search(r"must be (?:real number|a number|int), not (\w+)", text)
    if expected_number:
        return Explanation(f"un nombre était attendu, pas {type_words(expected_number.group(1))}",
                           "Convertissez la valeur en nombre, ou choisissez une colonne numérique.")
    return Explanation(f"une valeur n'a pas le type attendu ({text[:160]})",
                       "Vérifiez le type de chaque valeur de la ligne (type(valeur)).")


def _value_error(error: ValueError, tb) -> Explanation:
    text = str(error)
    if "truth value of a" in text and "is ambiguous" in text:
        return Explanation("une condition sur une colonne entière ne s'écrit pas avec and, or, not ou if",
                           "Combinez les conditions avec &, | et ~, chacune entre parenthèses : "
                           "tableau[(tableau[\"a\"] > 0) & (tableau[\"b\"] < 5)].")
    number = re.search(r"could not convert string to float: '(.*)'|invalid literal for int\(\) with base 10: '(.*)'",
                       text)
    if number:
        shown = number.group(1) if number.group(1) is not None else number.group(2)
        return Explanation(f"le texte « {shown[:60]} » n'est pas un nombre écrit à la façon de Python",
                           "Python écrit 1234.5 (point décimal, sans espace ni symbole) : à la lecture d'un CSV "
                           "français, pd.read_csv(…, sep=\";\", decimal=\",\", thousands=\" \").")
    if "non-finite values" in text and "integer" in text:
        return Explanation("des valeurs manquantes (NaN) ne peuvent pas devenir des nombres entiers",
                           "Traitez-les d'abord : .dropna() pour les retirer, .fillna(0) pour les remplacer.")
    shapes = re.search(r"x and y must have same first dimension, but have shapes \((\d+),?.*?\) and \((\d+),?.*?\)",
                       text)
    if shapes:
        return Explanation(f"les deux séries du graphique n'ont pas la même longueur (x : {shapes.group(1)} valeurs, "
                           f"y : {shapes.group(2)})", "Tracez deux colonnes du même tableau, ou une série et son index.")
    length = re.search(r"Length of values \((\d+)\) does not match length of index \((\d+)\)", text)
    if length:
        return Explanation(f"{length.group(1)} valeurs pour {length.group(2)} lignes",
                           "Une nouvelle colonne a autant de valeurs que le tableau a de lignes.")
    return Explanation(f"une valeur ne convient pas ({text[:160]})", "Relisez la ligne indiquée et ses valeurs.")


def _index_error(error: IndexError, tb) -> Explanation:
    target, _ = _pandas_target(tb)
    if target is not None:
        size = len(target)
        return Explanation(f"position hors du tableau : il a {size} ligne(s), aux positions 0 à {size - 1}",
                           ".iloc[…] lit par position (la première vaut 0) ; .loc[…] lit par étiquette.")
    return Explanation("position hors de la liste", "La première position vaut 0, la dernière len(liste) - 1.")


def _file_error(error: FileNotFoundError) -> Explanation:
    name = str(error.filename or "")
    folder = Path(name).parent if name else Path(".")
    try:
        present = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        present = []
    close = _closest(Path(name).name, present)
    where = f"dans « {folder} »" if str(folder) != "." else "dans le dossier du carnet"
    return Explanation(f"le fichier « {name} » est introuvable",
                       (f"Vouliez-vous dire « {folder / close} » ? " if close else "")
                       + (f"Fichiers présents {where} : {_listing(present)}." if present else
                          "Vérifiez le chemin : les données du cas sont dans le dossier data/."))


def explain(error: BaseException, namespace: dict | None = None, source: str = "") -> Explanation:
    """The French explanation of `error` (its traceback is read for pandas' objects)."""
    namespace = namespace or {}
    tb = error.__traceback__
    failed = [n for n in _cell_names(source) if isinstance(namespace.get(n), CellError)]
    if failed and not isinstance(error, SyntaxError):
        name = failed[0]
        return Explanation(f"« {name} » n'a pas de valeur, car la cellule qui la calcule a levé une erreur : "
                           f"{namespace[name].message.rstrip('.')}",
                           "Corrigez d'abord la cellule qui calcule cette variable, exécutez-la, puis celle-ci.")
    if isinstance(error, SyntaxError):
        return syntax_sentence(error)
    if isinstance(error, ModuleNotFoundError):
        return Explanation(f"le module « {error.name} » n'est pas installé dans cet environnement",
                           "Ce carnet se fait avec pandas et matplotlib, importés dans sa première cellule.")
    if isinstance(error, KeyError):
        return _key_error(error, tb)
    if isinstance(error, NameError):
        return _name_error(error, namespace)
    if isinstance(error, AttributeError):
        return _attribute_error(error)
    if isinstance(error, TypeError):
        return _type_error(error, namespace)
    if isinstance(error, ValueError):
        return _value_error(error, tb)
    if isinstance(error, IndexError):
        return _index_error(error, tb)
    if isinstance(error, ZeroDivisionError):
        return Explanation("division par zéro : le dénominateur vaut 0",
                           "Vérifiez le dénominateur : un total nul, un filtre qui ne garde aucune ligne ?")
    if isinstance(error, FileNotFoundError):
        return _file_error(error)
    return Explanation(f"{french_exception(type(error).__name__)} ({str(error)[:160]})",
                       "Relisez la ligne indiquée ; le détail technique est replié ci-dessous.")


def _cell_names(source: str) -> list[str]:
    from mda_apprenant.check.cell_errors import used_names

    return used_names(source) if source else []


__all__ = ["Explanation", "explain"]
