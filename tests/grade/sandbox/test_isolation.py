"""The kernel sandbox: its allow-list, and the limits it enforces (bubblewrap, a user per kernel, prlimit, timeout)."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

from mda_checks.grade.sandbox import cgroups
from mda_checks.grade.sandbox import isolation as sandbox_module
from mda_checks.grade.sandbox.janitor import mounts_below, remove_tree
from mda_checks.grade.sandbox.isolation import (
    BWRAP, BWRAP_USER, FIRST_KERNEL_UID, MERGED_USR, NONE, SYSTEM_FILES, SYSTEM_TREES, Mounts, checks_package,
    detected_sandbox, learner_package, mount_arguments, python_paths,
)
from mda_checks.grade.sandbox.sandboxed_kernel import SandboxedKernelManager
from tests.conftest import REPO, skip_missing_tool
from tests.grade.helpers import another_copy_place

pytestmark = pytest.mark.xdist_group("sandbox")


@cache
def sandbox():
    return detected_sandbox(REPO)


def _sources(arguments: list[str]) -> list[Path]:
    """The machine paths a bwrap command line shows to the kernel (sources of its binds)."""
    return [Path(arguments[i + 1]) for i, a in enumerate(arguments) if a in ("--bind", "--ro-bind")]


def test_the_kernel_is_shown_only_its_allow_list_of_the_machine():
    arguments = mount_arguments(None, 1024).arguments
    allowed = [*map(Path, SYSTEM_TREES + MERGED_USR + SYSTEM_FILES), *python_paths(), learner_package()]
    assert "/" not in [str(p) for p in _sources(arguments)]  # no `--ro-bind / /` any more
    assert set(_sources(arguments)) <= set(allowed), set(_sources(arguments)) - set(allowed)
    for machine in ("/home", "/root", "/srv", "/opt", "/var", "/run", "/etc", str(REPO)):
        assert Path(machine) not in _sources(arguments), machine
    assert ["--perms", "1777", "--size", "1024", "--tmpfs", "/tmp"] == arguments[arguments.index("--perms"):][:6]


def test_every_folder_on_the_way_to_a_mount_is_made_crossable_before_it():
    """bwrap makes missing folders 0700: a kernel of another user could not cross them (TMPDIR of any mode)."""
    mounts = Mounts()
    mounts.bind(Path("/a/b/c"), writable=True)
    mounts.bind(Path("/a/b/d"))
    assert mounts.arguments == ["--dir", "/a", "--dir", "/a/b", "--bind", "/a/b/c", "/a/b/c",
                                "--ro-bind", "/a/b/d", "/a/b/d"]


def test_a_course_inside_an_exposed_tree_is_masked_and_one_outside_needs_nothing(tmp_path):
    environment, elsewhere = tmp_path / "env", tmp_path / "ailleurs"
    for folder in (environment / "cours", environment / "lib", elsewhere):
        folder.mkdir(parents=True)
    (environment / "cle.db").write_bytes(b"")
    mounts = Mounts()
    mounts.bind(environment)
    for path in (environment / "cours", environment / "cle.db", elsewhere):
        mounts.mask(path)
    assert mounts.arguments[-5:] == ["--tmpfs", str(environment / "cours"), "--ro-bind", "/dev/null",
                                     str(environment / "cle.db")]


@pytest.mark.parametrize("learner", ["site-packages", "editable"])
def test_the_trainer_package_installed_in_the_environment_is_masked_whole_and_the_learner_package_shown(
        tmp_path, monkeypatch, learner):
    """Installed in site-packages (not editable), mda_checks lies in an exposed tree: masked whole, nothing of it
    bound again. The learner runtime is bound where it is installed: in site-packages or in a clone (editable)."""
    environment = tmp_path / "env"
    site = environment / "lib" / "site-packages"
    package = site / "mda_checks"
    runtime = site / "mda_apprenant" if learner == "site-packages" else tmp_path / "clone" / "apprenant" / "mda_apprenant"
    for folder in (package / "grade", runtime / "check"):
        folder.mkdir(parents=True)
    for path in (package / "__init__.py", package / "cli.py", runtime / "__init__.py"):
        path.write_text("", encoding="utf-8")
    monkeypatch.setattr(sandbox_module, "python_paths", lambda: [environment])
    monkeypatch.setattr(sandbox_module, "checks_package", lambda: package)
    monkeypatch.setattr(sandbox_module, "learner_package", lambda: runtime)
    arguments = mount_arguments(None, 1024).arguments
    masked = arguments.index("--tmpfs", arguments.index(str(environment)))
    assert arguments[masked + 1] == str(package)
    shown = [Path(p) for p in _sources(arguments[masked:])]
    assert shown == [runtime]
    assert not [p for p in _sources(arguments) if p == package or package in p.parents]


def test_the_rule_above_fails_if_the_trainer_package_were_bound(tmp_path, monkeypatch):
    """The same assertions on a package « learner runtime » that is in fact the trainer's: seen at once."""
    site = tmp_path / "env" / "lib" / "site-packages"
    package = site / "mda_checks"
    (package / "grade").mkdir(parents=True)
    monkeypatch.setattr(sandbox_module, "python_paths", lambda: [tmp_path / "env"])
    monkeypatch.setattr(sandbox_module, "checks_package", lambda: package)
    monkeypatch.setattr(sandbox_module, "learner_package", lambda: package)
    arguments = mount_arguments(None, 1024).arguments
    assert [p for p in _sources(arguments) if p == package or package in p.parents] == [package]


def test_the_learner_package_is_the_installed_mda_apprenant():
    import mda_apprenant

    assert learner_package() == Path(mda_apprenant.__file__).resolve().parent
    assert learner_package() != checks_package() and (learner_package() / "check" / "handover.py").is_file()


def _mode_or_skip(mode: str | None) -> str:
    detected = sandbox().mode
    if detected == NONE and shutil.which("bwrap") is None:
        skip_missing_tool(f"bubblewrap absent de cette machine : {sandbox().problem}.")
    if detected == NONE:
        pytest.skip(f"bubblewrap indisponible sur cette machine : {sandbox().problem}")
    if mode == BWRAP_USER and detected != BWRAP_USER:
        pytest.skip("un utilisateur par noyau : il faut root")
    return mode or detected


def _run(cells: list[str], folder: Path, notebook_seconds: int = 60, cell_timeout: int = 20, mode: str | None = None,
         manager=SandboxedKernelManager, **limits):
    """Execute code cells in a sandboxed kernel started in `folder`; return (notebook, exception, seconds)."""
    config = Config()
    config.SandboxedKernelManager.mode = _mode_or_skip(mode)
    config.SandboxedKernelManager.course_root = str(REPO)
    config.SandboxedKernelManager.notebook_seconds = notebook_seconds
    for name, value in limits.items():
        config.SandboxedKernelManager[name] = value
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            interrupt_on_timeout=True, config=config, kernel_manager_class=manager,
                            resources={"metadata": {"path": str(folder)}})
    start, problem = time.perf_counter(), None
    try:
        client.execute()
    except Exception as exc:  # noqa: BLE001 - the test asserts on whatever was raised
        problem = exc
    return notebook, problem, time.perf_counter() - start


def _outputs(cell):
    return " ".join(o.get("text", "") or f"{o.get('ename', '')} {o.get('evalue', '')}" or
                    str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def _notebook_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "autograded" / "x" / "bloc1"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "ventes.csv").write_text("mois,ca\n1,10\n", encoding="utf-8")
    (folder / "01_carnet.ipynb").write_text("{}", encoding="utf-8")
    return folder


def test_no_network_no_gradebook_no_key_read_only_machine_and_a_memory_ceiling(tmp_path):
    folder = _notebook_folder(tmp_path)
    notebook, problem, _ = _run([
        "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)",
        f"open({str(REPO / 'gradebook.db')!r}, 'rb').read(16)",
        f"open({str(REPO / 'mda_reference' / 'pirate.py')!r}, 'w')",
        f"import os\nprint(sorted(os.listdir({str(REPO / 'mda_reference')!r})))",
        "import mda_checks.casedata",
        "import mda_apprenant, mda_apprenant.check.handover\nprint('checks ok')",
        f"open({str(checks_package() / '__init__.py')!r}).read()",
        "x = bytearray(64 * 1024 ** 3)",
        "import os\nprint('uid', os.getuid())",
    ], folder)
    assert problem is None
    network, gradebook, write, listing, tooling, runtime, trainer, memory, user = (_outputs(c) for c in notebook.cells)
    assert "Error" in network, network
    assert "FileNotFoundError" in gradebook or "PermissionError" in gradebook, gradebook
    assert "FileNotFoundError" in write or "Read-only" in write or "PermissionError" in write, write
    assert "FileNotFoundError" in listing, listing
    assert "ModuleNotFoundError" in tooling, tooling
    assert "checks ok" in runtime, runtime
    assert "FileNotFoundError" in trainer, trainer  # the trainer's package: neither importable nor readable
    assert "MemoryError" in memory, memory
    if sandbox().mode == BWRAP_USER:  # a user of its own, never root nor a shared account
        assert int(user.split()[1]) >= FIRST_KERNEL_UID, user
    assert not (REPO / "mda_reference" / "pirate.py").exists()


@pytest.fixture
def elsewhere():
    """Another copy of the course's files where a trainer could keep one, with a Unix socket listening in it;
    removed afterwards."""
    folder, server = another_copy_place()
    (folder / "mda_reference").mkdir()
    (folder / "mda_reference" / "corrige.py").write_text("REPONSE = 42\n", encoding="utf-8")
    yield folder, server
    server.close()
    shutil.rmtree(folder, ignore_errors=True)


SEES = """
import os, socket
vus = {}
for chemin in CHEMINS:
    try:
        vus[chemin] = sorted(os.listdir(chemin))
    except Exception as exc:
        vus[chemin] = type(exc).__name__
try:
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(SOCKET)
    vus["socket"] = "connecté"
except Exception as exc:
    vus["socket"] = type(exc).__name__
print("VUS=" + repr(vus))
"""


@pytest.mark.parametrize("mode", [BWRAP_USER, BWRAP])
def test_the_kernel_sees_nothing_of_the_machine_outside_its_allow_list(tmp_path, elsewhere, mode):
    """Home folders, /srv, /opt, /var, /run, another copy of the course, a Unix socket: out of sight, in both modes."""
    copy, server = elsewhere
    looked_at = ["/home", "/srv", "/opt", "/var", "/var/lib", "/run", "/etc", "/root", str(copy),
                 str(copy / "mda_reference"), str(REPO), str(Path(tempfile.gettempdir()))]
    code = SEES.replace("CHEMINS", repr(looked_at)).replace("SOCKET", repr(str(copy / "controle.sock")))
    notebook, problem, _ = _run([code], _notebook_folder(tmp_path), mode=mode)
    assert problem is None
    seen = eval(_outputs(notebook.cells[0]).split("VUS=", 1)[1])  # the dict the kernel printed
    for path in ("/home", "/srv", "/opt", "/var", "/var/lib", "/run", str(copy), str(copy / "mda_reference")):
        assert seen[path] == "FileNotFoundError", (path, seen[path])
    assert seen["socket"] == "FileNotFoundError", seen["socket"]
    assert "passwd" in seen["/etc"] and set(seen["/etc"]) <= {"fonts", "group", "ld.so.cache", "localtime", "passwd"}
    python_root = [p.parts[2] for p in python_paths() if len(p.parts) > 2 and p.parts[1] == "root"]
    assert seen["/root"] == "FileNotFoundError" or seen["/root"] == sorted(set(python_root)), seen["/root"]
    # no source/, mda_reference/, gradebook, nor the trainer's package mda_checks/: the learner runtime (editable)
    assert set(seen[str(REPO)]) <= {".venv", "apprenant"}, seen[str(REPO)]
    with pytest.raises(BlockingIOError):
        server.accept()  # nobody knocked


def test_of_usr_only_the_systems_folders_are_shown_and_a_course_among_them_is_masked(tmp_path):
    """/usr/local, /usr/src and any other folder are masked; a course two levels down in /usr/share too."""
    usr = tmp_path / "usr"
    for folder in ("bin", "lib/python3", "share/fonts", "share/doc/paquet", "share/cours", "share/doc/cours2",
                   "share/a/b/trop-profond", "local/lib", "src/linux", "cours-ici"):
        (usr / folder).mkdir(parents=True)
    (usr / "share/cours/nbgrader_config.py").write_text("", encoding="utf-8")
    (usr / "share/doc/cours2/nbgrader_config.py").write_text("", encoding="utf-8")
    (usr / "share/doc/pas-un-cours/mda_reference").mkdir(parents=True)  # no configuration: not a course
    (usr / "share/a/b/trop-profond/nbgrader_config.py").write_text("", encoding="utf-8")
    masked = sandbox_module.usr_masked(usr)
    assert set(masked) == {usr / "cours-ici", usr / "local", usr / "src", usr / "share/cours", usr / "share/doc/cours2"}


def test_a_folder_bearing_a_hidden_name_is_masked_under_usr_and_in_the_python_trees(tmp_path):
    """The answer key's package copied alone (no course around it) is masked by its name, down to three levels
    under /usr's system folders and among the shown Pythons' packages; other folders of the same places are not."""
    usr = tmp_path / "usr"
    for folder in ("share/mda_reference", "share/doc/paquet/mda_reference", "lib/python3/dist-packages/mda_reference",
                   "share/doc/autre", "lib/python3/dist-packages/pandas"):
        (usr / folder).mkdir(parents=True)
    (usr / "share/doc/lien").symlink_to(usr / "share/mda_reference")  # a link is never followed nor masked
    hidden = ("mda_reference",)
    assert set(sandbox_module.usr_masked(usr, hidden)) == {
        usr / "share/mda_reference", usr / "share/doc/paquet/mda_reference", usr / "lib/python3/dist-packages/mda_reference"}
    assert sandbox_module.usr_masked(usr) == ()
    python = tmp_path / "python"
    for folder in ("lib/python3.11/site-packages/mda_reference", "lib/python3.11/site-packages/numpy"):
        (python / folder).mkdir(parents=True)
    assert sandbox_module.python_masked([python], hidden) == [python / "lib/python3.11/site-packages/mda_reference"]
    assert sandbox_module.python_masked([python], ()) == []


def test_the_kernels_hide_the_reference_package_by_the_name_the_scoring_room_imports():
    from mda_checks.scoring.reference import REFERENCE_PACKAGE

    assert SandboxedKernelManager().hidden_names == [REFERENCE_PACKAGE]


def test_a_python_under_usr_local_is_shown_on_top_of_its_mask():
    mounts = Mounts()
    mounts.bind(Path("/usr"))
    mounts.mask(Path("/usr/local"))
    assert mounts.shows(Path("/usr/share/fonts")) and not mounts.shows(Path("/usr/local/lib/python3.11"))
    mounts.bind(Path("/usr/local/lib/python3.11"))
    assert mounts.shows(Path("/usr/local/lib/python3.11/os.py")) and not mounts.shows(Path("/usr/local/src"))


@pytest.fixture
def course_under_usr():
    """A copy of the course under /usr/local, another one in /usr/share, each with a secret, and the answer key's
    package copied alone (no configuration) in /usr/share; removed afterwards."""
    planted = []
    for parent, course in (("/usr/local", True), ("/usr/share", True), ("/usr/share", False)):
        try:
            folder = Path(tempfile.mkdtemp(prefix="mda-cours-", dir=parent))
        except OSError:
            pytest.skip(f"impossible d'écrire dans {parent}")
        os.chmod(folder, 0o755)
        if course:
            (folder / "nbgrader_config.py").write_text("# config\n", encoding="utf-8")
        (folder / "mda_reference").mkdir(mode=0o755)
        (folder / "mda_reference" / "corrige.py").write_text("SECRET = 'CORRIGE-SOUS-USR'\n", encoding="utf-8")
        os.chmod(folder / "mda_reference" / "corrige.py", 0o644)
        planted.append(folder)
    sandbox_module.usr_masked.cache_clear()
    yield planted
    for folder in planted:
        shutil.rmtree(folder, ignore_errors=True)
    sandbox_module.usr_masked.cache_clear()


READS_SECRETS = """
vus = {}
for chemin in CHEMINS:
    try:
        vus[chemin] = open(chemin + "/mda_reference/corrige.py").read().strip()
    except Exception as exc:
        vus[chemin] = type(exc).__name__
print("VUS=" + repr(vus))
"""


def test_a_course_kept_under_usr_is_out_of_the_kernels_reach(tmp_path, course_under_usr, monkeypatch):
    """Under /usr/local and in /usr/share, with or without its course: not readable; without the /usr rule, the
    same kernel reads all three."""
    code = READS_SECRETS.replace("CHEMINS", repr([str(p) for p in course_under_usr]))
    notebook, problem, _ = _run([code], _notebook_folder(tmp_path / "regle"))
    assert problem is None
    seen = eval(_outputs(notebook.cells[0]).split("VUS=", 1)[1])
    assert set(seen.values()) == {"FileNotFoundError"}, seen
    monkeypatch.setattr(sandbox_module, "usr_masked", lambda **_: ())  # the rule off: the probe does see them
    notebook, problem, _ = _run([code], _notebook_folder(tmp_path / "sans-regle"))
    seen = eval(_outputs(notebook.cells[0]).split("VUS=", 1)[1])
    assert set(seen.values()) == {"SECRET = 'CORRIGE-SOUS-USR'"}, seen


def test_the_kernel_works_in_a_copy_and_never_writes_where_the_graded_notebooks_are(tmp_path):
    folder = _notebook_folder(tmp_path)
    notebook, problem, _ = _run([
        "import os\nprint(sorted(os.listdir('.')), sorted(os.listdir('data')))",
        "print(open('data/ventes.csv').read().splitlines()[0])",
        "open('data/ventes.csv', 'w')",
        "open('01_carnet.ipynb', 'w').write('pirate')\nos.symlink('/etc/passwd', 'lien')\nopen('export.xlsx', 'w').write('x')",
        "print(sorted(os.listdir('.')))",
        "open('../pirate.txt', 'w')",
    ], folder)
    assert problem is None
    listing, header, overwrite, write, after, parent = (_outputs(c) for c in notebook.cells)
    assert "['data'] ['ventes.csv']" in listing, listing  # the notebooks are not there
    assert "mois,ca" in header
    assert "PermissionError" in overwrite or "Read-only" in overwrite, overwrite
    assert "01_carnet.ipynb" in after and "export.xlsx" in after  # the kernel may write its own folder …
    assert "PermissionError" in parent or "Read-only" in parent, parent  # … and nowhere around it
    assert (folder / "01_carnet.ipynb").read_text() == "{}"  # … which is a throw-away copy
    assert sorted(p.name for p in folder.iterdir()) == ["01_carnet.ipynb", "data"]
    assert not list(Path("/tmp").glob("mda-noyau-*/travail/export.xlsx"))  # deleted with the kernel


@pytest.mark.parametrize("mode", [0o700, 0o755, 0o1777], ids=["700", "755", "1777"])
@pytest.mark.parametrize("where", ["sous-tmp", "hors-tmp"])
def test_grading_works_whatever_the_mode_and_place_of_tmpdir(monkeypatch, mode, where):
    """The kernel's folders, the course and a Python environment live under TMPDIR (a checkout made
    there): its mode and place never matter. (Once, a TMPDIR of mode 755 holding the environment was
    shown whole, read-only, and the kernel could not cross the grader's private folders in it.)"""
    parent = Path("/var/tmp") if where == "hors-tmp" else Path("/tmp")
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        pytest.skip(f"{parent} n'est pas accessible en écriture")
    folder = Path(tempfile.mkdtemp(prefix="mda-tmpdir-", dir=parent))
    try:
        os.chmod(folder, mode)
        (folder / "env" / "lib").mkdir(parents=True, mode=0o755)
        monkeypatch.setattr(sandbox_module, "python_paths", lambda paths=python_paths(): [*paths, folder / "env"])  # noqa: B008 - the paths before the patch
        scratch = tempfile.mkdtemp(prefix="mda-cohorte-", dir=folder)  # mode 0700, as `mda grade` makes it
        monkeypatch.setattr(tempfile, "tempdir", scratch)
        notebook, problem, _ = _run(["print(open('data/ventes.csv').read().splitlines()[0])",
                                     "open('sortie.txt', 'w').write('ok')\nprint(open('sortie.txt').read())"],
                                    _notebook_folder(folder))
        assert problem is None, problem
        assert "mois,ca" in _outputs(notebook.cells[0]) and "ok" in _outputs(notebook.cells[1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_tmpdir_too_deep_for_unix_sockets_still_grades(tmp_path, monkeypatch):
    """The kernel's IPC sockets need a short path (107 bytes): its folders then go to /tmp."""
    deep = tmp_path / ("dossier-temporaire-tres-profond-" * 3)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    notebook, problem, _ = _run(["print('bonjour')"], _notebook_folder(tmp_path))
    assert problem is None, problem
    assert "bonjour" in _outputs(notebook.cells[0])


def test_the_wall_clock_limit_stops_a_notebook_whose_cells_stay_under_their_own_timeout(tmp_path, monkeypatch):
    own = Path(tempfile.mkdtemp(prefix="mda-horloge-", dir="/tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    try:
        notebook, problem, _ = _run(["import time\ntime.sleep(10)"] * 10, _notebook_folder(tmp_path),
                                    notebook_seconds=6, cell_timeout=30)
        # every cell stays under its own 30 s: only the notebook's 6 s can have stopped the kernel, before the end
        assert isinstance(problem, DeadKernelError), problem
        assert notebook.cells[-1].get("execution_count") is None
        # the dead kernel's private folder and its quota are gone all the same
        assert not list(own.glob("mda-noyau-*")) and not mounts_below(own)
    finally:
        remove_tree(own)


def test_an_endless_cell_is_interrupted_and_the_kernel_goes_on(tmp_path):
    notebook, problem, _ = _run(["while True:\n    pass", "print('encore là')"], _notebook_folder(tmp_path),
                                cell_timeout=3)
    assert problem is None
    assert "KeyboardInterrupt" in _outputs(notebook.cells[0]) or "CellTimeoutError" in _outputs(notebook.cells[0])
    assert "encore là" in _outputs(notebook.cells[1])


def _needs_cgroups():
    if sandbox().mode != BWRAP_USER:
        pytest.skip("limites par noyau : il faut root (utilisateur propre à chaque noyau)")
    probe = cgroups.kernel_cgroup("sonde-test", 64 * 1024 ** 2, 16)
    if probe is None:
        pytest.skip(f"groupes de contrôle indisponibles : {cgroups.unavailable_reason()}")
    probe.remove()


BOMB = """
import os, time
for _ in range(2000):
    try:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
    except OSError:
        pass
time.sleep(15)
"""
HONEST = "import subprocess\nprint('lancés', sum(subprocess.run(['true']).returncode == 0 for _ in range(20)))"


def test_a_fork_bomb_in_one_kernel_leaves_the_kernel_beside_it_untouched(tmp_path):
    """Each kernel has its own user and control group: a bomb exhausts its own processes only."""
    _needs_cgroups()
    results = {}
    bomb = threading.Thread(target=lambda: results.setdefault(
        "bombe", _run([BOMB], _notebook_folder(tmp_path / "a"), cell_timeout=40, processes=64)))
    bomb.start()
    time.sleep(3)  # the bomb is (most likely) at its ceiling by now; the test holds either way
    honest, problem, _ = _run(["import pandas", HONEST], _notebook_folder(tmp_path / "b"), processes=64)
    bomb.join()
    assert problem is None and "lancés 20" in _outputs(honest.cells[1]), _outputs(honest.cells[1])


def test_memory_is_capped_for_all_the_processes_of_a_kernel_and_its_tmp(tmp_path):
    _needs_cgroups()
    notebook, problem, _ = _run([
        # three children each hold 450 MiB at the same time (15 s), whatever the machine's speed
        "import os, time\n"
        "pids = []\n"
        "for _ in range(3):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        x = bytearray(450 * 1024 ** 2)\n        x[::4096] = b'1' * len(x[::4096])\n"
        "        time.sleep(15)\n        os._exit(0)\n"
        "    pids.append(pid)\n"
        "print('codes', [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids])",
        "open('/tmp/gros', 'wb').write(b'0' * 200 * 1024 ** 2)",
    ], _notebook_folder(tmp_path), cell_timeout=90, memory_bytes=1024 ** 3, tmp_bytes=64 * 1024 ** 2)
    assert problem is None
    children, tmp = _outputs(notebook.cells[0]), _outputs(notebook.cells[1])
    codes = eval(children.split("codes", 1)[1])  # the exit codes printed by the kernel
    # each child fits its own address space; together (1.3 GiB) they exceed the group: one is killed
    assert any(code == -9 for code in codes), children
    assert "No space left" in tmp or "OSError" in tmp, tmp


def test_a_kernel_gets_at_most_its_share_of_the_processors(tmp_path):
    """Four busy processes for 3 s of wall time: on 2 quiet cores they would use about 6 s of CPU; capped at one."""
    _needs_cgroups()
    notebook, problem, _ = _run([
        "import os, time\n"
        "for i in range(4):\n"
        "    if os.fork() == 0:\n"
        "        fin = time.monotonic() + 3\n"
        "        while time.monotonic() < fin:\n            pass\n"
        "        open(f'cpu{i}', 'w').write(str(time.process_time()))\n"
        "        os._exit(0)\n"
        "for _ in range(4):\n    os.wait()\n"
        "print('cpu', round(sum(float(open(f'cpu{i}').read()) for i in range(4)), 2))",
    ], _notebook_folder(tmp_path), cpus=1.0)
    assert problem is None
    used = float(_outputs(notebook.cells[0]).split("cpu", 1)[1])
    assert used < 3.6, used  # one core for 3 s (+20 %: quota periods); unlimited on 2 cores: about 6 s


def test_private_folders_left_by_a_killed_grading_process_are_swept(tmp_path):
    from mda_checks.grade.sandbox.sandboxed_kernel import sweep_stale_private_folders

    old, fresh, other = tmp_path / "mda-noyau-ancien", tmp_path / "mda-noyau-recent", tmp_path / "autre-ancien"
    for folder in (old, fresh, other):
        (folder / "travail").mkdir(parents=True)
    long_ago = time.time() - 3 * 600
    for folder in (old, other):
        os.utime(folder, (long_ago, long_ago))
    sweep_stale_private_folders(tmp_path, older_than=2 * 600)
    assert not old.exists() and fresh.exists() and other.exists()  # only stale kernel folders go
