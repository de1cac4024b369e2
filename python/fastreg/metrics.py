"""Regression metrics with scikit-learn's definitions: R², (root) mean squared error and
mean absolute error, with sample weights and 2-d targets.

``multioutput`` is ``'uniform_average'`` (default), ``'raw_values'`` (one value per target)
or an array of per-target weights; ``r2_score`` also takes ``'variance_weighted'``. Edge
cases follow scikit-learn: R² of a constant ``y_true`` is 1.0 for a perfect prediction and
0.0 otherwise (``force_finite=True``), or NaN / -inf with ``force_finite=False``; R² of
fewer than two samples is NaN (with a warning).
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["mae", "mean_absolute_error", "mean_squared_error", "r2_score", "rmse",
           "root_mean_squared_error"]


class UndefinedMetricWarning(UserWarning):
    """A metric is not defined for its input (scikit-learn's warning of that name, when
    scikit-learn is imported)."""


def _undefined_metric_warning():
    import sys

    module = sys.modules.get("sklearn.exceptions")
    return getattr(module, "UndefinedMetricWarning", UndefinedMetricWarning)


def _targets(y_true, y_pred, sample_weight, multioutput, allowed):
    """Both targets as float64 (n, k) arrays, the weights and the multioutput choice."""
    out = []
    for name, a in (("y_true", y_true), ("y_pred", y_pred)):
        a = np.asarray(a)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name}: expected real numbers, got dtype {a.dtype}")
        if a.ndim == 1:
            a = a.reshape(-1, 1)
        elif a.ndim != 2:
            raise ValueError(f"{name}: expected a 1-d or 2-d array, got shape {a.shape}")
        a = a.astype(np.float64, copy=False)
        if not np.isfinite(a).all():
            raise ValueError(f"Input {name} contains NaN or infinity.")
        out.append(a)
    yt, yp = out
    if yt.shape[0] != yp.shape[0]:
        raise ValueError(f"y_pred: has {yp.shape[0]} samples, but y_true has {yt.shape[0]}")
    if yt.shape[1] != yp.shape[1]:
        raise ValueError(f"y_pred: has {yp.shape[1]} outputs, but y_true has {yt.shape[1]}")
    if yt.shape[0] == 0:
        raise ValueError("y_true: found array with 0 samples, while a minimum of 1 is required")
    w = None
    if sample_weight is not None:
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.ndim == 0:
            w = np.full(yt.shape[0], float(w))
        if w.shape != (yt.shape[0],):
            raise ValueError(f"sample_weight: expected shape ({yt.shape[0]},), got {w.shape}")
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("sample_weight: must be finite and non-negative")
    k = yt.shape[1]
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(f"multioutput: must be one of {allowed} or an array of weights, "
                             f"got {multioutput!r}")
    elif multioutput is not None:
        multioutput = np.asarray(multioutput, dtype=np.float64)
        if k == 1:
            raise ValueError("multioutput: custom weights are useful only in multi-output cases")
        if multioutput.shape != (k,):
            raise ValueError(f"multioutput: expected {k} weights (one per output), got shape "
                             f"{multioutput.shape}")
    return yt, yp, w, multioutput


def _average(values, weights, axis=None):
    if weights is None:
        return np.mean(values, axis=axis)
    total = np.sum(weights)
    if total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return np.sum(values * weights, axis=axis) / total


def _combine(errors, multioutput):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return errors
        multioutput = None
    return float(_average(errors, multioutput))


def _mean_loss(y_true, y_pred, sample_weight, multioutput, loss):
    """The (weighted) mean of loss(y_true - y_pred) per output, combined per multioutput."""
    yt, yp, w, mo = _targets(y_true, y_pred, sample_weight, multioutput,
                             ("raw_values", "uniform_average"))
    wcol = None if w is None else w[:, None]
    return _combine(_average(loss(yt - yp), wcol, axis=0), mo)


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error, (weighted) mean of ``(y_true - y_pred)**2``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {'uniform_average', 'raw_values'} or array-like of shape (n_outputs,)

    Returns
    -------
    float or ndarray of shape (n_outputs,)
    """
    return _mean_loss(y_true, y_pred, sample_weight, multioutput, np.square)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None,
                            multioutput="uniform_average"):
    """Root mean squared error: the square root of each output's MSE, then averaged.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {'uniform_average', 'raw_values'} or array-like of shape (n_outputs,)

    Returns
    -------
    float or ndarray of shape (n_outputs,)
    """
    errors = np.sqrt(mean_squared_error(y_true, y_pred, sample_weight=sample_weight,
                                        multioutput="raw_values"))
    _, _, _, mo = _targets(y_true, y_pred, None, multioutput, ("raw_values", "uniform_average"))
    return _combine(errors, mo)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error, (weighted) mean of ``|y_true - y_pred|``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {'uniform_average', 'raw_values'} or array-like of shape (n_outputs,)

    Returns
    -------
    float or ndarray of shape (n_outputs,)
    """
    return _mean_loss(y_true, y_pred, sample_weight, multioutput, np.abs)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
             force_finite=True):
    """Coefficient of determination R² = 1 - SS_res / SS_tot (weighted).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {'uniform_average', 'raw_values', 'variance_weighted'} or array-like of \
shape (n_outputs,)
        How outputs are combined: mean, none, weighted by each output's (weighted) total
        sum of squares, or weighted by the given weights.
    force_finite : bool, default=True
        For a constant ``y_true`` (SS_tot = 0): 1.0 when the prediction is perfect, else
        0.0. With False: NaN or -inf, as the formula gives.

    Returns
    -------
    float or ndarray of shape (n_outputs,)
    """
    yt, yp, w, mo = _targets(y_true, y_pred, sample_weight, multioutput,
                             ("raw_values", "uniform_average", "variance_weighted"))
    if yt.shape[0] < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.",
                      _undefined_metric_warning(), stacklevel=2)
        return float("nan")
    wcol = 1.0 if w is None else w[:, None]
    numerator = np.sum(wcol * (yt - yp) ** 2, axis=0)
    mean = _average(yt, None if w is None else w[:, None], axis=0)
    denominator = np.sum(wcol * (yt - mean) ** 2, axis=0)
    nonzero_den = denominator != 0
    if not force_finite:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1.0 - numerator / denominator
    else:
        nonzero_num = numerator != 0
        scores = np.ones(yt.shape[1])
        valid = nonzero_den & nonzero_num
        scores[valid] = 1.0 - numerator[valid] / denominator[valid]
        scores[nonzero_num & ~nonzero_den] = 0.0
    if isinstance(mo, str):
        if mo == "raw_values":
            return scores
        weights = None
        if mo == "variance_weighted":
            weights = denominator if nonzero_den.any() else None
    else:
        weights = mo
    return float(_average(scores, weights))


rmse = root_mean_squared_error
mae = mean_absolute_error
