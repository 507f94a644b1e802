"""Classic mistakes of bloc 3 written into solved notebooks (demo and end-to-end tests).

Each slip states the points it must cost: that is the rubric the checks apply.
Every slip sits in a cell whose result no later graded answer depends on (or
only in a way the slip leaves unchanged), so it costs points in one place only.

``lost`` is the cost on the common case (source data); on a learner's own variant,
``mda_checks.demo.slip_costs`` computes it from the mistake ``message`` names.
"""
from mda_checks.demo.submissions import Slip

SLIPS = [
    # a part-timer's capacity counted on a full 35-hour week: convention slip (half of 2 points), but the
    # full-timers' rates stay right and that share is better: the learner loses 0.6 on the demo data
    Slip("01_lancement_organisation", "reponse_taux_utilisation",
         'duree_hebdo * equipe["quotite"] * semaines', "duree_hebdo * semaines",
         "taux_utilisation", lost=0.6, message="temps partiel"),
    # cost variance written planned − actual: sign convention (half of 2 points); the delay variances stay right
    # and that share is better: the learner loses 0.8
    Slip("02_suivi_avancement", "reponse_ecarts",
         '"ecart_cout": suivi["cout_reel_eur"] - valeur_acquise', '"ecart_cout": valeur_acquise - suivi["cout_reel_eur"]',
         "ecarts", lost=0.8, message="signe de l'écart de coût"),
    # negative gaps left in the training needs: convention slip, half of 2 points
    Slip("04_gepp_formation", "reponse_besoins_formation",
         'carto["ecart"].clip(lower=0)', 'carto["ecart"]',
         "besoins_formation", lost=0.75, message="ramenés à 0"),
    # OPCO funding not deducted from the plan's cost: funding convention, half of 2 points
    Slip("04_gepp_formation", "reponse_cout_plan",
         '\n                     - plan["prise_en_charge_opco_eur"] + cout_horaire', "\n                     + cout_horaire",
         "cout_plan", lost=1.0, message="pas été déduite du coût"),
    # variant weights not brought back to a total of 1: convention slip, half of 2 points
    Slip("05_recrutement", "reponse_scores_variante",
         "poids_variante = poids_variante / poids_variante.sum()", "poids_variante = poids_variante",
         "scores_variante", lost=1.0, message="total de 1"),
]


#: Slips made in an answer cell whose results later answers reuse: each costs its points at its own check only,
#: the later answers computed from it keeping theirs (the error is carried forward, charged once)
CARRIED_SLIPS = [
    # earned value on the planned progress: the variances, the alerts, the SPI and the forecasts follow it
    Slip("02_suivi_avancement", "reponse_valeur_acquise", 'suivi["avancement_reel"] * suivi["budget_eur"]',
         'suivi["avancement_prevu"] * suivi["budget_eur"]', "valeur_acquise", lost=0.6, message="valeur planifiée"),
    # gaps of the wrong sign: the training needs and the plan's cost follow them
    Slip("04_gepp_formation", "reponse_ecarts_competences", 'carto["niveau_requis"] - carto["niveau_actuel"]',
         'carto["niveau_actuel"] - carto["niveau_requis"]', "ecarts_competences", lost=1.0, message="signe est inversé"),
]
