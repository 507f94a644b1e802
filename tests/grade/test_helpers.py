"""A trimmed course copied from the process's built one is what a fresh build of the same shape gives."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.grade.helpers import build_trimmed, trimmed_course


def _files(root: Path) -> dict[str, bytes]:
    """Every file but the gradebook (compared by its content, below) and Python caches, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "gradebook.db" and "__pycache__" not in p.parts}


def _gradebook(root: Path) -> list[str]:
    """Its SQL dump, each random row id (a fresh build draws new ones) named by its order of appearance."""
    with sqlite3.connect(root / "gradebook.db") as db:
        dump = "\n".join(db.iterdump())
        tables = [row[0] for row in db.execute("select name from sqlite_master where type = 'table'")]
        row_ids = {str(row[0]) for table in tables
                   if "id" in [c[1] for c in db.execute(f'pragma table_info("{table}")')]
                   for row in db.execute(f'select id from "{table}"')}
    assert row_ids  # not vacuous: the build wrote rows
    ids: dict[str, str] = {}
    pattern = re.compile("|".join(re.escape(i) for i in sorted(row_ids, key=len, reverse=True)))
    return pattern.sub(lambda m: ids.setdefault(m[0], f"id{len(ids)}"), dump).splitlines()


def test_a_copied_trimmed_course_equals_a_fresh_build_and_names_no_other_folder(tmp_path):
    first, second = trimmed_course("copie-a"), trimmed_course("copie-b")  # bloc1, first notebook
    fresh = build_trimmed(tmp_path / "neuf", "bloc1", keep=1)
    assert first.root != second.root and not first.root.is_relative_to(second.root)
    assert [p.stem for p in first.source_notebooks("bloc1")] == [p.stem for p in fresh.source_notebooks("bloc1")]
    assert len(first.source_notebooks("bloc1")) == 1 and first.assignments() == ["bloc1"]
    ours, theirs = _files(first.root), _files(fresh.root)
    assert set(ours) == set(theirs) and [k for k in ours if ours[k] != theirs[k]] == []
    assert _gradebook(first.root) == _gradebook(fresh.root)
    # nothing in a copy points at the built course it came from, or at another copy
    for path, data in _files(second.root).items():
        assert str(first.root).encode() not in data and b"mda-gabarit-" not in data, path
    (first.root / "source" / "bloc1" / "trace.txt").write_text("x", encoding="utf-8")
    assert not (second.root / "source" / "bloc1" / "trace.txt").exists()  # each caller owns its copy


def test_the_comparison_sees_a_changed_file_and_a_changed_cell_of_the_gradebook():
    """The check above can fail: one changed byte of a released notebook, one changed point in the gradebook."""
    changed, witness = trimmed_course("modifie"), trimmed_course("temoin")
    assert _files(changed.root) == _files(witness.root) and _gradebook(changed.root) == _gradebook(witness.root)
    released = sorted((changed.release / "bloc1").glob("*.ipynb"))[0]
    released.write_bytes(released.read_bytes() + b" ")
    assert _files(changed.root) != _files(witness.root)
    with sqlite3.connect(changed.root / "gradebook.db") as db:
        assert db.execute("update grade_cells set max_score = max_score + 1").rowcount > 0
    assert _gradebook(changed.root) != _gradebook(witness.root)
