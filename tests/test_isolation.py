"""Nothing a learner can import reveals an expected value or the code that computes it."""
import ast
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_reference_is_not_importable_from_a_learners_environment():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", "import mda_apprenant\nimport mda_reference"],
        cwd=REPO / "release", env=env, capture_output=True, text=True,
    )
    assert done.returncode == 1 and "No module named 'mda_reference'" in done.stderr


def _imported_modules(path: Path) -> set[str]:
    """Every module an import statement of `path` names (code only: a string that says « import » is not one)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_learners_package_never_imports_the_reference_statically():
    offenders = [p.relative_to(REPO).as_posix() for p in [*(REPO / "mda_checks").rglob("*.py"),
                                                          *(REPO / "apprenant").rglob("*.py")]
                 if any(name.split(".")[0] == "mda_reference" for name in _imported_modules(p))]
    assert not offenders


def test_the_static_import_check_sees_an_import_and_not_a_string(tmp_path):
    """The check above fails on a real import, however it is written, and ignores the words in a string."""
    importing = tmp_path / "importing.py"
    importing.write_text("def f():\n    from mda_reference.bloc1 import budget\n", encoding="utf-8")
    quoting = tmp_path / "quoting.py"
    quoting.write_text('CODE = "import mda_reference"\n', encoding="utf-8")
    assert "mda_reference.bloc1" in _imported_modules(importing)
    assert not any(n.startswith("mda_reference") for n in _imported_modules(quoting))


def test_a_learners_kernel_loads_only_the_learner_runtime():
    """The check cells import answer kinds, messages and the hand-over; nothing of the trainer's tooling."""
    code = ("import mda_apprenant, mda_apprenant.widgets, sys\n"
            "print(sorted(m for m in sys.modules if m.startswith('mda_')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO / "release", capture_output=True, text=True)
    loaded = eval(done.stdout)  # a list of module names printed by the child
    assert "mda_apprenant.check.handover" in loaded and "mda_apprenant.widgets" in loaded, loaded
    assert [m for m in loaded if m.split(".")[0] != "mda_apprenant"] == []
