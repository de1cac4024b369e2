"""LassoCV and ElasticNetCV: the regularization chosen by cross-validation.

Each fold is the whole X with sample weight 0 on its held-out rows, so no fold copies X.
The folds' paths, and the path on all the data (glmnet's ``glmnet.fit``, which gives the
final model and ``coef_path_``), run in one core call (``enet_paths_cv_*``): each path on a
thread of its own, all of them sharing their passes over X (one pass computes x_j^T e for
every path's residual e), so that the folds cost about one path's reading of X. In the
core's residual mode the residual of a held-out row is its prediction error, so the
validation error after each alpha costs one pass over the held-out rows; the core also
stops a fold early (``early_stopping``) when that error has stopped improving. The alpha
grid is computed on the full data, as scikit-learn does. With early stopping or several
l1_ratios the path on all the data runs after the folds instead, for the chosen l1_ratio,
down to the alphas every fold reached. A 2-d y gives one independent cross-validated model
per column: all the targets' folds run in the same call.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _validation as v
from .._base import BaseEstimator, RegressorMixin
from ..exceptions import (ConvergenceWarning, DataConversionWarning, GridEdgeWarning,
                          sklearn_compatible)
from . import _core_paths
from ._coordinate_descent import (_gram_mode, _random_seed, _warn_not_converged,
                                  enet_path, lasso_path)
from ._linear import LinearModelMixin, feature_names
from ._progress import Poller, resolve as resolve_progress

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
# the paths in the core


_Poller = Poller  # (the poller of a core call: _progress.py)


def _paths_core(X, y, tasks, *, l1_ratio, fit_intercept, standardize, positive, tol,
                max_iter, penalty_factor, n_threads, seed, gram, patience=0, max_alphas=-1,
                n_alphas=100, eps=1e-3, progress=None):
    """Several paths on X in one core call, on threads that share their passes over X.

    tasks: (target, sample_weight, val_weights, alphas) per path: the column of y (2-d y)
    or None (1-d y), the path's sample weights (None: unweighted), its validation weights
    (None: no validation error, the path on all the data) and its grid (None: generated,
    n_alphas of them down to eps times its own alpha_max). The other arguments are common
    to all the paths. Returns one dict per task (alphas, intercepts, dual_gaps, n_iter,
    converged, n_done, val_mse, coefs_csc, and the core's counters).
    """
    targets = None if y.ndim == 1 else np.array([t[0] for t in tasks], dtype=np.int64)
    options = _core_paths.path_options(
        n_alphas=int(n_alphas), eps=float(eps), l1_ratio=float(l1_ratio),
        fit_intercept=fit_intercept, standardize=standardize, positive=positive, tol=float(tol),
        max_iter=int(max_iter), n_threads=int(n_threads or 0), random=seed is not None,
        seed=0 if seed is None else int(seed), gram=int(gram), patience=int(patience),
        max_alphas=int(max_alphas), sparse_coefs=True)
    results, _ = _core_paths.cv_paths(X, y, targets, [t[1] for t in tasks],
                                      [t[2] for t in tasks], [t[3] for t in tasks],
                                      penalty_factor, options, progress)
    return results


def _column(csc, j, p, dtype):
    """Column j of a (data, indices, indptr) CSC matrix with p rows, dense."""
    data, indices, indptr = csc
    out = np.zeros(p, dtype=dtype)
    out[indices[indptr[j]:indptr[j + 1]]] = data[indptr[j]:indptr[j + 1]]
    return out


def _dense_path(csc, p, dtype, k):
    """The (data, indices, indptr) CSC matrix of k columns with p rows, dense."""
    data, indices, indptr = csc
    out = np.zeros((p, k), dtype=dtype)
    out[indices, np.repeat(np.arange(k), np.diff(indptr[: k + 1]))] = data[: indptr[k]]
    return out


# --------------------------------------------------------------------------------------
# the estimators


def _one_se(mean, se):
    """(index of the minimum, index of the largest alpha within one standard error of it)
    for a curve over a decreasing grid (glmnet's lambda.min and lambda.1se)."""
    i_min = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[i_min] + se[i_min])
    return i_min, int(within[0])


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
        p["n_threads"], p["n_jobs"] = v.threads_and_jobs(self.n_threads, self.n_jobs)
        p["positive"] = v.boolean(self.positive, "positive")
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"selection: must be 'cyclic' or 'random', got {self.selection!r}")
        p["seed"] = _random_seed(self.random_state) if self.selection == "random" else None
        if not isinstance(self.selection_rule, str) or self.selection_rule not in _SELECTION_RULES:
            raise ValueError(f"selection_rule: must be 'min' or '1se', got {self.selection_rule!r}")
        p["early_stopping"] = v.boolean(self.early_stopping, "early_stopping")
        p["patience"] = v.positive_int(self.patience, "patience")
        p["standardize"] = v.boolean(self.standardize, "standardize")
        return p

    def fit(self, X, y, sample_weight=None, **split_params):
        """Fit the path on every fold and on all the data, choose alpha (and l1_ratio).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept, X is never copied per fold.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target (converted to X's dtype). A 2-d y gives one independent
            cross-validated model per column, with the same folds (the attributes get a
            leading n_targets axis, see the class docstring).
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
        multi = y.ndim == 2
        n_targets = y.shape[1] if multi else 1
        if multi and n_targets < 1:
            raise ValueError(f"y: needs at least one target column, got shape {y.shape}")
        sw = v.sample_weights(sample_weight, n, X.dtype)
        pf = v.feature_vector(self.penalty_factor, p, X.dtype, "penalty_factor")
        folds = _folds(self.cv, X, y, n, split_params)
        l1_ratios = prm["l1_ratios"]
        n_l1, n_folds = len(l1_ratios), len(folds)
        common = dict(fit_intercept=prm["fit_intercept"], standardize=prm["standardize"],
                      positive=prm["positive"], tol=prm["tol"], max_iter=prm["max_iter"],
                      penalty_factor=pf, gram=prm["gram"], n_threads=prm["n_threads"])
        target = (lambda j: j) if multi else (lambda j: None)
        targets = range(n_targets)
        run = _paths_core  # the core calls below; on a Dask cluster, split into tasks
        if self.client is not None:
            from ..distributed._cv import paths_runner

            run = paths_runner(self.client, X, y)

        # the alpha grids, on the full data (scikit-learn's _alpha_grid): grids[j][r] for
        # target j and l1_ratio r, each target's own grid down from its own alpha_max
        generated = isinstance(prm["alphas"], int)
        if generated:
            grids = [[None] * n_l1 for _ in targets]
            for r, ratio in enumerate(l1_ratios):
                res = run(X, y, [(target(j), sw, None, None) for j in targets],
                          n_alphas=prm["alphas"], eps=prm["eps"], l1_ratio=ratio,
                          seed=None, max_alphas=0, **common)
                for j in targets:
                    grids[j][r] = res[j]["alphas"]
        else:
            grids = [[prm["alphas"]] * n_l1 for _ in targets]
        k = len(grids[0][0])

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

        patience = prm["patience"] if prm["early_stopping"] else 0
        seed = prm["seed"]  # one seed for all the paths of a core call (its options)
        # progress(done, total), counted in alphas fitted: the core adds each alpha's fit
        # to `counter` as it ends (and a path's remaining alphas when it stops early),
        # read here by a poller
        progress = resolve_progress(self.progress, type(self).__name__)
        if self.verbose:  # printed as the core fits (per-fold lines follow each call)
            from ._verbose import VerboseProgress

            progress = VerboseProgress(type(self).__name__, self.verbose, then=progress)
        total = n_targets * (n_l1 * n_folds + 1) * k
        counter = None if progress is None else np.zeros(1, dtype=np.int64)
        poller = _Poller(counter, total, progress)

        # All the folds of an l1_ratio, for every target, in one core call: their paths
        # share each pass over X. The path on all the data (glmnet's glmnet.fit), which
        # gives coef_path_ and the final model, joins that call with one l1_ratio and no
        # early stopping; else it runs after the folds, for the chosen l1_ratio, down to
        # the alphas every fold reached.
        beside = n_l1 == 1 and not patience
        fold_res = [[[None] * n_folds for _ in range(n_l1)] for _ in targets]
        full = [None] * n_targets
        for r in range(n_l1):
            keys = [(j, f) for j in targets for f in range(n_folds)]
            tasks = [(target(j), fold_w[f][0], fold_w[f][1], grids[j][r]) for j, f in keys]
            if beside:
                keys += [(j, None) for j in targets]
                tasks += [(target(j), sw, None, grids[j][r]) for j in targets]
            with poller:
                results = run(X, y, tasks, l1_ratio=l1_ratios[r], seed=seed,
                              patience=patience, progress=counter, **common)
            for (j, f), res in zip(keys, results):
                if f is None:
                    full[j] = res
                    continue
                fold_res[j][r][f] = res
                if self.verbose:
                    who = f"target {j} " if multi else ""
                    print(f"[{type(self).__name__}] {who}l1_ratio={l1_ratios[r]:g} fold "
                          f"{f + 1}/{n_folds}: {res['n_done']} of {k} alphas")
        bad = sum(int((~res["converged"][: res["n_done"]]).sum())
                  for per_target in fold_res for per_r in per_target for res in per_r)
        if bad:
            warnings.warn(
                f"Objective did not converge for {bad} fold fit(s) along the path. You might "
                "want to increase the number of iterations (max_iter), check the scale of "
                "the features or consider increasing regularisation.",
                sklearn_compatible(ConvergenceWarning), stacklevel=2)

        sel = [self._select(fold_res[j], [grids[j][r] for r in range(n_l1)], n_folds)
               for j in targets]

        edges = {}
        for j, s in enumerate(sel):
            i_chosen, reach = s["i_chosen"], s["reach"][s["r_best"]]
            if i_chosen == 0 or i_chosen == reach - 1:
                if i_chosen == 0:
                    where = "largest"
                    why = ("on a generated grid that is the intercept-only model: no feature "
                           "predicts better" if generated else
                           "extend the grid towards larger alphas")
                else:
                    where = "smallest"
                    why = ("the folds stopped early there: increase patience" if reach < k
                           else "extend the grid towards smaller alphas (a smaller eps)")
                edges.setdefault((where, why), []).append(j)
        for (where, why), js in edges.items():
            if multi:
                which = ", ".join(str(j) for j in js)
                warnings.warn(
                    f"{type(self).__name__}: for target(s) {which} the chosen alpha (rule "
                    f"{self.selection_rule!r}) is the {where} alpha evaluated; {why}.",
                    GridEdgeWarning, stacklevel=2)
            else:
                warnings.warn(
                    f"{type(self).__name__}: the chosen alpha ({sel[0]['alpha']:.6g}, rule "
                    f"{self.selection_rule!r}) is the {where} alpha evaluated; {why}.",
                    GridEdgeWarning, stacklevel=2)

        # the paths on all the data not run beside the folds: one core call per chosen
        # l1_ratio, each target down to the alphas all its folds reached
        if not beside:
            for r in sorted({s["r_best"] for s in sel}):
                js = [j for j in targets if sel[j]["r_best"] == r]
                with poller:
                    results = run(
                        X, y, [(target(j), sw, None, grids[j][r][: sel[j]["reach"][r]]) for j in js],
                        l1_ratio=l1_ratios[r], seed=seed, progress=counter, **common)
                for j, res in zip(js, results):
                    full[j] = res
        poller.done()
        for res in full:
            _warn_not_converged(res, stacklevel=3)

        self._set_attributes(sel, full, grids, l1_ratios, generated, n_folds, p, X.dtype,
                             multi)
        self.n_features_in_ = p
        self._set_feature_names(names)
        return self

    def _select(self, fold_res, grids, n_folds):
        """One target's CV curves (over the alphas all folds of an l1_ratio reached) and
        choice, from its folds' results fold_res[r][f] on grids[r]."""
        n_l1 = len(grids)
        done = np.array([[res["n_done"] for res in per_r] for per_r in fold_res])
        reach = done.min(axis=1)  # alphas on every fold's path, per l1_ratio
        width = int(reach.max())
        mse = np.full((n_l1, n_folds, width), np.nan)
        for r in range(n_l1):
            for f, res in enumerate(fold_res[r]):
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
        stop = done - 1
        return dict(done=done, reach=reach, width=width, mse=mse, mean=mean, std=std, se=se,
                    r_best=r_best, i_min=i_min, i_1se=i_1se, i_chosen=i_chosen,
                    alpha=float(grid[i_chosen]), alpha_min=float(grid[i_min]),
                    alpha_1se=float(grid[i_1se]),
                    cv_alphas=np.asarray(grid[: reach[r_best]], dtype=np.float64),
                    cv_mean=m_r.copy(), cv_std=std[r_best, : reach[r_best]].copy(),
                    cv_se=se_r.copy(), stop=stop,
                    stop_alphas=np.array([[grids[r][stop[r, f]] for f in range(n_folds)]
                                          for r in range(n_l1)]))

    def _set_attributes(self, sel, full, grids, l1_ratios, generated, n_folds, p, dtype, multi):
        """The fitted attributes from each target's choice (sel) and path on all the data
        (full): as they are for one target, or stacked along a leading targets axis."""
        n_l1 = len(l1_ratios)
        one_l1 = n_l1 == 1
        per = []  # each target's attributes, as a 1-d y gives them
        for j, s in enumerate(sel):
            res, i = full[j], s["i_chosen"]
            a = dict(alpha_min_=s["alpha_min"], alpha_1se_=s["alpha_1se"], alpha_=s["alpha"],
                     l1_ratio_=float(l1_ratios[s["r_best"]]), cv_alphas_=s["cv_alphas"],
                     cv_mean_=s["cv_mean"], cv_std_=s["cv_std"], cv_se_=s["cv_se"],
                     cv_mean_path_=s["mean"], cv_std_path_=s["std"], cv_se_path_=s["se"],
                     fold_stop_index_=s["stop"][0] if one_l1 else s["stop"],
                     fold_stop_alphas_=s["stop_alphas"][0] if one_l1 else s["stop_alphas"],
                     coef_=_column(res["coefs_csc"], i, p, dtype),
                     intercept_=float(res["intercepts"][i]) if self.fit_intercept else 0.0,
                     dual_gap_=float(res["dual_gaps"][i]),
                     # epochs of the full-data path down to the chosen alpha (the work
                     # behind coef_)
                     n_iter_=max(1, int(res["n_iter"][: i + 1].sum())))
            per.append(a)
        self.n_folds_ = n_folds
        path_coefs = [(res["coefs_csc"], p, dtype, len(res["alphas"])) for res in full]
        if not multi:
            a, s = per[0], sel[0]
            for name, value in a.items():
                if name != "l1_ratio_" or self._has_l1_ratio():
                    setattr(self, name, value)
            # scikit-learn's shapes: mse_path_ (n_l1_ratios, n_alphas, n_folds) squeezed
            self.mse_path_ = np.squeeze(np.moveaxis(s["mse"], 2, 1))
            if generated:
                alphas_ = np.asarray(grids[0])[:, : s["width"]]
                self.alphas_ = alphas_[0] if one_l1 else alphas_
            else:
                self.alphas_ = np.asarray(grids[0][0][: s["width"]])
            self._path_coefs = path_coefs[0]
            return

        # several targets: one leading axis; curves of different lengths (early stopping)
        # padded with NaN up to the longest
        width = max(s["width"] for s in sel)
        cv_width = max(s["cv_alphas"].size for s in sel)

        def pad(a, size, axis=-1):
            a = np.asarray(a, dtype=np.float64)
            extra = [(0, 0)] * a.ndim
            extra[axis] = (0, size - a.shape[axis])
            return np.pad(a, extra, constant_values=np.nan)

        for name in ("alpha_min_", "alpha_1se_", "alpha_", "dual_gap_"):
            setattr(self, name, np.array([a[name] for a in per], dtype=np.float64))
        if self._has_l1_ratio():
            self.l1_ratio_ = np.array([a["l1_ratio_"] for a in per], dtype=np.float64)
        self.n_iter_ = np.array([a["n_iter_"] for a in per], dtype=np.int64)
        self.coef_ = np.stack([a["coef_"] for a in per])
        self.intercept_ = np.array([a["intercept_"] for a in per], dtype=dtype)
        for name in ("cv_alphas_", "cv_mean_", "cv_std_", "cv_se_"):
            setattr(self, name, np.stack([pad(a[name], cv_width) for a in per]))
        for name in ("cv_mean_path_", "cv_std_path_", "cv_se_path_"):
            setattr(self, name, np.stack([pad(a[name], width) for a in per]))
        self.fold_stop_index_ = np.stack([a["fold_stop_index_"] for a in per])
        self.fold_stop_alphas_ = np.stack([a["fold_stop_alphas_"] for a in per])
        mse = np.stack([pad(s["mse"], width) for s in sel])  # (targets, n_l1, folds, alphas)
        mse = np.moveaxis(mse, 3, 2)
        self.mse_path_ = mse[:, 0] if one_l1 else mse
        if generated:
            alphas_ = np.array([[g[:width] for g in grids[j]] for j in range(len(sel))])
            self.alphas_ = alphas_[:, 0] if one_l1 else alphas_
        else:
            self.alphas_ = np.asarray(grids[0][0][:width])
        self._path_coefs = path_coefs

    def _has_l1_ratio(self):
        return True

    @property
    def coef_path_(self):
        """Coefficients on all the data along ``cv_alphas_`` for ``l1_ratio_``, shape
        (n_features, n_cv_alphas) (glmnet's ``glmnet.fit``), densified on access; with a
        2-d y, (n_targets, n_features, n_cv_alphas), NaN beyond a target's
        ``cv_alphas_``."""
        self._check_is_fitted()
        if isinstance(self._path_coefs, tuple):
            csc, p, dtype, k = self._path_coefs
            return _dense_path(csc, p, dtype, k)
        width = self.cv_alphas_.shape[1]
        p, dtype = self._path_coefs[0][1], self._path_coefs[0][2]
        out = np.full((len(self._path_coefs), p, width), np.nan, dtype=dtype)
        for j, (csc, p, dtype, k) in enumerate(self._path_coefs):
            out[j, :, :k] = _dense_path(csc, p, dtype, k)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
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
        Print the alphas fitted so far while the paths are fitted (every tenth of the
        work; every fiftieth when > 1), and one line per fold path after each core call.
    n_jobs : int, optional
        The cores of the fit when ``n_threads`` is not given, as in scikit-learn: k > 0 for
        k, -1 for every CPU the process may use, -2 for all but one, and so on; None
        leaves the default (:func:`fastreg.get_num_threads`). All the fold paths (and the
        path on all the data) run at once in the core, each on a thread of its own, at
        most this many computing at a time, and share their passes over X, which run on
        as many threads.
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
        Threads in all; it takes precedence over ``n_jobs`` (default: ``n_jobs``'s
        count when given, else :func:`fastreg.get_num_threads`).
    progress : bool or callable, default=None
        Report the fit's progress while the core runs: True draws a bar on stderr
        (``LassoCV:  42%|########    | 168/400 alphas [00:01<00:02]``); a callable is
        called as ``progress(done, total)`` with the alphas fitted so far over every fold
        path and the path on all the data (a fold that stops early counts its remaining
        alphas), at most every 0.2 s while they grow and once with ``done == total`` at
        the end, from a thread of its own; an exception it raises is raised by ``fit``
        when the core call returns. None or False: no report. Independent of
        ``verbose`` (which prints lines on stdout); both may be on.
    client : distributed.Client, str or None, default=None
        Run the fold paths on a Dask cluster (``pip install 'fastreg[dask]'``): a
        client, a scheduler address, or ``'auto'`` for the current client (the two last
        survive ``clone``). Per l1_ratio the folds are split into one task per worker,
        each sharing its passes over X; the results equal the single-process fit's, bit
        for bit. X is never shipped per task (see :mod:`fastreg.distributed`)."""

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
        Column names of X, when X had string column names.

    With a 2-d y of shape (n_samples, n_targets), each column gets its own independent
    cross-validated model (scikit-learn's LassoCV refuses a 2-d y; this is not
    MultiTaskLassoCV: the targets share nothing but X and the folds). Every attribute
    above gets a leading n_targets axis: ``alpha_``, ``alpha_min_``, ``alpha_1se_``,
    ``l1_ratio_``, ``intercept_``, ``dual_gap_``, ``n_iter_`` of shape (n_targets,),
    ``coef_`` (n_targets, n_features), ``mse_path_`` (n_targets, [n_l1_ratio,] n_alphas,
    n_folds), ``cv_alphas_`` and the ``cv_*`` curves (n_targets, n_cv_alphas),
    ``coef_path_`` (n_targets, n_features, n_cv_alphas); ``predict`` returns (n_samples,
    n_targets). A generated grid is each target's own (from its own alpha_max on the full
    data, as a 1-d fit of that column would compute it): ``alphas_`` is then (n_targets,
    [n_l1_ratio,] n_alphas); a given grid is shared and keeps its shape. Where targets'
    curves have different lengths (early stopping), the shorter ones are padded with NaN.
    A column-vector y (n_samples, 1) is one target with these shapes."""


class ElasticNetCV(_LinearModelCV):
    __doc__ = f"""Elastic net with alpha (and l1_ratio) chosen by cross-validation.

    scikit-learn's :class:`sklearn.linear_model.ElasticNetCV` (same parameters, grid, folds
    and attributes, the same answers at the same tolerance) with glmnet's one-standard-error
    rule, early stopping along the path, penalty factors and standardization. The folds'
    paths run at once on one copy of X (a fold is X with sample weight 0 on its
    held-out rows), sharing their passes over it. A 2-d y fits one independent
    cross-validated model per column (see Attributes).

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
                 penalty_factor=None, standardize=False, n_threads=None,
                 progress=None, client=None):
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
        self.progress = progress
        self.client = client

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
    paths run at once on one copy of X (a fold is X with sample weight 0 on its
    held-out rows), sharing their passes over it. A 2-d y fits one independent
    cross-validated model per column (see Attributes).

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
                 penalty_factor=None, standardize=False, n_threads=None,
                 progress=None, client=None):
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
        self.progress = progress
        self.client = client

    def _l1_ratios(self):
        return [1.0]

    def _has_l1_ratio(self):
        return False
