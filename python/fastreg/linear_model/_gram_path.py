"""Elastic-net and lasso paths from summary statistics: ``X^T X``, ``X^T y`` and ``n``.

The objective is :func:`fastreg.enet_path`'s without intercept::

    1/(2 n) ||y - X w||^2 + alpha * l1_ratio * sum_j pf_j |w_j|
                          + alpha * (1 - l1_ratio) / 2 * sum_j pf_j w_j^2

and ``||y - X w||^2 = y^T y - 2 w^T X^T y + w^T X^T X w``: X and y enter only through
their cross products, which the caller computes once (from centered X and y when the
model should have an intercept). The solver (C++, ``cd/gram_path.hpp``) runs coordinate
descent with covariance updates, strong rules, working sets and KKT checks.
"""

from __future__ import annotations

import numpy as np

from .. import _core
from .. import _validation as v
from ._coordinate_descent import _warn_not_converged
from ._gram_checks import gram_matrix, gram_vector, yty_value

# Shared by both docstrings: what the statistics are and how the fit stops.
_STATS_DOC = """\
    XtX : {ndarray, sparse matrix} of shape (n_features, n_features)
        ``X.T @ X``, symmetric with a non-negative diagonal, positive semidefinite (not
        checked up front, as that would cost a factorization; a ValueError when the fit
        finds the objective unbounded below). Dense arrays may be C- or
        F-ordered; scipy sparse matrices (e.g. a banded LD matrix times n) are used as
        CSC or CSR without a copy when float64 with sorted indices (other formats are
        converted, unsorted indices sorted, on a copy). Both triangles must be stored.
        float32 (and integer) input is converted to float64 once. A zero diagonal entry
        is a constant (centered: zero) column; its coefficient stays 0.
    Xty : array-like of shape (n_features,)
        ``X.T @ y``.
    n : float
        The number of samples (rows of X) the statistics were computed from; positive,
        not necessarily an integer (an effective sample size). It sets the scale of the
        loss against the penalty, as in ``1/(2n) ||y - Xw||^2``.
    yty : float, optional
        ``y @ y``. With it, ``dual_gaps`` are the exact duality gaps and the stopping
        rule is scikit-learn's (gap <= ``tol * yty / n``). Without it, ``yty`` is
        replaced, in both the gap and the tolerance, by the largest lower bound the
        solver knows, ``max(2 w^T Xty - w^T XtX w)`` over the coefficients it has seen
        (at least ``max_j Xty_j^2 / XtX_jj``). That estimated gap is below the true one
        by ``(yty - bound) / (2n) * (1 - s)^2``, where ``s``, the scale of
        scikit-learn's dual point, tends to 1 at the solution, so the solutions are the
        same to the tolerance; only the reported gaps are estimates. The tolerance,
        relative to the explained rather than the total sum of squares, is stricter,
        which can cost more epochs when the fit explains little of y. A ``yty`` below
        that bound (statistics not from one data set) is raised to it.
"""


def enet_path_gram(XtX, Xty, n, *, l1_ratio=0.5, yty=None, eps=1e-3, alphas=100,
                   n_alphas=None, tol=1e-4, max_iter=1000, positive=False,
                   penalty_factor=None, coef_init=None, return_n_iter=False):
    """Compute the elastic-net path from summary statistics by coordinate descent.

    Solves :func:`fastreg.enet_path`'s problem (scikit-learn's objective with penalty
    factors; no intercept) for the X and y behind ``XtX = X.T @ X``, ``Xty = X.T @ y``
    and ``n``. For a model with an intercept, center the columns of X and y before
    forming the statistics (the coefficients are then those of the centered fit; the
    intercept is ``y_mean - X_mean @ coef``).

    Parameters
    ----------
{stats}    l1_ratio : float, default=0.5
        Mixing parameter in [0, 1]: 1 is the lasso, 0 ridge (which needs ``alphas``).
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of a generated grid.
    alphas : int or array-like, default=100
        Number of alphas on the generated grid (geometric from
        ``alpha_max = max_j |Xty_j| / pf_j / (n * l1_ratio)`` down to
        ``eps * alpha_max``, after fitting any unpenalized features first), or the
        alphas themselves (sorted decreasing before use).
    n_alphas : int, optional
        Older spelling of ``alphas`` as a grid size.
    tol : float, default=1e-4
        Tolerance (scikit-learn's semantics; see ``yty``).
    max_iter : int, default=1000
        Maximum number of epochs per alpha.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    penalty_factor : array-like of shape (n_features,), optional
        Non-negative per-feature multipliers of both penalties (glmnet); 0 leaves a
        feature unpenalized. Not rescaled.
    coef_init : array-like of shape (n_features,), optional
        Starting coefficients for the first alpha.
    return_n_iter : bool, default=False
        Also return the number of epochs per alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gaps (estimates without ``yty``).
    n_iters : list of int
        Only with ``return_n_iter=True``.

    Raises
    ------
    ValueError
        Naming the argument: XtX not square, not symmetric, not finite or with a
        negative diagonal, or found not positive semidefinite during the fit (the
        objective unbounded below); Xty of the wrong length or not finite; n or yty not
        positive and finite; any parameter out of range.

    Warns
    -----
    ConvergenceWarning
        When some alpha did not reach the tolerance within ``max_iter`` epochs.
    """
    result = _fit(XtX, Xty, n, l1_ratio=l1_ratio, yty=yty, eps=eps,
                  alphas=alphas if n_alphas is None else n_alphas, tol=tol, max_iter=max_iter,
                  positive=positive, penalty_factor=penalty_factor, coef_init=coef_init)
    _warn_not_converged(result)
    out = (result["alphas"], result["coefs"], result["dual_gaps"])
    if return_n_iter:
        out += ([int(k) for k in result["n_iter"]],)
    return out


def lasso_path_gram(XtX, Xty, n, *, yty=None, eps=1e-3, alphas=100, n_alphas=None, tol=1e-4,
                    max_iter=1000, positive=False, penalty_factor=None, coef_init=None,
                    return_n_iter=False):
    """Compute the lasso path from summary statistics: :func:`enet_path_gram` with
    ``l1_ratio=1``.

    Parameters
    ----------
{stats}    eps, alphas, n_alphas, tol, max_iter, positive, penalty_factor, coef_init, return_n_iter
        As for :func:`enet_path_gram`.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : list of int
        Only with ``return_n_iter=True``.
    """
    return enet_path_gram(XtX, Xty, n, l1_ratio=1.0, yty=yty, eps=eps, alphas=alphas,
                          n_alphas=n_alphas, tol=tol, max_iter=max_iter, positive=positive,
                          penalty_factor=penalty_factor, coef_init=coef_init,
                          return_n_iter=return_n_iter)


for _f in (enet_path_gram, lasso_path_gram):
    if _f.__doc__:  # (None under python -OO)
        _f.__doc__ = _f.__doc__.format(stats=_STATS_DOC)
del _f


def _fit(XtX, Xty, n, *, l1_ratio, yty, eps, alphas, tol, max_iter, positive, penalty_factor,
         coef_init, screening=True, acceleration=True):
    """Validates, calls the core; returns a dict of arrays and solver statistics.
    screening and acceleration (both on by default) can be turned off for tests and
    measurements."""
    l1_ratio = v.unit_interval(l1_ratio, "l1_ratio")
    eps = v.positive_real(eps, "eps")
    alphas = v.alpha_grid(100 if alphas is None else alphas)
    tol = v.nonnegative(tol, "tol")
    max_iter = v.positive_int(max_iter, "max_iter")
    positive = v.boolean(positive, "positive")
    n = v.positive_real(n, "n")
    Q, diag = gram_matrix(XtX)
    p = diag.shape[0]
    Xty = gram_vector(Xty, p)
    yty = yty_value(yty)
    pf = v.feature_vector(penalty_factor, p, np.float64, "penalty_factor")
    coef_init = v.coef_vector(coef_init, p, np.float64)
    if isinstance(alphas, int):
        grid, n_alphas = None, alphas
        if l1_ratio == 0:
            raise ValueError("l1_ratio: automatic alpha grids need l1_ratio > 0; pass alphas")
    else:
        grid, n_alphas = alphas, len(alphas)
    options = dict(alphas=grid, n_alphas=n_alphas, eps=eps, l1_ratio=l1_ratio,
                   positive=positive, tol=tol, max_iter=max_iter, screening=bool(screening),
                   acceleration=bool(acceleration))
    known = -1.0 if yty is None else yty
    if v.is_sparse(Q):
        out = _core.enet_path_gram_csc(Q.data, Q.indices, Q.indptr, diag, Xty, n, known, pf,
                                       coef_init, **options)
    else:
        out = _core.enet_path_gram_dense(Q, diag, Xty, n, known, pf, coef_init, **options)
    alphas, coefs, gaps, n_iter, converged, stats = out
    if stats["unbounded_at"] >= 0:
        a = alphas[stats["unbounded_at"]]
        raise ValueError(
            f"XtX: not positive semidefinite: at alpha = {a:.6g} the objective is unbounded "
            "below (the solver found w with w^T XtX w + n alpha (1 - l1_ratio) sum_j pf_j "
            "w_j^2 < 0). An LD matrix from a reference panel, or banded by truncation, can be "
            "indefinite: make it positive semidefinite (e.g. shrink it toward its diagonal) "
            "or add enough ridge penalty (l1_ratio < 1)")
    return dict(alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iter=n_iter,
                converged=converged.astype(bool), **stats)
