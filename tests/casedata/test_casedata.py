"""Case data: seeded, reproducible, and the committed CSV files are what the generator writes."""
import filecmp

import pytest

from mda_checks.assign.case_check import acceptor
from mda_checks.casedata import GENERATORS, MAX_ATTEMPTS, attempt_seed, generate_case, write_case
from tests.conftest import COURSE


@pytest.mark.parametrize("bloc", sorted(GENERATORS))
def test_committed_files_are_the_generators_output(bloc, tmp_path):
    written = write_case(bloc, tmp_path, accept=acceptor(COURSE, f"bloc{bloc}"))  # what `mda data` writes
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


def test_an_unfit_case_is_redrawn_from_another_stream_of_the_same_seed():
    seen = []

    def reject_first(frames):
        seen.append(frames)
        return ["slip equals the right answer"] if len(seen) == 1 else []

    frames = generate_case(3, seed=5, accept=reject_first)
    assert len(seen) == 2 and frames is seen[1]
    assert any(not seen[0][name].equals(frames[name]) for name in frames)
    seen.clear()
    again = generate_case(3, seed=5, accept=reject_first)
    assert all(again[name].equals(frames[name]) for name in frames)  # the same seed always yields the same case
    assert attempt_seed(5, 0) == 5 and len({attempt_seed(5, k) for k in range(MAX_ATTEMPTS)}) == MAX_ATTEMPTS


def test_a_seed_never_fit_is_an_error_not_a_silent_case():
    with pytest.raises(ValueError, match="aucun tirage"):
        generate_case(3, seed=5, accept=lambda frames: ["always unfit"])
