"""LassoCV / ElasticNetCV with a 2-d y (one independent cross-validated model per column,
all the targets' folds in one shared-pass core call), and the core's shared-pass CV paths.

The references: each column fitted alone (a 1-d LassoCV with the same folds, itself checked
against scikit-learn in test_cv.py), scikit-learn's LassoCV per column, and the core's
single-path binding (enet_path_*) for the shared-pass one.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import fastreg

sp = pytest.importorskip("scipy.sparse")
sklm = pytest.importorskip("sklearn.linear_model")

TIGHT = dict(tol=1e-10, max_iter=100_000)
# The 2-d fit's generated grids come from one shared-pass call, whose products x_j^T e are
# summed in another order than a lone path's: the grids agree to an ulp (with the same grid
# the fits are identical: test_given_grid_is_shared_and_column_vector_is_one_target). That
# perturbation can lead the working-set decisions apart, and at tol 1e-10 the far end of a
# wide path then differs by a few 1e-7 of the validation errors' scale, within the
# solutions' tolerance (a hundred times less at 1e-12): fastreg against fastreg runs at
# 1e-12.
RTOL = 1e-7
EXACT = dict(tol=1e-12, max_iter=100_000)


def _problem(n=80, p=120, targets=3, seed=0):
    """Wide X with non-zero column means and unequal scales; targets with different
    supports, scales and intercepts (so their grids and chosen alphas differ)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p) + rng.uniform(-1, 2, p)
    Y = np.empty((n, targets))
    for j in range(targets):
        w = np.zeros(p)
        k = 3 + 2 * j
        w[rng.choice(p, k, replace=False)] = rng.choice([-1, 1], k) * rng.uniform(1, 2, k)
        Y[:, j] = (1 + j) * (X @ w) + rng.standard_normal(n) * (1 + j) + 2.0 * j
    sw = rng.uniform(0.3, 2.0, n)
    sw[rng.random(n) < 0.1] = 0.0
    return X, Y, sw


def _close(actual, expected, rtol, what):
    """Max abs error within rtol times the reference's scale (at least 1); NaN where the
    reference has NaN."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    nan = np.isnan(expected)
    np.testing.assert_array_equal(np.isnan(actual), nan, err_msg=what)
    scale = max(1.0, float(np.abs(expected[~nan]).max(initial=0.0)))
    err = float(np.abs(actual[~nan] - expected[~nan]).max(initial=0.0))
    assert err <= rtol * scale, f"{what}: max abs error {err:.3e} > {rtol:g} * {scale:.3g}"


def _check_against_single(multi, singles, *, has_l1_ratio=False):
    """The 2-d fit's per-target attributes against the 1-d fits of the columns."""
    for j, one in enumerate(singles):
        assert multi.alpha_[j] == pytest.approx(one.alpha_, rel=RTOL), j
        assert multi.alpha_min_[j] == pytest.approx(one.alpha_min_, rel=RTOL), j
        assert multi.alpha_1se_[j] == pytest.approx(one.alpha_1se_, rel=RTOL), j
        w = one.mse_path_.shape[-2]  # the 2-d fit's curves are padded to the longest
        _close(multi.mse_path_[j][..., :w, :], one.mse_path_, RTOL, f"mse_path_[{j}]")
        assert np.isnan(multi.mse_path_[j][..., w:, :]).all()
        _close(multi.coef_[j], one.coef_, RTOL, f"coef_[{j}]")
        _close(multi.intercept_[j], one.intercept_, RTOL, f"intercept_[{j}]")
        k = one.cv_alphas_.size
        _close(multi.cv_alphas_[j, :k], one.cv_alphas_, 1e-12, f"cv_alphas_[{j}]")
        _close(multi.cv_mean_[j, :k], one.cv_mean_, RTOL, f"cv_mean_[{j}]")
        assert np.isnan(multi.cv_mean_[j, k:]).all()
        np.testing.assert_array_equal(multi.fold_stop_index_[j], one.fold_stop_index_)
        if has_l1_ratio:
            assert multi.l1_ratio_[j] == one.l1_ratio_


@pytest.mark.parametrize("layout", ["F", "csc"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lassocv_2d_equals_columns(layout, weighted):
    X, Y, sw = _problem()
    sw = sw if weighted else None
    Xd = np.asfortranarray(X) if layout == "F" else sp.csc_matrix(X)
    multi = fastreg.LassoCV(cv=4, **EXACT).fit(Xd, Y, sample_weight=sw)
    singles = [fastreg.LassoCV(cv=4, **EXACT).fit(Xd, Y[:, j], sample_weight=sw)
               for j in range(Y.shape[1])]
    k, p = Y.shape[1], X.shape[1]
    assert multi.coef_.shape == (k, p) and multi.intercept_.shape == (k,)
    assert multi.alpha_.shape == (k,) and multi.mse_path_.shape == (k, 100, 4)
    # each target's own grid, from its own alpha_max
    assert multi.alphas_.shape == (k, 100)
    for j, one in enumerate(singles):
        np.testing.assert_allclose(multi.alphas_[j], one.alphas_, rtol=1e-12)
    assert len(set(multi.alphas_[:, 0])) == k
    _check_against_single(multi, singles)
    pred = multi.predict(Xd)
    assert pred.shape == (X.shape[0], k)
    _close(pred, np.column_stack([one.predict(Xd) for one in singles]), RTOL, "predict")
    _close(multi.coef_path_, np.stack([one.coef_path_ for one in singles]), RTOL, "coef_path_")
    assert multi.score(Xd, Y) == pytest.approx(
        np.mean([one.score(Xd, Y[:, j]) for j, one in enumerate(singles)]), rel=1e-8)


def test_lassocv_2d_against_sklearn_per_column():
    # an independent reference: scikit-learn's LassoCV on each column, same folds; both
    # solved to tol 1e-12 (at 1e-10 either's validation errors can be 1e-6 off the exact
    # solutions' near the saturated end of the grid, within the objective's tolerance)
    X, Y, _ = _problem(seed=4)
    multi = fastreg.LassoCV(cv=5, **EXACT).fit(X, Y)
    for j in range(Y.shape[1]):
        ref = sklm.LassoCV(cv=5, tol=1e-12, max_iter=1_000_000).fit(X, Y[:, j])
        np.testing.assert_allclose(multi.alphas_[j], ref.alphas_, rtol=1e-12)
        np.testing.assert_allclose(multi.mse_path_[j], ref.mse_path_, rtol=1e-6)
        assert multi.alpha_[j] == pytest.approx(ref.alpha_, rel=1e-12)
        _close(multi.coef_[j], ref.coef_, 1e-6, f"coef_[{j}]")
        assert multi.intercept_[j] == pytest.approx(ref.intercept_, rel=1e-6, abs=1e-6)


def test_elasticnetcv_2d_several_l1_ratios_and_early_stopping():
    # the paths on all the data run after the folds (per chosen l1_ratio), the targets'
    # curves have different lengths: the 2-d fit still equals the columns' fits
    X, Y, sw = _problem(seed=2)
    kw = dict(cv=3, l1_ratio=[0.3, 0.7, 1.0], early_stopping=True, patience=4, **TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
        multi = fastreg.ElasticNetCV(**kw).fit(X, Y, sample_weight=sw)
        singles = [fastreg.ElasticNetCV(**kw).fit(X, Y[:, j], sample_weight=sw)
                   for j in range(Y.shape[1])]
    k = Y.shape[1]
    width = multi.mse_path_.shape[2]
    assert multi.mse_path_.shape == (k, 3, width, 3)
    assert multi.alphas_.shape == (k, 3, width)
    assert multi.fold_stop_index_.shape == (k, 3, 3)
    assert multi.l1_ratio_.shape == (k,)
    for j, one in enumerate(singles):
        w = one.mse_path_.shape[1]
        _close(multi.mse_path_[j, :, :w], one.mse_path_, RTOL, f"mse_path_[{j}]")
        assert np.isnan(multi.mse_path_[j, :, w:]).all()
        np.testing.assert_allclose(multi.alphas_[j, :, :w], one.alphas_, rtol=1e-12)
        _close(multi.cv_mean_path_[j, :, :w], one.cv_mean_path_, RTOL, f"cv_mean_path_[{j}]")
        c = one.coef_path_
        _close(multi.coef_path_[j, :, : c.shape[1]], c, RTOL, f"coef_path_[{j}]")
        assert np.isnan(multi.coef_path_[j, :, c.shape[1]:]).all()
    _check_against_single(multi, singles, has_l1_ratio=True)


def test_given_grid_is_shared_and_column_vector_is_one_target():
    X, Y, _ = _problem(seed=3, targets=2)
    grid = np.geomspace(5.0, 5e-3, 30)
    multi = fastreg.LassoCV(cv=3, alphas=grid, **TIGHT).fit(X, Y)
    np.testing.assert_array_equal(multi.alphas_, grid)
    singles = [fastreg.LassoCV(cv=3, alphas=grid, **TIGHT).fit(X, Y[:, j]) for j in range(2)]
    _check_against_single(multi, singles)
    # on one grid the paths are the same computations as alone, whatever else shares their
    # passes (a pass sums each vector's products in one order, batched or not): identical
    for j, one in enumerate(singles):
        np.testing.assert_array_equal(multi.mse_path_[j], one.mse_path_)
        np.testing.assert_array_equal(multi.coef_[j], one.coef_)
    one = singles[1]
    col = fastreg.LassoCV(cv=3, alphas=grid, **TIGHT).fit(X, Y[:, 1:])
    assert col.coef_.shape == (1, X.shape[1]) and col.predict(X).shape == (X.shape[0], 1)
    _check_against_single(col, [one])


@pytest.mark.parametrize("kind", ["int8", "bed"])
def test_lassocv_2d_genotypes(tmp_path, kind):
    from test_genotypes import _designs, _dosages, _imputed, _target

    G = _dosages(100, 50, seed=4)
    X = _imputed(G)
    Y = np.column_stack([_target(X, seed=s) for s in (1, 2)])
    g = _designs(G, str(tmp_path))[kind]
    kw = dict(cv=4, **TIGHT)
    multi = fastreg.LassoCV(**kw).fit(g, Y)
    singles = [fastreg.LassoCV(**kw).fit(g, Y[:, j]) for j in range(2)]
    _check_against_single(multi, singles)
    dense = fastreg.LassoCV(**kw).fit(X, Y)  # the imputed float64 matrix
    _close(multi.mse_path_, dense.mse_path_, 1e-6, "mse_path_ vs dense")
    _close(multi.predict(g), dense.predict(X), 1e-6, "predict vs dense")


def test_lassocv_2d_genotypes_with_covariates(tmp_path):
    # unpenalized covariates after the variants: the dense [imputed | C] fit with penalty
    # factor 0 on C
    from test_genotypes import _designs, _dosages, _imputed, _target

    G = _dosages(90, 40, seed=5)
    X = _imputed(G)
    rng = np.random.default_rng(3)
    C = np.column_stack([rng.normal(50, 10, 90), rng.integers(0, 2, 90)])
    Y = np.column_stack([_target(X, seed=s) + 0.05 * C[:, 0] - 0.5 * C[:, 1] for s in (1, 2)])
    kw = dict(cv=3, alphas=np.geomspace(2.0, 2e-3, 40), **TIGHT)
    gc = _designs(G, str(tmp_path))["bed"].with_covariates(C)
    multi = fastreg.LassoCV(**kw).fit(gc, Y)
    XC = np.asfortranarray(np.hstack([X, C]))
    ref = fastreg.LassoCV(penalty_factor=np.r_[np.ones(40), np.zeros(2)], **kw).fit(XC, Y)
    _close(multi.mse_path_, ref.mse_path_, 1e-6, "mse_path_")
    _close(multi.coef_, ref.coef_, 1e-6, "coef_")
    np.testing.assert_array_equal(multi.alpha_, ref.alpha_)
    assert (multi.coef_[:, 40:] != 0).all()  # unpenalized


def test_progress_counts_every_path():
    X, Y, _ = _problem(n=60, p=20, seed=5)
    calls = []
    est = fastreg.LassoCV(cv=3, tol=1e-6)
    est.set_params(progress=lambda done, total: calls.append((done, total)))
    est.fit(X, Y)
    # counted in alphas fitted: every path's 100, all in one core call (the full-data
    # paths beside the folds), so the counter itself reaches the total
    total = Y.shape[1] * (3 + 1) * 100
    assert calls and calls[-1] == (total, total)
    done = [d for d, t in calls if t == total]
    assert len(done) == len(calls) and done == sorted(done)


@pytest.mark.parametrize("bad", ["3d", "rows", "empty"])
def test_bad_y_shapes(bad):
    X, Y, _ = _problem(n=40, p=10)
    y = {"3d": Y[:, :, None], "rows": Y[:-1], "empty": Y[:, :0]}[bad]
    with pytest.raises(ValueError, match="y"):
        fastreg.LassoCV(cv=3).fit(X, y)


def test_data_not_modified():
    X, Y, sw = _problem(n=50, p=30, seed=6)
    X0, Y0, sw0 = X.copy(), Y.copy(), sw.copy()
    Yf = np.asfortranarray(Y)
    fastreg.ElasticNetCV(cv=3, l1_ratio=[0.5, 1.0], tol=1e-6).fit(X, Yf, sample_weight=sw)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Yf, Y0)
    np.testing.assert_array_equal(sw, sw0)


# ---- the core's shared-pass binding ---------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_core_cv_paths_equal_single_paths(dtype):
    # every task of one shared-pass call against the single-path binding with the same
    # arguments: validation errors, compressed coefficients, grids
    from fastreg.linear_model import _core_paths

    X, Y, sw = _problem(n=60, p=70, seed=7, targets=2)
    X, Y = np.asfortranarray(X.astype(dtype)), np.asfortranarray(Y.astype(dtype))
    test = np.zeros(len(Y), dtype=bool)
    test[::3] = True
    tw = np.where(test, 0, sw).astype(dtype)
    vw = np.where(test, sw + 0.5, 0).astype(dtype)
    grid = np.geomspace(3.0, 3e-2, 25)
    # a tolerance float32 can reach: below it every alpha runs max_iter epochs. float64:
    # tight, since the shared paths also bound with the previous alpha's gradients and a
    # lone path does not, so their working sets differ and the two agree to the tolerance
    tol = 1e-13 if dtype == np.float64 else 1e-6
    kw = dict(n_alphas=25, eps=1e-2, fit_intercept=True, tol=tol, max_iter=100_000)
    tasks = [(0, tw, vw, grid), (1, tw, vw, None), (1, None, None, None),
             (0, sw.astype(dtype), None, grid)]
    results, shared = _core_paths.cv_paths(
        X, Y, np.array([t[0] for t in tasks], dtype=np.int64), [t[1] for t in tasks],
        [t[2] for t in tasks], [t[3] for t in tasks], None,
        _core_paths.path_options(sparse_coefs=True, **kw))
    assert shared > 0 and len(results) == len(tasks)
    rtol = 1e-8 if dtype == np.float64 else 2e-3
    for (j, w, val, alphas), res in zip(tasks, results):
        one = _core_paths.path(X, np.ascontiguousarray(Y[:, j]),
                               _core_paths.path_options(sparse_coefs=True, **kw),
                               sample_weight=w, alphas=alphas, val_weights=val)
        # a generated grid's alpha_max from a shared pass: float32 products summed in
        # another order than a lone path's
        np.testing.assert_allclose(res["alphas"], one["alphas"],
                                   rtol=1e-12 if dtype == np.float64 else 1e-5)
        assert res["n_done"] == one["n_done"] == 25
        if val is None:
            assert res["val_mse"] is None
        else:
            np.testing.assert_allclose(res["val_mse"], one["val_mse"], rtol=rtol)
        shape = (X.shape[1], 25)
        a = sp.csc_matrix(res["coefs_csc"], shape=shape).toarray()
        b = sp.csc_matrix(one["coefs_csc"], shape=shape).toarray()
        _close(a, b, rtol, "coefs")
        _close(res["intercepts"], one["intercepts"], rtol, "intercepts")
    # dense coefficients, and a 1-d y without targets: task 0 again
    dense, _ = _core_paths.cv_paths(X, np.ascontiguousarray(Y[:, 0]), None, [tw, None],
                                    [vw, None], [grid, grid], None, _core_paths.path_options(**kw))
    assert dense[0]["coefs_csc"] is None and dense[0]["coefs"].shape == (X.shape[1], 25)
    sparse = sp.csc_matrix(results[0]["coefs_csc"], shape=(X.shape[1], 25)).toarray()
    _close(dense[0]["coefs"], sparse, rtol, "dense coefs")
    np.testing.assert_allclose(dense[0]["val_mse"], results[0]["val_mse"], rtol=rtol)


def test_core_cv_paths_bad_arguments():
    from fastreg import _core

    X, Y, _ = _problem(n=30, p=8, seed=8, targets=2)
    X, Y = np.asfortranarray(X), np.asfortranarray(Y)
    ok = dict(targets=np.array([0, 1]), sample_weights=[None, None], val_weights=[None, None],
              alphas=[None, None], penalty_factor=None)

    def call(**change):
        args = {**ok, **change}
        y = args.pop("y", Y)
        return _core.enet_paths_cv_dense(X, y, **args, options=_core.PathOptions())

    call()
    with pytest.raises(ValueError, match="targets"):
        call(targets=np.array([0, 2]))
    with pytest.raises(ValueError, match="val_weights"):
        call(val_weights=[None])
    with pytest.raises(ValueError, match="alphas"):
        call(alphas=[None])
    with pytest.raises(ValueError, match="sample_weight"):
        call(sample_weights=[np.ones(5), None])
    with pytest.raises(ValueError, match="y"):
        call(y=np.ascontiguousarray(Y))  # C-ordered 2-d
    with pytest.raises(ValueError, match="sample_weights"):
        call(targets=np.array([], dtype=np.int64), sample_weights=[], val_weights=[], alphas=[])
    with pytest.raises(TypeError):  # dtypes are never converted silently
        call(sample_weights=[np.ones(30, dtype=np.float32), None])

