"""Simulated designs and responses for the suite (numpy and scipy only, no fastreg)."""

from __future__ import annotations

import numpy as np


def response(X, k, snr, rng):
    """y = X w + noise with `k` nonzero effects and var(X w) / var(noise) = snr."""
    n, p = X.shape
    w = np.zeros(p)
    idx = rng.choice(p, min(k, p), replace=False)
    w[idx] = rng.choice([-1.0, 1.0], len(idx)) * rng.uniform(0.5, 2.0, len(idx))
    signal = np.asarray(X @ w).ravel()
    sd = signal.std() / np.sqrt(snr) if signal.std() > 0 else 1.0
    return signal + sd * rng.standard_normal(n)


def gaussian(n, p, seed, snr, k=20):
    """i.i.d. N(0, 1) entries, F-ordered."""
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((p, n)).T)
    return X, response(X, k, snr, rng)


def ar1(n, p, rho, seed, snr, k=20):
    """Columns an AR(1) sequence: corr(x_j, x_l) = rho^|j - l|."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    s = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + s * rng.standard_normal(n)
    return X, response(X, k, snr, rng)


def ld_genotypes(n, p, seed, block=(20, 120), rho=(0.90, 0.995), maf=(0.01, 0.5)):
    """int8 dosages (n, p), F-ordered, in LD blocks.

    Each sample has two haplotypes; along a block, a haplotype is a latent AR(1) Gaussian
    sequence (lag-one correlation drawn per block from `rho`), and the allele at a variant
    is the latent value below the quantile of that variant's minor allele frequency (drawn
    from `maf`). The two haplotypes are independent, so dosages follow Hardy-Weinberg;
    neighbouring variants of similar frequency correlate up to about 0.95, and blocks are
    independent of each other.
    """
    from scipy.special import ndtri

    rng = np.random.default_rng(seed)
    f = rng.uniform(maf[0], maf[1], p)
    thr = ndtri(f)
    G = np.empty((n, p), dtype=np.int8, order="F")
    j = 0
    z = None
    while j < p:
        b = min(p - j, int(rng.integers(block[0], block[1] + 1)))
        r = rng.uniform(rho[0], rho[1])
        s = np.sqrt(1.0 - r * r)
        z = rng.standard_normal((2, n))
        for i in range(j, j + b):
            if i > j:
                z = r * z + s * rng.standard_normal((2, n))
            G[:, i] = (z[0] < thr[i]).astype(np.int8) + (z[1] < thr[i]).astype(np.int8)
        j += b
    return G


def sparse_design(n, p, density, seed, snr, k=20):
    """CSC X with N(0, 1) nonzeros at `density`, and a response from k of its columns."""
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=density, format="csc", random_state=rng,
                  data_rvs=rng.standard_normal)
    return X, response(X, k, snr, rng)


def diabetes():
    """scikit-learn's diabetes data (442 x 10), F-ordered."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    return np.asfortranarray(X), y
