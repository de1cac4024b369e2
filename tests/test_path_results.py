"""The binding boundary of the paths: one options object and one result dict for every
entry point and family, and the logistic path's Newton steps sharing one solver."""

import numpy as np
import pytest

from fastreg import _core
from fastreg.linear_model import _core_paths
from fastreg.linear_model._logistic_path import solve_logistic_path

KEYS = {"alphas", "coefs", "coefs_csc", "intercepts", "dual_gaps", "n_iter", "converged",
        "n_done", "val_mse", "tol_scaled", "full_passes", "epochs", "grad_columns"}


def _problem(n=80, p=30, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    eta = X[:, :4] @ np.array([1.5, -1.0, 0.8, 0.5])
    y01 = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
    return X, eta + 0.1 * rng.standard_normal(n), y01


def test_every_entry_point_returns_the_one_result_dict():
    X, y, y01 = _problem()
    options = _core_paths.path_options(n_alphas=5, eps=1e-2, tol=1e-8)
    one = _core_paths.path(X, y, options)
    assert set(one) == KEYS
    several = _core_paths.path(X, np.asfortranarray(np.c_[y, -y]), options)
    assert set(several) == KEYS | {"shared_passes"}
    results, shared = _core_paths.cv_paths(X, y, None, [None, None], [None, None],
                                           [None, np.array([0.5, 0.1])], None, options)
    assert [set(r) for r in results] == [KEYS, KEYS]
    np.testing.assert_array_equal(results[0]["coefs"], one["coefs"])
    logistic = _core_paths.logistic_path(X, y01, options)
    assert set(logistic) == KEYS | {"deviance", "null_deviance", "stop"}
    assert logistic["dual_gaps"] is None and logistic["coefs_csc"] is None
    assert logistic["coefs"].shape == (30, 5) and logistic["converged"].dtype == bool
    assert logistic["tol_scaled"] == pytest.approx(1e-8 * logistic["null_deviance"] / 2)


@pytest.mark.parametrize("field, value", [("standardize", True), ("positive", True),
                                          ("random", True), ("gram", 1), ("patience", 3),
                                          ("max_alphas", 2), ("sparse_coefs", True)])
def test_logistic_path_names_the_options_it_does_not_take(field, value):
    X, _, y01 = _problem()
    options = _core_paths.path_options(n_alphas=3, **{field: value})
    with pytest.raises(ValueError, match=field):
        _core_paths.logistic_path(X, y01, options)


def test_logistic_binding_checks_its_vectors():
    X, _, y01 = _problem()
    options = _core_paths.path_options(n_alphas=3)
    with pytest.raises(ValueError, match="offset"):
        _core.logistic_path_dense(X, y01, None, None, None, None, np.zeros(3), 0.0, True, options)
    with pytest.raises(ValueError, match="alphas"):
        _core.logistic_path_dense(X, y01, None, None, None, np.zeros(0), None, 0.0, True, options)


def test_one_grid_helper_for_both_families():
    assert _core_paths.grid_arguments(7, 0.5) == (None, 7)
    grid = np.array([1.0, 0.5])
    assert _core_paths.grid_arguments(grid, 0.0) == (grid, 2)
    with pytest.raises(ValueError, match="l1_ratio"):
        _core_paths.grid_arguments(7, 0.0)


@pytest.mark.parametrize("kind", ["dense", "genotypes"])
def test_newton_steps_pass_over_x_once_an_alpha(kind):
    # glmnet's restricted sets: the Newton steps at an alpha solve on the ever-active and
    # strong features only (their own copy), and one pass over X at the solution checks the
    # KKT conditions of the rest. Inner solves over all of X (two passes a Newton step,
    # 2 (steps + 1) in all before the restricted sets) remain only at alpha_max (the two
    # passes of its solver) and at the first alpha, whose set is empty.
    rng = np.random.default_rng(1)
    n, p = 150, 400
    G = rng.binomial(2, 0.3, size=(n, p)).astype(np.int8)
    G[rng.random((n, p)) < 0.02] = -1
    if kind == "dense":
        X = np.asfortranarray(rng.standard_normal((n, p)))
    else:
        import fastreg

        X = fastreg.Genotypes.from_array(np.asfortranarray(G))
    Xd = X if kind == "dense" else X.to_dense()
    eta = Xd[:, :5] @ np.full(5, 0.8)
    y01 = (rng.random(n) < 1.0 / (1.0 + np.exp(-(eta - eta.mean())))).astype(np.float64)
    r = solve_logistic_path(X, y01, l1_ratio=1.0, alphas=10, eps=1e-2, fit_intercept=True,
                            tol=1e-8, max_iter=100)
    steps = int(np.sum(r["n_iter"]))
    # alpha_max's two, two a step at the first alpha, then one gradient pass an alpha and
    # one more for a round of KKT violators, which is rare (here 15 passes in 36 steps)
    k = r["alphas"].size
    assert steps >= 10 and k == 10
    first = 2 + 2 * int(r["n_iter"][0]) + 1
    assert k <= r["full_passes"] <= first + (k - 1) + 3
    assert r["full_passes"] < steps
    # the answer is the optimum: KKT conditions at the last alpha
    b, b0, alpha = r["coefs"][:, -1], r["intercepts"][-1], r["alphas"][-1]
    pr = 1.0 / (1.0 + np.exp(-(Xd @ b + b0)))
    g = Xd.T @ (y01 - pr) / n
    active = b != 0
    np.testing.assert_allclose(g[active], alpha * np.sign(b[active]), atol=1e-6)
    assert np.all(np.abs(g[~active]) <= alpha + 1e-6)


@pytest.mark.parametrize("n, p, gram, expected", [
    (1000, 100, -1, True), (999, 100, -1, False), (100000, 5000, -1, False),
    (50, 100, 1, True), (1000, 10, 0, False)])
def test_the_gram_route_is_decided_by_the_core(n, p, gram, expected):
    from fastreg.linear_model import _tall

    assert _core.use_gram(n, p, gram) is expected
    X = np.asfortranarray(np.ones((n, p))) if n * p <= 10**6 else None
    if X is not None:  # the tall route asks the core (paths: any size)
        assert _tall.use_tall(X, np.ones(n), gram=gram, seed=None, coef_init=None,
                              n_alphas=100) is expected
