"""fastreg.distributed on a real Dask cluster started here (a LocalCluster of two worker
processes with one thread each, and one in-process cluster): LassoCV / ElasticNetCV with
``client=`` against the same estimator fitted in this process, fit_phenotypes against
per-column fits, X shipped once (Genotypes as paths), and a worker killed in the middle
of a fan-out.

The references are the single-process estimators (themselves tested against
scikit-learn in test_cv.py); the fan-out must give the same numbers (1e-10 relative; in
fact bit for bit, as the chunks share their passes as the single-process call does).
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time

import numpy as np
import pytest

import distributed  # the test extra installs it (with the dask extra's requirement)

import fastreg
from fastreg import Genotypes
from test_genotypes import _dosages, _imputed, write_plink

RTOL = 1e-10


@pytest.fixture(scope="module")
def client():
    cluster = _cluster(processes=True)
    c = distributed.Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def _cluster(processes):
    """Two workers of one thread; the scheduler's HTTP server on a free port (never the
    default 8787, which another cluster on this machine may hold)."""
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=processes,
                                    dashboard_address=":0")


def _same(a, b, what, rtol=RTOL):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    assert a.shape == b.shape, what
    both_nan = np.isnan(a) & np.isnan(b)
    assert np.array_equal(np.isnan(a), np.isnan(b)), what
    d = np.abs(np.where(both_nan, 0.0, a - b))
    assert d.max(initial=0.0) <= rtol * max(np.nanmax(np.abs(b), initial=0.0), 1e-300), what


def _same_cv(m, ref):
    for name in ("alpha_", "alpha_min_", "alpha_1se_", "alphas_", "mse_path_", "cv_mean_",
                 "cv_se_", "coef_", "intercept_", "dual_gap_"):
        _same(getattr(m, name), getattr(ref, name), name)
    _same(m.coef_path_, ref.coef_path_, "coef_path_")


def _data(n=200, p=300, seed=0, k=1):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    W = np.zeros((p, k))
    for t in range(k):
        W[rng.choice(p, 8, replace=False), t] = rng.standard_normal(8)
    Y = X @ W + 0.5 * rng.standard_normal((n, k))
    return X, (Y[:, 0] if k == 1 else Y)


def _chromosomes(tmp_path, n=160, sizes=(120, 80), seed=0):
    G = [_dosages(n, p, seed=seed + k) for k, p in enumerate(sizes)]
    for k, g in enumerate(G, start=1):
        write_plink(os.path.join(tmp_path, f"chr{k}"), g)
    return os.path.join(tmp_path, "chr{1:%d}" % len(sizes)), np.hstack(G)


# ---- LassoCV / ElasticNetCV with client= ------------------------------------------------


@pytest.mark.parametrize("kw", [dict(cv=5), dict(cv=3, selection_rule="1se",
                                                 early_stopping=True, patience=5)])
def test_lassocv_dense_equals_single_process(client, kw):
    X, y = _data()
    ref = fastreg.LassoCV(**kw).fit(X, y)
    m = fastreg.LassoCV(client=client, **kw).fit(X, y)
    _same_cv(m, ref)
    # in fact bit for bit: each chunk shares its passes as the single-process call does
    np.testing.assert_array_equal(m.mse_path_, ref.mse_path_)
    np.testing.assert_array_equal(m.coef_, ref.coef_)
    assert m.get_params()["client"] is client


def test_elasticnetcv_targets_and_genotypes(client, tmp_path):
    pattern, G = _chromosomes(tmp_path)
    g = Genotypes.from_bed(pattern)
    rng = np.random.default_rng(1)
    Y = _imputed(G)[:, [5, 60, 150]] @ rng.standard_normal((3, 2)) + rng.standard_normal((160, 2))
    kw = dict(cv=4, l1_ratio=[0.3, 1.0], alphas=30, max_iter=10_000)
    ref = fastreg.ElasticNetCV(**kw).fit(g, Y)
    m = fastreg.ElasticNetCV(client=client, **kw).fit(g, Y)
    _same_cv(m, ref)
    _same(m.l1_ratio_, ref.l1_ratio_, "l1_ratio_")
    # sample weights and a subset with covariates: what the command line fits
    sw = rng.uniform(0.5, 2.0, 120)
    gs = g.subset(np.arange(20, 140)).with_covariates(rng.standard_normal((120, 2)))
    ref = fastreg.LassoCV(cv=3).fit(gs, Y[20:140, 0], sample_weight=sw)
    m = fastreg.LassoCV(cv=3, client=client).fit(gs, Y[20:140, 0], sample_weight=sw)
    _same_cv(m, ref)


def test_client_argument(client):
    X, y = _data(n=60, p=20)
    with pytest.raises(TypeError, match="client: expected a distributed.Client"):
        fastreg.LassoCV(client=3).fit(X, y)
    with pytest.raises(ValueError, match="client='auto': no Dask client"):
        fastreg.LassoCV(client="auto").fit(X, y)
    # a scheduler address survives clone (a Client object does not deep-copy)
    from sklearn.base import clone

    addr = client.scheduler.address
    est = clone(fastreg.LassoCV(cv=3, client=addr))
    _same_cv(est.fit(X, y), fastreg.LassoCV(cv=3).fit(X, y))


# ---- many phenotypes ---------------------------------------------------------------------


class _Table:
    """What fit_phenotypes reads of a pandas DataFrame: its values and column names."""

    def __init__(self, values, columns):
        self.values, self.columns = values, columns

    def __array__(self, dtype=None, copy=None):
        return self.values if dtype is None else self.values.astype(dtype)


def test_fit_phenotypes(client, tmp_path):
    pattern, G = _chromosomes(tmp_path)
    g = Genotypes.from_bed(pattern)
    X = _imputed(G)
    rng = np.random.default_rng(2)
    Y = X[:, [3, 40, 130, 170]] @ rng.standard_normal((4, 3)) + rng.standard_normal((160, 3))
    Y[rng.random((160, 3)) < 0.1] = np.nan  # each column its own missing samples
    est = fastreg.LassoCV(cv=3, selection_rule="1se")
    models = fastreg.distributed.fit_phenotypes(g, Y, client=client, estimator=est)
    local = fastreg.distributed.fit_phenotypes(g, Y, estimator=est)
    assert len(models) == 3
    for j, (m, l) in enumerate(zip(models, local)):
        keep = ~np.isnan(Y[:, j])
        ref = fastreg.LassoCV(cv=3, selection_rule="1se").fit(g.subset(np.flatnonzero(keep)),
                                                              Y[keep, j])
        _same_cv(m, ref)
        _same_cv(l, ref)
    # dense X is scattered once; a table with named columns (a DataFrame) gives models
    # by name
    table = _Table(np.nan_to_num(Y[:, :2], nan=0.0), ["height", "bmi"])
    out = fastreg.distributed.fit_phenotypes(X, table, client=client,
                                             estimator=fastreg.Lasso(alpha=0.05))
    assert list(out) == ["height", "bmi"]
    _same(out["bmi"].coef_, fastreg.Lasso(alpha=0.05).fit(X, table.values[:, 1]).coef_, "bmi")
    with pytest.raises(ValueError, match=r"phenotypes: expected shape \(160, k\)"):
        fastreg.distributed.fit_phenotypes(g, Y[:100], client=client)


def test_genotypes_travel_as_paths(tmp_path):
    pattern, G = _chromosomes(tmp_path, n=400, sizes=(2000, 2000))
    g = Genotypes.from_bed(pattern).subset(np.arange(300))
    assert len(pickle.dumps(g)) < 0.05 * (400 // 4) * 4000  # a twentieth of the .bed bytes


def test_in_process_cluster(tmp_path):
    """processes=False: threads of this process (quick), the same answers."""
    X, Y = _data(n=120, p=80, k=2)
    with _cluster(processes=False) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        models = fastreg.distributed.fit_phenotypes(X, Y, client=c,
                                                    estimator=fastreg.LassoCV(cv=3))
        m = fastreg.LassoCV(cv=3, client=c).fit(X, Y[:, 1])
    for j in range(2):
        _same_cv(models[j], fastreg.LassoCV(cv=3).fit(X, Y[:, j]))
    _same_cv(m, fastreg.LassoCV(cv=3).fit(X, Y[:, 1]))


# ---- faults ----------------------------------------------------------------------------


def test_worker_killed_mid_fan_out(tmp_path):
    """A worker process killed (SIGKILL) while it runs a task: the scheduler runs its
    tasks again on the other worker (and on the one its nanny restarts), with the same
    result."""
    X, Y = _data(n=400, p=3000, k=6, seed=5)
    est = fastreg.LassoCV(cv=5, tol=1e-6)
    ref = [fastreg.LassoCV(cv=5, tol=1e-6).fit(X, Y[:, j]) for j in range(6)]
    with _cluster(processes=True) as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        out = {}
        t = threading.Thread(target=lambda: out.setdefault(
            "models", fastreg.distributed.fit_phenotypes(X, Y, client=c, estimator=est)))
        t.start()
        pids = c.run(os.getpid)
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline:
            busy = {w: ts for w, ts in c.processing().items() if ts}
            if busy and any("fit_column" in str(k) for ts in busy.values() for k in ts):
                victim = next(iter(busy))
                break
            time.sleep(0.01)
        assert victim is not None, "no task started"
        os.kill(pids[victim], signal.SIGKILL)
        t.join(timeout=240)
        assert not t.is_alive(), "the fan-out did not finish after the worker was killed"
        assert victim not in c.scheduler_info()["workers"] or \
            c.run(os.getpid).get(victim) != pids[victim]
    for m, r in zip(out["models"], ref):
        _same_cv(m, r)


def test_import_is_lazy():
    """import fastreg and fastreg.distributed load no Dask (it is imported by the fits)."""
    import subprocess
    import sys

    code = ("import sys, fastreg; fastreg.distributed.fit_phenotypes; "
            "assert not {'dask', 'distributed'} & set(sys.modules), "
            "sorted({'dask', 'distributed'} & set(sys.modules))")
    subprocess.run([sys.executable, "-c", code], check=True)
