"""`mda carnet-mise-a-jour`: the gradebook's schema brought to the installed nbgrader's, in French.

nbgrader's own `nbgrader db upgrade` creates an empty SQLite file when there is none, then fails with an
alembic traceback on it (and on an empty PostgreSQL database): a gradebook is only upgraded here once it
holds nbgrader's tables (the first `mda build` writes them). A SQLite gradebook is copied first, dated,
beside itself; alembic's English log is kept for the failure message only.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy
from nbgrader.dbutil import write_alembic_ini

from mda_checks.course import Course

#: run `mda build` first: it writes nbgrader's tables with the installed schema
NOT_CREATED = ("lancez d'abord `mda build`, qui crée le carnet de notes avec le schéma de la version installée de "
               "nbgrader : il n'y a alors rien à mettre à jour")


@dataclass(frozen=True)
class Upgrade:
    before: str          # alembic revision before
    after: str           # … and after
    backup: Path | None  # the dated copy of a SQLite gradebook

    def lines(self) -> list[str]:
        saved = [f"Copie du carnet de notes d'avant la mise à jour : {self.backup}"] if self.backup else []
        if self.before == self.after:
            return [f"Carnet de notes déjà à jour (schéma de nbgrader, révision {self.after}) : rien n'a changé.",
                    *saved]
        return [f"Carnet de notes mis à jour : schéma de nbgrader de la révision {self.before} à la révision "
                f"{self.after} ; notes, apprenants et devoirs gardés.", *saved]


def _revision(db_url: str, where: str) -> str:
    """The schema's alembic revision; ValueError (French) for a database without nbgrader's tables."""
    engine = sqlalchemy.create_engine(db_url)
    try:
        tables = set(sqlalchemy.inspect(engine).get_table_names())
        if not {"alembic_version", "assignment"} <= tables:
            raise ValueError(f"le carnet de notes {where} est vide (aucune table de nbgrader) : {NOT_CREATED}")
        with engine.connect() as connection:
            return connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalar() or "?"
    except sqlalchemy.exc.DatabaseError as problem:  # not a database, or a server that cannot be reached
        detail = (str(problem.orig).strip().splitlines() or [""])[0]
        raise ValueError(f"le carnet de notes {where} ne peut pas être lu : ce n'est pas une base de données, ou le "
                         f"serveur ne répond pas (détail : {detail}) ; rien n'a été changé") from None
    finally:
        engine.dispose()


def _head() -> str:
    """The installed nbgrader's newest schema revision."""
    from mda_checks.nbgrader_api import schema_head

    return schema_head() or "?"


def upgrade_gradebook(course: Course, now: datetime | None = None) -> Upgrade:
    from mda_checks.nbgrader_api import course_directory

    db_url = course_directory(course.root).db_url
    backup, where = None, "(base du serveur)"
    path = None
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.split(":///", 1)[1])
        where = f"({path.name})"
        if not path.is_file():
            raise ValueError(f"aucun carnet de notes {where} dans ce cours : {NOT_CREATED}")
        if path.stat().st_size == 0:
            raise ValueError(f"le carnet de notes {where} est un fichier vide : supprimez-le, puis {NOT_CREATED}")
    before = _revision(db_url, where)
    if before == _head():
        return Upgrade(before, before, None)
    if path is not None:
        backup = path.with_name(f"{path.name}.avant-mise-a-jour-{(now or datetime.now()):%Y%m%d-%H%M%S}")
        shutil.copy2(path, backup)
    with tempfile.TemporaryDirectory(prefix="mda-alembic-") as folder:
        ini = Path(folder) / "alembic.ini"
        write_alembic_ini(str(ini), db_url)
        run = subprocess.run([str(Path(sys.executable).parent / "alembic"), "-c", str(ini), "upgrade", "head"],
                             capture_output=True, text=True)
    if run.returncode:
        last = (run.stderr.strip().splitlines() or ["(aucun message)"])[-1]
        kept = f"le carnet d'avant est gardé : {backup}" if backup else "rien n'a été validé"
        raise ValueError(f"la mise à jour du schéma a échoué (alembic : {last}) ; {kept}")
    return Upgrade(before, _revision(db_url, where), backup)
