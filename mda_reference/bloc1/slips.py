"""Classic mistakes of bloc 1 written into solved notebooks (demo and end-to-end tests).

Each slip states the points it must cost: that is the rubric the checks apply
(half the points for a convention slip, none for a wrong method; a table or a list keeps
its share of right values when that is better).

``lost`` is the cost on the common case (source data); on a learner's own variant,
``mda_checks.demo.slip_costs`` computes it from the mistake ``message`` names.
"""
from mda_checks.demo.submissions import Slip

SLIPS = [
    Slip("01_veille_concurrence", "reponse_tcam_marche", "(1 / 4)", "(1 / 5)", "tcam_marche",
         lost=1.0, message="5 périodes"),
    Slip("01_veille_concurrence", "reponse_parts_marche", '["ca_vae_2025_keur"]', '["ventes_unites_2025"]',
         "parts_marche", lost=2.0, message="en volume"),
    Slip("03_plan_action", "reponse_cout_pac", 'actions["cout_ttc_eur"] / (1 + hypotheses["taux_tva"])',
         'actions["cout_ttc_eur"]', "cout_pac_ht", lost=1.0, message="TTC"),
    Slip("04_budget_rentabilite", "reponse_point_mort", "seuil_rentabilite / ca * 360", "seuil_rentabilite / ca * 365",
         "delai_point_mort_jours", lost=0.5, message="365 jours au lieu de 360"),
    Slip("05_kpi_direction", "reponse_taux_marque", 'taux_marque = marge_brute_2025 / annee_2025["montant_ht_eur"].sum()',
         'taux_marque = marge_brute_2025 / annee_2025["cout_achat_ht_eur"].sum()', "taux_marque",
         lost=1.0, message="taux de marge"),  # base of a rate (cost instead of price): a convention, half of 2
]
