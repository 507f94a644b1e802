"""Bloc 2 reference: prospection, tender, client portfolio, targeted communication, negotiation."""
from mda_reference.bloc2 import appel_offres, communication, negociation, portefeuille, prospection  # noqa: F401
from mda_reference.bloc2.answers import reference

expected = reference.expected

__all__ = ["expected", "reference"]
