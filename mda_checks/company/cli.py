"""``mda entreprise BLOC APPRENANT DOSSIER``: the trainer imports a learner's host-company data (thin CLI)."""
from __future__ import annotations

import argparse
from pathlib import Path

from mda_checks.company.contract import PLAUSIBILITY
from mda_checks.course import Course, bloc_number

HELP = ("Importe les données de l'entreprise d'accueil d'un apprenant (blocs 1 et 2) : vérifie le contrat de "
        "données et le barème, puis en fait le cas de cet apprenant (publié et corrigé comme une variante).")


def add_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("devoir", metavar="BLOC", help="bloc1 ou bloc2")
    sub.add_argument("apprenant", metavar="APPRENANT", nargs="?", help="identifiant de l'apprenant")
    sub.add_argument("dossier", metavar="DOSSIER", nargs="?", help="dossier des fichiers CSV de l'entreprise")
    sub.add_argument("--exception", metavar="REGLE:RAISON", action="append", default=[],
                     help="accepte un écart à une règle de plausibilité, justifié ("
                     + ", ".join(PLAUSIBILITY) + ") ; jamais à la structure ni au barème (répétable)")
    sub.add_argument("--exemple", metavar="DOSSIER", default=None,
                     help="écrit dans DOSSIER le dossier de l'entreprise d'exemple (Numéria Services) et s'arrête")


def _waivers(values: list[str]) -> dict[str, str]:
    waivers = {}
    for value in values:
        rule, _, reason = value.partition(":")
        waivers[rule.strip()] = reason.strip()
    return waivers


def run(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.company.example import write_example
    from mda_checks.company.import_dossier import import_dossier
    from mda_checks.company.validate import rule_label

    if args.exemple:
        from mda_checks.assign.case_check import acceptor

        written = write_example(bloc_number(args.devoir), Path(args.exemple), accept=acceptor(course, args.devoir))
        print(f"{args.devoir} : {len(written)} fichiers de l'entreprise d'exemple écrits dans {args.exemple}.")
        return 0
    if not args.apprenant or not args.dossier:
        raise ValueError("donnez l'apprenant et le dossier : mda entreprise BLOC APPRENANT DOSSIER")
    report = import_dossier(course, args.devoir, args.apprenant, Path(args.dossier), _waivers(args.exception))
    for finding in report.waived:
        print(f"Exception accordée ({rule_label(finding.rule)}) : {finding.text()}")
    if report.findings:
        print(f"Dossier refusé : {len(report.findings)} point(s) à corriger dans les fichiers (rien n'est enregistré).")
        for finding in report.findings:
            waivable = f" [règle « {finding.rule} » : exception possible]" if finding.waivable else ""
            print(f"  - {finding.text()}{waivable}")
        return 1
    if report.bareme:
        print(f"Dossier refusé : le barème ne peut pas être appliqué à ces données ({len(report.bareme)} point(s) ; "
              "aucune exception possible, rien n'est enregistré).")
        for line in report.bareme:
            print(f"  - {line}")
        return 1
    record, previous = report.record, report.previous
    assert record is not None  # refused reports returned above: this one registered its case
    if previous is not None and previous.empreinte != record.empreinte:
        print(f"Attention : {args.apprenant} avait déjà un cas pour {args.devoir} ({previous.variante}, "
              f"{previous.publie_le}) ; s'il a déjà reçu sa copie, republiez-la et prévenez-le : sa copie en cours "
              "serait corrigée sur les nouvelles données.")
    print(f"{args.devoir} : le cas de {args.apprenant} est désormais son entreprise d'accueil "
          f"({record.variante[len('entreprise '):]}, empreinte {record.empreinte[:12]}). Publiez-le avec "
          f"`mda release {args.devoir}` ; la correction utilisera ces données.")
    return 0
