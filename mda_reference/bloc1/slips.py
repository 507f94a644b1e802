"""Classic mistakes of bloc 1 written into solved notebooks (demo and end-to-end tests).

Each slip states the points it must cost: that is the rubric the checks apply.
"""
from mda_checks.demo.submissions import Slip

SLIPS = [
    Slip("01_veille_concurrence", "reponse_tcam_marche", "(1 / 4)", "(1 / 5)", "tcam_marche",
         lost=1.0, message="5 périodes"),
    Slip("01_veille_concurrence", "reponse_parts_marche", '["ca_vae_2025_keur"]', '["ventes_unites_2025"]',
         "parts_marche", lost=2.0, message="en volume"),
]
