"""LogisticRegressionCV: the binomial family's penalty chosen by cross-validation.

scikit-learn's estimator (its parameters and attributes) with glmnet's choices: the
validation measure (binomial deviance by default, AUC or the misclassification rate), the
one-standard-error rule, and a path per fold. A fold is X with sample weight 0 on its
held-out rows (no fold copies X); its path runs down the whole grid with warm starts
(:func:`fastreg.logistic_path`), and its held-out predictions touch only the columns with
a nonzero coefficient somewhere on the path. The path on all the data (glmnet's
``glmnet.fit``) gives the final model and ``coef_path_``.

Two ways to give the grid:

- ``Cs`` (scikit-learn's): each fold fits ``C`` on its own training rows, that is
  ``alpha = 1 / (C * sum of its training weights)``, as scikit-learn's folds do;
- ``alphas`` (glmnet's): every fold and the full data fit the same alphas; an int generates
  glmnet's grid on the full data (from the alpha at which every penalized coefficient is
  zero down to ``eps`` times it), which the full-data path may shorten on separable data.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _validation as v
from ..exceptions import ConvergenceWarning, GridEdgeWarning, sklearn_compatible
from ._cv import _folds, _one_se
from ._linear import feature_names
from ._logistic import _SOLVERS, LogisticRegression, penalty_factors
from ._logistic_path import binary_labels, logistic_path

# scoring -> (the measure computed per fold, the sign and scale that turn it into a
# score where higher is better, as scikit-learn's ``scores_``)
_SCORINGS = {
    "deviance": ("deviance", -1.0),
    "neg_log_loss": ("deviance", -0.5),  # scikit-learn's: minus the mean log-loss
    "auc": ("auc", 1.0),
    "roc_auc": ("auc", 1.0),
    "misclassification": ("misclassification", -1.0),
    "accuracy": ("misclassification", None),  # 1 - misclassification
}
_MEASURES = ("deviance", "auc", "misclassification")
_LOSS_LIKE = {"deviance": True, "auc": False, "misclassification": True}
_SELECTION_RULES = ("min", "1se")
# the early-stop note of a generated grid; the CV keeps the alphas fitted, as glmnet's does
_EARLY_STOP = "logistic_path stopped after"


def stratified_kfold(y01, n_splits):
    """scikit-learn's ``StratifiedKFold(n_splits)`` without shuffling, as (train, test)
    index pairs: each class's rows, in order, dealt to the folds so that every fold gets
    its share of each class."""
    n = y01.size
    _, first, inverse = np.unique(y01, return_index=True, return_inverse=True)
    _, order = np.unique(first, return_inverse=True)  # classes by first appearance
    encoded = order[inverse]
    counts = np.bincount(encoded)
    if n_splits > counts.max():
        raise ValueError(f"cv: n_splits={n_splits} cannot be greater than the number of "
                         "members in each class")
    if n_splits > counts.min():
        warnings.warn(f"The least populated class in y has only {counts.min()} members, which "
                      f"is less than n_splits={n_splits}.", UserWarning, stacklevel=4)
    sorted_codes = np.sort(encoded)
    allocation = np.array([np.bincount(sorted_codes[i::n_splits], minlength=counts.size)
                           for i in range(n_splits)])
    test_folds = np.empty(n, dtype=np.int64)
    for k in range(counts.size):
        test_folds[encoded == k] = np.arange(n_splits).repeat(allocation[:, k])
    rows = np.arange(n)
    return [(rows[test_folds != f], rows[test_folds == f]) for f in range(n_splits)]


def _held_out_eta(X, test, coefs, intercepts):
    """The linear predictors of the rows `test` for every column of coefs (p, k): (n_test,
    k). Only the columns with a nonzero coefficient on the path are read (for dense and
    sparse X, a copy of that block of the held-out rows: a lasso path's active set is
    small; Genotypes decode those variants only)."""
    nz = np.flatnonzero(np.any(coefs != 0, axis=1))
    k = coefs.shape[1]
    if nz.size == 0:
        return np.broadcast_to(intercepts, (test.size, k)).astype(np.float64)
    c = coefs[nz].astype(np.float64)
    if v.is_genotypes(X):
        full = np.zeros(coefs.shape, dtype=np.float64)
        full[nz] = c
        # all the rows: a subset would impute missing dosages with its own means, not
        # with those the fold's fit used
        eta = np.asarray(X @ full, dtype=np.float64)[test]
    elif v.is_sparse(X):
        eta = np.asarray(X[:, nz][test] @ c, dtype=np.float64)
    elif nz.size * 2 > X.shape[1]:  # most columns: the product with X, no block copy
        eta = np.asarray(X @ coefs.astype(X.dtype), dtype=np.float64)[test]
    else:
        eta = X[np.ix_(test, nz)].astype(np.float64) @ c
    return eta + intercepts


def fold_measures(y01, eta, weights):
    """The validation measures of one fold along its path: dict name -> (k,) for the
    binomial deviance (twice the weighted mean negative log-likelihood), the AUC (NaN
    when the held-out rows hold one class only) and the misclassification rate (a sample
    counts as class 1 where its log-odds are positive), each weighted by `weights`."""
    from ..metrics import roc_auc_score

    w = weights / weights.sum(dtype=np.float64)
    y = y01.astype(np.float64)[:, None]
    # -log-likelihood per sample: log(1 + exp(eta)) - y eta, without overflow
    deviance = 2.0 * (w @ (np.logaddexp(0.0, eta) - y * eta))
    wrong = (eta > 0) != (y > 0.5)
    misclassification = w @ wrong
    classes = np.unique(y01[weights > 0])
    if classes.size < 2:
        auc = np.full(eta.shape[1], np.nan)
    else:
        auc = np.array([roc_auc_score(y01, eta[:, j], sample_weight=weights)
                        for j in range(eta.shape[1])])
    return {"deviance": deviance, "auc": auc, "misclassification": misclassification}


class LogisticRegressionCV(LogisticRegression):
    """Binary logistic regression with the penalty chosen by cross-validation
    (scikit-learn's ``LogisticRegressionCV``, with glmnet's measures and rules).

    Each fold's path runs over the whole grid with warm starts on X with weight 0 on its
    held-out rows (X is never copied per fold). The final model is the path on all the
    data at the chosen penalty (``coef_path_`` holds that path). The objective of each fit
    is :class:`fastreg.LogisticRegression`'s.

    Parameters
    ----------
    Cs : int or array-like, default=10
        scikit-learn's grid: an int for that many values of C on a log scale between 1e-4
        and 1e4, or the values (sorted increasing in ``Cs_``). A fold fits C on its own
        training rows (``alpha = 1 / (C * the sum of their weights)``), as scikit-learn's.
        Ignored when ``alphas`` is given.
    l1_ratios : array-like or None, default=None
        The penalty mixes to try, each in [0, 1] (1: lasso). None follows ``penalty``:
        (0,) for 'l2' and the default, (1,) for 'l1'.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    cv : int, splitter or iterable, default=None
        None for 5 folds; an int for that many stratified folds (scikit-learn's
        ``StratifiedKFold`` without shuffling); a splitter with a ``split(X, y)`` method;
        or an iterable of (train, test) index arrays. At least 2 folds.
    dual : bool, default=False
        Only False is supported.
    penalty : {'l1', 'l2', 'elasticnet'} or 'deprecated', default='deprecated'
        scikit-learn's deprecated spelling, used when ``l1_ratios`` is None
        ('elasticnet' then needs ``l1_ratios``).
    scoring : str, default='deviance'
        The validation measure, computed on each fold's held-out rows with their sample
        weights: 'deviance' (binomial deviance, glmnet's default), 'auc' (area under the
        ROC curve), 'misclassification' (the error rate); or scikit-learn's names
        'neg_log_loss', 'roc_auc', 'accuracy' (the same measures, in scikit-learn's units).
    solver : str, default='lbfgs'
        Accepted for compatibility; the solver is always proximal Newton with coordinate
        descent.
    tol : float, default=1e-4
        Tolerance of each fit (see :func:`fastreg.logistic_path`).
    max_iter : int, default=100
        Newton steps per penalty.
    class_weight : dict or 'balanced', optional
        Weights of the classes (computed on all the data), multiplying the sample weights.
    n_jobs : int, optional
        The cores of the fit when ``n_threads`` is not given (-1: every CPU the process
        may use).
    verbose : int, default=0
        Print one line per fold path.
    refit : bool, default=True
        True: the final model is the fit on all the data at the chosen penalty. False:
        scikit-learn's average of each fold's best coefficients (``C_`` and ``l1_ratio_``
        are then the means of the folds' best; needs ``selection_rule='min'``).
    intercept_scaling : float, default=1
        Accepted for compatibility.
    random_state : int, RandomState or None, default=None
        Accepted for compatibility; the fits are deterministic.
    use_legacy_attributes : bool, default=True
        scikit-learn 1.9's attribute layout (True, its current default): ``C_`` and
        ``l1_ratio_`` arrays of shape (1,), ``scores_`` a dict ``{classes_[1]: array}`` of
        shape (n_folds, n_cs) or (n_folds, n_cs, n_l1_ratios) when ``l1_ratios`` is
        given, ``n_iter_`` with a leading axis of 1. False: the new layout, ``C_`` and
        ``l1_ratio_`` floats, ``scores_`` and ``n_iter_`` of shape (n_folds, n_l1_ratios,
        n_cs).
    alphas : int or array-like, optional
        glmnet's grid instead of ``Cs``: the same alphas (:func:`fastreg.logistic_path`'s
        penalty, per unit of mean log-loss) for every fold and for all the data; an int
        generates that many from the full data's alpha_max down to ``eps`` times it, for
        each l1_ratio (which must then be positive).
    eps : float, default=1e-2
        ``alpha_min / alpha_max`` of a generated ``alphas`` grid.
    selection_rule : {'min', '1se'}, default='min'
        The penalty of the final model: the best mean CV measure ('min'), or the largest
        penalty whose mean is within one standard error of that best ('1se', glmnet's
        ``lambda.1se``), on the chosen l1_ratio's curve.
    penalty_factor : array-like of shape (n_features,), optional
        glmnet's per-feature penalty factors (0: unpenalized).
    standardize : bool, default=False
        Penalize the coefficients of unit-variance columns (glmnet's option, lasso only:
        each penalty factor times its column's standard deviation, weighted by the sample
        weights, on all the data, the same in every fold; glmnet's ``cv.glmnet`` recomputes
        them per fold); coefficients are in X's units.
    n_threads : int, optional
        Use at most this many threads (default: ``n_jobs``'s count when given, else
        :func:`fastreg.get_num_threads`).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    Cs_ : ndarray of shape (n_cs,)
        The values of C, increasing (with ``alphas``: ``1 / (alpha * sum of the weights)``
        on all the data).
    alphas_ : ndarray of shape (n_cs,) or (n_l1_ratios, n_cs)
        The penalties on all the data, decreasing (one row per l1_ratio for a generated
        ``alphas`` grid).
    l1_ratios_ : ndarray of shape (n_l1_ratios,)
        The l1_ratios tried (``[None]`` in the legacy layout when ``l1_ratios`` is None).
    C_ : ndarray of shape (1,) or float
        The chosen C.
    l1_ratio_ : ndarray of shape (1,) or float
        The chosen l1_ratio.
    alpha_ : float
        The chosen alpha (on all the data).
    C_min_, C_1se_, alpha_min_, alpha_1se_ : float
        The penalties of the two rules on the chosen l1_ratio's curve.
    scores_ : dict or ndarray
        Each fold's score per C (and l1_ratio), higher is better: minus the deviance or
        the misclassification rate, the AUC, or scikit-learn's scorer's value for its
        names; layout by ``use_legacy_attributes``.
    cv_measures_ : dict of str -> ndarray of shape (n_folds, n_l1_ratios, n_cs)
        Every fold's held-out 'deviance', 'auc' and 'misclassification', whatever
        ``scoring`` is.
    cv_mean_ : ndarray of shape (n_cs,)
        Mean over folds of the scoring's measure (deviance, AUC or misclassification
        rate; glmnet's ``cvm``) for the chosen l1_ratio, in ``Cs_`` order.
    cv_se_ : ndarray of shape (n_cs,)
        Its standard error: standard deviation over folds (``ddof=1``) over
        ``sqrt(n_folds)`` (glmnet's ``cvsd``).
    coef_path_ : ndarray of shape (n_features, n_cs)
        The path on all the data for the chosen l1_ratio, in ``Cs_`` order (with
        ``refit=True``).
    intercept_path_ : ndarray of shape (n_cs,)
    n_iter_ : ndarray
        Newton steps of each fold's fit per C (and l1_ratio); layout by
        ``use_legacy_attributes``.
    n_folds_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X has string column names.

    Warns
    -----
    GridEdgeWarning
        When the chosen penalty is the largest or the smallest of the grid.
    ConvergenceWarning
        When a fit did not converge within ``max_iter`` Newton steps.
    """

    def __init__(self, *, Cs=10, l1_ratios=None, fit_intercept=True, cv=None, dual=False,
                 penalty="deprecated", scoring="deviance", solver="lbfgs", tol=1e-4,
                 max_iter=100, class_weight=None, n_jobs=None, verbose=0, refit=True,
                 intercept_scaling=1.0, random_state=None, use_legacy_attributes=True,
                 alphas=None, eps=1e-2, selection_rule="min", penalty_factor=None,
                 standardize=False, n_threads=None):
        self.Cs = Cs
        self.l1_ratios = l1_ratios
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.dual = dual
        self.penalty = penalty
        self.scoring = scoring
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.refit = refit
        self.intercept_scaling = intercept_scaling
        self.random_state = random_state
        self.use_legacy_attributes = use_legacy_attributes
        self.alphas = alphas
        self.eps = eps
        self.selection_rule = selection_rule
        self.penalty_factor = penalty_factor
        self.standardize = standardize
        self.n_threads = n_threads

    # ---- parameters ---------------------------------------------------------------------

    def _l1_ratio_list(self):
        """(the l1_ratios to try, whether they were given)."""
        if self.l1_ratios is not None:
            values = list(np.ravel(np.asarray(self.l1_ratios, dtype=object)))
            if not values:
                raise ValueError("l1_ratios: the list of l1_ratio values is empty")
            return [v.unit_interval(x, "l1_ratios") for x in values], True
        penalty = self.penalty
        if not isinstance(penalty, str) or penalty not in ("deprecated", "l1", "l2", "elasticnet"):
            raise ValueError(f"penalty: must be 'l1', 'l2', 'elasticnet' or 'deprecated', got "
                             f"{penalty!r}")
        if penalty == "elasticnet":
            raise ValueError("l1_ratios: penalty='elasticnet' needs a list of l1_ratios")
        return [1.0 if penalty == "l1" else 0.0], False

    def _grid_choice(self):
        """('C', sorted Cs) or ('alpha', int grid size or sorted decreasing alphas)."""
        if self.alphas is not None:
            alphas = v.alpha_grid(self.alphas)
            if not isinstance(alphas, int):
                alphas = np.sort(np.asarray(alphas, dtype=np.float64))[::-1].copy()
                if not alphas[-1] > 0:
                    raise ValueError("alphas: must be positive")
            return "alpha", alphas
        Cs = self.Cs
        if isinstance(Cs, (numbers.Integral, np.integer)) and not isinstance(Cs, (bool, np.bool_)):
            if Cs < 1:
                raise ValueError(f"Cs: must be a positive int or a list of positive floats, "
                                 f"got {Cs}")
            return "C", np.logspace(-4, 4, int(Cs))
        a = np.asarray(Cs, dtype=object).ravel()
        if a.size == 0:
            raise ValueError("Cs: the list of C values is empty")
        values = np.array([v.real_scalar(c, "Cs") for c in a], dtype=np.float64)
        if not (np.all(values > 0) and np.all(np.isfinite(values))):
            raise ValueError("Cs: every C must be positive and finite")
        return "C", np.sort(values)

    def _check_cv_params(self):
        p = {}
        p["l1_ratios"], p["l1_given"] = self._l1_ratio_list()
        p["grid_kind"], p["grid"] = self._grid_choice()
        if p["grid_kind"] == "alpha" and isinstance(p["grid"], int) and min(p["l1_ratios"]) == 0:
            raise ValueError("l1_ratios: a generated alphas grid needs l1_ratio > 0; pass "
                             "alphas as an array or use Cs")
        p["eps"] = v.positive_real(self.eps, "eps")
        if not isinstance(self.scoring, str) or self.scoring not in _SCORINGS:
            raise ValueError(f"scoring: must be one of {sorted(_SCORINGS)}, got {self.scoring!r}")
        if not isinstance(self.selection_rule, str) or self.selection_rule not in _SELECTION_RULES:
            raise ValueError(f"selection_rule: must be 'min' or '1se', got {self.selection_rule!r}")
        p["refit"] = v.boolean(self.refit, "refit")
        if not p["refit"] and self.selection_rule != "min":
            raise ValueError("selection_rule: '1se' needs refit=True (refit=False averages "
                             "each fold's best fit)")
        p["legacy"] = v.boolean(self.use_legacy_attributes, "use_legacy_attributes")
        if v.boolean(self.dual, "dual"):
            raise ValueError("dual: only the primal problem (dual=False) is supported")
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver: must be one of {_SOLVERS}, got {self.solver!r}")
        p["tol"] = v.nonnegative(self.tol, "tol")
        p["max_iter"] = v.positive_int(self.max_iter, "max_iter")
        p["fit_intercept"] = v.boolean(self.fit_intercept, "fit_intercept")
        p["standardize"] = v.boolean(self.standardize, "standardize")
        if not isinstance(self.verbose, (bool, np.bool_, numbers.Integral)):
            raise TypeError(f"verbose: expected a bool or an int, got {type(self.verbose).__name__}")
        p["n_threads"], _ = v.threads_and_jobs(self.n_threads, self.n_jobs)
        return p

    # ---- fit ----------------------------------------------------------------------------

    def fit(self, X, y, sample_weight=None, **split_params):
        """Fit each fold's path, choose the penalty (and l1_ratio), fit all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)
            Training data; float32 and float64 are kept, X is never copied per fold.
        y : array-like of shape (n_samples,)
            Two distinct labels (numbers or strings).
        sample_weight : float or array-like of shape (n_samples,), optional
            Observation weights, used in the fits and in each fold's validation measure
            (weighted over its held-out rows); the CV curve is the unweighted mean over
            folds.
        **split_params
            Passed to ``cv.split`` when cv is a splitter (for example ``groups``).

        Returns
        -------
        self
        """
        prm = self._check_cv_params()
        names = feature_names(X)
        X = v.design_matrix(X)
        n, p = X.shape
        dtype = np.dtype(X.dtype)
        classes, y01 = binary_labels(y, n)
        sw = self._weights(y01, classes, sample_weight, n)
        pf = penalty_factors(X, v.feature_vector(self.penalty_factor, p, dtype, "penalty_factor"),
                             sw, prm["l1_ratios"], prm["standardize"], dtype)
        if self.cv is None or (isinstance(self.cv, (numbers.Integral, np.integer))
                               and not isinstance(self.cv, (bool, np.bool_))):
            n_splits = 5 if self.cv is None else int(self.cv)
            if n_splits < 2:
                raise ValueError(f"cv: needs at least 2 folds, got {n_splits}")
            if split_params:
                raise TypeError(f"fit: {sorted(split_params)} are passed to a splitter's "
                                "split; cv is an int")
            folds = stratified_kfold(y01, n_splits)
        else:
            folds = _folds(self.cv, X, classes[y01], n, split_params)
        base = np.ones(n) if sw is None else sw
        fold_w = []
        for f, (train, test) in enumerate(folds):
            tw = base * np.bincount(train, minlength=n)
            vw = base * np.bincount(test, minlength=n)
            if not vw.sum() > 0:
                raise ValueError(f"sample_weight: the held-out rows of fold {f} all have weight 0")
            for c in (0, 1):
                if not tw[y01 == c].sum() > 0:
                    raise ValueError(f"cv: the training rows of fold {f} hold no sample of "
                                     f"class {classes[c]!r}; both classes are needed")
            fold_w.append((tw, vw))
        total = float(base.sum())
        common = dict(fit_intercept=prm["fit_intercept"], penalty_factor=pf, tol=prm["tol"],
                      max_iter=prm["max_iter"], n_threads=prm["n_threads"],
                      return_n_iter=True)
        y_fit = y01.astype(dtype)
        sw_fit = None if sw is None else sw.astype(dtype)
        l1_ratios = prm["l1_ratios"]
        n_l1, n_folds = len(l1_ratios), len(folds)

        caught = []  # the fits' ConvergenceWarnings, reported once at the end
        # progress(paths done, paths in all): the command line's progress bar, a private
        # attribute set from outside (as LassoCV's), so that the parameters stay
        # scikit-learn's
        progress = getattr(self, "_progress", None)
        generated = prm["grid_kind"] == "alpha" and isinstance(prm["grid"], int)
        n_paths = n_l1 * (n_folds + 1) if generated else n_l1 * n_folds + 1
        done = [0]

        def path(*args):
            out = self._path(*args, common, caught)
            done[0] += 1
            if progress is not None:
                progress(done[0], n_paths)
            return out

        full = {}  # l1_ratio index -> the path on all the data
        # the grid on all the data per l1_ratio: alphas_full[r], decreasing
        if prm["grid_kind"] == "C":
            Cs = prm["grid"]
            alphas_full = [1.0 / (Cs * total)] * n_l1  # decreasing
        elif generated:
            alphas_full = []
            for r, ratio in enumerate(l1_ratios):
                full[r] = path(X, y_fit, sw_fit, ratio, prm["grid"], prm["eps"])
                alphas_full.append(full[r][0])
            # a grid shortened by an early stop: the common length keeps the arrays square
            k = min(a.size for a in alphas_full)
            alphas_full = [a[:k] for a in alphas_full]
            full = {r: tuple(x[..., :k] for x in res) for r, res in full.items()}
        else:
            alphas_full = [prm["grid"]] * n_l1
        k = alphas_full[0].size

        # each fold's path per l1_ratio; measures[name][f, r, i] in decreasing alpha order,
        # which is increasing C (Cs_'s order)
        measures = {m: np.full((n_folds, n_l1, k), np.nan) for m in _MEASURES}
        n_iter = np.zeros((n_folds, n_l1, k), dtype=np.int32)
        measure, sign = _SCORINGS[self.scoring]
        best = [None] * n_folds  # refit=False: each fold's best (score, coef, b0, C, l1)
        for r, ratio in enumerate(l1_ratios):
            for f, (train, test) in enumerate(folds):
                tw, vw = fold_w[f]
                if prm["grid_kind"] == "C":
                    alphas_f = 1.0 / (Cs * tw.sum())
                else:
                    alphas_f = alphas_full[r]
                _, coefs, b0, nit = path(X, y_fit, tw.astype(dtype), ratio, alphas_f,
                                         prm["eps"])
                held = np.unique(test)  # (a repeated row counts through its weight)
                eta = _held_out_eta(X, held, coefs, b0)
                for name, values in fold_measures(y01[held], eta, vw[held]).items():
                    measures[name][f, r] = values
                n_iter[f, r] = nit
                if not prm["refit"]:
                    scores = self._scores(measures[measure][f, r], sign)
                    i = int(np.nanargmax(scores))
                    if best[f] is None or scores[i] > best[f][0]:
                        C_i = (Cs[i] if prm["grid_kind"] == "C"
                               else 1.0 / (alphas_f[i] * total))
                        best[f] = (scores[i], coefs[:, i].copy(), float(b0[i]), C_i, ratio)
                if self.verbose:
                    print(f"[LogisticRegressionCV] l1_ratio={ratio:g} fold {f + 1}/{n_folds}: "
                          f"{k} penalties, {int(nit.sum())} Newton steps")

        # the choice: the l1_ratio with the best mean, then the rule on its curve
        values = measures[measure]
        mean = np.nanmean(values, axis=0)  # (n_l1, k)
        counts = np.sum(~np.isnan(values), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.nanstd(values, axis=0, ddof=1) / np.sqrt(counts)
        if np.isnan(mean).all():
            raise ValueError(f"scoring: {self.scoring!r} is undefined on every fold (each "
                             "fold's held-out rows hold one class only)")
        loss = mean if _LOSS_LIKE[measure] else -mean  # minimized
        loss = np.where(np.isnan(loss), np.inf, loss)
        best_r = [int(np.argmin(loss[r])) for r in range(n_l1)]
        r_best = 0
        for r in range(1, n_l1):  # the first l1_ratio with a strictly better minimum
            if loss[r, best_r[r]] < loss[r_best, best_r[r_best]]:
                r_best = r
        i_min, i_1se = _one_se(loss[r_best], np.nan_to_num(se[r_best]))
        i_chosen = i_min if self.selection_rule == "min" else i_1se
        alphas_r = alphas_full[r_best]
        if i_chosen in (0, k - 1) and k > 1:
            where = "largest" if i_chosen == 0 else "smallest"
            warnings.warn(f"LogisticRegressionCV: the chosen penalty (alpha "
                          f"{alphas_r[i_chosen]:.6g}, rule {self.selection_rule!r}) is the "
                          f"{where} of the grid; extend the grid", GridEdgeWarning,
                          stacklevel=2)

        # the final model
        if prm["refit"]:
            if r_best not in full:
                full[r_best] = path(X, y_fit, sw_fit, l1_ratios[r_best], alphas_r,
                                    prm["eps"])
            _, coefs, b0, _ = full[r_best]
            self.coef_path_ = coefs
            self.intercept_path_ = b0
            coef, intercept = coefs[:, i_chosen], float(b0[i_chosen])
            C_, l1_ratio_ = 1.0 / (alphas_r[i_chosen] * total), float(l1_ratios[r_best])
        else:
            coef = np.mean([b[1] for b in best], axis=0)
            intercept = float(np.mean([b[2] for b in best]))
            C_ = float(np.mean([b[3] for b in best]))
            l1_ratio_ = float(np.mean([b[4] for b in best]))
        if progress is not None and done[0] < n_paths:  # refit=False: no full path
            progress(n_paths, n_paths)
        self._report_convergence(caught)

        self.classes_ = classes
        self.coef_ = np.asarray(coef, dtype=dtype).reshape(1, p)
        self.intercept_ = np.array([intercept if prm["fit_intercept"] else 0.0], dtype=dtype)
        self.Cs_ = (Cs.copy() if prm["grid_kind"] == "C"
                    else 1.0 / (alphas_full[r_best] * total))
        alphas_ = np.array([a for a in alphas_full])
        self.alphas_ = alphas_[0] if n_l1 == 1 or prm["grid_kind"] == "C" else alphas_
        self.alpha_ = float(alphas_r[i_chosen]) if prm["refit"] else 1.0 / (C_ * total)
        self.alpha_min_, self.alpha_1se_ = float(alphas_r[i_min]), float(alphas_r[i_1se])
        self.C_min_ = 1.0 / (self.alpha_min_ * total)
        self.C_1se_ = 1.0 / (self.alpha_1se_ * total)
        self.cv_measures_ = measures
        self.cv_mean_ = mean[r_best].copy()
        self.cv_se_ = se[r_best].copy()
        scores = self._scores(measures[measure], sign)  # (folds, n_l1, n_cs)
        if prm["legacy"]:
            self.C_ = np.array([C_])
            if prm["l1_given"]:
                self.l1_ratios_ = np.asarray(l1_ratios, dtype=np.float64)
                self.l1_ratio_ = np.array([l1_ratio_])
                self.scores_ = {classes[1]: np.moveaxis(scores, 1, 2)}
                self.n_iter_ = np.moveaxis(n_iter, 1, 2)[None]
            else:
                self.l1_ratios_ = np.array([None])
                self.l1_ratio_ = np.array([None])
                self.scores_ = {classes[1]: scores[:, 0]}
                self.n_iter_ = n_iter[:, 0][None]
        else:
            self.C_ = float(C_)
            self.l1_ratio_ = l1_ratio_
            self.l1_ratios_ = np.asarray(l1_ratios, dtype=np.float64)
            self.scores_ = scores
            self.n_iter_ = n_iter
        self.n_folds_ = n_folds
        self.n_features_in_ = p
        self._set_feature_names(names)
        return self

    @staticmethod
    def _scores(values, sign):
        """A measure in scikit-learn's higher-is-better units (sign None: 1 - value)."""
        return 1.0 - values if sign is None else sign * values

    @staticmethod
    def _path(X, y, sw, l1_ratio, alphas, eps, common, caught):
        """logistic_path with its warnings collected in caught (glmnet's early stop of a
        generated grid is expected here: the alphas fitted are kept)."""
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            out = logistic_path(X, y, l1_ratio=l1_ratio, alphas=alphas, eps=eps,
                                sample_weight=sw, **common)
        for w in records:
            if issubclass(w.category, UserWarning) and str(w.message).startswith(_EARLY_STOP):
                continue
            caught.append(w)
        return out

    @staticmethod
    def _report_convergence(caught):
        """Re-emits the fits' warnings: one ConvergenceWarning for all the fits that did
        not converge, the others as they were."""
        n_bad = 0
        for w in caught:
            if issubclass(w.category, ConvergenceWarning) or w.category.__name__ == "ConvergenceWarning":
                n_bad += 1
            else:
                warnings.warn(w.message, w.category, stacklevel=3)
        if n_bad:
            warnings.warn(f"LogisticRegressionCV: Newton's method did not converge within "
                          f"max_iter steps at some penalties of {n_bad} path(s); increase "
                          "max_iter or the smallest penalty", sklearn_compatible(ConvergenceWarning),
                          stacklevel=3)

    def score(self, X, y, sample_weight=None):
        """The scoring's measure on (X, y), in scikit-learn's units (higher is better:
        minus the deviance or the misclassification rate, the AUC, minus the mean
        log-loss for 'neg_log_loss', the accuracy for 'accuracy').

        Parameters
        ----------
        X : {array-like, sparse matrix, fastreg.Genotypes} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        float
        """
        self._check_is_fitted()
        eta = np.asarray(self.decision_function(X), dtype=np.float64)
        labels = np.asarray(y)
        if labels.shape != eta.shape:
            raise ValueError(f"y: expected shape {eta.shape}, got {labels.shape}")
        known = np.isin(labels, self.classes_)
        if not known.all():
            raise ValueError(f"y: contains labels not seen in fit: {np.unique(labels[~known])!r}")
        y01 = (labels == self.classes_[1]).astype(np.int64)
        w = np.ones(y01.size) if sample_weight is None else v.sample_weights(
            sample_weight, y01.size, np.float64)
        if w is None:
            w = np.ones(y01.size)
        measure, sign = _SCORINGS[self.scoring]
        value = fold_measures(y01, eta[:, None], w)[measure][0]
        return float(self._scores(value, sign))
