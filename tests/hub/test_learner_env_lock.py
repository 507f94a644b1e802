"""The learners' environment's lock is released whichever thread took it (tests/hub/learner_env.py)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from filelock import FileLock, Timeout

from tests.hub.learner_env import env_lock


def _taken_in_a_thread(lock: FileLock) -> FileLock:
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lock.acquire, timeout=0).result()
    return lock


def test_a_lock_taken_in_a_thread_and_released_in_another_is_free_again(tmp_path):
    lock = _taken_in_a_thread(env_lock(tmp_path / "apprenant-cle"))
    lock.release()   # from the main thread, as the hub test's fixture does
    again = env_lock(tmp_path / "apprenant-cle")
    again.acquire(timeout=0)   # the next test of the same worker
    again.release()


def test_the_per_thread_default_would_keep_it_held(tmp_path):
    """The mistake the helper avoids: filelock's default lock, released from another thread, stays held."""
    lock = _taken_in_a_thread(FileLock(str(tmp_path / "apprenant-cle") + ".lock"))
    lock.release()
    try:
        FileLock(str(tmp_path / "apprenant-cle") + ".lock").acquire(timeout=0)
    except Timeout:
        return
    raise AssertionError("filelock's per-thread lock was released from another thread: this test no longer proves anything")
