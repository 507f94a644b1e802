"""Nothing a learner can import reveals an expected value or the code that computes it."""
import os
import subprocess
import sys

from mda_checks.grade.sandbox import LEARNER_RUNTIME
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


def test_a_learners_kernel_loads_only_the_learner_runtime_of_the_checks_package():
    """The check cells import answer kinds, messages and the hand-over; nothing of the trainer's tooling."""
    code = ("import mda_checks, sys\n"
            "print(sorted(m for m in sys.modules if m.startswith('mda_checks.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO / "release", capture_output=True, text=True)
    loaded = eval(done.stdout)  # a list of module names printed by the child
    runtime = {name.removesuffix(".py") for name in LEARNER_RUNTIME} - {"__init__"}  # what the sandbox binds
    assert loaded and all(m.split(".")[1] in runtime for m in loaded), loaded
    assert "grade" not in runtime and "casedata" not in runtime
