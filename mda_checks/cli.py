"""The `mda` command: thin wrappers around the library, French help texts."""
from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

from mda_checks.course import Course, bloc_number


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
    if value < 1:
        raise argparse.ArgumentTypeError("la valeur doit être au moins 1")
    return value


def _build(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.assign import build_course
    from mda_checks.due_dates import due_dates_report
    from mda_checks.exchange import exchange_report

    built = build_course(course, args.devoirs or None)
    print(f"Copies apprenants générées dans release/ : {', '.join(built)}")
    print("\n".join(due_dates_report(course, built, required=False) + exchange_report(course, publish=built[0])))
    return 0


def _due_dates(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.due_dates import due_dates_report

    print("\n".join(due_dates_report(course, _known(course, args.devoirs))))
    return 0


def _exchange(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.exchange import exchange_report

    print("\n".join(exchange_report(course, environment=args.environnement, learners=True)))
    return 0


def _learners(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.nbgrader_api import course_directory
    from mda_checks.roster import import_roster, read_roster

    learners = read_roster(Path(args.fichier))
    print("\n".join(import_roster(course_directory(course.root).db_url, learners).summary(Path(args.fichier).name)))
    return 0


def _groups(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.groups.roster import import_groups
    from mda_checks.nbgrader_api import course_directory

    assignment = _known(course, [args.devoir])[0]
    result = import_groups(course, course_directory(course.root).db_url, Path(args.fichier), assignment)
    print("\n".join(result.summary(Path(args.fichier).name)))
    return 0


def _release(args: argparse.Namespace, course: Course) -> int:
    from nbgrader.api import Gradebook

    from mda_checks.assign.personal_release import release_personal_copies
    from mda_checks.exchange import ensure_exchange
    from mda_checks.exchange_fetch import PERSONAL
    from mda_checks.nbgrader_api import course_api, course_directory, ensure_success
    from mda_checks.roster import import_roster, read_roster

    assignment = _known(course, [args.devoir])[0]
    db_url = course_directory(course.root).db_url
    if args.apprenants:
        learners = read_roster(Path(args.apprenants))
        print("\n".join(import_roster(db_url, learners).summary(Path(args.apprenants).name)))
        students = [learner.id for learner in learners]
    else:
        with Gradebook(db_url) as gb:
            students = sorted(student.id for student in gb.students)
    from mda_checks.groups.roster import read_groups

    groups = read_groups(course, assignment)
    if groups:  # a group assignment: members only, each with their group's case
        outside = [s for s in students if s not in groups.students]
        students = [s for s in students if s in groups.students]
        if outside:
            print(f"{assignment} est un devoir de groupe (groupes.csv) : aucune copie pour {len(outside)} apprenant(s) "
                  f"dans aucun groupe ({', '.join(outside)}) ; ajoutez-les à un groupe avec `mda groupes`, puis "
                  "republiez.")
    if args.dossier:
        folder = Path(args.dossier).resolve()
        copies = release_personal_copies(course, assignment, students, lambda s: folder / s / assignment, args.workers,
                                         replace=args.remplacer)
        where = f"{folder}/<apprenant>/{assignment}/ (à remettre à chacun)"
    else:
        state = ensure_exchange(course)
        ensure_success(course_api(course.root, ExchangeReleaseAssignment={"force": True}).release_assignment(assignment),
                       f"release_assignment {assignment}")
        personal = state.root / state.course_id / PERSONAL / assignment
        copies = release_personal_copies(course, assignment, students, lambda s: personal / s, args.workers,
                                         replace=args.remplacer)
        where = (f"{personal}/<apprenant>/ : chaque apprenant récupère la sienne par « Assignments › Fetch » "
                 f"ou nbgrader fetch_assignment {assignment}")
    redrawn = sum(copy.record.tirage > 0 for copy in copies)
    print(f"{assignment} : {len(copies)} copie(s) personnelle(s) écrite(s) dans {where}.")
    print(f"Chaque copie a ses propres données (variantes {copies[0].record.variante} …) ; {redrawn} tirage(s) refait(s) "
          "parce qu'une erreur classique y donnait le bon résultat. La correction utilisera les données de chacun.")
    return 0


def _answer_key(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.variants.answer_key import answer_key_text

    assignment = _known(course, [args.devoir])[0]
    print("\n".join(answer_key_text(course, assignment, args.apprenant)))
    return 0


def _data(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.assign.case_check import acceptor
    from mda_checks.casedata import GENERATORS, write_case

    for assignment in args.devoirs or course.assignments():
        bloc = bloc_number(assignment)
        if bloc not in GENERATORS:
            print(f"{assignment} : pas de générateur de données")
            continue
        written = write_case(bloc, course.source / assignment / "data", seed=args.graine,
                             accept=acceptor(course, assignment))
        print(f"{assignment} : {len(written)} fichiers écrits (graine {args.graine})")
    return 0


def _coverage(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.coverage import assignment_coverage, format_coverage

    status = 0
    for assignment in args.devoirs or course.assignments():
        coverage = assignment_coverage(course, assignment)
        print(format_coverage(coverage), end="\n\n")
        status |= 0 if coverage.complete else 1
    return status


def _demo(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.demo.cohort import GROUP_ASSIGNMENT, cohort, demo_groups, simulate_manual_grades, write_cohort
    from mda_checks.nbgrader_api import course_api

    assignments = _known(course, args.devoirs)
    learners = cohort(args.apprenants)
    if args.notes_manuelles:
        count = simulate_manual_grades(course_api(course.root).coursedir.db_url, learners, course=course)
        print(f"Notes manuelles simulées (commentaire « [Simulation] ») : {count} cellule(s) ; "
              "dans chaque bloc à épreuves orales, les 3 derniers apprenants attendent encore le jury.")
        return 0
    first, others = assignments[:1], assignments[1:]
    if GROUP_ASSIGNMENT in others:  # the referential's collective dossier, defended individually
        members = demo_groups(course, learners[:args.autres_blocs])
        print(f"{GROUP_ASSIGNMENT} est un devoir de groupe (groupes.csv) : "
              + " ; ".join(f"{group} ({', '.join(names)})" for group, names in members.items())
              + ". Chaque groupe rend un dossier (dans le premier, deux membres l'ont rendu : le dernier rendu "
              "compte) ; chaque membre a sa soutenance individuelle.")
    written = write_cohort(course, learners, first)
    if others:
        written += write_cohort(course, learners[:args.autres_blocs], others)
    print(f"Promotion simulée : {len(learners)} apprenant(s) ; {written} copie(s) écrites dans submitted/ "
          f"({first[0]} : {len(learners)} apprenants"
          + (f", {', '.join(others)} : {min(args.autres_blocs, len(learners))} apprenants chacun)" if others else ")"))
    print("Chaque apprenant simulé a reçu sa copie personnelle de chaque bloc, comme avec `mda release` : ses "
          "propres données (sa variante, enregistrée dans .mda/variantes.csv) et des énoncés chiffrés d'après "
          "elles. Chaque copie rendue part de cette copie personnelle ; `mda grade` la corrigera sur les données de "
          "son apprenant.")
    return 0


def _grade(args: argparse.Namespace, course: Course) -> int:
    import os
    from collections import Counter

    from rich.console import Console

    from mda_checks.grade.cohort import plan_grading, run_grading
    from mda_checks.grade.pool import worker_context
    from mda_checks.grade.progress import grading_progress, summary_table
    from mda_checks.grade.sandbox import NONE, detect_sandbox

    console = Console()
    address = (args.grappe if args.grappe is not None else os.environ.get("MDA_GRAPPE", "")).strip()
    if not address:
        worker_context()  # the local workers' fork server imports nbgrader while the run is planned
    plan = plan_grading(course, args.devoirs or None, force=args.force, cell_timeout=args.timeout)
    console.print(f"Copies à corriger : {len(plan.to_grade)}"
                  + (f" (dont {plan.grader_changed} parce que le correcteur a changé : vérifications, "
                     "configuration ou versions)" if plan.grader_changed else "")
                  + f" ; inchangées depuis la dernière correction : {len(plan.skipped)}"
                  + ("" if args.force or not plan.skipped else " (--force pour les recorriger)"))
    factory, modes = None, Counter()  # on a cluster: how many copies each sandbox mode graded
    if address and plan.to_grade:
        from mda_checks.grade.cluster import ClusterUnavailable, cluster_executor, quiet_dask_messages, sandbox_summary

        quiet_dask_messages()
        console.print(f"Connexion à la grappe Dask {address} …", highlight=False)
        try:
            factory = cluster_executor(address)
        except ClusterUnavailable as problem:
            print(f"Erreur : {problem}", file=sys.stderr)
            return 2
        console.print(f"Grappe : {factory.workers} correction(s) à la fois sur {len(factory.machines)} machine(s) "
                      f"({', '.join(factory.machines)})", highlight=False)
        sandbox = factory.sandbox
    else:
        with tempfile.TemporaryDirectory(prefix="mda-sonde-") as scratch:
            sandbox = detect_sandbox(course.root, Path(scratch))
        if sandbox.mode == NONE and plan.to_grade:
            console.print(f"[bold]Attention[/bold] : {sandbox.describe()}.", highlight=False)
    with grading_progress(len(plan.to_grade), console) as advance:
        def on_result(result) -> None:
            if result.ok:
                modes[result.task.sandbox_mode] += 1
            advance(result)

        try:
            run = run_grading(course, plan, workers=args.workers or (factory.workers if factory else None),
                              executor_factory=factory, on_result=on_result, sandbox=sandbox)
        except (ClusterUnavailable if factory else ()) as problem:  # lost between the check and the run
            print(f"Erreur : {problem}", file=sys.stderr)
            return 2
    console.print(f"Isolation des noyaux : {run.sandbox.describe()}")
    if factory:
        for line in sandbox_summary(dict(modes)):
            console.print(f"  {line}", highlight=False)
    console.print(summary_table(run))
    for student, assignment, reason in run.failures:
        console.print(f"[bold]Échec[/bold] {student} · {assignment} : {reason}", highlight=False)
    for outcome in run.notebook_failures:
        console.print(f"[bold]Carnet non corrigé[/bold] {outcome.student} · {outcome.assignment} · {outcome.notebook} : "
                      f"{outcome.notes}", highlight=False)
    from mda_checks.groups.grading import describe

    for line in describe(run.groups, without_group=False):  # those in no group are listed as failures above
        console.print(line, highlight=False)
    console.print(f"Journal de correction (une ligne par notebook) : {run.journal.relative_to(course.root)}")
    from mda_checks.copies.run import grading_line

    console.print(grading_line(course, args.devoirs or None), highlight=False)
    if run.complete:
        console.print("Toutes les copies et tous les carnets ont été corrigés.")
        return 0
    # the last line says it; the exit status is an error when whole copies failed
    console.print(f"[bold]Correction incomplète[/bold] : {len(run.failures)} copie(s) et "
                  f"{len(run.notebook_failures)} carnet(s) non corrigés (0 point automatique, raison au journal) ; "
                  "`mda grade` les recorrigera à sa prochaine exécution.", highlight=False)
    return 1 if run.failures else 0


def _feedback(args: argparse.Namespace, course: Course) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from mda_checks.feedback import feedback_tasks, generate_cohort_feedback

    from mda_checks.groups.grading import describe
    from mda_checks.groups.propagate import propagate_groups
    from mda_checks.nbgrader_api import course_api

    console = Console()
    assignments = _known(course, args.devoirs)
    # group assignments: the groups' grades (manual ones entered since `mda grade` too) reach every member first
    for line in describe(propagate_groups(course, course_api(course.root).coursedir.db_url, assignments)):
        console.print(line, highlight=False)
    total = len(feedback_tasks(course, assignments))
    if not total:
        console.print("Aucune copie corrigée : lancez d'abord `mda grade`.")
        return 1
    with Progress(console=console) as progress:
        bar = progress.add_task("Retours aux apprenants", total=total)
        done, failures = generate_cohort_feedback(course, assignments, args.workers,
                                                  on_result=lambda _: progress.advance(bar), propagate=False)
    console.print(f"Retours écrits : {done} copie(s), dans feedback/<apprenant>/<devoir>/ "
                  "(un fichier HTML par carnet et le bilan par critère competences.html).")
    for failure in failures:
        console.print(f"Retour non généré pour {failure.task.student} · {failure.task.assignment} : {failure.problem}",
                      highlight=False)
    return 1 if failures else 0


def _report(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.report.cohort import write_reports

    reports = write_reports(course, _known(course, args.devoirs))
    for label, path in (("Export des notes (colonnes nbgrader)", reports.grades_csv),
                        ("Grille de compétences (CSV)", reports.grid_csv),
                        ("Rapport HTML de la promotion", reports.index),
                        ("Classeur Excel pour le jury", reports.workbook)):
        print(f"{label} : {path.relative_to(course.root)}")
    counts = " ; ".join(f"{status} : {count}" for status, count in reports.statuses.items())
    print(f"{reports.learners} apprenant(s) ; une page par apprenant dans reports/apprenants/.")
    print(f"Critères (apprenant × CE) — {counts}.")
    for line in reports.groups:
        print(line)
    return 0


def _copies(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.copies.export import summary_lines
    from mda_checks.copies.run import find_copies

    found, csv_path = find_copies(course, _known(course, args.devoirs))
    if not found:
        print("Aucune copie corrigée à comparer : lancez d'abord `mda grade`.")
        return 1
    print("\n".join(summary_lines(found)))
    print(f"Soupçons de copie : {csv_path.relative_to(course.root)} (une ligne par soupçon ; le détail, cellule par "
          "cellule, dans reports/index.html après `mda report` et dans le tableau de bord). Aucune note n'est changée.")
    return 0


def _known(course: Course, assignments: list[str]) -> list[str]:
    known = course.assignments()
    unknown = [a for a in assignments if a not in known]
    if unknown:
        raise ValueError(f"devoir(s) inconnu(s) : {', '.join(unknown)} (devoirs du cours : {', '.join(known)})")
    return assignments or known


class FrenchHelp(argparse.HelpFormatter):
    """argparse's help with its own words in French."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="utilisation : ")


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message.replace('argument ', 'option ', 1)}\n")


def _french(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser._positionals.title = "arguments"
    parser._optionals.title = "options"
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide et quitte")
    return parser


def parser() -> argparse.ArgumentParser:
    from mda_checks.casedata import DEFAULT_SEED

    top = _french(FrenchParser(
        prog="mda", description="Outils du cours « Manager d'affaires » (à lancer depuis la racine du cours).",
        formatter_class=FrenchHelp, add_help=False))
    commands = top.add_subparsers(dest="commande", required=True, metavar="COMMANDE", title="commandes",
                                  parser_class=FrenchParser)

    def add(name: str, handler, help_text: str, assignments: bool = True) -> argparse.ArgumentParser:
        sub = _french(commands.add_parser(name, prog=f"mda {name}", help=help_text, description=help_text, formatter_class=FrenchHelp,
                                          add_help=False))
        if assignments:
            sub.add_argument("devoirs", nargs="*", metavar="DEVOIR", help="devoirs concernés (bloc1 … bloc4) ; tous par défaut")
        sub.set_defaults(handler=handler)
        return sub

    add("build", _build, "Génère les copies des apprenants (release/) à partir des originaux (source/), applique "
        "les dates limites de calendrier.csv et prépare le dossier d'échange nbgrader.")
    add("calendrier", _due_dates, "Applique au carnet de notes les dates limites de calendrier.csv (heure de Paris).")
    learners = add("apprenants", _learners, "Importe la liste des apprenants (CSV : id, nom, prénom, e-mail) "
                   "dans le carnet de notes.", assignments=False)
    learners.add_argument("fichier", metavar="FICHIER", help="fichier CSV en UTF-8, séparé par des virgules ou des "
                          "points-virgules (export Excel « CSV UTF-8 »)")
    exchange = add("echange", _exchange, "Crée le dossier d'échange nbgrader du cours (publication, récupération, "
                   "rendu, collecte) et dit comment le Jupyter des apprenants le trouve.", assignments=False)
    exchange.add_argument("--environnement", action="store_true",
                          help="écrit aussi la configuration nbgrader de l'environnement Python courant "
                          "(etc/jupyter/nbgrader_config.py), lue par tout Jupyter lancé depuis lui")
    release = add("release", _release, "Publie une copie personnelle par apprenant : mêmes carnets, données propres "
                  "à chacun (dérivées de la clé du cours), énoncés chiffrés d'après elles.", assignments=False)
    release.add_argument("devoir", metavar="DEVOIR", help="le devoir à publier (bloc1 … bloc4)")
    release.add_argument("--apprenants", metavar="FICHIER", default=None,
                         help="liste des apprenants (CSV : id, nom, prénom, e-mail), importée au carnet de notes ; "
                         "défaut : les apprenants déjà inscrits")
    release.add_argument("--dossier", metavar="DOSSIER", default=None,
                         help="écrit les copies dans DOSSIER/<apprenant>/<devoir>/ au lieu de l'échange nbgrader")
    release.add_argument("--workers", type=_positive, default=None, metavar="N",
                         help="nombre de copies écrites simultanément (défaut : le nombre de cœurs)")
    release.add_argument("--remplacer", action="store_true",
                         help="accepte que des copies déjà publiées changent de données (générateur modifié depuis)")
    groups = add("groupes", _groups, "Importe les groupes d'un devoir de groupe (CSV : groupe, apprenant) : une copie "
                  "par groupe, corrigée une fois, ses notes écrites pour chaque membre ; soutenance individuelle.",
                  assignments=False)
    groups.add_argument("fichier", metavar="FICHIER", help="fichier CSV en UTF-8 (colonnes groupe et apprenant), "
                        "séparé par des virgules ou des points-virgules")
    groups.add_argument("--devoir", default="bloc4", metavar="DEVOIR", help="le devoir de groupe (défaut : bloc4)")
    answer_key = add("corrige", _answer_key, "Affiche les valeurs attendues calculées sur les données d'un "
                     "apprenant (sa variante), pour en discuter avec lui.", assignments=False)
    answer_key.add_argument("devoir", metavar="DEVOIR", help="le devoir (bloc1 … bloc4)")
    answer_key.add_argument("apprenant", metavar="APPRENANT", help="l'identifiant de l'apprenant")
    data = add("data", _data, "Régénère les données du cas (fichiers CSV de source/<devoir>/data/).")
    data.add_argument("--graine", type=int, default=DEFAULT_SEED, help=f"graine du générateur (défaut : {DEFAULT_SEED})")
    add("coverage", _coverage, "Affiche quels critères (CE) chaque cellule notée évalue, et ceux qui ne le sont pas.")
    grade = add("grade", _grade, "Corrige toutes les copies rendues (submitted/) en parallèle, dans un bac à sable.")
    grade.add_argument("--workers", type=_positive, default=None, metavar="N",
                       help="nombre de corrections simultanées (défaut : deux par cœur, au plus une par Gio de mémoire ; "
                       "sur une grappe, le nombre de processus de correction de la grappe)")
    grade.add_argument("--grappe", default=None, metavar="ADRESSE",
                       help="corrige sur une grappe Dask, par exemple tcp://serveur:8786 (défaut : variable "
                       "d'environnement MDA_GRAPPE ; absente ou vide : sur cette machine)")
    grade.add_argument("--timeout", type=_positive, default=None, metavar="S",
                       help="durée maximale d'exécution d'une cellule, en secondes (défaut : nbgrader_config.py)")
    grade.add_argument("--force", action="store_true",
                       help="recorrige aussi les copies déjà corrigées et inchangées")
    feedback = add("feedback", _feedback, "Écrit les retours aux apprenants (HTML en français, sans les tests cachés) "
                   "et leur bilan par critère d'évaluation.")
    feedback.add_argument("--workers", type=_positive, default=None, metavar="N",
                          help="nombre de générations simultanées (défaut : le nombre de cœurs)")
    add("copies", _copies, "Compare les réponses de chaque copie corrigée aux bonnes réponses des autres apprenants "
        "(exports/soupcons_copie.csv) : des indices pour le formateur, jamais un changement de note.")
    add("report", _report, "Exporte les notes (CSV nbgrader) et la grille de compétences : rapport HTML et classeur Excel du jury.")
    demo = add("demo", _demo, "Écrit une promotion simulée dans submitted/ (une copie personnelle par apprenant, profils "
               "réalistes, retards, carnets abîmés) ; "
               "avec --notes-manuelles, simule les notes des formateurs.")
    demo.add_argument("--apprenants", type=_positive, default=24, metavar="N",
                      help="nombre d'apprenants simulés (défaut : 24)")
    demo.add_argument("--autres-blocs", type=_positive, default=8, metavar="N",
                      help="apprenants simulés pour les blocs après le premier (défaut : 8)")
    demo.add_argument("--notes-manuelles", action="store_true",
                      help="simule les notes manuelles des copies déjà corrigées (commentaire « [Simulation] »)")
    return top


def main(argv: list[str] | None = None) -> int:
    # nbgrader's own SQLAlchemy usage warns on every autograde; the warnings say nothing to a trainer
    warnings.filterwarnings("ignore", module=r"nbgrader\..*")
    args = parser().parse_args(argv)
    from mda_checks.grade.run_lock import GradingAlreadyRunning

    try:
        course = Course.find(Path.cwd())
        return args.handler(args, course)
    except (FileNotFoundError, ValueError, KeyError, GradingAlreadyRunning) as problem:
        print(f"Erreur : {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
