"""The course's secret key, from which every learner's variant is derived.

It lives in the trainer's course folder (``.mda/cle_variantes``, git-ignored, mode 600), never
in release/ nor in a learner's copy; the grading sandbox hides the course folder from kernels.
Without it, nobody can tell which case a learner id gets. Losing it means the variants already
published can no longer be regenerated: grading then stops with a French message (digests).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from mda_checks.course import Course

FOLDER = ".mda"
NAME = "cle_variantes"


def secret_path(course: Course) -> Path:
    return course.root / FOLDER / NAME


def course_secret(course: Course, create: bool = False) -> bytes:
    """The secret key (created on first use when `create`); FileNotFoundError in French otherwise."""
    path = secret_path(course)
    if not path.is_file():
        if not create:
            raise FileNotFoundError(
                f"la clé des variantes du cours ({path.relative_to(course.root)}) est introuvable : sans elle, "
                "les données de chaque apprenant ne peuvent pas être régénérées (restaurez-la depuis la sauvegarde "
                "du cours, ou republiez les copies avec `mda release`)")
        path.parent.mkdir(mode=0o700, exist_ok=True)
        scratch = path.with_name(f".{NAME}.{os.getpid()}")
        handle = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:  # link, never overwrite: two processes creating it at once both keep the first key
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise ValueError(f"la clé des variantes ({path.relative_to(course.root)}) est illisible ou trop courte")
    return key
