"""Classic mistakes of bloc 4 written into solved notebooks (demo and end-to-end tests).

Each slip states the points it must cost: half the points for a convention slip
(day basis, HT/TTC, zone bounds), all of them for a wrong method; a table keeps its share
of right values when that is better.

``lost`` is the cost on the common case (source data); on a learner's own variant,
``mda_checks.demo.slip_costs`` computes it from the mistake ``message`` names.
"""
from mda_checks.demo.submissions import Slip

SLIPS = [
    Slip("01_lean_flux", "reponse_pce", "(lead_time_jours * heures_par_jour)", "(lead_time_jours * 24)", "pce",
         lost=1.0, message="heures calendaires"),
    Slip("02_obligations_litiges", "reponse_dso", "* 360", "* 365", "dso_jours",
         lost=1.0, message="365 jours au lieu de 360"),
    Slip("02_obligations_litiges", "reponse_dso_epuisement", '["montant_ttc_eur"].sum().sort_index',
         '["montant_ht_eur"].sum().sort_index', "dso_epuisement_jours", lost=1.0, message="pris HT"),
    # wrong method, but a prestation whose volume matched the budget keeps its right value: the share (1 of 4) is kept
    Slip("03_tableau_de_bord", "reponse_ecarts_prix", '* comparaison["volume_reel"]', '* comparaison["volume_prevu"]',
         "ecarts_prix", lost=1.5, message="quantités prévues"),
    # convention slip (half), but only the risks of criticality 5 and 10 change zone: 22 of 24 cells stay right
    Slip("04_rapport_crise", "reponse_matrice_criticite", '[0] + zones["criticite_max"].tolist()', "[0, 5, 10, 20]",
         "matrice_criticite", lost=0.38, message="dans la zone inférieure"),
]


#: Slips made in an answer cell whose results later answers reuse: each costs its points at its own check only,
#: the later answers computed from it keeping theirs (the error is carried forward, charged once)
CARRIED_SLIPS = [
    # a lead time in 24-hour days: the PCE before and after the kaizen follow it
    Slip("01_lean_flux", "reponse_lead_time", 'flux["duree_h"].sum() / heures_par_jour', 'flux["duree_h"].sum() / 24',
         "lead_time_jours", lost=1.0, message="jours de 24 h"),
    # criticality as a sum: the ranking of the risks follows it
    Slip("04_rapport_crise", "reponse_matrice_criticite", 'registre["probabilite"] * registre["gravite"]',
         'registre["probabilite"] + registre["gravite"]', "matrice_criticite", lost=1.88, message="une somme"),
    # quantity variances of the wrong sign: the price variances, computed from the table of volumes, stay right
    Slip("03_tableau_de_bord", "reponse_ecarts_quantite", '(comparaison["volume_reel"] - comparaison["volume_prevu"])',
         '(comparaison["volume_prevu"] - comparaison["volume_reel"])', "ecarts_quantite", lost=1.0,
         message="signe est inversé"),
]
