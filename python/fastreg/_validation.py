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
    return float(value)


def probability(p) -> float:
    """The dropout probability: a real number in [0, 1]."""
    p = real_scalar(p, "p")
    if not 0.0 <= p <= 1.0:  # NaN fails both comparisons
        raise ValueError(f"p: must be in [0, 1], got {p}")
    return p


def uint64(value, name: str) -> int:
    """An integer in [0, 2**64): TypeError for non-integers (bool included)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected an int, got bool")
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}") from None
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
        return float(value)
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
