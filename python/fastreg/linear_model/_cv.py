"""LassoCV and ElasticNetCV: the regularization chosen by cross-validation.

Each fold is the whole X with sample weight 0 on its held-out rows, so no fold copies X:
the folds' paths run at once from Python threads (the core releases the GIL) and read the
same X. In the core's residual mode the residual of a held-out row is its prediction
error, so the validation error after each alpha costs one pass over the held-out rows; the
core also stops a fold early (``early_stopping``) when that error has stopped improving.
The alpha grid is computed on the full data, as scikit-learn does. The path on all the
data (glmnet's ``glmnet.fit``) runs beside the folds, in the thread the last fold would
leave idle (after them with early stopping or several l1_ratios, down to the alphas every
fold reached); the final model is its solution at the chosen alpha, and ``coef_path_``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _core
from .. import _validation as v
from .._base import BaseEstimator, RegressorMixin
from ..exceptions import (ConvergenceWarning, DataConversionWarning, GridEdgeWarning,
                          sklearn_compatible)
from ._coordinate_descent import (_gram_mode, _random_seed, _warn_not_converged,
                                  enet_path, lasso_path)
from ._linear import LinearModelMixin, feature_names

_SELECTION_RULES = ("min", "1se")


# --------------------------------------------------------------------------------------
# folds


def _kfold(n_samples, n_splits):
    """scikit-learn's KFold(n_splits) without shuffling: contiguous test blocks, the first
    n_samples % n_splits of them one row longer."""
    sizes = np.full(n_splits, n_samples // n_splits, dtype=np.int64)
    sizes[: n_samples % n_splits] += 1
    stops = np.cumsum(sizes)
    rows = np.arange(n_samples)
    out = []
    for stop, size in zip(stops, sizes):
        test = rows[stop - size:stop]
        out.append((np.concatenate([rows[: stop - size], rows[stop:]]), test))
    return out


def _index_array(idx, n_samples, what):
    a = np.asarray(idx)
    if a.dtype == bool:
        if a.shape != (n_samples,):
            raise ValueError(f"cv: a boolean {what} mask must have shape ({n_samples},), "
                             f"got {a.shape}")
        return np.flatnonzero(a)
    if a.ndim != 1 or (a.size and a.dtype.kind not in "iu"):
        raise ValueError(f"cv: {what} indices must be a 1-d array of integers")
    a = a.astype(np.int64, copy=False)
    if a.size and (a.min() < -n_samples or a.max() >= n_samples):
        raise ValueError(f"cv: {what} indices out of range for {n_samples} samples")
    return np.where(a < 0, a + n_samples, a)


def _folds(cv, X, y, n_samples, split_params):
    """The (train, test) index arrays of cv: None (5 folds), an int (KFold without
    shuffling, as scikit-learn), a splitter with a ``split`` method, or an iterable of
    (train, test) pairs. At least 2 folds, each with rows on both sides."""
    if cv is None:
        cv = 5
    if isinstance(cv, (numbers.Integral, np.integer)) and not isinstance(cv, (bool, np.bool_)):
        cv = int(cv)
        if cv < 2:
            raise ValueError(f"cv: needs at least 2 folds, got {cv}")
        if cv > n_samples:
            raise ValueError(f"cv: cannot have more folds (n_splits={cv}) than samples "
                             f"(n_samples={n_samples})")
        return _kfold(n_samples, cv)
    if isinstance(cv, (bool, np.bool_, float, str, bytes)):
        raise TypeError(f"cv: expected None, an int, a splitter or an iterable of "
                        f"(train, test) splits, got {type(cv).__name__}")
    if hasattr(cv, "split"):
        splits = list(cv.split(X, y, **split_params))
    elif hasattr(cv, "__iter__"):
        if split_params:
            raise TypeError(f"fit: {sorted(split_params)} are passed to a splitter's split; "
                            "cv is an iterable of splits")
        splits = list(cv)
    else:
        raise TypeError(f"cv: expected None, an int, a splitter or an iterable of "
                        f"(train, test) splits, got {type(cv).__name__}")
    out = []
    for k, split in enumerate(splits):
        try:
            train, test = split
        except (TypeError, ValueError):
            raise ValueError(f"cv: split {k} is not a (train, test) pair") from None
        train = _index_array(train, n_samples, "train")
        test = _index_array(test, n_samples, "test")
        if train.size == 0 or test.size == 0:
            raise ValueError(f"cv: split {k} has an empty train or test set")
        out.append((train, test))
    if len(out) < 2:
        raise ValueError(f"cv: needs at least 2 folds, got {len(out)}")
    return out


# --------------------------------------------------------------------------------------
# one fold's path in the core


def _path_core(X, y, *, alphas, l1_ratio, fit_intercept, standardize, positive, tol, max_iter,
               sample_weight, penalty_factor, n_threads, seed, gram, val_weights=None,
               patience=0, max_alphas=-1, n_alphas=100, eps=1e-3):
    """The core's path with the cross-validation extras: validation errors, early
    stopping, compressed coefficients. alphas None: a generated grid of n_alphas."""
    options = dict(alphas=alphas, n_alphas=int(n_alphas), eps=float(eps),
                   l1_ratio=float(l1_ratio), fit_intercept=fit_intercept,
                   standardize=standardize, positive=positive, tol=float(tol),
                   max_iter=int(max_iter), n_threads=int(n_threads or 0),
                   random=seed is not None, seed=0 if seed is None else int(seed),
                   gram=int(gram), val_weights=val_weights, patience=int(patience),
                   max_alphas=int(max_alphas), sparse_coefs=True)
    if v.is_genotypes(X):
        out = X._enet_path(y, sample_weight, penalty_factor, None, **options)
    elif v.is_sparse(X):
        out = _core.enet_path_csc(X.data, X.indices, X.indptr, X.shape[0], y, sample_weight,
                                  penalty_factor, None, **options)
    else:
        out = _core.enet_path_dense(X, y, sample_weight, penalty_factor, None, **options)
    alphas, _, intercepts, gaps, n_iter, converged, stats = out
    return dict(alphas=alphas, intercepts=intercepts, dual_gaps=gaps, n_iter=n_iter,
                converged=converged.astype(bool), **stats)


def _column(csc, j, p, dtype):
    """Column j of a (data, indices, indptr) CSC matrix with p rows, dense."""
    data, indices, indptr = csc
    out = np.zeros(p, dtype=dtype)
    out[indices[indptr[j]:indptr[j + 1]]] = data[indptr[j]:indptr[j + 1]]
    return out


def _run_parallel(fn, tasks, workers):
    """fn(task) for every task, on `workers` Python threads (the core releases the GIL)."""
    if workers <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, tasks))


def _counted(fn, progress, total):
    """fn, reporting progress(done, total) as each call finishes, from any thread (the
    command line's progress bar: an estimator's private ``_progress`` attribute, set from
    outside, so that the parameters stay scikit-learn's)."""
    if progress is None:
        return fn
    import threading

    lock, done = threading.Lock(), [0]

    def wrapped(task):
        out = fn(task)
        with lock:
            done[0] += 1
            progress(done[0], total)
        return out

    return wrapped


# --------------------------------------------------------------------------------------
# the estimators


def _one_se(mean, se):
    """(index of the minimum, index of the largest alpha within one standard error of it)
    for a curve over a decreasing grid (glmnet's lambda.min and lambda.1se)."""
    i_min = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[i_min] + se[i_min])
    return i_min, int(within[0])


def _stop_index(errors, patience):
    """Where a fold with these validation errors stops: the first alpha at which the error
    has not improved (strictly) on its best for `patience` consecutive alphas, else the
    last; the alphas at the top whose error equals the first one's (the model has not
    moved yet) do not count. The core's rule, written out for documentation."""
    best, since, moved = np.inf, 0, False
    for i, e in enumerate(errors):
        moved = moved or (i > 0 and e != errors[0])
        if e < best:
            best, since = e, 0
        elif moved:
            since += 1
            if since >= patience:
                return i
    return len(errors) - 1


class _LinearModelCV(LinearModelMixin, RegressorMixin, BaseEstimator):
    """Shared fit of LassoCV and ElasticNetCV."""

    def _l1_ratios(self):
        raise NotImplementedError

    def _check_params(self):
        p = {}
        p["eps"] = v.positive_real(self.eps, "eps")
        alphas = self.alphas
        if self.n_alphas is not None:
            if alphas is not None and np.ndim(alphas) > 0:
                raise ValueError("n_alphas: pass either alphas as an array or a grid size "
                                 "(alphas or its older spelling n_alphas), not both")
            alphas = v.positive_int(self.n_alphas, "n_alphas")
        p["alphas"] = v.alpha_grid(100 if alphas is None else alphas)
        p["l1_ratios"] = self._l1_ratios()
        if isinstance(p["alphas"], int) and min(p["l1_ratios"]) == 0:
            raise ValueError("l1_ratio: automatic alpha grids need l1_ratio > 0; pass alphas "
                             "as an array")
        p["fit_intercept"] = v.boolean(self.fit_intercept, "fit_intercept")
        p["gram"] = _gram_mode(self.precompute)
        p["max_iter"] = v.positive_int(self.max_iter, "max_iter")
        p["tol"] = v.nonnegative(self.tol, "tol")
        v.boolean(self.copy_X, "copy_X")
        if not isinstance(self.verbose, (bool, np.bool_, numbers.Integral)):
            raise TypeError(f"verbose: expected a bool or an int, got {type(self.verbose).__name__}")
        n_jobs = self.n_jobs
        if n_jobs is not None:
            n_jobs = v.integer(n_jobs, "n_jobs")
            if n_jobs == 0:
                raise ValueError("n_jobs: must be a non-zero int or None, got 0")
        p["n_jobs"] = n_jobs
        p["positive"] = v.boolean(self.positive, "positive")
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"selection: must be 'cyclic' or 'random', got {self.selection!r}")
        p["seed"] = _random_seed(self.random_state) if self.selection == "random" else None
        if not isinstance(self.selection_rule, str) or self.selection_rule not in _SELECTION_RULES:
            raise ValueError(f"selection_rule: must be 'min' or '1se', got {self.selection_rule!r}")
        p["early_stopping"] = v.boolean(self.early_stopping, "early_stopping")
        p["patience"] = v.positive_int(self.patience, "patience")
        p["standardize"] = v.boolean(self.standardize, "standardize")
        p["n_threads"] = None if self.n_threads is None else v.positive_int(self.n_threads, "n_threads")
        return p

    def fit(self, X, y, sample_weight=None, **split_params):
        """Fit the path on every fold and on all the data, choose alpha (and l1_ratio).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept, X is never copied per fold.
        y : array-like of shape (n_samples,)
            Target (converted to X's dtype).
        sample_weight : float or array-like of shape (n_samples,), optional
            Observation weights, used in the fits and in each fold's validation error
            (a weighted mean over its held-out rows, as scikit-learn); the CV error is the
            unweighted mean over folds.
        **split_params
            Passed to ``cv.split`` when cv is a splitter (for example ``groups``).

        Returns
        -------
        self
        """
        prm = self._check_params()
        names = feature_names(X)
        X = v.design_matrix(X)
        n, p = X.shape
        y = v.target_array(y, n, X.dtype)
        if y.ndim == 2:
            if y.shape[1] != 1:
                raise ValueError(f"y: {type(self).__name__} fits one target, got "
                                 f"{y.shape[1]} columns")
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change "
                "the shape of y to (n_samples, ), for example using ravel().",
                sklearn_compatible(DataConversionWarning), stacklevel=2)
            y = np.ascontiguousarray(y[:, 0])
        sw = v.sample_weights(sample_weight, n, X.dtype)
        pf = v.feature_vector(self.penalty_factor, p, X.dtype, "penalty_factor")
        folds = _folds(self.cv, X, y, n, split_params)
        l1_ratios = prm["l1_ratios"]
        n_l1, n_folds = len(l1_ratios), len(folds)
        common = dict(fit_intercept=prm["fit_intercept"], standardize=prm["standardize"],
                      positive=prm["positive"], tol=prm["tol"], max_iter=prm["max_iter"],
                      penalty_factor=pf, gram=prm["gram"])

        # the alpha grids, on the full data (scikit-learn's _alpha_grid)
        if isinstance(prm["alphas"], int):
            grids = [_path_core(X, y, alphas=None, n_alphas=prm["alphas"], eps=prm["eps"],
                                l1_ratio=r, sample_weight=sw, n_threads=prm["n_threads"],
                                seed=None, max_alphas=0, **common)["alphas"]
                     for r in l1_ratios]
        else:
            grids = [prm["alphas"]] * n_l1
        k = len(grids[0])

        # fold weights: multiplicities of the rows in train and test (repeated indices
        # count as often as they appear, as with scikit-learn's row copies)
        base = np.ones(n, dtype=X.dtype) if sw is None else sw
        fold_w = []
        for f, (train, test) in enumerate(folds):
            tw = base * np.bincount(train, minlength=n).astype(X.dtype)
            vw = base * np.bincount(test, minlength=n).astype(X.dtype)
            if not tw.sum() > 0:
                raise ValueError(f"sample_weight: the training rows of fold {f} all have weight 0")
            if not vw.sum() > 0:
                raise ValueError(f"sample_weight: the held-out rows of fold {f} all have weight 0")
            fold_w.append((tw, vw))

        # threads: folds in parallel, the cores shared between them
        total = prm["n_threads"] or _core.get_num_threads()
        tasks = [(r, f) for r in range(n_l1) for f in range(n_folds)]
        n_jobs = prm["n_jobs"]
        if n_jobs is None or n_jobs < 0:
            workers = min(total if n_jobs is None or n_jobs == -1 else max(1, total + 1 + n_jobs),
                          len(tasks))
        else:
            workers = min(n_jobs, len(tasks))
        workers = max(1, workers)
        inner = max(1, total // workers)
        patience = prm["patience"] if prm["early_stopping"] else 0
        base_seed = prm["seed"]

        def run(task):
            r, f = task
            tw, vw = fold_w[f]
            seed = None if base_seed is None else (base_seed + r * n_folds + f + 1) % 2**64
            res = _path_core(X, y, alphas=grids[r], l1_ratio=l1_ratios[r], sample_weight=tw,
                             n_threads=inner, seed=seed, val_weights=vw, patience=patience,
                             **common)
            if self.verbose:
                print(f"[{type(self).__name__}] l1_ratio={l1_ratios[r]:g} fold {f + 1}/"
                      f"{n_folds}: {res['n_done']} of {k} alphas")
            return res

        # The path on all the data (glmnet's glmnet.fit) gives coef_path_ and the final
        # model at the chosen alpha. With one l1_ratio and no early stopping it runs beside
        # the folds, in the slot the last fold would leave idle; else after them, for the
        # chosen l1_ratio, down to the alphas every fold reached.
        beside = n_l1 == 1 and not patience

        def run_full(r, n_alphas, threads):
            return _path_core(X, y, alphas=grids[r][:n_alphas], l1_ratio=l1_ratios[r],
                              sample_weight=sw, n_threads=threads, seed=base_seed, **common)

        def run_any(task):
            return run_full(0, k, inner) if task is None else run(task)

        progress = getattr(self, "_progress", None)
        results = _run_parallel(_counted(run_any, progress, len(tasks) + 1),
                                tasks + [None] * beside, workers)
        full = results.pop() if beside else None
        bad = sum(int((~res["converged"][: res["n_done"]]).sum()) for res in results)
        if bad:
            warnings.warn(
                f"Objective did not converge for {bad} fold fit(s) along the path. You might "
                "want to increase the number of iterations (max_iter), check the scale of "
                "the features or consider increasing regularisation.",
                sklearn_compatible(ConvergenceWarning), stacklevel=2)

        # the CV curves, over the alphas all folds of an l1_ratio reached
        done = np.array([res["n_done"] for res in results]).reshape(n_l1, n_folds)
        reach = done.min(axis=1)  # alphas on every fold's path, per l1_ratio
        width = int(reach.max())
        mse = np.full((n_l1, n_folds, width), np.nan)
        for (r, f), res in zip(tasks, results):
            mse[r, f, : reach[r]] = res["val_mse"][: reach[r]]
        mean = mse.mean(axis=1)
        std = mse.std(axis=1, ddof=1)
        se = std / np.sqrt(n_folds)

        best = [int(np.argmin(mean[r, : reach[r]])) for r in range(n_l1)]
        r_best = 0
        for r in range(1, n_l1):  # scikit-learn: the first l1_ratio with a strictly lower minimum
            if mean[r, best[r]] < mean[r_best, best[r_best]]:
                r_best = r
        m_r, se_r = mean[r_best, : reach[r_best]], se[r_best, : reach[r_best]]
        i_min, i_1se = _one_se(m_r, se_r)
        i_chosen = i_min if self.selection_rule == "min" else i_1se
        grid = grids[r_best]

        self.alpha_min_ = float(grid[i_min])
        self.alpha_1se_ = float(grid[i_1se])
        self.alpha_ = float(grid[i_chosen])
        l1_ratio = float(l1_ratios[r_best])
        if self._has_l1_ratio():
            self.l1_ratio_ = l1_ratio
        self.cv_alphas_ = np.asarray(grid[: reach[r_best]], dtype=np.float64)
        self.cv_mean_ = m_r.copy()
        self.cv_std_ = std[r_best, : reach[r_best]].copy()
        self.cv_se_ = se_r.copy()
        self.cv_mean_path_ = mean
        self.cv_std_path_ = std
        self.cv_se_path_ = se
        # scikit-learn's shapes: mse_path_ (n_l1_ratios, n_alphas, n_folds) squeezed
        self.mse_path_ = np.squeeze(np.moveaxis(mse, 2, 1))
        if isinstance(prm["alphas"], int):
            alphas_ = np.asarray(grids)[:, :width]
            self.alphas_ = alphas_[0] if n_l1 == 1 else alphas_
        else:
            self.alphas_ = np.asarray(grids[0][:width])
        stop = done - 1
        stop_alphas = np.array([[grids[r][stop[r, f]] for f in range(n_folds)]
                                for r in range(n_l1)])
        self.fold_stop_index_ = stop[0] if n_l1 == 1 else stop
        self.fold_stop_alphas_ = stop_alphas[0] if n_l1 == 1 else stop_alphas
        self.n_folds_ = n_folds

        if i_chosen == 0 or i_chosen == reach[r_best] - 1:
            if i_chosen == 0:
                where = "largest"
                why = ("on a generated grid that is the intercept-only model: no feature "
                       "predicts better" if isinstance(prm["alphas"], int) else
                       "extend the grid towards larger alphas")
            else:
                where = "smallest"
                why = ("the folds stopped early there: increase patience" if reach[r_best] < k
                       else "extend the grid towards smaller alphas (a smaller eps)")
            warnings.warn(
                f"{type(self).__name__}: the chosen alpha ({self.alpha_:.6g}, rule "
                f"{self.selection_rule!r}) is the {where} alpha evaluated; {why}.",
                GridEdgeWarning, stacklevel=2)

        if full is None:
            full = run_full(r_best, int(reach[r_best]), prm["n_threads"])
            if progress is not None:
                progress(len(tasks) + 1, len(tasks) + 1)
        _warn_not_converged(full, stacklevel=3)
        self._path_coefs = (full["coefs_csc"], p, X.dtype, len(full["alphas"]))
        self.coef_ = _column(full["coefs_csc"], i_chosen, p, X.dtype)
        self.intercept_ = float(full["intercepts"][i_chosen]) if prm["fit_intercept"] else 0.0
        self.dual_gap_ = float(full["dual_gaps"][i_chosen])
        # epochs of the full-data path down to the chosen alpha (the work behind coef_)
        self.n_iter_ = max(1, int(full["n_iter"][: i_chosen + 1].sum()))
        self.n_features_in_ = p
        self._set_feature_names(names)
        return self

    def _has_l1_ratio(self):
        return True

    @property
    def coef_path_(self):
        """Coefficients on all the data along ``cv_alphas_``, shape (n_features,
        n_cv_alphas) (glmnet's ``glmnet.fit``), densified on access."""
        self._check_is_fitted()
        (data, indices, indptr), p, dtype, k = self._path_coefs
        out = np.zeros((p, k), dtype=dtype)
        out[indices, np.repeat(np.arange(k), np.diff(indptr))] = data
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


_COMMON_PARAMS = """\
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of a generated grid.
    alphas : int or array-like, default=100
        Grid size of the generated grid (from the smallest alpha giving all-zero
        coefficients on the full data down to ``eps`` times it, geometric, as
        scikit-learn), or the alphas themselves (sorted decreasing).
    n_alphas : int, optional
        Older spelling of ``alphas`` as a grid size.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (X and y are centered implicitly, per fold).
    precompute : bool or 'auto', default='auto'
        Covariance (Gram) updates for dense X: True, False, or 'auto' (when
        n_samples >= 10 n_features and n_features <= 4096).
    max_iter : int, default=1000
        Maximum number of epochs per alpha.
    tol : float, default=1e-4
        Tolerance, with scikit-learn's semantics (duality gap at most
        ``tol * ||y - ybar||^2 / n``).
    copy_X : bool, default=True
        Accepted for compatibility; X is never copied or modified.
    cv : int, splitter or iterable, default=None
        None for 5 folds, an int for that many folds (scikit-learn's ``KFold`` without
        shuffling: contiguous blocks), a splitter with a ``split(X, y)`` method, or an
        iterable of (train, test) index arrays. At least 2 folds.
    verbose : bool or int, default=False
        Print one line per fold path.
    n_jobs : int, optional
        Fold paths run at once. None: as many as fastreg's threads
        (:func:`fastreg.get_num_threads`, or ``n_threads``); -1 the same; a positive
        number that many. The threads are shared between them (a path gets
        ``threads // n_jobs``); the folds share X.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    random_state : None, int, RandomState or Generator, default=None
        Seeds the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Coordinate order in each epoch.
    selection_rule : {'min', '1se'}, default='min'
        Which alpha the final model is taken at: the one with the smallest mean CV error
        (``alpha_min_``, scikit-learn's choice) or the largest one whose mean CV error is
        within one standard error of that minimum (``alpha_1se_``, glmnet's
        ``lambda.1se``).
    early_stopping : bool, default=False
        Stop each fold's path once its validation error has not improved (strictly
        decreased below its best so far) for ``patience`` consecutive alphas (the alphas
        at the top of the grid with the first alpha's error, where the fold's model has
        not moved yet, do not count); the CV curve then covers the alphas every fold
        reached.
    patience : int, default=10
        Alphas without improvement before a fold stops (with ``early_stopping``).
    penalty_factor : array-like of shape (n_features,), optional
        Non-negative per-feature multipliers of the penalty (glmnet); 0 leaves a feature
        unpenalized.
    standardize : bool, default=False
        Penalize the coefficients of columns scaled to unit variance (glmnet); ``coef_`` is
        in X's units.
    n_threads : int, optional
        Threads in all (default: :func:`fastreg.get_num_threads`)."""

_COMMON_ATTRS = """\
    alpha_ : float
        The alpha of the final model (``alpha_min_`` or ``alpha_1se_``, by
        ``selection_rule``).
    alpha_min_ : float
        The alpha with the smallest mean CV error.
    alpha_1se_ : float
        The largest alpha whose mean CV error is at most the minimum plus its standard
        error (glmnet's ``lambda.1se``).
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid (with ``early_stopping``, the alphas every fold reached).
    coef_path_ : ndarray of shape (n_features, n_cv_alphas)
        The path on all the data along ``cv_alphas_`` for ``l1_ratio_`` (glmnet's
        ``glmnet.fit``); ``coef_`` is its column at ``alpha_``. Kept sparse, densified on
        access.
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        Each fold's validation error (mean squared error on its held-out rows, weighted
        by the sample weights) per alpha; NaN where an l1_ratio's folds stopped earlier
        than another's.
    cv_alphas_ : ndarray of shape (n_cv_alphas,)
        The alphas of ``cv_mean_``: the chosen l1_ratio's grid, as far as every fold
        reached.
    cv_mean_ : ndarray of shape (n_cv_alphas,)
        Mean over folds of the validation errors (the CV curve), for the chosen l1_ratio.
    cv_std_ : ndarray of shape (n_cv_alphas,)
        Their standard deviation over folds (``ddof=1``).
    cv_se_ : ndarray of shape (n_cv_alphas,)
        Standard error of ``cv_mean_``: ``cv_std_ / sqrt(n_folds)`` (glmnet's ``cvsd``).
    cv_mean_path_, cv_std_path_, cv_se_path_ : ndarray of shape (n_l1_ratio, n_alphas)
        The same for every l1_ratio (NaN beyond the alphas its folds all reached).
    fold_stop_index_ : ndarray of int of shape (n_folds,) or (n_l1_ratio, n_folds)
        Index in the grid of the last alpha each fold computed (the last one of the grid
        without early stopping).
    fold_stop_alphas_ : ndarray of shape (n_folds,) or (n_l1_ratio, n_folds)
        Those alphas.
    n_folds_ : int
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    dual_gap_ : float
        Duality gap of the final fit.
    n_iter_ : int
        Epochs of the path on all the data down to ``alpha_`` (at least 1).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names of X, when X had string column names."""


class ElasticNetCV(_LinearModelCV):
    __doc__ = f"""Elastic net with alpha (and l1_ratio) chosen by cross-validation.

    scikit-learn's :class:`sklearn.linear_model.ElasticNetCV` (same parameters, grid, folds
    and attributes, the same answers at the same tolerance) with glmnet's one-standard-error
    rule, early stopping along the path, penalty factors and standardization. The folds'
    paths run in parallel on one copy of X (a fold is X with sample weight 0 on its
    held-out rows).

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mixing parameter(s) in [0, 1] (1 is the lasso). With a list, the l1_ratio with the
        smallest mean CV error is chosen (then alpha by ``selection_rule`` on its curve).
{_COMMON_PARAMS}

    Attributes
    ----------
    l1_ratio_ : float
        The chosen l1_ratio.
{_COMMON_ATTRS}

    Warns
    -----
    GridEdgeWarning
        When the chosen alpha is the first or the last one evaluated.
    ConvergenceWarning
        When a fit did not reach ``tol`` within ``max_iter`` epochs.
    """

    path = staticmethod(enet_path)

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, n_alphas=None,
                 fit_intercept=True, precompute="auto", max_iter=1000, tol=1e-4, cv=None,
                 copy_X=True, verbose=0, n_jobs=None, positive=False, random_state=None,
                 selection="cyclic", selection_rule="min", early_stopping=False, patience=10,
                 penalty_factor=None, standardize=False, n_threads=None):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.selection_rule = selection_rule
        self.early_stopping = early_stopping
        self.patience = patience
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads

    def _l1_ratios(self):
        value = self.l1_ratio
        if np.ndim(value) == 0:
            return [v.unit_interval(value, "l1_ratio")]
        values = list(np.ravel(np.asarray(value, dtype=object)))
        if not values:
            raise ValueError("l1_ratio: the list of l1_ratio values is empty")
        return [v.unit_interval(x, "l1_ratio") for x in values]


class LassoCV(_LinearModelCV):
    __doc__ = f"""Lasso with alpha chosen by cross-validation.

    scikit-learn's :class:`sklearn.linear_model.LassoCV` (same parameters, grid, folds and
    attributes, the same answers at the same tolerance) with glmnet's one-standard-error
    rule, early stopping along the path, penalty factors and standardization. The folds'
    paths run in parallel on one copy of X (a fold is X with sample weight 0 on its
    held-out rows).

    Parameters
    ----------
{_COMMON_PARAMS}

    Attributes
    ----------
{_COMMON_ATTRS}

    Warns
    -----
    GridEdgeWarning
        When the chosen alpha is the first or the last one evaluated.
    ConvergenceWarning
        When a fit did not reach ``tol`` within ``max_iter`` epochs.
    """

    path = staticmethod(lasso_path)

    def __init__(self, *, eps=1e-3, alphas=100, n_alphas=None, fit_intercept=True,
                 precompute="auto", max_iter=1000, tol=1e-4, copy_X=True, cv=None,
                 verbose=False, n_jobs=None, positive=False, random_state=None,
                 selection="cyclic", selection_rule="min", early_stopping=False, patience=10,
                 penalty_factor=None, standardize=False, n_threads=None):
        self.eps = eps
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.selection_rule = selection_rule
        self.early_stopping = early_stopping
        self.patience = patience
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads

    def _l1_ratios(self):
        return [1.0]

    def _has_l1_ratio(self):
        return False
