"""The binomial family's regularization path: L1 / elastic-net logistic regression by
proximal Newton (IRLS) on the coordinate-descent core.

The objective, glmnet's, with labels y in {0, 1}, sample weights s normalized to sum to n,
an optional fixed offset o and glmnet's penalty factors ``pf`` (default 1)::

    1/n sum_i s_i [log(1 + exp(eta_i)) - y_i eta_i]
        + alpha * (l1_ratio * sum_j pf_j |w_j| + (1 - l1_ratio) / 2 * sum_j pf_j w_j^2),
    eta_i = o_i + b0 + x_i w.

scikit-learn's ``LogisticRegression(C=C, l1_ratio=r)`` minimizes C times the sum of the
weighted losses plus the same penalty: the same solution at ``alpha = 1 / (C * sum(s))``
(``1 / (C n)`` without weights).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _validation as v
from ..exceptions import ConvergenceWarning, DataConversionWarning, sklearn_compatible
from . import _core_paths

# why a generated path stopped early (the core's cd::LogisticStop)
_STOP_REASONS = {
    1: "the fraction of the null deviance explained exceeds 0.999",
    2: "the fraction of the null deviance explained changed by less than 1e-5 of itself",
}


def binary_labels(y, n_samples, name="y"):
    """(classes, y01): the two distinct labels of y (sorted, any type numpy sorts) and y as
    0/1 (1 for classes[1]). ValueError for NaN labels, one class or more than two."""
    if y is None:
        raise ValueError(f"{name}: this estimator requires y to be passed, but the target y is None")
    if v.is_sparse(y):
        raise TypeError(f"{name}: sparse targets are not supported")
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected. Please change "
                      "the shape of y to (n_samples,), for example using ravel().",
                      sklearn_compatible(DataConversionWarning), stacklevel=3)
        a = a.ravel()
    if a.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d array of labels, got shape {a.shape}")
    if a.shape[0] != n_samples:
        raise ValueError(f"{name}: has {a.shape[0]} samples, but X has {n_samples}")
    if a.dtype.kind == "c":
        raise ValueError(f"{name}: complex labels are not supported")
    if a.dtype.kind == "O":
        for value in a:
            if value is None or (isinstance(value, float) and value != value):
                raise ValueError(f"Input {name} contains NaN or None labels.")
        kinds = {type(value) for value in a}
        if not (all(issubclass(k, str) for k in kinds)
                or all(issubclass(k, (int, np.integer)) for k in kinds)):
            if all(issubclass(k, (int, float, np.integer, np.floating)) for k in kinds):
                a = a.astype(np.float64)
            else:
                raise ValueError(f"{name}: Unknown label type: labels must be all strings or "
                                 f"all numbers, got {sorted(k.__name__ for k in kinds)}")
    if a.dtype.kind == "f":
        if np.isnan(a).any():
            raise ValueError(f"Input {name} contains NaN.")
        if np.isinf(a).any():
            raise ValueError(f"Input {name} contains infinity.")
        if np.any(a != np.round(a)):
            raise ValueError(f"{name}: Unknown label type: continuous. Labels must be two "
                             "classes (integers, strings, ...), not continuous values")
    classes, y01 = np.unique(a, return_inverse=True)
    if classes.size < 2:
        raise ValueError(f"{name}: this solver needs samples of at least 2 classes in the "
                         f"data, but the data contains only one class: {classes[0]!r}")
    if classes.size > 2:
        raise ValueError(f"{name}: Only binary classification is supported. The type of the "
                         f"target is multiclass ({classes.size} classes); the multinomial "
                         "family is not implemented")
    return classes, y01.reshape(-1)


def solve_logistic_path(X, y01, *, l1_ratio, alphas, eps, fit_intercept, tol, max_iter,
                        sample_weight=None, penalty_factor=None, offset=None, coef_init=None,
                        intercept_init=0.0, n_threads=None, early_stop=True):
    """Runs the core on validated input: X from design_matrix (or Genotypes), y01 0/1 of X's
    dtype, the vectors of X's dtype. alphas: an int (grid size) or a decreasing float64
    array. Returns a dict: alphas, coefs (p, k), intercepts, n_iter, converged, deviance
    (k = the alphas fitted), null_deviance, stop, epochs, full_passes."""
    grid, n_alphas = _core_paths.grid_arguments(alphas, l1_ratio)
    options = _core_paths.path_options(
        n_alphas=n_alphas, eps=float(eps), l1_ratio=float(l1_ratio),
        fit_intercept=bool(fit_intercept), tol=float(tol), max_iter=int(max_iter),
        n_threads=0 if n_threads is None else int(n_threads))
    result = _core_paths.logistic_path(
        X, y01, options, sample_weight=sample_weight, penalty_factor=penalty_factor,
        coef_init=coef_init, alphas=grid, offset=offset, intercept_init=intercept_init,
        early_stop=early_stop)
    k = int(result["n_done"])
    return dict(alphas=result["alphas"][:k], coefs=np.ascontiguousarray(result["coefs"][:, :k]),
                intercepts=result["intercepts"][:k], n_iter=result["n_iter"][:k],
                converged=result["converged"][:k], deviance=result["deviance"][:k],
                null_deviance=result["null_deviance"], n_done=k, stop=result["stop"],
                epochs=result["epochs"], full_passes=result["full_passes"])


def column_scales(X, sample_weight):
    """The columns' standard deviations with the sample weights (population formula), for
    ``standardize``: glmnet's penalty on standardized coefficients is the penalty on the
    original ones with each pf_j multiplied by sd_j."""
    n = X.shape[0]
    w = np.full(n, 1.0 / n) if sample_weight is None else sample_weight / sample_weight.sum(dtype=np.float64)
    if v.is_genotypes(X):
        if sample_weight is not None:
            raise NotImplementedError("standardize=True with sample weights on Genotypes is not "
                                      "implemented yet; standardize the penalty through penalty_factor")
        return X.standardized_coef(np.ones(X.shape[1]))  # the columns' standard deviations
    if v.is_sparse(X):
        mean = np.asarray(X.T @ w).ravel()
        sq = np.asarray(X.multiply(X).T @ w).ravel()
        return np.sqrt(np.maximum(sq - mean * mean, 0.0))
    mean = w @ X
    return np.sqrt(np.maximum(w @ (X * X) - mean * mean, 0.0))


def logistic_path(X, y, *, l1_ratio=1.0, alphas=100, eps=1e-2, fit_intercept=True,
                  sample_weight=None, penalty_factor=None, standardize=False, offset=None,
                  tol=1e-4, max_iter=100, n_threads=None, return_n_iter=False):
    """L1 / elastic-net logistic regression along a path of alphas (glmnet's binomial family).

    Minimizes, for each alpha (labels coded 0/1, sample weights s normalized to sum n)::

        1/n sum_i s_i [log(1 + exp(eta_i)) - y_i eta_i]
            + alpha * (l1_ratio * sum_j pf_j |w_j| + (1 - l1_ratio) / 2 * sum_j pf_j w_j^2)

    with ``eta_i = offset_i + b0 + x_i w``. scikit-learn's ``LogisticRegression(C=C,
    l1_ratio=l1_ratio)`` has the same solution at ``alpha = 1 / (C * sum(sample_weight))``,
    ``1 / (C * n_samples)`` without weights.

    Parameters
    ----------
    X : array-like, sparse matrix or fastreg.Genotypes of shape (n_samples, n_features)
        float32 data is fitted in float32.
    y : array-like of shape (n_samples,)
        Two distinct labels (any type); the larger one (in sorted order) is coded 1.
    l1_ratio : float, default=1.0
        The mix of the penalties, in [0, 1]; automatic grids need it positive.
    alphas : int or array-like, default=100
        The number of alphas of a generated grid, from ``alpha_max`` (the smallest alpha at
        which all penalized coefficients are zero: ``max_j |x_j^T (s (y - p0))| / (n pf_j
        l1_ratio)`` at the intercept-only fit p0, the unpenalized features fitted first)
        down to ``alpha_max * eps`` on a log scale; or the alphas themselves (fitted in
        decreasing order).
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` of a generated grid (glmnet's default for n < p is 1e-2,
        scikit-learn's paths use 1e-3).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    sample_weight : array-like of shape (n_samples,), optional
        Non-negative weights with a positive sum.
    penalty_factor : array-like of shape (n_features,), optional
        glmnet's per-feature penalty factors (0: unpenalized), not rescaled.
    standardize : bool, default=False
        Penalize the coefficients of the standardized columns (glmnet's default is True):
        each penalty factor is multiplied by its column's weighted standard deviation.
        Coefficients are returned in X's units. Elastic-net penalties (``0 < l1_ratio <
        1``) with ``standardize=True`` are not implemented yet.
    offset : array-like of shape (n_samples,), optional
        A fixed part of the linear predictor (glmnet's ``offset``; for example a polygenic
        score on top of covariates).
    tol : float, default=1e-4
        Newton steps at one alpha stop when both the decrease of the objective in the last
        step and half the step's length in the Hessian's metric (the decrease the quadratic
        model predicted) are at most ``tol`` times the intercept-only fit's mean log-loss.
        Each inner coordinate-descent solve stops at a duality gap of ``tol / 10``
        relative to its working response's weighted variance. float32 fits use
        ``tol >= 1e-5`` (their rounding allows no less).
    max_iter : int, default=100
        Newton steps per alpha.
    n_threads : int, optional
        Use at most this many threads (default: :func:`fastreg.get_num_threads`).
    return_n_iter : bool, default=False
        Also return the Newton steps taken at each alpha.

    Returns
    -------
    alphas : ndarray of shape (k,)
        The alphas fitted. A generated path stops early, as glmnet's does, once the fraction
        of the null deviance explained exceeds 0.999 or changes by less than 1e-5 of itself
        between alphas (after the fifth): on separable data the coefficients diverge as
        alpha -> 0. It then warns (once) and k is less than the grid's size.
    coefs : ndarray of shape (n_features, k)
        Coefficients in X's units, one column per alpha.
    intercepts : ndarray of shape (k,)
        Intercepts (0 without ``fit_intercept``).
    n_iter : ndarray of shape (k,)
        Only with ``return_n_iter``.

    Raises
    ------
    ValueError
        For labels that are not exactly two classes (or NaN), weights summing to 0, and
        invalid arrays or options.
    """
    X = v.design_matrix(X)
    n, p = X.shape
    dtype = np.dtype(X.dtype)
    classes, y01 = binary_labels(y, n)
    y01 = np.ascontiguousarray(y01, dtype=dtype)
    l1_ratio = v.unit_interval(l1_ratio, "l1_ratio")
    alphas = v.alpha_grid(alphas)
    eps = v.positive_real(eps, "eps")
    fit_intercept = v.boolean(fit_intercept, "fit_intercept")
    standardize = v.boolean(standardize, "standardize")
    tol = v.nonnegative(tol, "tol")
    max_iter = v.positive_int(max_iter, "max_iter")
    n_threads = None if n_threads is None else v.thread_count(n_threads)
    sample_weight = v.sample_weights(sample_weight, n, dtype)
    penalty_factor = v.feature_vector(penalty_factor, p, dtype, "penalty_factor")
    offset = _offset(offset, n, dtype)
    check_class_weights(y01, sample_weight)
    if standardize:
        penalty_factor = standardized_penalty(X, sample_weight, penalty_factor, l1_ratio, dtype)
    result = solve_logistic_path(X, y01, l1_ratio=l1_ratio, alphas=alphas, eps=eps,
                                 fit_intercept=fit_intercept, tol=tol, max_iter=max_iter,
                                 sample_weight=sample_weight, penalty_factor=penalty_factor,
                                 offset=offset, n_threads=n_threads)
    warn_path_result(result, alphas)
    out = (result["alphas"], result["coefs"], result["intercepts"])
    return out + (result["n_iter"],) if return_n_iter else out


def _offset(offset, n, dtype):
    if offset is None:
        return None
    a = np.asarray(offset)
    v._numeric_dtype(a.dtype, "offset")
    a = np.ascontiguousarray(a, dtype=dtype)
    if a.shape != (n,):
        raise ValueError(f"offset: expected shape ({n},), got {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError("offset: must be finite")
    return a


def check_class_weights(y01, sample_weight):
    """ValueError when one class has no positive weight (its fit would be degenerate)."""
    if sample_weight is None:
        return
    for c in (0, 1):
        if not sample_weight[y01 == c].sum(dtype=np.float64) > 0:
            raise ValueError(f"sample_weight: the samples of class {c} (of the two labels, "
                             "in sorted order) all have weight 0; both classes need a "
                             "positive weight")


def standardized_penalty(X, sample_weight, penalty_factor, l1_ratios, dtype):
    """The penalty factors of a fit with standardize: the given ones (for Genotypes by
    default its covariates unpenalized) times the columns' standard deviations (glmnet's
    standardize for the lasso); columns of sd 0 keep theirs (the core leaves constant
    columns out). l1_ratios: the fit's l1_ratio, or all of a CV's."""
    if min(np.atleast_1d(l1_ratios)) < 1.0:
        # the elastic net on standardized columns penalizes |w_j| by sd_j and w_j^2 by
        # sd_j^2: two factors per feature, which the core's one penalty_factor cannot hold
        raise NotImplementedError("standardize=True is implemented for l1_ratio=1 only; "
                                  "standardize X yourself for elastic-net penalties")
    if penalty_factor is None and v.is_genotypes(X):
        penalty_factor = _core_paths.design_arguments(X, dtype)[2]
    sd = column_scales(X, sample_weight)
    pf = np.ones(X.shape[1]) if penalty_factor is None else penalty_factor.astype(np.float64)
    return np.ascontiguousarray(np.where(sd > 0, pf * sd, pf), dtype=dtype)


def warn_path_result(result, alphas, stacklevel=3):
    """Warns once when a generated path stopped early, and when Newton's method did not
    converge at some alpha."""
    stop = int(result["stop"])
    if stop and isinstance(alphas, (int, np.integer)):
        warnings.warn(
            f"logistic_path stopped after {result['alphas'].size} of {int(alphas)} alphas: "
            f"{_STOP_REASONS.get(stop, 'early')} (the data are (nearly) separable, or the "
            "smaller alphas add nothing); the alphas returned are those fitted",
            UserWarning, stacklevel=stacklevel)
    bad = ~result["converged"]
    if bad.any():
        warnings.warn(
            f"Newton's method did not converge for {int(bad.sum())} of {bad.size} alpha(s) "
            "within max_iter steps; increase max_iter or the regularization",
            sklearn_compatible(ConvergenceWarning), stacklevel=stacklevel)
