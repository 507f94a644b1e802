"""The example host company: Numéria Services, a B2B IT services firm in Lyon (managed services, cybersecurity).

Generated, never typed: the figures are drawn by the bloc generators of ``mda_checks.casedata`` from a
seed of its own (so the example's expected answers differ from Cyclonord's and are computed by
``mda_reference`` like any case), then the descriptive labels are those of an IT services firm (its
offers, competitors, cities, budget lines, actions). What the notebooks read by name stays: the file
and column names, the budget's PAC line, the catalogue references the statements quote. An unfit draw
(a listed slip that gives the right number) is redrawn from the same seed, as for a variant.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from mda_checks.casedata import MAX_ATTEMPTS, Acceptor, regenerate_case, write_frames
from mda_checks.casedata.company import COMMON_COMPANY

NAME = "Numéria Services"
SECTOR = "Services informatiques aux entreprises (infogérance, cybersécurité)"
#: the first sentence of its story in the copies (« {{presentation_entreprise}} »)
PRESENTATION = ("Numéria Services (Lyon, 35 salariés) gère le parc informatique et la cybersécurité de PME et "
                "d'établissements publics de la région.")
SEED = 4_2026
#: the common case's company name, replaced in every label
COMMON_NAME = COMMON_COMPANY

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "marche_vae.csv": {"segment": {
        "Cargo": "Cybersécurité managée", "Pliant": "Maintenance de postes", "Urbain": "Infogérance",
        "VTC/Trekking": "Hébergement cloud", "VTT électrique": "Support utilisateurs"}},
    "concurrents_2025.csv": {
        "concurrent": {COMMON_NAME: NAME, "Veloxia": "Infodis", "Urban'Ride": "Cloudéo", "Cargonaut": "Sécurinfo",
                       "Rouebleue": "Proxiservices", "Décavélo": "Datagest", "Mobilib": "Helpline Pro",
                       "Biclou & Co": "Atelier PC Croix-Rousse"},
        "canal_principal": {"boutiques + site + flottes B2B": "agences + site + grands comptes",
                            "grande distribution + site": "revendeurs + site", "site marchand": "site marchand",
                            "showroom + flottes B2B": "commerciaux terrain", "magasins franchisés": "réseau franchisé",
                            "grandes surfaces de sport": "grandes surfaces spécialisées",
                            "location longue durée B2B": "contrats de location", "atelier-boutique": "boutique de quartier"}},
    "actions_pac.csv": {"action": {
        "Salon Eurobike Lille": "Salon IT Partners Lyon", "Campagne LinkedIn flottes d'entreprise":
        "Campagne LinkedIn dirigeants de PME", "Journées d'essai en entreprise": "Audits de sécurité offerts",
        "Partenariat mutuelle santé": "Partenariat avec un cabinet comptable", "Référencement payant (SEA)":
        "Référencement payant (SEA)", "Newsletter et emailing clients": "Newsletter et emailing clients",
        "Affichage métro Lille": "Affichage tramway Lyon", "Portes ouvertes atelier": "Petit-déjeuner cybersécurité",
        "Programme de parrainage": "Programme de parrainage", "Appel d'offres collectivités":
        "Appels d'offres des collectivités", "Influence vélotaf (créateurs locaux)": "Webinaires experts",
        "Catalogue accessible (FALC, audio)": "Documentation accessible (FALC, audio)"}},
    "budget_2026.csv": {"poste": {
        "Ventes de vélos (VAE)": "Contrats d'infogérance", "Prestations d'entretien": "Interventions au forfait",
        "Subvention Région mobilité durable": "Subvention Région transition numérique",
        "Achats de vélos et composants consommés": "Achats de licences et matériels revendus",
        "Transport sur ventes": "Déplacements d'intervention",
        "Extension de l'atelier de montage": "Extension du centre de supervision",
        "Flotte de vélos de démonstration": "Parc de postes de démonstration"}},
    "clients.csv": {"ville": {
        "Villeneuve-d'Ascq": "Villeurbanne", "Lens": "Vienne", "Tourcoing": "Vénissieux", "Valenciennes":
        "Saint-Étienne", "Lille": "Lyon", "Roubaix": "Bron", "Douai": "Bourgoin-Jallieu", "Amiens": "Mâcon",
        "Arras": "Villefranche-sur-Saône"}},
    "commandes_2024_2025.csv": {"categorie": {"VAE": "Infogérance", "Entretien": "Interventions",
                                             "Accessoires": "Licences"}},
    "catalogue_2026.csv": {"designation": {
        "VAE urbain Cyclonord City 2026": "Poste de travail géré Numéria Pro (3 ans)",
        "Vélo cargo électrique Cyclonord Cargo": "Serveur géré Numéria Rack (3 ans)",
        "Kit sécurité (casque, antivol, éclairage renforcé)": "Pack sécurité (antivirus, sauvegarde, chiffrement)",
        "Contrat de maintenance 3 ans (par vélo)": "Support utilisateurs 3 ans (par poste)",
        "Formation prise en main et sécurité (par groupe de 8)": "Formation cybersécurité (par groupe de 8)",
        "Livraison et mise en service (par site)": "Installation et mise en service (par site)"}},
}
#: departments of the Lyon area for the department codes of the common case (clients and prospects alike)
DEPARTMENTS = {59: 69, 62: 1, 80: 38, 2: 42, 60: 71}


def relabel(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The common case's labels turned into Numéria Services' (figures untouched)."""
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for column, mapping in LABELS.get(name, {}).items():
            frame[column] = frame[column].map(lambda value, mapping=mapping: mapping.get(value, value))
        if "departement" in frame:
            frame["departement"] = frame["departement"].map(lambda code: DEPARTMENTS.get(int(code), int(code)))
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                frame[column] = frame[column].str.replace(COMMON_NAME, NAME, regex=False)
        out[name] = frame
    out["entreprise.csv"] = pd.DataFrame({"parametre": ["entreprise", "secteur_entreprise", "devise", "presentation"],
                                          "valeur": [NAME, SECTOR, "EUR", PRESENTATION], "unite": ["", "", "", ""]})
    return out


def example_frames(bloc: int, seed: int = SEED, accept: Acceptor | None = None) -> dict[str, pd.DataFrame]:
    """Numéria Services' files for bloc 1 or 2: the first draw of `seed` that `accept` finds fit."""
    problems: list[str] = []
    for attempt in range(MAX_ATTEMPTS if accept else 1):
        frames = relabel(regenerate_case(bloc, seed, attempt))
        problems = accept(frames) if accept else []
        if not problems:
            return frames
    raise ValueError(f"exemple du bloc {bloc} : aucun tirage sur {MAX_ATTEMPTS} ne respecte le barème "
                     f"({'; '.join(problems[:3])})")


def write_example(bloc: int, folder: Path, accept: Acceptor | None = None) -> list[Path]:
    """Write Numéria Services' dossier for bloc `bloc` into `folder` (what a learner would hand in)."""
    return write_frames(example_frames(bloc, accept=accept), Path(folder))
