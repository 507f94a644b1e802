"""`mda hub comptes | environnement | demarrer`: the course's JupyterHub, step by step, in French."""
from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

from mda_checks.config import HUB_DEFAULTS
from mda_checks.course import Course
from mda_checks.hub.accounts import (ensure_accounts, ensure_grader_account, exists, give_tree, grader_account_name,
                                     remove_accounts, write_password_sheet)
from mda_checks.hub.settings import DEPLOY, SETTINGS_VARIABLE, HubSettings

#: trainer-only files of the hub in the course (git-ignored .mda/): the trainers' accounts, the password sheet
PRIVATE = Path(".mda") / "hub"
TRAINERS_FILE = "formateurs.txt"
SHEET = "mots-de-passe.csv"
INSTALLER = DEPLOY / "installer-apprenant.sh"


def _gradebook_learners(course: Course) -> dict[str, str]:
    """id -> « Prénom Nom » for every learner of the gradebook (`mda apprenants`)."""
    from nbgrader.api import Gradebook

    from mda_checks.nbgrader_api import course_directory

    with Gradebook(course_directory(course.root).db_url) as gb:
        return {s.id: " ".join(p for p in (s.first_name, s.last_name) if p) for s in gb.students}


def recorded_trainers(course: Course) -> list[str]:
    path = course.root / PRIVATE / TRAINERS_FILE
    return path.read_text(encoding="utf-8").split() if path.is_file() else []


def _record_trainers(course: Course, trainers: list[str]) -> None:
    folder = course.root / PRIVATE
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / TRAINERS_FILE).write_text("".join(f"{name}\n" for name in trainers), encoding="utf-8")


def course_owner(course: Course) -> str:
    return pwd.getpwuid(course.root.stat().st_uid).pw_name


def _course_id(course: Course) -> str:
    from mda_checks.nbgrader_api import course_directory

    return course_directory(course.root).course_id


def hand_course_to_grader(course: Course, grader: str, homes: Path) -> list[str]:
    """The grading service's own account, owner of a course root still owns (what formgrader writes: the
    gradebook and its journal beside it, autograded/, feedback/): formgrader never runs as root."""
    said = []
    if ensure_grader_account(grader, homes):
        said.append(f"Compte de correction créé : {grader} (sans mot de passe ; le hub y lance formgrader).")
    if course.root.stat().st_uid == 0:
        give_tree(course.root, grader)
        said.append(f"Le cours appartient désormais à {grader} (formgrader, partagé par les formateurs, tourne sous "
                    "ce compte et non en root) ; les commandes du cours se lancent toujours en root.")
    return said


def make_accounts(course: Course, trainers: list[str], homes: Path, address: str, renew: bool = False,
                  grader: str | None = None) -> list[str]:
    """Accounts for the gradebook's learners, the trainers and the grading service; the password sheet; what to say."""
    if os.geteuid() != 0:
        raise ValueError("la création des comptes se fait en root : sudo .venv/bin/mda hub comptes …")
    learners = _gradebook_learners(course)
    if not learners:
        raise ValueError("aucun apprenant au carnet de notes : importez d'abord la liste (mda apprenants FICHIER.csv)")
    trainers = sorted(set(trainers) | set(recorded_trainers(course)))
    if not trainers:
        raise ValueError("aucun compte de formateur : --formateur NOM (une fois par formateur)")
    both = sorted(set(trainers) & set(learners))
    if both:
        raise ValueError(f"compte(s) à la fois apprenant et formateur : {', '.join(both)}")
    grader = grader or grader_account_name(_course_id(course))
    if grader in set(trainers) | set(learners):
        raise ValueError(f"le compte de correction {grader} ne peut pas être celui d'un apprenant ou d'un formateur")
    wanted = [(name, "apprenant", full) for name, full in sorted(learners.items())]
    wanted += [(name, "formateur", "") for name in trainers]
    homes.mkdir(parents=True, exist_ok=True)
    accounts = ensure_accounts(wanted, homes, renew=renew)
    _record_trainers(course, trainers)
    handed = hand_course_to_grader(course, grader, homes)
    sheet = write_password_sheet(course.root / PRIVATE / SHEET, accounts, address, owner=course_owner(course))
    fresh = [a.name for a in accounts if a.password]
    said = [f"Comptes : {len(learners)} apprenant(s), {len(trainers)} formateur(s) ({', '.join(trainers)}) ; "
            f"{len(fresh)} mot(s) de passe créé(s) ; les comptes existants gardent le leur "
            "(--nouveaux-mots-de-passe pour tout renouveler).",
            f"Feuille des mots de passe à distribuer (droits 600, à détruire après la séance) : {sheet}", *handed]
    waiting = _copies_to_hand_over(course, sorted(learners))
    if waiting:
        said.append(f"Copies personnelles publiées avant ces comptes, fermées à leurs apprenants : "
                    f"{', '.join(waiting)} ; remettez-les à chacun (mêmes données) : "
                    + " ; ".join(f"mda release {name}" for name in waiting) + ".")
    return said


def remove_course_accounts(course: Course, names: list[str], confirm=input) -> list[str]:
    """`mda hub comptes --supprimer`: the accounts of this course only (a learner of the gradebook, a
    recorded trainer), with their home folders, after the trainer typed « oui »; what to say."""
    if os.geteuid() != 0:
        raise ValueError("la suppression des comptes se fait en root : sudo .venv/bin/mda hub comptes --supprimer …")
    known = set(_gradebook_learners(course)) | set(recorded_trainers(course))
    strangers = sorted(set(names) - known)
    if strangers:
        raise ValueError(f"{', '.join(strangers)} : ni apprenant au carnet de notes ni formateur de ce cours ; "
                         "aucun compte supprimé")
    present = sorted(name for name in set(names) if exists(name))
    if not present:
        return ["Aucun de ces comptes n'existe : rien à supprimer."]
    answer = confirm(f"Supprimer définitivement {len(present)} compte(s) et leur dossier personnel "
                     f"({', '.join(present)}) ? Sauvegardez d'abord (mda archive). Tapez « oui » pour confirmer : ")
    if answer.strip().lower() != "oui":
        return ["Suppression annulée : aucun compte supprimé."]
    failed = remove_accounts(present)
    removed = [name for name in present if not exists(name)]
    _record_trainers(course, [name for name in recorded_trainers(course) if name not in removed])
    if failed:
        raise ValueError("comptes non supprimés :\n  - " + "\n  - ".join(failed)
                         + (f"\n(supprimés : {', '.join(removed)})" if removed else ""))
    return [f"Comptes supprimés, avec leur dossier personnel : {', '.join(removed)}."]


def _copies_to_hand_over(course: Course, learners: list[str]) -> list[str]:
    from mda_checks.assign.personal_release import copies_to_hand_over
    from mda_checks.exchange import exchange_settings
    from mda_apprenant.exchange_fetch import PERSONAL

    root, course_id = exchange_settings(course)
    return copies_to_hand_over(root / course_id / PERSONAL, learners)


def learner_nbgrader_config(course: Course) -> str:
    """The learners' nbgrader configuration: the course's exchange, own copies, Paris time."""
    from mda_checks.exchange import learner_config

    return (learner_config(course)
            + "# Les heures de rendu des apprenants, à l'heure de Paris (et non en UTC).\n"
            + f"c.Exchange.timezone = {HUB_DEFAULTS.timezone!r}\n")


def write_learner_config(course: Course, prefix: Path) -> Path:
    path = prefix / "etc" / "jupyter" / "nbgrader_config.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(learner_nbgrader_config(course), encoding="utf-8")
    path.chmod(0o644)
    return path


def installer_env() -> dict[str, str]:
    """The installer's environment: uv from the course's own environment (installed by `make install`)."""
    env, uv = dict(os.environ), Path(sys.executable).parent / "uv"
    if uv.is_file():
        env.setdefault("MDA_UV", str(uv))
    return env


def build_learner_env(course: Course, prefix: Path, only_runtime: bool = False) -> list[str]:
    """deploy/installer-apprenant.sh, then the course's nbgrader configuration in the environment."""
    argv = ["sh", str(INSTALLER), *(["--cours"] if only_runtime else []), str(prefix), str(course.root)]
    done = subprocess.run(argv, capture_output=True, text=True, env=installer_env())
    if done.returncode != 0:
        raise ValueError(f"l'installation de l'environnement des apprenants a échoué :\n{done.stdout}{done.stderr}")
    config = write_learner_config(course, prefix)
    return [f"Environnement des apprenants : {prefix} (JupyterLab en français, panneau Assignments de nbgrader, "
            f"cours {course.root.name}) ; configuration nbgrader : {config}"]


def hub_settings(course: Course, **chosen) -> HubSettings:
    from mda_checks.nbgrader_api import course_directory

    course_id = course_directory(course.root).course_id
    chosen = {key: value for key, value in chosen.items() if value is not None}
    state = chosen.pop("state", None) or str(Path(HUB_DEFAULTS.state) / course_id)
    trainers = sorted(set(chosen.pop("trainers", None) or []) | set(recorded_trainers(course)))
    return HubSettings(course_id=course_id, course_root=str(course.root), course_owner=course_owner(course),
                       learners=sorted(_gradebook_learners(course)), trainers=trainers, state=state, **chosen)


def start_hub(course: Course, settings: HubSettings, echo=print) -> int:
    """Check (refuse in French), write the settings, then become JupyterHub (never returns on success)."""
    from mda_checks.exchange import exchange_settings
    from mda_checks.hub.preflight import preflight
    from mda_checks.nbgrader_api import course_directory

    exchange, _ = exchange_settings(course)
    found = preflight(settings, exchange, course_directory(course.root).db_url)
    if not settings.trainers:
        found.problems.append("aucun compte de formateur : mda hub comptes --formateur NOM")
    missing = [name for name in settings.learners + settings.trainers if not exists(name)]
    if missing:
        found.problems.append(f"compte(s) Unix manquant(s) : {', '.join(missing)} (mda hub comptes)")
    for warning in found.warnings:
        echo(f"Attention : {warning}.")
    if found.problems:
        raise ValueError("le hub ne démarre pas :\n  - " + "\n  - ".join(found.problems))
    write_learner_config(course, Path(settings.learner_prefix))
    path = settings.write()
    scheme = "https" if settings.ssl_cert else "http"
    echo(f"JupyterHub du cours {settings.course_id} : {scheme}://{settings.ip or '<adresse du serveur>'}:{settings.port}/ "
         f"— {len(settings.learners)} apprenant(s), formateurs : {', '.join(settings.trainers)} "
         f"(formgrader : /services/{settings.course_id}/formgrader). Ctrl+C pour arrêter.")
    sys.stdout.flush()
    hub = str(Path(settings.trainer_bin) / "jupyterhub")
    env = {**os.environ, SETTINGS_VARIABLE: str(path),
           "PATH": f"{settings.trainer_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    os.chdir(settings.state)
    os.execve(hub, [hub, "-f", str(DEPLOY / "jupyterhub_config.py")], env)
    return 0  # not reached

