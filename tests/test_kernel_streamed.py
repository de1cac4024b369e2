"""Big outputs: the kernels' streaming loops (cpp/include/fastreg/stream_simd.hpp).

An output of 16 MB or more is written with non-temporal stores, by loops written per
instruction set. Their results must be the same bits as NumPy's and as the kernels' own
loops on small pieces (which never stream): for both dtypes, in place and into out=, with
x and y at any alignment, with NaN, infinities and signed zeros, on one and two threads.
"""

from __future__ import annotations

import numpy as np
import pytest

import fastreg

STREAM_BYTES = 16 << 20


def big(dtype, shift=0):
    n = STREAM_BYTES // np.dtype(dtype).itemsize + 1001  # past the streaming size, odd length
    x = np.random.default_rng(5).standard_normal(n + shift).astype(dtype) * 2
    x = x[shift:]
    x[:5] = [np.nan, np.inf, -np.inf, -0.0, 0.0]
    return x


def same_bits(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shift", [0, 1, 3])
def test_prox_streamed_equal_numpy(dtype, threads, shift, restore_threads):
    fastreg.set_num_threads(threads)
    x = big(dtype, shift)
    with np.errstate(invalid="ignore"):
        for t in (0.5, 0.0, np.inf):
            ref = x - np.clip(x, -dtype(t), dtype(t))
            same_bits(fastreg.soft_threshold(x, t), ref)
            y = np.empty(x.size + 1, dtype)[1:]  # y at another alignment than x
            fastreg.soft_threshold(x, t, out=y)
            same_bits(y, ref)
            z = x.copy()
            fastreg.soft_threshold(z, t, out=z)
            same_bits(z, ref)
            same_bits(fastreg.enet_prox(x, t, 0.25), (ref / dtype(1.25)).astype(dtype))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shift", [0, 1])
def test_dropout_streamed_equal_small_pieces(dtype, threads, shift, restore_threads):
    fastreg.set_num_threads(threads)
    x = big(dtype, shift)
    p, seed, offset = 0.3, 77, 12345
    d, m = fastreg.dropout(x, p, seed=seed, offset=offset, return_mask=True)
    scale = dtype(1 / (1 - p))
    same_bits(d, np.where(m, x * scale, dtype(0)))
    # the same elements in pieces far below the streaming size (plain stores)
    piece = 100_003
    parts = [fastreg.dropout(x[a:a + piece], p, seed=seed, offset=offset + a) for a in range(0, x.size, piece)]
    same_bits(d, np.concatenate(parts))
    g = x.copy()
    fastreg.dropout_backward(g, p, seed=seed, offset=offset, out=g)
    same_bits(g, d)
    y = np.empty(x.size + 1, dtype)[1:]
    fastreg.dropout(x, p, seed=seed, offset=offset, out=y)
    same_bits(y, d)
