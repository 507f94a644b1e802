"""The `mda` command: thin wrappers around the library, French help texts."""
from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

from mda_checks.course import Course, bloc_number

DEFAULT_CERTIFICATES = ".mda/grappe"  # the cluster's certificates in the trainer's private folder (git-ignored)


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

    if args.retirer:
        return _remove_learners(args, course)
    if not args.fichier:
        raise ValueError("donnez la liste des apprenants (mda apprenants FICHIER.csv), ou --retirer ID")
    learners = read_roster(Path(args.fichier))
    print("\n".join(import_roster(course_directory(course.root).db_url, learners).summary(Path(args.fichier).name)))
    return 0


def _remove_learners(args: argparse.Namespace, course: Course) -> int:
    """Each learner named, what goes with them, a French confirmation (or --oui), then nbgrader's removal."""
    from mda_checks.nbgrader_api import course_directory
    from mda_checks.roster_removal import plan_removal, remove_learner

    db_url = course_directory(course.root).db_url
    for student in args.retirer:
        removal = plan_removal(course, db_url, student)
        if removal.copies and not args.force:
            remove_learner(db_url, removal, force=False)  # refused, in French: what --force would erase
        if not args.oui:
            if not sys.stdin.isatty():
                raise ValueError("confirmation impossible sans terminal : relancez avec --oui pour retirer "
                                 f"{student} sans question ; rien n'a été retiré")
            if input(removal.question()).strip().lower() not in ("o", "oui"):
                print(f"{student} : rien n'a été retiré.")
                continue
        remove_learner(db_url, removal, force=args.force)
        print("\n".join(removal.lines()))
    return 0


def _groups(args: argparse.Namespace, course: Course) -> int:
    """The change first; a French confirmation (or --oui) when learners leave or change group; then written."""
    from mda_checks.groups.importing import apply_groups, plan_groups
    from mda_checks.nbgrader_api import course_directory

    assignment = _known(course, [args.devoir])[0]
    plan = plan_groups(course, course_directory(course.root).db_url, Path(args.fichier), assignment,
                       replace=args.remplacer)
    print("\n".join(plan.preview(Path(args.fichier).name)), flush=True)
    if not args.simulation and plan.needs_confirmation and not args.oui:
        if not sys.stdin.isatty():
            raise ValueError("confirmation impossible sans terminal : des apprenants changeraient de groupe ou "
                             "n'en auraient plus ; relancez avec --oui pour appliquer ces changements sans question "
                             "(ou --simulation pour seulement les voir) ; rien n'a été écrit")
        if input("Appliquer ces changements ? [o/N] ").strip().lower() not in ("o", "oui"):
            print("Rien n'a été écrit : les groupes restent ceux d'avant.")
            return 1
    result = plan if args.simulation else apply_groups(course, plan)
    print("\n".join(result.outcome()))
    return 0


def _release(args: argparse.Namespace, course: Course) -> int:
    from nbgrader.api import Gradebook
    from rich.console import Console

    from mda_checks.assign.personal_release import prepare_personal_folder, release_personal_copies
    from mda_checks.exchange import ensure_exchange
    from mda_apprenant.exchange_fetch import PERSONAL
    from mda_checks.nbgrader_api import course_api, course_directory, ensure_success
    from mda_checks.referentiel import bloc_label
    from mda_checks.roster import import_roster, read_roster

    assignment = _known(course, [args.devoir])[0]
    label = bloc_label(assignment)
    print(f"Publication de {label} : préparation des copies personnelles (données de chaque apprenant, "
          "énoncés chiffrés)…", flush=True)
    db_url = course_directory(course.root).db_url
    if args.apprenants:
        learners = read_roster(Path(args.apprenants))
        print("\n".join(import_roster(db_url, learners).summary(Path(args.apprenants).name)))
        students = [learner.id for learner in learners]
    else:
        with Gradebook(db_url) as gb:
            students = sorted(student.id for student in gb.students)
    from mda_checks.collect.command import identity_enforced, identity_lines
    from mda_checks.groups.roster import read_groups

    groups = read_groups(course, assignment)
    if groups:  # a group assignment: members only, each with their group's case
        outside = [s for s in students if s not in groups.students]
        students = [s for s in students if s in groups.students]
        if outside:
            print(f"{label} est un devoir de groupe (groupes.csv) : aucune copie pour {len(outside)} apprenant(s) "
                  f"dans aucun groupe ({', '.join(outside)}) ; ajoutez-les à un groupe avec `mda groupes`, puis "
                  "republiez.")
    with _progress(Console()) as progress:
        bar = progress.add_task("Échange nbgrader : copie commune", total=None)

        def on_copy(copy, done: int, total: int) -> None:
            progress.update(bar, description=f"Copies personnelles ({copy.record.apprenant})", completed=done,
                            total=total, refresh=True)

        if args.dossier:
            folder = Path(args.dossier).resolve()
            progress.update(bar, description="Copies personnelles", total=len(students) or None, refresh=True)
            copies = release_personal_copies(course, assignment, students, lambda s: folder / s / assignment,
                                             args.workers, replace=args.remplacer, on_copy=on_copy)
            where = f"{folder}/<apprenant>/{assignment}/ (à remettre à chacun)"
        else:
            state = ensure_exchange(course)
            ensure_success(course_api(course.root, ExchangeReleaseAssignment={"force": True}).release_assignment(
                assignment), f"release_assignment {assignment}")
            personal = state.root / state.course_id / PERSONAL / assignment
            private = identity_enforced(course)  # own accounts: each copy its learner's alone
            prepare_personal_folder(personal, private)
            progress.update(bar, description="Copies personnelles", total=len(students) or None, refresh=True)
            copies = release_personal_copies(course, assignment, students, lambda s: personal / s, args.workers,
                                             replace=args.remplacer, private=private, on_copy=on_copy)
            where = (f"{personal}/<apprenant>/ : chaque apprenant récupère la sienne par « Assignments › Fetch » "
                     f"ou nbgrader fetch_assignment {assignment}")
    print("\n".join(identity_lines(course, students)))
    closed = [copy for copy in copies if copy.closed]
    if closed:
        print(f"Attention : {len(closed)} copie(s) fermée(s) à tous les apprenants, leur apprenant ne peut pas la "
              f"récupérer : {' ; '.join(f'{c.record.apprenant} ({c.closed})' for c in closed[:8])}"
              f"{' …' if len(closed) > 8 else ''}. Créez les comptes (mda hub comptes), puis republiez en root : "
              f"sudo .venv/bin/mda release {assignment} (chacun garde ses données).")
    redrawn = sum(copy.record.tirage > 0 for copy in copies)
    print(f"{label} : {len(copies)} copie(s) personnelle(s) écrite(s) dans {where}.")
    print(f"Chaque copie a ses propres données (variantes {copies[0].record.variante} …) ; {redrawn} tirage(s) refait(s) "
          "parce qu'une erreur classique y donnait le bon résultat. La correction utilisera les données de chacun.")
    return 0


def _collect(args: argparse.Namespace, course: Course) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from mda_checks.collect.command import collect_assignment, identity_lines, outcome_lines, progress_line

    from mda_checks.referentiel import bloc_label

    assignment = _known(course, [args.devoir])[0]
    label = bloc_label(assignment)
    console = Console()
    for line in identity_lines(course, []):
        console.print(line, highlight=False)
    with Progress(console=console) as progress:
        bar = progress.add_task(f"Collecte {label}", total=None)

        def advance(outcome, done: int, total: int) -> None:
            progress.update(bar, completed=done, total=total)
            progress.console.print(f"Collecte {label} : {progress_line(outcome, done, total)}", highlight=False)

        run = collect_assignment(course, assignment, update=args.update, before_duedate=args.avant_date_limite,
                                 student=args.apprenant, on_learner=advance)
    for line in outcome_lines(run):
        console.print(line, highlight=False)
    return 1 if run.refused else 0


def _hub(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.hub import command

    if args.action == "comptes" and args.supprimer:
        confirm = (lambda _question: "oui") if args.oui else input
        print("\n".join(command.remove_course_accounts(course, args.supprimer, confirm=confirm)))
    elif args.action == "comptes":
        address = f"{'https' if args.certificat else 'http'}://{args.ip or '<adresse du serveur>'}:{args.port}/"
        print("\n".join(command.make_accounts(course, args.formateur, Path(args.dossier_comptes), address,
                                              renew=args.nouveaux_mots_de_passe, grader=args.correcteur)))
    elif args.action == "environnement":
        print("\n".join(command.build_learner_env(course, Path(args.environnement_apprenant), args.seulement_cours)))
    else:
        settings = command.hub_settings(course, trainers=args.formateur, learner_prefix=args.environnement_apprenant,
                                        ip=args.ip, port=args.port, ssl_cert=args.certificat, ssl_key=args.cle,
                                        state=args.etat, hub_port=args.port_hub, proxy_api_port=args.port_proxy,
                                        service_port=args.port_correction)
        return command.start_hub(course, settings)
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
    from mda_checks.demo.copy import ensure_demo_course, make_demo_copy, summary_lines
    from mda_checks.nbgrader_api import course_api

    if args.copie:
        copy = make_demo_copy(course, Path(args.copie))
        print(f"Copie de démonstration prête dans {copy.root} (originaux du cours, aucune donnée de votre promotion) : "
              "lancez-y `mda build`, puis `mda demo`.")
        return 0
    if args.bilan:
        print("\n".join(summary_lines(course)))
        return 0
    ensure_demo_course(course)  # never into a real promotion's course
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
        from mda_checks.referentiel import bloc_label

        print(f"{bloc_label(GROUP_ASSIGNMENT)} est un devoir de groupe (groupes.csv) : "
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

    from mda_checks.grade.runs.cohort import plan_grading, run_grading
    from mda_checks.grade.runs.pool import worker_context
    from mda_checks.grade.runs.progress import grading_progress, summary_table, ungraded_lines
    from mda_checks.referentiel import bloc_label
    from mda_checks.grade.sandbox.isolation import NONE, detect_sandbox
    from mda_checks.grade.sandbox.sandboxed_kernel import grading_refusal

    from mda_checks.grade.runs.run_lock import refuse_if_running

    refuse_if_running(course)  # a refused second run prints nothing before its refusal
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
    modes: Counter[str]
    factory, modes = None, Counter()  # on a cluster: how many copies each sandbox mode graded
    if address and plan.to_grade:
        from mda_checks.grade.runs.cluster import (ClusterUnavailable, cluster_executor, cluster_security,
                                              quiet_dask_messages, sandbox_summary)

        quiet_dask_messages()
        console.print(f"Connexion à la grappe Dask {address} …", highlight=False)
        try:
            security = cluster_security(address, _certificates_folder(args, course), args.grappe_non_chiffree)
            factory = cluster_executor(address, security)
        except ClusterUnavailable as problem:
            print(f"Erreur : {problem}", file=sys.stderr)
            return 2
        console.print(f"Grappe : {factory.workers} correction(s) à la fois sur {len(factory.machines)} machine(s) "
                      f"({', '.join(factory.machines)})"
                      + (" ; liaison chiffrée et authentifiée (TLS, certificats de la grappe)" if factory.encrypted else
                         " ; [bold]liaison NON chiffrée[/bold] (--grappe-non-chiffree) : quiconque joint le port du "
                         "planificateur peut y exécuter du code"), highlight=False)
        sandbox = factory.sandbox
    else:
        with tempfile.TemporaryDirectory(prefix="mda-sonde-") as scratch:
            sandbox = detect_sandbox(course.root, Path(scratch))
        refused = grading_refusal(course.root, sandbox) if plan.to_grade else ""
        if refused:
            print(f"Erreur : {refused}", file=sys.stderr)
            return 2
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
        except (ClusterUnavailable if factory else ()) as problem:  # noqa: B030 - () catches nothing; lost between the check and the run
            print(f"Erreur : {problem}", file=sys.stderr)
            return 2
    console.print(f"Isolation des noyaux : {run.sandbox.describe()}")
    if factory:
        for line in sandbox_summary(dict(modes)):
            console.print(f"  {line}", highlight=False)
    console.print(summary_table(run))
    for student, assignment, reason in run.failures:
        console.print(f"[bold]Échec[/bold] {student} · {bloc_label(assignment)} : {reason}", highlight=False)
    for line in ungraded_lines(run):  # every notebook non corrigé, named (mda_checks.grade.ungraded)
        console.print(line, highlight=False)
    from mda_checks.groups.grading import describe

    for line in describe(run.groups, without_group=False):  # those in no group are listed as failures above
        console.print(line, highlight=False)
    console.print(f"Journal de correction (une ligne par notebook) : {run.journal.relative_to(course.root)}")  # type: ignore[union-attr]
    from mda_checks.copies.run import grading_line

    console.print(grading_line(course, args.devoirs or None), highlight=False)
    if run.complete:
        console.print("Toutes les copies et tous les carnets ont été corrigés.")
        return 0
    # the last line says it; the exit status is an error when whole copies failed
    console.print(f"[bold]Correction incomplète[/bold] : {len(run.failures)} copie(s) en échec et "
                  f"{len(run.ungraded)} carnet(s) non corrigé(s) (0 point automatique, détail au journal)"
                  + (" ; `mda grade` recorrigera les copies en échec à sa prochaine exécution" if run.failures else "")
                  + ".", highlight=False)
    from mda_checks.demo.copy import is_demo

    if is_demo(course):
        console.print("Copie de démonstration : ces échecs sont simulés exprès (`mda demo --bilan` dit lesquels).")
    return 1 if run.failures else 0


def _certificates_folder(args: argparse.Namespace, course: Course) -> Path:
    import os

    chosen = args.certificats or os.environ.get("MDA_GRAPPE_CERTIFICATS", "").strip()
    return Path(chosen).absolute() if chosen else course.root / DEFAULT_CERTIFICATES


def _cluster(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.grade.runs.certificates import CertificateProblem, certificates_report, create_certificates

    folder = Path(args.dossier).absolute() if args.dossier else course.root / DEFAULT_CERTIFICATES
    try:
        certificates = create_certificates(folder, args.jours)
    except CertificateProblem as problem:
        raise ValueError(str(problem)) from None
    print("\n".join(certificates_report(certificates, args.jours)))
    return 0


def _progress(console):
    """A progress display that shows from the start: what is being done, elapsed time (never a bogus estimate)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


def _feedback(args: argparse.Namespace, course: Course) -> int:
    from rich.console import Console

    from mda_checks.feedback import feedback_tasks, generate_cohort_feedback, write_feedback_journal
    from mda_checks.referentiel import bloc_label

    from mda_checks.groups.grading import describe
    from mda_checks.groups.propagate import propagate_groups
    from mda_checks.nbgrader_api import course_api

    console = Console()
    assignments = _known(course, args.devoirs)
    if args.publier:
        return _publish_feedback(console, course, assignments)
    with _progress(console) as progress:
        step = progress.add_task("Préparation : notes des groupes, copies corrigées", total=None)
        # group assignments: the groups' grades (manual ones entered since `mda grade` too) reach every member first
        for line in describe(propagate_groups(course, course_api(course.root).coursedir.db_url, assignments)):
            progress.console.print(line, highlight=False)
        total = len(feedback_tasks(course, assignments))
        progress.remove_task(step)
        if not total:
            progress.console.print("Aucune copie corrigée : lancez d'abord `mda grade`.")
            return 1
        bar = progress.add_task("Retours aux apprenants", total=total)

        def on_result(result) -> None:  # refreshed at once: one step per copy, whatever the refresh rate
            progress.update(bar, advance=1, refresh=True, description=f"Retours aux apprenants ({result.task.student} · "
                            f"{bloc_label(result.task.assignment)})")

        done, failures = generate_cohort_feedback(course, assignments, args.workers, on_result=on_result,
                                                  propagate=False)
    console.print(f"Retours écrits : {done} copie(s), dans feedback/<apprenant>/<devoir>/ "
                  "(un fichier HTML par carnet et le bilan par critère competences.html).")
    for failure in failures:
        console.print(f"Retour non généré pour {failure.task.student} · {bloc_label(failure.task.assignment)} : "
                      f"{failure.problem}", highlight=False, markup=False)
    if failures:
        journal = write_feedback_journal(course, failures)
        console.print(f"Détail technique de ces échecs : {journal.relative_to(course.root)}", highlight=False)
    return 1 if failures else 0


def _publish_feedback(console, course: Course, assignments: list[str]) -> int:
    from mda_checks.feedback_release import feedback_folders, release_feedback

    total = len(feedback_folders(course, assignments))
    if not total:
        console.print("Aucun retour écrit : lancez d'abord `mda retours` (ou `mda feedback`).")
        return 1
    with _progress(console) as progress:
        bar = progress.add_task("Publication des retours", total=total)
        outcome = release_feedback(course, assignments, on_copy=lambda *_: progress.advance(bar))
    for line in outcome.lines():
        console.print(line, highlight=False)
    return 1 if outcome.failed else 0


def _backup(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.backup import back_up

    print("Sauvegarde de la promotion : carnet de notes, copies, retours, rapports, clé des variantes…", flush=True)
    backup = back_up(course, Path(args.dossier).absolute() if args.dossier else None)
    print(f"Sauvegarde écrite : {backup.path} ({backup.files} fichier(s), carnet de notes {backup.gradebook}), avec "
          "MANIFESTE.json et les sommes SHA-256 de chaque fichier (SHA256SUMS). Gardez-la hors de cette machine ; "
          "elle contient la clé des variantes et les notes : à ne pas diffuser.")
    return 0


def _new_promotion(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.new_promotion import start_new_promotion, summary_lines

    print("Nouvelle promotion : archivage de la promotion actuelle (carnet de notes, copies, retours, rapports, jury, "
          "groupes, échange du cours, clé des variantes), puis vérification de l'archive…", flush=True)
    result = start_new_promotion(course, Path(args.archive).absolute() if args.archive else None,
                                 new_key=args.nouvelle_cle)
    print("\n".join(summary_lines(result, course.root)))
    return 0


def _upgrade_gradebook(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.gradebook_upgrade import upgrade_gradebook

    print("\n".join(upgrade_gradebook(course).lines()))
    return 0


def _restore(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.backup import restore

    manifest = restore(course, Path(args.archive))
    print(f"Promotion restaurée depuis {Path(args.archive).name} (sauvegarde du {manifest['date']}, "
          f"{manifest['fichiers']} fichier(s) vérifiés par leur somme SHA-256) : {', '.join(manifest['contenu'])}.")
    return 0


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
    if reports.ungraded:  # the same list as `mda grade`'s (mda_checks.grade.ungraded)
        print(f"Carnets non corrigés : {len(reports.ungraded)} (0 point automatique ; liste et raisons dans "
              "reports/index.html et dans le classeur du jury).")
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
    from mda_checks.grade.runs.certificates import DEFAULT_DAYS

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
                   "dans le carnet de notes ; avec --retirer, retire un apprenant du carnet de notes.", assignments=False)
    learners.add_argument("fichier", metavar="FICHIER", nargs="?", default=None,
                          help="fichier CSV en UTF-8, séparé par des virgules ou des points-virgules (export Excel "
                          "« CSV UTF-8 »)")
    learners.add_argument("--retirer", metavar="ID", action="append", default=[],
                          help="retire cet apprenant du carnet de notes, après confirmation (répétable)")
    learners.add_argument("--force", action="store_true",
                          help="avec --retirer : retire aussi un apprenant qui a des copies ; elles sont effacées du "
                          "carnet de notes avec leurs notes et commentaires (les fichiers restent)")
    learners.add_argument("--oui", action="store_true", help="avec --retirer : sans question de confirmation")
    exchange = add("echange", _exchange, "Crée le dossier d'échange nbgrader du cours (publication, récupération, "
                   "rendu, collecte) et dit comment le Jupyter des apprenants le trouve.", assignments=False)
    exchange.add_argument("--environnement", action="store_true",
                          help="écrit aussi la configuration nbgrader de l'environnement Python courant "
                          "(etc/jupyter/nbgrader_config.py) et active la politique de sécurité des pages de "
                          "formgrader (etc/jupyter/jupyter_server_config.d/mda_checks.json), lues par tout "
                          "Jupyter lancé depuis lui")
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
    from mda_checks.company import cli as company_cli  # host-company cases (blocs 1 and 2)

    company_cli.add_arguments(add("entreprise", company_cli.run, company_cli.HELP, assignments=False))
    collect = add("collecte", _collect, "Collecte les rendus d'un devoir depuis l'échange nbgrader (à la place de "
                  "`nbgrader collect`) : refuse un rendu qui n'appartient pas au compte de l'apprenant qu'il nomme, "
                  "date chaque copie de l'heure constatée à la collecte (jamais celle écrite par l'apprenant).",
                  assignments=False)
    collect.add_argument("devoir", metavar="DEVOIR", help="le devoir à collecter (bloc1 … bloc4)")
    collect.add_argument("--update", "--mise-a-jour", dest="update", action="store_true",
                         help="remplace une copie déjà collectée par un rendu plus récent (comme nbgrader collect --update)")
    collect.add_argument("--avant-date-limite", action="store_true",
                         help="prend le dernier rendu à l'heure s'il y en a un (comme nbgrader collect --before-duedate)")
    collect.add_argument("--apprenant", default=None, metavar="ID", help="ne collecte que cet apprenant")
    groups = add("groupes", _groups, "Ajoute ou met à jour les groupes d'un devoir de groupe (CSV : groupe, "
                  "apprenant) : une copie par groupe, corrigée une fois, ses notes écrites pour chaque membre ; "
                  "soutenance individuelle. Les changements sont affichés avant d'être appliqués (et "
                  "confirmés si des apprenants changent de groupe ou en sortent) ; l'ancien groupes.csv est gardé, "
                  "daté, dans .mda/historique-groupes/.", assignments=False)
    groups.add_argument("fichier", metavar="FICHIER", help="fichier CSV en UTF-8 (colonnes groupe et apprenant), "
                        "séparé par des virgules ou des points-virgules")
    groups.add_argument("--devoir", default="bloc4", metavar="DEVOIR", help="le devoir de groupe (défaut : bloc4)")
    groups.add_argument("--remplacer", action="store_true",
                        help="remplace tous les groupes du devoir par ceux du fichier (un apprenant absent du fichier "
                        "n'est plus dans aucun groupe) ; par défaut, le fichier ajoute ou met à jour")
    groups.add_argument("--simulation", action="store_true", help="affiche les changements sans rien écrire")
    groups.add_argument("--oui", action="store_true", help="applique sans question de confirmation les changements "
                        "qui font changer de groupe ou sortir d'un groupe des apprenants")

    from mda_checks.config import HUB_DEFAULTS

    hub = add("hub", _hub, "Le JupyterHub du cours sur cette machine (en root) : `mda hub comptes` crée un compte Unix "
              "par apprenant et par formateur et la feuille des mots de passe, `mda hub environnement` installe "
              "l'environnement des apprenants, `mda hub demarrer` vérifie que le cours est fermé aux apprenants et "
              "lance le hub.", assignments=False)
    hub.add_argument("action", choices=["comptes", "environnement", "demarrer"], metavar="ACTION",
                     help="comptes, environnement ou demarrer")
    hub.add_argument("--formateur", action="append", default=[], metavar="COMPTE",
                     help="compte d'un formateur (une fois par formateur ; retenu pour les fois suivantes)")
    hub.add_argument("--environnement-apprenant", default=HUB_DEFAULTS.learner_prefix, metavar="DOSSIER",
                     help=f"environnement Python des apprenants (défaut : {HUB_DEFAULTS.learner_prefix})")
    hub.add_argument("--seulement-cours", action="store_true",
                     help="environnement : réinstalle seulement le code du cours (après une mise à jour du cours)")
    hub.add_argument("--dossier-comptes", default=HUB_DEFAULTS.homes, metavar="DOSSIER",
                     help=f"comptes : où créer les dossiers personnels (défaut : {HUB_DEFAULTS.homes})")
    hub.add_argument("--nouveaux-mots-de-passe", action="store_true",
                     help="comptes : renouvelle aussi les mots de passe des comptes existants")
    hub.add_argument("--correcteur", default=None, metavar="COMPTE",
                     help="comptes : compte sous lequel tourne formgrader, propriétaire du cours (défaut : correcteur-COURS)")
    hub.add_argument("--supprimer", action="append", default=[], metavar="COMPTE",
                     help="comptes : supprime ce compte d'apprenant ou de formateur et son dossier, après confirmation "
                          "(fin de session, après la sauvegarde ; une fois par compte)")
    hub.add_argument("--oui", action="store_true", help="avec --supprimer : sans demander de confirmation")
    hub.add_argument("--ip", default=None, metavar="ADRESSE",
                     help="adresse d'écoute (défaut : toutes ; 127.0.0.1 pour un essai sur cette machine)")
    hub.add_argument("--port", type=_positive, default=HUB_DEFAULTS.port, metavar="PORT",
                     help=f"port ouvert aux apprenants (défaut : {HUB_DEFAULTS.port})")
    hub.add_argument("--certificat", default=None, metavar="FICHIER", help="HTTPS : certificat (chaîne complète, PEM)")
    hub.add_argument("--cle", default=None, metavar="FICHIER", help="HTTPS : clé privée du certificat (droits 600)")
    hub.add_argument("--etat", default=None, metavar="DOSSIER",
                     help=f"fichiers du hub (base, secret des cookies), réservés à root (défaut : {HUB_DEFAULTS.state}/COURS)")
    hub.add_argument("--port-hub", type=_positive, default=None, metavar="PORT", help=argparse.SUPPRESS)
    hub.add_argument("--port-proxy", type=_positive, default=None, metavar="PORT", help=argparse.SUPPRESS)
    hub.add_argument("--port-correction", type=_positive, default=None, metavar="PORT", help=argparse.SUPPRESS)
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
                       help="corrige sur une grappe Dask, par exemple tls://serveur:8786 (défaut : variable "
                       "d'environnement MDA_GRAPPE ; absente ou vide : sur cette machine)")
    grade.add_argument("--certificats", default=None, metavar="DOSSIER",
                       help="certificats TLS de la grappe (`mda grappe certificats`) ; défaut : variable "
                       f"MDA_GRAPPE_CERTIFICATS, sinon {DEFAULT_CERTIFICATES}/ dans le cours")
    grade.add_argument("--grappe-non-chiffree", action="store_true",
                       help="accepte une grappe tcp:// sans TLS ni certificats (réseau fermé que vous contrôlez "
                       "seulement : quiconque joint son port y exécute du code en root)")
    grade.add_argument("--timeout", type=_positive, default=None, metavar="S",
                       help="durée maximale d'exécution d'une cellule, en secondes (défaut : nbgrader_config.py)")
    grade.add_argument("--force", action="store_true",
                       help="recorrige aussi les copies déjà corrigées et inchangées")
    cluster = add("grappe", _cluster, "Prépare une grappe Dask de correction : `mda grappe certificats [DOSSIER]` "
                  "crée son autorité TLS et les certificats du planificateur, des processus de correction et du "
                  "formateur.", assignments=False)
    cluster.add_argument("action", choices=["certificats"], metavar="certificats", help="crée les certificats TLS")
    cluster.add_argument("dossier", nargs="?", default=None, metavar="DOSSIER",
                         help=f"dossier à créer (nouveau ou vide) ; défaut : {DEFAULT_CERTIFICATES}/ dans le cours")
    cluster.add_argument("--jours", type=_positive, default=DEFAULT_DAYS, metavar="N",
                         help=f"durée de validité des certificats, en jours (défaut : {DEFAULT_DAYS})")
    for name in ("feedback", "retours"):
        feedback = add(name, _feedback, "Écrit les retours aux apprenants (HTML en français, sans les tests cachés) "
                       "et leur bilan par critère d'évaluation ; avec --publier, les publie dans l'échange nbgrader.")
        feedback.add_argument("--workers", type=_positive, default=None, metavar="N",
                              help="nombre de générations simultanées (défaut : le nombre de cœurs)")
        feedback.add_argument("--publier", action="store_true",
                              help="publie les retours déjà écrits dans l'échange (à la place de `nbgrader "
                              "release_feedback`) : chaque apprenant les récupère par « Fetch Feedback » ; une copie "
                              "déposée à la main est nommée, jamais bloquante")
    backup = add("sauvegarde", _backup, "Écrit une archive datée de tout ce qu'une promotion demande de garder "
                 "(carnet de notes, copies, corrections, retours, rapports, clé des variantes, groupes, calendrier), "
                 "avec son manifeste et les sommes SHA-256 de ses fichiers.", assignments=False)
    backup.add_argument("dossier", nargs="?", default=None, metavar="DOSSIER",
                        help="dossier où écrire l'archive (défaut : sauvegardes/ dans le cours)")
    promotion = add("nouvelle-promotion", _new_promotion, "Archive la promotion actuelle (comme `mda sauvegarde`, "
                    "l'échange du cours en plus), vérifie l'archive, puis seulement commence une promotion vide : "
                    "carnet de notes sans apprenant (devoirs et dates limites gardés), ni copies, ni groupes, ni "
                    "rapports, échange du cours vide.", assignments=False)
    promotion.add_argument("--archive", metavar="DOSSIER", default=None,
                           help="dossier où écrire l'archive (défaut : sauvegardes/ dans le cours)")
    promotion.add_argument("--nouvelle-cle", action="store_true",
                           help="remplace aussi la clé des variantes (gardée par défaut) : la prochaine publication "
                           "donnera à chacun d'autres données ; l'ancienne clé reste dans l'archive")
    add("carnet-mise-a-jour", _upgrade_gradebook, "Après une mise à jour de nbgrader : met le schéma du carnet de "
        "notes à jour (à la place de `nbgrader db upgrade`), notes gardées ; un carnet SQLite est d'abord copié, "
        "daté, à côté de lui.", assignments=False)
    restoration = add("restauration", _restore, "Restaure une archive de `mda sauvegarde` dans un cours sans promotion "
                      "(copie neuve du cours) ; chaque fichier est vérifié avant d'être écrit.", assignments=False)
    restoration.add_argument("archive", metavar="ARCHIVE", help="l'archive .tar.gz écrite par `mda sauvegarde`")
    add("copies", _copies, "Compare les réponses de chaque copie corrigée aux bonnes réponses des autres apprenants "
        "(exports/soupcons_copie.csv) : des indices pour le formateur, jamais un changement de note.")
    add("report", _report, "Exporte les notes (CSV nbgrader) et la grille de compétences : rapport HTML et classeur Excel du jury.")
    demo = add("demo", _demo, "Écrit une promotion simulée dans submitted/ d'une copie de démonstration du cours (une "
               "copie personnelle par apprenant, profils réalistes, retards, carnets abîmés exprès) ; "
               "avec --notes-manuelles, simule les notes des formateurs.")
    demo.add_argument("--apprenants", type=_positive, default=24, metavar="N",
                      help="nombre d'apprenants simulés (défaut : 24)")
    demo.add_argument("--autres-blocs", type=_positive, default=8, metavar="N",
                      help="apprenants simulés pour les blocs après le premier (défaut : 8)")
    demo.add_argument("--notes-manuelles", action="store_true",
                      help="simule les notes manuelles des copies déjà corrigées (commentaire « [Simulation] »)")
    demo.add_argument("--copie", metavar="DOSSIER", default=None,
                      help="crée (ou refait) la copie de démonstration DOSSIER : les originaux du cours, sans rien de "
                      "votre promotion (make demo : demo/)")
    demo.add_argument("--bilan", action="store_true",
                      help="dit où est la démonstration et quels échecs y sont simulés exprès")
    from mda_checks.jury.commands import add_jury_commands

    add_jury_commands(add)  # jury, livrets, archive, export moodle
    return top


def main(argv: list[str] | None = None) -> int:
    # nbgrader's own SQLAlchemy usage warns on every autograde; the warnings say nothing to a trainer
    warnings.filterwarnings("ignore", module=r"nbgrader\..*")
    args = parser().parse_args(argv)
    from mda_checks.grade.runs.run_lock import GradingAlreadyRunning

    try:
        course = Course.find(Path.cwd())
        return args.handler(args, course)
    except (FileNotFoundError, ValueError, KeyError, GradingAlreadyRunning) as problem:  # NotADemoCourse is a ValueError
        missing = isinstance(problem, FileNotFoundError) and problem.filename
        print(f"Erreur : {f'fichier ou dossier introuvable : {missing}' if missing else problem}",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
