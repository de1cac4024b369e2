"""Input checks shared by every entry point.

Every error names the argument it is about. Arrays may be NumPy or CuPy: the checks use
the array's own module (``xp``) and never import CuPy themselves.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np

UINT64_LIMIT = 2**64


def is_cupy(a) -> bool:
    """True for a CuPy array, without importing CuPy."""
    module = type(a).__module__
    return module == "cupy" or module.startswith("cupy.")


def array_module(a):
    """numpy, or cupy for a CuPy array."""
    if is_cupy(a):
        import cupy

        return cupy
    return np


def float_array(x, name: str):
    """x as a float32/float64 array of its own module: float32 and float64 are kept,
    float16 becomes float32, integers and bool become float64; anything else is a
    TypeError."""
    xp = array_module(x)
    a = x if isinstance(x, xp.ndarray) else xp.asarray(x)
    kind = a.dtype.kind
    if a.dtype in (np.float32, np.float64):
        pass
    elif a.dtype == np.float16:
        a = a.astype(np.float32)
    elif kind in "biu":
        a = a.astype(np.float64)
    else:
        raise TypeError(
            f"{name}: expected an array of real numbers (float32, float64, integer or bool), "
            f"got dtype {a.dtype}"
        )
    if not a.flags.aligned:  # the kernels read whole elements
        a = a.copy()
    return a


def real_scalar(value, name: str) -> float:
    """A real number (Python or NumPy, or a 0-d array) as a float; TypeError otherwise."""
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):  # 0-d NumPy or CuPy array
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    return _as_float(value)


def _as_float(value) -> float:
    """float(value), with an int beyond float64's range as an infinity of its sign (the
    caller's range check then names the argument, instead of an OverflowError)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def probability(p) -> float:
    """The dropout probability: a real number in [0, 1]."""
    p = real_scalar(p, "p")
    if not 0.0 <= p <= 1.0:  # NaN fails both comparisons
        raise ValueError(f"p: must be in [0, 1], got {p}")
    return p


def integer(value, name: str) -> int:
    """A Python or NumPy integer as an int: TypeError for anything else, bool included."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected an int, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}") from None


def uint64(value, name: str) -> int:
    """An integer in [0, 2**64)."""
    v = integer(value, name)
    if not 0 <= v < UINT64_LIMIT:
        raise ValueError(f"{name}: must be in [0, 2**64), got {v}")
    return v


def offset_for(offset, size: int) -> int:
    """A dropout offset: the global index of element 0, with room for `size` elements."""
    offset = uint64(offset, "offset")
    if offset + size > UINT64_LIMIT:
        raise ValueError(f"offset: offset + size must not exceed 2**64, got {offset} + {size}")
    return offset


def keep_threshold(p: float) -> int:
    """Philox words below this are kept: floor((1 - p) * 2**32), in [0, 2**32]. Computed
    here, in Python's IEEE doubles, so that CPU and GPU share one value bit for bit."""
    return math.floor((1.0 - p) * 4294967296.0)


def dropout_scale(p: float) -> float:
    """1 / (1 - p), the factor on kept elements (0 when nothing is kept)."""
    return 1.0 / (1.0 - p) if p < 1.0 else 0.0


def shape_tuple(shape) -> tuple:
    """An int or a sequence of non-negative ints as a tuple."""
    try:
        dims = (operator.index(shape),)
    except TypeError:
        try:
            dims = tuple(operator.index(d) for d in shape)
        except TypeError:
            raise TypeError(f"shape: expected an int or a tuple of ints, got {shape!r}") from None
    if any(d < 0 for d in dims):
        raise ValueError(f"shape: dimensions must be non-negative, got {dims}")
    return dims


def penalty_parameter(value, name: str, x):
    """A non-negative threshold-like parameter for the elementwise array x: a float (for a
    scalar) or an array of x's dtype broadcast to x's shape (a view, never a copy of x's
    size)."""
    if type(value) is float or type(value) is int:  # the common case, kept cheap
        if not value >= 0:
            raise ValueError(f"{name}: must be non-negative (and not NaN), got {value}")
        return _as_float(value)
    xp = array_module(x)
    ndim = value.ndim if is_cupy(value) else np.ndim(value)
    if ndim == 0:
        v = real_scalar(value, name)
        if not v >= 0.0:
            raise ValueError(f"{name}: must be non-negative (and not NaN), got {v}")
        return v
    a = float_array(value if isinstance(value, xp.ndarray) else xp.asarray(value), name)
    try:
        shape = np.broadcast_shapes(a.shape, x.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise ValueError(f"{name}: shape {a.shape} does not broadcast to x's shape {x.shape}")
    a = a.astype(x.dtype, copy=False)
    if a.size and not bool((a >= 0).all()):  # NaN fails the comparison too
        raise ValueError(f"{name}: must be non-negative (and not NaN) everywhere")
    return xp.broadcast_to(a, x.shape)


def _data_pointer(a) -> int:
    return a.data.ptr if is_cupy(a) else a.__array_interface__["data"][0]


def _same_view(a, b) -> bool:
    return _data_pointer(a) == _data_pointer(b) and a.shape == b.shape and a.strides == b.strides


def _overlaps(a, b) -> bool:
    xp = array_module(a)
    if not xp.may_share_memory(a, b):
        return False
    if xp is not np:
        return True  # on the GPU the bounds check is all we do: refuse to guess
    try:
        return bool(np.shares_memory(a, b, max_work=10**5))
    except np.exceptions.TooHardError:
        return True


def output(out, like, inputs=()):
    """Checks a caller's `out=` against the result's model `like` (same shape, dtype and
    array type; writeable) and that it overlaps none of `inputs` ((name, array) pairs)
    except by being exactly the same view of the first one (in place). Without `out`,
    a new array with like's memory layout (C or F)."""
    xp = array_module(like)
    shape, dtype = like.shape, like.dtype
    if out is None:
        f_order = like.flags.f_contiguous and not like.flags.c_contiguous
        return xp.empty(shape, dtype=dtype, order="F" if f_order else "C")
    if not isinstance(out, xp.ndarray):
        raise TypeError(f"out: expected a {xp.__name__}.ndarray, got {type(out).__name__}")
    if out.dtype != dtype:
        raise TypeError(f"out: dtype {out.dtype} differs from the result's dtype {np.dtype(dtype)}")
    if out.shape != tuple(shape):
        raise ValueError(f"out: shape {out.shape} differs from the result's shape {tuple(shape)}")
    if xp is np and not out.flags.writeable:
        raise ValueError("out: array is read-only")
    if not out.flags.aligned:
        raise ValueError("out: array is not aligned")
    for k, (name, a) in enumerate(inputs):
        if not isinstance(a, xp.ndarray) or (k == 0 and a is out):
            continue
        if not xp.may_share_memory(a, out) or (k == 0 and _same_view(a, out)):
            continue
        if _overlaps(a, out):
            raise ValueError(f"out: overlaps {name} (only out={name} itself, for in place, is allowed)")
    return out


# ---------------------------------------------------------------------------------------
# Linear models: design matrices, targets, weights and solver parameters.
#
# X keeps float32 or float64 (anything else becomes float64), dense X becomes F-ordered
# (a copy only when it is not already), sparse X becomes CSC with sorted, unique indices
# (a copy only when it is not already canonical CSC). y and the weights follow X's dtype.
# scipy is imported only when X is a scipy sparse matrix or array.


def is_sparse(a) -> bool:
    """True for a scipy.sparse matrix or array, without importing scipy."""
    module = type(a).__module__
    if not module.startswith("scipy.sparse"):
        return False
    import scipy.sparse

    return scipy.sparse.issparse(a)


def check_sparse_structure(X, name="X"):
    """ValueError unless a scipy sparse matrix's arrays describe a valid matrix of its shape.

    scipy's unchecked constructors, or arrays edited afterwards, can leave indices out of
    range or an index pointer that runs backwards, and scipy's own operations (``tocsc``,
    ``X.T @ X``) then read and write out of bounds. So the structure is checked here, before
    any of them runs, with vectorized passes over the index arrays (nothing is modified)."""
    fmt = X.format
    if fmt in ("csr", "csc", "bsr"):
        shape = X.shape if fmt != "bsr" else (X.shape[0] // X.blocksize[0], X.shape[1] // X.blocksize[1])
        major, minor = (shape[0], shape[1]) if fmt in ("csr", "bsr") else (shape[1], shape[0])
        indptr, indices = np.asarray(X.indptr), np.asarray(X.indices)
        for arr, what in ((indptr, "indptr"), (indices, "indices")):
            if arr.ndim != 1 or arr.dtype.kind not in "iu":
                raise ValueError(f"{name}: sparse {what} must be a 1-d integer array")
        if indptr.shape[0] != major + 1:
            raise ValueError(f"{name}: sparse indptr has {indptr.shape[0]} entries, expected "
                             f"{major + 1} for shape {X.shape}")
        if indptr[0] != 0 or (major and np.any(indptr[1:] < indptr[:-1])):
            raise ValueError(f"{name}: sparse indptr must start at 0 and never decrease")
        nnz = int(indptr[-1])
        data_len = np.asarray(X.data).shape[0]
        if nnz > indices.shape[0] or nnz > data_len:
            raise ValueError(f"{name}: sparse indptr ends at {nnz}, past the {min(indices.shape[0], data_len)} "
                             "stored entries")
        used = indices[:nnz]
        if nnz and (used.min() < 0 or used.max() >= minor):
            raise ValueError(f"{name}: sparse indices out of range [0, {minor})")
    elif fmt == "coo":
        coords = getattr(X, "coords", None) or (X.row, X.col)
        for axis, c in enumerate(coords):
            c = np.asarray(c)
            if c.size and (c.min() < 0 or c.max() >= X.shape[axis]):
                raise ValueError(f"{name}: sparse coordinates out of range for shape {X.shape}")


def is_genotypes(a) -> bool:
    """True for a fastreg.Genotypes (int8 or PLINK .bed design), without importing it."""
    return getattr(type(a), "_is_genotypes", False) is True


def _numeric_dtype(dtype, name):
    if dtype.kind == "c":
        raise ValueError(f"{name}: Complex data not supported")
    if dtype in (np.float32, np.float64):
        return dtype
    if dtype.kind in "biuf" or dtype.kind == "O":
        return np.dtype(np.float64)
    raise TypeError(f"{name}: expected real numbers, got dtype {dtype}")


def _all_finite(a, name):
    """ValueError when a holds NaN or infinity. A sum first (one read of a, no temporary the
    size of a); only when it is not finite, the elementwise check, a block at a time."""
    if not a.size:
        return
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(a, dtype=np.float64)):
            return
    if a.flags.c_contiguous or a.flags.f_contiguous:
        flat = a.reshape(-1, order="C" if a.flags.c_contiguous else "F")  # a view
        step = 1 << 16
        blocks = [flat[i:i + step] for i in range(0, flat.size, step)]
    else:
        blocks = [a]
    for block in blocks:
        if np.isnan(block).any():
            raise ValueError(f"Input {name} contains NaN.")
    for block in blocks:
        if np.isinf(block).any():
            raise ValueError(f"Input {name} contains infinity.")


def design_matrix(X, name="X", *, dtype=None):
    """X as an F-ordered float32/float64 ndarray or a canonical scipy CSC matrix/array.

    ``dtype`` forces a dtype (used for prediction with a fitted model's dtype)."""
    if X is None:
        raise TypeError(f"{name}: expected a 2-d array or sparse matrix, got None")
    if is_genotypes(X):  # validated when built; fits run in its dtype
        if dtype is not None and np.dtype(dtype) != X.dtype:
            X = X.astype(dtype)
        return X
    if is_sparse(X):
        if X.ndim != 2:
            raise ValueError(f"{name}: expected a 2-d sparse matrix")
        check_sparse_structure(X, name)
        target = _numeric_dtype(np.dtype(X.dtype), name) if dtype is None else np.dtype(dtype)
        X = X.tocsc()  # no copy when already CSC
        if X.dtype != target:
            X = X.astype(target)
        if X.indices.dtype != X.indptr.dtype or X.indices.dtype not in (np.int32, np.int64):
            X = X.copy()
            X.indices = X.indices.astype(np.int64)
            X.indptr = X.indptr.astype(np.int64)
        if not X.has_canonical_format:
            X = X.copy()
            X.sum_duplicates()
        _check_shape(X.shape, name)
        _all_finite(X.data, name)
        return X
    if hasattr(X, "__array__") or isinstance(X, (list, tuple)):
        a = np.asarray(X)
    else:
        raise TypeError(f"{name}: expected an array-like or a sparse matrix, got {type(X).__name__}")
    if a.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-d array, got {a.ndim}-d with shape {a.shape}. Reshape your "
            "data either using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample.")
    target = _numeric_dtype(a.dtype, name) if dtype is None else np.dtype(dtype)
    a = np.asarray(a, dtype=target, order="F") if a.dtype == target else _cast(a, target, name)
    if not (a.flags.f_contiguous or a.shape[0] <= 1) or not a.flags.aligned:
        a = np.asfortranarray(a)
        if not a.flags.aligned:
            a = a.copy(order="F")
    _check_shape(a.shape, name)
    _all_finite(a, name)
    return a


def _cast(a, dtype, name, order="F"):
    """a.astype(dtype), with the argument's name in the error (object arrays may hold
    anything)."""
    try:
        return a.astype(dtype, order=order)
    except (TypeError, ValueError) as e:
        raise type(e)(f"{name}: {e}") from e


def _check_shape(shape, name):
    n, p = shape
    if n < 1:
        raise ValueError(f"{name}: found array with 0 sample(s) (shape={shape}) while a minimum of 1 is required.")
    if p < 1:
        raise ValueError(f"{name}: found array with 0 feature(s) (shape={shape}) while a minimum of 1 is required.")


def target_array(y, n_samples, dtype, name="y"):
    """y as a contiguous 1-d or 2-d array of X's dtype, with n_samples rows."""
    if y is None:
        raise ValueError(f"{name}: this estimator requires y to be passed, but the target y is None")
    if is_sparse(y):
        raise TypeError(f"{name}: sparse targets are not supported")
    a = np.asarray(y)
    if a.ndim == 0 or a.ndim > 2:
        raise ValueError(f"{name}: expected a 1-d or 2-d array, got shape {a.shape}")
    _numeric_dtype(a.dtype, name)
    a = _cast(a, dtype, name, order="C" if a.ndim == 1 else "F")
    if a.shape[0] != n_samples:
        raise ValueError(f"{name}: has {a.shape[0]} samples, but X has {n_samples}")
    _all_finite(a, name)
    return a


def sample_weights(sample_weight, n_samples, dtype):
    """None (equal weights) or a contiguous array of n_samples non-negative finite weights
    with a positive sum, of X's dtype. A scalar means equal weights."""
    if sample_weight is None:
        return None
    a = sample_weight if isinstance(sample_weight, numbers.Real) else np.asarray(sample_weight)
    if np.ndim(a) == 0:
        w = real_scalar(a, "sample_weight")
        if not (w > 0 and math.isfinite(w)):
            raise ValueError(f"sample_weight: a scalar weight must be positive and finite, got {w}")
        return None
    _numeric_dtype(a.dtype, "sample_weight")
    a = np.ascontiguousarray(a, dtype=dtype)
    if a.shape != (n_samples,):
        raise ValueError(f"sample_weight: expected shape ({n_samples},), got {a.shape}")
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError("sample_weight: must be finite and non-negative")
    if not a.sum() > 0:
        raise ValueError("sample_weight: all weights are zero; they need a positive sum")
    return a


def feature_vector(values, n_features, dtype, name):
    """None, or a contiguous array of n_features finite non-negative values (a scalar is
    broadcast)."""
    if values is None:
        return None
    a = np.asarray(values)
    _numeric_dtype(a.dtype, name)
    a = np.ascontiguousarray(np.broadcast_to(a, (n_features,)) if a.ndim == 0 else a, dtype=dtype)
    if a.shape != (n_features,):
        raise ValueError(f"{name}: expected shape ({n_features},), got {a.shape}")
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError(f"{name}: must be finite and non-negative")
    return a


def coef_vector(values, n_features, dtype, name="coef_init", n_targets=None):
    """None, or a contiguous array of n_features finite values ((n_targets, n_features)
    when n_targets is given)."""
    if values is None:
        return None
    a = np.ascontiguousarray(values, dtype=dtype)
    shape = (n_features,) if n_targets is None else (n_targets, n_features)
    if a.shape != shape:
        raise ValueError(f"{name}: expected shape {shape}, got {a.shape}")
    _all_finite(a, name)
    return a


def nonnegative(value, name) -> float:
    v = real_scalar(value, name)
    if not (v >= 0.0 and math.isfinite(v)):
        raise ValueError(f"{name}: must be a finite non-negative number, got {v}")
    return v


def positive_real(value, name) -> float:
    v = real_scalar(value, name)
    if not (v > 0.0 and math.isfinite(v)):
        raise ValueError(f"{name}: must be a finite positive number, got {v}")
    return v


def unit_interval(value, name) -> float:
    v = real_scalar(value, name)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name}: must be in [0, 1], got {v}")
    return v


def positive_int(value, name, maximum=2**63 - 1) -> int:
    """A positive int up to ``maximum`` (the core's counts are 64-bit)."""
    v = integer(value, name)
    if not 1 <= v <= maximum:
        raise ValueError(f"{name}: must be an integer from 1 to {maximum}, got {v}")
    return v


def thread_count(value, name="n_threads") -> int:
    """A positive thread count (the core's are 32-bit ints)."""
    return positive_int(value, name, maximum=2**31 - 1)


def threads_and_jobs(n_threads, n_jobs):
    """(threads, n_jobs) of an estimator's ``n_threads`` and scikit-learn's ``n_jobs``:
    n_jobs a non-zero int or None; threads n_threads when given, else n_jobs' count
    (fastreg._threads.threads_for_n_jobs), else None (fastreg's default)."""
    if n_jobs is not None:
        n_jobs = integer(n_jobs, "n_jobs")
        if n_jobs == 0:
            raise ValueError("n_jobs: must be a non-zero int or None, got 0")
    threads = None if n_threads is None else thread_count(n_threads)
    if threads is None and n_jobs is not None:
        from ._threads import threads_for_n_jobs

        threads = threads_for_n_jobs(n_jobs)
    return threads, n_jobs


def boolean(value, name) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a bool, got {type(value).__name__}")
    return bool(value)


def alpha_grid(alphas, name="alphas"):
    """An int (the grid size) or a 1-d array of non-negative finite alphas, sorted
    decreasing (float64)."""
    if np.ndim(alphas) == 0 and not isinstance(alphas, (float, np.floating)):
        return positive_int(alphas, name)
    a = np.asarray(alphas)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name}: expected an int or a non-empty 1-d array, got shape {a.shape}")
    _numeric_dtype(a.dtype, name)
    a = a.astype(np.float64)
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError(f"{name}: must be finite and non-negative")
    return np.ascontiguousarray(np.sort(a)[::-1])
