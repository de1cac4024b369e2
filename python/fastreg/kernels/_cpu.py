"""The CPU backend: the C++ core, with the calling convention the GPU backend shares.

Arguments arrive validated (_general.py): float32/float64 arrays of one shape, parameters
as floats or arrays broadcast to that shape, outputs allocated.
"""

from .. import _core


def soft_threshold(x, t, out):
    _core.soft_threshold(x, t, out)


def enet_prox(x, l1, l2, out):
    _core.enet_prox(x, l1, l2, out)


def dropout(x, out, seed, offset, threshold, scale, mask=None, packed=None):
    _core.dropout(x, out, scale, seed, offset, threshold, mask, packed)


def dropout_backward(grad, out, scale, mask=None, packed=None, seed=None, offset=0, threshold=None):
    if seed is None:
        _core.dropout_apply_mask(grad, out, scale, mask, packed)
    else:
        _core.dropout(grad, out, scale, seed, offset, threshold, None, None)


def dropout_mask(seed, offset, threshold, size, mask=None, packed=None):
    _core.dropout_mask(seed, offset, threshold, mask, packed, size)
