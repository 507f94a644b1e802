"""nbgrader's exchange on one machine: the folder where the trainer releases assignments and
collects submissions, and learners fetch and submit (``nbgrader release_assignment``,
``fetch_assignment``, ``submit``, ``collect``, ``release_feedback``, ``fetch_feedback``, and
JupyterLab's Assignments panel).

Its place is ``c.Exchange.root`` in the course's ``nbgrader_config.py`` (``echange/`` in the course,
git-ignored). Like nbgrader's usual ``/srv/nbgrader/exchange``, it is world-writable with the
sticky bit (1777): everyone may drop a submission there, nobody may remove another's files.
A learner's Jupyter reads nbgrader's configuration from its own folders, not from the course:
``learner_config`` is the text it needs, written into the course's environment by
``mda echange --environnement`` (``make install``), with the Jupyter server configuration that
enables the Content-Security-Policy of formgrader's pages for the trainer (``mda_checks.formgrader_csp``).
"""
from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from mda_checks.course import Course

MODE = 0o1777  # drwxrwxrwt
MARKER = "# Écrit par « mda echange --environnement »"
#: the Jupyter server extension that puts a Content-Security-Policy on formgrader's pages of learners' work
CSP_EXTENSION = "mda_checks.formgrader_csp"


@dataclass(frozen=True)
class ExchangeState:
    root: Path
    course_id: str
    created: bool            # created (or its mode repaired) by this call
    released: list[str]      # assignments in the exchange's outbound/

    def describe(self) -> str:
        return (f"{self.root} (drwxrwxrwt : chacun y dépose, personne n'efface les fichiers des autres)"
                + (" — créé" if self.created else ""))


def exchange_settings(course: Course) -> tuple[Path, str]:
    """The exchange root and the course id, as nbgrader reads them from the course's configuration."""
    from nbgrader.exchange.default.exchange import Exchange

    from mda_checks.nbgrader_api import course_config, course_directory

    root = Path(Exchange(config=course_config(course.root)).root)
    return root, course_directory(course.root).course_id


def ensure_exchange(course: Course) -> ExchangeState:
    """Create the exchange folder with mode 1777 (or repair the mode of ours); ValueError in French
    when it cannot be done (nbgrader would then fail on every exchange command)."""
    root, course_id = exchange_settings(course)
    created = False
    if not root.is_dir():
        try:
            root.mkdir(parents=True)
            root.chmod(MODE)  # mkdir's mode goes through the umask: set it afterwards
        except PermissionError:
            raise ValueError(f"impossible de créer le dossier d'échange {root} : permission refusée "
                             "(à créer par son administrateur : mkdir -p DOSSIER && chmod 1777 DOSSIER)") from None
        created = True
    elif stat.S_IMODE(root.stat().st_mode) != MODE:
        if root.stat().st_uid != os.geteuid():
            raise ValueError(f"le dossier d'échange {root} n'a pas les droits attendus (drwxrwxrwt) et appartient "
                             f"à un autre utilisateur : demandez-lui « chmod 1777 {root} »")
        root.chmod(MODE)
        created = True
    outbound = root / course_id / "outbound"
    released = sorted(p.name for p in outbound.iterdir() if p.is_dir()) if outbound.is_dir() else []
    return ExchangeState(root, course_id, created, released)


def learner_config(course: Course) -> str:
    """The nbgrader configuration a learner's Jupyter needs to reach this course's exchange."""
    root, course_id = exchange_settings(course)
    return (f"{MARKER} (cours {course.root}).\n"
            "# Le Jupyter d'un apprenant trouve ici l'échange du cours : « Nbgrader › Assignment List »,\n"
            "# nbgrader fetch_assignment / submit / fetch_feedback. Relancez « make install » si le cours change de place.\n"
            "c = get_config()  # noqa: F821\n"
            f"c.Exchange.root = {str(root)!r}\n"
            f"c.CourseDirectory.course_id = {course_id!r}\n"
            "# Un devoir publié par apprenant (mda release) : chacun récupère sa propre copie.\n"
            "c.ExchangeFactory.fetch_assignment = 'mda_apprenant.exchange_fetch.FetchOwnCopy'\n")


def environment_config_path(prefix: str | Path | None = None) -> Path:
    """nbgrader_config.py of an environment: read by every Jupyter started from it (etc/jupyter)."""
    return Path(prefix or sys.prefix) / "etc" / "jupyter" / "nbgrader_config.py"


def write_environment_config(course: Course, prefix: str | Path | None = None) -> tuple[Path, bool]:
    """Write `learner_config` into the environment's Jupyter configuration; (path, written).

    A file there that this command did not write is left alone (written is False)."""
    path = environment_config_path(prefix)
    if path.is_file() and not path.read_text(encoding="utf-8").startswith(MARKER):
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(learner_config(course), encoding="utf-8")
    return path, True


def server_extension_config_path(config_dir: str | Path) -> Path:
    return Path(config_dir) / "jupyter_server_config.d" / "mda_checks.json"


def write_server_extension_config(config_dir: str | Path) -> Path:
    """Enable the CSP extension for every Jupyter server that reads `config_dir` (a file of its own in
    jupyter_server_config.d, the way Jupyter packages enable their extensions)."""
    path = server_extension_config_path(config_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {CSP_EXTENSION: True}}}, indent=2) + "\n",
                    encoding="utf-8")
    return path


def exchange_report(course: Course, environment: bool = False, learners: bool = False,
                    publish: str | None = None) -> list[str]:
    """Make sure of the exchange and say where things are (`mda echange`, `mda build`), in French.

    `environment`: also write the environment's configuration (`make install`); `learners`: say what
    a learner's Jupyter needs; `publish`: the command that releases this assignment."""
    state = ensure_exchange(course)
    released = ", ".join(state.released) or "aucun"
    lines = [f"Dossier d'échange nbgrader : {state.describe()}"]
    if publish:
        lines.append(f"Pour publier un devoir aux apprenants : mda release {publish} (une copie personnelle par "
                     f"apprenant, avec ses propres données ; relancer republie) ; déjà publiés : {released}.")
    if not learners and not environment:
        return lines
    lines.append(f"Cours : {state.course_id} ; devoirs publiés : {released}.")
    text = learner_config(course)
    if environment:
        path, written = write_environment_config(course)
        lines.append(f"Configuration des Jupyter lancés depuis cet environnement (apprenants compris) : {path}"
                     if written else
                     f"Attention : {path} existe et n'a pas été écrit par mda : il est laissé tel quel ; "
                     "vérifiez qu'il contient les lignes ci-dessous.")
        csp = write_server_extension_config(path.parent)
        lines.append(f"Politique de sécurité (CSP) des pages de formgrader qui montrent le travail des apprenants, "
                     f"pour les Jupyter lancés depuis cet environnement : {csp} (pour un autre Jupyter du formateur : "
                     f"jupyter server extension enable {CSP_EXTENSION}).")
    else:
        path = environment_config_path()
        current = path.is_file() and path.read_text(encoding="utf-8") == text
        lines.append(f"Jupyter lancé depuis l'environnement du cours (apprenants compris) : {path} "
                     + ("le dirige vers cet échange." if current else
                        "ne le dirige pas vers cet échange ; `mda echange --environnement` l'écrit."))
    lines.append("Pour un Jupyter installé ailleurs, mettez ces lignes dans ~/.jupyter/nbgrader_config.py de l'apprenant :")
    lines += ["    " + line for line in text.splitlines() if line.startswith("c.")]
    return lines
