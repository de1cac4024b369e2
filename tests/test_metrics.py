"""fastreg.metrics against scikit-learn's definitions, edge cases included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from fastreg import metrics

skm = pytest.importorskip("sklearn.metrics")

PAIRS = [
    (metrics.r2_score, skm.r2_score),
    (metrics.mean_squared_error, skm.mean_squared_error),
    (metrics.rmse, skm.root_mean_squared_error),
    (metrics.root_mean_squared_error, skm.root_mean_squared_error),
    (metrics.mae, skm.mean_absolute_error),
    (metrics.mean_absolute_error, skm.mean_absolute_error),
]


def _data(k, n=40, seed=0):
    rng = np.random.default_rng(seed)
    yt = rng.standard_normal((n, k)) * [1.0, 3.0, 0.5][:k] + 2.0
    yp = yt + 0.7 * rng.standard_normal((n, k))
    return (yt[:, 0], yp[:, 0]) if k == 1 else (yt, yp)


@pytest.mark.parametrize("ours, ref", PAIRS)
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(ours, ref, k, weighted):
    yt, yp = _data(k)
    sw = np.random.default_rng(1).uniform(0, 2, len(yt)) if weighted else None
    modes = ["uniform_average", "raw_values"] + ([np.array([0.2, 0.5, 0.3])] if k > 1 else [])
    if ours is metrics.r2_score:
        modes.append("variance_weighted")
    for mo in modes:
        a = ours(yt, yp, sample_weight=sw, multioutput=mo)
        b = ref(yt, yp, sample_weight=sw, multioutput=mo)
        np.testing.assert_allclose(a, b, rtol=1e-13)
        assert isinstance(a, float) == isinstance(b, float)


def test_lists_and_ints():
    assert metrics.mae([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == pytest.approx(0.5)
    assert metrics.rmse([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == pytest.approx(
        skm.root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]))
    assert metrics.r2_score([1, 2, 3], [1, 2, 3]) == 1.0


@pytest.mark.parametrize("force_finite", [True, False])
def test_r2_constant_targets(force_finite):
    yt = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])
    for yp in (yt.copy(), yt + [[0.5, 0.0]] * np.array([[1], [0], [1]])):
        for mo in ("raw_values", "uniform_average", "variance_weighted"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                a = metrics.r2_score(yt, yp, multioutput=mo, force_finite=force_finite)
                b = skm.r2_score(yt, yp, multioutput=mo, force_finite=force_finite)
            np.testing.assert_allclose(a, b)
    const = np.ones(4)
    assert metrics.r2_score(const, const) == 1.0
    assert metrics.r2_score(const, const + 1) == 0.0


def test_r2_single_sample_warns_nan():
    from sklearn.exceptions import UndefinedMetricWarning

    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(metrics.r2_score([1.0], [2.0]))


def test_estimator_score_is_r2():
    import fastreg

    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 5))
    y = X @ rng.standard_normal(5) + rng.standard_normal(50)
    est = fastreg.Ridge(alpha=1.0).fit(X, y)
    assert est.score(X, y) == pytest.approx(metrics.r2_score(y, est.predict(X)), rel=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="y_pred: has 2 samples"):
        metrics.r2_score([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="outputs"):
        metrics.mean_squared_error(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="multioutput"):
        metrics.mae([1, 2], [1, 2], multioutput="median")
    with pytest.raises(ValueError, match="multioutput"):
        metrics.mae(np.ones((3, 2)), np.ones((3, 2)), multioutput=[1.0])
    with pytest.raises(ValueError, match="multioutput"):
        metrics.mean_squared_error(np.ones((3, 2)), np.ones((3, 2)), multioutput="variance_weighted")
    with pytest.raises(ValueError, match="sample_weight"):
        metrics.r2_score([1, 2, 3], [1, 2, 3], sample_weight=[1, 2])
    with pytest.raises(ValueError, match="NaN"):
        metrics.rmse([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(TypeError, match="y_true"):
        metrics.mae(["a", "b"], [1, 2])
