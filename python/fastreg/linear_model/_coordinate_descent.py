"""Elastic-net and lasso regularization paths (coordinate descent in the C++ core).

The objective, scikit-learn's, with glmnet's penalty factors ``pf`` (default 1)::

    1/(2 n) ||y - b0 - X w||^2 + alpha * l1_ratio * sum_j pf_j |w_j|
                               + alpha * (1 - l1_ratio) / 2 * sum_j pf_j w_j^2

with sample weights normalized to sum to n (as scikit-learn does). Stopping rule and
``dual_gap`` are scikit-learn's: the duality gap is checked once the largest coefficient
update of an epoch is at most ``tol`` times the largest coefficient, and the fit stops when
it is at most ``tol * ||y - ybar||^2 / n``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import _validation as v
from ..exceptions import ConvergenceWarning, sklearn_compatible
from . import _core_paths, _progress, _tall


def _solve_path(X, y, *, progress=None, name="enet_path", **params):
    """Runs the core on validated input: _run_path's arguments (X from design_matrix, y of
    X's dtype: 1-d, or 2-d F-ordered for several targets fitted at once), and the public
    ``progress`` option (None, a bool or a callable; a bar is labelled ``name``), reported
    in alphas fitted over all targets."""
    report = _progress.resolve(progress, name)
    if report is None:
        return _run_path(X, y, **params)
    alphas = params["alphas"]
    k = alphas if isinstance(alphas, (int, np.integer)) else len(alphas)
    counter = np.zeros(1, dtype=np.int64)
    poller = _progress.Poller(counter, int(k) * (1 if y.ndim == 1 else y.shape[1]), report)
    with poller:
        result = _run_path(X, y, counter=counter, **params)
    poller.done()
    return result


def _run_path(X, y, *, l1_ratio, alphas, eps, fit_intercept, standardize, positive, tol,
              max_iter, sample_weight=None, penalty_factor=None, coef_init=None,
              screening=True, n_threads=None, acceleration=True, seed=None, gram=-1,
              counter=None):
    """The core's path on validated input (X from design_matrix, y of X's dtype: 1-d, or
    2-d F-ordered for several targets fitted at once, sharing their passes over X).

    alphas: an int (grid size, generated from alpha_max down to alpha_max * eps; each
    target gets its own grid) or a decreasing float64 array. seed: None for cyclic
    coordinate order, else random order from this seed. counter: None, or the core's
    progress counter (the tall route and warm starts do not advance it). Returns a dict of
    arrays and statistics; with 2-d y, one row per target: alphas (k, n_alphas) when
    generated, coefs (k, n_features, n_alphas), the others (k, n_alphas)."""
    grid, n_alphas = _core_paths.grid_arguments(alphas, l1_ratio)
    options = dict(n_alphas=n_alphas, eps=float(eps), l1_ratio=float(l1_ratio),
                   fit_intercept=bool(fit_intercept), standardize=bool(standardize),
                   positive=bool(positive), tol=float(tol), max_iter=int(max_iter),
                   screening=bool(screening), n_threads=0 if n_threads is None else int(n_threads),
                   acceleration=bool(acceleration), random=seed is not None,
                   seed=0 if seed is None else int(seed), gram=int(gram))
    if _tall.use_tall(X, y, gram=gram, seed=seed, coef_init=coef_init, n_alphas=n_alphas):
        # tall dense data: statistics by BLAS, then the working-set Gram-path solver
        result = _tall.tall_path(
            X, y, l1_ratio=options["l1_ratio"], alphas=grid, n_alphas=n_alphas,
            eps=options["eps"], fit_intercept=options["fit_intercept"],
            standardize=options["standardize"], positive=options["positive"], tol=options["tol"],
            max_iter=options["max_iter"], sample_weight=sample_weight,
            penalty_factor=penalty_factor, screening=options["screening"],
            acceleration=options["acceleration"], n_threads=n_threads)
        if result is not None:
            return result
    return _core_paths.path(X, y, _core_paths.path_options(**options),
                            sample_weight=sample_weight, penalty_factor=penalty_factor,
                            coef_init=coef_init, alphas=grid, progress=counter)


def _gram_mode(precompute):
    """scikit-learn's `precompute` as the core's Gram mode: 1 on, 0 off, -1 automatic (also
    for a precomputed Gram matrix, which is not used: the core builds its own)."""
    if isinstance(precompute, str):
        if precompute != "auto":
            raise ValueError(f"precompute: must be a bool, 'auto' or an array, got {precompute!r}")
        return -1
    if isinstance(precompute, (bool, np.bool_)):
        return int(bool(precompute))
    if hasattr(precompute, "shape"):
        return -1
    raise TypeError(f"precompute: must be a bool, 'auto' or an array, got {type(precompute).__name__}")


def _random_seed(random_state):
    """A 64-bit seed from scikit-learn's random_state conventions: None (numpy's global
    RandomState), an int, a RandomState or a Generator."""
    if random_state is None:
        return int(np.random.randint(0, 2**31))
    if isinstance(random_state, (numbers.Integral, np.integer)) and not isinstance(random_state, bool):
        return int(random_state) % 2**64
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63))
    raise TypeError(f"random_state: expected None, an int, a RandomState or a Generator, "
                    f"got {type(random_state).__name__}")


def _warn_not_converged(result, stacklevel=3):
    bad = ~result["converged"]
    if bad.any():
        last = tuple(np.argwhere(bad)[-1])  # (alpha,) or (target, alpha)
        tol = np.asarray(result["tol_scaled"])[last[:-1]]
        target = f" (target {last[0]})" if len(last) == 2 else ""
        warnings.warn(
            f"Objective did not converge for {int(bad.sum())} of {bad.size} alpha(s). You "
            "might want to increase the number of iterations (max_iter), check the scale of "
            "the features or consider increasing regularisation. Duality gap"
            f"{target}: {result['dual_gaps'][last]:.6e}, tolerance: {float(tol):.3e}",
            sklearn_compatible(ConvergenceWarning), stacklevel=stacklevel)


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, alphas=100, n_alphas=None, precompute="auto",
              Xy=None, copy_X=True, coef_init=None, verbose=False, return_n_iter=False,
              positive=False, check_input=True, tol=1e-4, max_iter=1000,
              fit_intercept=False, sample_weight=None, penalty_factor=None,
              standardize=False, return_intercept=False, n_threads=None, progress=None):
    """Compute the elastic-net path by coordinate descent.

    The objective is scikit-learn's (see the module docstring); the arguments and return
    values of :func:`sklearn.linear_model.enet_path` are accepted, plus glmnet-style extras.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data. float32 and float64 are kept; dense data is used in place when
        F-ordered, sparse data when CSC (other layouts are converted once).
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target(s), converted to X's dtype. With several targets, each gets its own
        independent model (not scikit-learn's multi-task one), fitted in parallel; they
        share their passes over X, so k targets cost far less than k calls.
    l1_ratio : float, default=0.5
        Mixing parameter in [0, 1]: 1 is the lasso, 0 ridge.
    eps : float, default=1e-3
        ``alpha_min / alpha_max`` of a generated grid.
    alphas : int or array-like, default=100
        Number of alphas on the generated grid, or the alphas themselves (sorted
        decreasing before use).
    n_alphas : int, optional
        Older spelling of ``alphas`` as a grid size.
    precompute : bool or 'auto', default='auto'
        Covariance (Gram) updates for dense X: True, False, or 'auto' (when
        n_samples >= 10 n_features and n_features <= 4096). A precomputed Gram matrix is
        accepted and not used (treated as 'auto').
    Xy, copy_X, verbose, check_input
        Accepted for compatibility with scikit-learn and ignored (X is never copied or
        modified).
    coef_init : array-like of shape (n_features,) or (n_targets, n_features), optional
        Starting coefficients (warm start) for the first alpha.
    return_n_iter : bool, default=False
        Also return the number of epochs per alpha.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    tol : float, default=1e-4
        Tolerance (scikit-learn's semantics).
    max_iter : int, default=1000
        Maximum number of epochs per alpha.
    fit_intercept : bool, default=False
        Fit an unpenalized intercept (X and y are centered implicitly). scikit-learn's
        path functions never do; its estimators do.
    sample_weight : array-like of shape (n_samples,), optional
        Observation weights (normalized to sum to n_samples).
    penalty_factor : array-like of shape (n_features,), optional
        Non-negative per-feature multipliers of both penalties (glmnet); 0 leaves a
        feature unpenalized. Not rescaled.
    standardize : bool, default=False
        Penalize coefficients of the columns scaled to unit weighted variance (glmnet);
        the returned coefficients are in X's units.
    return_intercept : bool, default=False
        Also return the intercepts (after the dual gaps).
    n_threads : int, optional
        Use at most this many threads (default: :func:`fastreg.get_num_threads`).
    progress : bool or callable, default=None
        Report the alphas fitted while the path runs: True draws a bar on stderr; a
        callable is called as ``progress(done, total)`` (alphas fitted over all targets),
        at most every 0.2 s while ``done`` grows and once with ``done == total`` at the
        end, from a thread of its own (an exception it raises is raised when the core
        call returns). With ``coef_init``, and on tall dense data solved through the Gram
        matrix, the count arrives at the end only.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        With several targets and a generated grid, shape (n_targets, n_alphas): each
        target's grid starts at its own alpha_max.
    coefs : ndarray of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,) or (n_targets, n_alphas)
    intercepts : ndarray of shape (n_alphas,) or (n_targets, n_alphas)
        Only with ``return_intercept=True``.
    n_iters : list of int (a list per target with several targets)
        Only with ``return_n_iter=True``.

    Warns
    -----
    ConvergenceWarning
        When some alpha did not reach the tolerance within ``max_iter`` epochs.
    """
    del Xy, copy_X, verbose, check_input
    gram = _gram_mode(precompute)
    if n_alphas is not None:
        alphas = n_alphas
    l1_ratio = v.unit_interval(l1_ratio, "l1_ratio")
    eps = v.positive_real(eps, "eps")
    alphas = v.alpha_grid(100 if alphas is None else alphas)
    tol = v.nonnegative(tol, "tol")
    max_iter = v.positive_int(max_iter, "max_iter")
    positive = v.boolean(positive, "positive")
    fit_intercept = v.boolean(fit_intercept, "fit_intercept")
    standardize = v.boolean(standardize, "standardize")
    n_threads = None if n_threads is None else v.thread_count(n_threads)
    X = v.design_matrix(X)
    n, p = X.shape
    y = v.target_array(y, n, X.dtype)
    targets = None if y.ndim == 1 else y.shape[1]
    result = _solve_path(
        X, y, l1_ratio=l1_ratio, alphas=alphas, eps=eps, fit_intercept=fit_intercept,
        standardize=standardize, positive=positive, tol=tol, max_iter=max_iter,
        sample_weight=v.sample_weights(sample_weight, n, X.dtype),
        penalty_factor=v.feature_vector(penalty_factor, p, X.dtype, "penalty_factor"),
        coef_init=v.coef_vector(coef_init, p, X.dtype, n_targets=targets),
        n_threads=n_threads, gram=gram, progress=progress,
        name="lasso_path" if l1_ratio == 1 else "enet_path")
    _warn_not_converged(result)
    out = [result["alphas"], result["coefs"], result["dual_gaps"]]
    if return_intercept:
        out.append(result["intercepts"])
    if return_n_iter:
        out.append(result["n_iter"].tolist())
    return tuple(out)


def lasso_path(X, y, *, eps=1e-3, alphas=100, n_alphas=None, precompute="auto", Xy=None,
               copy_X=True, coef_init=None, verbose=False, return_n_iter=False,
               positive=False, **params):
    """Compute the lasso path by coordinate descent: :func:`enet_path` with
    ``l1_ratio=1``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,)
        Target.
    eps, alphas, n_alphas, precompute, Xy, copy_X, coef_init, verbose, return_n_iter, positive
        As for :func:`enet_path`.
    **params
        Further keyword arguments of :func:`enet_path` (``tol``, ``max_iter``,
        ``fit_intercept``, ``sample_weight``, ``penalty_factor``, ``standardize``,
        ``return_intercept``, ``n_threads``, ``progress``).

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    intercepts, n_iters
        As for :func:`enet_path`, when asked for.
    """
    if "l1_ratio" in params:
        raise TypeError("lasso_path: l1_ratio is fixed to 1; use enet_path")
    return enet_path(X, y, l1_ratio=1.0, eps=eps, alphas=alphas, n_alphas=n_alphas,
                     precompute=precompute, Xy=Xy, copy_X=copy_X, coef_init=coef_init,
                     verbose=verbose, return_n_iter=return_n_iter, positive=positive,
                     **params)
