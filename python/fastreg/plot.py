"""Plots of regularization paths and cross-validation curves (matplotlib, imported when a
function is called: ``pip install fastreg[plot]``).

- :func:`path`: coefficients against log(alpha), with the chosen alphas marked.
- :func:`cv`: the cross-validation curve, mean error with standard-error bars against
  log(alpha), with the minimum and one-standard-error alphas marked (like glmnet's
  ``plot(cv.glmnet)``).

Both return the matplotlib Axes they drew on.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cv", "path"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure().add_subplot()


def _alphas(alphas, name="alphas"):
    a = np.asarray(alphas, dtype=np.float64).ravel()
    if a.size == 0:
        raise ValueError(f"{name}: empty")
    if not (np.isfinite(a).all() and (a > 0).all()):
        raise ValueError(f"{name}: must be finite and positive (the axis is log(alpha))")
    return a


def _mark(ax, alpha, label, style):
    if alpha is None:
        return None
    alpha = float(np.asarray(alpha, dtype=np.float64).ravel()[0]) if np.ndim(alpha) else float(alpha)
    if not (np.isfinite(alpha) and alpha > 0):
        raise ValueError(f"{label}: must be a finite positive alpha, got {alpha}")
    return ax.axvline(alpha, linestyle=style, color="0.3", linewidth=1.0,
                      label=f"{label} = {alpha:.3g}")


def path(model_or_tuple, ax=None, *, alpha_min=None, alpha_1se=None, labels=None,
         legend=None, **line_kw):
    """Coefficient paths against log(alpha).

    Parameters
    ----------
    model_or_tuple : fitted CV model or tuple (alphas, coefs)
        A model with ``alphas_`` and ``coef_path_`` of shape (n_features, n_alphas) (the
        cross-validated estimators), or ``(alphas, coefs)`` as returned by
        :func:`fastreg.lasso_path` (its first two items; a third is ignored) with coefs of
        shape (n_features, n_alphas). A model's ``alpha_min_`` and ``alpha_1se_`` (or
        else ``alpha_``) are marked with vertical lines.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    alpha_min, alpha_1se : float, optional
        Alphas to mark (override the model's).
    labels : sequence of str, optional
        One label per feature (shown in the legend); default none.
    legend : bool, optional
        Draw a legend (default: when there are labels or marked alphas).
    **line_kw
        Passed to ``ax.plot`` for the coefficient lines (one per feature that is nonzero
        somewhere on the path; the others would lie on the zero line).

    Returns
    -------
    matplotlib.axes.Axes
    """
    marks = {}
    if isinstance(model_or_tuple, tuple):
        if len(model_or_tuple) < 2:
            raise ValueError("model_or_tuple: a tuple must be (alphas, coefs)")
        alphas, coefs = model_or_tuple[0], model_or_tuple[1]
    else:
        model = model_or_tuple
        # a CV model's path is along cv_alphas_ (its alphas_ is 2-d with several l1_ratios)
        alphas = getattr(model, "cv_alphas_", getattr(model, "alphas_", None))
        coefs = getattr(model, "coef_path_", None)
        if alphas is None or coefs is None:
            raise TypeError("model_or_tuple: expected a fitted CV model with alphas_ and "
                            "coef_path_, or an (alphas, coefs) tuple")
        marks["alpha_min"] = getattr(model, "alpha_min_", None)
        marks["alpha_1se"] = getattr(model, "alpha_1se_", None)
        if marks["alpha_min"] is None and marks["alpha_1se"] is None:
            marks["alpha_min"] = getattr(model, "alpha_", None)
    if alpha_min is not None:
        marks["alpha_min"] = alpha_min
    if alpha_1se is not None:
        marks["alpha_1se"] = alpha_1se
    alphas = _alphas(alphas)
    coefs = np.asarray(coefs, dtype=np.float64)
    if coefs.ndim == 1:
        coefs = coefs[None, :]
    if coefs.ndim != 2 or coefs.shape[1] != alphas.size:
        raise ValueError(f"coefs: expected shape (n_features, {alphas.size}) to match alphas, "
                         f"got {coefs.shape}")
    if labels is not None:
        labels = list(labels)
        if len(labels) != coefs.shape[0]:
            raise ValueError(f"labels: {len(labels)} labels for {coefs.shape[0]} features")
    # features that are zero all along the path would only draw over the zero line: on wide
    # data they are most of them, and drawing tens of thousands of lines takes minutes
    shown = np.flatnonzero(np.any(coefs != 0, axis=1))
    ax = _axes(ax)
    lines = ax.plot(alphas, coefs[shown].T, **line_kw) if shown.size else []
    if labels is not None:
        for line, k in zip(lines, shown):
            line.set_label(str(labels[k]))
    marked = [_mark(ax, marks.get("alpha_min"), "alpha_min", "--"),
              _mark(ax, marks.get("alpha_1se"), "alpha_1se", ":")]
    ax.set_xscale("log")
    ax.set_xlim(alphas.max(), alphas.min())  # large alphas (sparse end) on the left, as glmnet
    ax.axhline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel("coefficients")
    ax.set_title("Coefficient paths")
    if legend or (legend is None and (labels is not None or any(m is not None for m in marked))):
        ax.legend(loc="best", fontsize="small")
    return ax


def cv(model=None, ax=None, *, alphas=None, mean=None, se=None, alpha_min=None,
       alpha_1se=None, ylabel="mean squared error", **errorbar_kw):
    """The cross-validation curve: mean error with standard-error bars against log(alpha).

    Parameters
    ----------
    model : fitted CV model, optional
        With ``alphas_``, ``cv_mean_`` and ``cv_se_`` (one value per alpha) and, when
        known, ``alpha_min_`` and ``alpha_1se_`` (else ``alpha_`` is marked as the
        minimum).
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    alphas, mean, se : array-like of shape (n_alphas,), optional
        The curve given explicitly (instead of, or overriding, the model's).
    alpha_min, alpha_1se : float, optional
        The alphas to mark: the minimum of the mean error, and the largest alpha within
        one standard error of it.
    ylabel : str, default='mean squared error'
    **errorbar_kw
        Passed to ``ax.errorbar``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if model is not None:
        alphas = getattr(model, "alphas_", None) if alphas is None else alphas
        mean = getattr(model, "cv_mean_", None) if mean is None else mean
        se = getattr(model, "cv_se_", None) if se is None else se
        if alpha_min is None:
            alpha_min = getattr(model, "alpha_min_", None)
            if alpha_min is None:
                alpha_min = getattr(model, "alpha_", None)
        if alpha_1se is None:
            alpha_1se = getattr(model, "alpha_1se_", None)
    if alphas is None or mean is None:
        raise TypeError("cv: give a fitted CV model (alphas_, cv_mean_, cv_se_) or alphas= "
                        "and mean= (and se=)")
    alphas = _alphas(alphas)
    mean = np.asarray(mean, dtype=np.float64).ravel()
    if mean.shape != alphas.shape:
        raise ValueError(f"mean: expected {alphas.size} values (one per alpha), got {mean.size}")
    if se is not None:
        se = np.asarray(se, dtype=np.float64).ravel()
        if se.shape != alphas.shape:
            raise ValueError(f"se: expected {alphas.size} values (one per alpha), got {se.size}")
        if not (np.nan_to_num(se, nan=0.0) >= 0).all():
            raise ValueError("se: standard errors must be non-negative")
    ax = _axes(ax)
    kw = dict(fmt="o", color="tab:red", ecolor="0.6", markersize=3, capsize=2, elinewidth=1)
    kw.update(errorbar_kw)
    ax.errorbar(alphas, mean, yerr=se, label="CV mean ± 1 SE" if se is not None else "CV mean",
                **kw)
    _mark(ax, alpha_min, "alpha_min", "--")
    _mark(ax, alpha_1se, "alpha_1se", ":")
    ax.set_xscale("log")
    ax.set_xlim(alphas.max() * 1.1, alphas.min() / 1.1)
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel(ylabel)
    ax.set_title("Cross-validation curve")
    ax.legend(loc="best", fontsize="small")
    return ax
