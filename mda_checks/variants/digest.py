"""The digest of a case's data files: what `mda release` and `mda entreprise` record, and grading checks."""
from __future__ import annotations

import hashlib
from pathlib import Path


def data_digest(folder: Path) -> str:
    """SHA-256 of a case folder's CSV files, names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
