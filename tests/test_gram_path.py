"""lasso_path_gram / enet_path_gram: paths from X^T X, X^T y and n.

References: fastreg's and scikit-learn's X-based paths on the same centered data (the
summary statistics carry the same problem), and the KKT conditions where no X exists.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import enet_path as sk_enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

import fastreg
from fastreg.exceptions import ConvergenceWarning
from fastreg.linear_model._gram_path import _fit

TOL = 1e-10


def centered(n, p, seed, k=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, ::7] *= 3.0  # unequal column scales
    beta = np.zeros(p)
    beta[:k] = rng.uniform(0.5, 2.0, k) * rng.choice([-1, 1], k)
    y = X @ beta + rng.standard_normal(n)
    X -= X.mean(axis=0)
    y -= y.mean()
    return X, y


def stats(X, y):
    return X.T @ X, X.T @ y, X.shape[0], float(y @ y)


def assert_coefs(actual, expected, rel=1e-7):
    scale = max(np.abs(expected).max(), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=rel * scale)


def lasso_gap(X, y, alpha, w):
    """scikit-learn's duality gap of the lasso at w (divided by n), from the residual."""
    n = X.shape[0]
    r = y - X @ w
    dual_norm = np.abs(X.T @ r).max() / n
    s = min(1.0, alpha / dual_norm) if dual_norm > 0 else 1.0
    primal = 0.5 * (r @ r) / n + alpha * np.abs(w).sum()
    dual = -0.5 * s * s * (r @ r) / n + s * (r @ y) / n
    return primal - dual


def kkt_violation(XtX, Xty, n, alpha, w, l1_ratio=1.0, pf=None, positive=False):
    """The largest violation of the KKT conditions of the problem, in the gradient's
    units (|g_j| <= l1 pf_j off the support, g_j = l1 pf_j sign(w_j) on it, with
    g = (Xty - XtX w) / n - l2 pf w)."""
    pf = np.ones_like(Xty) if pf is None else pf
    l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    g = (Xty - XtX @ w) / n - l2 * pf * w
    on = w != 0
    off_viol = (g if positive else np.abs(g)) - l1 * pf
    on_viol = np.abs(g - l1 * pf * np.sign(w))
    return max(np.max(np.where(on, on_viol, np.maximum(off_viol, 0.0)), initial=0.0), 0.0)


@pytest.mark.parametrize("n,p", [(200, 50), (200, 500)], ids=["tall", "wide"])
@pytest.mark.parametrize("with_yty", [True, False], ids=["yty", "no-yty"])
def test_lasso_equals_x_based_paths(n, p, with_yty):
    X, y = centered(n, p, seed=p)
    XtX, Xty, n_, yty = stats(X, y)
    alphas, coefs, gaps = fastreg.lasso_path_gram(XtX, Xty, n_, yty=yty if with_yty else None,
                                                  tol=TOL, max_iter=100_000)
    ref_alphas, ref_coefs, _ = fastreg.lasso_path(X, y, tol=TOL, max_iter=100_000)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)
    assert alphas[0] == pytest.approx(np.abs(Xty).max() / n, rel=1e-12)
    assert_coefs(coefs, ref_coefs)
    _, sk_coefs, _ = sk_lasso_path(X, y, alphas=alphas, tol=TOL, max_iter=100_000)
    assert_coefs(coefs, sk_coefs)
    assert (gaps <= TOL * yty / n).all()
    true_gaps = np.array([lasso_gap(X, y, a, w) for a, w in zip(alphas, coefs.T)])
    if with_yty:  # the same duality gaps, from quadratic forms instead of residuals
        np.testing.assert_allclose(gaps, true_gaps, rtol=1e-6, atol=1e-13 * yty / n)
    else:  # an estimate from below of the true gap
        assert (gaps <= true_gaps + 1e-13 * yty / n).all()
        assert (true_gaps <= TOL * yty / n).all()


def test_enet_equals_x_based_paths():
    X, y = centered(200, 80, seed=1)
    XtX, Xty, n, yty = stats(X, y)
    alphas, coefs, _ = fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=0.5, yty=yty, tol=TOL)
    ref_alphas, ref_coefs, _ = fastreg.enet_path(X, y, l1_ratio=0.5, tol=TOL)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)
    assert alphas[0] == pytest.approx(np.abs(Xty).max() / (n * 0.5), rel=1e-12)
    assert_coefs(coefs, ref_coefs)
    _, sk_coefs, _ = sk_enet_path(X, y, l1_ratio=0.5, alphas=alphas, tol=TOL, max_iter=10_000)
    assert_coefs(coefs, sk_coefs)
    # and without yty
    _, coefs2, _ = fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=0.5, tol=TOL)
    assert_coefs(coefs2, ref_coefs)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
def test_penalty_factor(l1_ratio):
    X, y = centered(200, 60, seed=2)
    XtX, Xty, n, yty = stats(X, y)
    pf = np.random.default_rng(3).uniform(0.5, 2.0, 60)
    pf[[1, 10]] = 0.0  # unpenalized: fitted first, alpha_max taken after them
    alphas, coefs, _ = fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=l1_ratio, yty=yty,
                                              penalty_factor=pf, tol=TOL, alphas=30)
    ref_alphas, ref_coefs, _ = fastreg.enet_path(X, y, l1_ratio=l1_ratio, penalty_factor=pf,
                                                 tol=TOL, alphas=30)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-10)
    assert_coefs(coefs, ref_coefs)
    assert (coefs[[1, 10]] != 0).all()
    for k in (0, 10, 29):
        assert kkt_violation(XtX, Xty, n, alphas[k], coefs[:, k], l1_ratio, pf) < 1e-8


def test_positive():
    X, y = centered(200, 50, seed=4)
    XtX, Xty, n, yty = stats(X, y)
    alphas, coefs, _ = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, positive=True, tol=TOL)
    assert (coefs >= 0).all() and (coefs > 0).any()
    assert alphas[0] == pytest.approx(Xty.max() / n, rel=1e-12)
    _, sk_coefs, _ = sk_lasso_path(X, y, alphas=alphas, positive=True, tol=TOL, max_iter=10_000)
    assert_coefs(coefs, sk_coefs)
    _, ref_coefs, _ = fastreg.lasso_path(X, y, positive=True, tol=TOL)
    assert_coefs(coefs, ref_coefs)


@pytest.mark.parametrize("fmt", ["csc", "csr", "coo"])
@pytest.mark.parametrize("index", [np.int32, np.int64])
def test_sparse_equals_dense(fmt, index):
    X, y = centered(200, 60, seed=5)
    XtX, Xty, n, yty = stats(X, y)
    XtX[np.abs(XtX) < 20] = 0.0  # a sparse "XtX" (still symmetric; its own problem)
    XtX += np.diag(np.abs(XtX).sum(axis=1))  # diagonally dominant: positive definite
    S = sp.csc_matrix(XtX).asformat(fmt)
    if fmt != "coo":
        S.indices = S.indices.astype(index)
        S.indptr = S.indptr.astype(index)
    dense = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, tol=TOL)
    sparse = fastreg.lasso_path_gram(S, Xty, n, yty=yty, tol=TOL)
    np.testing.assert_array_equal(sparse[0], dense[0])
    assert_coefs(sparse[1], dense[1], rel=1e-12)


def ld_like(p, bandwidth, seed):
    """n B B^T for a banded B with unit diagonal: banded (2 bandwidth + 1 diagonals),
    positive definite, correlation-like; and an X^T y from a sparse effect plus noise."""
    rng = np.random.default_rng(seed)
    offsets = list(range(0, bandwidth + 1))
    diags = [np.ones(p)] + [0.6 ** k * rng.uniform(0.2, 1.0, p - k) for k in offsets[1:]]
    B = sp.diags(diags, offsets, shape=(p, p), format="csc")
    n = 5000.0
    XtX = (n * (B @ B.T)).tocsc()
    beta = np.zeros(p)
    beta[rng.choice(p, 20, replace=False)] = rng.normal(0, 0.1, 20)
    Xty = XtX @ beta + np.sqrt(n) * (B @ rng.standard_normal(p))
    return XtX, Xty, n


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("with_yty", [True, False], ids=["yty", "no-yty"])
def test_banded_ld_kkt(l1_ratio, with_yty):
    XtX, Xty, n = ld_like(3000, 10, seed=6)
    assert XtX.nnz < 25 * 3000
    yty = 2.0 * n if with_yty else None  # any value at least the explained sum of squares
    alphas, coefs, gaps = fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=l1_ratio, yty=yty,
                                                 tol=1e-12, alphas=40, eps=1e-2)
    dense = XtX.toarray()
    assert (coefs[:, 0] == 0).all() and (coefs[:, -1] != 0).sum() > 20
    for k in range(40):
        assert kkt_violation(dense, Xty, n, alphas[k], coefs[:, k], l1_ratio) < 1e-8 * alphas[k]


def test_given_alphas_are_sorted_and_used():
    X, y = centered(200, 50, seed=7)
    XtX, Xty, n, yty = stats(X, y)
    grid = np.array([0.01, 0.3, 0.1, 0.03])
    alphas, coefs, gaps = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, alphas=grid, tol=TOL)
    np.testing.assert_array_equal(alphas, np.sort(grid)[::-1])
    _, ref_coefs, _ = fastreg.lasso_path(X, y, alphas=grid, tol=TOL)
    assert_coefs(coefs, ref_coefs)
    assert coefs.shape == (50, 4) and gaps.shape == (4,)


def test_ridge_with_given_alphas():
    X, y = centered(200, 30, seed=8)
    XtX, Xty, n, yty = stats(X, y)
    _, coefs, _ = fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=0.0, yty=yty, alphas=[1.0, 0.1],
                                         tol=TOL)
    for k, alpha in enumerate([1.0, 0.1]):
        exact = np.linalg.solve(XtX / n + alpha * np.eye(30), Xty / n)
        assert_coefs(coefs[:, k], exact)
    with pytest.raises(ValueError, match="l1_ratio"):
        fastreg.enet_path_gram(XtX, Xty, n, l1_ratio=0.0)


def test_constant_column_stays_zero():
    X, y = centered(200, 40, seed=9)
    Xz = X.copy()
    Xz[:, 5] = 0.0  # a constant column, centered
    XtX, Xty, n, yty = stats(Xz, y)
    alphas, coefs, _ = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, tol=TOL)
    assert (coefs[5] == 0).all()
    keep = np.arange(40) != 5
    _, ref, _ = fastreg.lasso_path(X[:, keep], y, alphas=alphas, tol=TOL)
    assert_coefs(coefs[keep], ref)


def test_float32_and_integer_input_are_converted():
    X, y = centered(200, 30, seed=10)
    XtX, Xty, n, yty = stats(X, y)
    ref = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, tol=TOL)
    out = fastreg.lasso_path_gram(XtX.astype(np.float32), Xty.astype(np.float32), n, tol=TOL)
    assert out[1].dtype == np.float64
    assert_coefs(out[1], ref[1], rel=1e-4)
    R = np.round(XtX).astype(np.int64)
    R = (R + R.T) // 2
    out = fastreg.lasso_path_gram(R, np.round(Xty).astype(np.int64), n, tol=TOL)
    assert np.isfinite(out[1]).all()


def test_coef_init_and_n_iter():
    X, y = centered(200, 50, seed=11)
    XtX, Xty, n, yty = stats(X, y)
    alphas, coefs, _ = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, tol=TOL)
    a = alphas[50:51]
    cold = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, alphas=a, tol=TOL, return_n_iter=True)
    warm = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, alphas=a, tol=TOL,
                                   coef_init=coefs[:, 50], return_n_iter=True)
    assert_coefs(warm[1], coefs[:, 50:51])
    assert_coefs(cold[1], coefs[:, 50:51])
    assert warm[3][0] < cold[3][0]


@pytest.mark.parametrize("off", ["screening", "acceleration"])
def test_screening_and_acceleration_change_nothing(off):
    X, y = centered(200, 500, seed=12)
    X[:, 1::2] += X[:, ::2]  # correlated pairs: slow epochs, where Anderson steps are taken
    XtX, Xty, n, yty = stats(X, y)
    kw = dict(l1_ratio=1.0, yty=yty, eps=1e-3, alphas=50, tol=TOL, max_iter=100_000,
              positive=False, penalty_factor=None, coef_init=None)
    on = _fit(XtX, Xty, n, **kw)
    without = _fit(XtX, Xty, n, **kw, **{off: False})
    assert_coefs(on["coefs"], without["coefs"])
    assert on["converged"].all() and without["converged"].all()
    if off == "screening":
        assert on["kkt_checks"] > 0 and without["kkt_checks"] == 0
    else:
        assert on["epochs"] < without["epochs"]


def test_convergence_warning():
    X, y = centered(200, 500, seed=13)
    XtX, Xty, n, yty = stats(X, y)
    with pytest.warns(ConvergenceWarning):
        fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, max_iter=1, tol=1e-12)


def test_exported_lazily():
    assert "lasso_path_gram" in fastreg.__all__ and "enet_path_gram" in fastreg.__all__
    from fastreg.linear_model import enet_path_gram, lasso_path_gram

    assert fastreg.lasso_path_gram is lasso_path_gram
    assert fastreg.enet_path_gram is enet_path_gram
    assert "Parameters" in lasso_path_gram.__doc__ and "yty" in enet_path_gram.__doc__


def _bad_inputs():
    X, y = centered(30, 4, seed=14, k=2)
    XtX, Xty, n, yty = stats(X, y)
    asym = XtX.copy()
    asym[0, 1] += 1.0
    neg = XtX.copy()
    neg[2, 2] = -1.0
    nan = XtX.copy()
    nan[1, 1] = np.nan
    upper = sp.triu(sp.csc_matrix(XtX), format="csc")
    good = dict(XtX=XtX, Xty=Xty, n=n)
    cases = [
        ("XtX", dict(XtX=XtX[:, :3])),
        ("XtX", dict(XtX=XtX[0])),
        ("XtX", dict(XtX=asym)),
        ("XtX", dict(XtX=neg)),
        ("XtX", dict(XtX=nan)),
        ("XtX", dict(XtX=np.zeros((0, 0)))),
        ("XtX", dict(XtX=None)),
        ("XtX", dict(XtX=upper)),
        ("XtX", dict(XtX=sp.csc_matrix(asym))),
        ("XtX", dict(XtX=sp.csc_matrix(nan))),
        ("XtX", dict(XtX=sp.csc_matrix(XtX[:, :3]))),
        ("Xty", dict(Xty=Xty[:3])),
        ("Xty", dict(Xty=np.append(Xty[:3], np.inf))),
        ("Xty", dict(Xty=None)),
        ("n", dict(n=0)),
        ("n", dict(n=-5.0)),
        ("n", dict(n=np.inf)),
        ("yty", dict(yty=-1.0)),
        ("yty", dict(yty=np.nan)),
        ("yty", dict(yty="a")),
        ("penalty_factor", dict(penalty_factor=np.ones(3))),
        ("penalty_factor", dict(penalty_factor=-np.ones(4))),
        ("coef_init", dict(coef_init=np.ones(5))),
        ("alphas", dict(alphas=[-1.0])),
        ("alphas", dict(alphas=0)),
        ("eps", dict(eps=0.0)),
        ("tol", dict(tol=-1.0)),
        ("max_iter", dict(max_iter=0)),
        ("l1_ratio", dict(l1_ratio=1.5)),
    ]
    return [(name, {**good, **change}) for name, change in cases]


def test_indefinite_xtx_is_reported():
    R = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]])  # eigenvalue -0.8
    Xty = np.array([10.0, 5.0, 1.0])
    with pytest.raises(ValueError, match="XtX: not positive semidefinite"):
        fastreg.lasso_path_gram(100 * R, Xty, 100, alphas=5)
    with pytest.raises(ValueError, match="XtX: not positive semidefinite"):
        fastreg.lasso_path_gram(sp.csr_matrix(100 * R), Xty, 100, alphas=5)
    # enough ridge penalty makes the problem convex again: solved, KKT conditions hold
    alphas, coefs, _ = fastreg.enet_path_gram(100 * R, Xty, 100, l1_ratio=0.5, alphas=[4.0, 2.0],
                                              tol=1e-12)
    for k in range(2):
        assert kkt_violation(100 * R, Xty, 100, alphas[k], coefs[:, k], 0.5) < 1e-9


def test_large_dense_xtx_symmetry_is_sampled(monkeypatch):
    from fastreg.linear_model import _gram_checks

    monkeypatch.setattr(_gram_checks, "FULL_CHECK_MAX", 10)
    X, y = centered(100, 40, seed=15)
    XtX, Xty, n, yty = stats(X, y)
    ok = fastreg.lasso_path_gram(XtX, Xty, n, alphas=3)
    assert np.isfinite(ok[1]).all()
    bad = XtX + np.triu(np.ones((40, 40)), 1)  # every pair above the diagonal differs
    with pytest.raises(ValueError, match="XtX: must be symmetric"):
        fastreg.lasso_path_gram(bad, Xty, n)


@pytest.mark.parametrize("name,kwargs", _bad_inputs())
def test_bad_input_raises_value_error_naming_it(name, kwargs):
    args = [kwargs.pop(k) for k in ("XtX", "Xty", "n")]
    with pytest.raises(ValueError, match=name):
        fastreg.enet_path_gram(*args, **kwargs)
