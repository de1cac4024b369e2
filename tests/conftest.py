"""Shared fixtures for the fastreg test suite.

* ``dtype``: float32 and float64.
* ``ulps`` / ``rtol``: per-dtype tolerances; ``assert_ulp``: NaN/inf-aware comparison in
  units in the last place.
* ``xp``: the array backend, NumPy always and CuPy only when ``fastreg._gpu.available()``
  (skipped otherwise; CuPy is never imported at module level).
* ``to_numpy``: bring a NumPy or CuPy array back to a NumPy array.
* ``restore_threads``: puts ``fastreg.set_num_threads(None)`` back after a test.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

# philox_reference.py sits next to this file; make it importable whatever the import mode.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

try:  # hypothesis is a test extra; keep its runs fast and deterministic-ish
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "fastreg",
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
    )
    settings.load_profile(os.environ.get("FASTREG_HYPOTHESIS_PROFILE", "fastreg"))
except ImportError:  # pragma: no cover
    pass


DTYPES = (np.float32, np.float64)

# Tolerances per dtype: elementwise kernels are compared in ulps, anything that
# accumulates with rtol.
_ULPS = {np.dtype(np.float32): 4, np.dtype(np.float64): 4}
_RTOL = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-12}


def tolerance(dtype, kind="rtol"):
    """Per-dtype tolerance: ``kind`` is ``"rtol"`` or ``"ulps"``."""
    dt = np.dtype(dtype)
    return _RTOL[dt] if kind == "rtol" else _ULPS[dt]


def to_numpy(a):
    """NumPy view/copy of a NumPy array, NumPy scalar or CuPy array."""
    if isinstance(a, (np.ndarray, np.generic)):
        return np.asarray(a)
    get = getattr(a, "get", None)
    if get is not None:  # cupy.ndarray
        return get()
    return np.asarray(a)


def assert_ulp(actual, expected, maxulp=0, *, dtype=None):
    """Assert ``actual`` equals ``expected`` to ``maxulp`` units in the last place of
    ``dtype`` (default: ``actual``'s dtype). NaNs must coincide, infinities must be equal,
    ``+0 == -0``. ``expected`` may be of a wider dtype (it is the exact-ish reference)."""
    actual = to_numpy(actual)
    expected = np.asarray(to_numpy(expected))
    dtype = np.dtype(dtype or actual.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    nan_a, nan_e = np.isnan(a), np.isnan(e)
    assert np.array_equal(nan_a, nan_e), (
        f"NaN mismatch at {np.argwhere(nan_a != nan_e)[:10].tolist()}")
    ok = ~nan_a
    inf_e = np.isinf(e) & ok
    assert np.array_equal(a[inf_e], e[inf_e]), "infinities differ"
    fin = ok & ~inf_e
    if maxulp == 0:
        bad = a[fin] != e[fin]
    else:
        spacing = np.spacing(np.abs(e[fin]).astype(dtype)).astype(np.float64)
        # below the smallest normal the spacing is the subnormal step; fine
        bad = np.abs(a[fin] - e[fin]) > maxulp * spacing
    if np.any(bad):
        idx = np.flatnonzero(fin)[np.flatnonzero(bad)][:5]
        raise AssertionError(
            f"{int(bad.sum())} elements differ by more than {maxulp} ulp; first at flat "
            f"{idx.tolist()}: actual {a.ravel()[idx].tolist()} expected "
            f"{e.ravel()[idx].tolist()}")


@pytest.fixture(params=DTYPES, ids=lambda d: np.dtype(d).name)
def dtype(request):
    return np.dtype(request.param).type


@pytest.fixture
def ulps(dtype):
    return tolerance(dtype, "ulps")


@pytest.fixture
def rtol(dtype):
    return tolerance(dtype, "rtol")


def _gpu_available():
    try:
        import fastreg._gpu as gpu
    except Exception:  # pragma: no cover - package broken: other tests will say so
        return False
    return bool(gpu.available())


@pytest.fixture(params=["numpy", "cupy"])
def xp(request):
    """Array module the kernels run on."""
    if request.param == "numpy":
        return np
    if not _gpu_available():
        pytest.skip("CuPy/GPU not available")
    import cupy

    return cupy


@pytest.fixture(name="to_numpy")
def _to_numpy_fixture():
    return to_numpy


@pytest.fixture(name="assert_ulp")
def _assert_ulp_fixture():
    return assert_ulp


@pytest.fixture
def restore_threads():
    import fastreg

    yield
    fastreg.set_num_threads(None)


@pytest.fixture
def rng():
    return np.random.default_rng(20240607)
