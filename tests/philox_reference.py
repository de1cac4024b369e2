"""Independent pure-NumPy reference for fastreg's dropout masks.

Written from the published algorithm (Salmon, Moraes, Dror & Shaw, "Parallel random
numbers: as easy as 1, 2, 3", SC'11; Random123's ``philox4x32`` with 10 rounds) and from
the reproducibility contract in ``docs/kernels.md``; it deliberately shares no code with
the C++ core.  Everything is vectorized with ``uint64`` arithmetic: 32-bit words are held
in ``uint64`` arrays so that the 32x32 -> 64-bit products used by Philox are exact.

Philox4x32 round (counter ``(x0, x1, x2, x3)``, key ``(k0, k1)``)::

    (hi0, lo0) = mulhilo(0xD2511F53, x0)
    (hi1, lo1) = mulhilo(0xCD9E8D57, x2)
    x' = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0)

and between rounds the key is bumped by the Weyl constants
``(0x9E3779B9, 0xBB67AE85)`` (golden ratio, sqrt(3) - 1), modulo 2**32.
"""

from __future__ import annotations

import math

import numpy as np

MASK32 = np.uint64(0xFFFFFFFF)
SHIFT32 = np.uint64(32)
PHILOX_M4x32_0 = np.uint64(0xD2511F53)
PHILOX_M4x32_1 = np.uint64(0xCD9E8D57)
PHILOX_W32_0 = np.uint64(0x9E3779B9)
PHILOX_W32_1 = np.uint64(0xBB67AE85)
ROUNDS = 10

GROUP = 64  # elements per group
LANES = 16  # blocks per group; each block yields 4 words


def _as_u64(a):
    return np.asarray(a, dtype=np.uint64)


def philox4x32(counter, key, rounds=ROUNDS):
    """Philox4x32-``rounds`` of counters ``counter = (c0, c1, c2, c3)`` under
    ``key = (k0, k1)``.

    Each component may be a Python int or an array (broadcast together); returns a tuple
    of four ``uint64`` arrays holding 32-bit words.
    """
    c0, c1, c2, c3 = (_as_u64(c) & MASK32 for c in counter)
    k0, k1 = (_as_u64(k) & MASK32 for k in key)
    c0, c1, c2, c3, k0, k1 = np.broadcast_arrays(c0, c1, c2, c3, k0, k1)
    c0, c1, c2, c3 = (np.array(c, dtype=np.uint64) for c in (c0, c1, c2, c3))
    k0, k1 = np.array(k0, dtype=np.uint64), np.array(k1, dtype=np.uint64)
    for rnd in range(rounds):
        if rnd:
            k0 = (k0 + PHILOX_W32_0) & MASK32
            k1 = (k1 + PHILOX_W32_1) & MASK32
        p0 = PHILOX_M4x32_0 * c0  # < 2**64: exact in uint64
        p1 = PHILOX_M4x32_1 * c2
        hi0, lo0 = p0 >> SHIFT32, p0 & MASK32
        hi1, lo1 = p1 >> SHIFT32, p1 & MASK32
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


def philox4x32_10(counter, key):
    """Scalar convenience wrapper: ints in, tuple of 4 Python ints out."""
    return tuple(int(w) for w in philox4x32(counter, key))


def seed_to_key(seed):
    seed = int(seed)
    if not 0 <= seed < 2**64:
        raise ValueError("seed out of range")
    return seed % 2**32, seed // 2**32


def keep_threshold(p):
    """``floor((1 - p) * 2**32)`` in IEEE double arithmetic (Python floats)."""
    return math.floor((1.0 - float(p)) * 2.0**32)


def words_for_elements(g, seed):
    """The random 32-bit word of each global element index ``g`` (array of uint64),
    element by element, straight from the contract (slow but obviously right)."""
    g = _as_u64(g)
    group = g // np.uint64(GROUP)
    r = g % np.uint64(GROUP)
    block = np.uint64(LANES) * group + r % np.uint64(LANES)
    j = (r // np.uint64(LANES)).astype(np.intp)
    k0, k1 = seed_to_key(seed)
    out = np.stack(philox4x32((block & MASK32, block >> SHIFT32, 0, 0), (k0, k1)))
    if out.ndim == 1:
        return out[j]
    return np.take_along_axis(out, j[np.newaxis, ...], axis=0)[0]


def words(n, seed, offset=0):
    """Random words of elements ``offset .. offset + n - 1``, computed a group of 64 at a
    time (16 blocks per group, element ``16*j + l`` of a group takes word ``j`` of block
    ``16*G + l``); uint64 array of length ``n``."""
    n = int(n)
    offset = int(offset)
    if n < 0 or offset < 0 or offset + n > 2**64:
        raise ValueError("bad n/offset")
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    g_first = offset // GROUP
    g_last = (offset + n - 1) // GROUP
    groups = np.arange(g_last - g_first + 1, dtype=np.uint64) + np.uint64(g_first)
    lanes = np.arange(LANES, dtype=np.uint64)
    block = groups[:, None] * np.uint64(LANES) + lanes[None, :]  # (ngroups, 16)
    k0, k1 = seed_to_key(seed)
    w = np.stack(philox4x32((block & MASK32, block >> SHIFT32, 0, 0), (k0, k1)), axis=1)
    # w[G, j, l] is word j of block 16*G + l == element 64*G + 16*j + l
    flat = w.reshape(-1)
    start = offset - GROUP * g_first
    return flat[start : start + n]


def _normalize_shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def mask(shape, p, seed, offset=0):
    """Reference bool keep-mask of ``shape`` (C-order flat index), as documented."""
    shape = _normalize_shape(shape)
    n = math.prod(shape)
    thr = keep_threshold(p)
    return (words(n, seed, offset) < np.uint64(thr)).reshape(shape)


def packed_mask(shape, p, seed, offset=0):
    """Reference packed mask: bits of the C-order flat mask, ``bitorder='little'``."""
    return np.packbits(mask(shape, p, seed, offset).ravel(), bitorder="little")


def dropout(x, p, seed, offset=0):
    """Reference forward ``where(m, x * dtype(1/(1-p)), 0)`` for a float32/64 ``x``."""
    x = np.asarray(x)
    m = mask(x.shape, p, seed, offset)
    if p >= 1:
        return np.zeros_like(x), m
    scale = x.dtype.type(1.0 / (1.0 - float(p)))
    with np.errstate(all="ignore"):
        y = np.where(m, x * scale, x.dtype.type(0))
    return y.astype(x.dtype, copy=False), m
