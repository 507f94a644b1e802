"""The jury's commands of `mda`: jury, livrets, archive, export moodle (thin: the work is in the modules)."""
from __future__ import annotations

import argparse
from pathlib import Path

from mda_checks.course import Course

PDF_LATER = "Le procès-verbal est écrit en .xlsx et .html ; le PDF le sera quand Chromium sera installé."


def _assignment(course: Course, name: str) -> str:
    known = course.assignments()
    if name not in known:
        raise ValueError(f"devoir inconnu : {name} (devoirs du cours : {', '.join(known)})")
    return name


def _write_minutes(course: Course, session, content: dict) -> list[str]:
    """The minutes of `session`, the PDF included when Chromium is there; the lines to print."""
    from mda_checks.jury.decisions import session_decisions
    from mda_checks.jury.minutes import write_minutes
    from mda_checks.jury.pdf import ChromiumMissing, PdfRenderer

    decisions = session_decisions(course, session.name)
    try:
        with PdfRenderer() as renderer:
            written = write_minutes(content, decisions, session.folder, renderer)
        missing = ""
    except ChromiumMissing as problem:
        written = write_minutes(content, decisions, session.folder)
        missing = f"{problem} {PDF_LATER}"
    lines = [f"Procès-verbal : {', '.join(str(p.relative_to(course.root)) for p in written)}"]
    return lines + ([f"Attention : {missing}"] if missing else [])


def jury(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.jury.convene import convene, outcome_counts
    from mda_checks.jury.sessions import parse_day

    assignment = _assignment(course, args.devoir)
    if args.decisions:
        return _record(args, course, assignment)
    day = parse_day(args.date) if args.date else None
    session, content = convene(course, assignment, day, args.membres, args.lieu)
    print(f"Session du jury {session.name} : {len(content['candidats'])} candidat(s) ; propositions — "
          + " ; ".join(f"{outcome} : {count}" for outcome, count in outcome_counts(content).items()) + ".")
    for candidate in content["candidats"]:
        print(f"- {candidate['nom']} ({candidate['apprenant']}) : {candidate['proposition']}. {candidate['motif']}")
    lines = _write_minutes(course, session, content)
    print("\n".join(lines))
    if not content["membres"]:
        print("Membres du jury non renseignés : le procès-verbal laisse leurs lignes de signature à remplir "
              "(jury.toml, [jury] membres, ou --membres).")
    print(f"Le jury décide dans la colonne « Décision du jury » ; puis : mda jury {assignment} --decisions "
          f"{session.folder.relative_to(course.root)}/proces-verbal.xlsx")
    return 1 if any(line.startswith("Attention") for line in lines) else 0


def _record(args: argparse.Namespace, course: Course, assignment: str) -> int:
    from mda_checks.jury.decisions import record_decisions
    from mda_checks.jury.minutes import read_decisions
    from mda_checks.jury.sessions import find_session, latest_session

    source = Path(args.decisions)
    entries, named = read_decisions(source)
    chosen = args.session or named
    session = find_session(course, chosen) if chosen else latest_session(course, assignment)
    if session.assignment != assignment:
        raise ValueError(f"{source.name} est le procès-verbal de la session {session.name}, pas d'une session de "
                         f"{assignment}")
    content = session.read()
    proposals = {c["apprenant"]: c["proposition"] for c in content["candidats"]}
    recorded = record_decisions(course, session, entries, proposals, source, replace=args.modifier)
    print("\n".join(recorded.summary(session.name)))
    print("Registre des décisions (jamais réécrit, chaque ligne chaînée à la précédente) : "
          f"{(course.step('jury') / 'decisions.csv').relative_to(course.root)}")
    lines = _write_minutes(course, session, content)
    print("\n".join(lines))
    print(f"Les décisions apparaissent dans `mda report`, le tableau de bord et les livrets (`mda livrets {assignment}`).")
    return 0


def livrets(args: argparse.Namespace, course: Course) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from mda_checks.jury.livrets import write_livrets
    from mda_checks.jury.pdf import PdfRenderer
    from mda_checks.jury.sessions import find_session, latest_session

    assignment = _assignment(course, args.devoir)
    session = find_session(course, args.session) if args.session else latest_session(course, assignment)
    total = len(session.read()["candidats"])
    console = Console()
    with PdfRenderer() as renderer, Progress(console=console) as progress:
        bar = progress.add_task("Livrets d'évaluation", total=total)
        written = write_livrets(course, session, renderer, on_done=lambda _path: progress.advance(bar))
    console.print(f"Livrets écrits : {len(written)} (un PDF par candidat) dans "
                  f"{session.livrets.relative_to(course.root)}/", highlight=False)
    return 0


def archive(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.jury.archive import seal
    from mda_checks.jury.archive_check import verify
    from mda_checks.jury.sessions import find_session

    if args.verifier:
        result = verify(Path(args.verifier), args.empreinte, course)
        print("\n".join(result.report()))
        return 0 if result.intact else 1
    if not args.session:
        raise ValueError("donnez la session à sceller (mda archive bloc1-2026-12-10) ou --verifier ARCHIVE")
    sealed = seal(course, find_session(course, args.session))
    print(f"Archive scellée : {sealed.path.relative_to(course.root)} ({sealed.files} fichiers et leur manifeste "
          "MANIFESTE.sha256).")
    print(f"Empreinte du manifeste (SHA-256) : {sealed.manifest_sha256}")
    print("Notez-la hors de l'archive (au procès-verbal signé, par exemple) ; elle est aussi consignée dans "
          "jury/archives.csv. Vérification : mda archive --verifier " + str(sealed.path.relative_to(course.root)))
    for item in sealed.left_out:
        print(f"Non archivé : {item}")
    return 0


def export(args: argparse.Namespace, course: Course) -> int:
    from mda_checks.jury.moodle import EMAIL, USERNAME, export_moodle

    assignment = _assignment(course, args.devoir)
    identifier = {"e-mail": EMAIL, "nom-utilisateur": USERNAME}[args.identifiant]
    report = export_moodle(course, assignment, identifier, Path(args.fichier) if args.fichier else None)
    print("\n".join(report.summary(course.root)))
    return 0 if report.learners else 1


def add_jury_commands(add) -> None:
    """Declare the subcommands with `add(name, handler, help, assignments=False)` (cli.py's)."""
    command = add("jury", jury, "Propose une décision par candidat pour un bloc (règles de jury.toml, avec son motif) "
                  "et écrit le procès-verbal de la session (xlsx, PDF) ; avec --decisions, enregistre les décisions "
                  "du jury.", assignments=False)
    command.add_argument("devoir", metavar="BLOC", help="le bloc (bloc1 … bloc4)")
    command.add_argument("--date", default=None, metavar="DATE", help="date de la session, AAAA-MM-JJ (défaut : "
                         "aujourd'hui, heure de Paris)")
    command.add_argument("--membres", nargs="+", default=None, metavar="MEMBRE",
                         help="membres du jury (« Mme Claire Dupont, présidente » …) ; défaut : jury.toml")
    command.add_argument("--lieu", default=None, help="lieu de la session (« Fait à … ») ; défaut : jury.toml")
    command.add_argument("--decisions", default=None, metavar="FICHIER",
                         help="enregistre les décisions du jury : le procès-verbal rempli (.xlsx) ou un CSV "
                         "(apprenant, décision, commentaire)")
    command.add_argument("--session", default=None, metavar="SESSION",
                         help="avec --decisions (CSV) : la session concernée (défaut : la dernière du bloc)")
    command.add_argument("--modifier", action="store_true",
                         help="accepte de changer une décision déjà enregistrée (l'ancienne reste dans l'historique)")
    books = add("livrets", livrets, "Écrit un livret d'évaluation (PDF) par candidat de la dernière session du jury "
                "d'un bloc : grille des critères, messages de la correction, commentaires, décision.", assignments=False)
    books.add_argument("devoir", metavar="BLOC", help="le bloc (bloc1 … bloc4)")
    books.add_argument("--session", default=None, metavar="SESSION", help="une autre session que la dernière du bloc")
    sealing = add("archive", archive, "Scelle une session du jury (livrets, procès-verbal, copies, empreinte du "
                  "correcteur, variantes) dans une archive avec un manifeste SHA-256 ; --verifier la contrôle.",
                  assignments=False)
    sealing.add_argument("session", nargs="?", default=None, metavar="SESSION",
                         help="la session à sceller (bloc1-2026-12-10)")
    sealing.add_argument("--verifier", default=None, metavar="ARCHIVE",
                         help="vérifie qu'une archive n'a pas changé depuis son scellement")
    sealing.add_argument("--empreinte", default=None, metavar="SHA256",
                         help="avec --verifier : l'empreinte du manifeste notée au scellement (défaut : jury/archives.csv)")
    exporting = add("export", export, "Exporte les notes d'un bloc pour la plateforme de l'école (Moodle : import "
                    "de notes CSV).", assignments=False)
    exporting.add_argument("format", choices=["moodle"], metavar="FORMAT", help="moodle")
    exporting.add_argument("devoir", metavar="BLOC", help="le bloc (bloc1 … bloc4)")
    exporting.add_argument("--identifiant", choices=["e-mail", "nom-utilisateur"], default="e-mail",
                           help="colonne qui identifie l'apprenant dans Moodle : son adresse e-mail (défaut) ou son "
                           "nom d'utilisateur (l'identifiant du cours, en minuscules)")
    exporting.add_argument("--fichier", default=None, metavar="FICHIER",
                           help="fichier écrit (défaut : exports/moodle_<bloc>.csv)")
