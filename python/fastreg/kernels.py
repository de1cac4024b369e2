"""Regularization kernels: soft-thresholding, the elastic-net prox, and dropout.

Each function validates its arguments here, once, then hands arrays to a backend: the C++
core for NumPy arrays, CuPy kernels for CuPy arrays. See docs/kernels.md for the full
contract, including the dropout mask's reproducibility rules.
"""

from __future__ import annotations

from . import _cpu
from . import _validation as v


def _backend(a):
    """The module that runs kernels on a's device: the C++ core, or CuPy kernels."""
    if v.is_cupy(a):
        from . import _gpu

        return _gpu
    return _cpu


def soft_threshold(x, threshold, *, out=None):
    """Soft-thresholding, the proximal operator of ``t·|x|``.

    Parameters
    ----------
    x : array_like
        Input of any shape and strides. float32 and float64 keep their dtype; integer and
        bool inputs are converted to float64.
    threshold : float or array_like
        Non-negative threshold ``t``: a scalar or an array broadcastable to ``x.shape``.
    out : ndarray, optional
        Where to write the result: same shape and dtype as the result; may be ``x``
        itself (in place), must not overlap it otherwise.

    Returns
    -------
    ndarray
        ``sign(x) * max(|x| - t, 0)``. NaN in ``x`` propagates; ±inf stays ±inf for a
        finite threshold.

    Examples
    --------
    >>> import fastreg
    >>> fastreg.soft_threshold([-2.0, 0.5, 3.0], 1.0)
    array([-1.,  0.,  2.])
    """
    x = v.float_array(x, "x")
    t = v.penalty_parameter(threshold, "threshold", x)
    y = v.output(out, x, [("x", x), ("threshold", t)])
    _backend(x).soft_threshold(x, t, y)
    return y


def enet_prox(x, l1, l2, *, out=None):
    """The elastic-net proximal operator, ``soft_threshold(x, l1) / (1 + l2)``.

    It minimizes ``½(w - x)² + l1·|w| + ½·l2·w²`` over ``w``, elementwise.

    Parameters
    ----------
    x : array_like
        Input of any shape and strides (dtype rules as for :func:`soft_threshold`).
    l1, l2 : float or array_like
        Non-negative L1 and L2 weights: scalars or arrays broadcastable to ``x.shape``.
    out : ndarray, optional
        As for :func:`soft_threshold`.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> import fastreg
    >>> fastreg.enet_prox([-3.0, 0.5, 3.0], 1.0, 1.0)
    array([-1.,  0.,  1.])
    """
    x = v.float_array(x, "x")
    a = v.penalty_parameter(l1, "l1", x)
    b = v.penalty_parameter(l2, "l2", x)
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


def dropout(x, p, *, seed, offset=0, training=True, return_mask=False, packed_mask=False,
            out=None):
    """Inverted dropout: ``y = x · m / (1 - p)`` with ``m ~ Bernoulli(1 - p)``.

    The mask is a pure function of ``(seed, offset, p)`` and each element's flat C-order
    index (Philox4x32-10, see docs/kernels.md): the same for any thread count, memory
    layout, or CPU and GPU; ``dropout(x[k:], p, seed=s, offset=k)`` equals
    ``dropout(x, p, seed=s)[k:]`` for 1-D ``x``.

    Parameters
    ----------
    x : array_like
        Input of any shape and strides (dtype rules as for :func:`soft_threshold`).
    p : float
        Probability of dropping an element, in [0, 1].
    seed : int
        Random seed in [0, 2**64). Required: there is no global random state.
    offset : int, default 0
        Global index of ``x``'s first element in the random stream.
    training : bool, default True
        When False, return ``x`` itself (or copy it into ``out``) unchanged.
    return_mask : bool, default False
        Also return the mask.
    packed_mask : bool, default False
        Return the mask as bits (uint8, ``bitorder='little'``, ``ceil(x.size / 8)``
        bytes) instead of one bool per element.
    out : ndarray, optional
        As for :func:`soft_threshold`.

    Returns
    -------
    y : ndarray
        Kept elements are ``x * dtype(1 / (1 - p))``; dropped ones are exactly 0, even
        where ``x`` is NaN or infinite.
    mask : ndarray
        Only with ``return_mask=True``.

    Examples
    --------
    >>> import numpy as np, fastreg
    >>> y, m = fastreg.dropout(np.ones(8), 0.5, seed=0, return_mask=True)
    >>> bool(np.all(y == np.where(m, 2.0, 0.0)))
    True
    """
    x = v.float_array(x, "x")
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


def dropout_backward(grad, p, *, mask=None, seed=None, offset=0, out=None):
    """Gradient of :func:`dropout`: ``grad · m / (1 - p)``.

    Parameters
    ----------
    grad : array_like
        Gradient with respect to dropout's output.
    p : float
        The forward pass's probability, in [0, 1].
    mask : ndarray, optional
        The forward pass's mask: bool of ``grad.shape``, or packed uint8 bits.
    seed : int, optional
        Instead of ``mask``: the forward pass's seed, to regenerate the mask without
        storing it. Exactly one of ``mask`` and ``seed`` is required.
    offset : int, default 0
        The forward pass's offset (with ``seed`` only).
    out : ndarray, optional
        As for :func:`soft_threshold`.

    Returns
    -------
    ndarray
        Kept elements ``grad * dtype(1 / (1 - p))``, dropped ones exactly 0.
    """
    grad = v.float_array(grad, "grad")
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


def dropout_mask(shape, p, *, seed, offset=0, packed=False, like=None):
    """The mask :func:`dropout` uses for an array of ``shape``: True where kept.

    Parameters
    ----------
    shape : int or tuple of int
    p : float
        Probability of dropping, in [0, 1].
    seed : int
        Random seed in [0, 2**64).
    offset : int, default 0
        Global index of the first element.
    packed : bool, default False
        Return bits (uint8, ``bitorder='little'``, ``ceil(size / 8)`` bytes) instead of
        a bool array of ``shape``.
    like : ndarray, optional
        A CuPy array makes the mask on the GPU (NumPy's ``like=`` convention).

    Returns
    -------
    ndarray
    """
    import math

    shape = v.shape_tuple(shape)
    size = math.prod(shape)
    p = v.probability(p)
    seed = v.uint64(seed, "seed")
    offset = v.offset_for(offset, size)
    xp = v.array_module(like) if like is not None else v.array_module(None)
    mask, bits = _mask_outputs(xp, size, shape, True, packed)
    _backend(like).dropout_mask(seed, offset, v.keep_threshold(p), size, mask=mask, packed=bits)
    return bits if packed else mask
