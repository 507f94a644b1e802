"""Bloc 3 reference: the kick-off and follow-up of Cyclonord's contract with a local authority.

One module per notebook: team organisation, progress tracking (earned value),
team climate, competency map and training plan, recruitment grid.
"""
from mda_reference.bloc3 import animation, gepp, organisation, recrutement, suivi  # noqa: F401  (registers answers)
from mda_reference.bloc3.answers import reference

expected = reference.expected

__all__ = ["expected", "reference"]
