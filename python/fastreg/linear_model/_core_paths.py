"""The core's paths, as every entry point calls them: one options object
(``_core.PathOptions``, whose defaults are the core's), one core function per design kind
and family (``enet_path_<kind>``, ``logistic_path_<kind>``) and one for the shared-pass
paths of a cross-validation, one result dict.

A design gives the core its leading arguments through ``design_arguments``: dense X itself,
CSC X's arrays, and a ``Genotypes``' own ``_core_design`` (its stored data, sample subset,
imputation values and covariates), which the paths and the cross-validation both use."""

from __future__ import annotations

import numpy as np

from .. import _core
from .. import _validation as v


def path_options(**values):
    """A ``_core.PathOptions`` with these fields set (the others keep the core's defaults):
    l1_ratio, fit_intercept, standardize, positive, tol, max_iter, screening, n_threads (0:
    the default), acceleration, random, seed, gram (1 on, 0 off, -1 automatic), n_alphas,
    eps, patience, max_alphas, sparse_coefs."""
    options = _core.PathOptions()
    for name, value in values.items():
        setattr(options, name, value)
    return options


def grid_arguments(alphas, l1_ratio):
    """(grid, n_alphas) of a path's ``alphas``: an int is a generated grid's size (grid
    None), else the decreasing float64 array itself. ValueError for a generated grid with
    l1_ratio 0 (alpha_max is infinite without an l1 penalty)."""
    if isinstance(alphas, (int, np.integer)):
        if l1_ratio == 0:
            raise ValueError("l1_ratio: automatic alpha grids need l1_ratio > 0; pass alphas")
        return None, int(alphas)
    return alphas, len(alphas)


def design_arguments(X, dtype):
    """(kind, leading arguments, default penalty factors or None) of X for the core's
    ``enet_path_<kind>`` and ``enet_paths_cv_<kind>``."""
    if v.is_genotypes(X):
        return X._core_design(dtype)
    if v.is_sparse(X):
        return "csc", (X.data, X.indices, X.indptr, X.shape[0]), None
    return "dense", (X,), None


def path(X, y, options, *, sample_weight=None, penalty_factor=None, coef_init=None,
         alphas=None, val_weights=None, progress=None):
    """One path (1-d y) or one per column of a 2-d F-ordered y, sharing their passes over X.
    alphas: a decreasing float64 array, or None for a generated grid. progress: None, or
    a 1-element int64 array that the core increments per alpha fitted (not advanced with
    coef_init). Returns the core's result dict (alphas, coefs, coefs_csc, intercepts,
    dual_gaps, n_iter, converged, n_done, val_mse, tol_scaled, full_passes, epochs,
    grad_columns; shared_passes with 2-d y)."""
    if progress is not None and coef_init is None and val_weights is None:
        return _counted_path(X, y, options, sample_weight, penalty_factor, alphas, progress)
    kind, args, pf = design_arguments(X, y.dtype)
    result = getattr(_core, f"enet_path_{kind}")(
        *args, y, sample_weight, pf if penalty_factor is None else penalty_factor, coef_init,
        alphas, val_weights, options)
    result["converged"] = result["converged"].astype(bool)
    return result


def cv_paths(X, y, targets, sample_weights, val_weights, alphas, penalty_factor, options,
             progress=None):
    """Several paths on X in one core call, sharing their passes (per task: the column of
    a 2-d y in ``targets``, sample weights, validation weights, grid or None). Returns
    (one result dict per task, the passes over X they shared)."""
    kind, args, pf = design_arguments(X, y.dtype)
    results, shared = getattr(_core, f"enet_paths_cv_{kind}")(
        *args, y, targets, sample_weights, val_weights, alphas,
        pf if penalty_factor is None else penalty_factor, options, progress)
    for result in results:
        result["converged"] = result["converged"].astype(bool)
    return results, shared


def _counted_path(X, y, options, sample_weight, penalty_factor, alphas, progress):
    """``path`` with a progress counter: the paths as tasks of the shared-pass call, which
    takes one (a single task runs alone, as ``enet_path_<kind>`` runs it; several share
    their passes, as its 2-d y does: the same fits), in ``path``'s result format."""
    import numpy as np

    m = 1 if y.ndim == 1 else y.shape[1]
    targets = None if y.ndim == 1 else np.arange(m, dtype=np.int64)
    results, shared = cv_paths(X, y, targets, [sample_weight] * m, [None] * m, [alphas] * m,
                               penalty_factor, options, progress)
    if y.ndim == 1:
        return results[0]
    out = {key: np.stack([r[key] for r in results])
           for key in ("coefs", "intercepts", "dual_gaps", "n_iter", "converged")}
    for key in ("tol_scaled", "full_passes", "epochs", "grad_columns"):
        out[key] = np.array([r[key] for r in results])
    out["alphas"] = (np.stack([r["alphas"] for r in results]) if alphas is None
                     else results[0]["alphas"])
    out.update(coefs_csc=None, n_done=results[0]["n_done"], val_mse=None,
               shared_passes=shared)
    return out


def logistic_path(X, y, options, *, sample_weight=None, penalty_factor=None, coef_init=None,
                  alphas=None, offset=None, intercept_init=0.0, early_stop=True):
    """The binomial family's path (y: 0/1 in X's dtype), with the family's extras: a fixed
    offset, the starting intercept and glmnet's early stops along a generated grid. Returns
    the core's result dict (as ``path``'s, n_iter counting Newton steps and dual_gaps None)
    with deviance, null_deviance and stop."""
    kind, args, pf = design_arguments(X, y.dtype)
    result = getattr(_core, f"logistic_path_{kind}")(
        *args, y, sample_weight, pf if penalty_factor is None else penalty_factor, coef_init,
        alphas, offset, float(intercept_init), bool(early_stop), options)
    result["converged"] = result["converged"].astype(bool)
    return result
