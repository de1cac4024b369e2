"""scikit-learn compatibility of fastreg's estimators: check_estimator, clone, Pipeline,
GridSearchCV, parameters and repr."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

import fastreg

pytest.importorskip("sklearn")
from sklearn.base import clone, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

ESTIMATORS = [
    fastreg.Lasso(),
    fastreg.ElasticNet(),
    fastreg.ElasticNet(standardize=True, positive=True),
    fastreg.Lasso(selection="random", random_state=0),
    fastreg.ElasticNet(precompute=True),
    fastreg.LassoCV(),
    fastreg.ElasticNetCV(l1_ratio=[0.3, 0.9], selection_rule="1se"),
    fastreg.LassoCV(early_stopping=True, patience=3, cv=3),
    fastreg.Ridge(),
    fastreg.Ridge(solver="svd", alpha=0.5),
    fastreg.Ridge(positive=True),
    fastreg.RidgeCV(),
    fastreg.RidgeCV(alphas=(0.5, 5.0), cv=3, scoring="neg_mean_squared_error"),
]


# Our estimators do not inherit from sklearn.base.BaseEstimator (fastreg does not import
# scikit-learn); scikit-learn says so with a UserWarning, at collection time too. Checks
# that need pandas skip.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Estimator .* does not inherit from", UserWarning)
    _CHECKS = parametrize_with_checks(ESTIMATORS)


@pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
# the checks' random data often makes the CV estimators choose an end of their grid
@pytest.mark.filterwarnings("ignore::fastreg.exceptions.GridEdgeWarning")
@_CHECKS
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def _data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 8))
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.standard_normal(60)
    return X, y


def test_tags_clone_pickle_repr():
    est = fastreg.ElasticNet(alpha=0.3, l1_ratio=0.2)
    assert is_regressor(est)
    assert repr(est) == "ElasticNet(alpha=0.3, l1_ratio=0.2)"
    assert repr(fastreg.Lasso()) == "Lasso()"
    c = clone(est)
    assert c is not est and c.get_params() == est.get_params()
    X, y = _data()
    est.fit(X, y)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    assert "l1_ratio" not in fastreg.Lasso().get_params()
    with pytest.raises(ValueError, match="Invalid parameter"):
        est.set_params(no_such=1)


def test_pipeline_and_grid_search():
    X, y = _data()
    pipe = make_pipeline(StandardScaler(), fastreg.Lasso())
    search = GridSearchCV(pipe, {"lasso__alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_["lasso__alpha"] in (0.01, 0.1)
    assert search.score(X, y) > 0.9
    gs = GridSearchCV(fastreg.ElasticNet(), {"l1_ratio": [0.2, 0.8], "alpha": [0.05]}, cv=3)
    gs.fit(X, y)
    assert gs.best_estimator_.coef_.shape == (8,)


def test_score_matches_sklearn_r2():
    from sklearn.metrics import r2_score

    X, y = _data()
    est = fastreg.Lasso(alpha=0.1).fit(X, y)
    w = np.linspace(0.5, 1.5, len(y))
    np.testing.assert_allclose(est.score(X, y), r2_score(y, est.predict(X)), rtol=1e-12)
    np.testing.assert_allclose(est.score(X, y, sample_weight=w),
                               r2_score(y, est.predict(X), sample_weight=w), rtol=1e-12)


def test_ridge_in_pipeline_and_grid_search():
    from sklearn.linear_model import Ridge as SkRidge

    X, y = _data()
    gs = GridSearchCV(make_pipeline(StandardScaler(), fastreg.Ridge()),
                      {"ridge__alpha": [0.1, 1.0, 10.0]}, cv=3).fit(X, y)
    ref = GridSearchCV(make_pipeline(StandardScaler(), SkRidge()),
                       {"ridge__alpha": [0.1, 1.0, 10.0]}, cv=3).fit(X, y)
    assert gs.best_params_ == ref.best_params_
    np.testing.assert_allclose(gs.best_score_, ref.best_score_, rtol=1e-10)
    est = clone(fastreg.RidgeCV(alphas=[0.1, 1.0])).fit(X, y)
    assert repr(fastreg.RidgeCV(alphas=[0.1, 1.0])) == "RidgeCV(alphas=[0.1, 1.0])"
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
