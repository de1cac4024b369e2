"""The kernels' compiled fast path against their general path.

Every public kernel first offers its arguments to a C++ entry point that takes the common
case (contiguous float32/float64 ndarray, scalar parameter, out= None or alike) and returns
None for anything else. These tests check that (1) the common case really takes it, (2)
anything else is declined rather than half-handled, and (3) both paths give the same bits,
the general path being the reference (its own results are checked against NumPy and a
pure-Python Philox in test_prox.py and test_dropout.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import fastreg
from fastreg import _core
from fastreg.kernels import _general

SHAPES = [(), (0,), (1,), (7,), (64,), (1000,), (3, 5), (4, 33)]


def sample(shape, dtype, seed=0):
    x = np.asarray(np.random.default_rng(seed).standard_normal(shape) * 2, dtype=dtype)
    if x.size > 3:
        x.flat[:3] = [np.nan, np.inf, -np.inf]
    return x


def same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("order", ["C", "F"])
def test_prox_fast_equals_general(shape, order, dtype):
    x = np.asarray(sample(shape, dtype), order=order)
    for t in (0.5, 0, 3, np.float64(0.25), float("inf")):
        y = _core.soft_threshold_fast(x, t, None)
        assert y is not None
        same_bits(y, _general.soft_threshold(x.copy(order=order), t, None))
        assert y.flags.c_contiguous == x.flags.c_contiguous and y.flags.f_contiguous == x.flags.f_contiguous
        z = _core.enet_prox_fast(x, t, 1.5, None)
        same_bits(z, _general.enet_prox(x, t, 1.5, None))


@pytest.mark.parametrize("shape", SHAPES)
def test_prox_fast_out_and_in_place(shape, dtype):
    x = sample(shape, dtype)
    ref = _general.soft_threshold(x, 0.5, None)
    out = np.full_like(x, 7)
    assert fastreg.soft_threshold(x, 0.5, out=out) is out
    same_bits(out, ref)
    x2 = x.copy()
    assert fastreg.soft_threshold(x2, 0.5, out=x2) is x2
    same_bits(x2, ref)
    out = np.full_like(x, 7)
    assert fastreg.enet_prox(x, 0.5, 2.0, out=out) is out
    same_bits(out, _general.enet_prox(x, 0.5, 2.0, None))


def test_prox_fast_declines_what_it_does_not_take():
    x = np.linspace(-3, 3, 20)
    declined = [
        (x[::2], 0.5, None),                       # strided
        (x.reshape(4, 5)[:, :3], 0.5, None),       # not contiguous
        (list(x), 0.5, None),                      # not an array
        (x.astype(np.float16), 0.5, None),         # other dtypes
        (x.astype(np.int64), 0.5, None),
        (x.astype(">f8"), 0.5, None),              # other byte order
        (np.ma.masked_array(x), 0.5, None),        # subclass
        (x, -0.5, None),                           # bad parameters: the general path names them
        (x, float("nan"), None),
        (x, True, None),
        (x, np.float32(0.5), None),
        (x, 2**1100, None),
        (x, x, None),                              # array parameter
        (x, 0.5, np.empty(20, np.float32)),        # out of another dtype, shape, layout
        (x, 0.5, np.empty(21)),
        (x, 0.5, np.empty(20)[::-1]),
        (x, 0.5, x[::-1]),                         # overlapping
        (x, 0.5, "out"),
    ]
    ro = np.empty(20)
    ro.flags.writeable = False
    declined.append((x, 0.5, ro))
    overlap = np.empty(21)
    declined.append((overlap[1:], 0.5, overlap[:20]))
    for args in declined:
        assert _core.soft_threshold_fast(*args) is None
        assert _core.enet_prox_fast(args[0], args[1], 0.0, args[2]) is None
    f = np.asfortranarray(np.ones((3, 4)))
    assert _core.soft_threshold_fast(f, 0.5, np.empty((3, 4))) is None  # out in the other order


def test_prox_fast_path_declined_calls_keep_their_errors():
    x = np.linspace(-3, 3, 20)
    with pytest.raises(ValueError, match="threshold"):
        fastreg.soft_threshold(x, -1.0)
    with pytest.raises(ValueError, match="out: overlaps x"):
        fastreg.soft_threshold(x, 0.5, out=x[::-1])
    with pytest.raises(ValueError, match="out: array is read-only"):
        ro = np.empty(20)
        ro.flags.writeable = False
        fastreg.soft_threshold(x, 0.5, out=ro)
    with pytest.raises(TypeError, match="out: dtype"):
        fastreg.soft_threshold(x, 0.5, out=np.empty(20, np.float32))


DROPOUT_SIZES = [0, 1, 7, 8, 63, 64, 65, 1000, 70_001]


@pytest.mark.parametrize("n", DROPOUT_SIZES)
@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_dropout_fast_equals_general(n, p, dtype):
    x = sample(n, dtype)
    for offset in (0, 5, 2**40 + 3):
        for return_mask, packed in ((False, False), (True, False), (True, True)):
            fast = _core.dropout_fast(x, p, 12345, offset, None, return_mask, packed)
            assert fast is not None
            ref = _general.dropout(x, p, 12345, offset, True, return_mask, packed, None)
            if return_mask:
                same_bits(fast[0], ref[0])
                same_bits(fast[1], ref[1])
            else:
                same_bits(fast, ref)
        out = np.full_like(x, 7)
        assert fastreg.dropout(x, p, seed=9, offset=offset, out=out) is out
        same_bits(out, _general.dropout(x, p, 9, offset, True, False, False, None))
        g = _core.dropout_backward_fast(x, p, None, 9, offset, None)
        same_bits(g, _general.dropout_backward(x, p, None, 9, offset, None))
        m = _core.dropout_mask_fast(n, p, 9, offset, False, None)
        same_bits(m, _general.dropout_mask(n, p, 9, offset, False, None))
        bits = _core.dropout_mask_fast((n,), p, 9, offset, True, None)
        same_bits(bits, _general.dropout_mask(n, p, 9, offset, True, None))


@pytest.mark.parametrize("shape", [(), (3, 5), (2, 3, 11)])
def test_dropout_fast_nd(shape, dtype):
    x = sample(shape, dtype)
    y, m = fastreg.dropout(x, 0.5, seed=3, return_mask=True)
    ry, rm = _general.dropout(x, 0.5, 3, 0, True, True, False, None)
    same_bits(y, ry)
    same_bits(m, rm)
    same_bits(fastreg.dropout_mask(shape, 0.5, seed=3), rm)
    for mask in (rm, np.packbits(rm.ravel(), bitorder="little")):
        g = _core.dropout_backward_fast(x, 0.5, mask, None, 0, None)
        assert g is not None
        same_bits(g, _general.dropout_backward(x, 0.5, mask, None, 0, None))


def test_dropout_fast_in_place(dtype):
    x = sample(1000, dtype)
    ref = _general.dropout(x, 0.25, 4, 0, True, False, False, None)
    x2 = x.copy()
    assert fastreg.dropout(x2, 0.25, seed=4, out=x2) is x2
    same_bits(x2, ref)
    g = x.copy()
    assert fastreg.dropout_backward(g, 0.25, seed=4, out=g) is g
    same_bits(g, ref)


def test_dropout_fast_declines_what_it_does_not_take():
    x = np.linspace(-3, 3, 20)
    f = np.asfortranarray(np.ones((3, 4)))
    declined = [
        (f, 0.5, 1, 0, None, False, False),      # F order: the mask's index is C order
        (x[::2], 0.5, 1, 0, None, False, False),
        (x, 1.5, 1, 0, None, False, False),      # bad p, seed, offset: the general path names them
        (x, True, 1, 0, None, False, False),
        (x, 0.5, -1, 0, None, False, False),
        (x, 0.5, 2**64, 0, None, False, False),
        (x, 0.5, True, 0, None, False, False),
        (x, 0.5, 1.0, 0, None, False, False),
        (x, 0.5, 1, 2**64 - 10, None, False, False),  # offset + size beyond 2**64
        (x, 0.5, 1, 0, x[::-1], False, False),
        (x, 0.5, 1, 0, None, 1, False),          # flags that are not bools
    ]
    for args in declined:
        assert _core.dropout_fast(*args) is None
    m = np.ones(20, bool)
    assert _core.dropout_backward_fast(x, 0.5, None, None, 0, None) is None
    assert _core.dropout_backward_fast(x, 0.5, m, 1, 0, None) is None
    assert _core.dropout_backward_fast(x, 0.5, m, None, 3, None) is None
    assert _core.dropout_backward_fast(x, 0.5, m[:10], None, 0, None) is None
    assert _core.dropout_backward_fast(x, 0.5, np.ones(20, np.int8), None, 0, None) is None
    assert _core.dropout_backward_fast(x, 0.5, list(m), None, 0, None) is None
    assert _core.dropout_mask_fast(-1, 0.5, 1, 0, False, None) is None
    assert _core.dropout_mask_fast((2, -1), 0.5, 1, 0, False, None) is None
    assert _core.dropout_mask_fast([2, 3], 0.5, 1, 0, False, None) is None
    assert _core.dropout_mask_fast((2**70, 2), 0.5, 1, 0, False, None) is None
    assert _core.dropout_mask_fast((2, 1.0), 0.5, 1, 0, False, None) is None
    assert _core.dropout_mask_fast(5, 0.5, 1, 0, False, x) is None
    assert _core.dropout_mask_fast(20, 0.5, 1, 2**64 - 10, False, None) is None


def test_dropout_fast_masks_independent_of_thread_count(restore_threads):
    n = 300_001
    x = sample(n, np.float32)
    fastreg.set_num_threads(1)
    one = fastreg.dropout(x, 0.4, seed=77, offset=11, return_mask=True, packed_mask=True)
    fastreg.set_num_threads(2)
    two = fastreg.dropout(x, 0.4, seed=77, offset=11, return_mask=True, packed_mask=True)
    same_bits(one[0], two[0])
    same_bits(one[1], two[1])
    same_bits(one[1], _general.dropout_mask(n, 0.4, 77, 11, True, None))
