"""Ridge and RidgeCV: scikit-learn's estimators on direct solvers chosen by shape.

See ``_ridge_solvers.py`` for the algebra. Objective (scikit-learn's, with glmnet's penalty
factors ``pf``, default 1)::

    sum_i s_i (y_i - b - x_i w)^2 + alpha * sum_j pf_j w_j^2
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import _validation as v
from .._base import BaseEstimator, RegressorMixin
from ._linear import LinearModelMixin, feature_names
from ._ridge_solvers import RidgeProblem, blas_threads

_SOLVERS = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs")
_GCV_MODES = (None, "auto", "svd", "eigen")


# -- shared validation ---------------------------------------------------------------------

def _sample_weights(sample_weight, n, dtype):
    """None or float64 weights; a scalar c means c for every sample (it scales the loss,
    as in scikit-learn: Ridge's ``sample_weight=c`` equals ``alpha / c``)."""
    if sample_weight is None:
        return None
    if isinstance(sample_weight, numbers.Real) or getattr(sample_weight, "ndim", None) == 0:
        c = v.real_scalar(sample_weight, "sample_weight")
        if not (c > 0 and np.isfinite(c)):
            raise ValueError(f"sample_weight: a scalar weight must be positive and finite, got {c}")
        return np.full(n, c)
    return np.asarray(v.sample_weights(sample_weight, n, dtype), dtype=np.float64)


def _positive_alphas(values, name):
    """A float64 array of finite positive alphas (any shape), or a clear error."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name}: expected a positive number or an array of them, got "
                        f"{type(values).__name__}")
    a = np.asarray(values)
    if a.dtype.kind not in "biuf" and a.dtype != object:
        raise TypeError(f"{name}: expected real numbers, got dtype {a.dtype}")
    if a.dtype.kind == "b":
        raise TypeError(f"{name}: expected real numbers, got bool")
    try:
        a = a.astype(np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name}: expected real numbers ({e})") from None
    bad = ~(np.isfinite(a) & (a > 0))
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        where = "" if a.ndim == 0 else f"[{i}]"
        raise ValueError(f"{name}{where}: must be a finite positive number, got "
                         f"{a.ravel()[i]} (alpha = 0 is ordinary least squares: not supported)")
    return a


def _ridge_alpha(alpha, n_targets):
    """Per-target alphas (n_targets,) from a scalar or an array of n_targets values."""
    a = _positive_alphas(alpha, "alpha")
    if a.ndim == 0:
        return np.full(n_targets, float(a))
    if a.ndim != 1:
        raise ValueError(f"alpha: expected a scalar or a 1-d array, got shape {a.shape}")
    if a.size == 1:
        return np.full(n_targets, float(a[0]))
    if a.size != n_targets:
        raise ValueError(f"alpha: {a.size} values for {n_targets} targets: pass one alpha "
                         "per target (a column of y), or a scalar")
    return a


def _n_threads(n_threads):
    if n_threads is None:
        from .._threads import get_num_threads

        return get_num_threads()
    return v.thread_count(n_threads)


def _gcv_mode(gcv_mode):
    if gcv_mode not in _GCV_MODES:
        raise ValueError(f"gcv_mode: must be None, 'auto', 'svd' or 'eigen', got {gcv_mode!r}")
    return None  # all three: the cheaper of the kernel (n <= p) and the Gram (n > p)


class _LinearPredictor(LinearModelMixin):
    """n_features_in_ and feature names, shared by Ridge and RidgeCV."""

    def _set_features(self, X, names):
        self.n_features_in_ = X.shape[1]
        self._set_feature_names(names)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


def _prepare(X, y, sample_weight, penalty_factor):
    names = feature_names(X)
    if v.is_genotypes(X):
        raise TypeError("X: Ridge and RidgeCV do not take a Genotypes design; use "
                        "ElasticNet(l1_ratio=0) or ElasticNetCV on it, or G.to_dense()")
    X = v.design_matrix(X)
    n, p = X.shape
    y = v.target_array(y, n, X.dtype)
    s = _sample_weights(sample_weight, n, X.dtype)
    pf = v.feature_vector(penalty_factor, p, X.dtype, "penalty_factor")
    pf = None if pf is None else pf.astype(np.float64)
    Y = y.reshape(n, 1) if y.ndim == 1 else y
    if Y.shape[1] == 0:
        raise ValueError("y: has 0 targets (columns)")
    return X, y, Y, s, pf, names


def _set_coef(est, W, b, X, y, fit_intercept, ravel):
    """coef_ (p,) or (k, p) and intercept_ in X's dtype, as scikit-learn shapes them."""
    coef = np.ascontiguousarray(W.T.astype(X.dtype))
    icpt = b.astype(X.dtype)
    if not fit_intercept:
        icpt = np.zeros_like(icpt)
    if y.ndim == 1:
        est.coef_ = coef[0]
        est.intercept_ = float(icpt[0])
    elif ravel and coef.shape[0] == 1:
        est.coef_ = coef[0]
        est.intercept_ = icpt
    else:
        est.coef_ = coef
        est.intercept_ = icpt


# -- Ridge --------------------------------------------------------------------------------

class Ridge(_LinearPredictor, RegressorMixin, BaseEstimator):
    """Linear least squares with an L2 penalty, solved directly (no iterations).

    Minimizes, as :class:`sklearn.linear_model.Ridge`::

        sum_i s_i (y_i - b - x_i w)^2 + alpha * sum_j pf_j w_j^2

    with sample weights ``s`` (default 1, not normalized) and penalty factors ``pf``
    (default 1).

    The solver follows the shape: for ``n_samples <= n_features`` the dual system with the
    n x n kernel ``X X'``, otherwise the p x p Gram ``X'X``; both are built by BLAS on
    blocks of X (centered for the intercept, weighted, scaled by the penalty factors one
    block at a time: X itself is never copied), then solved in float64.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty strength, positive (one per target for 2-d y). ``alpha=0`` (ordinary least
        squares) is refused.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (by weighted centering, done implicitly).
    copy_X : bool, default=True
        Accepted for compatibility; X is never modified or copied.
    max_iter : int, optional
        Epochs of coordinate descent for ``positive=True`` (default 1000); else unused.
    tol : float, default=1e-4
        For ``positive=True``: stop when the largest violation of the optimality conditions
        (projected gradient) is at most ``tol`` times the largest gradient at w = 0. Direct
        solvers do not iterate.
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', 'saga', 'lbfgs'}, \
default='auto'
        scikit-learn's names. 'svd' solves through an eigendecomposition of the kernel or
        Gram matrix (as stable as an SVD of X, without copying X); every other value is
        solved exactly by the direct solver (a linear solve of the kernel or Gram system):
        the iterative solvers would approximate the same solution. 'lbfgs' requires
        ``positive=True``, as in scikit-learn. Sparse X with an intercept is supported by
        every solver.
    positive : bool, default=False
        Constrain the coefficients to be non-negative; solved by fastreg's coordinate
        descent (elastic net with ``l1_ratio=0``).
    random_state : None, int or RandomState, default=None
        Accepted for compatibility; unused.
    penalty_factor : array-like of shape (n_features,), optional
        Non-negative per-feature multipliers of the penalty (glmnet's ``penalty.factor``,
        not rescaled). For ``pf_j > 0`` this equals scaling column j by ``1/sqrt(pf_j)``;
        ``pf_j = 0`` leaves feature j unpenalized (it is projected out, like the
        intercept; the unpenalized columns must be fewer than the samples and not
        collinear).
    n_threads : int, optional
        Threads (default :func:`fastreg.get_num_threads`). When samples or features number at
        most 2,048,
        fastreg's threads share the blocks of X^T X (or X X^T) and BLAS/LAPACK run on one
        thread (OpenBLAS's own threads spin, and lose several times over when another
        process holds a core); larger systems give BLAS/LAPACK these threads, through
        threadpoolctl when it is installed (without it BLAS keeps its own setting). The
        coordinate-descent solver (``positive=True``) uses fastreg's thread pool.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : ndarray of shape (n_targets,)
        Epochs of coordinate descent with ``positive=True``; 1 for the direct solvers (one
        solve; scikit-learn reports None there, the estimator checks want at least 1).
    solver_ : str
        'cholesky' (direct linear solve), 'svd' (eigendecomposition) or 'cd' (coordinate
        descent, ``positive=True``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names of X, when X had string column names (a DataFrame).
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=None,
                 tol=1e-4, solver="auto", positive=False, random_state=None,
                 penalty_factor=None, n_threads=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state
        self.penalty_factor = penalty_factor
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Fit the ridge model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets (converted to X's dtype).
        sample_weight : float or array-like of shape (n_samples,), optional
            Observation weights (not normalized: they scale the loss against the penalty).

        Returns
        -------
        self
        """
        fit_intercept = v.boolean(self.fit_intercept, "fit_intercept")
        positive = v.boolean(self.positive, "positive")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver: must be one of {_SOLVERS}, got {self.solver!r}")
        if self.solver == "lbfgs" and not positive:
            raise ValueError("solver: 'lbfgs' can be used only when positive=True. Please use "
                             "another solver.")
        if positive and self.solver not in ("auto", "lbfgs"):
            raise ValueError(f"solver: {self.solver!r} does not support positive fitting. "
                             "Please set the solver to 'auto' or 'lbfgs', or set "
                             "`positive=False`")
        tol = v.nonnegative(self.tol, "tol")
        max_iter = 1000 if self.max_iter is None else v.positive_int(self.max_iter, "max_iter")
        n_threads = _n_threads(self.n_threads)
        X, y, Y, s, pf, names = _prepare(X, y, sample_weight, self.penalty_factor)
        alphas = _ridge_alpha(self.alpha, Y.shape[1])
        if positive:
            W, b, n_iter = _positive_ridge(X, Y, s, pf, alphas, fit_intercept, tol, max_iter,
                                           n_threads)
            self.n_iter_ = n_iter
            self.solver_ = "cd"
        else:
            with blas_threads(n_threads, X.shape):
                prob = RidgeProblem(X, Y, s, pf, fit_intercept)
                use_eig = self.solver == "svd"
                W, b = prob.coefs(prob.solve(alphas, use_eig=use_eig), np.arange(Y.shape[1]))
            self.n_iter_ = np.ones(Y.shape[1], dtype=np.int64)  # one direct solve
            self.solver_ = "svd" if use_eig else "cholesky"
        _set_coef(self, W, b, X, y, fit_intercept, ravel=False)
        self._set_features(X, names)
        return self


def _positive_ridge(X, Y, s, pf, alphas, fit_intercept, tol, max_iter, n_threads):
    """Non-negative ridge by fastreg's coordinate descent (elastic net, l1_ratio = 0), in
    chunks of epochs, stopping on the projected-gradient optimality conditions."""
    from ._coordinate_descent import _solve_path

    n, p = X.shape
    k = Y.shape[1]
    s64 = np.ones(n) if s is None else s
    total = float(s64.sum())
    sw = None if s is None else s.astype(X.dtype)
    pfd = None if pf is None else pf.astype(X.dtype)
    pf64 = np.ones(p) if pf is None else pf
    W = np.zeros((p, k))
    b = np.zeros(k)
    n_iter = np.zeros(k, dtype=np.int64)
    chunk = 50
    for t in range(k):
        y = np.ascontiguousarray(Y[:, t])
        y64 = y.astype(np.float64)
        ybar = s64 @ y64 / total if fit_intercept else 0.0
        g0 = np.abs(_xt(X, s64 * (y64 - ybar))).max()
        coef = None
        done = 0
        while done < max_iter:
            step = min(chunk, max_iter - done)
            res = _solve_path(X, y, l1_ratio=0.0, alphas=np.array([alphas[t] / total]), eps=1e-3,
                              fit_intercept=fit_intercept, standardize=False, positive=True,
                              tol=0.0, max_iter=step, sample_weight=sw, penalty_factor=pfd,
                              coef_init=coef, n_threads=n_threads)
            coef = np.ascontiguousarray(res["coefs"][:, 0])
            icpt = float(res["intercepts"][0]) if fit_intercept else 0.0
            done += int(res["n_iter"][0])
            w = coef.astype(np.float64)
            r = y64 - icpt - np.asarray(X @ coef, dtype=np.float64)
            grad = -2.0 * _xt(X, s64 * r) + 2.0 * alphas[t] * pf64 * w
            viol = np.where(w > 0, np.abs(grad), np.maximum(0.0, -grad)).max()
            if viol <= tol * max(g0, np.finfo(float).tiny) * 2.0 or int(res["n_iter"][0]) < step:
                break
        W[:, t] = coef
        b[t] = icpt
        n_iter[t] = done
    return W, b, n_iter


def _xt(X, r):
    """X' r in float64 (r cast to X's dtype for the product: no float64 copy of X)."""
    return np.asarray(X.T @ r.astype(X.dtype), dtype=np.float64).ravel()


# -- RidgeCV ------------------------------------------------------------------------------

class _IdentityRegressor(RegressorMixin, BaseEstimator):
    """Predicts its input: lets scikit-learn scorers score precomputed predictions."""

    def fit(self, X, y=None):  # pragma: no cover - never fitted
        return self

    def predict(self, X):
        return X


def _make_scorer(scoring):
    """fn(y_true, y_pred, sample_weight, per_target) -> score (higher is better): a float,
    or an array (n_targets,) when per_target."""
    from .. import metrics

    native = {
        "r2": (metrics.r2_score, 1.0),
        "neg_mean_squared_error": (metrics.mean_squared_error, -1.0),
        "neg_root_mean_squared_error": (metrics.root_mean_squared_error, -1.0),
        "neg_mean_absolute_error": (metrics.mean_absolute_error, -1.0),
    }
    if scoring is None or isinstance(scoring, str) and scoring in native:
        fn, sign = native["r2" if scoring is None else scoring]

        def score(yt, yp, sw, per_target):
            mo = "raw_values" if per_target else "uniform_average"
            return sign * np.asarray(fn(yt, yp, sample_weight=sw, multioutput=mo))
        return score
    if isinstance(scoring, str):
        try:
            from sklearn.metrics import get_scorer
        except ImportError:
            raise ValueError(f"scoring: {scoring!r} needs scikit-learn; without it, use "
                             f"None or one of {sorted(native)}") from None
        try:
            scorer = get_scorer(scoring)
        except ValueError as e:
            raise ValueError(f"scoring: {e}") from None
    elif callable(scoring):
        scorer = scoring
    else:
        raise ValueError(f"scoring: expected None, a string or a callable, got "
                         f"{type(scoring).__name__}")
    identity = _IdentityRegressor()

    def score(yt, yp, sw, per_target):
        kw = {} if sw is None else {"sample_weight": sw}
        if per_target:
            return np.array([scorer(identity, yp[:, j], yt[:, j], **kw)
                             for j in range(yt.shape[1])], dtype=np.float64)
        return np.asarray(scorer(identity, yp, yt, **kw), dtype=np.float64)
    return score


def _first_best(scores):
    """Index of the best score along the last axis, first one on ties (NaN never wins)."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    return np.argmax(s, axis=-1)


def _cv_splits(cv, X, y, n):
    """List of (train, test) index arrays from an int, a splitter or an iterable."""
    if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
        k = int(cv)
        if k < 2:
            raise ValueError(f"cv: needs at least 2 folds, got {k}")
        if k > n:
            raise ValueError(f"cv: cannot have more folds ({k}) than samples (n_samples={n})")
        sizes = np.full(k, n // k)
        sizes[: n % k] += 1
        idx = np.arange(n)
        out, start = [], 0
        for size in sizes:
            test = idx[start:start + size]
            out.append((np.concatenate([idx[:start], idx[start + size:]]), test))
            start += size
        return out
    if isinstance(cv, (str, bytes, bool, np.bool_, float)):
        raise ValueError(f"cv: expected None, an int, a cross-validation splitter or an "
                         f"iterable of (train, test) splits, got {cv!r}")
    if hasattr(cv, "split"):
        splits = list(cv.split(X, y))
    elif hasattr(cv, "__iter__") and not isinstance(cv, (str, bytes)):
        splits = list(cv)
    else:
        raise ValueError(f"cv: expected None, an int, a cross-validation splitter or an "
                         f"iterable of (train, test) splits, got {cv!r}")
    if not splits:
        raise ValueError("cv: no splits")
    out = []
    for i, split in enumerate(splits):
        try:
            train, test = split
        except (TypeError, ValueError):
            raise ValueError(f"cv: split {i} is not a (train, test) pair") from None
        train = np.asarray(train).ravel()
        test = np.asarray(test).ravel()
        for name, idx in (("train", train), ("test", test)):
            if idx.dtype == bool:
                if idx.size != n:
                    raise ValueError(f"cv: split {i}: boolean {name} mask of length "
                                     f"{idx.size} for {n} samples")
                idx = np.flatnonzero(idx)
            if idx.size == 0:
                raise ValueError(f"cv: split {i} has an empty {name} set")
            if idx.dtype.kind not in "iu" or idx.min() < -n or idx.max() >= n:
                raise ValueError(f"cv: split {i}: {name} indices must be integers in [0, {n})")
            if name == "train":
                train = idx
            else:
                test = idx
        out.append((train, test))
    return out


class RidgeCV(_LinearPredictor, RegressorMixin, BaseEstimator):
    """Ridge regression with the penalty chosen by (efficient leave-one-out) cross-validation.

    As :class:`sklearn.linear_model.RidgeCV`. With ``cv=None`` every alpha is scored by
    exact leave-one-out from one eigendecomposition: of the n x n kernel when
    ``n_samples <= n_features`` (built by BLAS on blocks of X, never copying X), of the
    p x p Gram matrix otherwise. Values match scikit-learn's (its ``looe``: residuals
    scaled by ``sqrt(sample_weight)``).

    Parameters
    ----------
    alphas : float or array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Positive penalty strengths to try (in this order: on ties the first wins).
    fit_intercept : bool, default=True
    scoring : None, str or callable, default=None
        None: with ``cv=None`` the negative mean squared leave-one-out error (weighted by
        the sample weights, as scikit-learn's), otherwise R². Natively: 'r2',
        'neg_mean_squared_error', 'neg_root_mean_squared_error',
        'neg_mean_absolute_error'; any other name is looked up with scikit-learn's
        ``get_scorer`` (imported then); a callable ``scorer(estimator, X, y)`` is called
        as scikit-learn does, with an identity estimator and the predictions as X. With
        ``cv=None`` the scorer receives the sample weights.
    cv : None, int, splitter or iterable, default=None
        None: efficient leave-one-out. An int k: k unshuffled folds (scikit-learn's
        ``KFold``); an object with ``split(X, y)``; or an iterable of (train, test)
        indices. Each fold fits every alpha from one eigendecomposition of its training
        rows (which are copied); the held-out rows are scored with their sample weights,
        as scikit-learn 1.9's ``GridSearchCV`` does.
    gcv_mode : {None, 'auto', 'svd', 'eigen'}, default=None
        Accepted for compatibility: all modes use the eigendecomposition of the smaller of
        the kernel and the Gram matrix (the leave-one-out values are the same as an SVD
        of X gives; dense and sparse X alike).
    store_cv_results : bool, default=False
        Keep the leave-one-out values in ``cv_results_`` (``cv=None`` only).
    alpha_per_target : bool, default=False
        Choose alpha separately for each target (``cv=None`` only).
    penalty_factor : array-like of shape (n_features,), optional
        Per-feature multipliers of the penalty; see :class:`Ridge`.
    n_threads : int, optional
        Threads for BLAS/LAPACK; see :class:`Ridge`.

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
    best_score_ : float or ndarray of shape (n_targets,)
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        With ``store_cv_results=True``: squared leave-one-out errors (times the sample
        weights) when ``scoring`` is None, else the leave-one-out predictions.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None,
                 gcv_mode=None, store_cv_results=False, alpha_per_target=False,
                 penalty_factor=None, n_threads=None):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target
        self.penalty_factor = penalty_factor
        self.n_threads = n_threads

    def fit(self, X, y, sample_weight=None):
        """Fit ridge models for every alpha and keep the best.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept (the products over X run in X's
            dtype, the decomposition in float64).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        fit_intercept = v.boolean(self.fit_intercept, "fit_intercept")
        store = v.boolean(self.store_cv_results, "store_cv_results")
        per_target = v.boolean(self.alpha_per_target, "alpha_per_target")
        _gcv_mode(self.gcv_mode)
        alphas = _positive_alphas(self.alphas, "alphas")
        if alphas.ndim > 1:
            raise ValueError(f"alphas: expected a scalar or a 1-d array, got shape {alphas.shape}")
        alphas = alphas.reshape(-1)
        if alphas.size == 0:
            raise ValueError("alphas: empty; give at least one alpha")
        n_threads = _n_threads(self.n_threads)
        scorer = None if self.scoring is None and self.cv is None else _make_scorer(self.scoring)
        X, y, Y, s, pf, names = _prepare(X, y, sample_weight, self.penalty_factor)
        if self.cv is not None:
            if store:
                raise ValueError("store_cv_results: cv!=None and store_cv_results=True are "
                                 "incompatible")
            if per_target:
                raise ValueError("alpha_per_target: cv!=None and alpha_per_target=True are "
                                 "incompatible")
            splits = _cv_splits(self.cv, X, y, X.shape[0])
        with blas_threads(n_threads, X.shape):
            if self.cv is None:
                self._fit_loo(X, y, Y, s, pf, alphas, fit_intercept, scorer, store, per_target)
            else:
                self._fit_folds(X, y, Y, s, pf, alphas, fit_intercept, scorer, splits)
        self._set_features(X, names)
        return self

    def _fit_loo(self, X, y, Y, s, pf, alphas, fit_intercept, scorer, store, per_target):
        n, k = Y.shape
        prob = RidgeProblem(X, Y, s, pf, fit_intercept)
        looe = prob.loo_residuals(alphas)  # (n, k, L)
        per_target = per_target and k > 1
        if scorer is None:
            values = looe ** 2
            scores = -values.mean(axis=0) if per_target else -values.mean(axis=(0, 1))
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = Y[:, :, None] - looe / prob.sw[:, None, None]
            yt = y if y.ndim == 1 else Y
            scores = []
            for i in range(alphas.size):
                pred = values[:, :, i]
                scores.append(scorer(yt, pred[:, 0] if y.ndim == 1 else pred, s, per_target))
            scores = np.array(scores, dtype=np.float64)
            scores = scores.T if per_target else scores.reshape(alphas.size)
        if per_target:  # scores (k, L)
            best = _first_best(scores)
            self.alpha_ = alphas[best]
            self.best_score_ = scores[np.arange(k), best]
            chosen = self.alpha_
        else:
            best = int(_first_best(scores))
            self.alpha_ = float(alphas[best])
            self.best_score_ = float(scores[best])
            chosen = np.full(k, self.alpha_)
        W, b = prob.coefs(prob.solve(chosen, use_eig=True), np.arange(k))
        _set_coef(self, W, b, X, y, fit_intercept, ravel=True)
        if store:
            out = values.astype(X.dtype)
            self.cv_results_ = out[:, 0, :] if y.ndim == 1 else out
        elif hasattr(self, "cv_results_"):
            del self.cv_results_

    def _fit_folds(self, X, y, Y, s, pf, alphas, fit_intercept, scorer, splits):
        n, k = Y.shape
        L = alphas.size
        scores = np.empty((len(splits), L))
        targets = np.repeat(np.arange(k), L)
        for f, (train, test) in enumerate(splits):
            Xt = v.design_matrix(X[train])
            prob = RidgeProblem(Xt, Y[train], None if s is None else s[train], pf, fit_intercept)
            sol = prob.solve_many(alphas)  # (m, k, L)
            W, b = prob.coefs(sol.reshape(sol.shape[0], k * L), targets)
            Xs = X[test]
            pred = (np.asarray(Xs @ W.astype(X.dtype), dtype=np.float64) + b).reshape(-1, k, L)
            yt = y[test] if y.ndim == 1 else Y[test]
            for i in range(L):
                p = pred[:, 0, i] if y.ndim == 1 else pred[:, :, i]
                scores[f, i] = scorer(yt, p, None if s is None else s[test], False)
        mean = scores.mean(axis=0)
        best = int(_first_best(mean))
        self.alpha_ = float(alphas[best])
        self.best_score_ = float(mean[best])
        prob = RidgeProblem(X, Y, s, pf, fit_intercept)
        W, b = prob.coefs(prob.solve(np.full(k, self.alpha_)), np.arange(k))
        _set_coef(self, W, b, X, y, fit_intercept, ravel=False)
        if hasattr(self, "cv_results_"):
            del self.cv_results_
