"""Classic mistakes of bloc 2 written into solved notebooks (demo and end-to-end tests).

Each slip states the points it must cost: that is the rubric the checks apply
(half the points for a convention slip, none for a wrong method; a table or a list keeps
its share of right values when that is better).

``lost`` is the cost on the common case (source data); on a learner's own variant,
``mda_checks.demo.slip_costs`` computes it from the mistake ``message`` names.
"""
from mda_checks.demo.submissions import Slip

SLIPS = [
    # convention: rounding down leaves the objective out of reach (1 point × 0.5)
    Slip("01_prospection", "reponse_leads_necessaires", "math.ceil(", "math.floor(", "leads_necessaires",
         lost=0.5, message="entier inférieur"),
    # convention: the CAC leaves out the valued sales time (1 point × 0.5)
    Slip("01_prospection", "reponse_cac_global", 'depenses["montant_ht_eur"].sum()',
         'depenses.loc[depenses["nature"] == "marketing", "montant_ht_eur"].sum()', "cac_global",
         lost=0.5, message="temps commercial"),
    # convention: TTC instead of HT in the tender (2 points × 0.5)
    Slip("02_appel_offres", "reponse_prix_gagnant", "pmin_concurrents = prix_ht.drop(NOTRE_ENTREPRISE).min()",
         'pmin_concurrents = offres["montant_ttc_eur"].min()', "prix_gagnant_ht", lost=1.0, message="TTC"),
    # convention: R not reversed (half of 3 points), but F and M and the middle quintile of R stay right: the
    # share of right scores (about 73 % on the demo data) is better than half, the learner keeps it (loses 0.8);
    # segments are graded on the learner's scores, so they keep theirs
    Slip("03_portefeuille_clients", "reponse_scores_rfm", "labels=[5, 4, 3, 2, 1]", "labels=[1, 2, 3, 4, 5]",
         "scores_rfm", lost=0.8, message="pas inversée"),
    # wrong method: ABC on volumes instead of revenue (no credit), but most clients stay in their class: the
    # learner keeps the share of right classes (0.775 on the demo data), as for any table
    Slip("03_portefeuille_clients", "reponse_abc", 'groupby("client_id")["montant_ht_eur"]',
         'groupby("client_id")["quantite"]', "classes_abc", lost=0.43, message="volumes"),
    # convention: churn on the end-of-period base (2 points × 0.5)
    Slip("04_communication_ciblee", "reponse_taux_attrition", "len(perdus) / len(actifs_2024)",
         "len(perdus) / len(actifs_2025)", "taux_attrition", lost=1.0, message="actifs en 2025"),
    # convention: the budget stated TTC compared with the offer HT (1 point × 0.5)
    Slip("05_offre_negociation", "reponse_ecart_budget", "ecart_budget = montant_offre_ht - budget_ht",
         'ecart_budget = montant_offre_ht - hypotheses["budget_client_ttc"]', "ecart_budget",
         lost=0.5, message="budget annoncé est TTC"),
]


#: Slips made in an answer cell whose results later answers reuse: each costs its points at its own check only,
#: the later answers computed from it keeping theirs (the error is carried forward, charged once)
CARRIED_SLIPS = [
    # the competitors' TTC amounts compared: the totals, the rank and the price to win follow them
    Slip("02_appel_offres", "reponse_notes_prix",
         'prix_ht = offres.set_index("candidat")["montant_ttc_eur"] / (1 + hypotheses["taux_tva"])',
         'prix_ht = offres.set_index("candidat")["montant_ttc_eur"]', "notes_prix", lost=0.4, message="prix TTC des concurrents"),
    # the budget left TTC: the discount needed follows it
    Slip("05_offre_negociation", "reponse_ecart_budget", 'budget_ht = hypotheses["budget_client_ttc"] / (1 + hypotheses["taux_tva"])',
         'budget_ht = hypotheses["budget_client_ttc"]', "ecart_budget", lost=0.5, message="budget annoncé est TTC"),
    # the refused requests counted: the final margin and the final margin rate follow them
    Slip("05_offre_negociation", "reponse_effets_qcd", 'retenues = negociation[negociation["retenue"] == "oui"]',
         "retenues = negociation", "effets_qcd", lost=1.33, message="demandes refusées"),
    # the margin over the cost: the volume increase follows it; the margins, computed from the cost, stay right
    Slip("05_offre_negociation", "reponse_taux_marque", "taux_marque_offre = (montant_offre_ht - cout_offre) / montant_offre_ht",
         "taux_marque_offre = (montant_offre_ht - cout_offre) / cout_offre", "taux_marque_offre", lost=0.5,
         message="taux de marge (marge / coût)"),
]
