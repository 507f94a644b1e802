"""The lock files (locks/py*.txt, `make lock`) cover pyproject.toml: they cannot go stale silently."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = sorted((ROOT / "locks").glob("py*.txt"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def local_distributions(pyproject: dict) -> dict[str, Path]:
    """Name → folder of the distributions this repository holds (``[tool.uv.sources]`` with a path: the learner
    runtime, apprenant/): installed from their folder, never locked."""
    sources = pyproject.get("tool", {}).get("uv", {}).get("sources", {})
    return {canonicalize_name(name): ROOT / source["path"] for name, source in sources.items() if "path" in source}


def declared(pyproject: dict) -> list[Requirement]:
    """Every requirement pyproject declares (the package's own and those of each extra), a local distribution
    replaced by its own requirements."""
    project = pyproject["project"]
    lines = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    local = local_distributions(pyproject)
    found = []
    for requirement in map(Requirement, lines):
        folder = local.get(canonicalize_name(requirement.name))
        if folder is None:
            found.append(requirement)
        else:
            inner = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
            found += [Requirement(line) for line in inner["project"]["dependencies"]]
    return found


def locked(text: str) -> dict[str, str]:
    """Name → version of every pin of a lock file; ValueError for a pin without a hash."""
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if not match:
            continue
        if "--hash=sha256:" not in block:
            raise ValueError(f"{match[1]} is pinned without a hash")
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def problems(requirements: list[Requirement], pins: dict[str, str]) -> list[str]:
    """What the lock lacks: a declared package absent, or locked at a version its bounds exclude."""
    found = []
    for requirement in requirements:
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"{requirement.name} is not locked")
        elif not requirement.specifier.contains(version, prereleases=True):
            found.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    return found


def test_a_lock_exists_for_the_python_of_ci():
    """CI runs Python 3.11: `make install` finds its lock."""
    assert ROOT / "locks" / "py3.11.txt" in LOCKS


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_each_lock_covers_every_declared_dependency(lock: Path):
    """Every package pyproject declares (with every extra) is pinned, with hashes, inside its bounds."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert problems(declared(pyproject), locked(lock.read_text(encoding="utf-8"))) == []


def test_the_learner_runtime_is_a_local_distribution_whose_requirements_are_locked():
    """mda-apprenant comes from apprenant/, never from an index: its own requirements count as declared."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert local_distributions(pyproject) == {"mda-apprenant": ROOT / "apprenant"}
    names = {canonicalize_name(r.name) for r in declared(pyproject)}
    assert "mda-apprenant" not in names and {"babel", "ipywidgets", "openpyxl"} <= names


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_each_lock_leaves_out_the_local_distributions(lock: Path):
    """A pin of the learner runtime would make pip look for it on an index (another package of that name)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(local_distributions(pyproject)) & set(locked(lock.read_text(encoding="utf-8"))) == set()
    assert set(local_distributions(pyproject)) & set(locked("mda-apprenant==0.1.0 \\\n    --hash=sha256:00\n")) \
        == {"mda-apprenant"}  # the same check sees such a pin


def test_a_missing_or_out_of_bounds_package_is_reported():
    """The check fails on a stale lock: a new dependency, a raised bound."""
    requirements = [Requirement("pandas>=2.2"), Requirement("rich>=14"), Requirement("bleach[css]>=6")]
    pins = {"pandas": "2.3.0", "rich": "13.9.4"}
    assert problems(requirements, pins) == ["rich==13.9.4 is outside >=14", "bleach is not locked"]


def test_names_are_compared_as_pip_does():
    """jupyter_client in pyproject is jupyter-client in the lock: one package."""
    assert problems([Requirement("jupyter_client>=8.6")], locked("jupyter-client==8.6.3 \\\n    --hash=sha256:ab\n")) == []


def test_a_pin_without_hash_is_refused():
    """`pip install --require-hashes` would refuse it: the check says so first."""
    with pytest.raises(ValueError, match="numpy"):
        locked("numpy==2.1.0\n    # via pandas\n")


def test_the_fallback_installs_every_extra():
    """Without a fitting lock, `make install` installs the same extras as the lock holds (--all-extras)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extras = re.search(r"^EXTRAS := (\S+)$", makefile, re.MULTILINE)
    assert extras and set(extras[1].split(",")) == set(pyproject["project"]["optional-dependencies"])


def left_out(overrides: str) -> set[str]:
    """Names the overrides file removes from the resolution (a marker that is never true)."""
    names = set()
    for line in overrides.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and 'sys_platform == "never"' in line:
            names.add(canonicalize_name(Requirement(line).name))
    return names


def test_the_overrides_leave_out_rfc3987_syntax_and_a_left_out_pin_would_be_seen():
    assert left_out((ROOT / "locks" / "overrides.txt").read_text(encoding="utf-8")) == {"rfc3987-syntax"}
    pinned = locked('rfc3987-syntax==1.1.0 \\\n    --hash=sha256:00\nlark==1.3.1 \\\n    --hash=sha256:01\n')
    assert left_out('rfc3987-syntax ; sys_platform == "never"\n') & set(pinned) == {"rfc3987-syntax"}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_each_lock_leaves_out_what_the_overrides_remove(lock: Path):
    """`make lock` reads locks/overrides.txt: a package it removes (rfc3987-syntax: 2,2 s of CPU in every process
    that imports nbformat, for a format no schema here uses) is never pinned, nor lark, which only it needs."""
    pins = locked(lock.read_text(encoding="utf-8"))
    assert left_out((ROOT / "locks" / "overrides.txt").read_text(encoding="utf-8")) & set(pins) == set()
    assert "lark" not in pins
