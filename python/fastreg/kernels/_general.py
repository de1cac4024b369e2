"""The general path of the kernels: every argument checked and converted in Python.

The public functions (``fastreg.kernels``) come here when the compiled fast path declines
a call: any input that is not a contiguous float32/float64 ndarray, array parameters,
strided or broadcast views, CuPy arrays, and every malformed argument, which is refused
here with an error naming it. The arguments then go to a backend: the C++ core for NumPy
arrays (``_cpu``), CuPy kernels for CuPy arrays (``fastreg._gpu``).
"""

from __future__ import annotations

import math

from .. import _validation as v
from . import _cpu


def _backend(a):
    """The module that runs kernels on a's device: the C++ core, or CuPy kernels."""
    if v.is_cupy(a):
        from .. import _gpu

        return _gpu
    return _cpu


def _native(a):
    """A NumPy array in the machine's byte order: a big-endian ``>f8`` (read from a file,
    say) is converted, as any other dtype the kernels do not run on is."""
    dtype = getattr(a, "dtype", None)
    if getattr(dtype, "isnative", True) or v.is_cupy(a):
        return a
    return a.astype(dtype.newbyteorder("="))


def _torch_bfloat16(x):
    """A torch bfloat16 tensor has no NumPy dtype; like float16, it is computed in float32.
    (Recognised by name: torch is never imported here.)"""
    return type(x).__module__.startswith("torch") and str(getattr(x, "dtype", "")) == "torch.bfloat16"


def float_array(x, name):
    """x as a float32/float64 array (see _validation.float_array), with the conversions the
    kernels add: other byte orders, torch bfloat16, and a TypeError naming the argument for
    an object NumPy cannot read."""
    if _torch_bfloat16(x):
        x = x.float()
    try:
        return v.float_array(_native(x), name)
    except TypeError as exc:
        if str(exc).startswith(f"{name}:"):
            raise
        raise TypeError(f"{name}: cannot be read as an array of real numbers ({exc})") from None


def penalty_parameter(value, name, x):
    """A threshold-like parameter (see _validation.penalty_parameter). A Python int beyond
    float64's range rounds to inf, as a float beyond float32's range does for float32 x."""
    if type(value) is int and value > 0:
        try:
            float(value)
        except OverflowError:
            value = math.inf
    return v.penalty_parameter(_native(value), name, x)


def soft_threshold(x, threshold, out):
    x = float_array(x, "x")
    t = penalty_parameter(threshold, "threshold", x)
    y = v.output(out, x, [("x", x), ("threshold", t)])
    _backend(x).soft_threshold(x, t, y)
    return y


def enet_prox(x, l1, l2, out):
    x = float_array(x, "x")
    a = penalty_parameter(l1, "l1", x)
    b = penalty_parameter(l2, "l2", x)
    y = v.output(out, x, [("x", x), ("l1", a), ("l2", b)])
    _backend(x).enet_prox(x, a, b, y)
    return y


def _mask_outputs(xp, size, shape, return_mask, packed):
    """New mask arrays for a dropout: (bool mask, packed bits), None where not asked."""
    if not return_mask:
        return None, None
    if packed:
        import numpy as np

        return None, xp.zeros((size + 7) // 8, dtype=np.uint8)  # zeroed: the kernels OR bits in
    return xp.empty(shape, dtype=bool), None


def _all_kept(xp, size, shape, packed):
    """The mask of a dropout that keeps everything."""
    import numpy as np

    if not packed:
        return xp.ones(shape, dtype=bool)
    bits = xp.full((size + 7) // 8, 0xFF, dtype=np.uint8)
    if size % 8:
        bits[-1] = (1 << (size % 8)) - 1  # padding bits stay 0
    return bits


def dropout(x, p, seed, offset, training, return_mask, packed_mask, out):
    x = float_array(x, "x")
    p = v.probability(p)
    seed = v.uint64(seed, "seed")
    offset = v.offset_for(offset, x.size)
    xp = v.array_module(x)
    if not training:
        if out is None:
            y = x
        else:
            y = v.output(out, x, [("x", x)])
            if y is not x:
                y[...] = x
        return (y, _all_kept(xp, x.size, x.shape, packed_mask)) if return_mask else y
    y = v.output(out, x, [("x", x)])
    mask, packed = _mask_outputs(xp, x.size, x.shape, return_mask, packed_mask)
    _backend(x).dropout(x, y, seed, offset, v.keep_threshold(p), v.dropout_scale(p),
                        mask=mask, packed=packed)
    if return_mask:
        return y, (packed if packed_mask else mask)
    return y


def _given_mask(mask, grad):
    """A caller's mask for `grad`: (bool mask, packed bits), one of them None."""
    import numpy as np

    xp = v.array_module(grad)
    if not isinstance(mask, xp.ndarray):
        mask = xp.asarray(mask)
    if mask.dtype == np.bool_:
        if mask.shape != grad.shape:
            raise ValueError(f"mask: shape {mask.shape} differs from grad's shape {grad.shape}")
        return mask, None
    if mask.dtype == np.uint8:
        nbytes = (grad.size + 7) // 8
        if mask.ndim != 1 or mask.size != nbytes:
            raise ValueError(
                f"mask: a packed mask for {grad.size} elements is 1-D with {nbytes} bytes, "
                f"got shape {mask.shape}")
        return None, xp.ascontiguousarray(mask)
    raise TypeError(f"mask: expected a bool mask or a packed uint8 mask, got dtype {mask.dtype}")


def dropout_backward(grad, p, mask, seed, offset, out):
    grad = float_array(grad, "grad")
    p = v.probability(p)
    if (mask is None) == (seed is None):
        raise ValueError("mask, seed: give exactly one of mask (stored) and seed (regenerated)")
    y = v.output(out, grad, [("grad", grad), ("mask", mask)])
    scale = v.dropout_scale(p)
    backend = _backend(grad)
    if seed is not None:
        seed = v.uint64(seed, "seed")
        offset = v.offset_for(offset, grad.size)
        backend.dropout_backward(grad, y, scale, seed=seed, offset=offset,
                                 threshold=v.keep_threshold(p))
    else:
        if v.uint64(offset, "offset") != 0:
            raise ValueError("offset: only used with seed; a given mask already has it applied")
        bool_mask, packed = _given_mask(mask, grad)
        backend.dropout_backward(grad, y, scale, mask=bool_mask, packed=packed)
    return y


def dropout_mask(shape, p, seed, offset, packed, like):
    shape = v.shape_tuple(shape)
    size = math.prod(shape)
    p = v.probability(p)
    seed = v.uint64(seed, "seed")
    offset = v.offset_for(offset, size)
    xp = v.array_module(like) if like is not None else v.array_module(None)
    mask, bits = _mask_outputs(xp, size, shape, True, packed)
    _backend(like).dropout_mask(seed, offset, v.keep_threshold(p), size, mask=mask, packed=bits)
    return bits if packed else mask
