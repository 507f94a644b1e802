"""Bloc 1 reference: Cyclonord's strategy, PAC, budget and KPIs (one module per notebook)."""
from mda_reference.bloc1 import budget, cible, kpi, plan_action, veille  # noqa: F401  (registers answers)
from mda_reference.bloc1.answers import reference

expected = reference.expected

__all__ = ["expected", "reference"]
