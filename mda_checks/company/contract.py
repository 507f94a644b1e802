"""The data contract of a host-company dossier: the files each bloc 1–2 notebook reads, and their columns.

A column is declared once (name, kind, unit, allowed values, sign); ``row_schema`` turns a file's
columns into a JSON Schema (Draft 2020-12) that every CSV row is validated against (``validate``).
What a single row cannot say is a table rule (``TableRule``): a minimum number of rows, values that
must vary, dates within the study period, identifiers that must be unique or known.

Two families, because the trainer may waive only one (``mda entreprise --exception``):
- structure (``STRUCTURE``): files, columns, types, allowed values, identifiers; the notebooks and the
  reference cannot run without it, it is never waived;
- plausibility (``PLAUSIBILITY``): signs, the study period, enough clients, amounts that vary; a real
  company may have a documented reason to break one.
The file and column names are the notebooks' (they read them by name), whatever the company's sector.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: the study period every date of a dossier falls in (the reference counts recency from its end)
PERIOD = ("2024-01-01", "2025-12-31")

#: rule identifiers a trainer may waive, with their French label
PLAUSIBILITY = {
    "signe": "montants et quantités positifs",
    "periode": "dates dans la période étudiée",
    "effectif": "assez de lignes pour l'analyse",
    "dispersion": "des montants qui varient",
}
STRUCTURE = {
    "fichier": "fichier présent et lisible",
    "colonnes": "colonnes attendues",
    "type": "type de chaque valeur",
    "valeurs": "valeurs autorisées",
    "identifiant": "identifiants uniques et connus",
    "parametres": "paramètres des hypothèses",
}

#: kind -> (JSON type, how a learner should write it, in French)
KINDS = {
    "texte": ("string", "un texte non vide"),
    "identifiant": ("string", "un identifiant non vide"),
    "entier": ("integer", "un nombre entier"),
    "nombre": ("number", "un nombre (point décimal, sans espace ni symbole)"),
    "montant": ("number", "un montant en euros (point décimal, sans espace ni symbole « € »)"),
    "date": ("string", "une date AAAA-MM-JJ"),
    "mois": ("string", "un mois AAAA-MM"),
}
PATTERNS = {"date": r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", "mois": r"^\d{4}-(0[1-9]|1[0-2])$"}
#: characters a text of the dossier never carries: its texts reach the statements (markdown), the feedback and
#: the reports, so a tag (« < », « > »), a statement placeholder (« { », « } ») or inline code (« ` ») would be
#: markup written by the learner into what the trainer and the jury open
MARKUP = "<>{}`"
TEXT_PATTERN = f"^[^{MARKUP}]*$"  # none of them needs escaping inside a class (Python's and Rust's regex alike)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    unit: str = ""
    #: allowed values (structure)
    values: tuple = ()
    #: an empty cell is allowed (a stage not reached, a price still to compute)
    optional: bool = False
    #: plausibility: strictly positive (">0") or not negative (">=0")
    sign: str = ""
    #: plausibility: a date that must fall in the study period
    in_period: bool = False


@dataclass(frozen=True)
class TableRule:
    """A rule over a whole file: kind is one of ``min_rows``, ``varies``, ``unique``, ``known``, ``parameters``,
    ``required_value``, ``company_row`` (the company of entreprise.csv has its row; with a column as value, that
    column is empty on its row alone: the notebook finds the company's row by it, as the learner's own bid)."""

    kind: str
    column: str = ""
    value: Any = None  # per kind: a count, a (file, column) pair, names, a value
    #: rule family id (``PLAUSIBILITY`` or ``STRUCTURE``)
    rule: str = ""


@dataclass(frozen=True)
class FileContract:
    name: str
    what: str
    columns: tuple[Column, ...]
    rules: tuple[TableRule, ...] = field(default_factory=tuple)


def C(name, kind, unit="", **options) -> Column:  # noqa: N802 - a declaration reads like a table row
    return Column(name, kind, unit, **options)


MONEY = dict(sign=">=0")
POSITIVE = dict(sign=">0")
YES_NO = ("oui", "non")
TARGETS = ("B2B", "B2C")


def unique(column): return TableRule("unique", column, rule="identifiant")
def at_least(n): return TableRule("min_rows", value=n, rule="effectif")
def varies(column): return TableRule("varies", column, rule="dispersion")
def known(column, file, other="client_id"): return TableRule("known", column, (file, other), rule="identifiant")
def parameters(*names): return TableRule("parameters", value=names, rule="parametres")
def company_row(column, blank=""): return TableRule("company_row", column, blank, rule="identifiant")


BLOC1 = (
    FileContract("marche_vae.csv", "le marché de l'entreprise par segment et par année", (
        C("annee", "entier", "année", values=tuple(range(2015, 2027))), C("segment", "texte"),
        C("ventes_unites", "entier", "unités", **POSITIVE), C("prix_moyen_eur", "montant", "€", **POSITIVE),
        C("ca_meur", "nombre", "M€", **POSITIVE)), (at_least(10), varies("ca_meur"))),
    FileContract("concurrents_2025.csv", "l'entreprise et ses concurrents en 2025", (
        C("concurrent", "texte"), C("type", "texte", values=("direct", "indirect")),
        C("ventes_unites_2025", "entier", "unités", **POSITIVE), C("prix_moyen_eur", "montant", "€", **POSITIVE),
        C("ca_vae_2025_keur", "nombre", "k€", **POSITIVE), C("note_clients", "nombre", "sur 5"),
        C("nb_avis", "entier", "avis", **MONEY), C("canal_principal", "texte"),
        C("abonnes_reseaux", "entier", "abonnés", **MONEY)),
        (unique("concurrent"), company_row("concurrent"), at_least(4), varies("ca_vae_2025_keur"))),
    FileContract("clients_b2b.csv", "les clients professionnels et leur chiffre d'affaires 2025", (
        C("client_id", "identifiant"), C("secteur", "texte"),
        C("effectif_tranche", "texte", values=("1-9", "10-49", "50-249", "250-999", "1000+")),
        C("departement", "entier"), C("anciennete_ans", "entier", "ans", **MONEY),
        C("ca_2025_eur", "montant", "€ HT", **POSITIVE), C("marge_brute_2025_eur", "montant", "€ HT"),
        C("nb_commandes_2025", "entier", "commandes", **POSITIVE)),
        (unique("client_id"), at_least(30), varies("ca_2025_eur"))),
    FileContract("prospects.csv", "les prospects à classer", (
        C("prospect_id", "identifiant"), C("secteur", "texte"),
        C("effectif_tranche", "texte", values=("1-9", "10-49", "50-249", "250-999", "1000+")),
        C("departement", "entier"), C("source", "texte")), (unique("prospect_id"), at_least(20))),
    FileContract("factures_2024_2025.csv", "les factures de 2024 et 2025", (
        C("facture_id", "identifiant"), C("date", "date", in_period=True), C("client_id", "identifiant"),
        C("type_client", "texte", values=TARGETS), C("montant_ht_eur", "montant", "€ HT", **POSITIVE),
        C("cout_achat_ht_eur", "montant", "€ HT", **MONEY)),
        (unique("facture_id"), at_least(100), varies("montant_ht_eur"))),
    FileContract("depenses_acquisition_2025.csv", "les dépenses d'acquisition de clients en 2025", (
        C("poste", "texte"), C("montant_ht_eur", "montant", "€ HT", **POSITIVE)), (at_least(1),)),
    FileContract("actions_pac.csv", "les actions du plan d'action commerciale", (
        C("action_id", "identifiant"), C("action", "texte"), C("canal", "texte"), C("cible", "texte", values=TARGETS),
        C("trimestre", "texte", values=("T1", "T2", "T3", "T4")), C("cout_ttc_eur", "montant", "€ TTC", **POSITIVE),
        C("ca_attendu_ht_eur", "montant", "€ HT", **MONEY)), (unique("action_id"), at_least(4), varies("cout_ttc_eur"))),
    FileContract("budget_2026.csv", "le budget de l'année", (
        C("poste", "texte"), C("categorie", "texte", values=("produit", "charge", "investissement")),
        C("nature", "texte", values=("chiffre d'affaires", "autre produit", "variable", "fixe", "investissement")),
        C("montant_eur", "montant", "€ HT", **POSITIVE)),
        (unique("poste"), TableRule("required_value", "poste", "Budget marketing et commercial (PAC)", "valeurs"))),
    FileContract("ventes_mensuelles_2026.csv", "le chiffre d'affaires prévu mois par mois", (
        C("mois", "mois"), C("ca_prevu_eur", "montant", "€ HT", **POSITIVE)), (unique("mois"), at_least(12))),
    FileContract("hypotheses_2026.csv", "les hypothèses de l'année", (
        C("parametre", "identifiant"), C("valeur", "nombre"), C("unite", "texte"), C("commentaire", "texte", optional=True)),
        (parameters("taux_tva", "objectif_croissance_ca_b2b_2026", "taux_mcv_actions", "prix_moyen_vae_ht_2026",
                    "jours_annee_commerciale"),)),
)

STAGES = ("date_mql", "date_sql", "date_opportunite", "date_signature")
BLOC2 = (
    FileContract("leads_2025.csv", "les leads de l'année dans le CRM", (
        C("lead_id", "identifiant"), C("canal", "texte"), C("cible", "texte", values=TARGETS),
        C("date_creation", "date", in_period=True),
        *(C(stage, "date", optional=True, in_period=True) for stage in STAGES),
        C("statut", "texte", values=("gagné", "perdu", "en cours")), C("date_dernier_contact", "date", in_period=True)),
        (unique("lead_id"), at_least(100))),
    FileContract("depenses_prospection_2025.csv", "les dépenses de prospection par canal", (
        C("canal", "texte"), C("poste", "texte"), C("nature", "texte", values=("marketing", "commercial")),
        C("montant_ht_eur", "montant", "€ HT", **POSITIVE)), (at_least(2),)),
    FileContract("ao_chiffrage.csv", "le chiffrage de l'appel d'offres", (
        C("ligne", "identifiant"), C("exigence", "texte"), C("poste", "texte"),
        C("nature", "texte", values=("matériaux", "main-d'œuvre", "matériel")), C("quantite", "entier", "", **POSITIVE),
        C("unite", "texte"), C("cout_unitaire_ht_eur", "montant", "€ HT", **POSITIVE)), (unique("ligne"),)),
    FileContract("ao_offres_concurrents.csv", "les offres des concurrents à l'appel d'offres", (
        C("candidat", "texte"), C("montant_ttc_eur", "montant", "€ TTC", optional=True, **POSITIVE),
        C("note_technique", "nombre", "points", **MONEY), C("note_environnement", "nombre", "points", **MONEY)),
        (unique("candidat"), company_row("candidat", blank="montant_ttc_eur"), at_least(3))),
    FileContract("clients.csv", "le portefeuille de clients", (
        C("client_id", "identifiant"), C("type_client", "texte", values=TARGETS), C("secteur", "texte"),
        C("ville", "texte"), C("date_premiere_commande", "date"), C("consentement_email", "texte", values=YES_NO),
        C("opposition_email", "texte", values=YES_NO)), (unique("client_id"), at_least(30))),
    FileContract("commandes_2024_2025.csv", "les commandes de 2024 et 2025", (
        C("commande_id", "identifiant"), C("date", "date", in_period=True), C("client_id", "identifiant"),
        C("categorie", "texte"), C("quantite", "entier", "", **POSITIVE), C("montant_ht_eur", "montant", "€ HT", **POSITIVE),
        C("marge_brute_eur", "montant", "€ HT")),
        (unique("commande_id"), known("client_id", "clients.csv"), at_least(100), varies("montant_ht_eur"))),
    FileContract("couts_service_2025.csv", "le coût de service de chaque client en 2025", (
        C("client_id", "identifiant"), C("nb_visites_commerciales", "entier", "", **MONEY),
        C("nb_interventions_sav", "entier", "", **MONEY), C("nb_livraisons", "entier", "", **MONEY)),
        (unique("client_id"), known("client_id", "clients.csv"))),
    FileContract("catalogue_2026.csv", "le catalogue de l'offre négociée", (
        C("reference", "identifiant"), C("designation", "texte"), C("prix_catalogue_ht_eur", "montant", "€ HT", **POSITIVE),
        C("cout_revient_ht_eur", "montant", "€ HT", **POSITIVE)), (unique("reference"),)),
    FileContract("demande_lumen.csv", "la demande du client de la négociation", (
        C("reference", "identifiant"), C("quantite", "entier", "", **POSITIVE)),
        (unique("reference"), known("reference", "catalogue_2026.csv", "reference"))),
    FileContract("negociation_lumen.csv", "les concessions de la négociation", (
        C("tour", "entier", "", **POSITIVE), C("partie", "texte"), C("axe_qcd", "texte", values=("Qualité", "Coût", "Délai")),
        C("concession", "texte"), C("effet_prix_ht_eur", "montant", "€ HT"), C("effet_cout_ht_eur", "montant", "€ HT"),
        C("retenue", "texte", values=YES_NO)), (at_least(2),)),
    FileContract("hypotheses_bloc2.csv", "les hypothèses du bloc", (
        C("parametre", "identifiant"), C("valeur", "nombre"), C("unite", "texte"), C("commentaire", "texte", optional=True)),
        (parameters("objectif_nouveaux_clients_2026", "marge_annuelle_client_b2b", "marge_annuelle_client_b2c",
                    "attrition_prevue_b2b", "attrition_prevue_b2c", "seuil_ltv_cac", "delai_relance_jours", "taux_tva",
                    "ao_taux_frais_chantier", "ao_taux_frais_generaux", "ao_taux_benefice", "ao_note_maximale",
                    "ao_poids_prix", "ao_poids_technique", "ao_poids_environnement", "cout_visite_commerciale",
                    "cout_intervention_sav", "cout_livraison", "seuil_inactivite_jours", "seuil_ca_vip",
                    "budget_client_ttc", "remise_etudiee", "taux_marque_plancher"),)),
)

#: the company's identity, read by the statements and the reference (« {{entreprise}} »)
COMPANY = FileContract("entreprise.csv", "l'identité de l'entreprise (anonymisée si elle le souhaite)", (
    C("parametre", "identifiant", values=("entreprise", "secteur_entreprise", "devise", "presentation")),
    C("valeur", "texte"),
    C("unite", "texte", optional=True)), (parameters("entreprise", "secteur_entreprise", "devise"),
                                          TableRule("required_value", "valeur", "EUR", "valeurs")))

CONTRACTS = {"bloc1": BLOC1 + (COMPANY,), "bloc2": BLOC2 + (COMPANY,)}


def contract(assignment: str) -> tuple[FileContract, ...]:
    if assignment not in CONTRACTS:
        raise KeyError(f"aucun contrat de données pour {assignment} : seuls les blocs 1 et 2 portent sur "
                       "l'entreprise d'accueil")
    return CONTRACTS[assignment]


def row_schema(file: FileContract, plausibility: bool = False) -> dict:
    """The JSON Schema of one CSV row: structure, or (``plausibility``) the signs only."""
    properties: dict[str, dict] = {}
    for column in file.columns:
        json_type, _ = KINDS[column.kind]
        if plausibility:
            bound = {">0": {"exclusiveMinimum": 0}, ">=0": {"minimum": 0}}.get(column.sign)
            if bound:
                properties[column.name] = {**bound}
            continue
        spec: dict = {"type": json_type}
        if column.kind in ("texte", "identifiant"):
            spec["minLength"] = 1
            spec["pattern"] = TEXT_PATTERN
        if column.kind in PATTERNS:
            spec["pattern"] = PATTERNS[column.kind]
        if column.values:
            spec["enum"] = list(column.values)
        properties[column.name] = {"anyOf": [spec, {"type": "null"}]} if column.optional else spec
    required = [] if plausibility else [c.name for c in file.columns]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": properties, "required": required}
