"""The binomial family: fastreg.logistic_path and fastreg.LogisticRegression against
scikit-learn's LogisticRegression (saga at tol 1e-10), the KKT conditions of the path, the
genotype designs against the mean-imputed dense matrix, separable data and bad input."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes

pytest.importorskip("sklearn")
import sklearn.linear_model as sklm  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from test_genotypes import _dosages, _imputed, write_plink  # noqa: E402

TIGHT = 1e-12


def _data(n=120, p=12, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:4] = [1.5, -1.0, 0.8, 0.5]
    eta = 0.3 + scale * (X @ beta)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
    return X, y


def _sklearn_fit(X, y, *, C, l1_ratio, fit_intercept, sample_weight=None, class_weight=None):
    ref = sklm.LogisticRegression(C=C, l1_ratio=l1_ratio, solver="saga", tol=1e-10,
                                  max_iter=200_000, fit_intercept=fit_intercept,
                                  class_weight=class_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (saga's ConvergenceWarning at the last digits)
        ref.fit(X, y, sample_weight=sample_weight)
    return ref


def _close(actual, expected, rtol):
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    scale = max(np.abs(expected).max(), 1e-12)
    assert np.abs(actual - expected).max() <= rtol * scale, (actual, expected)


def _gradient(X, y01, coef, b0, sw=None, offset=None):
    """The loss's gradient (1/n) sum_i s_i (p_i - y_i) x_i with s summing to n, and its
    intercept part."""
    n = X.shape[0]
    s = np.ones(n) if sw is None else sw * n / sw.sum()
    eta = X @ coef + b0 + (0.0 if offset is None else offset)
    r = s * (1.0 / (1.0 + np.exp(-eta)) - y01) / n
    return X.T @ r, r.sum()


# ---- against scikit-learn -------------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_estimator_matches_sklearn(l1_ratio, fit_intercept):
    X, y = _data()
    ref = _sklearn_fit(X, y, C=0.3, l1_ratio=l1_ratio, fit_intercept=fit_intercept)
    est = fastreg.LogisticRegression(C=0.3, l1_ratio=l1_ratio, tol=TIGHT,
                                     fit_intercept=fit_intercept).fit(X, y)
    assert est.coef_.shape == (1, X.shape[1]) and est.intercept_.shape == (1,)
    _close(est.coef_, ref.coef_, 1e-5)
    _close(est.intercept_, ref.intercept_, 1e-5)
    if l1_ratio == 1.0:
        assert (est.coef_ == 0).sum() > 0  # the lasso has zeros here
        np.testing.assert_array_equal(est.coef_ == 0, np.abs(ref.coef_) < 1e-8)
    np.testing.assert_allclose(est.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(est.predict_log_proba(X), ref.predict_log_proba(X), atol=1e-5)
    np.testing.assert_allclose(est.decision_function(X), ref.decision_function(X), atol=1e-5)
    np.testing.assert_array_equal(est.predict(X), ref.predict(X))
    assert est.score(X, y) == pytest.approx(ref.score(X, y))


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_sample_and_class_weights_match_sklearn(l1_ratio):
    # weights far from summing to n: the penalty's rescaling by n / sum(s w) is exercised.
    # The reference gets the class weights multiplied into the sample weights (what
    # scikit-learn does with class_weight), scaled to mean 1 with C scaled inversely (the
    # same problem): saga does not converge with the raw weights at this tol.
    from sklearn.utils.class_weight import compute_class_weight

    X, y = _data(seed=1)
    rng = np.random.default_rng(5)
    sw = rng.uniform(0.0, 7.0, X.shape[0])
    sw[:10] = 0.0
    for cw in (None, {0.0: 2.5, 1.0: 0.5}, "balanced"):
        if cw is None:
            s = sw
        elif cw == "balanced":
            s = sw * compute_class_weight("balanced", classes=np.array([0.0, 1.0]), y=y)[y.astype(int)]
        else:
            s = sw * np.where(y > 0, cw[1.0], cw[0.0])
        m = s.mean()
        ref = _sklearn_fit(X, y, C=0.2 * m, l1_ratio=l1_ratio, fit_intercept=True,
                           sample_weight=s / m)
        est = fastreg.LogisticRegression(C=0.2, l1_ratio=l1_ratio, tol=TIGHT,
                                         class_weight=cw).fit(X, y, sample_weight=sw)
        _close(est.coef_, ref.coef_, 1e-5)
        _close(est.intercept_, ref.intercept_, 1e-5)


def test_sample_weights_equal_repeated_rows():
    X, y = _data(n=60, seed=2)
    counts = np.random.default_rng(0).integers(1, 4, X.shape[0])
    a = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(X, y, sample_weight=counts)
    b = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts))
    _close(a.coef_, b.coef_, 1e-7)


def test_string_labels_and_sparse():
    import scipy.sparse as sp

    X, y = _data(seed=3)
    labels = np.where(y > 0, "case", "control")
    est = fastreg.LogisticRegression(C=1.0, l1_ratio=1.0, tol=TIGHT).fit(X, labels)
    assert list(est.classes_) == ["case", "control"]  # sorted: "control" is the positive class
    ref = _sklearn_fit(X, labels, C=1.0, l1_ratio=1.0, fit_intercept=True)
    _close(est.coef_, ref.coef_, 1e-5)
    assert set(est.predict(X)) <= {"case", "control"}
    Xs = sp.csc_matrix(np.where(np.abs(X) > 0.7, X, 0.0))
    dense = fastreg.LogisticRegression(C=1.0, l1_ratio=1.0, tol=TIGHT).fit(Xs.toarray(), labels)
    sparse = fastreg.LogisticRegression(C=1.0, l1_ratio=1.0, tol=TIGHT).fit(Xs, labels)
    _close(sparse.coef_, dense.coef_, 1e-8)


def test_unpenalized_and_warm_start():
    X, y = _data(n=200, p=5, seed=4, scale=0.5)
    ref = _sklearn_fit(X, y, C=np.inf, l1_ratio=0.0, fit_intercept=True)
    est = fastreg.LogisticRegression(C=np.inf, tol=TIGHT).fit(X, y)
    _close(est.coef_, ref.coef_, 1e-5)
    warm = fastreg.LogisticRegression(C=np.inf, tol=TIGHT, warm_start=True).fit(X, y)
    first = warm.n_iter_[0]
    warm.fit(X, y)
    assert warm.n_iter_[0] < first
    _close(warm.coef_, est.coef_, 1e-8)
    # the deprecated spellings of the penalty
    l1 = fastreg.LogisticRegression(penalty="l1", C=0.3, tol=TIGHT).fit(X, y)
    _close(l1.coef_, fastreg.LogisticRegression(l1_ratio=1.0, C=0.3, tol=TIGHT).fit(X, y).coef_, 1e-12)


# ---- the path -------------------------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", [1.0, 0.4])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_kkt_at_every_alpha(l1_ratio, weighted):
    X, y = _data(n=100, p=30, seed=6)
    rng = np.random.default_rng(1)
    sw = rng.uniform(0.2, 3.0, X.shape[0]) if weighted else None
    pf = np.ones(X.shape[1])
    pf[3] = 0.0  # unpenalized
    pf[4] = 2.5
    offset = 0.3 * rng.standard_normal(X.shape[0])
    alphas, coefs, intercepts = fastreg.logistic_path(
        X, y, l1_ratio=l1_ratio, alphas=30, eps=0.05, sample_weight=sw, penalty_factor=pf,
        offset=offset, tol=TIGHT)
    assert alphas.shape == (30,) and coefs.shape == (30, 30)
    assert np.all(np.diff(alphas) < 0)
    # at alpha_max only the unpenalized feature is in; just below it another enters
    assert np.count_nonzero(coefs[:, 0]) == 1 and coefs[3, 0] != 0
    assert np.count_nonzero(coefs[:, 1]) >= 2
    for k, alpha in enumerate(alphas):
        g, g0 = _gradient(X, y, coefs[:, k], intercepts[k], sw, offset)
        assert abs(g0) < 1e-8
        b = coefs[:, k]
        l1, l2 = alpha * l1_ratio * pf, alpha * (1 - l1_ratio) * pf
        nz = b != 0
        # stationarity on the support, subgradient bound off it
        np.testing.assert_allclose(g[nz] + l1[nz] * np.sign(b[nz]) + l2[nz] * b[nz], 0.0,
                                   atol=1e-7)
        assert np.all(np.abs(g[~nz]) <= l1[~nz] + 1e-7)


def test_path_matches_estimators():
    X, y = _data(seed=7)
    alphas, coefs, intercepts = fastreg.logistic_path(X, y, alphas=10, eps=0.1, tol=TIGHT)
    n = X.shape[0]
    for k in (2, 6, 9):
        est = fastreg.LogisticRegression(C=1.0 / (alphas[k] * n), l1_ratio=1.0, tol=TIGHT).fit(X, y)
        _close(coefs[:, k], est.coef_[0], 1e-7)
        assert intercepts[k] == pytest.approx(est.intercept_[0], abs=1e-7)


def test_path_given_alphas_and_no_intercept():
    X, y = _data(seed=8)
    grid = np.array([0.05, 0.02, 0.01])
    alphas, coefs, intercepts, n_iter = fastreg.logistic_path(
        X, y, alphas=grid[::-1], fit_intercept=False, tol=TIGHT, return_n_iter=True)
    np.testing.assert_array_equal(alphas, grid)  # fitted in decreasing order
    assert np.all(intercepts == 0) and np.all(n_iter >= 1)
    n = X.shape[0]
    ref = _sklearn_fit(X, y, C=1.0 / (0.02 * n), l1_ratio=1.0, fit_intercept=False)
    _close(coefs[:, 1], ref.coef_[0], 1e-5)


def test_standardize_is_the_fit_on_standardized_columns():
    X, y = _data(seed=9)
    X = X * np.linspace(0.2, 5.0, X.shape[1])
    sd = X.std(axis=0)
    a = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, standardize=True, tol=TIGHT).fit(X, y)
    b = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(X / sd, y)
    _close(a.coef_, b.coef_ / sd, 1e-7)
    with pytest.raises(NotImplementedError, match="l1_ratio"):
        fastreg.LogisticRegression(C=0.5, l1_ratio=0.5, standardize=True).fit(X, y)


@pytest.mark.parametrize("kind", ["int8", "bed"])
@pytest.mark.parametrize("covariates", [False, True])
def test_genotypes_equal_the_imputed_dense_fit(tmp_path, kind, covariates):
    G = _dosages(150, 40, seed=3, missing=0.05)
    dense = _imputed(G)
    rng = np.random.default_rng(2)
    eta = dense[:, :3] @ np.array([0.8, -0.6, 0.5]) - 0.5
    y = (rng.random(G.shape[0]) < 1 / (1 + np.exp(-eta))).astype(float)
    g = (Genotypes.from_array(G) if kind == "int8"
         else Genotypes.from_bed(write_plink(os.path.join(tmp_path, "g"), G) + ".bed"))
    pf = None
    if covariates:
        C = rng.standard_normal((G.shape[0], 2))
        g = g.with_covariates(C)
        dense = np.hstack([dense, C])
        pf = np.r_[np.ones(G.shape[1]), 0.0, 0.0]
    a1, c1, b1 = fastreg.logistic_path(g, y, alphas=8, eps=0.1, tol=TIGHT)
    a2, c2, b2 = fastreg.logistic_path(dense, y, alphas=8, eps=0.1, tol=TIGHT, penalty_factor=pf)
    _close(a1, a2, 1e-9)
    _close(c1, c2, 1e-6)
    _close(b1, b2, 1e-6)


def test_estimator_on_genotypes_and_csr(tmp_path):
    import scipy.sparse as sp

    G = _dosages(120, 30, seed=4, missing=0.05)
    dense = _imputed(G)
    rng = np.random.default_rng(3)
    y = np.where(rng.random(120) < 1 / (1 + np.exp(-(dense[:, 0] - dense[:, 1]))), "case", "ctrl")
    g = Genotypes.from_bed(write_plink(os.path.join(tmp_path, "e"), G) + ".bed")
    a = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(g, y)
    b = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(dense, y)
    _close(a.coef_, b.coef_, 1e-6)
    np.testing.assert_allclose(a.predict_proba(g), b.predict_proba(dense), atol=1e-7)
    np.testing.assert_array_equal(a.predict(g), b.predict(dense))
    c = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=TIGHT).fit(sp.csr_matrix(dense), y)
    _close(c.coef_, b.coef_, 1e-8)


def test_standardized_estimator_keeps_genotype_covariates_unpenalized():
    G = _dosages(140, 25, seed=5, missing=0.05)
    dense = _imputed(G)
    rng = np.random.default_rng(6)
    C = rng.standard_normal((140, 2))
    eta = dense[:, 5] - dense[:, 6] + 2.0 * C[:, 0]
    y = (rng.random(140) < 1 / (1 + np.exp(-eta))).astype(float)
    g = Genotypes.from_array(G).with_covariates(C)
    X = np.hstack([dense, C])
    pf = np.r_[np.ones(25), 0.0, 0.0]
    a = fastreg.LogisticRegression(C=0.02, l1_ratio=1.0, standardize=True, tol=TIGHT).fit(g, y)
    b = fastreg.LogisticRegression(C=0.02, l1_ratio=1.0, standardize=True, tol=TIGHT,
                                   penalty_factor=pf).fit(X, y)
    _close(a.coef_, b.coef_, 1e-6)
    assert a.coef_[0, -2] != 0 and a.coef_[0, -1] != 0  # the covariates, unpenalized


def test_clone_pipeline_and_grid_search():
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _data(seed=11)
    est = fastreg.LogisticRegression(C=0.3, l1_ratio=1.0, penalty_factor=np.ones(X.shape[1]))
    assert clone(est).get_params()["C"] == 0.3
    pipe = make_pipeline(StandardScaler(), fastreg.LogisticRegression(l1_ratio=1.0)).fit(X, y)
    assert pipe.score(X, y) > 0.7
    search = GridSearchCV(fastreg.LogisticRegression(l1_ratio=1.0), {"C": [0.01, 0.1, 1.0]},
                          cv=3, scoring="roc_auc").fit(X, y)
    assert search.best_params_["C"] in (0.01, 0.1, 1.0)


def test_float32_close_to_float64():
    X, y = _data(seed=10)
    a64, c64, b64 = fastreg.logistic_path(X, y, alphas=10, eps=0.1, tol=1e-8)
    a32, c32, b32 = fastreg.logistic_path(X.astype(np.float32), y, alphas=10, eps=0.1, tol=1e-8)
    assert c32.dtype == np.float32
    _close(a32, a64, 1e-5)
    _close(c32, c64, 2e-3)
    est = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0).fit(X.astype(np.float32), y)
    assert est.coef_.dtype == np.float32


def test_separable_path_stops_and_warns():
    rng = np.random.default_rng(0)
    n, p = 40, 400  # p >> n: separable
    X = rng.standard_normal((n, p))
    y = (X[:, 0] + 0.1 * rng.standard_normal(n) > 0).astype(float)
    with pytest.warns(UserWarning, match="stopped after") as record:
        alphas, coefs, intercepts = fastreg.logistic_path(X, y, alphas=100, eps=1e-4)
    assert len([w for w in record if "stopped after" in str(w.message)]) == 1
    assert 1 < alphas.size < 100 and coefs.shape == (p, alphas.size)
    assert np.isfinite(coefs).all() and np.isfinite(intercepts).all()
    # the last fit explains (nearly) all of the deviance
    eta = X @ coefs[:, -1] + intercepts[-1]
    assert np.all((eta > 0) == (y > 0))


def test_separable_single_fit_is_finite():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    est = fastreg.LogisticRegression(C=1e4, l1_ratio=1.0, tol=1e-8).fit(X, y)
    assert np.isfinite(est.coef_).all() and est.coef_[0, 0] > 3


# ---- bad input --------------------------------------------------------------------------


def test_bad_input():
    X, y = _data(n=30, p=4)
    est = fastreg.LogisticRegression()
    with pytest.raises(ValueError, match="only one class"):
        est.fit(X, np.ones(30))
    with pytest.raises(ValueError, match="NaN"):
        est.fit(X, np.where(np.arange(30) == 3, np.nan, y))
    with pytest.raises(ValueError, match="multinomial"):
        est.fit(X, np.arange(30) % 3)
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.zeros(30))
    with pytest.raises(ValueError, match="class 1"):
        est.fit(X, y, sample_weight=np.where(y > 0, 0.0, 1.0))
    with pytest.raises(ValueError, match="has 29 samples"):
        est.fit(X, y[:-1])
    with pytest.raises(ValueError, match="C"):
        fastreg.LogisticRegression(C=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="dual"):
        fastreg.LogisticRegression(dual=True).fit(X, y)
    with pytest.raises(ValueError, match="penalty"):
        fastreg.LogisticRegression(penalty="l3").fit(X, y)
    with pytest.raises(ValueError, match="class_weight"):
        fastreg.LogisticRegression(class_weight={7: 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="offset"):
        fastreg.logistic_path(X, y, offset=np.ones(3))
    with pytest.raises(ValueError, match="l1_ratio"):
        fastreg.logistic_path(X, y, l1_ratio=0.0)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        est.fit(np.where(X > 1, np.nan, X), y)
    Xc = X.copy()
    yc = y.copy()
    fastreg.LogisticRegression(C=0.5).fit(Xc, yc)
    np.testing.assert_array_equal(Xc, X)  # inputs untouched
    np.testing.assert_array_equal(yc, y)


# ---- scikit-learn compatibility -----------------------------------------------------------


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Estimator .* does not inherit from", UserWarning)
    _CHECKS = parametrize_with_checks([fastreg.LogisticRegression(),
                                       fastreg.LogisticRegression(l1_ratio=1.0, C=10.0)])


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@_CHECKS
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# ---- metrics ------------------------------------------------------------------------------


def test_classification_metrics_match_sklearn():
    import sklearn.metrics as skm

    rng = np.random.default_rng(0)
    n = 200
    y = rng.integers(0, 2, n)
    score = np.round(rng.standard_normal(n) + y, 1)  # ties included
    prob = 1 / (1 + np.exp(-score))
    w = rng.uniform(0, 2, n)
    labels = np.where(y > 0, "b", "a")
    for sw in (None, w):
        assert fastreg.metrics.roc_auc_score(y, score, sample_weight=sw) == pytest.approx(
            skm.roc_auc_score(y, score, sample_weight=sw), rel=1e-12)
        assert fastreg.metrics.roc_auc_score(labels, prob, sample_weight=sw) == pytest.approx(
            skm.roc_auc_score(labels, prob, sample_weight=sw), rel=1e-12)
        assert fastreg.metrics.log_loss(y, prob, sample_weight=sw) == pytest.approx(
            skm.log_loss(y, prob, sample_weight=sw), rel=1e-12)
        P = np.column_stack([1 - prob, prob])
        assert fastreg.metrics.log_loss(labels, P, sample_weight=sw) == pytest.approx(
            skm.log_loss(labels, P, sample_weight=sw), rel=1e-12)
        pred = (prob > 0.5).astype(int)
        for normalize in (True, False):
            assert fastreg.metrics.accuracy_score(y, pred, sample_weight=sw, normalize=normalize) \
                == pytest.approx(skm.accuracy_score(y, pred, sample_weight=sw, normalize=normalize))
    assert fastreg.metrics.log_loss([0, 1], [0.0, 1.0]) == pytest.approx(
        skm.log_loss([0, 1], [0.0, 1.0]))
    with pytest.raises(ValueError, match="one class"):
        fastreg.metrics.roc_auc_score(np.ones(5), np.arange(5.0))
    with pytest.raises(ValueError, match="binary"):
        fastreg.metrics.roc_auc_score(np.arange(6) % 3, np.arange(6.0))


# ---- Ctrl-C -------------------------------------------------------------------------------


def test_ctrl_c_stops_a_long_path():
    # a real SIGINT to the process, as a terminal's Ctrl-C sends it, 1 s into the call
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import os, signal, threading, time, warnings
        import numpy as np, fastreg
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X = np.asfortranarray(rng.standard_normal((2000, 500)))
        y = (X[:, :20].sum(1) + 3 * rng.standard_normal(2000)) > 0
        sent = []
        def send():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(1.0, send).start()
        try:
            fastreg.logistic_path(X, y, alphas=np.geomspace(0.1, 1e-6, 5000), tol=1e-14)
        except KeyboardInterrupt:
            print("stopped", time.perf_counter() - sent[0])
        else:
            print("finished")
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    word, *rest = proc.stdout.split()
    assert word == "stopped", proc.stdout
    assert float(rest[0]) < 0.5


def test_standardized_path_keeps_genotype_covariates_unpenalized():
    # logistic_path, as the estimators: a Genotypes' covariates stay unpenalized with
    # standardize=True (the same path as the dense matrix with penalty factor 0 on them)
    G = _dosages(140, 25, seed=5, missing=0.05)
    dense = _imputed(G)
    rng = np.random.default_rng(6)
    C = rng.standard_normal((140, 2))
    eta = dense[:, 5] - dense[:, 6] + 2.0 * C[:, 0]
    y = (rng.random(140) < 1 / (1 + np.exp(-eta))).astype(float)
    g = Genotypes.from_array(G).with_covariates(C)
    X = np.hstack([dense, C])
    pf = np.r_[np.ones(25), 0.0, 0.0]
    alphas = np.geomspace(0.2, 0.01, 8)
    _, a, a0 = fastreg.logistic_path(g, y, alphas=alphas, standardize=True, tol=TIGHT)
    _, b, b0 = fastreg.logistic_path(X, y, alphas=alphas, standardize=True, tol=TIGHT,
                                     penalty_factor=pf)
    _close(a, b, 1e-6)
    _close(a0, b0, 1e-6)
    assert np.all(a[-2:, 0] != 0)  # the covariates, unpenalized even at the largest alpha
