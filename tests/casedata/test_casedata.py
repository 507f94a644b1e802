"""Case data: seeded, reproducible, and the committed CSV files are what the generator writes."""
import filecmp

import pytest

from mda_checks.casedata import GENERATORS, generate_case, write_case
from tests.conftest import COURSE


@pytest.mark.parametrize("bloc", sorted(GENERATORS))
def test_committed_files_are_the_generators_output(bloc, tmp_path):
    written = write_case(bloc, tmp_path)
    committed = COURSE.source / f"bloc{bloc}" / "data"
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in committed.glob("*.csv"))
    mismatch = filecmp.cmpfiles(tmp_path, committed, names, shallow=False)[1]
    assert not mismatch, f"regenerate with `mda data bloc{bloc}`: {mismatch}"


@pytest.mark.parametrize("bloc", sorted(GENERATORS))
def test_another_seed_gives_another_variant(bloc):
    a, b = generate_case(bloc, seed=1), generate_case(bloc, seed=2)
    assert a.keys() == b.keys()
    assert any(not a[name].equals(b[name]) for name in a)
