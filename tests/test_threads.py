"""Thread count control and concurrent calls from Python threads."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import fastreg
import fastreg._core as _core
import philox_reference as ref


def _default_threads():
    if not _core.build_info()["openmp"]:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count()


def test_set_get_num_threads(restore_threads):
    openmp = _core.build_info()["openmp"]
    for n in (1, 2, 3, 1, np.int64(2)):
        fastreg.set_num_threads(n)
        got = fastreg.get_num_threads()
        assert type(got) is int
        assert got == (int(n) if openmp else 1)
    fastreg.set_num_threads(None)
    assert fastreg.get_num_threads() == _default_threads()


def test_threads_setting_changes_only_speed(restore_threads):
    x = np.random.default_rng(3).standard_normal(2**20 + 5)
    results = []
    for n in (1, 2, 5):
        fastreg.set_num_threads(n)
        results.append((fastreg.soft_threshold(x, 0.2), fastreg.enet_prox(x, 0.2, 0.3),
                        fastreg.dropout(x, 0.3, seed=4, offset=2**40 + 1)))
    for res in results[1:]:
        for a, b in zip(res, results[0]):
            np.testing.assert_array_equal(a, b)


def test_default_thread_count_in_fresh_process():
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT")}
    code = ("import fastreg, fastreg._core as c, os; "
            "print(fastreg.get_num_threads(), int(c.build_info()['openmp']), "
            "len(os.sched_getaffinity(0)))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    threads, openmp, cores = map(int, out)
    assert threads == (cores if openmp else 1)


@pytest.mark.parametrize("bad", [0, -1, -100])
def test_set_num_threads_bad_values(bad, restore_threads):
    before = fastreg.get_num_threads()
    with pytest.raises(ValueError):
        fastreg.set_num_threads(bad)
    assert fastreg.get_num_threads() == before


@pytest.mark.parametrize("bad", [1.5, 2.0, "2", [2]], ids=["1.5", "2.0", "str", "list"])
def test_set_num_threads_bad_types(bad, restore_threads):
    before = fastreg.get_num_threads()
    with pytest.raises((ValueError, TypeError)):
        fastreg.set_num_threads(bad)
    assert fastreg.get_num_threads() == before


N = 2**20 + 3  # large enough that each call runs on several OpenMP threads


def _tasks():
    rng = np.random.default_rng(0)
    x64 = rng.standard_normal(N)
    x32 = rng.standard_normal(N).astype(np.float32)
    tasks = []
    for i in range(16):
        x = x32 if i % 2 else x64
        if i % 4 < 2:
            t = 0.1 * (i + 1)
            tasks.append(("soft", x, t))
        else:
            tasks.append(("dropout", x, (0.1 + 0.05 * i, 1000 + i, 64 * i + 3)))
    return tasks


def _run(task):
    kind, x, arg = task
    if kind == "soft":
        return fastreg.soft_threshold(x, arg), fastreg.enet_prox(x, arg, 0.5)
    p, seed, offset = arg
    y, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    g = fastreg.dropout_backward(x, p, seed=seed, offset=offset)
    return y, m, g


def test_concurrent_calls_match_serial():
    tasks = _tasks()
    serial = [_run(t) for t in tasks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(_run, tasks + tasks))
    for i, res in enumerate(parallel):
        for a, b in zip(res, serial[i % len(tasks)]):
            np.testing.assert_array_equal(a, b)
    # and the serial results are right (spot-check against the references)
    kind, x, (p, seed, offset) = tasks[2]
    y, m, _ = serial[2]
    np.testing.assert_array_equal(m[:5000], ref.mask(5000, p, seed, offset))
    kind, x, t = tasks[0]
    with np.errstate(all="ignore"):
        expected = np.sign(x) * np.maximum(np.abs(x) - t, 0)
    np.testing.assert_array_equal(serial[0][0], expected)


def test_concurrent_calls_with_changing_thread_counts(restore_threads):
    tasks = _tasks()[:8]
    serial = [_run(t) for t in tasks]

    def run_with(i):
        if i == 3:
            fastreg.set_num_threads(1)
        elif i == 5:
            fastreg.set_num_threads(2)
        return _run(tasks[i % len(tasks)])

    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(run_with, range(16)))
    for i, res in enumerate(parallel):
        for a, b in zip(res, serial[i % len(tasks)]):
            np.testing.assert_array_equal(a, b)


def test_concurrent_in_place_calls_on_distinct_arrays():
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(N // 4) for _ in range(8)]
    expected = [np.sign(a) * np.maximum(np.abs(a) - 0.5, 0) for a in arrays]
    work = [a.copy() for a in arrays]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda a: fastreg.soft_threshold(a, 0.5, out=a), work))
    for r, w, e in zip(results, work, expected):
        assert r is w
        np.testing.assert_array_equal(w, e)


def test_threadpoolctl_limits_do_not_change_results():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    x = np.random.default_rng(2).standard_normal(N)
    before = (fastreg.soft_threshold(x, 0.3),
              fastreg.dropout(x, 0.5, seed=7, offset=11))
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        inside = (fastreg.soft_threshold(x, 0.3),
                  fastreg.dropout(x, 0.5, seed=7, offset=11))
    with threadpoolctl.threadpool_limits(limits=1):
        inside_all = (fastreg.soft_threshold(x, 0.3),
                      fastreg.dropout(x, 0.5, seed=7, offset=11))
    after = (fastreg.soft_threshold(x, 0.3),
             fastreg.dropout(x, 0.5, seed=7, offset=11))
    for group in (inside, inside_all, after):
        for a, b in zip(group, before):
            np.testing.assert_array_equal(a, b)
    y_ref, _ = ref.dropout(x, 0.5, 7, 11)
    np.testing.assert_array_equal(before[1], y_ref)
