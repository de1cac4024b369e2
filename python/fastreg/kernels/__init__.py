"""Regularization kernels: soft-thresholding, the elastic-net prox, and dropout.

Each public function first offers its arguments to the compiled fast path, which takes the
common case (a contiguous float32/float64 ndarray, a scalar parameter, no ``out=`` or one
of the same dtype and layout) in one C++ call and returns None for anything else; the
general path (``_general``) then checks and converts every argument, names the one it
refuses, and dispatches to the C++ core or to CuPy. Both give the same bits. See
docs/kernels.md for the full contract, including the dropout mask's reproducibility rules.
"""

from __future__ import annotations

from .._core import dropout_backward_fast as _dropout_backward_fast
from .._core import dropout_fast as _dropout_fast
from .._core import dropout_mask_fast as _dropout_mask_fast
from .._core import enet_prox_fast as _enet_prox_fast
from .._core import soft_threshold_fast as _soft_threshold_fast
from . import _general

__all__ = ["soft_threshold", "enet_prox", "dropout", "dropout_backward", "dropout_mask"]


def soft_threshold(x, threshold, *, out=None):
    """Soft-thresholding, the proximal operator of ``t·|x|``.

    Parameters
    ----------
    x : array_like
        Input of any shape and strides. float32 and float64 keep their dtype (in the
        machine's byte order: other byte orders are converted); float16 and torch's
        bfloat16 are computed in float32; integer and bool inputs are converted to float64.
    threshold : float or array_like
        Non-negative threshold ``t``: a scalar or an array broadcastable to ``x.shape``,
        rounded to x's dtype (so a Python int beyond float64's range acts as ``inf``).
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
    y = _soft_threshold_fast(x, threshold, out)
    if y is None:
        y = _general.soft_threshold(x, threshold, out)
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
    y = _enet_prox_fast(x, l1, l2, out)
    if y is None:
        y = _general.enet_prox(x, l1, l2, out)
    return y


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
    if training is True:
        y = _dropout_fast(x, p, seed, offset, out, return_mask, packed_mask)
        if y is not None:
            return y
    return _general.dropout(x, p, seed, offset, training, return_mask, packed_mask, out)


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
    y = _dropout_backward_fast(grad, p, mask, seed, offset, out)
    if y is None:
        y = _general.dropout_backward(grad, p, mask, seed, offset, out)
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
    m = _dropout_mask_fast(shape, p, seed, offset, packed, like)
    if m is None:
        m = _general.dropout_mask(shape, p, seed, offset, packed, like)
    return m
