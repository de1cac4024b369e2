"""Checks of summary statistics (``X^T X``, ``X^T y``, ``y^T y``) before the core sees them.

Every error is a ValueError naming the argument. The core reads XtX's column j as its row
j too, so symmetry is checked: in full for sparse matrices (one ``A - A.T``, O(nnz)) and
dense ones up to ``FULL_CHECK_MAX`` features (block by block, no p x p temporary), on a
fixed random sample of entry pairs beyond. Positive semidefiniteness is not checked here (it
would cost a factorization); the solver reports a direction of negative curvature.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v

FULL_CHECK_MAX = 5000   # dense XtX: every entry pair checked up to this many features
SAMPLE_PAIRS = 100_000  # beyond: this many random entry pairs (and the whole diagonal)
_BLOCK_ROWS = 256


def _symmetry_tolerance(dtype, scale):
    """|A_ij - A_ji| allowed: a cross product computed by BLAS (gemm) need not come out
    exactly symmetric; its rounding errors are far below sqrt(eps) of the largest
    diagonal entry (which bounds every |A_ij| of a Gram matrix)."""
    return float(np.sqrt(np.finfo(dtype).eps)) * scale


def _scale(diag, largest):
    d = float(diag.max()) if diag.size else 0.0
    return d if d > 0.0 else largest


def gram_matrix(XtX, name="XtX"):
    """(Q, diag): XtX as a float64 C/F-contiguous ndarray or a float64 CSC/CSR matrix
    (with int32/int64 indices), and its diagonal (float64, contiguous)."""
    if XtX is None:
        raise ValueError(f"{name}: expected a 2-d array or sparse matrix, got None")
    if v.is_sparse(XtX):
        return _sparse_gram(XtX, name)
    try:
        a = np.asarray(XtX)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name}: {e}") from e
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name}: expected a square 2-d array, got shape {a.shape}")
    if a.shape[0] < 1:
        raise ValueError(f"{name}: needs at least one feature, got shape {a.shape}")
    in_dtype = v._numeric_dtype(a.dtype, name)
    if a.dtype != np.float64 or not (a.flags.c_contiguous or a.flags.f_contiguous):
        a = v._cast(a, np.float64, name, order="K" if a.flags.f_contiguous else "C")
        if not (a.flags.c_contiguous or a.flags.f_contiguous):
            a = np.ascontiguousarray(a)
    v._all_finite(a, name)
    diag = np.ascontiguousarray(np.diagonal(a), dtype=np.float64)
    _check_diagonal(diag, name)
    tol = _symmetry_tolerance(in_dtype, _scale(diag, float(np.abs(a).max())))
    p = a.shape[0]
    if p <= FULL_CHECK_MAX:
        for i in range(0, p, _BLOCK_ROWS):
            rows = a[i:i + _BLOCK_ROWS, :]
            cols = a[:, i:i + _BLOCK_ROWS].T
            err = np.abs(rows - cols)
            if err.max() > tol:
                r, c = np.unravel_index(int(err.argmax()), err.shape)
                _asymmetric(name, i + r, c, a)
    else:
        rng = np.random.default_rng(0)
        i = rng.integers(0, p, SAMPLE_PAIRS)
        j = rng.integers(0, p, SAMPLE_PAIRS)
        err = np.abs(a[i, j] - a[j, i])
        if err.max() > tol:
            k = int(err.argmax())
            _asymmetric(name, int(i[k]), int(j[k]), a)
    return a, diag


def _sparse_gram(XtX, name):
    if XtX.ndim != 2 or XtX.shape[0] != XtX.shape[1]:
        raise ValueError(f"{name}: expected a square sparse matrix, got shape {XtX.shape}")
    if XtX.shape[0] < 1:
        raise ValueError(f"{name}: needs at least one feature, got shape {XtX.shape}")
    v.check_sparse_structure(XtX, name)
    in_dtype = v._numeric_dtype(np.dtype(XtX.dtype), name)
    # CSR of a symmetric matrix is the CSC of its transpose, i.e. of itself: used as is
    if XtX.format not in ("csc", "csr"):
        XtX = XtX.tocsc()
    if XtX.dtype != np.float64:
        XtX = XtX.astype(np.float64)
    if XtX.indices.dtype != XtX.indptr.dtype or XtX.indices.dtype not in (np.int32, np.int64):
        XtX = XtX.copy()
        XtX.indices = XtX.indices.astype(np.int64)
        XtX.indptr = XtX.indptr.astype(np.int64)
    if not XtX.has_sorted_indices:
        # sorted rows make a banded column one run, updated by a contiguous axpy (and a
        # scatter over unsorted rows wanders in memory); sorted on a copy, never in place
        XtX = XtX.copy()
        XtX.sort_indices()
    v._all_finite(XtX.data, name)
    diag = np.ascontiguousarray(XtX.diagonal(), dtype=np.float64)
    _check_diagonal(diag, name)
    largest = float(np.abs(XtX.data).max()) if XtX.nnz else 0.0
    tol = _symmetry_tolerance(in_dtype, _scale(diag, largest))
    diff = abs(XtX - XtX.T).tocoo()
    if diff.nnz and diff.data.max() > tol:
        k = int(diff.data.argmax())
        _asymmetric(name, int(diff.row[k]), int(diff.col[k]), XtX,
                    hint=" (a sparse XtX must store both triangles)")
    return XtX, diag


def _asymmetric(name, i, j, a, hint=""):
    raise ValueError(f"{name}: must be symmetric; entries ({i}, {j}) and ({j}, {i}) are "
                     f"{a[i, j]!r} and {a[j, i]!r}{hint}")


def _check_diagonal(diag, name):
    if (diag < 0).any():
        j = int(np.flatnonzero(diag < 0)[0])
        raise ValueError(f"{name}: diagonal must be non-negative (squared column norms); "
                         f"entry ({j}, {j}) is {diag[j]!r}")


def gram_vector(Xty, p, name="Xty"):
    """Xty as a contiguous float64 vector of length p with finite values."""
    if Xty is None or v.is_sparse(Xty):
        raise ValueError(f"{name}: expected a 1-d array of {p} values")
    a = np.asarray(Xty)
    v._numeric_dtype(a.dtype, name)
    if a.ndim == 2 and 1 in a.shape:  # a column or row vector (X.T @ y with y 2-d)
        a = a.reshape(-1)
    if a.shape != (p,):
        raise ValueError(f"{name}: expected shape ({p},) to match XtX, got {a.shape}")
    a = np.ascontiguousarray(v._cast(a, np.float64, name, order="C"))
    v._all_finite(a, name)
    return a


def yty_value(yty, name="yty"):
    """None, or y^T y as a finite non-negative float."""
    if yty is None:
        return None
    try:
        return v.nonnegative(yty, name)
    except TypeError as e:
        raise ValueError(str(e)) from None
