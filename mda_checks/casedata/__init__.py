"""Seeded generators of the case data (CSV files) each bloc's workbook works on.

Each bloc module exposes ``generate(seed) -> dict[file name, DataFrame]``; the
files committed in source/<bloc>/data/ are ``write_case(bloc, folder)`` with the
default seed, and a test proves they are in sync.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pandas as pd

DEFAULT_SEED = 2026
#: bloc number -> generator module (one module per bloc: mda_checks/casedata/bloc<N>.py)
GENERATORS = {n: f"{__name__}.bloc{n}" for n in range(1, 5) if find_spec(f"{__name__}.bloc{n}")}


def generate_case(bloc: int, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The case data of one bloc, as DataFrames keyed by CSV file name."""
    if bloc not in GENERATORS:
        raise KeyError(f"aucun générateur de données pour le bloc {bloc}")
    return import_module(GENERATORS[bloc]).generate(seed)


def write_case(bloc: int, folder: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the bloc's CSV files (UTF-8, comma-separated, dot decimals) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in generate_case(bloc, seed).items():
        path = folder / name
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
