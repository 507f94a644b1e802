"""The shared gradebook (PostgreSQL) in a backup: ``pg_dump`` out, ``psql`` back in, into an empty database only.

``mda sauvegarde`` writes the whole database of MDA_GRADEBOOK_URL as plain SQL (``pg_dump --no-owner``:
schema and rows, nbgrader's schema version included), so that any PostgreSQL client can read it back.
``mda restauration`` loads it with ``psql`` in one transaction (all or nothing) into the database that
MDA_GRADEBOOK_URL names, and only when that database is **empty: it holds no table yet** (a database just
made by ``createdb``, before any ``mda`` or ``nbgrader`` command opened it). A database that already has
tables — another promotion, or nbgrader's empty tables after an ``mda build`` — is never written over:
the restoration stops before anything is changed, and says to create a new database.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

CLIENT = "apt-get install postgresql-client"


def libpq_url(url: str) -> str:
    """SQLAlchemy's « postgresql+psycopg://… » as PostgreSQL's own clients read it (« postgresql://… »)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def _run(command: list[str], what: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise ValueError(f"{command[0]} est introuvable : installez le client PostgreSQL ({CLIENT}) pour {what}") from None
    except subprocess.CalledProcessError as problem:
        raise ValueError(f"{command[0]} a échoué ({what}) : {problem.stderr.strip()[-300:]}") from None


def dump(url: str, target: Path) -> None:
    """The whole database as plain SQL (schema and rows) in `target`."""
    _run(["pg_dump", "--no-owner", "--no-privileges", "--file", str(target), libpq_url(url)],
         "sauvegarder le carnet de notes partagé")


def tables(url: str) -> list[str]:
    """The tables the database already holds (none: an empty database, ready for a restoration)."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return sorted(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def learners(url: str) -> int:
    """How many learners nbgrader's tables hold (0 when there are none, or no table at all)."""
    if "student" not in tables(url):
        return 0
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("select count(*) from student")).scalar_one())
    finally:
        engine.dispose()


def refuse_unless_empty(url: str) -> None:
    """ValueError (French) unless the database holds no table: a restoration never writes over one."""
    found = tables(url)
    if found:
        raise ValueError(
            f"restauration refusée : la base PostgreSQL de MDA_GRADEBOOK_URL n'est pas vide ({len(found)} table(s), "
            f"dont {', '.join(found[:4])}) ; une restauration n'écrit que dans une base neuve : créez-en une "
            "(createdb --owner=mda NOUVELLE_BASE), donnez son adresse à MDA_GRADEBOOK_URL, puis relancez avant "
            "toute autre commande ; rien n'a été restauré")


def load(url: str, source: Path) -> None:
    """Load a dump of `dump` into the (empty) database, in one transaction: all of it or nothing."""
    refuse_unless_empty(url)
    _run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set", "ON_ERROR_STOP=1",
          "--dbname", libpq_url(url), "--file", str(source)], "restaurer le carnet de notes partagé")
