"""LogisticRegression: scikit-learn's estimator (binary, L1 / L2 / elastic net) on the
binomial family's proximal Newton solver (see _logistic_path)."""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as v
from .._base import BaseEstimator
from ._linear import LinearModelMixin, feature_names
from ._core_paths import design_arguments
from ._logistic_path import (binary_labels, check_class_weights, solve_logistic_path,
                             standardized_penalty, warn_path_result)

_SOLVERS = ("lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga")


def penalty_factors(X, penalty_factor, sample_weight, l1_ratios, standardize, dtype):
    """The penalty factors of every fit: the given ones (for Genotypes by default its
    covariates unpenalized), times the columns' standard deviations on all the data with
    ``standardize`` (glmnet's standardization of the lasso; the same for every fold, so
    that every design gives the same folds)."""
    pf = penalty_factor
    if pf is None and v.is_genotypes(X):
        pf = design_arguments(X, dtype)[2]
    if not standardize:
        return pf
    return standardized_penalty(X, sample_weight, pf, l1_ratios, dtype)


class LogisticRegression(LinearModelMixin, BaseEstimator):
    """Binary logistic regression with L1, L2 or elastic-net penalties (scikit-learn's
    ``LogisticRegression``, same parameters and attributes, on glmnet's algorithm).

    Minimizes, with y coded 0/1 and weights s (sample weights times class weights)::

        C * sum_i s_i [log(1 + exp(eta_i)) - y_i eta_i]
            + l1_ratio * sum_j pf_j |w_j| + (1 - l1_ratio) / 2 * sum_j pf_j w_j^2

    which is :func:`fastreg.logistic_path`'s objective at ``alpha = 1 / (C * sum(s))``. The
    fit is proximal Newton: each step's quadratic model is a weighted elastic net solved by
    coordinate descent, with step halving.

    Parameters
    ----------
    penalty : {'l1', 'l2', 'elasticnet', None} or 'deprecated', default='deprecated'
        scikit-learn's deprecated spelling of the penalty: 'l1' is ``l1_ratio=1``, 'l2'
        ``l1_ratio=0``, 'elasticnet' uses ``l1_ratio``, None is ``C=inf``; 'deprecated' (the
        default) uses ``C`` and ``l1_ratio``.
    C : float, default=1.0
        Inverse of the regularization strength, positive; ``np.inf`` fits without penalty
        (which diverges on separable data).
    l1_ratio : float, default=0.0
        The mix of the penalties, in [0, 1]: 1 is the lasso, 0 ridge.
    dual : bool, default=False
        Only False (the primal problem) is supported.
    tol : float, default=1e-4
        Newton steps stop when the objective's decrease and the step's length in the
        Hessian's metric are at most ``tol`` times the intercept-only fit's mean log-loss
        (see :func:`fastreg.logistic_path`).
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    intercept_scaling : float, default=1
        Accepted for compatibility (liblinear's); the intercept is never penalized here.
    class_weight : dict or 'balanced', optional
        Weights of the classes, multiplying the sample weights; 'balanced' is
        ``n_samples / (2 * np.bincount(y))``.
    random_state : int, RandomState or None, default=None
        Accepted for compatibility; the solver is deterministic.
    solver : str, default='lbfgs'
        Accepted for compatibility (any of scikit-learn's names); the solver is always
        proximal Newton with coordinate descent.
    max_iter : int, default=100
        Newton steps.
    verbose : int, default=0
        Accepted for compatibility.
    warm_start : bool, default=False
        Start from the previous fit's coefficients.
    n_jobs : int, optional
        Accepted for compatibility; see ``n_threads``.
    penalty_factor : array-like of shape (n_features,), optional
        glmnet's per-feature penalty factors (0: unpenalized).
    standardize : bool, default=False
        Penalize the standardized coefficients (glmnet's option; ``l1_ratio=1`` only for
        now); coefficients are in X's units.
    n_threads : int, optional
        Use at most this many threads (default: :func:`fastreg.get_num_threads`).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; ``classes_[1]`` is the positive class.
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    n_iter_ : ndarray of shape (1,)
        Newton steps taken.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.
    """

    def __init__(self, penalty="deprecated", *, C=1.0, l1_ratio=0.0, dual=False, tol=1e-4,
                 fit_intercept=True, intercept_scaling=1, class_weight=None,
                 random_state=None, solver="lbfgs", max_iter=100, verbose=0,
                 warm_start=False, n_jobs=None, penalty_factor=None, standardize=False,
                 n_threads=None):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads

    def _penalty(self):
        """(C, l1_ratio) after the deprecated ``penalty``."""
        C = v.real_scalar(self.C, "C")
        if not C > 0:
            raise ValueError(f"C: must be a positive number, got {C}")
        l1_ratio = v.unit_interval(self.l1_ratio, "l1_ratio")
        penalty = self.penalty
        if penalty is None:
            return math.inf, 0.0
        if not isinstance(penalty, str) or penalty not in ("deprecated", "l1", "l2", "elasticnet"):
            raise ValueError(f"penalty: must be 'l1', 'l2', 'elasticnet', None or 'deprecated', "
                             f"got {penalty!r}")
        if penalty == "l1":
            return C, 1.0
        if penalty == "l2":
            return C, 0.0
        return C, l1_ratio

    def _weights(self, y01, classes, sample_weight, n):
        """The per-sample weights (float64) of sample_weight times class_weight, or None."""
        sw = v.sample_weights(sample_weight, n, np.float64)
        cw = self._class_weights(y01, classes)
        if cw is not None:
            sw = cw if sw is None else sw * cw
            if not sw.sum() > 0:
                raise ValueError("class_weight: the weighted samples sum to 0")
        return sw

    def _class_weights(self, y01, classes):
        """Per-sample class weights, or None."""
        cw = self.class_weight
        if cw is None:
            return None
        if isinstance(cw, str):
            if cw != "balanced":
                raise ValueError(f"class_weight: must be a dict, 'balanced' or None, got {cw!r}")
            counts = np.bincount(y01, minlength=2).astype(np.float64)
            per_class = y01.size / (2.0 * counts)
        elif isinstance(cw, dict):
            per_class = np.ones(2)
            known = {c.item() if hasattr(c, "item") else c for c in classes}
            for label, weight in cw.items():
                if label not in known:
                    raise ValueError(f"class_weight: label {label!r} is not one of the classes "
                                     f"{list(classes)!r}")
                w = v.real_scalar(weight, "class_weight")
                if not (w >= 0 and math.isfinite(w)):
                    raise ValueError(f"class_weight: weights must be finite and non-negative, "
                                     f"got {w} for {label!r}")
                per_class[int(np.flatnonzero(classes == label)[0])] = w
        else:
            raise ValueError(f"class_weight: must be a dict, 'balanced' or None, got "
                             f"{type(cw).__name__}")
        return per_class[y01]

    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept.
        y : array-like of shape (n_samples,)
            Two distinct labels (numbers or strings).
        sample_weight : float or array-like of shape (n_samples,), optional
            Observation weights (non-negative, positive sum).

        Returns
        -------
        self
        """
        names = feature_names(X)
        C, l1_ratio = self._penalty()
        if v.boolean(self.dual, "dual"):
            raise ValueError("dual: only the primal problem (dual=False) is supported")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver: must be one of {_SOLVERS}, got {self.solver!r}")
        tol = v.nonnegative(self.tol, "tol")
        max_iter = v.positive_int(self.max_iter, "max_iter")
        fit_intercept = v.boolean(self.fit_intercept, "fit_intercept")
        standardize = v.boolean(self.standardize, "standardize")
        warm_start = v.boolean(self.warm_start, "warm_start")
        n_threads = None if self.n_threads is None else v.thread_count(self.n_threads)
        X = v.design_matrix(X)
        n, p = X.shape
        dtype = np.dtype(X.dtype)
        classes, y01 = binary_labels(y, n)
        sw = self._weights(y01, classes, sample_weight, n)
        if sw is not None:
            sw = np.ascontiguousarray(sw, dtype=dtype)
        check_class_weights(y01, sw)
        total = float(n) if sw is None else float(sw.sum(dtype=np.float64))
        alpha = 0.0 if math.isinf(C) else 1.0 / (C * total)
        pf = penalty_factors(X, v.feature_vector(self.penalty_factor, p, dtype, "penalty_factor"),
                             sw, [l1_ratio], standardize, dtype)
        init, b0 = None, 0.0
        previous = getattr(self, "coef_", None) if warm_start else None
        if previous is not None and np.size(previous) == p:
            init = np.ascontiguousarray(np.ravel(previous), dtype=dtype)
            b0 = float(np.ravel(self.intercept_)[0])
        y01 = np.ascontiguousarray(y01, dtype=dtype)
        result = solve_logistic_path(
            X, y01, l1_ratio=l1_ratio, alphas=np.array([alpha]), eps=1e-2,
            fit_intercept=fit_intercept, tol=tol, max_iter=max_iter, sample_weight=sw,
            penalty_factor=pf, coef_init=init, intercept_init=b0, n_threads=n_threads,
            early_stop=False)
        warn_path_result(result, None)
        self.classes_ = classes
        self.coef_ = result["coefs"][:, 0].reshape(1, p)
        self.intercept_ = np.array([result["intercepts"][0] if fit_intercept else 0.0],
                                   dtype=dtype)
        self.n_iter_ = np.array([int(result["n_iter"][0])], dtype=np.int32)
        self.n_features_in_ = p
        self._set_feature_names(names)
        return self

    def decision_function(self, X):
        """The linear predictor ``X @ coef_.T + intercept_`` (log-odds of ``classes_[1]``).

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        return np.ravel(LinearModelMixin.predict(self, X))

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, 2)
            Columns in the order of ``classes_``.
        """
        eta = self.decision_function(X)
        p1 = np.empty_like(eta)
        pos = eta >= 0
        p1[pos] = 1.0 / (1.0 + np.exp(-eta[pos]))
        e = np.exp(eta[~pos])
        p1[~pos] = e / (1.0 + e)
        return np.column_stack([1.0 - p1, p1])

    def predict_log_proba(self, X):
        """Logarithms of the class probabilities (computed without overflow).

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, 2)
        """
        eta = self.decision_function(X)
        # log sigmoid(t) = -log(1 + exp(-t))
        return np.column_stack([-np.logaddexp(0.0, eta), -np.logaddexp(0.0, -eta)])

    def predict(self, X):
        """Predicted labels (``classes_[1]`` where the log-odds are positive).

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        self._check_is_fitted()
        return self.classes_[(self.decision_function(X) > 0).astype(np.intp)]

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        float
        """
        from ..metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags(multi_class=False)
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
