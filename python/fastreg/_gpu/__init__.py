"""CuPy backend of the fastreg kernels (optional).

fastreg imports this module only when it is given a CuPy array, and the module itself
imports CuPy only inside its functions, so ``import fastreg`` never needs CuPy or a GPU.

The functions below are called by the general path of ``fastreg.kernels`` after it has
validated every argument (float32/float64 dtypes, shapes, scalar ranges, seeds, and that
``out`` does not partially overlap the input), so they check nothing themselves.

The CUDA code lives in ``kernels.cu`` next to this file. It is compiled by NVRTC at first
use through ``cupy.RawModule`` (CuPy caches the binary on disk), with the Philox header
shared with the C++ core on its include path.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy

__all__ = [
    "available",
    "describe",
    "soft_threshold",
    "enet_prox",
    "dropout",
    "dropout_backward",
    "dropout_mask",
]

_HERE = Path(__file__).resolve().parent
_BLOCK = 256  # threads per CUDA block
_MAX_GRID = 65535  # blocks per launch; the kernels' grid-stride loops cover the rest
_CTYPES = {"float32": "float", "float64": "double"}
_KERNELS = ("soft_threshold", "enet_prox", "dropout", "dropout_mask", "dropout_backward")


# --------------------------------------------------------------------------------------
# Availability


@functools.lru_cache(maxsize=None)
def _probe() -> tuple[bool, str]:
    """(available, description), computed once per process; never raises."""
    try:
        import cupy
    except ModuleNotFoundError as exc:
        if exc.name == "cupy":
            return False, "not available (cupy not installed)"
        return False, f"not available (cupy failed to import: {exc})"
    except Exception as exc:  # e.g. a broken CUDA install failing at import
        return False, f"not available (cupy failed to import: {exc})"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
        names = []
        for i in range(count):
            name = cupy.cuda.runtime.getDeviceProperties(i)["name"]
            names.append(name.decode() if isinstance(name, bytes) else str(name))
    except Exception as exc:  # no driver, no device, ...
        return False, f"not available (cupy {cupy.__version__}, no CUDA device: {exc})"
    if count == 0:
        return False, f"not available (cupy {cupy.__version__}, no CUDA device)"
    plural = "device" if count == 1 else "devices"
    return True, f"cupy {cupy.__version__}, {count} {plural}: {', '.join(names)}"


def available() -> bool:
    """Whether CuPy is importable and sees at least one CUDA device (cached)."""
    return _probe()[0]


def describe() -> str:
    """One line for ``fastreg info``: the CuPy version and devices, or why there are none."""
    return _probe()[1]


# --------------------------------------------------------------------------------------
# Compilation


def _include_dir() -> Path:
    """The directory holding ``fastreg/philox.hpp``.

    Installed packages carry the header at ``fastreg/_gpu/include/fastreg/philox.hpp``;
    a source tree has it at ``cpp/include`` in the repository root.
    """
    for candidate in (_HERE / "include", _HERE.parents[2] / "cpp" / "include"):
        if (candidate / "fastreg" / "philox.hpp").is_file():
            return candidate
    raise RuntimeError(
        "fastreg's GPU kernels need fastreg/philox.hpp, which is missing from "
        f"{_HERE / 'include'} (a broken installation?)"
    )


@functools.lru_cache(maxsize=None)
def _module():
    """The compiled kernels, built once per process."""
    import cupy

    include = _include_dir()
    code = (_HERE / "kernels.cu").read_text(encoding="utf-8")
    # CuPy's on-disk kernel cache is keyed by the source and the options, not by included
    # headers; naming the header's hash in an (unused) macro keeps a stale binary from
    # being reused after philox.hpp changes.
    header = (include / "fastreg" / "philox.hpp").read_bytes()
    options = (
        "-std=c++14",
        "-I" + str(include),
        "-DFASTREG_PHILOX_SHA256=" + hashlib.sha256(header).hexdigest()[:16],
    )
    names = [f"fastreg::gpu::{k}<{c}>" for k in _KERNELS for c in _CTYPES.values()]
    return cupy.RawModule(code=code, options=options, name_expressions=names)


def _kernel(name: str, dtype):
    """The instantiation of kernel ``name`` for ``dtype`` (float32 or float64)."""
    return _module().get_function(f"fastreg::gpu::{name}<{_CTYPES[numpy.dtype(dtype).name]}>")


def _launch(kernel, threads: int, args: tuple) -> None:
    """Launches ``kernel`` with at least ``threads`` threads (capped; grid-stride loops)."""
    grid = min((threads + _BLOCK - 1) // _BLOCK, _MAX_GRID)
    kernel((grid,), (_BLOCK,), args)


# --------------------------------------------------------------------------------------
# Argument helpers

# An absent optional array is passed as a null pointer: kernel pointer parameters are
# 8-byte values, and CuPy passes a numpy.uint64 by value. (CuPy turns None into a null
# *argument* pointer, which the driver would dereference.)
_NULL = numpy.uint64(0)


def _contig(a):
    """``a`` itself when C-contiguous, else a C-contiguous copy (the kernels index flat)."""
    import cupy

    return a if a.flags.c_contiguous else cupy.ascontiguousarray(a)


def _target(out):
    """A C-contiguous array the kernel can write for ``out``: ``out`` itself if possible."""
    import cupy

    return out if out.flags.c_contiguous else cupy.empty(out.shape, dtype=out.dtype)


def _store(out, result) -> None:
    """Copies ``result`` back into ``out`` when ``_target`` had to substitute a buffer."""
    if result is not out:
        out[...] = result


def _param(value, like):
    """A scalar-or-array parameter as (array pointer or null, scalar of like's dtype)."""
    import cupy

    if isinstance(value, cupy.ndarray):
        return _contig(value), like.dtype.type(0)
    return _NULL, like.dtype.type(value)


def _u64(value: int):
    """A kernel's ``u64`` argument (CuPy would pass a Python int as int64)."""
    return numpy.uint64(value)


def _dropout_threads(n: int, offset: int) -> int:
    """Threads of a dropout launch: 16 (one per Philox block) per group of 64 touched."""
    return ((offset + n - 1) // 64 - offset // 64 + 1) * 16


def _packed_words(n: int):
    """A zeroed uint32 buffer for the packed mask (the kernels OR the kept bits into it)."""
    import cupy

    return cupy.zeros((n + 31) // 32, dtype=cupy.uint32)


def _store_packed(packed, words) -> None:
    """Copies the packed bytes from the 32-bit word buffer (GPUs are little-endian)."""
    packed[...] = words.view("uint8")[: packed.size]


# --------------------------------------------------------------------------------------
# Kernels


def soft_threshold(x, t, out) -> None:
    """out = x - clip(x, -t, t); ``t`` a Python float or a cupy array of x.shape."""
    n = x.size
    if n == 0:
        return
    with x.device:
        xc = _contig(x)
        t_arr, t_scalar = _param(t, x)
        y = _target(out)
        _launch(_kernel("soft_threshold", x.dtype), n, (xc, t_arr, t_scalar, y, _u64(n)))
        _store(out, y)


def enet_prox(x, l1, l2, out) -> None:
    """out = (x - clip(x, -l1, l1)) / (1 + l2); ``l1``, ``l2`` as ``t`` above."""
    n = x.size
    if n == 0:
        return
    with x.device:
        xc = _contig(x)
        l1_arr, l1_scalar = _param(l1, x)
        l2_arr, l2_scalar = _param(l2, x)
        y = _target(out)
        args = (xc, l1_arr, l1_scalar, l2_arr, l2_scalar, y, _u64(n))
        _launch(_kernel("enet_prox", x.dtype), n, args)
        _store(out, y)


def dropout(x, out, seed, offset, threshold, scale, mask=None, packed=None) -> None:
    """out = kept ? x * scale : 0, with the mask of (seed, offset, threshold).

    ``mask`` (bool, x.shape) and ``packed`` (uint8, ceil(x.size / 8)) are filled if given.
    ``threshold`` is floor((1 - p) * 2**32) in [0, 2**32]; ``scale`` is cast to x.dtype.
    """
    n = x.size
    if n == 0:
        return
    with x.device:
        xc = _contig(x)
        y = _target(out)
        m = _target(mask) if mask is not None else None
        words = _packed_words(n) if packed is not None else None
        args = (
            xc,
            y,
            _NULL if m is None else m,
            _NULL if words is None else words,
            _u64(n),
            _u64(seed),
            _u64(offset),
            _u64(threshold),
            x.dtype.type(scale),
        )
        _launch(_kernel("dropout", x.dtype), _dropout_threads(n, offset), args)
        _store(out, y)
        if mask is not None:
            _store(mask, m)
        if packed is not None:
            _store_packed(packed, words)


def dropout_backward(
    grad, out, scale, mask=None, packed=None, seed=None, offset=0, threshold=None
) -> None:
    """out = kept ? grad * scale : 0, the mask given (bool ``mask`` or uint8 ``packed``)
    or regenerated from (seed, offset, threshold)."""
    n = grad.size
    if n == 0:
        return
    if mask is None and packed is None:
        # Regenerating the mask is the forward pass applied to the gradient.
        dropout(grad, out, seed, offset, threshold, scale)
        return
    with grad.device:
        g = _contig(grad)
        m = _contig(mask if mask is not None else packed)
        y = _target(out)
        is_packed = numpy.int32(mask is None)
        args = (g, m, is_packed, grad.dtype.type(scale), y, _u64(n))
        _launch(_kernel("dropout_backward", grad.dtype), n, args)
        _store(out, y)


def dropout_mask(seed, offset, threshold, size, mask=None, packed=None) -> None:
    """Fills ``mask`` (bool, ``size`` elements) and/or ``packed`` (uint8, ceil(size / 8))
    with the dropout mask of ``size`` elements."""
    n = size
    if n == 0:
        return
    device = (mask if mask is not None else packed).device
    with device:
        m = _target(mask) if mask is not None else None
        words = _packed_words(n) if packed is not None else None
        args = (
            _NULL if m is None else m,
            _NULL if words is None else words,
            _u64(n),
            _u64(seed),
            _u64(offset),
            _u64(threshold),
        )
        # The kernel ignores its type parameter; float is the instantiation compiled.
        _launch(_kernel("dropout_mask", numpy.float32), _dropout_threads(n, offset), args)
        if mask is not None:
            _store(mask, m)
        if packed is not None:
            _store_packed(packed, words)

