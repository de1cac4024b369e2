"""Metrics with scikit-learn's definitions. Regression: R², (root) mean squared error and
mean absolute error, with sample weights and 2-d targets. Classification: accuracy, log
loss and the area under the ROC curve (binary), with sample weights.

``multioutput`` is ``'uniform_average'`` (default), ``'raw_values'`` (one value per target)
or an array of per-target weights; ``r2_score`` also takes ``'variance_weighted'``. Edge
cases follow scikit-learn: R² of a constant ``y_true`` is 1.0 for a perfect prediction and
0.0 otherwise (``force_finite=True``), or NaN / -inf with ``force_finite=False``; R² of
fewer than two samples is NaN (with a warning).
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["accuracy_score", "log_loss", "mae", "mean_absolute_error", "mean_squared_error",
           "r2_score", "rmse", "roc_auc_score", "root_mean_squared_error"]


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


# ---- classification ----------------------------------------------------------------------


def _labels(a, name):
    a = np.asarray(a)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.ravel()
    if a.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d array of labels, got shape {a.shape}")
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError(f"Input {name} contains NaN or infinity.")
    return a


def _class_weights(sample_weight, n):
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"sample_weight: expected shape ({n},), got {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight: must be finite and non-negative")
    return w


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or, with ``normalize=False``, the weighted count) of correct labels.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels of any type.
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    float
    """
    yt, yp = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if yt.shape != yp.shape:
        raise ValueError(f"y_pred: has {yp.shape[0]} samples, but y_true has {yt.shape[0]}")
    w = _class_weights(sample_weight, yt.shape[0])
    correct = (yt == yp).astype(np.float64)
    if not normalize:
        return float(correct.sum() if w is None else correct @ w)
    return float(_average(correct, w))


def log_loss(y_true, y_proba=None, *, normalize=True, sample_weight=None, labels=None):
    """Mean (or with ``normalize=False`` summed) negative log-likelihood of the labels.

    Probabilities are clipped to ``[eps, 1 - eps]``, eps the machine precision of their
    dtype, as scikit-learn does.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of any type.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities: of the larger label (1-d, binary), or one column per label in
        sorted order.
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All labels, when y_true does not hold every one.

    Returns
    -------
    float
    """
    if y_proba is None:
        raise ValueError("y_proba: the predicted probabilities are required")
    yt = _labels(y_true, "y_true")
    p = np.asarray(y_proba)
    if p.dtype not in (np.float32, np.float64):
        p = p.astype(np.float64)
    if p.ndim not in (1, 2):
        raise ValueError(f"y_proba: expected a 1-d or 2-d array, got shape {p.shape}")
    if p.shape[0] != yt.shape[0]:
        raise ValueError(f"y_proba: has {p.shape[0]} samples, but y_true has {yt.shape[0]}")
    if not np.isfinite(p).all():
        raise ValueError("Input y_proba contains NaN or infinity.")
    if p.size and p.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {p.max()}")
    if p.size and p.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {p.min()}")
    classes = np.unique(yt if labels is None else np.asarray(labels))
    if classes.size < 2:
        raise ValueError(f"y_true contains only one label ({classes[0]!r}). Please provide "
                         "the list of all expected class labels explicitly through the "
                         "labels argument.")
    if p.ndim == 1:
        p = p[:, None]
    if p.shape[1] == 1:
        p = np.concatenate([1 - p, p], axis=1)
    eps = np.finfo(p.dtype).eps
    if not np.allclose(p.sum(axis=1), 1.0, rtol=np.sqrt(eps), atol=0.0):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.",
                      UserWarning, stacklevel=2)
    if classes.size != p.shape[1]:
        raise ValueError(f"y_true and y_prob contain different number of classes: "
                         f"{classes.size} vs {p.shape[1]}")
    index = np.searchsorted(classes, yt)
    if (index >= classes.size).any() or (classes[np.minimum(index, classes.size - 1)] != yt).any():
        raise ValueError("y_true: contains labels not in labels")
    p = np.clip(p, eps, 1 - eps)
    loss = -np.log(p[np.arange(yt.shape[0]), index]).astype(np.float64)
    w = _class_weights(sample_weight, yt.shape[0])
    if not normalize:
        return float(loss.sum() if w is None else loss @ w)
    return float(_average(loss, w))


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None,
                  multi_class="raise", labels=None):
    """Area under the ROC curve of a binary problem (ties in the scores count one half).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Two distinct labels; the larger (in sorted order) is the positive class.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or log-odds), or (n_samples, 2)
        probabilities, whose second column is used.
    average : str, default='macro'
        Accepted for compatibility (binary problems have one curve).
    sample_weight : array-like of shape (n_samples,), optional
    max_fpr : None
        The partial AUC is not implemented.
    multi_class, labels
        Accepted for compatibility; more than two classes raise ValueError.

    Returns
    -------
    float
    """
    del average, multi_class
    if max_fpr is not None and max_fpr != 1:
        raise NotImplementedError("max_fpr: the partial AUC is not implemented")
    yt = _labels(y_true, "y_true")
    s = np.asarray(y_score, dtype=np.float64)
    if s.ndim == 2 and s.shape[1] == 2:
        s = s[:, 1]
    if s.ndim != 1 or s.shape[0] != yt.shape[0]:
        raise ValueError(f"y_score: expected shape ({yt.shape[0]},), got {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError("Input y_score contains NaN or infinity.")
    classes = np.unique(yt if labels is None else np.asarray(labels))
    if classes.size > 2:
        raise ValueError(f"y_true: {classes.size} classes; only binary ROC AUC is implemented")
    if np.unique(yt).size != 2:
        raise ValueError("Only one class is present in y_true. ROC AUC score is not defined "
                         "in that case.")
    pos = (yt == classes[-1]).astype(np.float64)
    w = _class_weights(sample_weight, yt.shape[0])
    w = np.ones(yt.shape[0]) if w is None else w
    order = np.argsort(-s, kind="mergesort")
    s, pos, w = s[order], pos[order], w[order]
    # cumulative true and false positives at each distinct score (ties form one step)
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tps = np.cumsum(w * pos)[last]
    fps = np.cumsum(w * (1 - pos))[last]
    if tps[-1] <= 0 or fps[-1] <= 0:
        raise ValueError("roc_auc_score: one class has no positive weight; ROC AUC is not "
                         "defined in that case.")
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
