"""What a worker does with its column block of a partitioned design (_partitioned.py).

A block is a :class:`fastreg.Genotypes` of one or more ``.bed`` filesets, opened on the
worker that owns it (memory-mapped there: the rest of X is never on that worker). The
client asks it questions that need all of its columns and answers in a few numbers:
alpha_max, the columns whose gradient exceeds a threshold (the KKT check and the
strong rule), and the 2-bit codes of the columns it fetches into its working set.

Gradients are computed over slabs of columns decoded to float64 (`SLAB` columns at a
time), so that a worker needs n x SLAB x 8 bytes beside its mapping, whatever the size of
its block.
"""

from __future__ import annotations

import hashlib

import numpy as np

SLAB = 512


def open_block(prefixes):
    """The block's design, opened on this worker."""
    from ..genotypes import Genotypes

    return Genotypes.from_bed(prefixes if len(prefixes) > 1 else prefixes[0])


def block_info(G):
    """(n_samples, n_variants, digest of the sample ids): blocks must share samples."""
    ids = "\n".join(f"{f} {i}" for f, i in G.sample_ids)
    return G.n_samples, G.n_variants, hashlib.sha256(ids.encode()).hexdigest()


def gradient(G, r, center):
    """X_b^T r over the block (columns centered at their means when `center`)."""
    p = G.n_variants
    out = np.empty(p)
    for j0 in range(0, p, SLAB):
        X = G.to_dense(columns=slice(j0, min(p, j0 + SLAB)))
        out[j0:j0 + X.shape[1]] = X.T @ r
    if center:
        out -= G.means * r.sum()
    return out


def alpha_max(G, r, center):
    """max_j |x_j^T r| over the block."""
    return float(np.abs(gradient(G, r, center)).max())


def above(G, r, center, threshold, exclude):
    """(indices, gradients) of the block's columns with |x_j^T r| > threshold, outside the
    sorted indices `exclude` (the working set's columns in this block)."""
    g = gradient(G, r, center)
    hit = np.abs(g) > threshold
    hit[exclude] = False
    idx = np.flatnonzero(hit)
    return idx.astype(np.int64), g[idx]


def column_codes(G, idx):
    """The 2-bit .bed codes of columns idx, (len(idx), ceil(n / 4)) uint8: what the
    client's working set caches (a quarter of a byte per genotype)."""
    stride = (G._n_stored + 3) // 4
    parts = G._data if isinstance(G._data, list) else [G._data]
    G._check_file()
    starts = np.cumsum([0] + [len(a) // stride for a in parts])
    out = np.empty((len(idx), stride), dtype=np.uint8)
    for k, j in enumerate(idx):
        f = int(np.searchsorted(starts, j, side="right") - 1)
        local = int(j - starts[f])
        out[k] = parts[f][local * stride:(local + 1) * stride]
    return out
