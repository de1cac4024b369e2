"""Many targets at once: the fits of k targets on one X share their passes over X in the
core (cd/shared_passes.hpp; genotype designs with the missing-sample index make their own
integer passes instead), and must equal k single-target fits.

Reference: the same functions called once per target. The shared pass computes the same
inner products in another order, so paths agree to rounding, and at tol 1e-11 the
coefficients to 1e-7 of their scale. Designs: dense float64/float32, CSC, int8 and .bed
genotypes; with sample weights, penalty factors, standardization, elastic net, warm
starts, and more targets than run at once (the core's queue of fits)."""

from __future__ import annotations

import os
import sys
import threading
import warnings

import numpy as np
import pytest

import fastreg

sys.path.insert(0, os.path.dirname(__file__))
from test_genotypes import _dosages, _imputed, write_plink  # noqa: E402

TOL = 1e-11


def _problem(n=120, p=400, k=5, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)), dtype=dtype)
    B = np.zeros((p, k))
    for t in range(k):
        B[rng.choice(p, 8, replace=False), t] = rng.standard_normal(8)
    Y = np.asfortranarray(X @ B + 0.5 * rng.standard_normal((n, k)) + np.arange(k), dtype=dtype)
    return X, Y


def _close(actual, expected, rtol, what):
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    scale = max(np.abs(expected).max(), 1e-300)
    err = np.abs(actual - expected).max() / scale
    assert err <= rtol, f"{what}: relative error {err:.3e} > {rtol:.0e}"


def _check_paths(X, Y, rtol=1e-7, tol=TOL, **kw):
    """enet_path on all of Y equals enet_path on each column."""
    kw.setdefault("max_iter", 100_000)
    alphas, coefs, gaps, icpt, n_iter = fastreg.enet_path(
        X, Y, tol=tol, return_intercept=True, return_n_iter=True, **kw)
    k = Y.shape[1]
    p = X.shape[1]
    assert coefs.shape[:2] == (k, p) and gaps.shape == (k, coefs.shape[2])
    assert icpt.shape == gaps.shape and len(n_iter) == k
    for t in range(k):
        a1, c1, g1, i1 = fastreg.enet_path(X, np.ascontiguousarray(Y[:, t]), tol=tol,
                                           return_intercept=True, **kw)
        _close(alphas[t] if alphas.ndim == 2 else alphas, a1, min(rtol, 1e-6), "alphas")
        _close(coefs[t], c1, rtol, f"coefs of target {t}")
        _close(icpt[t], i1, rtol, f"intercepts of target {t}")
    return alphas, coefs


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_dense_paths_equal_single_fits(dtype, fit_intercept):
    X, Y = _problem(dtype=dtype)
    # float32 cannot reach 1e-11: both fits stop at 1e-4, and may stop an epoch apart
    tol, rtol = (TOL, 1e-7) if dtype == np.float64 else (1e-4, 1e-2)
    alphas, _ = _check_paths(X, Y, rtol=rtol, tol=tol, l1_ratio=1.0, eps=1e-2, n_alphas=30,
                             fit_intercept=fit_intercept)
    assert alphas.shape == (Y.shape[1], 30)  # each target's own grid


def test_options_equal_single_fits():
    X, Y = _problem(seed=1)
    rng = np.random.default_rng(2)
    sw = rng.uniform(0.2, 2.0, X.shape[0])
    pf = rng.uniform(0.5, 1.5, X.shape[1])
    pf[:3] = 0.0  # unpenalized
    _check_paths(X, Y, l1_ratio=0.5, eps=1e-2, n_alphas=20, fit_intercept=True,
                 standardize=True, sample_weight=sw, penalty_factor=pf)


def test_given_alphas_and_coef_init():
    X, Y = _problem(seed=3)
    alphas = np.geomspace(0.5, 0.01, 12)
    out, coefs = _check_paths(X, Y, alphas=alphas, l1_ratio=1.0, fit_intercept=True)
    assert out.shape == (12,)
    # a warm start from the last solutions: one epoch or none per target
    init = np.ascontiguousarray(coefs[:, :, -1])
    _, c2, _, n_iter = fastreg.lasso_path(X, Y, alphas=alphas[-1:], coef_init=init, tol=TOL,
                                          fit_intercept=True, return_n_iter=True)
    _close(c2[:, :, 0], init, 1e-7, "warm-started coefs")
    assert max(it[0] for it in n_iter) <= 2
    with pytest.raises(ValueError, match="coef_init"):
        fastreg.lasso_path(X, Y, coef_init=init[:, :-1])


def test_sparse_equals_single_fits():
    sp = pytest.importorskip("scipy.sparse")
    X, Y = _problem(seed=4)
    X[np.abs(X) < 1.0] = 0.0
    _check_paths(sp.csc_matrix(X), Y, l1_ratio=1.0, eps=1e-2, n_alphas=20, fit_intercept=True)


def test_more_targets_than_run_at_once():
    # 40 targets: more fits than the core runs at once (32), so some start as others end
    X, Y = _problem(n=60, p=150, k=40, seed=5)
    _check_paths(X, Y, l1_ratio=1.0, eps=5e-2, n_alphas=8, fit_intercept=True)


@pytest.mark.parametrize("k", [2, 7])
def test_same_paths_on_any_number_of_threads(k):
    # fewer or more cores than fits: passes start on the free cores while other fits
    # compute, and fits help the pass under way; every schedule gives each path the same
    # products, so the same coefficients
    X, Y = _problem(n=80, p=300, k=k, seed=11)
    kw = dict(tol=TOL, n_alphas=12, eps=1e-2, max_iter=100_000)
    ref = fastreg.lasso_path(X, Y, n_threads=1, **kw)[1]
    for threads in (2, 3, 5):
        got = fastreg.lasso_path(X, Y, n_threads=threads, **kw)[1]
        _close(got, ref, 1e-12, f"{threads} threads against 1")


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_calling_thread_keeps_its_cpu_affinity():
    # the threads holding the group's cores move themselves off each other's CPUs (the
    # core's CpuSpread), the calling thread among them (it runs the passes): each move
    # restores the thread's own mask, so the caller's is what it was, also when the caller
    # pinned itself to one CPU (then nothing moves)
    X, Y = _problem(n=80, p=300, k=7, seed=11)
    kw = dict(tol=TOL, n_alphas=12, eps=1e-2, max_iter=100_000)
    before = os.sched_getaffinity(0)
    ref = fastreg.lasso_path(X, Y, n_threads=1, **kw)[1]
    got = fastreg.lasso_path(X, Y, n_threads=2, **kw)[1]
    assert os.sched_getaffinity(0) == before
    _close(got, ref, 1e-12, "2 threads against 1")
    one = {min(before)}
    os.sched_setaffinity(0, one)
    try:
        pinned = fastreg.lasso_path(X, Y, n_threads=2, **kw)[1]
        assert os.sched_getaffinity(0) == one
    finally:
        os.sched_setaffinity(0, before)
    _close(pinned, ref, 1e-12, "pinned to one CPU against 1 thread")


@pytest.mark.parametrize("kind", ["int8", "bed"])
@pytest.mark.parametrize("cache", [None, "0"])
def test_genotypes_equal_single_fits_and_float64(tmp_path, monkeypatch, kind, cache):
    # with the missing-sample index (the default) the fits make their own integer passes;
    # without it (no cache budget) they share batched passes in double, which decode the
    # columns whole
    if cache is not None:
        monkeypatch.setenv("FASTREG_COLUMN_CACHE_BYTES", cache)
    G = _dosages(150, 300, seed=6)
    X64 = _imputed(G)
    _, Y = _problem(n=150, p=300, k=4, seed=7)
    Y = np.asfortranarray(X64[:, 10:14] @ np.ones((4, 4)) + Y)
    if kind == "int8":
        X = fastreg.Genotypes.from_array(G)
    else:
        X = fastreg.Genotypes.from_bed(write_plink(os.path.join(tmp_path, "g"), G))
    alphas = np.geomspace(1.0, 0.02, 15)
    _, coefs = _check_paths(X, Y, alphas=alphas, l1_ratio=1.0, fit_intercept=True)
    _, ref, _ = fastreg.lasso_path(X64, Y, alphas=alphas, tol=TOL, fit_intercept=True)
    _close(coefs, ref, 1e-7, "genotype coefs against float64")


@pytest.mark.parametrize("kind", ["int8", "bed"])
def test_genotypes_with_covariates_equal_single_fits(tmp_path, kind):
    # the fits of one call share the design's missing-sample index (and int8's packed
    # copy) and make their own integer passes, covariates included
    G = _dosages(140, 260, seed=11)
    X64 = _imputed(G)
    rng = np.random.default_rng(12)
    C = np.column_stack([rng.normal(50, 10, 140), rng.integers(0, 2, 140)])
    _, Y = _problem(n=140, p=260, k=3, seed=13)
    Y = np.asfortranarray(X64[:, 20:23] @ np.ones((3, 3)) + 0.05 * C[:, :1] + Y)
    if kind == "int8":
        g = fastreg.Genotypes.from_array(G)
    else:
        g = fastreg.Genotypes.from_bed(write_plink(os.path.join(tmp_path, "g"), G))
    alphas = np.geomspace(1.0, 0.02, 12)
    _, coefs = _check_paths(g.with_covariates(C), Y, alphas=alphas, l1_ratio=1.0,
                            fit_intercept=True)
    pf = np.r_[np.ones(260), np.zeros(2)]
    XC = np.asfortranarray(np.hstack([X64, C]))
    _, ref, _ = fastreg.lasso_path(XC, Y, alphas=alphas, tol=TOL, fit_intercept=True,
                                   penalty_factor=pf)
    _close(coefs, ref, 1e-7, "genotype and covariate coefs against float64")


def test_estimators_fit_all_targets():
    X, Y = _problem(seed=8)
    for Est in (fastreg.Lasso, fastreg.ElasticNet):
        est = Est(alpha=0.05, tol=TOL).fit(X, Y)
        assert est.coef_.shape == (Y.shape[1], X.shape[1]) and len(est.n_iter_) == Y.shape[1]
        for t in range(Y.shape[1]):
            one = Est(alpha=0.05, tol=TOL).fit(X, Y[:, t])
            _close(est.coef_[t], one.coef_, 1e-7, f"{Est.__name__} coef_[{t}]")
            _close(est.intercept_[t], one.intercept_, 1e-7, f"{Est.__name__} intercept_[{t}]")
        assert est.predict(X).shape == Y.shape
    # warm start with all targets
    est = fastreg.Lasso(alpha=0.05, tol=TOL, warm_start=True).fit(X, Y)
    est.fit(X, Y)
    assert max(est.n_iter_) <= 1


def test_random_selection_fits_all_targets_at_once():
    # target t draws its coordinates from random_state + t, as a single fit seeded so would;
    # three epochs, far from converged, so that the result depends on the draws
    X, Y = _problem(seed=10)
    kw = dict(alpha=0.02, tol=0.0, max_iter=3, selection="random")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = fastreg.Lasso(random_state=7, **kw).fit(X, Y)
        for t in range(Y.shape[1]):
            one = fastreg.Lasso(random_state=7 + t, **kw).fit(X, Y[:, t])
            _close(est.coef_[t], one.coef_, 1e-12, f"coef_[{t}]")
        other = fastreg.Lasso(random_state=7, **kw).fit(X, Y[:, 1])
    assert np.abs(est.coef_[1] - other.coef_).max() > 1e-6  # another seed, another result


def test_x_and_y_untouched_and_threads():
    X, Y = _problem(seed=9)
    X0, Y0 = X.copy(), Y.copy()
    ref = fastreg.lasso_path(X, Y, tol=TOL, n_alphas=10, eps=1e-2)[1]
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    # concurrent calls from Python threads (each runs its own group of fits)
    results = [None] * 3

    def run(i):
        results[i] = fastreg.lasso_path(X, Y, tol=TOL, n_alphas=10, eps=1e-2, n_threads=1)[1]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        _close(r, ref, 1e-9, "concurrent many-target paths")
