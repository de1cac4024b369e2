"""Tall dense data through the summary-statistics solver (cd/gram_path.hpp).

When the core would run in Gram mode (dense X, n >= 10 p), its covariance updates sweep
all p coordinates every epoch, without working sets or acceleration. The Gram-path solver
has both, and needs only the statistics; here they are computed with BLAS, on blocks of
rows of X (a centered float64 copy of one block at a time: X is never copied whole nor
modified), for the problem enet.hpp solves:

    x~_j = (x_j - mu_j) / s_j    (weighted means mu when fitting an intercept, else 0;
                                  s_j = sqrt(sum_i v_i (x_ij - mu_j)^2) with standardize,
                                  else 1)
    Q = X~^T V X~,  q = X~^T V (y - ybar),  c = sum_i v_i (y_i - ybar)^2

with v the sample weights normalized to sum 1 (1/n without weights). The Gram-path
objective 1/(2n) ||y - Xw||^2 equals enet_path's sum_i v_i r_i^2 / 2 for XtX = n Q,
Xty = n q, yty = n c and n = the number of rows; then its gradients G / n, ||r||^2 / n,
duality gaps and tolerance tol * yty / n = tol * c are those of enet_path in the same units
(n, not 1, because the gap without any penalty is scikit-learn's n ||X~^T V r||^2 in both).
"""

from __future__ import annotations

import numpy as np

from .. import _core
from ._block_sums import blas_one_thread, block_sums, share_blocks, threads_for
from ._ridge_solvers import _blocks

# enet.hpp's threshold for a constant column: centered values within 64 eps (of X's dtype)
# times |mean| are rounding noise; indexed by "X is float32"
_EPS64 = (64.0 * float(np.finfo(np.float64).eps), 64.0 * float(np.finfo(np.float32).eps))

# A single fit (one alpha) with less Gram work than this, n p^2 multiply-adds, stays with
# the core: there the statistics' Python calls cost more than they save (measured per
# Lasso(precompute=True).fit: diabetes, 442 x 10, 150 us against 105 us; about even at
# 1000 x 20 and 1500 x 30; 2000 x 40, 530 us against 710 us). Paths are faster this way at
# any size (working sets and warm starts: diabetes' 100 alphas in 250 us against 960 us).
_SMALL_SINGLE_FIT = 1 << 21


def use_tall(X, y, *, gram, seed, coef_init, n_alphas):
    """Whether _solve_path should fit through the statistics: dense X, the core's Gram mode
    (``_core.use_gram``: forced, or automatic), cyclic order, no starting coefficients
    (those calls, such as warm starts and the chunked positive ridge, keep the core's path
    with its epoch counts), and not a small single fit. Several targets (2-d y) share the
    statistics of X: one X~^T V X~ for all of them."""
    if not isinstance(X, np.ndarray) or seed is not None or coef_init is not None:
        return False
    n, p = X.shape
    if not _core.use_gram(n, p, gram):  # (the core's own decision)
        return False
    return n_alphas > 1 or n * p * p >= _SMALL_SINGLE_FIT


def _statistics(X, y, sample_weight, fit_intercept, threads=1):
    """(mean, Q_raw, q_raw, ybar, c): the weighted means mu, X_c^T V X_c * n and
    X_c^T V (y - ybar) * n with X_c = X - mu, ybar and c. X is read once for the means and
    once more in blocks of rows for the products (block_sums: on up to `threads` threads,
    the same sums whatever their number): the means, then the centered products (centering
    before multiplying: no cancellation when the means are large against the spread). For
    a 2-d y (n, k), ybar and c are (k,) and q_raw is (p, k): one product for all the
    targets."""
    n, p = X.shape
    y = np.asarray(y, dtype=np.float64)
    if sample_weight is None:
        v = None
        ybar = np.add.reduce(y, axis=0) / n if fit_intercept else np.zeros(y.shape[1:])
    else:
        sw = np.asarray(sample_weight, dtype=np.float64)
        v = sw / np.add.reduce(sw)
        ybar = v @ y if fit_intercept else np.zeros(y.shape[1:])
    yc = y - ybar if np.any(ybar != 0.0) else y
    c = np.add.reduce(yc * yc, axis=0) / n if v is None else v @ (yc * yc)

    if v is None:
        mean = np.add.reduce(X, axis=0, dtype=np.float64) / n
    else:
        mean = np.zeros(p)
        for i0, i1 in _blocks(n, p):
            Xb = X[i0:i1]
            mean += v[i0:i1] @ (Xb if X.dtype == np.float64 else Xb.astype(np.float64))

    # Without weights the sums are n times the weighted ones already; with weights, the
    # rows scaled by sqrt(n v_i) keep the product B^T B, which numpy computes by syrk.
    root = None if v is None else np.sqrt(v * n)

    def block(i0, i1):
        if fit_intercept:
            B = np.subtract(X[i0:i1], mean, dtype=np.float64)  # a copy of the block only
        else:
            B = np.asarray(X[i0:i1], dtype=np.float64)  # float64 X: no copy
        t = yc[i0:i1]
        if root is not None:
            r = root[i0:i1, None]
            B = B * r if np.may_share_memory(B, X) else np.multiply(B, r, out=B)
            t = t * (root[i0:i1] if t.ndim == 1 else root[i0:i1, None])
        return B.T @ B, np.asarray(B.T @ t, dtype=np.float64)

    Q, q = block_sums(block, _row_blocks(n, p), threads)
    if y.ndim == 1:
        return mean, Q, q, float(ybar), float(c)
    return mean, Q, q, ybar, c


def _row_blocks(n, p):
    """The row blocks of the products (block_sums' blocks: fixed by the shape alone)."""
    return share_blocks(n, p)


def tall_path(X, y, *, l1_ratio, alphas, n_alphas, eps, fit_intercept, standardize, positive,
              tol, max_iter, sample_weight, penalty_factor, screening, acceleration,
              n_threads):
    """_solve_path's result dict for dense X, from the statistics; or None when the Gram
    path cannot reproduce the core's answer (then the caller runs the core): a generated
    grid with unpenalized features (the core takes alpha_max after fitting them to the
    tolerance with its own sweeps, which this solver would not reproduce exactly), or a
    Gram matrix found indefinite (rounding on a singular X~^T V X~).

    A 2-d y (n, k) gives the core's multi-target result: one X~^T V X~ for every target,
    then the k paths on up to n_threads threads."""
    n, p = X.shape
    targets = y.shape[1] if y.ndim == 2 else 0
    threads = threads_for(n_threads)
    with blas_one_thread(n * p * (p // 2 + max(targets, 1))):
        mean, Q, q, ybar, c = _statistics(X, y, sample_weight, fit_intercept, threads)
    ssq = Q.diagonal() / n  # sum_i v_i (x_ij - mu_j)^2, as enet.hpp's column statistics
    pf = None if penalty_factor is None else np.asarray(penalty_factor, dtype=np.float64)

    # Columns enet.hpp leaves out (coefficient 0): constant ones, whose centered values are
    # rounding noise (its threshold: 64 eps of X's dtype times |mean|), all-zero ones, and
    # those with an infinite penalty factor.
    usable = ssq > 0.0
    if fit_intercept:
        noise = _EPS64[X.dtype.itemsize == 4] * np.abs(mean)
        usable &= ssq > noise * noise
    if pf is not None:
        usable &= np.isfinite(pf)
    if pf is not None and alphas is None and (pf[usable] <= 0.0).any():
        return None

    every = bool(usable.all())
    if every:
        keep = slice(None)
    else:
        keep = np.flatnonzero(usable)
        Q = Q[np.ix_(keep, keep)]
        q = q[keep]
    m = q.shape[0]
    s = None
    if standardize and m:
        s = np.sqrt(ssq[keep])
        Q /= np.outer(s, s)  # still symmetric exactly: s_j s_k = s_k s_j in floating point
        np.fill_diagonal(Q, float(n))  # as enet.hpp: unit variance exactly
        q /= s if q.ndim == 1 else s[:, None]
    diag = Q.diagonal().copy()
    pfk = None if pf is None else np.ascontiguousarray(pf[keep])
    k = n_alphas if alphas is None else len(alphas)

    def path(qt, ct, ybar_t):
        """One target's path: (grid, coefs (p, k), intercepts, gaps, n_iter, converged,
        epochs), or None when its Gram matrix is found indefinite."""
        if m:
            grid, w, gaps, n_iter, converged, stats = _core.enet_path_gram_dense(
                Q, diag, np.ascontiguousarray(qt), float(n), float(n) * ct, pfk, None,
                alphas=alphas, n_alphas=n_alphas, eps=eps, l1_ratio=l1_ratio,
                positive=positive, tol=tol, max_iter=max_iter, screening=screening,
                acceleration=acceleration)
            if stats["unbounded_at"] >= 0:
                return None
            epochs = int(stats["epochs"])
        else:  # nothing to fit: every coefficient is 0 (the core's grid, alpha_max = 0)
            grid = np.full(k, 1e-15) if alphas is None else np.array(alphas, dtype=np.float64)
            w = np.zeros((0, k), order="F")
            gaps = np.zeros(k)
            n_iter = np.zeros(k, dtype=np.int64)
            converged = np.ones(k, dtype=np.uint8)
            epochs = 0
        # coefficients of X's columns: w_j / s_j; intercept ybar - sum_j mu_j coef_j
        if s is not None:
            w /= s[:, None]
        if every:
            coefs = w
        else:
            coefs = np.zeros((p, k), order="F")
            coefs[keep] = w
        intercepts = ybar_t - mean @ coefs if fit_intercept else np.zeros(k)
        return grid, coefs, intercepts, gaps, n_iter, converged.astype(bool), epochs

    # the core counts its column statistics and its Gram build as two passes over X: so
    # do the two passes here; no gradient is computed from X
    if not targets:
        one = path(q, c, ybar)
        if one is None:
            return None
        grid, coefs, intercepts, gaps, n_iter, converged, epochs = one
        return dict(alphas=grid, coefs=coefs.astype(X.dtype, order="F", copy=False),
                    intercepts=intercepts.astype(X.dtype), dual_gaps=gaps, n_iter=n_iter,
                    converged=converged, tol_scaled=tol * c, full_passes=2, epochs=epochs,
                    grad_columns=0, n_done=k, val_mse=None)

    runs = _each_target(lambda t: path(q[:, t], c[t], ybar[t]), targets, n_threads)
    if any(r is None for r in runs):
        return None
    grid, coefs, intercepts, gaps, n_iter, converged, epochs = (list(z) for z in zip(*runs))
    return dict(alphas=np.stack(grid) if alphas is None else grid[0],
                # the core's layout: (targets, p, k), each target's path F-ordered
                coefs=np.stack([w.T for w in coefs]).astype(X.dtype, copy=False).transpose(0, 2, 1),
                intercepts=np.stack(intercepts).astype(X.dtype), dual_gaps=np.stack(gaps),
                n_iter=np.stack(n_iter), converged=np.stack(converged),
                tol_scaled=tol * np.asarray(c), full_passes=np.full(targets, 2),
                epochs=np.array(epochs, dtype=np.int64),
                grad_columns=np.zeros(targets, dtype=np.int64), shared_passes=2)


def _each_target(f, targets, n_threads):
    """[f(t) for t < targets], on up to n_threads threads (default: fastreg's): the core's
    Gram path releases the GIL and runs on one core."""
    threads = min(targets, _core.get_num_threads() if n_threads is None else int(n_threads))
    if threads <= 1:
        return [f(t) for t in range(targets)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(f, range(targets)))
