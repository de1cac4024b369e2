"""ElasticNet: scikit-learn's estimator on fastreg's coordinate-descent core."""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._base import BaseEstimator, RegressorMixin
from ._linear import LinearModelMixin, feature_names
from ._coordinate_descent import (_gram_mode, _random_seed, _solve_path, _warn_not_converged,
                                  enet_path)


class ElasticNet(LinearModelMixin, RegressorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties (coordinate descent).

    Minimizes, as :class:`sklearn.linear_model.ElasticNet`::

        1/(2 n) ||y - b0 - X w||^2 + alpha * l1_ratio * sum_j pf_j |w_j|
                                   + alpha * (1 - l1_ratio) / 2 * sum_j pf_j w_j^2

    with penalty factors ``pf`` (glmnet's ``penalty.factor``, default 1).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength (non-negative).
    l1_ratio : float, default=0.5
        Mixing parameter in [0, 1]: 1 is the lasso, 0 ridge.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept; X and y are centered implicitly, X is never copied.
    precompute : bool or 'auto', default=False
        Covariance (Gram) updates for dense X: True, False, or 'auto' (when
        n_samples >= 10 n_features and n_features <= 4096). A precomputed Gram matrix is
        accepted and not used (treated as 'auto').
    max_iter : int, default=1000
        Maximum number of epochs.
    copy_X : bool, default=True
        Accepted for compatibility; X is never modified.
    tol : float, default=1e-4
        Tolerance, with scikit-learn's semantics: the duality gap is checked when the
        largest coefficient update of an epoch is at most ``tol`` times the largest
        coefficient, and the fit stops when it is at most ``tol * ||y - ybar||^2 / n``.
    warm_start : bool, default=False
        Start from the previous ``coef_``.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : None, int, RandomState or Generator, default=None
        Seeds the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Coordinate order in each epoch: in turn, or drawn at random (with replacement, as
        scikit-learn does) from the working set.
    penalty_factor : array-like of shape (n_features,), optional
        Non-negative per-feature multipliers of both penalties; 0 leaves a feature
        unpenalized. Not rescaled (glmnet rescales them to sum to n_features).
    standardize : bool, default=False
        Penalize the coefficients of columns scaled to unit (weighted) variance, as
        glmnet does; ``coef_`` is reported in X's units.
    n_threads : int, optional
        Use at most this many threads (default: :func:`fastreg.get_num_threads`).
    progress : bool or callable, default=None
        Report the fit's progress: True draws a bar on stderr; a callable is called as
        ``progress(done, total)`` with the targets fitted so far (one alpha each), at
        most every 0.2 s and once with ``done == total`` at the end. Useful with many
        targets; see :class:`fastreg.LassoCV` for the details.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    sparse_coef_ : scipy.sparse.csr_matrix of shape (1, n_features) or (n_targets, n_features)
        ``coef_`` as a sparse matrix (computed on access; imports scipy).
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
        Epochs run (over the working set).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the end (scikit-learn's scale).
    full_passes_ : int or list of int
        Passes over all of X (the unit of cost on wide data): the column statistics, the
        first gradient, and the full gradients the KKT bounds could not avoid.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names of X, when X had string column names (a DataFrame).
    """

    path = staticmethod(enet_path)

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False,
                 max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic", penalty_factor=None,
                 standardize=False, n_threads=None, progress=None):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads
        self.progress = progress

    def _l1_ratio(self):
        return v.unit_interval(self.l1_ratio, "l1_ratio")

    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets (converted to X's dtype).
        sample_weight : float or array-like of shape (n_samples,), optional
            Observation weights, normalized internally to sum to n_samples.
        check_input : bool, default=True
            Accepted for compatibility; input is always checked.

        Returns
        -------
        self
        """
        del check_input
        names = feature_names(X)
        alpha = v.nonnegative(self.alpha, "alpha")
        l1_ratio = self._l1_ratio()
        tol = v.nonnegative(self.tol, "tol")
        max_iter = v.positive_int(self.max_iter, "max_iter")
        fit_intercept = v.boolean(self.fit_intercept, "fit_intercept")
        positive = v.boolean(self.positive, "positive")
        standardize = v.boolean(self.standardize, "standardize")
        warm_start = v.boolean(self.warm_start, "warm_start")
        n_threads = None if self.n_threads is None else v.thread_count(self.n_threads)
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"selection: must be 'cyclic' or 'random', got {self.selection!r}")
        seed = _random_seed(self.random_state) if self.selection == "random" else None
        gram = _gram_mode(self.precompute)
        X = v.design_matrix(X)
        n, p = X.shape
        y = v.target_array(y, n, X.dtype)
        sw = v.sample_weights(sample_weight, n, X.dtype)
        pf = v.feature_vector(self.penalty_factor, p, X.dtype, "penalty_factor")
        Y = y.reshape(n, 1) if y.ndim == 1 else y
        k = Y.shape[1]
        previous = getattr(self, "coef_", None) if warm_start else None
        if previous is not None:
            previous = np.asarray(previous).reshape(-1, p) if np.size(previous) == k * p else None

        # all targets at once, sharing their passes over X (random order: target t draws
        # from seed + t, as a call of its own would)
        init = None if previous is None else np.ascontiguousarray(previous, dtype=X.dtype)
        result = _solve_path(
            X, Y if y.ndim == 2 else y, l1_ratio=l1_ratio, alphas=np.array([alpha]),
            eps=1e-3, fit_intercept=fit_intercept, standardize=standardize,
            positive=positive, tol=tol, max_iter=max_iter, sample_weight=sw,
            penalty_factor=pf, coef_init=init if y.ndim == 2 or init is None else init[0],
            n_threads=n_threads, gram=gram, seed=seed, progress=self.progress,
            name=type(self).__name__)
        _warn_not_converged(result, stacklevel=3)
        coef = result["coefs"][..., 0].reshape(k, p)
        intercept = result["intercepts"][..., 0].reshape(k)
        gaps = result["dual_gaps"][..., 0].reshape(k)
        n_iter = [int(i) for i in np.ravel(result["n_iter"][..., 0])]
        passes = [int(i) for i in np.ravel(result["full_passes"])]
        if y.ndim == 1:
            self.coef_ = coef[0]
            self.intercept_ = float(intercept[0]) if fit_intercept else 0.0
            self.dual_gap_ = float(gaps[0])
            self.n_iter_ = n_iter[0]
            self.full_passes_ = passes[0]
        else:
            self.coef_ = coef
            self.intercept_ = intercept if fit_intercept else np.zeros(k, dtype=X.dtype)
            self.dual_gap_ = gaps
            self.n_iter_ = n_iter
            self.full_passes_ = passes
        self.n_features_in_ = p
        self._set_feature_names(names)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags

