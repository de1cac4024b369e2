"""Tall dense data fitted through the statistics (linear_model/_tall.py).

References: the core's own Gram-mode path (``_core.enet_path_dense`` with ``gram=1``,
called directly, so it never takes the new route) and scikit-learn on the same data.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import enet_path as sk_enet_path

import fastreg
from fastreg import _core
from fastreg.linear_model import _block_sums, _core_paths, _tall

TOL = 1e-12
N, P = 2000, 40


def tall_problem(seed=0, dtype=np.float64):
    """Correlated columns (a shared factor), non-zero means and unequal scales."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, P)) + 0.7 * rng.standard_normal((N, 1))
    X = X * rng.uniform(0.5, 3.0, P) + rng.uniform(-2.0, 4.0, P)
    beta = np.zeros(P)
    beta[rng.choice(P, 8, replace=False)] = rng.uniform(0.5, 2.0, 8) * rng.choice([-1, 1], 8)
    y = X @ beta + rng.standard_normal(N) + 1.0
    sw = rng.uniform(0.2, 2.0, N)
    sw[rng.random(N) < 0.1] = 0.0
    return np.asfortranarray(X, dtype=dtype), y.astype(dtype), sw.astype(dtype)


def assert_close(actual, expected, rel, what):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    scale = max(float(np.abs(expected).max(initial=0.0)), 1e-300)
    err = float(np.abs(actual - expected).max(initial=0.0))
    assert err <= rel * scale, f"{what}: max abs error {err:.3e} > {rel:g} * {scale:.3g}"


def core_gram_path(X, y, *, sw=None, pf=None, alphas=None, n_alphas=30, eps=1e-3,
                   l1_ratio=1.0, fit_intercept=True, standardize=False, positive=False):
    """The core's Gram-mode path, as _solve_path ran it before the new route."""
    options = _core_paths.path_options(
        n_alphas=n_alphas, eps=eps, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
        standardize=standardize, positive=positive, tol=TOL, max_iter=100_000, gram=1)
    out = _core_paths.path(X, y, options, sample_weight=sw, penalty_factor=pf, alphas=alphas)
    return out["alphas"], out["coefs"], out["intercepts"], out["dual_gaps"]


@pytest.fixture
def spy(monkeypatch):
    """Counts the fits that went through the new route (and returned from it)."""
    calls = []
    original = _tall.tall_path

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(_tall, "tall_path", wrapped)
    return calls


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("positive", [False, True])
def test_path_equals_core_gram_path(spy, fit_intercept, standardize, weighted, l1_ratio,
                                    positive):
    X, y, sw = tall_problem(seed=1)
    sw = sw if weighted else None
    X0 = X.copy()
    alphas, coefs, gaps, intercepts = fastreg.enet_path(
        X, y, l1_ratio=l1_ratio, alphas=30, tol=TOL, max_iter=100_000, sample_weight=sw,
        fit_intercept=fit_intercept, standardize=standardize, positive=positive,
        return_intercept=True)
    assert spy == [True]
    np.testing.assert_array_equal(X, X0)  # X is never modified
    ref = core_gram_path(X, y, sw=sw, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                         standardize=standardize, positive=positive)
    np.testing.assert_allclose(alphas, ref[0], rtol=1e-12)  # the same grid
    assert_close(coefs, ref[1], 1e-8, "coefs")
    assert_close(intercepts, ref[2], 1e-8, "intercepts")
    tol_scaled = TOL * np.average((y - (np.average(y, weights=sw) if fit_intercept else 0)) ** 2,
                                  weights=sw)
    assert (gaps <= tol_scaled * (1 + 1e-9)).all()
    assert (ref[3] <= tol_scaled * (1 + 1e-9)).all()
    if positive:
        assert (coefs >= 0).all()


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("positive", [False, True])
def test_path_equals_sklearn(spy, weighted, l1_ratio, positive):
    X, y, sw = tall_problem(seed=2)
    alphas, coefs, _ = fastreg.enet_path(X, y, l1_ratio=l1_ratio, alphas=20, tol=TOL,
                                         max_iter=100_000, positive=positive)
    assert spy == [True]
    _, sk_coefs, _ = sk_enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, tol=TOL,
                                  max_iter=100_000, positive=positive)
    assert_close(coefs, sk_coefs, 1e-8, "coefs")
    # estimators (intercept, sample weights) at a few alphas of the path; their default,
    # scikit-learn's precompute=False, keeps residual updates (and the core)
    sw = sw if weighted else None
    for alpha in alphas[[2, 8, 15]]:
        est = fastreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=TOL, max_iter=100_000,
                                 precompute=True, positive=positive)
        est.fit(X, y, sample_weight=sw)
        ref = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=TOL, max_iter=100_000,
                           positive=positive)
        ref.fit(X, y, sample_weight=sw)
        assert_close(est.coef_, ref.coef_, 1e-8, "coef_")
        assert est.intercept_ == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-8)
    assert spy[1:] == [True] * 3


@pytest.mark.parametrize("weighted", [False, True])
def test_standardize_equals_sklearn_on_scaled_columns(spy, weighted):
    # glmnet's standardize: the penalty applies to the coefficients of the columns divided
    # by their weighted standard deviations; scikit-learn fits those columns directly
    X, y, sw = tall_problem(seed=8)
    sw = sw if weighted else None
    alphas, coefs, _, intercepts = fastreg.enet_path(
        X, y, l1_ratio=0.5, alphas=15, tol=TOL, max_iter=100_000, sample_weight=sw,
        fit_intercept=True, standardize=True, return_intercept=True)
    assert spy == [True]
    w = np.ones(N) if sw is None else sw
    sd = np.sqrt(np.average((X - np.average(X, axis=0, weights=w)) ** 2, axis=0, weights=w))
    for i in (1, 7, 14):
        ref = SkElasticNet(alpha=alphas[i], l1_ratio=0.5, tol=TOL, max_iter=100_000)
        ref.fit(X / sd, y, sample_weight=sw)
        assert_close(coefs[:, i], ref.coef_ / sd, 1e-8, "coefs")
        assert intercepts[i] == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-8)


def test_penalty_factors_with_zeros(spy):
    X, y, sw = tall_problem(seed=3)
    pf = np.linspace(0.5, 2.0, P)
    pf[[3, 11]] = 0.0
    # a given grid: the new route
    grid = np.geomspace(1.0, 1e-3, 25)
    _, coefs, _, intercepts = fastreg.lasso_path(
        X, y, alphas=grid, tol=TOL, max_iter=100_000, sample_weight=sw, penalty_factor=pf,
        fit_intercept=True, return_intercept=True)
    assert spy == [True]
    ref = core_gram_path(X, y, sw=sw, pf=pf, alphas=grid)
    assert_close(coefs, ref[1], 1e-8, "coefs")
    assert_close(intercepts, ref[2], 1e-8, "intercepts")
    assert (coefs[[3, 11]] != 0).all()  # unpenalized: in the model from the first alpha
    # a generated grid: alpha_max after fitting the unpenalized features, which the new
    # route leaves to the core (the same grid, the same answers)
    alphas, coefs, _ = fastreg.lasso_path(X, y, alphas=25, tol=TOL, max_iter=100_000,
                                          sample_weight=sw, penalty_factor=pf,
                                          fit_intercept=True)
    assert spy == [True, False]
    ref = core_gram_path(X, y, sw=sw, pf=pf, n_alphas=25)
    np.testing.assert_array_equal(alphas, ref[0])
    assert_close(coefs, ref[1], 1e-8, "coefs")


def test_float32_is_computed_in_float64(spy):
    X, y, sw = tall_problem(seed=4, dtype=np.float32)
    kw = dict(l1_ratio=0.5, alphas=20, tol=TOL, max_iter=100_000, sample_weight=sw,
              fit_intercept=True, return_intercept=True)
    alphas, coefs, _, intercepts = fastreg.enet_path(X, y, **kw)
    assert coefs.dtype == np.float32 and intercepts.dtype == np.float32
    # float32 data are exact in float64: the same statistics, the same path, up to the
    # final rounding of the coefficients to float32
    kw64 = {**kw, "sample_weight": sw.astype(np.float64)}
    alphas64, coefs64, _, intercepts64 = fastreg.enet_path(X.astype(np.float64),
                                                           y.astype(np.float64), **kw64)
    assert spy == [True, True]
    np.testing.assert_allclose(alphas, alphas64, rtol=1e-12)
    assert_close(coefs, coefs64, 1e-7, "coefs")
    assert_close(intercepts, intercepts64, 1e-7, "intercepts")
    ref = core_gram_path(X, y, sw=sw, l1_ratio=0.5, n_alphas=20)
    assert_close(coefs, ref[1], 1e-6, "coefs against the core")


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_constant_and_zero_columns_get_zero(spy, standardize, fit_intercept):
    X, y, _ = tall_problem(seed=5)
    X[:, 6] = 2.5  # constant: nothing left once centered
    X[:, 9] = 0.0
    alphas, coefs, gaps = fastreg.lasso_path(X, y, alphas=20, tol=TOL, max_iter=100_000,
                                             fit_intercept=fit_intercept,
                                             standardize=standardize)
    assert spy == [True]
    assert np.isfinite(coefs).all() and np.isfinite(gaps).all()
    assert (coefs[9] == 0).all()
    if fit_intercept:
        assert (coefs[6] == 0).all()
    ref = core_gram_path(X, y, n_alphas=20, fit_intercept=fit_intercept,
                         standardize=standardize)
    np.testing.assert_allclose(alphas, ref[0], rtol=1e-12)
    assert_close(coefs, ref[1], 1e-8, "coefs")


def test_dispatch():
    X, y, _ = tall_problem(seed=6)
    use = lambda X, y, **kw: _tall.use_tall(X, y, **{**dict(gram=-1, seed=None, coef_init=None,
                                                           n_alphas=100), **kw})
    # the new route: dense X, Gram mode, no starting point, cyclic order
    assert use(X, y)
    assert use(X, y, n_alphas=1)  # 2000 x 40: a single fit too
    assert use(X[:100], y[:100], gram=1)
    assert not use(X[:100], y[:100])  # n < 10 p: no Gram mode
    assert not use(X, y, gram=0)
    assert not use(X, y, seed=1)
    assert not use(X, y, coef_init=np.zeros(P))
    assert use(X, np.asfortranarray(np.stack([y, y], axis=1)))  # several targets too
    # a small single fit stays with the core (less Python overhead), its path does not
    assert not use(X[:400, :10], y[:400], n_alphas=1)
    assert use(X[:400, :10], y[:400], n_alphas=100)


def test_small_single_fit_unchanged(spy):
    X, y, _ = tall_problem(seed=7)
    X, y = X[:400, :10], y[:400]
    est = fastreg.Lasso(alpha=0.05, precompute=True, tol=TOL, max_iter=100_000).fit(X, y)
    assert spy == []
    ref = SkElasticNet(alpha=0.05, l1_ratio=1.0, tol=TOL, max_iter=100_000).fit(X, y)
    assert_close(est.coef_, ref.coef_, 1e-8, "coef_")


# ---- several targets: one X~^T V X~ for all of them ----------------------------------


def tall_targets(seed, k=4):
    """tall_problem's X with k targets: different supports, scales and intercepts."""
    X, _, sw = tall_problem(seed=seed)
    rng = np.random.default_rng(seed + 100)
    B = np.zeros((P, k))
    for t in range(k):
        B[rng.choice(P, 6, replace=False), t] = rng.normal(0, 1 + t, 6)
    Y = X @ B + rng.standard_normal((N, k)) * (1 + np.arange(k)) + np.arange(k)
    return X, np.asfortranarray(Y), sw


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("given_grid", [False, True])
def test_targets_equal_single_target_paths(spy, weighted, standardize, given_grid):
    X, Y, sw = tall_targets(seed=8)
    sw = sw if weighted else None
    k = Y.shape[1]
    alphas = np.geomspace(2.0, 2e-3, 25) if given_grid else 25
    kw = dict(l1_ratio=0.7, alphas=alphas, tol=TOL, max_iter=100_000, sample_weight=sw,
              standardize=standardize, fit_intercept=True, return_intercept=True)
    X0, Y0 = X.copy(), Y.copy()
    grids, coefs, gaps, intercepts = fastreg.enet_path(X, Y, **kw)
    assert spy == [True]
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    assert coefs.shape == (k, P, 25) and gaps.shape == intercepts.shape == (k, 25)
    assert grids.shape == ((25,) if given_grid else (k, 25))
    for t in range(k):
        # a single-target call through the same route: the same statistics up to the
        # order BLAS sums them in (a matrix product for all targets against a vector one)
        a1, c1, g1, b1 = fastreg.enet_path(X, np.ascontiguousarray(Y[:, t]), **kw)
        np.testing.assert_allclose(grids if given_grid else grids[t], a1, rtol=1e-12)
        assert_close(coefs[t], c1, 1e-9, f"coefs of target {t}")
        assert_close(intercepts[t], b1, 1e-9, f"intercepts of target {t}")
        # and the core's Gram-mode path of that target
        ref = core_gram_path(X, np.ascontiguousarray(Y[:, t]), sw=sw, l1_ratio=0.7,
                             standardize=standardize,
                             **(dict(alphas=alphas) if given_grid else dict(n_alphas=25)))
        assert_close(coefs[t], ref[1], 1e-8, f"coefs of target {t} against the core")
        assert_close(intercepts[t], ref[2], 1e-8, f"intercepts of target {t} against the core")
    assert spy == [True] * (k + 1)


def test_targets_estimator_and_fallback(spy):
    X, Y, sw = tall_targets(seed=9, k=3)
    X[:, 5] = 1.5  # constant: coefficient 0 for every target
    est = fastreg.Lasso(alpha=0.02, precompute=True, tol=TOL, max_iter=100_000).fit(X, Y)
    assert spy == [True]
    assert est.coef_.shape == (3, P) and est.intercept_.shape == (3,)
    assert (est.coef_[:, 5] == 0).all()
    for t in range(3):
        ref = SkElasticNet(alpha=0.02, l1_ratio=1.0, tol=TOL, max_iter=100_000).fit(X, Y[:, t])
        assert_close(est.coef_[t], ref.coef_, 1e-8, f"coef_ of target {t}")
        assert est.intercept_[t] == pytest.approx(ref.intercept_, rel=1e-8, abs=1e-8)
    # unpenalized features with a generated grid: every target goes back to the core
    pf = np.ones(P)
    pf[2] = 0.0
    alphas, coefs, _ = fastreg.lasso_path(X, Y, alphas=15, tol=TOL, max_iter=100_000,
                                          penalty_factor=pf, fit_intercept=True)
    assert spy == [True, False]
    for t in range(3):
        ref = core_gram_path(X, np.ascontiguousarray(Y[:, t]), pf=pf, n_alphas=15)
        np.testing.assert_array_equal(alphas[t], ref[0])
        assert_close(coefs[t], ref[1], 1e-8, f"coefs of target {t}")


def test_targets_on_one_thread_equal_threads(spy):
    X, Y, _ = tall_targets(seed=10, k=5)
    one = fastreg.lasso_path(X, Y, alphas=20, tol=TOL, n_threads=1)
    many = fastreg.lasso_path(X, Y, alphas=20, tol=TOL, n_threads=3)
    assert spy == [True, True]
    for a, b in zip(one, many):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("weighted", [False, True])
def test_statistics_same_sums_on_any_thread_count(weighted, monkeypatch):
    # blocks of 640 rows (13 blocks of 8,000 x 40): the threads share them, and the sums
    # are added in block order, so every thread count gives the same bits; and they are
    # the centered products NumPy computes in one piece, to rounding
    monkeypatch.setattr(_block_sums, "SHARE_BLOCK_ELEMENTS", 640 * 40)
    rng = np.random.default_rng(3)
    X = np.asfortranarray(rng.standard_normal((8000, 40)) * 3.0 + 5.0)
    y = rng.standard_normal(8000)
    sw = rng.uniform(0.0, 2.0, 8000) if weighted else None
    one = _tall._statistics(X, y, sw, True, threads=1)
    for threads in (2, 3, 8):
        for a, b in zip(one, _tall._statistics(X, y, sw, True, threads=threads)):
            np.testing.assert_array_equal(a, b)
    mean, Q, q = one[:3]
    v = np.full(8000, 1 / 8000) if sw is None else sw / sw.sum()
    Xc = X - v @ X
    assert_close(mean, v @ X, 1e-14, "mean")
    assert_close(Q, 8000 * (Xc * v[:, None]).T @ Xc, 1e-12, "Q")
    assert_close(q, 8000 * (Xc * v[:, None]).T @ (y - v @ y), 1e-12, "q")


def test_block_sums_error_in_a_block_is_raised_and_helpers_finish():
    # an exception in any block reaches the caller, after every started helper is done
    blocks = [(i, i + 1) for i in range(40)]

    def block(i0, i1):
        if i0 == 17:
            raise MemoryError("block 17")
        return np.ones((2, 2)), np.ones(2)

    with pytest.raises(MemoryError, match="block 17"):
        _block_sums.block_sums(block, blocks, threads=3)
    Q, q = _block_sums.block_sums(lambda i0, i1: (np.full((2, 2), float(i0)), np.ones(2)),
                                  blocks, 3)
    np.testing.assert_array_equal(Q, np.full((2, 2), float(sum(range(40)))))
    np.testing.assert_array_equal(q, np.full(2, 40.0))
