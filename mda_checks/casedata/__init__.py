"""Seeded generators of the case data (CSV files) each bloc's workbook works on.

Each bloc module exposes ``generate(seed) -> dict[file name, DataFrame]``; the
files committed in source/<bloc>/data/ are ``write_case(bloc, folder)`` with the
default seed, and a test proves they are in sync.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SEED = 2026
#: bloc number -> generator module (one module per bloc: mda_checks/casedata/bloc<N>.py)
GENERATORS = {n: f"{__name__}.bloc{n}" for n in range(1, 5) if find_spec(f"{__name__}.bloc{n}")}


#: how many redraws a seed gets before its generator is declared unable to produce a fit case
MAX_ATTEMPTS = 20

Acceptor = Callable[[dict[str, pd.DataFrame]], list[str]]


def attempt_seed(seed: int, attempt: int) -> int:
    """The seed of a redraw: the seed itself first (the committed case), then independent streams."""
    if attempt == 0:
        return seed
    return int(np.random.SeedSequence([seed, attempt]).generate_state(1)[0])


def draw_case(bloc: int, seed: int = DEFAULT_SEED, accept: Acceptor | None = None) -> tuple[int, dict[str, pd.DataFrame]]:
    """The first fit draw of a seed: (attempt, frames); ``regenerate_case(bloc, seed, attempt)`` redraws it.

    ``accept`` lists what makes a case unfit (e.g. ``mda_checks.assign.case_check.acceptor``:
    a slip that gives the right number); an unfit case is redrawn from an independent stream
    of the same seed, so a seed always yields the same case.
    """
    if bloc not in GENERATORS:
        raise KeyError(f"aucun générateur de données pour le bloc {bloc}")
    problems: list[str] = []
    for attempt in range(MAX_ATTEMPTS if accept else 1):
        frames = regenerate_case(bloc, seed, attempt)
        problems = accept(frames) if accept else []
        if not problems:
            return attempt, frames
    raise ValueError(f"bloc {bloc}, graine {seed} : aucun tirage sur {MAX_ATTEMPTS} ne respecte le barème "
                     f"({'; '.join(problems[:3])})")


def regenerate_case(bloc: int, seed: int, attempt: int = 0) -> dict[str, pd.DataFrame]:
    """One draw of a seed, without judging it: what ``draw_case`` returned for that attempt."""
    if bloc not in GENERATORS:
        raise KeyError(f"aucun générateur de données pour le bloc {bloc}")
    return import_module(GENERATORS[bloc]).generate(attempt_seed(seed, attempt))


def generate_case(bloc: int, seed: int = DEFAULT_SEED, accept: Acceptor | None = None) -> dict[str, pd.DataFrame]:
    """The case data of one bloc, as DataFrames keyed by CSV file name (the first fit draw, see draw_case)."""
    return draw_case(bloc, seed, accept)[1]


def write_frames(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write case files (UTF-8, comma-separated, dot decimals) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = folder / name
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


def write_case(bloc: int, folder: Path, seed: int = DEFAULT_SEED, accept: Acceptor | None = None) -> list[Path]:
    """Write the bloc's CSV files into `folder`."""
    return write_frames(generate_case(bloc, seed, accept), folder)
