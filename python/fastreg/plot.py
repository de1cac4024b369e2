"""Plots of regularization paths, cross-validation curves and selected variants
(matplotlib, imported when a function is called: ``pip install "fastreg[plot]"``).

- :func:`path`: coefficients against log(alpha), large alphas on the left as in glmnet,
  the chosen alphas marked, the number of nonzero coefficients on a top axis, the largest
  coefficients labelled, unpenalized covariates drawn apart.
- :func:`cv`: the cross-validation curve, mean error with standard-error bars against
  log(alpha), with the minimum and one-standard-error alphas marked (like glmnet's
  ``plot(cv.glmnet)``).
- :func:`manhattan`: the nonzero coefficients of a genotype model against chromosome and
  position.

Each returns the matplotlib Axes it drew on.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["cv", "manhattan", "path"]

# A path plot draws every feature that is nonzero somewhere on the path as one segment of
# a single LineCollection: matplotlib draws a collection in one call, where thousands of
# Line2D objects (and a legend searching its "best" place among them) took seconds.
_COVARIATE_COLORS = ("black", "dimgray", "saddlebrown", "darkviolet", "darkgreen", "navy")
_ALPHA_LABEL = "alpha (log scale): larger on the left (sparser), smaller on the right"


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


def _indices(which, n, name):
    """Row indices from None, an index array or a boolean mask of length n."""
    if which is None:
        return np.zeros(0, dtype=np.intp)
    a = np.asarray(which)
    if a.dtype == bool:
        if a.shape != (n,):
            raise ValueError(f"{name}: a mask must have {n} values (one per feature), got "
                             f"shape {a.shape}")
        return np.flatnonzero(a)
    if a.size and a.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected feature indices or a boolean mask, got dtype {a.dtype}")
    a = a.astype(np.intp).ravel()
    if a.size and (a.min() < -n or a.max() >= n):
        raise ValueError(f"{name}: index out of range for {n} features")
    return np.unique(np.where(a < 0, a + n, a))


def _top(values, k):
    """Indices of the k largest values, largest first (ties by index)."""
    if k <= 0 or values.size == 0:
        return np.zeros(0, dtype=np.intp)
    return np.argsort(-values, kind="stable")[:k]


def _spread(y, ylim, share=0.035):
    """Label heights near y, at least `share` of the axis apart (in y's order), so that
    the labels of lines ending close together do not print over each other."""
    y = np.asarray(y, dtype=np.float64)
    gap = share * abs(ylim[1] - ylim[0])
    order = np.argsort(y, kind="stable")
    placed = y[order].copy()
    for k in range(1, placed.size):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed.size:  # centre the pushed-up block on the line ends
        placed -= (placed - y[order]).max() / 2
    out = np.empty_like(placed)
    out[order] = placed
    return out


def path(model_or_tuple, ax=None, *, alpha_min=None, alpha_1se=None, labels=None,
         legend=None, covariates=None, n_labels=10, count_label="nonzero coefficients",
         **line_kw):
    """Coefficient paths against log(alpha).

    Large alphas (sparse models) are on the left, as in glmnet's plots. Every feature that
    is nonzero somewhere on the path is drawn (one ``LineCollection``: fast with thousands
    of them); the others would lie on the zero line. A top axis gives the number of
    nonzero coefficients (covariates excluded) at a few alphas.

    Parameters
    ----------
    model_or_tuple : fitted CV model or tuple (alphas, coefs)
        A model with ``alphas_`` and ``coef_path_`` of shape (n_features, n_alphas) (the
        cross-validated estimators), or ``(alphas, coefs)`` as returned by
        :func:`fastreg.lasso_path` (its first two items; a third is ignored) with coefs of
        shape (n_features, n_alphas). A model's ``alpha_min_`` and ``alpha_1se_`` (or
        else ``alpha_``) are marked with vertical lines, and the features its
        ``penalty_factor`` leaves unpenalized (0) are drawn as covariates.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    alpha_min, alpha_1se : float, optional
        Alphas to mark (override the model's).
    labels : sequence of str, optional
        One label per feature (variant ids, for example): the ``n_labels`` features with
        the largest absolute coefficient along the path are labelled at their line's right
        end, and covariates are named in the legend.
    legend : bool, optional
        Draw a legend of the marked alphas and covariates (default: when there are any).
    covariates : index array or boolean mask, optional
        Features drawn apart (thick dashed lines, dark colours) and left out of the count: unpenalized
        covariates, for example. Default: the model's zero penalty factors, else none.
    n_labels : int, default=10
        How many of the largest features to label (with ``labels``).
    count_label : str, default='nonzero coefficients'
        The title of the top axis ('nonzero variants' for genotypes, say).
    **line_kw
        Passed to the ``LineCollection`` of the coefficient lines (``linewidth``,
        ``alpha``, ``colors``, ...).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib
    from matplotlib.collections import LineCollection

    marks = {}
    default_cov = None
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
        pf = getattr(model, "penalty_factor", None)
        if pf is not None and np.ndim(pf) == 1:
            default_cov = np.asarray(pf) == 0
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
    n_features = coefs.shape[0]
    if labels is not None:
        labels = list(labels)
        if len(labels) != n_features:
            raise ValueError(f"labels: {len(labels)} labels for {n_features} features")
    if covariates is None and default_cov is not None and default_cov.size == n_features:
        covariates = default_cov
    cov = _indices(covariates, n_features, "covariates")
    if not isinstance(n_labels, (int, np.integer)) or n_labels < 0:
        raise ValueError(f"n_labels: expected a non-negative int, got {n_labels!r}")

    is_cov = np.zeros(n_features, dtype=bool)
    is_cov[cov] = True
    moving = np.any(coefs != 0, axis=1)
    shown = np.flatnonzero(moving & ~is_cov)
    own_figure = ax is None
    ax = _axes(ax)
    if shown.size:
        segments = np.empty((shown.size, alphas.size, 2))
        segments[:, :, 0] = alphas
        segments[:, :, 1] = coefs[shown]
        # RGBA rows of the tab10 cycle: colour names would be parsed one line at a time
        palette = np.asarray(matplotlib.colormaps["tab10"].colors)
        kw = dict(linewidths=1.0, colors=palette[np.arange(shown.size) % len(palette)])
        kw.update(line_kw)
        ax.add_collection(LineCollection(segments, **kw), autolim=False)
        ax.update_datalim(np.column_stack([[alphas.min(), alphas.max()] * 2,
                                           [coefs[shown].min(), coefs[shown].max()] * 2]))
        ax.autoscale_view()
    for k, j in enumerate(cov):
        name = str(labels[j]) if labels is not None else f"feature {j}"
        ax.plot(alphas, coefs[j], linestyle="--", color=_COVARIATE_COLORS[k % len(_COVARIATE_COLORS)],
                linewidth=1.6, zorder=3, label=f"covariate {name}")
    if labels is not None and shown.size and n_labels:
        last = int(np.argmin(alphas))  # the right end of the plot
        picked = shown[_top(np.abs(coefs[shown]).max(axis=1), n_labels)]
        ends = coefs[picked, last]
        if own_figure:  # room for the labels right of the axes (a "tight" bounding
            ax.figure.subplots_adjust(right=0.84)  # box would draw the figure twice)
        for j, y in zip(picked, _spread(ends, ax.get_ylim())):
            ax.annotate(str(labels[j]), (alphas[last], coefs[j, last]), xytext=(8, y),
                        textcoords=("offset points", "data"), fontsize="x-small", va="center",
                        annotation_clip=False,
                        arrowprops=dict(arrowstyle="-", color="0.6", linewidth=0.5,
                                        shrinkA=0, shrinkB=0))
    marked = [_mark(ax, marks.get("alpha_min"), "alpha_min", "--"),
              _mark(ax, marks.get("alpha_1se"), "alpha_1se", ":")]
    ax.set_xscale("log")
    ax.set_xlim(alphas.max(), alphas.min())  # large alphas (sparse end) on the left, as glmnet
    ax.axhline(0.0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_xlabel(_ALPHA_LABEL)
    ax.set_ylabel("coefficients")
    ax.set_title("Coefficient paths")

    # glmnet's top axis: how many penalized coefficients are nonzero at a few alphas
    counts = np.count_nonzero(coefs[~is_cov], axis=0)
    at = np.unique(np.linspace(0, alphas.size - 1, min(alphas.size, 7)).round().astype(int))
    top = ax.secondary_xaxis("top")
    top.set_xticks(alphas[at], labels=[str(int(c)) for c in counts[at]])
    top.minorticks_off()
    top.set_xlabel(count_label, fontsize="small")
    if own_figure:  # room for the top axis and a title above it
        ax.figure.subplots_adjust(top=0.82)

    if legend or (legend is None and (cov.size or any(m is not None for m in marked))):
        ax.legend(loc="upper left", fontsize="small")
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
    ax.set_xlabel(_ALPHA_LABEL)
    ax.set_ylabel(ylabel)
    ax.set_title("Cross-validation curve")
    ax.legend(loc="best", fontsize="small")
    return ax


# PLINK's numeric codes of the non-autosomes, for the order along the genome
_SPECIAL = {"X": 23, "Y": 24, "XY": 25, "MT": 26, "M": 26}


def _chromosome_key(code):
    c = re.sub(r"^chr", "", code.strip(), flags=re.IGNORECASE).upper()
    if c.isdigit():
        return (0, int(c), "")
    if c in _SPECIAL:
        return (0, _SPECIAL[c], "")
    return (1, 0, c)


def manhattan(coef, chromosomes, positions, ax=None, *, labels=None, n_labels=10,
              ylabel="coefficient"):
    """The nonzero coefficients of a genotype model against chromosome and position.

    Chromosomes are laid end to end in their natural order (1-22, X, Y, XY, MT, then other
    codes alphabetically; a ``chr`` prefix is ignored), each from its first to its last
    variant, and shaded alternately; every nonzero coefficient is a stem from zero, signed,
    so that effects in opposite directions stay apart.

    Parameters
    ----------
    coef : array-like of shape (n_variants,)
        One coefficient per variant (zeros are not drawn), in the order of
        ``chromosomes`` and ``positions``: a model's ``coef_`` without its covariates.
    chromosomes : array-like of shape (n_variants,)
        Chromosome codes (``Genotypes.chromosomes``): str or int.
    positions : array-like of shape (n_variants,)
        Base-pair positions (``Genotypes.positions``).
    ax : matplotlib Axes, optional
        Where to draw (default: a new, wide figure).
    labels : sequence of str, optional
        Variant ids (``Genotypes.variant_ids``): the ``n_labels`` largest coefficients
        (in absolute value) are labelled.
    n_labels : int, default=10
    ylabel : str, default='coefficient'

    Returns
    -------
    matplotlib.axes.Axes
    """
    coef = np.asarray(coef, dtype=np.float64).ravel()
    p = coef.size
    if p == 0:
        raise ValueError("coef: empty")
    if not np.isfinite(coef).all():
        raise ValueError("coef: must be finite")
    chrom = np.asarray(chromosomes).astype(str).ravel()
    if chrom.size != p:
        raise ValueError(f"chromosomes: {chrom.size} values for {p} coefficients")
    pos = np.asarray(positions)
    if pos.size != p or pos.ndim != 1:
        raise ValueError(f"positions: expected {p} values (one per coefficient), got shape "
                         f"{pos.shape}")
    if pos.dtype.kind not in "iuf" or not np.isfinite(pos.astype(np.float64)).all():
        raise ValueError("positions: expected finite base-pair positions")
    pos = pos.astype(np.float64)
    if labels is not None:
        labels = list(labels)
        if len(labels) != p:
            raise ValueError(f"labels: {len(labels)} labels for {p} coefficients")
    if not isinstance(n_labels, (int, np.integer)) or n_labels < 0:
        raise ValueError(f"n_labels: expected a non-negative int, got {n_labels!r}")

    codes, inverse = np.unique(chrom, return_inverse=True)
    order = sorted(range(codes.size), key=lambda k: _chromosome_key(codes[k]))
    rank = np.empty(codes.size, dtype=np.intp)
    rank[order] = np.arange(codes.size)
    r = rank[inverse]  # each variant's chromosome, counted along the genome
    lo = np.full(codes.size, np.inf)
    hi = np.full(codes.size, -np.inf)
    np.minimum.at(lo, r, pos)
    np.maximum.at(hi, r, pos)
    length = np.maximum(hi - lo, 1.0)
    gap = 0.01 * length.sum()
    start = np.concatenate([[0.0], np.cumsum(length + gap)[:-1]])
    x = start[r] + pos - lo[r]

    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure(figsize=(10, 4)).add_subplot()
    for k in range(0, codes.size, 2):  # alternate shading: where one chromosome ends
        ax.axvspan(start[k] - gap / 2, start[k] + length[k] + gap / 2, color="0.93",
                   zorder=0, linewidth=0)
    nz = np.flatnonzero(coef)
    colors = np.where(r[nz] % 2 == 0, "tab:blue", "tab:orange")
    if nz.size:
        ax.vlines(x[nz], 0.0, coef[nz], colors=colors, linewidth=1.0)
        ax.scatter(x[nz], coef[nz], c=colors, s=12, zorder=3)
    if labels is not None and nz.size and n_labels:
        for j in nz[_top(np.abs(coef[nz]), n_labels)]:
            ax.annotate(str(labels[j]), (x[j], coef[j]), xytext=(0, 4 if coef[j] > 0 else -4),
                        textcoords="offset points", ha="center",
                        va="bottom" if coef[j] > 0 else "top", fontsize="x-small")
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.margins(y=0.15)  # room for the labels above and below the longest stems
    ax.set_xlim(-gap, start[-1] + length[-1] + gap)
    ax.set_xticks(start + length / 2, labels=[codes[k] for k in order],
                  fontsize="x-small" if codes.size > 12 else "small")
    ax.set_xlabel("chromosome (variants at their positions)")
    ax.set_ylabel(ylabel)
    ax.set_title(f"Selected variants: {nz.size:,} of {p:,} nonzero")
    if not nz.size:
        ax.text(0.5, 0.5, "no variant selected", transform=ax.transAxes, ha="center")
    return ax
