"""fastreg.distributed.lasso_path / enet_path: a genotype design partitioned by columns
across the workers of a real Dask cluster (two worker processes), against the
single-process path on all the files as one design (itself equal to the merged file's,
test_multi_bed.py); workers allowed less memory than X as float64; a worker lost during
the path; the bytes and rounds reported."""

from __future__ import annotations

import os
import signal
import threading
import time

import distributed
import numpy as np
import pytest

import fastreg
from fastreg import Genotypes
from test_genotypes import _dosages, _imputed, write_plink

# The two solvers stop at the same duality gap, not at the same iterate: at a gap this
# small their coefficients agree to the 1e-10 (4e-14 measured at
# 1e-14, 2.5e-11 at 1e-15 on another draw; 5e-10 at 1e-12)
TOL = 1e-14
RTOL = 1e-10


def _files(tmp_path, n, sizes, seed=0):
    G = [_dosages(n, q, seed=seed + k, missing=0.02) for k, q in enumerate(sizes)]
    for k, g in enumerate(G, start=1):
        write_plink(os.path.join(tmp_path, f"chr{k}"), g)
    return G


def _y(X, seed=1, k=10):
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    w[rng.choice(np.arange(4, X.shape[1]), k, replace=False)] = rng.standard_normal(k)
    return X @ w + rng.standard_normal(X.shape[0])


def _cluster(**kw):
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", **kw)


def _close(a, b, what):
    assert a.shape == b.shape, what
    assert np.abs(a - b).max() <= RTOL * np.abs(b).max(), (what, np.abs(a - b).max())


def test_equals_single_process(tmp_path):
    G = _files(tmp_path, 200, (60, 40, 50))
    X = _imputed(np.hstack(G))
    y = _y(X)
    whole = Genotypes.from_bed(os.path.join(tmp_path, "chr{1:3}"))
    # blocks of one or two files, fewer workers than blocks
    parts = [os.path.join(tmp_path, "chr{1:2}"), os.path.join(tmp_path, "chr3")]
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as client:
        for kw in (dict(fit_intercept=True, l1_ratio=1.0), dict(fit_intercept=False, l1_ratio=0.6)):
            a, coefs, gaps, info = fastreg.distributed.enet_path(
                parts, y, client=client, alphas=15, eps=1e-2, tol=TOL, return_info=True, **kw)
            ra, rc, rg = fastreg.enet_path(whole, y, alphas=15, eps=1e-2, tol=TOL, **kw)
            _close(a, ra, f"alphas {kw}")  # the same grid: alpha_max from the blocks
            _close(coefs, rc, f"coefs {kw}")
            assert np.all(gaps <= 1e-9 * y.var())
            assert len(info["rounds"]) == 15 and min(info["rounds"]) >= 2
            # per round: the residual to each block; back: violators and fetched columns
            assert info["bytes_to_workers"][1] == 8 * 200 * 2 * info["rounds"][0]
            fetched = sum(info["bytes_from_workers"][1:])
            assert fetched >= 50 * info["working_set"][-1]  # n / 4 bytes per fetched column
            assert info["working_set"][-1] >= np.count_nonzero(rc[:, -1])
        a2, c2, _ = fastreg.distributed.lasso_path(parts, y, client=client, alphas=ra[:5],
                                                  tol=TOL, fit_intercept=True)
        _close(c2, fastreg.lasso_path(whole, y, alphas=ra[:5], tol=TOL, fit_intercept=True)[1],
               "lasso_path on a given grid")
        with pytest.raises(ValueError, match="l1_ratio"):
            fastreg.distributed.enet_path(parts, y, client=client, l1_ratio=0.0)
        with pytest.raises(TypeError, match="parts"):
            fastreg.distributed.lasso_path(os.path.join(tmp_path, "chr1"), y, client=client)


def test_workers_smaller_than_x(tmp_path):
    """Each worker may use 160 MB; X as float64 takes 192 MB (1,000 x 24,000): the blocks
    stay .bed (mapped) and the gradients go over slabs of columns."""
    n, sizes = 1000, (12_000, 12_000)
    G = _files(tmp_path, n, sizes, seed=3)
    assert n * sum(sizes) * 8 > 160e6
    whole = Genotypes.from_bed(os.path.join(tmp_path, "chr{1:2}"))
    y = _y(whole.to_dense(columns=slice(0, 2000)), k=8)
    del G
    with _cluster(memory_limit="160MB") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        before = set(client.scheduler_info()["workers"])
        a, coefs, _ = fastreg.distributed.lasso_path(
            [os.path.join(tmp_path, "chr1"), os.path.join(tmp_path, "chr2")], y,
            client=client, alphas=5, eps=0.2, tol=TOL, fit_intercept=True)
        assert set(client.scheduler_info()["workers"]) == before  # no worker restarted
    ra, rc, _ = fastreg.lasso_path(whole, y, alphas=5, eps=0.2, tol=TOL, fit_intercept=True)
    _close(coefs, rc, "coefs")


def test_lost_worker_names_the_block(tmp_path):
    _files(tmp_path, 300, (400, 400), seed=5)
    whole = Genotypes.from_bed(os.path.join(tmp_path, "chr{1:2}"))
    y = _y(whole.to_dense())
    parts = [os.path.join(tmp_path, "chr1"), os.path.join(tmp_path, "chr2")]
    with _cluster() as cluster, distributed.Client(cluster, set_as_default=False) as client:
        pids = client.run(os.getpid)
        out = {}

        def run():
            try:
                fastreg.distributed.lasso_path(parts, y, client=client, alphas=200,
                                               eps=1e-4, tol=TOL, poll=0.2)
            except BaseException as e:  # noqa: BLE001 (the test looks at it)
                out["error"] = e

        t = threading.Thread(target=run)
        t.start()
        time.sleep(2.0)
        victim = sorted(pids)[1]  # the worker of block 1 (blocks go to workers in turn)
        os.kill(pids[victim], signal.SIGKILL)
        t.join(timeout=60)
        assert not t.is_alive(), "the path hangs after losing a worker"
    err = out.get("error")
    assert isinstance(err, fastreg.distributed.BlockLostError), repr(err)
    assert "block 1" in str(err) and "chr2.bed" in str(err) and victim in str(err)
