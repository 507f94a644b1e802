"""The variants' building blocks: the course key, seeds and names, the registry, the learner's case."""
from __future__ import annotations

import multiprocessing
import shutil
import stat
from pathlib import Path

import pytest

from mda_checks.course import Course
from mda_checks.variants import registry, secret
from mda_checks.grade.preprocessors.use_learner_case import UseLearnerCase
from mda_checks.variants.draw import draw_variant
from mda_checks.variants.learner_case import COMMON, VariantMismatch, data_digest, frames_digest, learner_case
from mda_checks.variants.registry import VariantRecord, find_record, read_registry, record_variants
from mda_checks.variants.seeds import variant_name, variant_seed
from tests.conftest import REPO, copy_course

KEY = bytes(range(32))


def test_a_seed_depends_on_the_key_the_learner_and_the_assignment():
    seeds = {variant_seed(key, student, assignment)
             for key in (KEY, KEY[::-1]) for student in ("alice", "bob") for assignment in ("bloc1", "bloc2")}
    assert len(seeds) == 8
    assert variant_seed(KEY, "alice", "bloc1") == variant_seed(KEY, "alice", "bloc1")
    assert 0 <= variant_seed(KEY, "alice", "bloc1") < 2**64


def test_ids_do_not_collide_by_concatenation_and_are_read_in_one_unicode_form():
    assert variant_seed(KEY, "ab", "cbloc1") != variant_seed(KEY, "abc", "bloc1")
    assert variant_seed(KEY, "zo\u00e9", "bloc1") == variant_seed(KEY, "zoe\u0301", "bloc1")  # é, e + accent


def test_a_variant_name_is_short_public_and_not_the_seed():
    name = variant_name(KEY, "alice", "bloc1")
    assert name.startswith("V-") and len(name) == 8 and name == variant_name(KEY, "alice", "bloc1")
    assert name[2:].lower() not in f"{variant_seed(KEY, 'alice', 'bloc1'):016x}"
    assert len({variant_name(KEY, f"a{k}", "bloc1") for k in range(50)}) == 50


@pytest.fixture
def course(tmp_path) -> Course:
    return copy_course(tmp_path / "cours")


def test_the_key_is_created_once_private_and_outside_the_copies(course):
    with pytest.raises(FileNotFoundError, match="clé des variantes"):
        secret.course_secret(course)
    key = secret.course_secret(course, create=True)
    path = secret.secret_path(course)
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert secret.course_secret(course, create=True) == key == secret.course_secret(course)
    assert path.parent.name == ".mda" and "/.mda/" in (REPO / ".gitignore").read_text().splitlines()
    path.write_text("abc\n")
    with pytest.raises(ValueError, match="illisible"):
        secret.course_secret(course)


def _create_key(root: str, queue) -> None:
    queue.put(secret.course_secret(Course(Path(root)), create=True))


def test_processes_creating_the_key_at_once_all_read_the_same_key(course):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_create_key, args=(str(course.root), queue)) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    keys = {queue.get() for _ in workers}
    assert keys == {secret.course_secret(course)}


def test_the_registry_keeps_one_row_per_learner_and_assignment(course):
    assert read_registry(course) == {}
    first = VariantRecord("bloc1", "alice", "V-000001", 0, "a" * 64, "2026-12-01T10:00:00+01:00")
    record_variants(course, [first, VariantRecord("bloc1", "bob", "V-000002", 2, "b" * 64, "x")])
    again = VariantRecord("bloc1", "alice", "V-000003", 1, "c" * 64, "y")
    record_variants(course, [again])
    rows = read_registry(course)
    assert set(rows) == {("bloc1", "alice"), ("bloc1", "bob")} and rows[("bloc1", "alice")] == again
    assert rows[("bloc1", "bob")].tirage == 2 and find_record(course, "bloc2", "alice") is None
    assert not registry.registry_path(course).with_suffix(".tmp").exists()


def _publish(course: Course, student: str, assignment: str = "bloc1") -> VariantRecord:
    """What `mda release` records for a learner, without writing their copy."""
    name, attempt, frames = draw_variant(course, assignment, student)
    digest, scratch = frames_digest(frames)
    shutil.rmtree(scratch)
    record = VariantRecord(assignment, student, name, attempt, digest, "2026-12-01T10:00:00+01:00")
    record_variants(course, [record])
    return record


def test_a_learner_without_a_published_copy_is_graded_on_the_common_case(course):
    case = learner_case(course, "bloc1", "alice")
    assert case.variant == COMMON and not case.is_variant and case.folder == course.source / "bloc1" / "data"


def test_a_learners_case_is_regenerated_verified_and_their_own(course):
    alice, bob = _publish(course, "alice"), _publish(course, "bob")
    case_a, case_b = learner_case(course, "bloc1", "alice"), learner_case(course, "bloc1", "bob")
    assert (case_a.variant, case_b.variant) == (alice.variante, bob.variante)
    assert data_digest(case_a.folder) == alice.empreinte != data_digest(case_b.folder) == bob.empreinte
    assert data_digest(course.source / "bloc1" / "data") not in (alice.empreinte, bob.empreinte)
    assert not case_a.folder.is_relative_to(course.source) and ".mda" in case_a.folder.parts

    # an altered cache is regenerated, never used
    clients = case_a.folder / "clients_b2b.csv"
    clients.write_text(clients.read_text().replace("C001", "C999"))
    again = learner_case(course, "bloc1", "alice")
    assert data_digest(again.folder) == alice.empreinte


def test_data_that_are_not_the_published_ones_stop_the_grading(course):
    alice = _publish(course, "alice")
    record_variants(course, [VariantRecord(**{**alice.__dict__, "empreinte": "0" * 64})])
    with pytest.raises(VariantMismatch, match="ne sont pas celles publiées"):
        learner_case(course, "bloc1", "alice")
    record_variants(course, [alice])
    shutil.rmtree(course.root / ".mda" / "cache", ignore_errors=True)
    secret.secret_path(course).write_text("ff" * 32 + "\n")  # another key: another case
    with pytest.raises(VariantMismatch, match="clé des variantes"):
        learner_case(course, "bloc1", "alice")


def _resources(course: Course, folder, student: str) -> dict:
    return {"nbgrader": {"assignment": "bloc1", "student": student, "notebook": "01_veille_concurrence"},
            "metadata": {"path": str(folder)}}


def test_the_kernel_runs_on_the_learners_own_data_whatever_they_handed_in(course, tmp_path):
    alice = _publish(course, "alice")
    graded = tmp_path / "autograded" / "alice" / "bloc1"
    shutil.copytree(course.source / "bloc1" / "data", graded / "data")  # what nbgrader copied over
    (graded / "data" / "clients_b2b.csv").unlink()
    (graded / "data" / "clients_b2b.csv").symlink_to("/etc/passwd")  # a planted link is replaced, not followed
    step = UseLearnerCase(course_root=str(course.root))
    step.preprocess(None, _resources(course, graded, "alice"))
    assert data_digest(graded / "data") == alice.empreinte
    assert not (graded / "data" / "clients_b2b.csv").is_symlink()

    # the whole data/ folder as a link
    shutil.rmtree(graded / "data")
    (graded / "data").symlink_to(tmp_path)
    step.preprocess(None, _resources(course, graded, "alice"))
    assert not (graded / "data").is_symlink() and data_digest(graded / "data") == alice.empreinte

    # the common case is left as nbgrader copied it
    common = tmp_path / "autograded" / "bob" / "bloc1"
    shutil.copytree(course.source / "bloc1" / "data", common / "data")
    step.preprocess(None, _resources(course, common, "bob"))
    assert data_digest(common / "data") == data_digest(course.source / "bloc1" / "data")
