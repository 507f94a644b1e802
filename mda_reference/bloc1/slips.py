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


#: Slips made in an answer cell whose results later answers reuse: each costs its points at its own check only,
#: the later answers computed from it keeping theirs (the error is carried forward, charged once)
CARRIED_SLIPS = [
    # the subsidy left in the fixed costs: the break-even in units, the delay, the date and the margins follow it
    Slip("04_budget_rentabilite", "reponse_seuil", 'charges_fixes_nettes = par_nature["fixe"] - par_nature["autre produit"]',
         'charges_fixes_nettes = par_nature["fixe"]', "seuil_rentabilite", lost=1.0, message="subvention"),
    # churn on the end-of-period base: the CLV and the LTV/CAC follow it
    Slip("05_kpi_direction", "reponse_attrition", "/ len(actifs_2024)", "/ len(actifs_2025)", "taux_attrition",
         lost=1.0, message="clients de fin de période"),
    # high-value clients ranked on revenue: the ICP, the scores and the priority prospects follow them
    Slip("02_cible_objectifs", "reponse_clients_haute_valeur", '"marge_brute_2025_eur")', '"ca_2025_eur")',
         "clients_haute_valeur", lost=0.4, message="chiffre d'affaires et non sur la marge"),
]
