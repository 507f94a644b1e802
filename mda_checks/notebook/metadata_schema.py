"""``metadata.mda`` checked against its versioned JSON schema (``mda_metadata.v1.json``).

The schema names every key the course reads or writes under ``mda``: in a notebook's metadata,
in a cell's, in an output's. A value the schema refuses would be read wrongly (a string
``"CE1.1.1"`` where a list is expected is seven one-letter codes), so ``mda build`` refuses a
master holding one, and grading never reads a learner's copy of it (``restore_metadata``).
Each refusal is a French sentence naming the notebook, the cell and the key.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema
from nbformat import NotebookNode

from mda_checks.notebook import cells
from mda_checks.referentiel import load_referentiel

SCHEMA_FILE = "mda_metadata.v1.json"
KEY = "mda"
PARTS = ("notebook", "cell", "output")


class MetadataError(ValueError):
    """A notebook whose ``metadata.mda`` the schema refuses; the message lists every refusal (French)."""


@cache
def schema() -> dict:
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _validator(part: str) -> jsonschema.Draft202012Validator:
    whole = {**schema(), "$ref": f"#/$defs/{part}"}
    jsonschema.Draft202012Validator.check_schema(whole)
    return jsonschema.Draft202012Validator(whole)


def _describe(error: jsonschema.ValidationError, part: str) -> str:
    """One refusal in French: the key, what was found, what is expected."""
    properties = schema()["$defs"][part]["properties"]
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(properties))
        return (f"clé inconnue {', '.join(f'mda.{k}' for k in unknown)} "
                f"(clés permises ici : {', '.join(sorted(properties))})")
    path = list(error.absolute_path)
    if not path:
        return f"metadata.mda doit être un objet JSON (des clés et leurs valeurs), trouvé {_shown(error.instance)}"
    where = "mda." + str(path[0]) + "".join(f"[{p}]" for p in path[1:])
    return f"clé {where} : {_shown(error.instance)} refusé, attendu {properties[path[0]]['description']}"


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def problems(value, part: str) -> list[str]:
    """French refusals of one ``metadata.mda`` value (`part`: notebook, cell or output)."""
    errors = sorted(_validator(part).iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path])
    return [_describe(error, part) for error in errors]


def _cell_name(cell: NotebookNode, index: int) -> str:
    grade_id = cells.grade_id(cell)
    return f"cellule « {grade_id} »" if grade_id else f"cellule n° {index + 1}"


def _meaning(cell: NotebookNode) -> list[str]:
    """What the schema cannot see: criteria the referentiel knows, on a cell that is graded."""
    codes = cell.metadata[KEY].get("ce", [])
    if codes and not cells.is_graded(cell):
        return ["clé mda.ce sur une cellule non notée : ses critères ne compteraient nulle part"]
    known = {criterion.code for criterion in load_referentiel().criteria}
    return [f"clé mda.ce : {code} n'est pas un critère du référentiel" for code in codes if code not in known]


def notebook_problems(notebook: NotebookNode, name: str, master: bool = False) -> list[str]:
    """Every refusal in `notebook` (its metadata, its cells', their outputs'), each naming where it is;
    a `master` holds no result (the scorer writes them in graded copies)."""
    found = []
    if KEY in notebook.metadata:
        found += [f"carnet {name} (métadonnées du carnet) : {p}" for p in problems(notebook.metadata[KEY], "notebook")]
    for index, cell in enumerate(notebook.cells):
        where = f"carnet {name}, {_cell_name(cell, index)}"
        if KEY in cell.get("metadata", {}):
            cell_problems = problems(cell.metadata[KEY], "cell")
            found += [f"{where} : {p}" for p in cell_problems or _meaning(cell)]
            if master and "resultat" in cell.metadata[KEY]:
                found.append(f"{where} : clé mda.resultat dans un original (seul le correcteur l'écrit, dans les copies notées)")
        for output in cell.get("outputs", []):
            if KEY in output.get("metadata", {}):
                found += [f"{where}, une sortie : {p}" for p in problems(output.metadata[KEY], "output")]
    return found


def check_notebook(notebook: NotebookNode, name: str, master: bool = True) -> None:
    """Raise ``MetadataError`` listing every refusal, or return: the notebook's ``metadata.mda`` is sound."""
    found = notebook_problems(notebook, name, master)
    if found:
        raise MetadataError("Métadonnées mda refusées (schéma " + SCHEMA_FILE + ") :\n- " + "\n- ".join(found))
