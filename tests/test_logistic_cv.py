"""fastreg.LogisticRegressionCV against scikit-learn's LogisticRegressionCV (the same
stratified folds and C grid, saga at tol 1e-10), against an explicit loop of
fastreg.logistic_path on each fold's rows (copies), the one-standard-error rule, AUC and
misclassification scoring, every design, and bad input."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes

pytest.importorskip("sklearn")
import sklearn.linear_model as sklm  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from test_genotypes import _dosages, _imputed, write_plink  # noqa: E402

TIGHT = 1e-12


def _data(n=200, p=20, seed=0, intercept=0.3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    beta = np.zeros(p)
    beta[:4] = [1.5, -1.0, 0.8, 0.5]
    eta = intercept + X @ beta
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int64)
    return X, y


def _close(actual, expected, rtol):
    actual, expected = np.asarray(actual, np.float64), np.asarray(expected, np.float64)
    scale = max(np.abs(expected).max(), 1e-12)
    assert np.abs(actual - expected).max() <= rtol * scale, (actual, expected)


# ---- folds --------------------------------------------------------------------------------


@pytest.mark.parametrize("n, n_splits, frac", [(100, 5, 0.5), (97, 3, 0.2), (23, 4, 0.35),
                                               (50, 10, 0.6)])
def test_stratified_folds_are_scikit_learns(n, n_splits, frac):
    from fastreg.linear_model._logistic_cv import stratified_kfold

    rng = np.random.default_rng(n)
    y = (rng.random(n) < frac).astype(int)
    y[:2] = [1, 0]
    ours = stratified_kfold(y, n_splits)
    theirs = list(StratifiedKFold(n_splits).split(np.zeros((n, 1)), y))
    assert len(ours) == len(theirs)
    for (a_train, a_test), (b_train, b_test) in zip(ours, theirs):
        np.testing.assert_array_equal(a_train, b_train)
        np.testing.assert_array_equal(a_test, b_test)


# ---- against scikit-learn -----------------------------------------------------------------


def _sklearn_cv(X, y, **kw):
    ref = sklm.LogisticRegressionCV(solver="saga", tol=1e-10, max_iter=100_000, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (saga's ConvergenceWarning at the last digits)
        return ref.fit(X, y)


@pytest.mark.parametrize("l1_ratios", [(1.0,), (0.5, 1.0)])
@pytest.mark.parametrize("scoring", ["neg_log_loss", "roc_auc"])
def test_matches_sklearn(l1_ratios, scoring):
    X, y = _data()
    # C from 0.05 (a few features in) to 10: saga's intercept converges slowly where every
    # coefficient is 0, so the grid starts where some are not
    Cs = np.logspace(np.log10(0.05), 1, 6)
    ours = fastreg.LogisticRegressionCV(Cs=Cs, l1_ratios=l1_ratios, scoring=scoring, cv=4,
                                        tol=TIGHT, max_iter=1000).fit(X, y)
    ref = _sklearn_cv(X, y, Cs=Cs, l1_ratios=l1_ratios, scoring=scoring, cv=4)
    np.testing.assert_allclose(ours.Cs_, ref.Cs_, rtol=1e-12)
    np.testing.assert_array_equal(ours.l1_ratios_, ref.l1_ratios_)
    assert ours.scores_[1].shape == ref.scores_[1].shape == (4, 6, len(l1_ratios))
    np.testing.assert_allclose(ours.scores_[1], ref.scores_[1], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ours.C_, ref.C_, rtol=1e-12)
    np.testing.assert_array_equal(ours.l1_ratio_, ref.l1_ratio_)
    _close(ours.coef_, ref.coef_, 1e-5)
    _close(ours.intercept_, ref.intercept_, 1e-5)
    assert ours.n_iter_.shape == ref.n_iter_.shape
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_new_layout_and_refit_false_match_sklearn():
    X, y = _data(seed=1)
    Cs = np.logspace(np.log10(0.05), 1, 5)
    # (an array: scikit-learn 1.9 indexes l1_ratios_ with an array when refit=False)
    kw = dict(Cs=Cs, l1_ratios=np.array([0.5, 1.0]), scoring="neg_log_loss", cv=3)
    ours = fastreg.LogisticRegressionCV(tol=TIGHT, max_iter=1000, use_legacy_attributes=False,
                                        refit=False, **kw).fit(X, y)
    ref = _sklearn_cv(X, y, use_legacy_attributes=False, refit=False, **kw)
    assert ours.scores_.shape == ref.scores_.shape == (3, 2, 5)
    assert ours.n_iter_.shape == ref.n_iter_.shape
    np.testing.assert_allclose(ours.scores_, ref.scores_, rtol=1e-6, atol=1e-7)
    assert isinstance(ours.C_, float) and isinstance(ours.l1_ratio_, float)
    np.testing.assert_allclose(ours.C_, ref.C_, rtol=1e-12)
    np.testing.assert_allclose(ours.l1_ratio_, ref.l1_ratio_, rtol=1e-12)
    _close(ours.coef_, ref.coef_, 1e-5)
    _close(ours.intercept_, ref.intercept_, 1e-5)


def test_default_is_l2_with_legacy_layout():
    X, y = _data(n=120, p=6, seed=2)
    ours = fastreg.LogisticRegressionCV(Cs=4, cv=3, tol=TIGHT).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # (its l1_ratios=None default)
        ref = sklm.LogisticRegressionCV(Cs=4, cv=3, scoring="neg_log_loss",
                                        tol=1e-10).fit(X, y)
    np.testing.assert_array_equal(ours.l1_ratios_, ref.l1_ratios_)  # [None]
    assert ours.scores_[1].shape == ref.scores_[1].shape == (3, 4)
    assert ours.n_iter_.shape == ref.n_iter_.shape == (1, 3, 4)
    # deviance is twice the mean log-loss
    np.testing.assert_allclose(ours.scores_[1], 2 * ref.scores_[1], rtol=1e-6)
    np.testing.assert_allclose(ours.C_, ref.C_)
    _close(ours.coef_, ref.coef_, 1e-5)


# ---- against an explicit loop of logistic_path over fold copies ---------------------------


def _fold_loop(X, y, folds, alphas, *, l1_ratio, sw, pf, standardize):
    """Each fold's path on a copy of its training rows; the held-out deviance, AUC and
    misclassification by numpy and scikit-learn."""
    out = {m: [] for m in ("deviance", "auc", "misclassification")}
    for train, test in folds:
        _, coefs, b0 = fastreg.logistic_path(
            X[train], y[train], l1_ratio=l1_ratio, alphas=alphas, sample_weight=sw[train],
            penalty_factor=pf, standardize=standardize, tol=TIGHT, max_iter=1000)
        eta = X[test] @ coefs + b0
        w = sw[test] / sw[test].sum()
        yt = y[test][:, None]
        out["deviance"].append(-2 * w @ (yt * np.log(1 / (1 + np.exp(-eta)))
                                         + (1 - yt) * np.log(1 / (1 + np.exp(eta)))))
        out["misclassification"].append(w @ ((eta > 0) != (yt == 1)))
        out["auc"].append([roc_auc_score(y[test], eta[:, j], sample_weight=sw[test])
                           for j in range(eta.shape[1])])
    return {m: np.array(a) for m, a in out.items()}


@pytest.mark.parametrize("scoring", ["deviance", "auc", "misclassification"])
@pytest.mark.parametrize("rule", ["min", "1se"])
def test_equals_a_loop_over_fold_copies(scoring, rule):
    X, y = _data(n=240, p=30, seed=3)
    rng = np.random.default_rng(4)
    sw = rng.uniform(0.5, 2.0, X.shape[0])
    pf = np.ones(X.shape[1])
    pf[0] = 0.0  # unpenalized
    pf[1] = 2.0
    cv = KFold(4, shuffle=True, random_state=0)
    folds = list(cv.split(X))
    model = fastreg.LogisticRegressionCV(alphas=15, eps=0.02, l1_ratios=[0.8], cv=cv,
                                         scoring=scoring, selection_rule=rule,
                                         penalty_factor=pf, standardize=False, tol=TIGHT,
                                         max_iter=1000, use_legacy_attributes=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
        model.fit(X, y, sample_weight=sw)
    # the grid: glmnet's, on all the data
    alphas, coefs, b0 = fastreg.logistic_path(X, y, l1_ratio=0.8, alphas=15, eps=0.02,
                                              sample_weight=sw, penalty_factor=pf, tol=TIGHT,
                                              max_iter=1000)
    np.testing.assert_allclose(model.alphas_, alphas, rtol=1e-12)
    loop = _fold_loop(X, y, folds, alphas, l1_ratio=0.8, sw=sw, pf=pf, standardize=False)
    for m, values in loop.items():
        np.testing.assert_allclose(model.cv_measures_[m][:, 0], values, rtol=1e-6, atol=1e-9,
                                   err_msg=m)
    values = loop[scoring]
    mean = values.mean(axis=0)
    se = values.std(axis=0, ddof=1) / np.sqrt(len(folds))
    np.testing.assert_allclose(model.cv_mean_, mean, rtol=1e-6)
    np.testing.assert_allclose(model.cv_se_, se, rtol=1e-5, atol=1e-9)
    loss = -mean if scoring == "auc" else mean
    i_min = int(np.argmin(loss))
    # 1se: the largest alpha whose mean is within one standard error of the best
    i_1se = int(np.flatnonzero(loss <= loss[i_min] + se[i_min])[0])
    assert model.alpha_min_ == alphas[i_min]
    assert model.alpha_1se_ == alphas[i_1se]
    i = i_min if rule == "min" else i_1se
    assert model.alpha_ == alphas[i]
    _close(model.coef_[0], coefs[:, i], 1e-8)
    _close(model.intercept_, b0[i], 1e-8)
    _close(model.coef_path_, coefs, 1e-8)
    np.testing.assert_allclose(model.C_, 1 / (alphas[i] * sw.sum()), rtol=1e-12)
    sign = -1 if scoring != "auc" else 1
    np.testing.assert_allclose(model.scores_[:, 0], sign * values, rtol=1e-6, atol=1e-9)


def test_one_se_picks_a_sparser_model():
    X, y = _data(n=300, p=40, seed=5)
    kw = dict(alphas=30, l1_ratios=[1.0], cv=5, tol=1e-8)
    a = fastreg.LogisticRegressionCV(selection_rule="min", **kw).fit(X, y)
    b = fastreg.LogisticRegressionCV(selection_rule="1se", **kw).fit(X, y)
    assert b.alpha_1se_ > b.alpha_min_ == a.alpha_
    assert np.count_nonzero(b.coef_) < np.count_nonzero(a.coef_)
    assert b.alpha_ == a.alpha_1se_


def test_standardize_equals_the_loop():
    X, y = _data(n=160, p=12, seed=6)
    X = X * np.linspace(0.2, 3.0, X.shape[1])
    sw = np.random.default_rng(7).uniform(0.5, 2.0, X.shape[0])
    model = fastreg.LogisticRegressionCV(alphas=10, l1_ratios=[1.0], cv=3, standardize=True,
                                         tol=TIGHT, max_iter=1000).fit(X, y, sample_weight=sw)
    from fastreg.linear_model._logistic_cv import stratified_kfold

    # every fold's penalty factors: the weighted standard deviations on all the data
    mean = sw @ X / sw.sum()
    sd = np.sqrt(sw @ (X - mean) ** 2 / sw.sum())
    loop = _fold_loop(X, y, stratified_kfold(y, 3), model.alphas_, l1_ratio=1.0, sw=sw,
                      pf=sd, standardize=False)
    np.testing.assert_allclose(model.cv_measures_["deviance"][:, 0], loop["deviance"],
                               rtol=1e-6)
    full = fastreg.LogisticRegression(C=model.C_[0], l1_ratio=1.0, standardize=True,
                                      tol=TIGHT, max_iter=1000).fit(X, y, sample_weight=sw)
    _close(model.coef_, full.coef_, 1e-7)
    with pytest.raises(NotImplementedError, match="l1_ratio=1"):
        fastreg.LogisticRegressionCV(l1_ratios=[0.5], standardize=True).fit(X, y)


# ---- every design -------------------------------------------------------------------------


def test_sparse_and_float32_equal_dense():
    import scipy.sparse as sp

    X, y = _data(n=150, p=25, seed=7)
    X[np.abs(X) < 0.8] = 0.0
    kw = dict(alphas=12, l1_ratios=[1.0], cv=3, tol=TIGHT, max_iter=1000)
    ref = fastreg.LogisticRegressionCV(**kw).fit(X, y)
    for Xs in (sp.csc_matrix(X), sp.csr_matrix(X)):
        got = fastreg.LogisticRegressionCV(**kw).fit(Xs, y)
        for m in ref.cv_measures_:
            np.testing.assert_allclose(got.cv_measures_[m], ref.cv_measures_[m], rtol=1e-8)
        _close(got.coef_, ref.coef_, 1e-8)
    got = fastreg.LogisticRegressionCV(**{**kw, "tol": 1e-6}).fit(X.astype(np.float32), y)
    assert got.coef_.dtype == np.float32
    np.testing.assert_allclose(got.cv_measures_["deviance"], ref.cv_measures_["deviance"],
                               rtol=1e-3)
    assert got.alpha_ == pytest.approx(ref.alpha_, rel=1e-4)


@pytest.mark.parametrize("kind", ["int8", "bed"])
@pytest.mark.parametrize("covariates", [False, True])
def test_genotypes_equal_the_imputed_dense(tmp_path, kind, covariates):
    G = _dosages(180, 40, seed=8, missing=0.05)
    dense = _imputed(G)
    rng = np.random.default_rng(9)
    eta = dense[:, 4:7] @ np.array([0.9, -0.7, 0.6]) - 0.4
    y = np.where(rng.random(G.shape[0]) < 1 / (1 + np.exp(-eta)), "case", "control")
    g = (Genotypes.from_array(G) if kind == "int8"
         else Genotypes.from_bed(write_plink(os.path.join(tmp_path, "g"), G) + ".bed"))
    kw = dict(alphas=10, eps=0.05, l1_ratios=[1.0], cv=3, scoring="auc", tol=TIGHT,
              max_iter=1000, standardize=covariates)
    pf = None
    if covariates:  # unpenalized by the design, also when standardized
        C = rng.standard_normal((G.shape[0], 2))
        g = g.with_covariates(C)
        dense = np.hstack([dense, C])
        pf = np.r_[np.ones(G.shape[1]), 0.0, 0.0]
    a = fastreg.LogisticRegressionCV(**kw).fit(g, y)
    b = fastreg.LogisticRegressionCV(penalty_factor=pf, **kw).fit(dense, y)
    for m in b.cv_measures_:
        np.testing.assert_allclose(a.cv_measures_[m], b.cv_measures_[m], rtol=1e-6, atol=1e-9)
    assert a.alpha_ == pytest.approx(b.alpha_, rel=1e-9)
    _close(a.coef_, b.coef_, 1e-6)
    np.testing.assert_array_equal(a.classes_, ["case", "control"])
    np.testing.assert_allclose(a.predict_proba(g), b.predict_proba(dense), atol=1e-7)


def test_folds_do_not_copy_or_modify_x():
    X, y = _data(n=100, p=10, seed=10)
    X = np.asfortranarray(X)
    Xc, yc = X.copy(), y.copy()
    fastreg.LogisticRegressionCV(Cs=3, l1_ratios=[1.0], cv=3).fit(X, y)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(y, yc)


def test_score_follows_scoring():
    X, y = _data(n=150, p=8, seed=11)
    from fastreg.metrics import log_loss

    m = fastreg.LogisticRegressionCV(Cs=4, cv=3, scoring="neg_log_loss").fit(X, y)
    assert m.score(X, y) == pytest.approx(-log_loss(y, m.predict_proba(X)), rel=1e-10)
    m.set_params(scoring="roc_auc")
    assert m.score(X, y) == pytest.approx(roc_auc_score(y, m.decision_function(X)), rel=1e-12)
    m.set_params(scoring="accuracy")
    assert m.score(X, y) == pytest.approx(np.mean(m.predict(X) == y), rel=1e-12)


# ---- bad input ----------------------------------------------------------------------------


def test_bad_input():
    X, y = _data(n=60, p=5, seed=12)
    cases = [
        (dict(scoring="r2"), "scoring"),
        (dict(selection_rule="max"), "selection_rule"),
        (dict(Cs=[]), "Cs"),
        (dict(Cs=[1.0, -1.0]), "Cs"),
        (dict(Cs=0), "Cs"),
        (dict(penalty="elasticnet"), "l1_ratios"),
        (dict(l1_ratios=[1.5]), "l1_ratios"),
        (dict(alphas=10, l1_ratios=[0.0]), "l1_ratios"),
        (dict(refit=False, selection_rule="1se"), "selection_rule"),
        (dict(cv=1), "cv"),
        (dict(dual=True), "dual"),
        (dict(eps=-1.0), "eps"),
    ]
    for params, word in cases:
        with pytest.raises(ValueError, match=word):
            fastreg.LogisticRegressionCV(**params).fit(X, y)
    with pytest.raises(ValueError, match="multinomial"):
        fastreg.LogisticRegressionCV().fit(X, np.arange(60) % 3)
    with pytest.raises(ValueError, match="one class"):
        fastreg.LogisticRegressionCV().fit(X, np.ones(60))
    y_bad = y.copy().astype(float)
    y_bad[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastreg.LogisticRegressionCV().fit(X, y_bad)
    # a fold whose training rows hold one class
    folds = [(np.flatnonzero(y == 0), np.flatnonzero(y == 1)),
             (np.flatnonzero(y == 1), np.flatnonzero(y == 0))]
    with pytest.raises(ValueError, match="training rows of fold 0"):
        fastreg.LogisticRegressionCV(cv=folds).fit(X, y)
    with pytest.raises(ValueError, match="greater than the number of members"):
        fastreg.LogisticRegressionCV(cv=70).fit(X, y)


# ---- scikit-learn compatibility -----------------------------------------------------------


with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Estimator .* does not inherit from", UserWarning)
    _CHECKS = parametrize_with_checks([
        fastreg.LogisticRegressionCV(Cs=3, cv=3),
        fastreg.LogisticRegressionCV(alphas=5, l1_ratios=[1.0], cv=3, scoring="auc",
                                     selection_rule="1se")])


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
@pytest.mark.filterwarnings("ignore::fastreg.exceptions.GridEdgeWarning")
@_CHECKS
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
