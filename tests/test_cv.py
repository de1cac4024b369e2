"""LassoCV / ElasticNetCV: against scikit-learn with the same folds, the one-standard-error
rule and early stopping against their definitions (computed here from mse_path_), bad input.

The references are independent: scikit-learn's estimators (float64, tol 1e-10), numpy on
the reported fold errors, and fastreg's own single-alpha Lasso for the refit.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import fastreg

sp = pytest.importorskip("scipy.sparse")
sklm = pytest.importorskip("sklearn.linear_model")
from sklearn.model_selection import KFold, ShuffleSplit  # noqa: E402

TOL = {np.float64: 1e-10, np.float32: 1e-6}
RTOL = {np.float64: 1e-6, np.float32: 2e-3}
TIGHT = dict(max_iter=100_000)


def _problem(n=90, p=160, seed=0, k=6):
    """Wide X with non-zero column means and unequal scales, a sparse truth, an
    intercept; the CV minimum lies inside the default grid."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-1, 2, p)
    w = np.zeros(p)
    w[rng.choice(p, k, replace=False)] = rng.choice([-1, 1], k) * rng.uniform(1, 2, k)
    y = X @ w + rng.standard_normal(n) + 1.5
    sw = rng.uniform(0.3, 2.0, n)
    sw[rng.random(n) < 0.1] = 0.0
    return X, y, sw


def _close(actual, expected, rtol, what):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    err = float(np.abs(actual - expected).max(initial=0.0))
    assert err <= rtol * scale, f"{what}: max abs error {err:.3e} > {rtol:g} * {scale:.3g}"


def _mse_close(actual, expected, rtol):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, err_msg="mse_path_")


@pytest.mark.parametrize("layout", ["F", "csc"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_lassocv_matches_sklearn(dtype, layout, fit_intercept, weighted):
    X, y, sw = _problem()
    sw = sw if weighted else None
    ref = sklm.LassoCV(cv=5, tol=1e-10, **TIGHT, fit_intercept=fit_intercept)
    ref.fit(X, y, sample_weight=sw)
    Xd = X.astype(dtype)
    Xd = np.asfortranarray(Xd) if layout == "F" else sp.csc_matrix(Xd)
    est = fastreg.LassoCV(cv=5, tol=TOL[dtype], **TIGHT, fit_intercept=fit_intercept)
    est.fit(Xd, y.astype(dtype), sample_weight=None if sw is None else sw.astype(dtype))
    rtol = RTOL[dtype]
    np.testing.assert_allclose(est.alphas_, ref.alphas_, rtol=1e-12 if dtype == np.float64 else 1e-5)
    if dtype == np.float64:
        _mse_close(est.mse_path_, ref.mse_path_, rtol)
    else:  # float32 solutions at tol 1e-6: close down to the chosen alpha, looser beyond,
        # where the wide path is ill-conditioned
        i = int(np.argmin(np.abs(ref.alphas_ - ref.alpha_)))
        _mse_close(est.mse_path_[: i + 1], ref.mse_path_[: i + 1], 2e-3)
        _mse_close(est.mse_path_, ref.mse_path_, 5e-2)
    if dtype == np.float64:
        assert est.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    else:  # float32: the same grid point, or a neighbour on a flat stretch of the curve
        i, j = (int(np.argmin(np.abs(est.alphas_ - a))) for a in (est.alpha_, ref.alpha_))
        assert abs(i - j) <= 1
    if dtype == np.float64 or est.alpha_ == pytest.approx(ref.alpha_, rel=1e-5):
        _close(est.coef_, ref.coef_, rtol * 10, "coef_")
        _close(est.intercept_, ref.intercept_, rtol * 10, "intercept_")
    assert est.coef_.dtype == dtype
    assert est.n_features_in_ == X.shape[1]
    assert est.mse_path_.shape == (100, 5)
    np.testing.assert_array_equal(est.fold_stop_index_, np.full(5, 99))
    assert est.dual_gap_ <= TOL[dtype] * 10 * np.var(y)
    np.testing.assert_allclose(est.predict(Xd), Xd @ est.coef_ + est.intercept_, rtol=1e-5)


@pytest.mark.parametrize("l1_ratio", [0.5, [0.2, 0.6, 1.0]])
def test_elasticnetcv_matches_sklearn(l1_ratio):
    X, y, sw = _problem(n=120, p=90, seed=1)
    ref = sklm.ElasticNetCV(l1_ratio=l1_ratio, cv=4, tol=1e-10, **TIGHT).fit(X, y, sample_weight=sw)
    est = fastreg.ElasticNetCV(l1_ratio=l1_ratio, cv=4, tol=1e-10, **TIGHT).fit(X, y, sample_weight=sw)
    assert est.alphas_.shape == ref.alphas_.shape
    np.testing.assert_allclose(est.alphas_, ref.alphas_, rtol=1e-12)
    _mse_close(est.mse_path_, ref.mse_path_, 1e-6)
    assert est.l1_ratio_ == ref.l1_ratio_
    assert est.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    _close(est.coef_, ref.coef_, 1e-6, "coef_")
    _close(est.intercept_, ref.intercept_, 1e-6, "intercept_")
    n_l1 = np.size(l1_ratio)
    assert est.cv_mean_path_.shape == (n_l1, 100)
    r = list(np.atleast_1d(l1_ratio)).index(est.l1_ratio_)
    mse = est.mse_path_ if n_l1 > 1 else est.mse_path_[None]
    np.testing.assert_allclose(est.cv_mean_path_, mse.mean(axis=2), rtol=1e-12)
    np.testing.assert_allclose(est.cv_mean_, mse[r].mean(axis=1), rtol=1e-12)


def test_given_alphas_and_gram_mode_match_sklearn():
    # tall data: the core's Gram mode, which keeps no residual, predicts the held-out rows
    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 12)) + 1.0
    y = X[:, :4] @ np.array([1.0, -2.0, 0.5, 0.0]) + rng.standard_normal(400)
    alphas = np.geomspace(1.0, 1e-3, 25)[::-1]  # any order: used sorted decreasing
    for precompute in (True, False):
        ref = sklm.LassoCV(alphas=alphas, cv=3, tol=1e-10, precompute=precompute, **TIGHT).fit(X, y)
        est = fastreg.LassoCV(alphas=alphas, cv=3, tol=1e-10, precompute=precompute, **TIGHT).fit(X, y)
        np.testing.assert_allclose(est.alphas_, ref.alphas_, rtol=0)
        _mse_close(est.mse_path_, ref.mse_path_, 1e-7)
        assert est.alpha_ == ref.alpha_
        _close(est.coef_, ref.coef_, 1e-6, "coef_")


def test_cv_splitter_and_iterable_match_sklearn():
    X, y, sw = _problem(seed=2)
    splitter = KFold(4, shuffle=True, random_state=0)
    ref = sklm.LassoCV(cv=splitter, tol=1e-10, **TIGHT).fit(X, y)
    est = fastreg.LassoCV(cv=splitter, tol=1e-10, **TIGHT).fit(X, y)
    _mse_close(est.mse_path_, ref.mse_path_, 1e-6)
    assert est.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    # an iterable of splits, with repeated training rows (bootstrap-like) and overlapping
    # test sets: a repeated row counts as often as it appears, as in scikit-learn's copies
    rng = np.random.default_rng(0)
    n = len(y)
    splits = []
    for _ in range(3):
        train = rng.choice(n, n, replace=True)
        test = np.setdiff1d(np.arange(n), train)
        splits.append((train, test))
    ref = sklm.LassoCV(cv=splits, tol=1e-10, **TIGHT).fit(X, y, sample_weight=sw)
    est = fastreg.LassoCV(cv=iter(splits), tol=1e-10, **TIGHT).fit(X, y, sample_weight=sw)
    _mse_close(est.mse_path_, ref.mse_path_, 1e-6)
    assert est.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    _close(est.coef_, ref.coef_, 1e-6, "coef_")
    # ShuffleSplit: test sets of the same rows in several splits
    ss = ShuffleSplit(n_splits=3, test_size=0.3, random_state=1)
    ref = sklm.LassoCV(cv=ss, tol=1e-10, **TIGHT).fit(X, y)
    est = fastreg.LassoCV(cv=ss, tol=1e-10, **TIGHT).fit(X, y)
    _mse_close(est.mse_path_, ref.mse_path_, 1e-6)


def _one_se_reference(alphas, mse_path):
    """glmnet's lambda.min / lambda.1se from the fold errors: mean over folds, standard
    error sd(ddof=1) / sqrt(K), the largest alpha within one SE of the minimum."""
    mean = mse_path.mean(axis=1)
    k = mse_path.shape[1]
    se = mse_path.std(axis=1, ddof=1) / np.sqrt(k)
    i = int(np.argmin(mean))
    ok = mean <= mean[i] + se[i]
    return alphas[i], np.max(alphas[ok]), mean, se


@pytest.mark.parametrize("cls", ["LassoCV", "ElasticNetCV"])
def test_one_standard_error_rule(cls):
    X, y, _ = _problem(seed=4)
    kw = dict(cv=5, tol=1e-10, **TIGHT)
    est_min = getattr(fastreg, cls)(**kw).fit(X, y)
    est_1se = getattr(fastreg, cls)(selection_rule="1se", **kw).fit(X, y)
    a_min, a_1se, mean, se = _one_se_reference(est_min.alphas_, est_min.mse_path_)
    assert est_min.alpha_min_ == a_min == est_min.alpha_
    assert est_min.alpha_1se_ == a_1se
    assert a_1se > a_min  # the rule makes a difference on this problem
    np.testing.assert_allclose(est_min.cv_mean_, mean, rtol=1e-14)
    np.testing.assert_allclose(est_min.cv_se_, se, rtol=1e-12)
    np.testing.assert_allclose(est_min.cv_std_, est_min.mse_path_.std(axis=1, ddof=1), rtol=1e-12)
    np.testing.assert_array_equal(est_min.cv_alphas_, est_min.alphas_)
    # the 1-SE fit: same curve, refit at alpha_1se_, which is the single-alpha fit there
    _mse_close(est_1se.mse_path_, est_min.mse_path_, 1e-12)
    assert est_1se.alpha_ == est_1se.alpha_1se_ == a_1se
    assert est_1se.alpha_min_ == a_min
    single = (fastreg.Lasso(alpha=a_1se, tol=1e-12, **TIGHT) if cls == "LassoCV" else
              fastreg.ElasticNet(alpha=a_1se, l1_ratio=0.5, tol=1e-12, **TIGHT)).fit(X, y)
    _close(est_1se.coef_, single.coef_, 1e-7, "coef_ at alpha_1se_")
    assert np.count_nonzero(est_1se.coef_) <= np.count_nonzero(est_min.coef_)


def _stops_reference(mse_path, patience):
    """Per fold: the first index at which the error has not fallen below its running
    minimum for `patience` consecutive alphas (else the last index), counting only from
    the first alpha whose error differs from the first alpha's (the plateau of the
    intercept-only model at the top of the grid does not count)."""
    k, folds = mse_path.shape
    out = []
    for f in range(folds):
        e = mse_path[:, f]
        moved = np.flatnonzero(e != e[0])
        start = int(moved[0]) if moved.size else k  # first alpha off the plateau
        stop = k - 1
        for i in range(start, k):
            best_at = int(np.argmin(e[: i + 1]))  # the first occurrence of the minimum
            if i - max(best_at, start - 1) >= patience:
                stop = i
                break
        out.append(stop)
    return np.array(out)


def test_early_stopping_with_large_patience_changes_nothing():
    X, y, sw = _problem(seed=5)
    kw = dict(cv=5, tol=1e-10, **TIGHT)
    full = fastreg.LassoCV(**kw).fit(X, y, sample_weight=sw)
    es = fastreg.LassoCV(early_stopping=True, patience=101, **kw).fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(es.mse_path_, full.mse_path_)
    np.testing.assert_array_equal(es.alphas_, full.alphas_)
    np.testing.assert_array_equal(es.fold_stop_index_, full.fold_stop_index_)
    assert es.alpha_ == full.alpha_ and es.alpha_1se_ == full.alpha_1se_
    # the path on all the data runs beside the folds, sharing their passes, without early
    # stopping, and alone after them with it: its KKT bounds then come from other
    # references, its working sets (and Newton steps) can differ, and the two solutions
    # agree to the tolerance, not bit for bit: equal objectives within the gap tolerance,
    # coefficients within 1e-8 of the largest (9e-10 here)
    np.testing.assert_allclose(es.coef_, full.coef_, rtol=0, atol=1e-8 * np.abs(full.coef_).max())
    v = sw / sw.sum()

    def objective(m):
        r = y - X @ m.coef_ - m.intercept_
        return 0.5 * v @ (r * r) + full.alpha_ * np.abs(m.coef_).sum()

    tol_scaled = 1e-10 * v @ (y - v @ y) ** 2
    assert abs(objective(es) - objective(full)) <= tol_scaled


@pytest.mark.parametrize("patience", [1, 3, 8])
def test_early_stopping_stops_where_the_definition_says(patience):
    X, y, _ = _problem(n=120, p=200, seed=6, k=4)
    kw = dict(cv=5, tol=1e-10, **TIGHT)
    full = fastreg.LassoCV(**kw).fit(X, y)
    stops = _stops_reference(full.mse_path_, patience)
    assert stops.min() < 99  # the rule does stop on this problem
    es = fastreg.LassoCV(early_stopping=True, patience=patience, **kw)
    reach = stops.min() + 1
    mean = full.mse_path_[:reach].mean(axis=1)
    at_edge = int(np.argmin(mean)) in (0, reach - 1)
    if at_edge:
        with pytest.warns(fastreg.GridEdgeWarning):
            es.fit(X, y)
    else:
        es.fit(X, y)
    np.testing.assert_array_equal(es.fold_stop_index_, stops)
    np.testing.assert_array_equal(es.fold_stop_alphas_, full.alphas_[stops])
    # the curve covers the alphas every fold reached; the paths are the same up to there
    np.testing.assert_array_equal(es.alphas_, full.alphas_[:reach])
    np.testing.assert_array_equal(es.mse_path_, full.mse_path_[:reach])
    assert es.alpha_ == full.alphas_[int(np.argmin(mean))]
    a_min, a_1se, _, _ = _one_se_reference(es.alphas_, es.mse_path_)
    assert es.alpha_min_ == a_min and es.alpha_1se_ == a_1se


def test_early_stopping_elasticnet_several_l1_ratios():
    X, y, _ = _problem(n=120, p=200, seed=6, k=4)
    kw = dict(l1_ratio=[0.3, 0.9], cv=4, tol=1e-10, **TIGHT)
    full = fastreg.ElasticNetCV(**kw).fit(X, y)
    with warnings.catch_warnings():  # where the folds stop, the curve may still fall
        warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
        es = fastreg.ElasticNetCV(early_stopping=True, patience=4, **kw).fit(X, y)
    for r in range(2):
        stops = _stops_reference(full.mse_path_[r], 4)
        np.testing.assert_array_equal(es.fold_stop_index_[r], stops)
        reach = stops.min() + 1
        np.testing.assert_array_equal(es.mse_path_[r, :reach], full.mse_path_[r, :reach])
        assert np.isnan(es.mse_path_[r, reach:]).all()
        assert np.isnan(es.cv_mean_path_[r, reach:]).all()
    assert len(es.cv_alphas_) == len(es.cv_mean_) == len(es.cv_se_)


def test_penalty_factor_is_column_scaling():
    # pf_j |w_j| on x_j is |v_j| on x_j / pf_j with w_j = v_j / pf_j: the same grid, folds
    # and errors
    X, y, _ = _problem(seed=7)
    pf = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[1])
    kw = dict(cv=5, tol=1e-12, **TIGHT)
    a = fastreg.LassoCV(penalty_factor=pf, **kw).fit(X, y)
    b = fastreg.LassoCV(**kw).fit(X / pf, y)
    np.testing.assert_allclose(a.alphas_, b.alphas_, rtol=1e-12)
    _mse_close(a.mse_path_, b.mse_path_, 1e-7)
    assert a.alpha_ == pytest.approx(b.alpha_, rel=1e-12)
    _close(a.coef_, b.coef_ / pf, 1e-7, "coef_")


def test_parallel_equals_sequential_and_float32():
    X, y, _ = _problem(seed=8)
    kw = dict(cv=5, tol=1e-8, **TIGHT)
    one = fastreg.LassoCV(n_jobs=1, **kw).fit(X, y)
    two = fastreg.LassoCV(n_jobs=2, n_threads=2, **kw).fit(X, y)
    np.testing.assert_array_equal(one.mse_path_, two.mse_path_)
    np.testing.assert_array_equal(one.coef_, two.coef_)
    f32 = fastreg.LassoCV(cv=5, tol=1e-5).fit(X.astype(np.float32), y.astype(np.float32))
    assert f32.coef_.dtype == np.float32 and f32.mse_path_.dtype == np.float64
    assert f32.predict(X.astype(np.float32)).dtype == np.float32


def test_n_jobs_sets_the_thread_count(monkeypatch):
    from fastreg import _threads

    monkeypatch.setattr(_threads, "_available_cpus", lambda: 6)
    expect = {None: None, 1: 1, 3: 3, 9: 9, -1: 6, -2: 5, -6: 1, -50: 1}
    for n_jobs, threads in expect.items():
        assert fastreg.LassoCV(n_jobs=n_jobs)._check_params()["n_threads"] == threads, n_jobs
    # n_threads, fastreg's own setting, wins
    assert fastreg.LassoCV(n_jobs=-1, n_threads=2)._check_params()["n_threads"] == 2
    # and the answers do not depend on the count
    X, y, _ = _problem(seed=8)
    kw = dict(cv=4, tol=1e-8, **TIGHT)
    one = fastreg.LassoCV(n_jobs=1, **kw).fit(X, y)
    every = fastreg.LassoCV(n_jobs=-1, **kw).fit(X, y)
    np.testing.assert_array_equal(one.mse_path_, every.mse_path_)
    np.testing.assert_array_equal(one.coef_, every.coef_)


def test_standardize_and_random_selection_run():
    X, y, _ = _problem(seed=9)
    est = fastreg.ElasticNetCV(l1_ratio=[0.5, 1.0], standardize=True, selection="random",
                               random_state=0, cv=3, tol=1e-8, **TIGHT).fit(X, y)
    assert est.score(X, y) > 0.8
    assert np.isfinite(est.mse_path_).all()


def test_edge_of_grid_warns():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 30))
    y = rng.standard_normal(60)  # pure noise: the intercept-only model wins
    with pytest.warns(fastreg.GridEdgeWarning, match="largest alpha"):
        est = fastreg.LassoCV(cv=3).fit(X, y)
    assert est.alpha_ == est.alphas_[0]
    assert not est.coef_.any()
    # a grid that stops far too early: the smallest alpha wins
    X, y, _ = _problem(seed=0)
    with pytest.warns(fastreg.GridEdgeWarning, match="smallest alpha"):
        fastreg.LassoCV(cv=3, eps=0.5, alphas=5).fit(X, y)
    assert issubclass(fastreg.GridEdgeWarning, UserWarning)


def test_folds_share_x_without_copies():
    # the fold fits read X in place: a read-only F-ordered X is used as it is, and the
    # Python/NumPy allocations of the whole fit stay far below X's size
    import tracemalloc

    rng = np.random.default_rng(10)
    X = np.asfortranarray(rng.standard_normal((200, 4000)))
    y = X[:, :5].sum(axis=1) + rng.standard_normal(200)
    X.setflags(write=False)
    est = fastreg.LassoCV(cv=5, tol=1e-4, eps=1e-2, alphas=30)
    tracemalloc.start()
    try:
        est.fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 0.25 * X.nbytes, (peak, X.nbytes)
    assert est.coef_.shape == (X.shape[1],)


BAD = [
    (dict(cv=1), ValueError, "cv"),
    (dict(cv=0), ValueError, "cv"),
    (dict(cv=91), ValueError, "cv"),
    (dict(cv=2.5), TypeError, "cv"),
    (dict(cv=[(np.arange(10, 90), np.arange(10))]), ValueError, "cv"),
    (dict(cv=[(np.arange(90), np.array([], dtype=int))] * 2), ValueError, "cv"),
    (dict(cv=[(np.arange(10, 90), np.arange(200, 210))] * 2), ValueError, "cv"),
    (dict(alphas=[]), ValueError, "alphas"),
    (dict(alphas=0), ValueError, "alphas"),
    (dict(alphas=[0.1, -1.0]), ValueError, "alphas"),
    (dict(alphas=np.ones((2, 2))), ValueError, "alphas"),
    (dict(n_alphas=0), ValueError, "n_alphas"),
    (dict(n_alphas=10, alphas=[0.1, 0.2]), ValueError, "n_alphas"),
    (dict(eps=0.0), ValueError, "eps"),
    (dict(tol=-1.0), ValueError, "tol"),
    (dict(max_iter=0), ValueError, "max_iter"),
    (dict(patience=0), ValueError, "patience"),
    (dict(patience=2.5), TypeError, "patience"),
    (dict(selection_rule="max"), ValueError, "selection_rule"),
    (dict(selection="foo"), ValueError, "selection"),
    (dict(early_stopping="yes"), TypeError, "early_stopping"),
    (dict(n_jobs=0), ValueError, "n_jobs"),
    (dict(n_threads=0), ValueError, "n_threads"),
    (dict(penalty_factor=[1.0, 2.0]), ValueError, "penalty_factor"),
    (dict(precompute="yes"), ValueError, "precompute"),
]


@pytest.mark.parametrize("params, error, name", BAD)
def test_bad_input(params, error, name):
    X, y, _ = _problem()
    with pytest.raises(error, match=name):
        fastreg.LassoCV(**params).fit(X, y)


@pytest.mark.parametrize("l1_ratio", [[0.5, 1.2], [-0.1], [], 1.5, [0.5, np.nan]])
def test_bad_l1_ratio(l1_ratio):
    X, y, _ = _problem()
    with pytest.raises(ValueError, match="l1_ratio"):
        fastreg.ElasticNetCV(l1_ratio=l1_ratio).fit(X, y)


def test_bad_data():
    X, y, sw = _problem()
    with pytest.raises(ValueError, match="l1_ratio"):  # no generated grid for ridge
        fastreg.ElasticNetCV(l1_ratio=[0.0, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match="y"):  # a 2-d y is several targets; 3-d is not
        fastreg.LassoCV().fit(X, np.c_[y, y][:, :, None])
    with pytest.raises(ValueError, match="sample_weight"):
        w = np.ones(len(y))
        w[:18] = 0.0  # the first fold's held-out rows all weigh nothing
        fastreg.LassoCV(cv=5).fit(X, y, sample_weight=w)
    with pytest.raises(ValueError, match="sample_weight"):
        fastreg.LassoCV().fit(X, y, sample_weight=-sw)
    with pytest.raises(ValueError, match="NaN"):
        Xn = X.copy()
        Xn[0, 0] = np.nan
        fastreg.LassoCV().fit(Xn, y)
    with pytest.raises(TypeError, match="fit"):
        fastreg.LassoCV(cv=[(np.arange(10, 90), np.arange(10))] * 2).fit(X, y, groups=y)


def test_params_and_lazy_exports():
    import fastreg.linear_model as lm

    assert fastreg.LassoCV is lm.LassoCV and fastreg.ElasticNetCV is lm.ElasticNetCV
    params = fastreg.LassoCV().get_params()
    sk = sklm.LassoCV().get_params()
    assert set(sk) <= set(params)
    for name in sk:  # scikit-learn's defaults, except where fastreg says so
        if name not in ("precompute",):
            assert params[name] == sk[name], name
    assert set(sklm.ElasticNetCV().get_params()) <= set(fastreg.ElasticNetCV().get_params())
    assert "l1_ratio" not in params
    X, y, _ = _problem()
    est = fastreg.LassoCV(cv=3, tol=1e-6).fit(X, y)
    assert not hasattr(est, "l1_ratio_")
    assert fastreg.LassoCV(n_alphas=20, cv=3).fit(X, y).alphas_.shape == (20,)


def test_core_path_extras(dtype):
    # the core's CV extras against its plain path: compressed coefficients equal the dense
    # ones, validation errors equal the held-out rows' errors computed here, max_alphas=0
    # only generates the grid
    from fastreg.linear_model import _core_paths

    X, y, sw = _problem(n=60, p=80, seed=11)
    X, y = np.asfortranarray(X.astype(dtype)), y.astype(dtype)
    test = np.zeros(len(y), dtype=bool)
    test[::4] = True
    tw = np.where(test, 0, sw).astype(dtype)
    vw = np.where(test, sw + 0.5, 0).astype(dtype)
    # a tolerance float32 can reach: below it every alpha runs max_iter epochs
    tol = 1e-8 if dtype == np.float64 else 1e-6
    kw = dict(n_alphas=30, eps=1e-2, fit_intercept=True, tol=tol, max_iter=100_000)
    def path(sw=None, val_weights=None, **options):
        return _core_paths.path(X, y, _core_paths.path_options(**kw, **options),
                                sample_weight=sw, val_weights=val_weights)

    for gram in (0, 1):
        plain = path(tw, gram=gram)
        extra = path(tw, vw, gram=gram, sparse_coefs=True)
        np.testing.assert_array_equal(extra["alphas"], plain["alphas"])
        assert extra["coefs"] is None and extra["n_done"] == 30
        data, indices, indptr = extra["coefs_csc"]
        dense = sp.csc_matrix((data, indices, indptr), shape=plain["coefs"].shape).toarray()
        np.testing.assert_array_equal(dense, plain["coefs"])
        pred = X[test].astype(np.float64) @ plain["coefs"].astype(np.float64) + plain["intercepts"]
        err = ((y[test, None] - pred) ** 2 * vw[test, None]).sum(0) / vw[test].sum()
        np.testing.assert_allclose(extra["val_mse"], err, rtol=1e-10 if dtype == np.float64 else 1e-4)
    grid = path(max_alphas=0)
    assert grid["n_done"] == 0 and np.isnan(grid["dual_gaps"]).all()
    full = path()
    np.testing.assert_array_equal(grid["alphas"], full["alphas"])
    stopped = path(tw, vw, patience=2)
    k = stopped["n_done"]
    assert k < 30 and np.isnan(stopped["val_mse"][k:]).all()
    assert not stopped["coefs"][:, k:].any()


def test_early_stopping_ignores_the_plateau_at_the_top():
    # a given grid starting far above alpha_max: every fold's first alphas give the
    # intercept-only model, with one and the same error; they do not use up the patience
    X, y, _ = _problem(n=120, p=200, seed=6, k=4)
    amax = fastreg.lasso_path(X, y, alphas=1, fit_intercept=True)[0][0]  # the generated grid's top
    alphas = np.geomspace(100 * amax, 1e-2 * amax, 80)
    kw = dict(cv=5, alphas=alphas, tol=1e-10, **TIGHT)
    full = fastreg.LassoCV(**kw).fit(X, y)
    # each fold's plateau: the alphas above its own alpha_max, about 20 here
    plateau = np.argmax(full.mse_path_ != full.mse_path_[0], axis=0)
    assert plateau.min() > 10
    with warnings.catch_warnings():  # patience 3 may stop before the curve's minimum
        warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
        es = fastreg.LassoCV(early_stopping=True, patience=3, **kw).fit(X, y)
    stops = _stops_reference(full.mse_path_, 3)
    assert (stops > plateau).all()
    np.testing.assert_array_equal(es.fold_stop_index_, stops)
    np.testing.assert_array_equal(es.mse_path_, full.mse_path_[: stops.min() + 1])


@pytest.mark.parametrize("early_stopping", [False, True])
def test_coef_path_is_the_full_data_path(early_stopping):
    # glmnet's glmnet.fit: the path on all the data along cv_alphas_, coef_ its column at
    # alpha_ (beside the folds without early stopping, after them with it)
    X, y, sw = _problem(seed=11)
    model = fastreg.ElasticNetCV(l1_ratio=0.7, cv=4, tol=1e-10, early_stopping=early_stopping,
                                 patience=20, **TIGHT).fit(X, y, sample_weight=sw)
    alphas, coefs, _, icpt = fastreg.enet_path(
        X, y, l1_ratio=0.7, alphas=model.cv_alphas_, sample_weight=sw, fit_intercept=True,
        tol=1e-10, return_intercept=True, **TIGHT)
    assert model.coef_path_.shape == (X.shape[1], model.cv_alphas_.size)
    _close(model.coef_path_, coefs, 1e-6, "coef_path_")
    i = int(np.flatnonzero(model.cv_alphas_ == model.alpha_)[0])
    np.testing.assert_array_equal(model.coef_, model.coef_path_[:, i])
    _close(model.intercept_, icpt[i], 1e-6, "intercept_")
    if early_stopping:
        assert model.cv_alphas_.size == model.fold_stop_index_.min() + 1
