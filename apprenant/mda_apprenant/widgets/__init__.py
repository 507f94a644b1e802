"""What-if tools for learners (ipywidgets): exploration aids beside the graded questions, never graded.

Each tool starts from the learner's own results, passed to it in the notebook cell, and computes
only what the notebook's conventions state; a missing result gives a French message, not a
traceback. Outside JupyterLab (feedback pages, any nbconvert export) a static chart of the
starting state stands in for the live widget (``common.WhatIfDisplay``).
"""
from mda_apprenant.widgets.break_even import break_even_explorer
from mda_apprenant.widgets.risk_matrix import risk_explorer

__all__ = ["break_even_explorer", "risk_explorer"]
