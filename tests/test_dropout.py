"""dropout, dropout_backward and dropout_mask against the NumPy reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import fastreg
import philox_reference as ref

P_VALUES = [0.1, 0.3, 1 / 3, 0.5, 0.7, 0.123456789, 0.9999]


def scale_of(p, dtype):
    return np.dtype(dtype).type(1.0 / (1.0 - p))


def expected_forward(x, p, seed, offset=0):
    return ref.dropout(x, p, seed, offset)


def assert_same(a, b):
    """Bitwise-level equality for float arrays (NaN == NaN, and +0 vs -0 ignored)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_array_equal(a, b)


def as_xp(xp, a):
    return a if xp is np else xp.asarray(a)


# ------------------------------------------------------------------- forward values


@pytest.mark.parametrize("p", P_VALUES)
def test_forward_matches_reference(p, dtype, xp, to_numpy):
    rng = np.random.default_rng(1)
    x_np = rng.standard_normal(5000).astype(dtype)
    before = x_np.copy()
    seed, offset = 2**32 + 77, 12345
    x = as_xp(xp, x_np)
    y, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    assert type(y) is type(x)
    y_np, m_np = to_numpy(y), to_numpy(m)
    y_ref, m_ref = expected_forward(x_np, p, seed, offset)
    np.testing.assert_array_equal(m_np, m_ref)
    assert m_np.dtype == np.bool_ and m_np.shape == x_np.shape
    assert_same(y_np, y_ref)
    # kept values are x * dtype(1/(1-p)) exactly, dropped are exactly zero
    s = scale_of(p, dtype)
    np.testing.assert_array_equal(y_np[m_np], x_np[m_np] * s)
    assert np.all(y_np[~m_np] == 0)
    np.testing.assert_array_equal(to_numpy(x), before)
    # y alone is the same as with return_mask
    assert_same(to_numpy(fastreg.dropout(x, p, seed=seed, offset=offset)), y_ref)


def test_scale_is_rounded_double_reciprocal_float32():
    # find p values where float32(1/(1-p)) differs from the reciprocal computed in float32
    rng = np.random.default_rng(2)
    ps = [p for p in rng.uniform(0.01, 0.99, 2000)
          if np.float32(1.0 / (1.0 - p)) != np.float32(1) / np.float32(1.0 - p)][:5]
    assert ps, "no distinguishing p found"
    x = np.ones(256, np.float32)
    for p in ps:
        y, m = fastreg.dropout(x, p, seed=4, return_mask=True)
        assert m.any()
        assert np.all(y[m] == np.float32(1.0 / (1.0 - p))), p


@pytest.mark.parametrize("shape", [(), (0,), (1,), (9,), (3, 0), (5, 7, 3), (64, 65)],
                         ids=str)
def test_forward_shapes(shape, dtype, xp, to_numpy):
    rng = np.random.default_rng(3)
    x_np = np.asarray(rng.standard_normal(shape), dtype=dtype)
    y, m = fastreg.dropout(as_xp(xp, x_np), 0.4, seed=9, return_mask=True)
    y_np, m_np = to_numpy(y), to_numpy(m)
    assert y_np.shape == shape and m_np.shape == shape and y_np.dtype == dtype
    y_ref, m_ref = expected_forward(x_np, 0.4, 9)
    np.testing.assert_array_equal(m_np, m_ref)
    assert_same(y_np, y_ref)
    _, packed = fastreg.dropout(as_xp(xp, x_np), 0.4, seed=9, return_mask=True,
                                packed_mask=True)
    packed = to_numpy(packed)
    assert packed.dtype == np.uint8 and packed.shape == (math.ceil(x_np.size / 8),)
    np.testing.assert_array_equal(packed, np.packbits(m_ref.ravel(), bitorder="little"))


def test_nan_inf_dropped_to_exact_zero(dtype, xp, to_numpy):
    n = 4096
    x_np = np.empty(n, dtype)
    x_np[0::3] = np.nan
    x_np[1::3] = np.inf
    x_np[2::3] = -np.inf
    p, seed = 0.5, 11
    y, m = fastreg.dropout(as_xp(xp, x_np), p, seed=seed, return_mask=True)
    y_np, m_np = to_numpy(y), to_numpy(m)
    np.testing.assert_array_equal(m_np, ref.mask(n, p, seed))
    assert np.all(y_np[~m_np] == 0)
    kept = np.flatnonzero(m_np)
    assert np.isnan(y_np[kept[kept % 3 == 0]]).all()
    assert (y_np[kept[kept % 3 == 1]] == np.inf).all()
    assert (y_np[kept[kept % 3 == 2]] == -np.inf).all()


def test_p_zero_is_a_copy(dtype, xp, to_numpy):
    x_np = np.random.default_rng(4).standard_normal((33, 17)).astype(dtype)
    x_np[0, :3] = [np.nan, np.inf, -np.inf]
    x = as_xp(xp, x_np)
    y, m = fastreg.dropout(x, 0.0, seed=1, return_mask=True)
    assert y is not x
    assert_same(to_numpy(y), x_np)
    assert to_numpy(m).all()
    if xp is np:
        assert not np.shares_memory(y, x)
    y0 = fastreg.dropout(x, 0, seed=1)  # int p
    assert_same(to_numpy(y0), x_np)


def test_p_one_is_all_zeros(dtype, xp, to_numpy):
    x_np = np.random.default_rng(5).standard_normal(1000).astype(dtype)
    x_np[:3] = [np.nan, np.inf, -np.inf]
    x = as_xp(xp, x_np)
    y, m = fastreg.dropout(x, 1.0, seed=1, return_mask=True)
    y_np = to_numpy(y)
    assert y_np.dtype == dtype and y_np.shape == x_np.shape
    assert np.all(y_np == 0)
    assert not to_numpy(m).any()
    y1 = to_numpy(fastreg.dropout(x, 1, seed=2))
    assert np.all(y1 == 0)
    assert not fastreg.dropout_mask(1000, 1.0, seed=3).any()
    assert fastreg.dropout_mask(1000, 0.0, seed=3).all()


def test_training_false_returns_x_itself(dtype, xp, to_numpy):
    x_np = np.random.default_rng(6).standard_normal((10, 13)).astype(dtype)
    x = as_xp(xp, x_np)
    assert fastreg.dropout(x, 0.5, seed=1, training=False) is x
    y, m = fastreg.dropout(x, 0.5, seed=1, training=False, return_mask=True)
    assert y is x
    m = to_numpy(m)
    assert m.dtype == np.bool_ and m.shape == x_np.shape and m.all()
    y, pk = fastreg.dropout(x, 0.5, seed=1, training=False, return_mask=True,
                            packed_mask=True)
    assert y is x
    np.testing.assert_array_equal(
        to_numpy(pk), np.packbits(np.ones(x_np.size, bool), bitorder="little"))
    np.testing.assert_array_equal(to_numpy(x), x_np)


def test_training_false_with_out_copies(dtype):
    x = np.random.default_rng(7).standard_normal(100).astype(dtype)
    out = np.zeros_like(x)
    r = fastreg.dropout(x, 0.5, seed=1, training=False, out=out)
    assert r is out
    assert_same(out, x)


def test_int_and_bool_x_converted_to_float64():
    x = np.arange(-500, 500)
    y, m = fastreg.dropout(x, 0.25, seed=8, return_mask=True)
    assert y.dtype == np.float64
    y_ref, m_ref = expected_forward(x.astype(np.float64), 0.25, 8)
    np.testing.assert_array_equal(m, m_ref)
    assert_same(y, y_ref)
    yb = fastreg.dropout(np.ones(100, bool), 0.5, seed=8)
    assert yb.dtype == np.float64
    assert_same(yb, expected_forward(np.ones(100), 0.5, 8)[0])


def test_big_endian_x_is_converted(dtype):
    x = np.linspace(-4, 4, 300).astype(dtype)
    swapped = x.astype(np.dtype(dtype).newbyteorder(">" if np.little_endian else "<"))
    y, m = fastreg.dropout(swapped, 0.3, seed=5, return_mask=True)
    ry, rm = fastreg.dropout(x, 0.3, seed=5, return_mask=True)
    assert y.dtype == np.dtype(dtype) and y.dtype.isnative
    assert_same(y, ry)
    np.testing.assert_array_equal(m, rm)
    assert_same(fastreg.dropout_backward(swapped, 0.3, seed=5), ry)


# -------------------------------------------------------------------- statistics


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.8, 0.99])
def test_keep_rate_within_five_sigma(p):
    n = 10**6
    m = fastreg.dropout_mask(n, p, seed=31337 + int(p * 100))
    q = 1 - p
    sd = math.sqrt(n * p * q)
    kept = int(m.sum())
    assert abs(kept - n * q) < 5 * sd, (kept, n * q, sd)
    # neighbours are independent: P(m[i] and m[i+1]) ~ q**2
    both = int((m[:-1] & m[1:]).sum())
    var = (n - 1) * q * q * (1 - q * q) * 3  # loose bound for the dependent sum
    assert abs(both - (n - 1) * q * q) < 5 * math.sqrt(var)
    # every place in a 64-element group is kept at the right rate
    per_place = m[: n - n % 64].reshape(-1, 64).mean(axis=0)
    g = (n // 64)
    assert np.all(np.abs(per_place - q) < 6 * math.sqrt(p * q / g) + 1e-12)


# ------------------------------------------------------------- offsets and chunks


@pytest.mark.parametrize("k", [1, 5, 16, 63, 64, 65, 1000, 9999])
def test_offset_equals_suffix(k, dtype, xp, to_numpy):
    n, p, s = 10007, 0.3, 2**40 + 1
    x_np = np.random.default_rng(9).standard_normal(n).astype(dtype)
    x = as_xp(xp, x_np)
    whole = to_numpy(fastreg.dropout(x, p, seed=s))
    part = to_numpy(fastreg.dropout(x[k:], p, seed=s, offset=k))
    assert_same(part, whole[k:])


@pytest.mark.parametrize("base", [0, 3, 2**40 - 11])
def test_uneven_chunks_reproduce_stream(base, xp, to_numpy):
    n, p, s = 20000, 0.45, 12
    x_np = np.random.default_rng(10).standard_normal(n)
    x = as_xp(xp, x_np)
    whole, mask = fastreg.dropout(x, p, seed=s, offset=base, return_mask=True)
    whole, mask = to_numpy(whole), to_numpy(mask)
    sizes = [1, 6, 57, 64, 100, 3, 1000, 17, 129, 4000]
    pieces, masks, mask_pieces, start = [], [], [], 0
    for size in sizes + [n - sum(sizes)]:
        chunk = x[start:start + size]
        y, m = fastreg.dropout(chunk, p, seed=s, offset=base + start, return_mask=True)
        pieces.append(to_numpy(y))
        masks.append(to_numpy(m))
        mask_pieces.append(fastreg.dropout_mask(size, p, seed=s, offset=base + start))
        start += size
    assert start == n
    assert_same(np.concatenate(pieces), whole)
    np.testing.assert_array_equal(np.concatenate(masks), mask)
    np.testing.assert_array_equal(np.concatenate(mask_pieces), mask)
    np.testing.assert_array_equal(mask, ref.mask(n, p, s, base))


def test_row_chunks_of_2d_array():
    x = np.random.default_rng(11).standard_normal((50, 37))
    whole = fastreg.dropout(x, 0.5, seed=5)
    for k in (1, 7, 49):
        part = fastreg.dropout(x[k:], 0.5, seed=5, offset=k * 37)
        assert_same(part, whole[k:])


def test_overlapping_offset_ranges_share_mask():
    a = fastreg.dropout_mask(1000, 0.5, seed=77, offset=100)
    b = fastreg.dropout_mask(1000, 0.5, seed=77, offset=600)
    np.testing.assert_array_equal(a[500:], b[:500])
    c = fastreg.dropout_mask(1000, 0.5, seed=78, offset=100)
    assert not np.array_equal(a, c)


# ------------------------------------------------------------------- packed masks


@pytest.mark.parametrize("shape", [(1,), (7,), (8,), (9,), (63,), (64,), (65,), (1001,),
                                   (5, 3), (4, 4, 5), ()], ids=str)
def test_packed_mask_matches_packbits(shape, xp, to_numpy):
    p, seed, offset = 0.35, 2**33 + 1, 29
    m = fastreg.dropout_mask(shape, p, seed=seed, offset=offset)
    pk = fastreg.dropout_mask(shape, p, seed=seed, offset=offset, packed=True)
    assert isinstance(m, np.ndarray) and isinstance(pk, np.ndarray)
    size = math.prod(shape)
    assert pk.dtype == np.uint8 and pk.shape == (math.ceil(size / 8),)
    np.testing.assert_array_equal(pk, np.packbits(m.ravel(), bitorder="little"))
    np.testing.assert_array_equal(m, ref.mask(shape, p, seed, offset))
    # round trip
    back = np.unpackbits(pk, bitorder="little", count=size).reshape(shape).astype(bool)
    np.testing.assert_array_equal(back, m)
    # padding bits are zero
    if size % 8:
        assert pk[-1] >> (size % 8) == 0
    # the same from dropout(return_mask=True, packed_mask=True), on every backend
    x = as_xp(xp, np.ones(shape))
    _, pk2 = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True,
                             packed_mask=True)
    np.testing.assert_array_equal(to_numpy(pk2), pk)


def test_padding_bits_zero_when_all_kept():
    pk = fastreg.dropout_mask(13, 0.0, seed=1, packed=True)
    np.testing.assert_array_equal(pk, np.array([0xFF, 0x1F], np.uint8))


def test_dropout_mask_like(xp, to_numpy):
    like = xp.empty(3)
    m = fastreg.dropout_mask((40, 3), 0.6, seed=2, offset=5, like=like)
    assert type(m) is type(like)
    np.testing.assert_array_equal(to_numpy(m), ref.mask((40, 3), 0.6, 2, 5))
    pk = fastreg.dropout_mask((40, 3), 0.6, seed=2, offset=5, like=like, packed=True)
    assert type(pk) is type(like)
    np.testing.assert_array_equal(to_numpy(pk), ref.packed_mask((40, 3), 0.6, 2, 5))


# ----------------------------------------------------------------------- backward


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9])
def test_backward_all_mask_forms_agree(p, dtype, xp, to_numpy):
    shape = (37, 29)
    seed, offset = 2**35 + 3, 101
    g_np = np.random.default_rng(12).standard_normal(shape).astype(dtype)
    before = g_np.copy()
    g = as_xp(xp, g_np)
    m_np = ref.mask(shape, p, seed, offset)
    expected = np.where(m_np, g_np * scale_of(p, dtype), dtype(0))
    x = as_xp(xp, np.ones(shape, dtype))
    _, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    _, pk = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True,
                            packed_mask=True)
    from_bool = fastreg.dropout_backward(g, p, mask=m)
    from_packed = fastreg.dropout_backward(g, p, mask=pk)
    from_seed = fastreg.dropout_backward(g, p, seed=seed, offset=offset)
    for r in (from_bool, from_packed, from_seed):
        assert type(r) is type(g)
        assert_same(to_numpy(r), expected)
    np.testing.assert_array_equal(to_numpy(g), before)


def test_backward_numpy_masks_and_layouts(dtype):
    shape = (40, 30)
    g = np.asfortranarray(np.random.default_rng(13).standard_normal(shape).astype(dtype))
    m = ref.mask(shape, 0.3, 5, 0)
    expected = np.where(m, g * scale_of(0.3, dtype), dtype(0))
    assert_same(fastreg.dropout_backward(g, 0.3, mask=m), expected)
    assert_same(fastreg.dropout_backward(g, 0.3, mask=np.asfortranarray(m)), expected)
    assert_same(fastreg.dropout_backward(g, 0.3, seed=5), expected)
    pk = np.packbits(m.ravel(), bitorder="little")
    assert_same(fastreg.dropout_backward(g, 0.3, mask=pk), expected)
    strided = np.random.default_rng(14).standard_normal((80, 60)).astype(dtype)[::2, ::-2]
    expected_s = np.where(m, strided * scale_of(0.3, dtype), dtype(0))
    assert_same(fastreg.dropout_backward(strided, 0.3, seed=5), expected_s)
    big = np.zeros((40, 60), bool)
    big[:, ::2] = m
    assert_same(fastreg.dropout_backward(strided, 0.3, mask=big[:, ::2]), expected_s)


def test_backward_is_forward_derivative(dtype):
    x = np.random.default_rng(15).standard_normal(3000).astype(dtype)
    y, m = fastreg.dropout(x, 0.4, seed=21, offset=7, return_mask=True)
    # forward of ones == backward of ones
    ones = np.ones_like(x)
    assert_same(fastreg.dropout(ones, 0.4, seed=21, offset=7),
                fastreg.dropout_backward(ones, 0.4, seed=21, offset=7))
    assert_same(fastreg.dropout_backward(x, 0.4, mask=m), y)


def test_backward_p_one_zero_and_out(dtype):
    g = np.random.default_rng(16).standard_normal(500).astype(dtype)
    assert np.all(fastreg.dropout_backward(g, 1.0, seed=3) == 0)
    assert_same(fastreg.dropout_backward(g, 0.0, seed=3), g)
    out = np.empty_like(g)
    r = fastreg.dropout_backward(g, 0.5, seed=3, out=out)
    assert r is out
    m = ref.mask(500, 0.5, 3)
    assert_same(out, np.where(m, g * scale_of(0.5, dtype), dtype(0)))
    g2 = g.copy()
    assert fastreg.dropout_backward(g2, 0.5, seed=3, out=g2) is g2
    assert_same(g2, out)


def test_backward_int_grad_converted():
    g = np.arange(100)
    r = fastreg.dropout_backward(g, 0.5, seed=3)
    assert r.dtype == np.float64
    assert_same(r, np.where(ref.mask(100, 0.5, 3), g * 2.0, 0.0))


# ------------------------------------------------------------------ thread counts


def test_masks_independent_of_thread_count(restore_threads):
    n = 2**20 + 333
    seed, offset, p = 2**32 + 9, 2**40 + 5, 0.3
    x = np.random.default_rng(17).standard_normal(n).astype(np.float32)
    results = {}
    openmp = fastreg._core.build_info()["openmp"]
    for t in (1, 2):
        fastreg.set_num_threads(t)
        assert fastreg.get_num_threads() == (t if openmp else 1)
        y, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
        _, pk = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True,
                                packed_mask=True)
        mm = fastreg.dropout_mask(n, p, seed=seed, offset=offset)
        gb = fastreg.dropout_backward(x, p, seed=seed, offset=offset)
        results[t] = (y, m, pk, mm, gb)
    for a, b in zip(results[1], results[2]):
        np.testing.assert_array_equal(a, b)
    y_ref, m_ref = expected_forward(x, p, seed, offset)
    np.testing.assert_array_equal(results[1][1], m_ref)
    assert_same(results[2][0], y_ref)
    np.testing.assert_array_equal(results[2][2], np.packbits(m_ref, bitorder="little"))


# --------------------------------------------------------------------- layouts


_LAYOUT_CASES = {
    # name: (base shape, view, F-order base?)
    "F": ((60, 70), lambda a: a, True),
    "strided": ((60, 70), lambda a: a[::2, 1::3], False),
    "neg": ((60, 70), lambda a: a[::-1, ::-1], False),
    "transposed": ((60, 70), lambda a: a.T, False),
    "F-row-slice": ((60, 70), lambda a: a[3:41], True),
    "3d-F": ((7, 8, 9), lambda a: a, True),
    "3d-perm": ((7, 8, 9), lambda a: a.transpose(2, 0, 1), False),
}


@pytest.mark.parametrize("case", list(_LAYOUT_CASES))
def test_layout_independence(case, dtype, xp, to_numpy):
    shape, view, fortran = _LAYOUT_CASES[case]
    base = np.asarray(np.random.default_rng(18).standard_normal(shape), dtype=dtype)
    if fortran:
        base = np.asfortranarray(base)
    x_np = view(base)
    x = view(as_xp(xp, base))
    before = x_np.copy()
    c = np.ascontiguousarray(x_np)
    seed, offset, p = 2**34 + 2, 31, 0.4
    y, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    yc, mc = fastreg.dropout(as_xp(xp, c), p, seed=seed, offset=offset, return_mask=True)
    assert_same(to_numpy(y), to_numpy(yc))
    np.testing.assert_array_equal(to_numpy(m), to_numpy(mc))
    np.testing.assert_array_equal(to_numpy(m), ref.mask(x_np.shape, p, seed, offset))
    assert_same(to_numpy(yc), expected_forward(c, p, seed, offset)[0])
    np.testing.assert_array_equal(to_numpy(x), before)
    g = fastreg.dropout_backward(x, p, seed=seed, offset=offset)
    assert_same(to_numpy(g), to_numpy(yc))
    if xp is np:
        # same memory layout as a C- or F-contiguous input, C order otherwise
        if x.flags.c_contiguous:
            assert y.flags.c_contiguous
        elif x.flags.f_contiguous:
            assert y.flags.f_contiguous
        else:
            assert y.flags.c_contiguous, y.strides


# --------------------------------------------------------------------------- out=


def test_out_new_and_in_place(dtype, xp, to_numpy):
    x_np = np.random.default_rng(19).standard_normal((100, 10)).astype(dtype)
    y_ref, _ = expected_forward(x_np, 0.25, 4)
    x = as_xp(xp, x_np.copy())
    out = xp.empty_like(x)
    assert fastreg.dropout(x, 0.25, seed=4, out=out) is out
    assert_same(to_numpy(out), y_ref)
    r, m = fastreg.dropout(x, 0.25, seed=4, out=x, return_mask=True)
    assert r is x
    assert_same(to_numpy(x), y_ref)
    np.testing.assert_array_equal(to_numpy(m), ref.mask((100, 10), 0.25, 4))


def test_out_other_layout():
    x = np.random.default_rng(20).standard_normal((30, 40))
    out = np.empty((30, 40), order="F")
    assert fastreg.dropout(x, 0.5, seed=6, out=out) is out
    assert_same(out, expected_forward(x, 0.5, 6)[0])


# --------------------------------------------------------------------- bad inputs

X = np.ones(10)


@pytest.mark.parametrize("p", [-0.1, 1.1, -1e-300, 1 + 1e-15, np.nan, np.inf, -np.inf, 2])
def test_bad_p_value(p):
    with pytest.raises(ValueError, match=r"\bp\b"):
        fastreg.dropout(X, p, seed=1)
    with pytest.raises(ValueError, match=r"\bp\b"):
        fastreg.dropout_mask(10, p, seed=1)
    with pytest.raises(ValueError, match=r"\bp\b"):
        fastreg.dropout_backward(X, p, seed=1)


@pytest.mark.parametrize("p", ["0.5", None, [0.5], object()], ids=["str", "None", "list",
                                                                   "object"])
def test_bad_p_type(p):
    with pytest.raises(TypeError, match=r"\bp\b"):
        fastreg.dropout(X, p, seed=1)
    with pytest.raises(TypeError, match=r"\bp\b"):
        fastreg.dropout_mask(10, p, seed=1)
    with pytest.raises(TypeError, match=r"\bp\b"):
        fastreg.dropout_backward(X, p, seed=1)


def test_complex_p_rejected():
    with pytest.raises((TypeError, ValueError), match=r"\bp\b"):
        fastreg.dropout(X, 0.5 + 0j, seed=1)


@pytest.mark.parametrize("seed", [-1, 2**64, 2**70, -(2**63)])
def test_bad_seed_value(seed):
    with pytest.raises(ValueError, match="seed"):
        fastreg.dropout(X, 0.5, seed=seed)
    with pytest.raises(ValueError, match="seed"):
        fastreg.dropout_mask(10, 0.5, seed=seed)
    with pytest.raises(ValueError, match="seed"):
        fastreg.dropout_backward(X, 0.5, seed=seed)


@pytest.mark.parametrize("seed", [1.0, 2.5, True, False, np.bool_(True), "1",
                                  np.float64(3), None],
                         ids=["float", "float2", "True", "False", "np.bool", "str",
                              "np.float", "None"])
def test_bad_seed_type(seed):
    with pytest.raises(TypeError, match="seed"):
        fastreg.dropout(X, 0.5, seed=seed)
    with pytest.raises(TypeError, match="seed"):
        fastreg.dropout_mask(10, 0.5, seed=seed)
    if seed is not None:  # seed=None in backward means "use mask=" (then: neither given)
        with pytest.raises(TypeError, match="seed"):
            fastreg.dropout_backward(X, 0.5, seed=seed)


def test_missing_seed_is_typeerror():
    with pytest.raises(TypeError, match="seed"):
        fastreg.dropout(X, 0.5)
    with pytest.raises(TypeError, match="seed"):
        fastreg.dropout_mask(10, 0.5)
    with pytest.raises(TypeError):
        fastreg.dropout(X, 0.5, 3)  # seed is keyword-only


@pytest.mark.parametrize("offset", [-1, -(2**40)])
def test_negative_offset(offset):
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout(X, 0.5, seed=1, offset=offset)
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout_mask(10, 0.5, seed=1, offset=offset)
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout_backward(X, 0.5, seed=1, offset=offset)


@pytest.mark.parametrize("offset", [1.0, 2.5, "3", None],
                         ids=["float", "float2", "str", "None"])
def test_bad_offset_type(offset):
    with pytest.raises(TypeError, match="offset"):
        fastreg.dropout(X, 0.5, seed=1, offset=offset)
    with pytest.raises(TypeError, match="offset"):
        fastreg.dropout_mask(10, 0.5, seed=1, offset=offset)


def test_offset_plus_size_beyond_counter_space():
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout(X, 0.5, seed=1, offset=2**64 - 9)
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout_mask(10, 0.5, seed=1, offset=2**64)
    with pytest.raises(ValueError, match="offset"):
        fastreg.dropout_backward(X, 0.5, seed=1, offset=2**64 - 5)
    y = fastreg.dropout(X, 0.5, seed=1, offset=2**64 - 10)  # exactly fits
    assert_same(y, expected_forward(X, 0.5, 1, 2**64 - 10)[0])


def test_backward_mask_and_seed_exclusive():
    m = np.ones(10, bool)
    with pytest.raises(ValueError, match="mask|seed"):
        fastreg.dropout_backward(X, 0.5, mask=m, seed=1)
    with pytest.raises(ValueError, match="mask|seed"):
        fastreg.dropout_backward(X, 0.5)


@pytest.mark.parametrize("mask", [np.ones(9, bool), np.ones(11, bool), np.ones((2, 5), bool),
                                  np.ones(1, np.uint8), np.ones(3, np.uint8),
                                  np.ones(10, np.uint8)],
                         ids=["bool9", "bool11", "bool2x5", "u8-1", "u8-3", "u8-10"])
def test_backward_mask_wrong_size(mask):
    with pytest.raises(ValueError, match="mask"):
        fastreg.dropout_backward(X, 0.5, mask=mask)


@pytest.mark.parametrize("mask", [np.ones(10), np.ones(10, np.int8), np.ones(2, np.int8),
                                  np.ones(10, np.float32), np.ones(2, np.uint16)],
                         ids=["f64", "i8", "i8-packed-size", "f32", "u16"])
def test_backward_mask_wrong_dtype(mask):
    with pytest.raises(TypeError, match="mask"):
        fastreg.dropout_backward(X, 0.5, mask=mask)


@pytest.mark.parametrize("bad", [np.array([1 + 1j]), np.array([1], dtype=object),
                                 np.array(["a"])], ids=["complex", "object", "str"])
def test_bad_x_dtype(bad):
    with pytest.raises(TypeError, match=r"\bx\b"):
        fastreg.dropout(bad, 0.5, seed=1)
    with pytest.raises(TypeError, match="grad"):
        fastreg.dropout_backward(bad, 0.5, seed=1)


def test_out_errors(dtype):
    x = np.ones((4, 5), dtype)
    other = np.float64 if dtype == np.float32 else np.float32
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(x, 0.5, seed=1, out=np.empty((5, 4), dtype))
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(x, 0.5, seed=1, out=np.empty(20, dtype))
    with pytest.raises(TypeError, match=r"\bout\b"):
        fastreg.dropout(x, 0.5, seed=1, out=np.empty((4, 5), other))
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout_backward(x, 0.5, seed=1, out=np.empty((4, 4), dtype))
    with pytest.raises(TypeError, match=r"\bout\b"):
        fastreg.dropout_backward(x, 0.5, seed=1, out=np.empty((4, 5), other))
    ro = np.empty((4, 5), dtype)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(x, 0.5, seed=1, out=ro)
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(x, 0.5, seed=1, training=False, out=np.empty((5, 4), dtype))


def test_out_partial_overlap(dtype):
    buf = np.arange(101, dtype=dtype)
    before = buf.copy()
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(buf[:-1], 0.5, seed=1, out=buf[1:])
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout(buf, 0.5, seed=1, out=buf[::-1])
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.dropout_backward(buf[1:], 0.5, seed=1, out=buf[:-1])
    np.testing.assert_array_equal(buf, before)


@pytest.mark.parametrize("shape", [-1, (3, -2)])
def test_dropout_mask_negative_shape(shape):
    with pytest.raises(ValueError, match="shape"):
        fastreg.dropout_mask(shape, 0.5, seed=1)


@pytest.mark.parametrize("shape", [2.0, (3, 1.5), "3"])
def test_dropout_mask_bad_shape_type(shape):
    with pytest.raises(TypeError, match="shape"):
        fastreg.dropout_mask(shape, 0.5, seed=1)


# ---------------------------------------------------------------- 64-bit indices


@pytest.mark.large
def test_indices_are_64_bit():
    n = 2**31 + 128
    pk = fastreg.dropout_mask((n,), 0.5, seed=3, packed=True)
    assert pk.shape == (n // 8,)
    tail = fastreg.dropout_mask((128,), 0.5, seed=3, offset=2**31, packed=True)
    np.testing.assert_array_equal(pk[-16:], tail)
    np.testing.assert_array_equal(tail, ref.packed_mask((128,), 0.5, 3, 2**31))
    head = fastreg.dropout_mask((128,), 0.5, seed=3, packed=True)
    np.testing.assert_array_equal(pk[:16], head)
    assert not np.array_equal(pk[-16:], pk[:16])


# -------------------------------------------------------------------- hypothesis

@given(
    x=hnp.arrays(
        dtype=st.sampled_from([np.float32, np.float64]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12),
        elements={"allow_nan": True, "allow_infinity": True},
    ),
    p=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**64 - 1),
    offset=st.integers(0, 2**50),
    order=st.sampled_from(["C", "F", "rev"]),
)
def test_forward_backward_property(x, p, seed, offset, order):
    if order == "F":
        x = np.asfortranarray(x)
    elif order == "rev" and x.ndim:
        x = x[..., ::-1]
    y, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    y_ref, m_ref = expected_forward(x, p, seed, offset)
    np.testing.assert_array_equal(m, m_ref)
    assert_same(y, y_ref)
    # backward of grad == x is the forward wherever x is finite
    g = fastreg.dropout_backward(x, p, seed=seed, offset=offset)
    assert g.dtype == x.dtype and g.shape == x.shape
    fin = np.isfinite(x)
    np.testing.assert_array_equal(g[fin], y_ref[fin])
