"""soft_threshold and enet_prox against NumPy references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import fastreg


def ref_soft(x, t):
    """sign(x) * max(|x| - t, 0), in float64 (or longer) arithmetic."""
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.sign(x) * np.maximum(np.abs(x) - t, 0)


def ref_soft_same_dtype(x, t):
    """The same reference evaluated in x's dtype (t rounded to it first)."""
    x = np.asarray(x)
    t = np.asarray(t, dtype=x.dtype)
    with np.errstate(all="ignore"):
        return np.sign(x) * np.maximum(np.abs(x) - t, x.dtype.type(0))


def ref_enet(x, l1, l2):
    with np.errstate(all="ignore"):
        return ref_soft(x, l1) / (1 + np.asarray(l2, dtype=np.float64))


def assert_soft_close(y, x, t):
    """y is soft_threshold(x, t) up to the rounding of t to x's dtype and of the result:
    |y - ref64| <= spacing(max(|x|, t)) in x's dtype."""
    x = np.asarray(x)
    t = np.broadcast_to(np.asarray(t, dtype=np.float64), x.shape)
    expected = ref_soft(x, t)
    assert y.shape == expected.shape
    scale = np.maximum(np.abs(x.astype(np.float64)), t).astype(x.dtype)
    tol = np.spacing(scale).astype(np.float64)
    err = np.abs(np.asarray(y, dtype=np.float64) - expected)
    assert np.all(err <= tol), (np.flatnonzero(err > tol)[:5], err.max())


def sample(rng, shape, dtype, scale=3.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


# --------------------------------------------------------------------------- layouts


# name -> (base shape, view applied to the base array, F-order base?)
_LAYOUTS = {
    "C-1d": ((1000,), lambda a: a, False),
    "C-2d": ((37, 41), lambda a: a, False),
    "F-2d": ((37, 41), lambda a: a, True),
    "C-3d": ((6, 7, 8), lambda a: a, False),
    "F-3d": ((6, 7, 8), lambda a: a, True),
    "slice-step": ((3001,), lambda a: a[::3], False),
    "neg-stride": ((500,), lambda a: a[::-1], False),
    "neg-stride-2d": ((20, 30), lambda a: a[::-2, ::-1], False),
    "col-slice": ((40, 30), lambda a: a[:, 3:17], False),
    "F-row-slice": ((40, 30), lambda a: a[5:31], True),
    "transposed-3d": ((6, 7, 8), lambda a: a.transpose(1, 2, 0), False),
    "0d": ((), lambda a: a, False),
    "empty": ((0,), lambda a: a, False),
    "empty-2d": ((3, 0), lambda a: a, False),
}
LAYOUT_NAMES = list(_LAYOUTS)


def make_layout(name, xp, dtype, seed):
    """(x on backend xp with the named layout, the same values as a NumPy array)."""
    shape, view, fortran = _LAYOUTS[name]
    rng = np.random.default_rng(seed)
    base = np.asarray(rng.standard_normal(shape) * 3.0, dtype=dtype)
    if fortran:
        base = np.asfortranarray(base)
    if xp is np:
        x = view(base)
    else:
        x = view(xp.asarray(base, order="F" if fortran else "C"))
    return x, np.array(view(base))  # np.array: a C-order copy of the values


def assert_result_layout(y, x):
    """A new array with x's memory layout when x is C- or F-contiguous, C order otherwise."""
    assert not np.shares_memory(y, x)
    if x.flags.c_contiguous:
        assert y.flags.c_contiguous, y.strides
    elif x.flags.f_contiguous:
        assert y.flags.f_contiguous, y.strides
    else:
        assert y.flags.c_contiguous, y.strides


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_soft_threshold_layouts(layout, dtype, xp, to_numpy, assert_ulp):
    x, x_np = make_layout(layout, xp, dtype, LAYOUT_NAMES.index(layout))
    x_before = x_np.copy()
    y = fastreg.soft_threshold(x, 0.75)  # 0.75 is exact in both dtypes
    assert type(y) is type(x)
    y_np = to_numpy(y)
    assert y_np.dtype == dtype
    assert y_np.shape == x_np.shape
    # exact: the same rounded subtraction as the reference in x's dtype
    assert_ulp(y_np, ref_soft_same_dtype(x_np, 0.75), 0)
    np.testing.assert_array_equal(to_numpy(x), x_before)  # input untouched
    if xp is np:
        assert_result_layout(y, x)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_enet_prox_layouts(layout, dtype, xp, to_numpy, assert_ulp, ulps):
    x, x_np = make_layout(layout, xp, dtype, 100 + LAYOUT_NAMES.index(layout))
    x_before = x_np.copy()
    y = fastreg.enet_prox(x, 0.375, 0.7)
    y_np = to_numpy(y)
    assert y_np.dtype == dtype and y_np.shape == x_np.shape
    assert_ulp(y_np, ref_enet(x_np, 0.375, 0.7), ulps, dtype=dtype)
    np.testing.assert_array_equal(to_numpy(x), x_before)
    if xp is np:
        assert_result_layout(y, x)


def test_zero_d_returns_zero_d_array(dtype):
    y = fastreg.soft_threshold(np.asarray(dtype(-3.0)), 1.0)
    assert isinstance(y, np.ndarray) and y.ndim == 0 and y.dtype == dtype
    assert y[()] == -2.0
    z = fastreg.enet_prox(np.asarray(dtype(3.0)), 1.0, 1.0)
    assert isinstance(z, np.ndarray) and z.ndim == 0 and z[()] == 1.0


def test_empty(dtype):
    for shape in [(0,), (0, 5), (5, 0, 2)]:
        x = np.empty(shape, dtype)
        y = fastreg.soft_threshold(x, 1.0)
        assert y.shape == shape and y.dtype == dtype
        z = fastreg.enet_prox(x, 1.0, np.ones(shape[-1:]))
        assert z.shape == shape and z.dtype == dtype


# ------------------------------------------------------------------------ thresholds


@pytest.mark.parametrize("t", [0.0, 0.5, 1.0, 2.0, 1e-3, 0.1, 3])
def test_soft_threshold_scalar_thresholds(t, dtype, xp, to_numpy, assert_ulp):
    rng = np.random.default_rng(3)
    x_np = sample(rng, (2000,), dtype)
    x_np[:4] = [0.0, -0.0, t, -t]
    x = xp.asarray(x_np) if xp is not np else x_np
    y = to_numpy(fastreg.soft_threshold(x, t))
    assert y.dtype == dtype
    if float(dtype(t)) == t:  # representable threshold: exact
        assert_ulp(y, ref_soft_same_dtype(x_np, t), 0)
    assert_soft_close(y, x_np, t)
    assert np.all(y[:4] == 0)


def test_soft_threshold_zero_threshold_is_identity(dtype):
    x = sample(np.random.default_rng(4), (999,), dtype)
    np.testing.assert_array_equal(fastreg.soft_threshold(x, 0.0), x)


def test_soft_threshold_known_values(dtype):
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0], dtype)
    y = fastreg.soft_threshold(x, 1.0)
    np.testing.assert_array_equal(y, np.array([-2, 0, 0, 0, 0, 0, 2], dtype))
    z = fastreg.enet_prox(x, 1.0, 1.0)
    np.testing.assert_array_equal(z, np.array([-1, 0, 0, 0, 0, 0, 1], dtype))


@pytest.mark.parametrize("tshape", ["full", "row", "col", "0d", "1d-last", "11"])
def test_broadcast_thresholds(tshape, dtype, xp, to_numpy, assert_ulp, ulps):
    rng = np.random.default_rng(5)
    m, n = 23, 31
    x_np = sample(rng, (m, n), dtype)
    shape = {"full": (m, n), "row": (1, n), "col": (m, 1), "0d": (), "1d-last": (n,),
             "11": (1, 1)}[tshape]
    t_np = np.abs(rng.standard_normal(shape)).astype(dtype) * dtype(2)
    l2_np = np.abs(rng.standard_normal(shape)).astype(dtype)
    t_before = t_np.copy()
    if xp is np:
        x, t, l2 = x_np, t_np, l2_np
    else:
        x, t, l2 = xp.asarray(x_np), xp.asarray(t_np), xp.asarray(l2_np)
    y = to_numpy(fastreg.soft_threshold(x, t))
    assert y.shape == (m, n) and y.dtype == dtype
    assert_ulp(y, ref_soft_same_dtype(x_np, np.broadcast_to(t_np, (m, n))), 0)
    z = to_numpy(fastreg.enet_prox(x, t, l2))
    assert z.shape == (m, n) and z.dtype == dtype
    assert_ulp(z, ref_enet(x_np, t_np, l2_np), ulps, dtype=dtype)
    np.testing.assert_array_equal(to_numpy(t), t_before)


def test_threshold_array_of_other_dtype_does_not_change_result_dtype(assert_ulp):
    rng = np.random.default_rng(6)
    x = sample(rng, (50, 8), np.float32)
    t = np.abs(rng.standard_normal(8))  # float64 threshold
    y = fastreg.soft_threshold(x, t)
    assert y.dtype == np.float32
    assert_soft_close(y, x, t)
    ti = np.arange(8)  # integer thresholds
    assert_ulp(fastreg.soft_threshold(x, ti), ref_soft(x, ti), 0)


def test_threshold_list_is_array_like(dtype):
    # the docstrings say ``threshold : float or array_like``
    x = np.array([[-3.0, 3.0], [5.0, -5.0]], dtype)
    np.testing.assert_array_equal(fastreg.soft_threshold(x, [1.0, 2.0]),
                                  np.array([[-2, 1], [4, -3]], dtype))
    np.testing.assert_array_equal(fastreg.enet_prox(x, [1.0, 2.0], [[1.0], [0.0]]),
                                  np.array([[-1, 0.5], [4, -3]], dtype))


def test_x_list_is_array_like():
    y = fastreg.soft_threshold([-2.0, 0.5, 3.0], 1.0)
    assert isinstance(y, np.ndarray) and y.dtype == np.float64
    np.testing.assert_array_equal(y, [-1.0, 0.0, 2.0])


def test_threshold_numpy_scalars(dtype):
    x = np.array([[-3.0, 3.0], [5.0, -5.0]], dtype)
    np.testing.assert_array_equal(fastreg.soft_threshold(x, np.asarray(1.0)),
                                  np.array([[-2, 2], [4, -4]], dtype))
    np.testing.assert_array_equal(fastreg.soft_threshold(x, np.float32(1)),
                                  np.array([[-2, 2], [4, -4]], dtype))
    np.testing.assert_array_equal(fastreg.soft_threshold(x, np.int64(1)),
                                  np.array([[-2, 2], [4, -4]], dtype))


def test_infinite_threshold_zeroes_finite_values(dtype):
    x = sample(np.random.default_rng(7), (300,), dtype)
    y = fastreg.soft_threshold(x, np.inf)
    assert np.all(y == 0)
    z = fastreg.enet_prox(x, 1.0, np.inf)  # / (1 + inf)
    assert np.all(z == 0)


def test_threshold_int_beyond_float_range_rounds_to_inf(dtype):
    # A Python int too large for float64 rounds to inf, as a float beyond float32's range
    # does for float32 x: the result is the infinite threshold's, 0 for finite x.
    x = np.array([-3.0, 0.0, 2.5, 1e30, np.inf, np.nan], dtype)
    big = 2**1100
    expected = fastreg.soft_threshold(x, np.inf)
    np.testing.assert_array_equal(fastreg.soft_threshold(x, big), expected)
    np.testing.assert_array_equal(fastreg.soft_threshold(x[::2], big), expected[::2])
    np.testing.assert_array_equal(fastreg.enet_prox(x, big, 0.0), expected)
    assert np.all(fastreg.enet_prox(x[:4], 1.0, big) == 0)
    with pytest.raises(ValueError, match="threshold: must be non-negative"):
        fastreg.soft_threshold(x, -big)


def test_big_endian_input_is_converted(dtype):
    x = sample(np.random.default_rng(3), (5, 7), dtype)
    swapped = x.astype(np.dtype(dtype).newbyteorder(">" if np.little_endian else "<"))
    for y, ref in ((fastreg.soft_threshold(swapped, 0.5), fastreg.soft_threshold(x, 0.5)),
                   (fastreg.enet_prox(swapped, 0.5, 1.0), fastreg.enet_prox(x, 0.5, 1.0)),
                   (fastreg.soft_threshold(x, swapped[0] ** 2), fastreg.soft_threshold(x, x[0] ** 2))):
        assert y.dtype == np.dtype(dtype) and y.dtype.isnative
        np.testing.assert_array_equal(y, ref)
    with pytest.raises(TypeError, match="out: dtype"):
        fastreg.soft_threshold(x, 0.5, out=np.empty_like(swapped))


def test_torch_bfloat16_computed_in_float32():
    torch = pytest.importorskip("torch")
    values = [-3.0, -0.25, 0.0, 0.75, 2.0]
    t = torch.tensor(values, dtype=torch.bfloat16)  # these values are exact in bfloat16
    y = fastreg.soft_threshold(t, 0.5)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, ref_soft(np.array(values, np.float32), 0.5))


def test_x_numpy_cannot_read_is_typeerror_naming_x():
    class Unreadable:
        def __array__(self, dtype=None, copy=None):
            raise TypeError("no array here")

    with pytest.raises(TypeError, match="^x: cannot be read as an array.*no array here"):
        fastreg.soft_threshold(Unreadable(), 0.5)


# ------------------------------------------------------------------ special values


def test_nan_propagates_and_inf_stays_inf(dtype, xp, to_numpy):
    x_np = np.array([np.nan, np.inf, -np.inf, 1.0, -np.nan, 0.2], dtype)
    x = xp.asarray(x_np) if xp is not np else x_np
    for y in (fastreg.soft_threshold(x, 0.5), fastreg.enet_prox(x, 0.5, 1.0)):
        y = to_numpy(y)
        assert np.isnan(y[0]) and np.isnan(y[4])
        assert y[1] == np.inf and y[2] == -np.inf
        assert y[5] == 0
    assert to_numpy(fastreg.soft_threshold(x, 0.5))[3] == 0.5
    assert to_numpy(fastreg.enet_prox(x, 0.5, 1.0))[3] == 0.25


def test_inf_minus_inf_threshold_gives_nan(dtype):
    x = np.array([np.inf, -np.inf, 1.0], dtype)
    y = fastreg.soft_threshold(x, np.inf)
    assert np.isnan(y[0]) and np.isnan(y[1]) and y[2] == 0


def test_nan_threshold_inside_array_raises():
    x = np.ones(4)
    with pytest.raises(ValueError, match="threshold"):
        fastreg.soft_threshold(x, np.array([0.0, np.nan, 1.0, 2.0]))


# ------------------------------------------------------------------ dtype handling


@pytest.mark.parametrize("in_dtype", [np.int8, np.int32, np.int64, np.uint16, np.uint64,
                                      np.bool_])
def test_int_and_bool_converted_to_float64(in_dtype):
    x = np.arange(-6, 7).astype(in_dtype) if np.dtype(in_dtype).kind != "u" else \
        np.arange(13).astype(in_dtype)
    x_before = x.copy()
    y = fastreg.soft_threshold(x, 2)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, ref_soft(x.astype(np.float64), 2.0))
    z = fastreg.enet_prox(x, 0.5, 1)
    assert z.dtype == np.float64
    np.testing.assert_array_equal(z, ref_soft(x.astype(np.float64), 0.5) / 2)
    np.testing.assert_array_equal(x, x_before)
    assert x.dtype == in_dtype


def test_float32_kept():
    x = np.linspace(-2, 2, 101, dtype=np.float32)
    assert fastreg.soft_threshold(x, 0.5).dtype == np.float32
    assert fastreg.enet_prox(x, 0.5, 0.5).dtype == np.float32
    assert fastreg.soft_threshold(x, np.float64(0.5)).dtype == np.float32


def test_float16_computed_in_float32():
    x = np.array([-2.0, 0.25, 3.0], dtype=np.float16)
    y = fastreg.soft_threshold(x, 0.5)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, np.array([-1.5, 0.0, 2.5], dtype=np.float32))


@pytest.mark.parametrize("bad", [
    np.array([1 + 2j, 3j]),
    np.array([1, 2], dtype=object),
    np.array(["a", "b"]),
    np.array(["2020-01-01"], dtype="datetime64[D]"),
    np.array([1.0, 2.0], dtype=np.longdouble),
], ids=["complex", "object", "str", "datetime", "longdouble"])
def test_bad_x_dtype_raises_typeerror(bad):
    with pytest.raises(TypeError, match=r"\bx\b"):
        fastreg.soft_threshold(bad, 0.5)
    with pytest.raises(TypeError, match=r"\bx\b"):
        fastreg.enet_prox(bad, 0.5, 0.5)


# --------------------------------------------------------------- threshold errors


@pytest.mark.parametrize("t", [-1.0, -1e-300, np.nan, np.array([1.0, -0.5, 2.0]),
                               np.array([np.nan]), -np.inf],
                         ids=["neg", "tiny-neg", "nan", "array-neg", "array-nan",
                              "-inf"])
def test_negative_or_nan_threshold_raises(t):
    x = np.ones(3)
    with pytest.raises(ValueError, match="threshold"):
        fastreg.soft_threshold(x, t)
    with pytest.raises(ValueError, match="l1"):
        fastreg.enet_prox(x, t, 0.0)
    with pytest.raises(ValueError, match="l2"):
        fastreg.enet_prox(x, 0.0, t)


@pytest.mark.parametrize("tshape", [(4,), (2,), (3, 2), (2, 2, 3), (3, 1, 1), (1, 3, 3)])
def test_non_broadcastable_or_enlarging_threshold_raises(tshape):
    x = np.ones((2, 3))
    t = np.ones(tshape)
    with pytest.raises(ValueError, match="threshold"):
        fastreg.soft_threshold(x, t)
    with pytest.raises(ValueError, match="l1"):
        fastreg.enet_prox(x, t, 0.0)
    with pytest.raises(ValueError, match="l2"):
        fastreg.enet_prox(x, 0.0, t)


def test_threshold_must_not_enlarge_zero_d_x():
    with pytest.raises(ValueError, match="threshold"):
        fastreg.soft_threshold(np.asarray(1.0), np.ones(3))


def test_complex_threshold_raises():
    with pytest.raises((TypeError, ValueError), match="threshold"):
        fastreg.soft_threshold(np.ones(3), 1 + 1j)


# ----------------------------------------------------------------------------- out=


def test_out_new_array(dtype, xp, to_numpy, assert_ulp):
    x_np = sample(np.random.default_rng(8), (64, 33), dtype)
    x = xp.asarray(x_np) if xp is not np else x_np
    out = xp.empty_like(x)
    r = fastreg.soft_threshold(x, 0.5, out=out)
    assert r is out
    assert_ulp(to_numpy(out), ref_soft_same_dtype(x_np, 0.5), 0)
    out2 = xp.empty_like(x)
    r2 = fastreg.enet_prox(x, 0.5, 1.0, out=out2)
    assert r2 is out2
    assert_ulp(to_numpy(out2), ref_enet(x_np, 0.5, 1.0), 4, dtype=dtype)


def test_out_is_x_in_place(dtype, xp, to_numpy, assert_ulp):
    x_np = sample(np.random.default_rng(9), (1000,), dtype)
    expected = ref_soft_same_dtype(x_np, 0.25)
    x = xp.asarray(x_np.copy())
    r = fastreg.soft_threshold(x, 0.25, out=x)
    assert r is x
    assert_ulp(to_numpy(x), expected, 0)
    x2 = xp.asarray(x_np.copy())
    r2 = fastreg.enet_prox(x2, 0.25, 3.0, out=x2)
    assert r2 is x2
    assert_ulp(to_numpy(x2), ref_enet(x_np, 0.25, 3.0), 4, dtype=dtype)


@pytest.mark.parametrize("view", ["strided", "F", "neg"])
def test_out_in_place_on_views(view, dtype, assert_ulp):
    rng = np.random.default_rng(10)
    buf = sample(rng, (40, 50), dtype)
    full_before = buf.copy()
    x = {"strided": buf[::2, 1::3], "F": np.asfortranarray(buf), "neg": buf[::-1, ::-2]}[view]
    expected = ref_soft_same_dtype(x.copy(), 1.0)
    r = fastreg.soft_threshold(x, 1.0, out=x)
    assert r is x
    assert_ulp(x, expected, 0)
    if view != "F":  # elements outside the view are untouched
        untouched = np.ones(buf.shape, bool)
        untouched[{"strided": (slice(None, None, 2), slice(1, None, 3)),
                   "neg": (slice(None, None, -1), slice(None, None, -2))}[view]] = False
        np.testing.assert_array_equal(buf[untouched], full_before[untouched])


def test_out_with_other_layout(dtype, assert_ulp):
    x = sample(np.random.default_rng(11), (30, 20), dtype)
    out = np.empty((30, 20), dtype, order="F")
    r = fastreg.soft_threshold(x, 0.5, out=out)
    assert r is out
    assert_ulp(out, ref_soft_same_dtype(x, 0.5), 0)
    out2 = np.empty((30, 40), dtype)[:, ::2]
    r2 = fastreg.soft_threshold(x, 0.5, out=out2)
    assert r2 is out2
    assert_ulp(out2, ref_soft_same_dtype(x, 0.5), 0)


def test_out_int_input_needs_float64_out():
    x = np.arange(10)
    out = np.empty(10)
    assert fastreg.soft_threshold(x, 3, out=out) is out
    np.testing.assert_array_equal(out, ref_soft(x, 3))
    with pytest.raises(TypeError, match=r"\bout\b"):
        fastreg.soft_threshold(x, 3, out=np.empty(10, np.int64))


def test_out_wrong_shape_raises(dtype):
    x = np.ones((4, 5), dtype)
    for bad in (np.empty((5, 4), dtype), np.empty(20, dtype), np.empty((1, 5), dtype),
                np.empty((4, 5, 1), dtype)):
        with pytest.raises(ValueError, match=r"\bout\b"):
            fastreg.soft_threshold(x, 0.5, out=bad)
        with pytest.raises(ValueError, match=r"\bout\b"):
            fastreg.enet_prox(x, 0.5, 0.5, out=bad)


def test_out_wrong_dtype_raises(dtype):
    x = np.ones((4, 5), dtype)
    other = np.float64 if dtype == np.float32 else np.float32
    for bad in (np.empty((4, 5), other), np.empty((4, 5), np.int64)):
        with pytest.raises(TypeError, match=r"\bout\b"):
            fastreg.soft_threshold(x, 0.5, out=bad)
        with pytest.raises(TypeError, match=r"\bout\b"):
            fastreg.enet_prox(x, 0.5, 0.5, out=bad)


def test_out_not_an_array_raises():
    with pytest.raises(TypeError, match=r"\bout\b"):
        fastreg.soft_threshold(np.ones(3), 0.5, out=[0.0, 0.0, 0.0])


def test_out_read_only_raises():
    x = np.ones(8)
    out = np.empty(8)
    out.flags.writeable = False
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.soft_threshold(x, 0.5, out=out)
    x.flags.writeable = False
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.soft_threshold(x, 0.5, out=x)


def test_read_only_input_ok():
    x = np.linspace(-3, 3, 50)
    x.flags.writeable = False
    np.testing.assert_array_equal(fastreg.soft_threshold(x, 1.0), ref_soft(x, 1.0))


@pytest.mark.parametrize("kind", ["shift", "reversed", "strided-interleave"])
def test_out_partial_overlap_raises(kind):
    buf = np.arange(100, dtype=np.float64)
    before = buf.copy()
    x, out = {
        "shift": (buf[:-1], buf[1:]),
        "reversed": (buf, buf[::-1]),
        "strided-interleave": (buf[0:60:2], buf[30:90:2]),
    }[kind]
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.soft_threshold(x, 0.5, out=out)
    with pytest.raises(ValueError, match=r"\bout\b"):
        fastreg.enet_prox(x, 0.5, 0.5, out=out)
    np.testing.assert_array_equal(buf, before)


def test_out_disjoint_views_of_same_buffer_ok():
    buf = np.arange(100, dtype=np.float64) - 50
    x, out = buf[0::2], buf[1::2]  # same buffer, no shared element
    expected = ref_soft(x.copy(), 10.0)
    assert fastreg.soft_threshold(x, 10.0, out=out) is out
    np.testing.assert_array_equal(out, expected)


# ---------------------------------------------------------------------- hypothesis

@given(
    x=hnp.arrays(
        dtype=st.sampled_from([np.float32, np.float64]),
        # empty arrays have their own tests (test_empty, layouts "empty")
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=9),
        elements={"allow_nan": True, "allow_infinity": True, "allow_subnormal": True},
    ),
    t=st.floats(0, 1e6, allow_subnormal=True),
    l2=st.floats(0, 1e3),
    order=st.sampled_from(["C", "F", "rev"]),
)
def test_prox_property(x, t, l2, order):
    if order == "F":
        x = np.asfortranarray(x)
    elif order == "rev" and x.ndim:
        x = x[..., ::-1]
    dt = x.dtype.type
    t = float(dt(t))  # exactly representable in x's dtype
    before = x.copy()
    y = fastreg.soft_threshold(x, t)
    assert y.dtype == x.dtype and y.shape == x.shape
    with np.errstate(all="ignore"):
        expected = ref_soft_same_dtype(x, t)
    np.testing.assert_array_equal(y, expected)  # NaN == NaN here
    # |y| <= |x| and sign preserved
    fin = np.isfinite(x)
    assert np.all(np.abs(y[fin]) <= np.abs(x[fin]))
    assert np.all(np.sign(y[fin]) * np.sign(x[fin]) >= 0)
    z = fastreg.enet_prox(x, t, l2)
    assert z.dtype == x.dtype
    ref = ref_enet(x, t, float(dt(l2)))
    # compare in ulps of x's dtype; the double reference may overflow float32
    with np.errstate(all="ignore"):
        ref_cast = ref.astype(x.dtype)
    nan = np.isnan(z)
    assert np.array_equal(nan, np.isnan(ref_cast))
    ok = ~nan & np.isfinite(ref_cast)
    with np.errstate(over="ignore"):  # spacing of the dtype's max is inf: no bound there
        tol = 4 * np.spacing(np.abs(ref_cast[ok])).astype(np.float64)
    assert np.all(np.abs(z[ok].astype(np.float64) - ref[ok]) <= tol + 1e-300)
    np.testing.assert_array_equal(x, before)
