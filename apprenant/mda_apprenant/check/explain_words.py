"""The French words of error explanations: Python's types and exceptions, syntax messages."""
from __future__ import annotations


#: names the first cell of every workbook imports: undefined only when that cell was not run
IMPORTED_BY_FIRST_CELL = {"pd", "plt", "np", "pandas", "matplotlib"}

#: option names pandas and matplotlib learners use most (for « vouliez-vous dire … »)
COMMON_OPTIONS = (
    "color", "label", "linestyle", "linewidth", "marker", "alpha", "figsize", "title", "xlabel", "ylabel",
    "kind", "legend", "rot", "ascending", "by", "axis", "columns", "index", "values", "aggfunc", "how", "on",
    "left_on", "right_on", "sep", "decimal", "thousands", "encoding", "parse_dates", "dayfirst", "inplace",
    "ignore_index", "fill_value", "normalize", "bins", "labels", "subset", "keep", "dropna", "sort",
)

_TYPES = {
    "str": "un texte (str)", "int": "un nombre entier (int)", "float": "un nombre décimal (float)",
    "bool": "un booléen (True/False)", "NoneType": "None (aucune valeur)", "list": "une liste",
    "tuple": "un tuple", "dict": "un dictionnaire", "set": "un ensemble",
    "DataFrame": "un tableau (DataFrame)", "Series": "une série (Series)", "Index": "un index",
    "method": "une méthode", "function": "une fonction", "builtin_function_or_method": "une fonction",
    "module": "un module", "Timestamp": "une date (Timestamp)", "CellError": "une variable sans valeur",
    "DataFrameGroupBy": "un regroupement (groupby)", "SeriesGroupBy": "un regroupement (groupby)",
    "Figure": "une figure", "Axes": "un graphique (Axes)", "ndarray": "un tableau numpy",
}

_EXCEPTIONS = {
    "RecursionError": "la fonction s'appelle elle-même sans fin",
    "MemoryError": "la mémoire est épuisée",
    "OverflowError": "un nombre est trop grand",
    "UnicodeDecodeError": "le fichier n'est pas dans l'encodage attendu (essayez encoding=\"utf-8\" ou \"latin-1\")",
    "PermissionError": "l'accès au fichier est refusé",
    "StopIteration": "il n'y a plus d'élément à parcourir",
    "AssertionError": "une vérification (assert) a échoué",
    "ImportError": "l'import a échoué",
    "RuntimeError": "une erreur s'est produite pendant le calcul",
    "OSError": "le système a refusé l'opération",
}

SYNTAX = [
    (r"'(.)' was never closed", "« {0} » ouvert n'est jamais fermé",
     "Ajoutez le caractère fermant (une parenthèse ouverte doit être fermée sur la même instruction)."),
    (r"incomplete input", "l'instruction est incomplète : une parenthèse, un crochet ou un guillemet ouvert "
     "n'est pas fermé", "Fermez chaque ( par ), chaque [ par ], chaque guillemet par le même guillemet."),
    (r"unmatched '(.)'", "« {0} » fermé en trop", "Retirez-le, ou ajoutez celui qui l'ouvre."),
    (r"closing parenthesis '(.)' does not match opening parenthesis '(.)'", "« {0} » ferme un « {1} »",
     "Chaque ( se ferme par ), chaque [ par ]."),
    (r"unterminated (?:triple-quoted )?string literal", "un texte entre guillemets n'est pas fermé",
     "Fermez le texte avec le même guillemet qu'à son début."),
    (r"invalid decimal literal", "un nombre est mal écrit",
     "En Python, on écrit 0.25 (point décimal) et 1234 (sans espace) ; un nom de variable ne commence pas "
     "par un chiffre."),
    (r"Maybe you meant '==' or ':=' instead of '='", "un « = » seul dans une condition",
     "Pour comparer, écrivez « == » ; un seul « = » range une valeur dans une variable."),
    (r"cannot assign to (?:expression|literal|function call)", "on ne range une valeur que dans un nom de variable",
     "À gauche de « = », un nom de variable (ou tableau[\"colonne\"]) ; pour comparer, « == »."),
    (r"Perhaps you forgot a comma", "il manque sans doute une virgule",
     "Séparez les éléments d'une liste ou les arguments d'un appel par des virgules."),
    (r"expected ':'", "il manque « : » en fin de ligne", "if, for, def et else se terminent par « : »."),
    (r"unexpected indent", "une ligne est décalée sans raison",
     "Retirez les espaces en début de ligne : seules les lignes sous un « : » sont décalées."),
    (r"expected an indented block", "les lignes sous « : » doivent être décalées",
     "Décalez de 4 espaces les lignes qui suivent if, for ou def."),
    (r"unindent does not match", "le décalage d'une ligne ne correspond à aucun niveau",
     "Alignez-la sur les lignes du même bloc (4 espaces par niveau)."),
    (r"invalid character '(.)'", "le caractère « {0} » n'est pas permis dans du code",
     "Remplacez les guillemets typographiques et les symboles copiés d'un texte par leur forme simple."),
]


def type_words(value_or_name) -> str:
    """« un texte (str) » for 'str' (a type name) or for a value of that type."""
    name = value_or_name if isinstance(value_or_name, str) else type(value_or_name).__name__
    if not isinstance(value_or_name, str) and name == "module":
        return f"le module {value_or_name.__name__}"
    return _TYPES.get(name, f"un objet de type {name}")


def french_exception(name: str) -> str:
    return _EXCEPTIONS.get(name, "Python a signalé une erreur")
