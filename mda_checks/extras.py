"""The trainer's optional parts (pyproject extras « grappe », « postgresql »): a learner's environment
lacks them, so mda_checks imports them only where used, and says in French which extra to install."""
from __future__ import annotations

import importlib.util

# module → the extra of pyproject.toml that installs it (`make install` installs them all)
EXTRA_OF = {"dask": "grappe", "distributed": "grappe", "cryptography": "grappe", "psycopg": "postgresql"}


class MissingExtra(ValueError):
    """A feature whose optional package is not installed here (French message; a ValueError, so that
    `mda` prints it as « Erreur : … »)."""


def require(module: str, feature: str) -> None:
    """Nothing if ``module`` can be imported; otherwise ``MissingExtra`` naming the extra to install."""
    if importlib.util.find_spec(module) is None:
        raise MissingExtra(f"{feature} demande le paquet Python « {module} », absent de cet environnement : "
                           f"`make install` l'installe (ailleurs : pip install 'mda-checks[{EXTRA_OF[module]}]').")
