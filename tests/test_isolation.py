"""Nothing a learner can import reveals an expected value or the code that computes it."""
import os
import subprocess
import sys

from tests.conftest import REPO


def test_reference_is_not_importable_from_a_learners_environment():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", "import mda_checks\nimport mda_reference"],
        cwd=REPO / "release", env=env, capture_output=True, text=True,
    )
    assert done.returncode == 1 and "No module named 'mda_reference'" in done.stderr


def test_learners_package_never_imports_the_reference_statically():
    offenders = [
        p.name for p in (REPO / "mda_checks").rglob("*.py")
        if "import mda_reference" in p.read_text(encoding="utf-8")
        or "from mda_reference" in p.read_text(encoding="utf-8")
    ]
    assert not offenders
