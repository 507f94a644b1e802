"""Who the case is about, as the statements of blocs 1–2 name it: « {{entreprise}} », « {{presentation_entreprise}} ».

The generated case (every variant) is Cyclonord; a host-company case (``mda entreprise``) names itself in
its ``entreprise.csv`` (rows ``entreprise``, ``secteur_entreprise``, optional ``presentation``). The rest
of each notebook's story stays the exercise's setting.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: the company of the generated case
COMMON_COMPANY = "Cyclonord"
#: the first sentence of the generated case's story (blocs 1 and 2 open with it)
COMMON_PRESENTATION = "Cyclonord SAS (Lille, 48 salariés) conçoit et assemble des vélos à assistance électrique (VAE)."
#: the host company's identity file (parametre, valeur, unite), absent from a generated case
IDENTITY_FILE = "entreprise.csv"
VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")


def elided(word: str, name: str) -> str:
    """« de Cyclonord », « d'Alpha Conseil »: « de » and « que » elide before a vowel."""
    return f"{word[:-1]}'{name}" if name[:1].lower() in VOWELS else f"{word} {name}"


def identity(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """The rows of the case's entreprise.csv ({} for a generated case)."""
    frame = frames.get(IDENTITY_FILE)
    if frame is None:
        return {}
    return {str(row.parametre).strip(): str(row.valeur).strip() for row in frame.itertuples(index=False)
            if isinstance(row.valeur, str) and row.valeur.strip()}


def presentation(rows: Mapping[str, str]) -> str:
    """The story's first sentence: the company's own `presentation` row, else a neutral one from its name and sector."""
    text = rows.get("presentation", "")
    if not text:
        return f"{rows['entreprise']} est votre entreprise d'accueil (secteur : {rows['secteur_entreprise']})."
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def company_parameters(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """The statement parameters that name the company, for the generated case or a host company."""
    rows = identity(frames)
    name = rows.get("entreprise", COMMON_COMPANY)
    return {
        "entreprise": name,
        "de_entreprise": elided("de", name),
        "que_entreprise": elided("que", name),
        "presentation_entreprise": presentation(rows) if rows else COMMON_PRESENTATION,
    }
