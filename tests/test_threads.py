"""Thread count control and concurrent calls from Python threads.

The policy (docs/performance.md, "Threads"): the default count is OpenMP's (threadpoolctl and
OMP_NUM_THREADS limit it) and never more than the CPUs the calling thread may run on, read
at each call; results do not depend on the count; the pool's helper threads sleep between
calls; calls from many Python threads at once take no more helpers than there are CPUs; the
process's affinity and OpenMP environment are never changed."""

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


OPENMP = _core.build_info()["openmp"]
linux_only = pytest.mark.skipif(not hasattr(os, "sched_getaffinity"),
                                reason="CPU affinity and /proc are Linux's")


def _cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count()


def _default_threads():
    return _cpus() if OPENMP else 1


def _clean_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("OMP_", "GOMP_", "KMP_"))}


def _subprocess(code, env=None):
    out = subprocess.run([sys.executable, "-c", code], env=env or _clean_env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_set_get_num_threads(restore_threads):
    for n in (1, 2, 3, 1, np.int64(2), 1000):
        fastreg.set_num_threads(n)
        got = fastreg.get_num_threads()
        assert type(got) is int
        # never more than the CPUs this thread may run on
        assert got == (min(int(n), _cpus()) if OPENMP else 1)
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
    threads, openmp, cores = map(int, _subprocess(code, env))
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


# ------------------------------------------------------------------ CPU masks


@linux_only
def test_thread_count_follows_a_cpu_mask_set_after_import():
    # what `import adelie` (pinning the process to one CPU), taskset or a cpuset does after
    # fastreg has started: the count follows the mask of the calling thread at each call
    code = """
import os, numpy as np, fastreg
rng = np.random.default_rng(0)
X = np.asfortranarray(rng.standard_normal((200, 3000))); y = X[:, :5].sum(1)
first = fastreg.get_num_threads()
a = fastreg.lasso_path(X, y, alphas=5, eps=0.1)[1]       # starts the pool
cpus = sorted(os.sched_getaffinity(0))
os.sched_setaffinity(0, {cpus[0]})
masked = fastreg.get_num_threads()
fastreg.set_num_threads(8)
masked_fixed = fastreg.get_num_threads()
fastreg.set_num_threads(None)
b = fastreg.lasso_path(X, y, alphas=5, eps=0.1)[1]
os.sched_setaffinity(0, set(cpus))
print(first, masked, masked_fixed, fastreg.get_num_threads(), len(cpus), int(np.array_equal(a, b)))
"""
    first, masked, masked_fixed, after, cpus, equal = map(int, _subprocess(code))
    expected = cpus if OPENMP else 1
    assert (first, masked, masked_fixed, after, equal) == (expected, 1, 1, expected, 1)


@linux_only
def test_thread_count_under_taskset_and_omp_num_threads():
    code = "import fastreg; print(fastreg.get_num_threads())"
    cpus = sorted(os.sched_getaffinity(0))
    env = _clean_env()
    env["OMP_NUM_THREADS"] = "1"
    assert _subprocess(code, env) == ["1"]
    if len(cpus) > 1:
        env = _clean_env()
        env["OMP_NUM_THREADS"] = str(len(cpus) + 3)  # more than the CPUs: capped
        assert _subprocess(code, env) == [str(len(cpus) if OPENMP else 1)]
    pinned = f"import os; os.sched_setaffinity(0, {{{cpus[0]}}}); {code}"
    assert _subprocess(pinned) == ["1"]


@linux_only
def test_process_affinity_and_openmp_environment_untouched():
    code = """
import os, threading, numpy as np
before_env = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_", "KMP_"))}
before = os.sched_getaffinity(0)
import fastreg
x = np.random.default_rng(0).standard_normal(2**22)
for _ in range(3):
    fastreg.soft_threshold(x, 0.1); fastreg.dropout(x, 0.2, seed=1)
X = np.asfortranarray(np.random.default_rng(1).standard_normal((200, 4000)))
fastreg.lasso_path(X, X[:, 0], alphas=5, eps=0.1)
after_env = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_", "KMP_"))}
print(int(before == os.sched_getaffinity(0)), int(before_env == after_env == {}),
      int(os.environ.get("OMP_PROC_BIND") is None))
"""
    assert _subprocess(code) == ["1", "1", "1"]


# ------------------------------------------------------------------ threadpoolctl


def test_threadpoolctl_limits_the_thread_count(restore_threads):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    fastreg.set_num_threads(None)
    before = fastreg.get_num_threads()
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        assert fastreg.get_num_threads() == 1
    assert fastreg.get_num_threads() == before
    if OPENMP:
        # fastreg's OpenMP runtime is one threadpoolctl sees and controls
        apis = {(i["user_api"], i["internal_api"]) for i in threadpoolctl.threadpool_info()}
        assert ("openmp", "openmp") in apis


# ------------------------------------------------------------------ results across counts


def _counts():
    return sorted({1, 2, 3, max(1, _cpus())})


def test_paths_bit_identical_across_thread_counts(restore_threads, tmp_path):
    rng = np.random.default_rng(5)
    X = np.asfortranarray(rng.standard_normal((300, 6000)))
    y = X[:, :10] @ rng.standard_normal(10) + rng.standard_normal(300)
    Y = np.column_stack([y, y[::-1]])
    G = rng.integers(0, 3, size=(300, 6000)).astype(np.int8)
    G[rng.random(G.shape) < 0.01] = -1
    Gd = fastreg.Genotypes.from_array(np.asfortranarray(G))
    runs = []
    for n in _counts():
        fastreg.set_num_threads(n)
        runs.append((
            fastreg.lasso_path(X, y, alphas=20, eps=1e-2, tol=1e-8)[1],
            fastreg.enet_path(X, Y, alphas=10, eps=1e-2, tol=1e-8)[1],  # shared passes
            fastreg.lasso_path(Gd, y, alphas=10, eps=5e-2, max_iter=100_000)[1],
        ))
    for run in runs[1:]:
        for a, b in zip(run, runs[0]):
            np.testing.assert_array_equal(a, b)
    # and one-thread results are right: the lasso's KKT conditions at the last alpha
    alphas, coefs, _ = fastreg.lasso_path(X, y, alphas=20, eps=1e-2, tol=1e-10)
    w, a = coefs[:, -1], alphas[-1]
    Xc, yc = X - X.mean(0), y - y.mean()
    grad = Xc.T @ (yc - Xc @ w) / len(y)
    active = w != 0
    np.testing.assert_allclose(grad[active], a * np.sign(w[active]), atol=2e-3 * a)
    assert np.abs(grad[~active]).max() <= a * (1 + 2e-3)


# ------------------------------------------------------------------ many Python threads


def _pool_threads():
    """(tid, utime + stime in clock ticks) of fastreg's helper threads."""
    out = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                if f.read().strip() != "fastreg-pool":
                    continue
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out.append((tid, int(fields[11]) + int(fields[12])))
        except FileNotFoundError:  # pragma: no cover - a thread that just ended
            pass
    return out


@linux_only
def test_many_python_threads_share_the_pool(restore_threads):
    fastreg.set_num_threads(None)
    rng = np.random.default_rng(6)
    X = np.asfortranarray(rng.standard_normal((200, 5000)))
    ys = [X[:, i:i + 5].sum(1) + rng.standard_normal(200) for i in range(8)]
    serial = [fastreg.lasso_path(X, y, alphas=8, eps=0.05)[1] for y in ys]
    x = rng.standard_normal(2**21)
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(lambda y: fastreg.lasso_path(X, y, alphas=8, eps=0.05)[1], ys))
        kernels = list(pool.map(lambda i: fastreg.soft_threshold(x, 0.1 * i), range(16)))
    for a, b in zip(paths, serial):
        np.testing.assert_array_equal(a, b)
    for i, k in enumerate(kernels):
        np.testing.assert_array_equal(k, x - np.clip(x, -0.1 * i, 0.1 * i))
    # however many callers, the pool never has more helpers than CPUs beside a caller
    if OPENMP:
        assert 1 <= len(_pool_threads()) <= max(1, _cpus() - 1)


@linux_only
def test_helpers_sleep_between_calls(restore_threads):
    if not OPENMP or _cpus() < 2:
        pytest.skip("no helper threads: one thread")
    fastreg.set_num_threads(None)
    x = np.random.default_rng(7).standard_normal(2**22)
    for _ in range(5):
        fastreg.dropout(x, 0.3, seed=3)
    import time

    time.sleep(0.05)  # past the helpers' short spin
    before = dict(_pool_threads())
    assert before
    time.sleep(0.5)
    after = dict(_pool_threads())
    ticks = sum(after[t] - before[t] for t in before if t in after)
    # a spinning helper would use the whole half second (50 ticks at 100 Hz)
    assert ticks <= 5, f"helpers used {ticks} clock ticks while fastreg was idle"
