"""What `mda hub demarrer` checks before a class logs in; each problem in French, with its fix.

A learner with an account on the machine must reach nothing of the trainer's: the course folder
(answer key, masters, gradebook, the variants' key) is closed to them, the exchange is a folder of
its own that they cannot replace, and their servers run from an environment that holds no part of
the course but its learner runtime (the distribution mda-apprenant: never mda_checks nor
mda_reference). The hub refuses to start while one of these does not hold.
"""
from __future__ import annotations

import grp
import os
import pwd
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from mda_checks.hub.settings import HubSettings

OPEN_TO_OTHERS = 0o007
WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


@dataclass
class Preflight:
    problems: list[str] = field(default_factory=list)   # the hub refuses to start
    warnings: list[str] = field(default_factory=list)   # said, then the hub starts


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve() == folder.resolve() or folder.resolve() in path.resolve().parents


def group_members(gid: int) -> set[str]:
    """The accounts in a group: as their primary group or as a supplementary one."""
    members = {entry.pw_name for entry in pwd.getpwall() if entry.pw_gid == gid}
    try:
        members |= set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        pass
    return members


def check_course_closed(root: Path, learners: list[str]) -> list[str]:
    """The course folder: nothing for other accounts; its group (0750) holds no learner."""
    info = root.stat()
    mode = stat.S_IMODE(info.st_mode)
    if mode & OPEN_TO_OTHERS:
        return [f"le dossier du cours {root} est ouvert aux autres comptes (droits {mode:o}) : un apprenant y lirait "
                f"le corrigé (mda_reference/, source/) et le carnet de notes ; fermez-le : chmod 700 {root} (ou "
                f"chmod 750 {root} avec un groupe réservé aux formateurs)"]
    if mode & 0o070:
        inside = sorted(group_members(info.st_gid) & set(learners))
        if inside:
            name = grp.getgrgid(info.st_gid).gr_name
            return [f"le dossier du cours {root} est ouvert à son groupe « {name} », dont sont membres des "
                    f"apprenants ({', '.join(inside)}) : chmod 700 {root}, ou un groupe réservé aux formateurs"]
    return []


def _owner(path: Path) -> str:
    uid = path.lstat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def check_grader(root: Path, owner: str, learners: list[str], trainers: list[str], db_url: str) -> Preflight:
    """The trainers' shared grading Jupyter (formgrader) runs as the course's owner: never root (every trainer
    logged in would have a root terminal), never a learner's or one trainer's own account; and it owns what it
    writes (the gradebook, beside which SQLite writes its journal; autograded/ and feedback/ for its buttons)."""
    found = Preflight()
    give = f"en root : mda hub comptes (crée le compte correcteur-COURS et lui donne le cours : chown -R correcteur-COURS: {root})"
    if owner == "root":
        found.problems.append("formgrader, le Jupyter partagé des formateurs, tournerait en root (le cours appartient à "
                              f"root) : chaque formateur connecté aurait un terminal root ; {give}")
        return found
    if owner in learners or owner in trainers:
        who = "d'un apprenant" if owner in learners else "personnel d'un formateur"
        found.problems.append(f"le cours appartient au compte {who} ({owner}), sous lequel tournerait formgrader ; {give}")
        return found
    book = Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite:///") else None
    if book is not None and book.exists() and _owner(book) != owner:
        found.problems.append(f"le carnet de notes {book} appartient à {_owner(book)}, pas à {owner} : formgrader ne "
                              f"pourrait pas y enregistrer les notes manuelles ; en root : chown {owner}: {book}")
    for name in ("autograded", "feedback"):
        folder = root / name
        if folder.is_dir() and _owner(folder) != owner:
            found.warnings.append(f"{folder} appartient à {_owner(folder)}, pas à {owner} : les boutons de formgrader qui "
                                  f"l'écrivent échoueront (les commandes mda, en root, marchent) ; en root : "
                                  f"chown -R --no-dereference {owner}: {folder}")
    return found


def _unsafe_ancestor(path: Path) -> Path | None:
    """The first folder from `path` up to / that is not root's or that others may write (so replace `path`)."""
    for folder in [path, *path.parents]:
        info = folder.lstat()
        if info.st_uid != 0 or (stat.S_IMODE(info.st_mode) & WRITABLE_BY_OTHERS and not info.st_mode & stat.S_ISVTX):
            return folder
    return None


def check_exchange(exchange: Path, course_root: Path) -> list[str]:
    """nbgrader's exchange: outside the course, root's, 1777, under folders only root may change."""
    fix = f"en root : mkdir -p {exchange} && chmod 1777 {exchange}"
    if _inside(exchange, course_root):
        return [f"le dossier d'échange {exchange} est dans le cours : les apprenants devraient pouvoir traverser le "
                f"cours pour l'atteindre ; mettez dans nbgrader_config.py c.Exchange.root = \"/srv/nbgrader/exchange\", "
                f"puis {fix.replace(str(exchange), '/srv/nbgrader/exchange')}"]
    if not exchange.is_dir() or exchange.is_symlink():
        return [f"le dossier d'échange {exchange} n'existe pas ({fix}, ou sudo .venv/bin/mda echange)"]
    problems = []
    if stat.S_IMODE(exchange.stat().st_mode) != 0o1777:
        problems.append(f"le dossier d'échange {exchange} n'a pas les droits drwxrwxrwt ({fix})")
    unsafe = _unsafe_ancestor(exchange.parent)
    if exchange.stat().st_uid != 0 or unsafe is not None:
        problems.append(f"le dossier d'échange {exchange} (ou {unsafe or exchange}) n'appartient pas à root ou peut être "
                        "modifié par d'autres comptes : un apprenant pourrait le remplacer ; créez-le en root dans un "
                        "dossier de root (/srv/nbgrader/exchange)")
    return problems


def check_gradebook(db_url: str, course_root: Path) -> list[str]:
    """A SQLite gradebook outside the closed course must be closed itself."""
    if not db_url.startswith("sqlite:///"):
        return []
    path = Path(db_url.removeprefix("sqlite:///"))
    if not path.exists() or _inside(path, course_root):
        return []
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return [f"le carnet de notes {path} est lisible par d'autres comptes (droits {mode:o}) : chmod 600 {path}"]
    return []


def _reachable_by_others(path: Path) -> Path | None:
    """The first folder above `path` that other accounts cannot traverse, or None."""
    for folder in reversed(path.parents):
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def check_learner_env(prefix: Path, course_root: Path, trainer_prefix: Path) -> list[str]:
    """The learners' environment: built apart, root's, runnable by every account, without the answer key."""
    build = f"en root : deploy/installer-apprenant.sh {prefix} {course_root} (ou mda hub environnement)"
    singleuser = prefix / "bin" / "jupyterhub-singleuser"
    if not singleuser.is_file():
        return [f"l'environnement des apprenants {prefix} n'est pas installé ({build})"]
    if _inside(prefix, course_root) or prefix.resolve() == trainer_prefix.resolve():
        return [f"l'environnement des apprenants {prefix} est celui du cours ou est dans le cours : les comptes des "
                f"apprenants ne doivent jamais l'utiliser ({build})"]
    problems = []
    unsafe = _unsafe_ancestor(prefix)
    if unsafe is not None:
        problems.append(f"l'environnement des apprenants : {unsafe} n'appartient pas à root ou peut être modifié par "
                        "d'autres comptes : un apprenant pourrait changer le code que lancent les autres")
    python = (prefix / "bin" / "python").resolve()
    closed = _reachable_by_others(python)
    if closed is not None:
        problems.append(f"l'environnement des apprenants lance {python}, dans {closed}, que les autres comptes ne "
                        "peuvent pas traverser : reconstruisez-le avec le Python du système (MDA_PYTHON_APPRENANT=/usr/bin/python3)")
    if _imports(prefix, "import mda_reference"):
        problems.append(f"l'environnement des apprenants {prefix} contient le corrigé (mda_reference) : reconstruisez-le "
                        f"({build})")
    if (prefix / "bin" / "mda").exists() or _imports(prefix, "import mda_checks"):
        problems.append(f"l'environnement des apprenants {prefix} contient les outils du formateur (mda_checks, la "
                        f"commande mda) : il ne doit contenir que le paquet des apprenants (apprenant/) ; reconstruisez-le "
                        f"({build})")
    if not _imports(prefix, "import mda_apprenant"):
        problems.append(f"l'environnement des apprenants {prefix} n'a pas le paquet des apprenants (mda_apprenant) : "
                        f"les carnets ne pourraient pas vérifier leurs réponses ; reconstruisez-le ({build})")
    return problems


def _imports(prefix: Path, statement: str) -> bool:
    """Whether the environment's Python runs an import `statement`, as a learner's server runs it (no PYTHONPATH)."""
    done = subprocess.run([str(prefix / "bin" / "python"), "-c", statement], cwd="/", capture_output=True,
                          env={"PATH": "/usr/bin:/bin"})
    return done.returncode == 0


def check_tls(cert: str, key: str) -> list[str]:
    if not cert and not key:
        return []
    if not (cert and key):
        return ["HTTPS demande le certificat et sa clé privée (--certificat et --cle)"]
    problems = [f"fichier introuvable : {path}" for path in (cert, key) if not Path(path).is_file()]
    if not problems and stat.S_IMODE(Path(key).stat().st_mode) & 0o077:
        problems.append(f"la clé privée {key} est lisible par d'autres comptes : chmod 600 {key}")
    return problems


def preflight(settings: HubSettings, exchange: Path, db_url: str) -> Preflight:
    """Every check of the module, problems and warnings in French."""
    from mda_checks.grade.sandbox.cgroups import kernel_cgroup, unavailable_reason

    found = Preflight()
    if os.geteuid() != 0:
        found.problems.append("mda hub se lance en root (il crée les comptes et lance le serveur de chaque apprenant "
                              "sous son compte) : sudo .venv/bin/mda hub …")
        return found
    root = Path(settings.course_root)
    found.problems += check_course_closed(root, settings.learners)
    found.problems += check_exchange(exchange, root)
    found.problems += check_gradebook(db_url, root)
    found.problems += check_learner_env(Path(settings.learner_prefix), root, Path(settings.trainer_bin).parent)
    found.problems += check_tls(settings.ssl_cert, settings.ssl_key)
    grader = check_grader(root, settings.course_owner, settings.learners, settings.trainers, db_url)
    found.problems += grader.problems
    found.warnings += grader.warnings
    if not Path(settings.proxy).is_file():
        found.problems.append(f"le proxy configurable-http-proxy est absent ({settings.proxy}) : make proxy (Node.js "
                              "et npm : apt-get install nodejs npm)")
    probe = kernel_cgroup(f"mda-noyau-hub-sonde-{os.getpid()}", settings.memory_bytes, settings.processes, settings.cpus)
    if probe is None:
        found.warnings.append("les serveurs des apprenants tourneront SANS limite de mémoire ni de processeur "
                              f"(groupes de contrôle indisponibles : {unavailable_reason()})")
    else:
        probe.remove()
    return found
