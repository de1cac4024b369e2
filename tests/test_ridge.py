"""Ridge and RidgeCV against scikit-learn, closed forms and brute-force leave-one-out."""

from __future__ import annotations

import numpy as np
import pytest

import fastreg

sklearn = pytest.importorskip("sklearn")
sp = pytest.importorskip("scipy.sparse")
from sklearn.linear_model import Ridge as SkRidge  # noqa: E402
from sklearn.linear_model import RidgeCV as SkRidgeCV  # noqa: E402

SHAPES = {"wide": (30, 80), "tall": (90, 12)}
ALPHAS = np.geomspace(1e-2, 1e3, 9)


def _rtol(dtype):
    return 2e-4 if np.dtype(dtype) == np.float32 else 1e-7


def _problem(shape, dtype=np.float64, k=1, offset=2.0, seed=0):
    rng = np.random.default_rng(seed)
    n, p = SHAPES[shape]
    X = rng.standard_normal((n, p)) + offset
    W = rng.standard_normal((p, k))
    Y = X @ W + rng.standard_normal((n, k))
    y = Y[:, 0] if k == 1 else Y
    return X.astype(dtype), y.astype(dtype), rng.uniform(0.2, 2.0, n)


def _closed_form(X, y, alpha, sw=None, fit_intercept=True, pf=None):
    """argmin sum_i s_i (y_i - b - x_i w)^2 + alpha sum_j pf_j w_j^2 by the normal equations."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, p = X.shape
    s = np.ones(n) if sw is None else sw
    pf = np.ones(p) if pf is None else pf
    Z = np.c_[np.ones(n), X] if fit_intercept else X
    pen = np.r_[0.0, pf] if fit_intercept else pf
    A = Z.T @ (s[:, None] * Z) + alpha * np.diag(pen)
    beta = np.linalg.solve(A, Z.T @ (s * y))
    return (beta[1:], beta[0]) if fit_intercept else (beta, 0.0)


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_matches_closed_form_and_sklearn(shape, fit_intercept, weighted, dtype):
    X, y, s = _problem(shape, dtype)
    sw = s if weighted else None
    est = fastreg.Ridge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    assert est.coef_.dtype == dtype and est.coef_.shape == (X.shape[1],)
    w, b = _closed_form(X, y, 3.0, sw, fit_intercept)
    rtol = _rtol(dtype)
    np.testing.assert_allclose(est.coef_, w, rtol=rtol, atol=rtol * np.abs(w).max())
    np.testing.assert_allclose(est.intercept_, b, rtol=rtol, atol=rtol * max(1, abs(b)))
    ref = SkRidge(alpha=3.0, fit_intercept=fit_intercept, solver="cholesky").fit(
        X.astype(np.float64), y.astype(np.float64), sample_weight=sw)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=rtol, atol=rtol * np.abs(w).max())
    np.testing.assert_allclose(est.predict(X), ref.predict(X.astype(np.float64)),
                               rtol=rtol, atol=rtol * np.abs(y).max())


@pytest.mark.parametrize("shape", list(SHAPES))
def test_ridge_2d_y_per_target_alpha_and_svd(shape):
    X, Y, s = _problem(shape, k=3)
    alpha = np.array([0.5, 5.0, 50.0])
    est = fastreg.Ridge(alpha=alpha).fit(X, Y, sample_weight=s)
    ref = SkRidge(alpha=alpha).fit(X, Y, sample_weight=s)
    assert est.coef_.shape == (3, X.shape[1]) and est.intercept_.shape == (3,)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)
    svd = fastreg.Ridge(alpha=alpha, solver="svd").fit(X, Y, sample_weight=s)
    assert svd.solver_ == "svd" and est.solver_ == "cholesky"
    np.testing.assert_allclose(svd.coef_, est.coef_, rtol=1e-8, atol=1e-10)
    one = fastreg.Ridge(alpha=2.0).fit(X, Y[:, :1])
    assert one.coef_.shape == (1, X.shape[1])


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_sparse_equals_dense(shape, fit_intercept, dtype):
    X, y, s = _problem(shape, dtype)
    rng = np.random.default_rng(1)
    X = X * (rng.random(X.shape) < 0.3)
    dense = fastreg.Ridge(alpha=1.5, fit_intercept=fit_intercept).fit(X, y, sample_weight=s)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = fastreg.Ridge(alpha=1.5, fit_intercept=fit_intercept).fit(fmt(X), y, sample_weight=s)
        rtol = _rtol(dtype)
        np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=rtol,
                                   atol=rtol * np.abs(dense.coef_).max())
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_penalty_factor_rescaling_and_zeros(shape):
    X, y, s = _problem(shape)
    p = X.shape[1]
    pf = np.random.default_rng(2).uniform(0.5, 3.0, p)
    est = fastreg.Ridge(alpha=2.0, penalty_factor=pf).fit(X, y, sample_weight=s)
    # pf_j > 0 equals scaling column j by 1/sqrt(pf_j) (and the coefficient back)
    scaled = fastreg.Ridge(alpha=2.0).fit(X / np.sqrt(pf), y, sample_weight=s)
    np.testing.assert_allclose(est.coef_, scaled.coef_ / np.sqrt(pf), rtol=1e-8, atol=1e-11)
    np.testing.assert_allclose(est.intercept_, scaled.intercept_, rtol=1e-8)
    pf[[0, 3]] = 0.0  # unpenalized
    for fi in (True, False):
        est = fastreg.Ridge(alpha=2.0, penalty_factor=pf, fit_intercept=fi).fit(X, y, sample_weight=s)
        w, b = _closed_form(X, y, 2.0, s, fi, pf)
        np.testing.assert_allclose(est.coef_, w, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(est.intercept_, b, rtol=1e-7, atol=1e-9)
        sparse = fastreg.Ridge(alpha=2.0, penalty_factor=pf, fit_intercept=fi).fit(
            sp.csc_matrix(X), y, sample_weight=s)
        np.testing.assert_allclose(sparse.coef_, w, rtol=1e-7, atol=1e-9)


def test_scalar_sample_weight_scales_the_loss():
    X, y, _ = _problem("tall")
    a = fastreg.Ridge(alpha=4.0).fit(X, y, sample_weight=2.0)
    b = fastreg.Ridge(alpha=2.0).fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_positive_ridge(shape):
    X, y, s = _problem(shape)
    est = fastreg.Ridge(alpha=5.0, positive=True, tol=1e-10, max_iter=20000).fit(X, y, sample_weight=s)
    assert est.solver_ == "cd" and (est.coef_ >= 0).all() and (est.coef_ == 0).any()
    ref = SkRidge(alpha=5.0, positive=True, tol=1e-12).fit(X, y, sample_weight=s)
    obj = [float(s @ (y - X @ m.coef_ - m.intercept_) ** 2 + 5.0 * m.coef_ @ m.coef_)
           for m in (est, ref)]
    assert obj[0] <= obj[1] * (1 + 1e-7)
    np.testing.assert_allclose(est.coef_, ref.coef_, atol=1e-4 * np.abs(ref.coef_).max())


# ---------------------------------------------------------------------------------------
# RidgeCV


def _brute_loo(X, y, alpha, sw, fit_intercept):
    n = len(y)
    err = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        w, b = _closed_form(X[keep], y[keep], alpha, None if sw is None else sw[keep], fit_intercept)
        err[i] = y[i] - b - X[i] @ w
    return err ** 2 * (1.0 if sw is None else sw)


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridgecv_loo_matches_sklearn_and_brute_force(shape, fit_intercept, weighted):
    X, y, s = _problem(shape)
    sw = s if weighted else None
    est = fastreg.RidgeCV(alphas=ALPHAS, fit_intercept=fit_intercept, store_cv_results=True)
    est.fit(X, y, sample_weight=sw)
    ref = SkRidgeCV(alphas=ALPHAS, fit_intercept=fit_intercept, store_cv_results=True)
    ref.fit(X, y, sample_weight=sw)
    assert est.alpha_ == ref.alpha_ and isinstance(est.alpha_, float)
    np.testing.assert_allclose(est.best_score_, ref.best_score_, rtol=1e-7)
    assert est.cv_results_.shape == (X.shape[0], ALPHAS.size)
    np.testing.assert_allclose(est.cv_results_, ref.cv_results_, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)
    for j in (0, 4, 8):
        np.testing.assert_allclose(est.cv_results_[:, j],
                                   _brute_loo(X, y, ALPHAS[j], sw, fit_intercept), rtol=1e-6)


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("scoring", ["r2", "neg_mean_squared_error", "neg_mean_absolute_error",
                                     "explained_variance"])
def test_ridgecv_scoring_per_target(shape, scoring):
    X, Y, s = _problem(shape, k=3)
    kw = dict(alphas=ALPHAS, scoring=scoring, store_cv_results=True)
    for per_target in (False, True):
        est = fastreg.RidgeCV(alpha_per_target=per_target, **kw).fit(X, Y, sample_weight=s)
        ref = SkRidgeCV(alpha_per_target=per_target, **kw).fit(X, Y, sample_weight=s)
        np.testing.assert_array_equal(est.alpha_, ref.alpha_)
        np.testing.assert_allclose(est.best_score_, ref.best_score_, rtol=1e-7)
        assert est.cv_results_.shape == (X.shape[0], 3, ALPHAS.size)
        np.testing.assert_allclose(est.cv_results_, ref.cv_results_, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)


def test_ridgecv_callable_scoring():
    from sklearn.metrics import make_scorer, median_absolute_error

    X, y, _ = _problem("wide")
    scorer = make_scorer(median_absolute_error, greater_is_better=False)
    est = fastreg.RidgeCV(alphas=ALPHAS, scoring=scorer).fit(X, y)
    ref = SkRidgeCV(alphas=ALPHAS, scoring=scorer).fit(X, y)
    assert est.alpha_ == ref.alpha_
    np.testing.assert_allclose(est.best_score_, ref.best_score_, rtol=1e-7)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_ridgecv_kfold_matches_sklearn(shape):
    from sklearn.model_selection import KFold

    X, Y, s = _problem(shape, k=2)
    for cv in (4, KFold(3, shuffle=True, random_state=0)):
        for scoring in (None, "neg_mean_squared_error"):
            est = fastreg.RidgeCV(alphas=ALPHAS, cv=cv, scoring=scoring).fit(X, Y, sample_weight=s)
            ref = SkRidgeCV(alphas=ALPHAS, cv=cv, scoring=scoring).fit(X, Y, sample_weight=s)
            assert est.alpha_ == ref.alpha_
            np.testing.assert_allclose(est.best_score_, ref.best_score_, rtol=1e-8)
            np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    splits = list(KFold(5).split(X))
    a = fastreg.RidgeCV(alphas=ALPHAS, cv=splits).fit(X, Y[:, 0])
    b = fastreg.RidgeCV(alphas=ALPHAS, cv=5).fit(X, Y[:, 0])
    assert a.alpha_ == b.alpha_ and a.best_score_ == pytest.approx(b.best_score_, rel=1e-12)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_ridgecv_sparse_and_float32(shape):
    X, y, s = _problem(shape)
    Xs = X * (np.random.default_rng(3).random(X.shape) < 0.4)
    dense = fastreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(Xs, y, sample_weight=s)
    sparse = fastreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(sp.csr_matrix(Xs), y,
                                                                        sample_weight=s)
    assert sparse.alpha_ == dense.alpha_
    np.testing.assert_allclose(sparse.cv_results_, dense.cv_results_, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-8, atol=1e-11)
    f32 = fastreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(
        X.astype(np.float32), y.astype(np.float32), sample_weight=s)
    f64 = fastreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(
        X.astype(np.float32).astype(np.float64), y.astype(np.float32).astype(np.float64),
        sample_weight=s)
    assert f32.coef_.dtype == np.float32 and f32.cv_results_.dtype == np.float32
    assert f32.alpha_ == f64.alpha_
    np.testing.assert_allclose(f32.cv_results_, f64.cv_results_, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(f32.coef_, f64.coef_, rtol=1e-4, atol=1e-5 * np.abs(f64.coef_).max())


def test_ridgecv_penalty_factor_matches_rescaled_columns():
    X, y, s = _problem("wide")
    pf = np.random.default_rng(4).uniform(0.5, 2.0, X.shape[1])
    a = fastreg.RidgeCV(alphas=ALPHAS, penalty_factor=pf, store_cv_results=True).fit(X, y)
    b = fastreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X / np.sqrt(pf), y)
    assert a.alpha_ == b.alpha_
    np.testing.assert_allclose(a.cv_results_, b.cv_results_, rtol=1e-7)
    np.testing.assert_allclose(a.coef_, b.coef_ / np.sqrt(pf), rtol=1e-8, atol=1e-11)
    pf[:2] = 0.0
    for shape in SHAPES:
        X, y, s = _problem(shape)
        pf = np.ones(X.shape[1])
        pf[:2] = 0.0
        est = fastreg.RidgeCV(alphas=[3.0], penalty_factor=pf, store_cv_results=True).fit(
            X, y, sample_weight=s)
        np.testing.assert_allclose(est.cv_results_[:, 0], _brute_loo_pf(X, y, 3.0, s, pf), rtol=1e-6)


def _brute_loo_pf(X, y, alpha, sw, pf):
    n = len(y)
    err = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        w, b = _closed_form(X[keep], y[keep], alpha, sw[keep], True, pf)
        err[i] = y[i] - b - X[i] @ w
    return err ** 2 * sw


def test_ridge_threads_and_float32_keep_dtype(restore_threads):
    X, y, _ = _problem("wide", np.float32)
    fastreg.set_num_threads(1)
    a = fastreg.Ridge(alpha=1.0).fit(X, y)
    fastreg.set_num_threads(None)
    b = fastreg.Ridge(alpha=1.0, n_threads=2).fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-5)
    assert a.predict(X).dtype == np.float32


# ---------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize("alpha, match", [(0.0, "alpha"), (-1.0, "alpha"), (np.nan, "alpha"),
                                          ([1.0, 2.0, 3.0], "alpha: 3 values for 2 targets"),
                                          (np.ones((2, 2)), "alpha: expected a scalar"),
                                          ([1.0, -2.0], r"alpha\[1\]")])
def test_ridge_bad_alpha(alpha, match):
    X, Y, _ = _problem("tall", k=2)
    with pytest.raises(ValueError, match=match):
        fastreg.Ridge(alpha=alpha).fit(X, Y)


def test_ridge_bad_input():
    X, y, _ = _problem("tall")
    with pytest.raises(TypeError, match="alpha"):
        fastreg.Ridge(alpha="big").fit(X, y)
    with pytest.raises(ValueError, match="y: has 89 samples"):
        fastreg.Ridge().fit(X, y[:-1])
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastreg.Ridge().fit(Xn, y)
    with pytest.raises(ValueError, match="sample_weight"):
        fastreg.Ridge().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="penalty_factor"):
        fastreg.Ridge(penalty_factor=np.ones(3)).fit(X, y)
    with pytest.raises(ValueError, match="penalty_factor: all zero"):
        fastreg.Ridge(penalty_factor=np.zeros(X.shape[1])).fit(X, y)
    pf = np.ones(X.shape[1])
    pf[:2] = 0
    with pytest.raises(ValueError, match="collinear"):
        fastreg.Ridge(penalty_factor=pf).fit(np.c_[X[:, :1], X[:, :1], X[:, 2:]], y)
    with pytest.raises(ValueError, match="solver"):
        fastreg.Ridge(solver="magic").fit(X, y)
    with pytest.raises(ValueError, match="lbfgs"):
        fastreg.Ridge(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="positive"):
        fastreg.Ridge(solver="svd", positive=True).fit(X, y)
    with pytest.raises(TypeError, match="fit_intercept"):
        fastreg.Ridge(fit_intercept="yes").fit(X, y)
    with pytest.raises(ValueError, match="n_threads"):
        fastreg.Ridge(n_threads=0).fit(X, y)


def test_ridgecv_bad_input():
    X, Y, _ = _problem("tall", k=2)
    n = X.shape[0]
    cases = [
        (dict(alphas=[1.0, 0.0]), ValueError, r"alphas\[1\]"),
        (dict(alphas=[1.0, -3.0]), ValueError, r"alphas\[1\]"),
        (dict(alphas=[]), ValueError, "alphas: empty"),
        (dict(alphas=np.ones((2, 2))), ValueError, "alphas: expected a scalar or a 1-d"),
        (dict(cv=1), ValueError, "cv: needs at least 2 folds"),
        (dict(cv=n + 1), ValueError, "cv: cannot have more folds"),
        (dict(cv="five"), ValueError, "cv"),
        (dict(cv=[(np.arange(5), np.array([], int))]), ValueError, "empty test"),
        (dict(cv=3, store_cv_results=True), ValueError, "store_cv_results"),
        (dict(cv=3, alpha_per_target=True), ValueError, "alpha_per_target"),
        (dict(gcv_mode="qr"), ValueError, "gcv_mode"),
        (dict(scoring=3), ValueError, "scoring"),
        (dict(scoring="no_such_scorer"), ValueError, "scoring"),
    ]
    for params, exc, match in cases:
        with pytest.raises(exc, match=match):
            fastreg.RidgeCV(**params).fit(X, Y)


def test_ridgecv_scalar_alphas_and_ties():
    X, y, _ = _problem("wide")
    est = fastreg.RidgeCV(alphas=2.0).fit(X, y)
    assert est.alpha_ == 2.0
    est = fastreg.RidgeCV(alphas=[5.0, 5.0, 1.0]).fit(X, y)
    ref = SkRidgeCV(alphas=[5.0, 5.0, 1.0]).fit(X, y)
    assert est.alpha_ == ref.alpha_


def test_overflow_is_judged_on_the_formed_system():
    # One value of 1e149 among 1,000 samples: max|x|^2 n = 1e301 (a bound on X's values
    # would reject it), but X^T X, X^T y and their solve stay far inside float64's range:
    # the fit is scikit-learn's.
    import warnings

    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 5))
    y = X @ np.arange(1.0, 6.0) + rng.standard_normal(1000)
    X[0, 0] = 1e149
    for fit_intercept in (True, False):
        ours = fastreg.Ridge(1.0, fit_intercept=fit_intercept).fit(X, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (its LinAlgWarning: rcond 1e-296)
            ref = SkRidge(1.0, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)
    # and where X^T X itself overflows, the error names it
    X[0, 0] = 1e155
    with pytest.raises(ValueError, match="X\\^T X overflows"):
        fastreg.Ridge(1.0).fit(X, y)
    with pytest.raises(ValueError, match="X X\\^T overflows"):
        fastreg.RidgeCV().fit(X[:4], y[:4])


@pytest.mark.parametrize("shape", [(3000, 40), (60, 900)])
@pytest.mark.parametrize("weighted", [False, True])
def test_same_bits_on_any_thread_count(shape, weighted, monkeypatch):
    # X^T X (or X X^T) formed in blocks shared by the threads (_block_sums), added in block
    # order: every thread count gives the same coefficients, bit for bit
    from fastreg.linear_model import _block_sums

    monkeypatch.setattr(_block_sums, "SHARE_BLOCK_ELEMENTS", 64 * 40)
    rng = np.random.default_rng(7)
    X = rng.standard_normal(shape) + 2.0
    y = X[:, :5].sum(axis=1) + rng.standard_normal(shape[0])
    sw = rng.uniform(0.5, 2.0, shape[0]) if weighted else None
    fits = [fastreg.RidgeCV(alphas=[0.1, 1.0, 10.0], n_threads=t).fit(X, y, sample_weight=sw)
            for t in (1, 2, 5)]
    for m in fits[1:]:
        np.testing.assert_array_equal(m.coef_, fits[0].coef_)
        assert m.intercept_ == fits[0].intercept_ and m.alpha_ == fits[0].alpha_
    ref = SkRidge(alpha=fits[0].alpha_).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(fits[0].coef_, ref.coef_, rtol=1e-8, atol=1e-10)
