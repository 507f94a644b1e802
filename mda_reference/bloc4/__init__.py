"""Bloc 4 reference: Cyclonord Services pilots its profit centre (one module per notebook)."""
from mda_reference.bloc4 import lean, obligations_litiges, rapport_crise, tableau_de_bord  # noqa: F401  (registers answers)
from mda_reference.bloc4.answers import reference

expected = reference.expected

__all__ = ["expected", "reference"]
