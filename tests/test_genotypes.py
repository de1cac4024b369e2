"""Genotype designs (fastreg.Genotypes): int8 and PLINK .bed fits against float64 fits on
the explicitly mean-imputed matrix, sample subsets against subset copies, edge variants,
and every bad input.

The reference matrix is built here with NumPy from the raw dosages (never through
fastreg's decoding), and the PLINK files are written by a small writer of our own
(cross-checked with bed_reader.to_bed when installed).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes

RTOL = 1e-6
FIT_TOL = 1e-12


# ---- synthetic data and a PLINK writer -------------------------------------------------

def _dosages(n, p, seed=0, missing=0.05):
    """int8 dosages (n, p) with per-variant allele frequencies, missing as -1, plus one
    monomorphic variant with missing entries and one all-missing variant."""
    rng = np.random.default_rng(seed)
    freq = rng.uniform(0.05, 0.5, p)
    G = rng.binomial(2, freq, size=(n, p)).astype(np.int8)
    G[rng.random((n, p)) < missing] = -1
    if p >= 4:
        G[:, 1] = 1
        G[rng.random(n) < 0.2, 1] = -1   # monomorphic, some missing
        G[:, 2] = -1                      # all missing
        G[:, 3] = 0                       # monomorphic at 0
    return np.asfortranarray(G)


def _imputed(G):
    """The mean-imputed float64 matrix, computed independently of fastreg."""
    G = np.asarray(G)
    X = G.astype(np.float64)
    miss = G < 0
    X[miss] = np.nan
    called = (~miss).sum(axis=0)
    m = np.where(called > 0, np.nansum(X, axis=0) / np.maximum(called, 1), 0.0)
    return np.asfortranarray(np.where(miss, m, X))


def _target(X, seed=1):
    rng = np.random.default_rng(seed)
    n, p = X.shape
    w = np.zeros(p)
    support = rng.choice(np.arange(4, p), size=min(6, p - 4), replace=False)
    w[support] = rng.standard_normal(support.size)
    return X @ w + 0.5 * rng.standard_normal(n) + 3.0


# PLINK 1 codes by A1 dosage: 2 -> 00, 1 -> 10, 0 -> 11, missing -> 01
_CODE = {2: 0b00, 1: 0b10, 0: 0b11, -1: 0b01}


def write_plink(prefix, G, *, mode=0x01, magic=b"\x6c\x1b", truncate=0, extra=b"",
                n_fam=None, n_bim=None):
    """prefix.bed/.bim/.fam for int8 dosages G (n, p): variant-major, 4 samples a byte, low
    bits first, the last byte padded with zero bits (as PLINK writes)."""
    G = np.asarray(G)
    n, p = G.shape
    codes = np.select([G == 2, G == 1, G == 0], [0b00, 0b10, 0b11], default=0b01).astype(np.uint8)
    stride = (n + 3) // 4
    padded = np.zeros((p, stride * 4), dtype=np.uint8)
    padded[:, :n] = codes.T
    q = padded.reshape(p, stride, 4)
    packed = q[..., 0] | (q[..., 1] << 2) | (q[..., 2] << 4) | (q[..., 3] << 6)
    body = magic + bytes([mode]) + packed.astype(np.uint8).tobytes() + extra
    if truncate:
        body = body[:-truncate]
    with open(prefix + ".bed", "wb") as f:
        f.write(body)
    with open(prefix + ".bim", "w") as f:
        for j in range(p if n_bim is None else n_bim):
            f.write(f"{1 + j % 22}\trs{j}\t0\t{1000 + 10 * j}\tA\tG\n")
    with open(prefix + ".fam", "w") as f:
        for i in range(n if n_fam is None else n_fam):
            f.write(f"fam{i} ind{i} 0 0 {1 + i % 2} -9\n")
    return prefix


def _designs(G, tmp_path, dtype=np.float64):
    """The same dosages as int8 and as .bed Genotypes."""
    prefix = write_plink(os.path.join(tmp_path, "geno"), G)
    return {"int8": Genotypes.from_array(G, dtype=dtype),
            "bed": Genotypes.from_bed(prefix, dtype=dtype)}


def _close(actual, expected, rtol=RTOL, what=""):
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    scale = max(np.abs(expected).max(), 1e-300)
    err = np.abs(actual - expected).max() / scale
    assert err <= rtol, f"{what}: max relative error {err:.3e} > {rtol:.0e}"


# ---- reading and decoding ----------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 3, 4, 5, 37, 64])
def test_decode_matches_imputed(tmp_path, n):
    G = _dosages(n, 9, seed=n)
    ref = _imputed(G)
    for kind, g in _designs(G, tmp_path).items():
        assert g.shape == (n, 9) and g.n_samples == n and g.n_variants == 9
        np.testing.assert_array_equal(g.to_dense(), ref, err_msg=kind)
        np.testing.assert_array_equal(g.counts()[:, 3], (G < 0).sum(axis=0))


def test_bed_metadata(tmp_path):
    G = _dosages(10, 6)
    g = Genotypes.from_bed(write_plink(os.path.join(tmp_path, "m"), G) + ".bed")
    assert list(g.variant_ids) == [f"rs{j}" for j in range(6)]
    assert list(g.chromosomes) == [str(1 + j) for j in range(6)]
    np.testing.assert_array_equal(g.positions, 1000 + 10 * np.arange(6))
    assert g.alleles.shape == (6, 2) and tuple(g.alleles[0]) == ("A", "G")
    assert g.sample_ids.shape == (10, 2) and tuple(g.sample_ids[3]) == ("fam3", "ind3")
    assert isinstance(g._data, np.memmap)
    s = g.subset([4, 2])
    assert [tuple(r) for r in s.sample_ids] == [("fam4", "ind4"), ("fam2", "ind2")]


def test_counts_a1(tmp_path):
    """The dosage counts A1: PLINK's code 00 (homozygous A1) reads as 2."""
    prefix = os.path.join(tmp_path, "a1")
    with open(prefix + ".bed", "wb") as f:  # samples: 00, 01, 10, 11 -> 2, missing, 1, 0
        f.write(b"\x6c\x1b\x01" + bytes([0b11_10_01_00]))
    with open(prefix + ".bim", "w") as f:
        f.write("1 rs1 0 1 A C\n")
    with open(prefix + ".fam", "w") as f:
        f.write("".join(f"f{i} i{i} 0 0 0 -9\n" for i in range(4)))
    g = Genotypes.from_bed(prefix)
    np.testing.assert_array_equal(g.counts(), [[1, 1, 1, 1]])
    np.testing.assert_allclose(g.to_dense()[:, 0], [2, 1, 1, 0])  # missing -> mean 1


def test_bed_reader_cross_check(tmp_path):
    bed_reader = pytest.importorskip("bed_reader")
    G = _dosages(23, 7, seed=3)
    path = os.path.join(tmp_path, "br.bed")
    val = np.where(G < 0, np.nan, G.astype(np.float32))
    bed_reader.to_bed(path, val, count_A1=True)
    ours = write_plink(os.path.join(tmp_path, "ours"), G)
    with open(path, "rb") as a, open(ours + ".bed", "rb") as b:
        assert a.read() == b.read()
    np.testing.assert_array_equal(Genotypes.from_bed(path).to_dense(), _imputed(G))


def test_from_npy(tmp_path):
    G = _dosages(30, 8)
    path = os.path.join(tmp_path, "g.npy")
    np.save(path, G)  # F-ordered: memory-mapped in place
    g = Genotypes.from_npy(path)
    assert isinstance(g._data, np.memmap)
    np.testing.assert_array_equal(g.to_dense(), _imputed(G))
    g2 = Genotypes.from_npy(path, mmap=False)
    np.testing.assert_array_equal(g2.to_dense(), _imputed(G))
    np.save(path, np.ascontiguousarray(G))  # C-ordered: copied once
    np.testing.assert_array_equal(Genotypes.from_npy(path).to_dense(), _imputed(G))


def test_from_array_no_copy():
    G = _dosages(12, 5)
    g = Genotypes.from_array(G)
    assert np.shares_memory(g._data, G)
    s = g.subset([0, 5, 5, 11])
    assert np.shares_memory(s._data, G) and s.shape == (4, 5)


def test_edge_variants(tmp_path):
    G = _dosages(40, 8)
    for kind, g in _designs(G, tmp_path).items():
        mono = g.monomorphic
        assert mono[1] and mono[2] and mono[3] and not mono[0], kind
        assert g.all_missing[2] and g.all_missing.sum() == 1
        sd = g.stds
        assert sd[1] == 0 and sd[2] == 0 and sd[3] == 0 and np.all(sd[~mono] > 0)
        z = g.to_dense(standardize=True)
        assert np.all(np.isfinite(z)) and np.all(z[:, mono] == 0)


# ---- fits ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_path_equals_imputed_float64(tmp_path, fit_intercept, standardize, weighted):
    n, p = 61, 40
    G = _dosages(n, p, seed=5)
    X = _imputed(G)
    y = _target(X)
    sw = np.random.default_rng(7).uniform(0.2, 2.0, n) if weighted else None
    kw = dict(alphas=20, eps=1e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=fit_intercept,
              standardize=standardize, sample_weight=sw, l1_ratio=0.8, return_intercept=True)
    ref = fastreg.enet_path(X, y, **kw)
    for kind, g in _designs(G, tmp_path).items():
        got = fastreg.enet_path(g, y, **kw)
        _close(got[0], ref[0], 1e-12, f"{kind} alphas")
        _close(got[1], ref[1], RTOL, f"{kind} coefs")
        if fit_intercept:
            _close(got[3], ref[3], RTOL, f"{kind} intercepts")
        # monomorphic / all-missing variants: zero coefficients (with an intercept, or at 0)
        assert np.all(got[1][[2, 3]] == 0)
        if fit_intercept:
            assert np.all(got[1][1] == 0)


@pytest.mark.parametrize("weights", [None, "positive", "some zero"])
def test_quantized_full_passes_equal_float64(tmp_path, weights):
    # Wide enough that the KKT checks make full passes outside the working set, through
    # the integer kernels on genotypes (the residual in int8 parts, the gradients exact
    # for a residual within 1e-12 of it, those near their threshold recomputed in
    # double): the path equals float64's on the imputed matrix, with sample weights too,
    # zero weights included (a sample of weight 0 is in no product).
    n, p = 150, 3000
    G = _dosages(n, p, seed=23)
    X = _imputed(G)
    y = _target(X, seed=4)
    sw = None
    if weights is not None:
        sw = np.random.default_rng(5).uniform(0.2, 2.0, n)
        if weights == "some zero":
            sw[::9] = 0.0
    kw = dict(alphas=30, eps=1e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=True,
              sample_weight=sw)
    ref = fastreg.lasso_path(X, y, **kw)
    assert np.count_nonzero(ref[1][:, -1]) > 20
    for kind, g in _designs(G, tmp_path).items():
        got = fastreg.lasso_path(g, y, **kw)
        _close(got[0], ref[0], 1e-12, f"{kind} alphas")
        _close(got[1], ref[1], RTOL, f"{kind} coefs")


def test_float32(tmp_path):
    G = _dosages(80, 30, seed=2)
    X = _imputed(G)
    y = _target(X)
    ref = fastreg.lasso_path(X, y, alphas=10, tol=1e-10, fit_intercept=True)[1]
    for kind, g in _designs(G, tmp_path, dtype=np.float32).items():
        coefs = fastreg.lasso_path(g, y, alphas=10, tol=1e-6, fit_intercept=True)[1]
        assert coefs.dtype == np.float32
        _close(coefs, ref, 1e-3, kind)


@pytest.mark.parametrize("Est", ["Lasso", "ElasticNet"])
def test_estimators(tmp_path, Est):
    n, p = 70, 50
    G = _dosages(n, p, seed=11)
    X = _imputed(G)
    y = _target(X)
    sw = np.random.default_rng(2).uniform(0.5, 1.5, n)
    est = getattr(fastreg, Est)
    ref = est(alpha=0.05, tol=1e-12, max_iter=100_000, standardize=True).fit(X, y, sample_weight=sw)
    for kind, g in _designs(G, tmp_path).items():
        m = est(alpha=0.05, tol=1e-12, max_iter=100_000, standardize=True).fit(g, y, sample_weight=sw)
        _close(m.coef_, ref.coef_, RTOL, kind)
        assert abs(m.intercept_ - ref.intercept_) <= RTOL * abs(ref.intercept_)
        _close(m.predict(g), ref.predict(X), RTOL, f"{kind} predict")
        assert abs(m.score(g, y) - ref.score(X, y)) < 1e-8
        # standardized-scale coefficients: per allele times the genotype's sd
        _close(g.standardized_coef(m.coef_), ref.coef_ * X.std(axis=0), RTOL, f"{kind} std coef")


@pytest.mark.parametrize("standardize", [False, True])
def test_subset_equals_copy(tmp_path, standardize):
    n, p = 90, 35
    G = _dosages(n, p, seed=13)
    y_full = _target(_imputed(G))
    rng = np.random.default_rng(4)
    idx = rng.permutation(n)[:57]          # unordered, as CV folds after shuffling
    idx = np.concatenate([idx, idx[:3]])   # and with repeats
    Gs = np.asfortranarray(G[idx])
    Xs = _imputed(Gs)                      # the subset imputes from its own samples
    ys = y_full[idx]
    kw = dict(alphas=15, eps=1e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=True,
              standardize=standardize)
    ref = fastreg.lasso_path(Xs, ys, **kw)[1]
    for kind, g in _designs(G, tmp_path).items():
        s = g.subset(idx)
        assert s.shape == (idx.size, p)
        np.testing.assert_array_equal(s.to_dense(), Xs)
        _close(fastreg.lasso_path(s, ys, **kw)[1], ref, RTOL, f"{kind} subset")
        # subset of a subset, and a boolean mask
        ss = g.subset(idx[:40]).subset(np.arange(10, 40))
        np.testing.assert_array_equal(ss.to_dense(), _imputed(G[idx[10:40]]))
        mask = np.zeros(n, dtype=bool)
        mask[idx[:20]] = True
        np.testing.assert_array_equal(g.subset(mask).to_dense(), _imputed(G[mask]))


# The solver keeps working-set columns as plain int8 plus their missing samples, and lists
# the missing samples of every column when they fit (a column cache whose budget in bytes,
# FASTREG_COLUMN_CACHE_BYTES, is read at each fit). Every budget must give the same fits:
# none; room for the lists and a few dozen columns (the rest through the raw kernels,
# resident ones evicted as the working set moves); room for 5 columns and no lists (the
# rest through the design's own kernels); the default (all of it).
@pytest.mark.parametrize("budget", ["0", "lists", "few", None])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_column_cache_budgets(tmp_path, monkeypatch, budget, dtype):
    n, p, q = 400, 150, 2
    G = _dosages(n, p, seed=21, missing=0.01)
    G[5, 7] = -9                                  # any negative value is missing
    X = _imputed(G)
    rng = np.random.default_rng(3)
    C = rng.normal(size=(n, q))
    y = _target(X) + 0.3 * C[:, 0] + rng.standard_normal(n)
    idx = rng.permutation(n)[:301]
    sw = rng.uniform(0.5, 2.0, n)
    kw = dict(alphas=15, eps=1e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=True,
              return_intercept=True)
    pf = np.r_[np.ones(p), np.zeros(q)]
    XC = np.asfortranarray(np.hstack([X, C]))
    refs = {"plain": fastreg.lasso_path(X, y, **kw),
            "weighted": fastreg.lasso_path(X, y, sample_weight=sw, **kw),
            "subset": fastreg.lasso_path(_imputed(G[idx]), y[idx], **kw),
            "covariates": fastreg.lasso_path(XC, y, penalty_factor=pf, **kw)}
    lists = 4 * (int((G < 0).sum()) + p + q + 1) + 8 * (p + q + 1)   # their bytes, at most
    size = {"0": 0, "lists": 4 * lists + 30 * n, "few": 5 * n}
    if budget is None:
        monkeypatch.delenv("FASTREG_COLUMN_CACHE_BYTES", raising=False)
    else:
        monkeypatch.setenv("FASTREG_COLUMN_CACHE_BYTES", str(size[budget]))
    rtol = RTOL if dtype == np.float64 else 1e-3
    if dtype == np.float32:
        kw["tol"] = 1e-6
    for kind, g in _designs(G, tmp_path, dtype=dtype).items():
        yt = y.astype(dtype)
        fits = {"plain": fastreg.lasso_path(g, yt, **kw),
                "weighted": fastreg.lasso_path(g, yt, sample_weight=sw.astype(dtype), **kw),
                "subset": fastreg.lasso_path(g.subset(idx), yt[idx], **kw),
                "covariates": fastreg.lasso_path(g.with_covariates(C), yt, **kw)}
        for what, got in fits.items():
            assert np.count_nonzero(got[1][:, -1]) > 40  # the working set outgrows the room
            _close(got[1], refs[what][1], rtol, f"{kind} {what} coefs, budget {budget}")
            _close(got[3], refs[what][3], rtol, f"{kind} {what} intercepts, budget {budget}")


def test_lasso_cv(tmp_path):
    """LassoCV's folds are zero sample weights on the whole design: the same curve and
    choice as on the float64 matrix (imputed from all samples, as X is)."""
    G = _dosages(120, 60, seed=3)
    X = _imputed(G)
    y = _target(X)
    ref = fastreg.LassoCV(cv=4, tol=1e-10, max_iter=100_000).fit(X, y)
    for kind, g in _designs(G, tmp_path).items():
        m = fastreg.LassoCV(cv=4, tol=1e-10, max_iter=100_000).fit(g, y)
        # (the same grid up to rounding: alpha_max comes from the design's own dot products)
        assert m.alpha_ == pytest.approx(ref.alpha_, rel=1e-12), kind
        _close(m.mse_path_, ref.mse_path_, RTOL, f"{kind} mse_path_")
        _close(m.coef_, ref.coef_, RTOL, f"{kind} coef_")
        _close(m.predict(g), ref.predict(X), RTOL, f"{kind} predict")


def test_covariates_unpenalized_block_not_needed_for_penalty_factor(tmp_path):
    """penalty_factor works on genotype designs as on dense X."""
    G = _dosages(50, 20, seed=8)
    X = _imputed(G)
    y = _target(X)
    pf = np.ones(20)
    pf[5] = 0.0
    ref = fastreg.lasso_path(X, y, alphas=8, tol=FIT_TOL, penalty_factor=pf, fit_intercept=True)[1]
    for kind, g in _designs(G, tmp_path).items():
        got = fastreg.lasso_path(g, y, alphas=8, tol=FIT_TOL, penalty_factor=pf, fit_intercept=True)[1]
        _close(got, ref, RTOL, kind)


@pytest.mark.parametrize("standardize", [False, True])
def test_covariates(tmp_path, standardize):
    """Covariates after the variants, unpenalized by default: the float64 fit on
    [imputed | C] with penalty factor 0 on C; on subsets the covariates follow the rows."""
    n, p, q = 64, 30, 3
    G = _dosages(n, p, seed=17)
    X = _imputed(G)
    rng = np.random.default_rng(9)
    C = np.column_stack([rng.normal(50, 10, n), rng.integers(0, 2, n), rng.normal(size=n)])
    y = _target(X) + 0.05 * C[:, 0] - 0.5 * C[:, 1]
    idx = rng.permutation(n)[:45]
    pf = np.r_[np.ones(p), np.zeros(q)]
    kw = dict(alphas=12, eps=1e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=True,
              standardize=standardize, return_intercept=True)
    XC = np.asfortranarray(np.hstack([X, C]))
    ref = fastreg.lasso_path(XC, y, penalty_factor=pf, **kw)
    Xs = np.asfortranarray(np.hstack([_imputed(G[idx]), C[idx]]))
    ref_s = fastreg.lasso_path(Xs, y[idx], penalty_factor=pf, **kw)
    for kind, g in _designs(G, tmp_path).items():
        gc = g.with_covariates(C)
        assert gc.shape == (n, p + q) and gc.n_variants == p and gc.n_covariates == q
        np.testing.assert_array_equal(gc.to_dense(), XC)
        got = fastreg.lasso_path(gc, y, **kw)
        _close(got[1], ref[1], RTOL, f"{kind} covariates")
        _close(got[3], ref[3], RTOL, f"{kind} covariates intercepts")
        assert np.all(got[1][p:, 0] != 0)  # unpenalized: in the model from the first alpha
        sub = gc.subset(idx)
        _close(fastreg.lasso_path(sub, y[idx], **kw)[1], ref_s[1], RTOL, f"{kind} subset")
        # the same with the subset taken first
        _close(fastreg.lasso_path(g.subset(idx).with_covariates(C[idx]), y[idx], **kw)[1],
               ref_s[1], RTOL, f"{kind} subset first")
        m = fastreg.Lasso(alpha=0.02, tol=1e-12, standardize=standardize).fit(gc, y)
        r = fastreg.Lasso(alpha=0.02, tol=1e-12, standardize=standardize,
                          penalty_factor=pf).fit(XC, y)
        _close(m.coef_, r.coef_, RTOL, f"{kind} Lasso")
        _close(m.predict(gc), r.predict(XC), RTOL, f"{kind} predict")
        # penalized on request, or through an explicit penalty_factor
        pen = fastreg.lasso_path(g.with_covariates(C, penalize=True), y, **kw)[1]
        _close(pen, fastreg.lasso_path(XC, y, **kw)[1], RTOL, f"{kind} penalized")
    with pytest.raises(ValueError, match=r"covariates: expected shape \(64, q\)"):
        g.with_covariates(C[:10])
    bad = C.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="covariates contains NaN"):
        g.with_covariates(bad)


def test_threads(tmp_path):
    """Big enough for the parallel column loops (gradients, statistics, counts): the same
    fit on one and two threads, equal to the float64 fit."""
    n, p = 300, 1000
    G = _dosages(n, p, seed=21, missing=0.02)
    X = _imputed(G)
    y = _target(X)
    kw = dict(alphas=8, eps=5e-2, tol=FIT_TOL, max_iter=100_000, fit_intercept=True,
              standardize=True)
    ref = fastreg.lasso_path(X, y, **kw)[1]
    idx = np.arange(0, n, 2)
    ref_s = fastreg.lasso_path(_imputed(G[idx]), y[idx], **kw)[1]
    for kind, g in _designs(G, tmp_path).items():
        one = fastreg.lasso_path(g, y, n_threads=1, **kw)[1]
        two = fastreg.lasso_path(g, y, n_threads=2, **kw)[1]
        _close(two, one, 1e-12, f"{kind} threads")
        _close(two, ref, RTOL, kind)
        _close(fastreg.lasso_path(g.subset(idx), y[idx], n_threads=2, **kw)[1], ref_s, RTOL,
               f"{kind} subset")


# ---- bad input ------------------------------------------------------------------------------

def test_bad_magic(tmp_path):
    prefix = write_plink(os.path.join(tmp_path, "x"), _dosages(8, 3), magic=b"PK")
    with pytest.raises(ValueError, match=r"x\.bed: not a PLINK 1 \.bed file .*50 4b 01"):
        Genotypes.from_bed(prefix)


def test_empty_bed(tmp_path):
    prefix = write_plink(os.path.join(tmp_path, "e"), _dosages(8, 3))
    open(prefix + ".bed", "wb").close()
    with pytest.raises(ValueError, match="not a PLINK 1 .bed file"):
        Genotypes.from_bed(prefix)


def test_sample_major(tmp_path):
    prefix = write_plink(os.path.join(tmp_path, "s"), _dosages(8, 3), mode=0x00)
    with pytest.raises(ValueError, match="sample-major"):
        Genotypes.from_bed(prefix)
    prefix = write_plink(os.path.join(tmp_path, "u"), _dosages(8, 3), mode=0x07)
    with pytest.raises(ValueError, match="mode byte 07"):
        Genotypes.from_bed(prefix)


def test_truncated(tmp_path):
    prefix = write_plink(os.path.join(tmp_path, "t"), _dosages(10, 5), truncate=2)
    with pytest.raises(ValueError, match=r"t\.bed: 16 bytes, expected 18 .*truncated.*"
                                         r"holds 4 whole variant\(s\), variant 4 .*line 5"):
        Genotypes.from_bed(prefix)


def test_count_mismatch(tmp_path):
    G = _dosages(10, 5)
    prefix = write_plink(os.path.join(tmp_path, "b"), G, n_bim=7)
    with pytest.raises(ValueError, match=r"b\.bed: 18 bytes, expected 24 = 3 \+ 7 variants "
                                         r".*b\.bim.*holds 5 variant\(s\) of 10 samples: .*lists 7"):
        Genotypes.from_bed(prefix)
    prefix = write_plink(os.path.join(tmp_path, "f"), G, n_fam=14)
    with pytest.raises(ValueError, match=r"expected 23 = 3 \+ 5 variants .*\(14 samples in .*f\.fam.*"
                                         r"fits 5 variants of 3 bytes, i\.e\. 9 to 12 samples"):
        Genotypes.from_bed(prefix)
    prefix = write_plink(os.path.join(tmp_path, "l"), G, extra=b"\0\0\0")
    with pytest.raises(ValueError, match="longer than the .bim/.fam counts say"):
        Genotypes.from_bed(prefix)


def test_missing_files_and_bad_lines(tmp_path):
    prefix = write_plink(os.path.join(tmp_path, "m"), _dosages(6, 2))
    os.remove(prefix + ".fam")
    with pytest.raises(FileNotFoundError, match=r"m\.fam"):
        Genotypes.from_bed(prefix)
    prefix = write_plink(os.path.join(tmp_path, "n"), _dosages(6, 2))
    with open(prefix + ".bim", "a") as f:
        f.write("1 rsX 0\n")
    with pytest.raises(ValueError, match=r"n\.bim, line 3: 3 fields, expected 6"):
        Genotypes.from_bed(prefix)
    prefix = write_plink(os.path.join(tmp_path, "q"), _dosages(6, 2))
    with open(prefix + ".bim", "w") as f:
        f.write("1 rs0 0 100 A G\n1 rs1 0 1e5x A G\n")
    with pytest.raises(ValueError, match=r"q\.bim, line 2: position '1e5x'"):
        Genotypes.from_bed(prefix)


def test_int8_out_of_range(tmp_path):
    G = _dosages(9, 6)
    G[4, 3] = 3
    with pytest.raises(ValueError, match=r"variant 3 \(column 3\), sample 4: value 3 is not a dosage"):
        Genotypes.from_array(G)
    path = os.path.join(tmp_path, "bad.npy")
    np.save(path, G)
    with pytest.raises(ValueError, match=r"bad\.npy: variant 3 .*value 3"):
        Genotypes.from_npy(path)
    with pytest.raises(TypeError, match="int8"):
        Genotypes.from_array(G.astype(np.float64))
    with pytest.raises(ValueError, match="2-d"):
        Genotypes.from_array(G[:, 0])
    H = G.astype(np.int16)
    H[0, 0] = 300
    with pytest.raises(ValueError, match="value 300"):
        Genotypes.from_array(H)


def test_bad_subset():
    g = Genotypes.from_array(_dosages(9, 4))
    with pytest.raises(IndexError, match="index 9 out of range for 9 samples"):
        g.subset([0, 9])
    with pytest.raises(IndexError, match="out of range"):
        g.subset([-1])
    with pytest.raises(ValueError, match="at least one sample"):
        g.subset([])
    with pytest.raises(ValueError, match="boolean mask needs shape"):
        g.subset(np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="y"):
        fastreg.lasso_path(g.subset([1, 2, 3]), np.ones(4))


def test_import_is_lazy():
    import subprocess
    import sys
    code = ("import sys, fastreg; assert 'fastreg.genotypes' not in sys.modules; "
            "fastreg.Genotypes; assert 'fastreg.genotypes' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("n", [1, 15, 16, 17, 255, 2000, 2003])
@pytest.mark.parametrize("weighted", [False, True])
def test_int8_kernels_avx512_equal_portable(n, weighted):
    # the AVX-512 kernels of double (where the CPU has them) keep the portable kernels'
    # lanes and order of operations: the same results, bit for bit; both against numpy
    from fastreg import _core

    rng = np.random.default_rng(n)
    x = rng.integers(-1, 3, n).astype(np.int8)
    x[rng.random(n) < 0.05] = 7  # out of range: missing too, for the imputed kernels
    r = rng.standard_normal(n)
    v = rng.uniform(0.1, 2.0, n) if weighted else None
    m, a, b = 1.37, -0.61, 0.25
    fast = _core.genotype_i8_kernels(x, m, v, r, a, b, False)
    portable = _core.genotype_i8_kernels(x, m, v, r, a, b, True)
    assert fast[0] == portable[0] and fast[1] == portable[1]
    np.testing.assert_array_equal(fast[2], portable[2])
    np.testing.assert_array_equal(fast[3], portable[3])
    # numpy: missing (outside 0..2) read as m, or raw
    imputed = np.where((x >= 0) & (x <= 2), x, m).astype(np.float64)
    raw = x.astype(np.float64)
    w = r if v is None else v * r
    np.testing.assert_allclose(fast[0], imputed @ w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast[1], raw @ w, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast[2], r + a * imputed + b, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(fast[3], r + a * raw + b, rtol=1e-14, atol=1e-14)
    # b = 0 takes its own loop
    fast0 = _core.genotype_i8_kernels(x, m, v, r, a, 0.0, False)
    np.testing.assert_array_equal(fast0[3], _core.genotype_i8_kernels(x, m, v, r, a, 0.0, True)[3])
    np.testing.assert_allclose(fast0[3], r + a * raw, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("n", [1, 15, 16, 17, 255, 2000, 2003])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("b", [0.0, 0.25])
def test_int8_fused_axpby_dot_equals_the_two_kernels(n, weighted, b):
    # a coordinate's residual update fused with the next coordinate's dot product gives
    # i8raw_axpby then i8raw_dot bit for bit (AVX-512 and portable alike), and numpy's
    from fastreg import _core

    rng = np.random.default_rng(n + 5)
    x = rng.integers(-1, 3, n).astype(np.int8)
    y = rng.integers(-1, 3, n).astype(np.int8)
    r = rng.standard_normal(n)
    v = rng.uniform(0.1, 2.0, n) if weighted else None
    a = -0.61
    for portable in (False, True):
        d, r1 = _core.genotype_i8_axpby_dot(x, a, b, y, v, r, portable)
        r2 = _core.genotype_i8_kernels(x, 0.0, v, r, a, b, portable)[3]
        d2 = _core.genotype_i8_kernels(y, 0.0, v, r2, 0.0, 0.0, portable)[1]
        np.testing.assert_array_equal(r1, r2)
        assert d == d2
        w = r1 if v is None else v * r1
        np.testing.assert_allclose(r1, r + a * x + b, rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(d, y.astype(np.float64) @ w, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 63, 64, 65, 200, 2003])
def test_int8_missing_samples_and_counts(n):
    # the missing samples of an int8 column (anything outside 0..2), its counts of dosages
    # and its .bed codes (the solver's packed copy), AVX-512 where the CPU has it and
    # portable, against numpy
    from fastreg import _core

    rng = np.random.default_rng(n + 11)
    x = rng.integers(0, 3, n).astype(np.int8)
    odd = rng.random(n) < 0.1
    x[odd] = rng.choice(np.array([-128, -1, 3, 127], dtype=np.int8), int(odd.sum()))
    if n >= 64:
        x[:64] = -1  # a whole block missing
    expected = np.flatnonzero((x < 0) | (x > 2))
    code = np.array([3, 2, 0, 1])[np.minimum(x.view(np.uint8), 3)]  # PLINK's: 2 is 00
    code = np.r_[code, np.zeros(-n % 4, dtype=code.dtype)].reshape(-1, 4)
    packed = (code << (2 * np.arange(4))).sum(axis=1).astype(np.uint8)
    for portable in (False, True):
        got, counts, bed = _core.genotype_i8_scan(x, portable)
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, expected)
        assert counts == tuple(int((x == d).sum()) for d in (0, 1, 2))
        np.testing.assert_array_equal(bed, packed)


@pytest.mark.parametrize("n", [0, 1, 3, 4, 63, 64, 65, 67, 255, 256, 257, 2003])
def test_decode_column_kernels(n):
    # a whole column decoded as double (the shared passes' input), int8 (a byte outside
    # 0..2 reads as m) and .bed, against numpy
    from fastreg import _core

    rng = np.random.default_rng(n + 5)
    x = rng.integers(0, 3, n).astype(np.int8)
    odd = rng.random(n) < 0.1
    x[odd] = rng.choice(np.array([-128, -1, 3, 127], dtype=np.int8), int(odd.sum()))
    m = 0.61
    expected = np.where((x >= 0) & (x <= 2), x, m).astype(np.float64)
    np.testing.assert_array_equal(_core.genotype_decode_column(x, n, m, False), expected)
    packed = _core.genotype_i8_scan(x, True)[2]  # .bed codes (checked in the test above)
    np.testing.assert_array_equal(_core.genotype_decode_column(packed, n, m, True), expected)


@pytest.mark.parametrize("n", [0, 1, 5, 63, 64, 65, 127, 128, 255, 256, 257, 2003, (1 << 19) + 301])
@pytest.mark.parametrize("kind", ["int8", "int8 complete", "bed"])
def test_quantized_kernels(n, kind):
    # The integer kernels of the full passes: x^T e with e in int8 parts. The sum is exact
    # for the represented vector (q's values), so AVX-512 VNNI and portable agree bit for
    # bit, and it is within (sum of x) * error of x^T e, error at most max|e| / (2 127 254^4)
    # (and the remainders' rounding).
    # int8 columns are read imputed (a byte outside 0..2 as m), or as they are when said to
    # have no missing entries; .bed ones raw (missing as 0). n past 2^19 crosses the
    # kernels' int32 flush.
    from fastreg import _core

    rng = np.random.default_rng(n + len(kind))
    e = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)  # magnitudes 1e-3 .. 1e3
    m, missing = 0.73, kind == "int8"
    if kind == "bed":
        x = rng.integers(0, 256, (n + 3) // 4).astype(np.uint8)
        codes = ((x[:, None] >> (2 * np.arange(4))) & 3).ravel()[:n]
        xt = np.array([2.0, 0.0, 1.0, 0.0])[codes]  # missing (01) read as 0
    else:
        x = rng.integers(0, 3, n).astype(np.int8)
        xt = x.astype(np.float64)
        if missing:
            odd = rng.random(n) < 0.05
            x[odd] = rng.choice(np.array([-128, -9, -1, 3, 127], dtype=np.int8), int(odd.sum()))
            xt[odd] = m
    bed = kind == "bed"
    d, value, error = _core.genotype_quantized_dot(x, e, bed, m, missing, False)
    d2, value2, error2 = _core.genotype_quantized_dot(x, e, bed, m, missing, True)
    assert d == d2 and error == error2
    np.testing.assert_array_equal(value, value2)
    top = np.abs(e).max(initial=0.0)
    assert error <= top / (2 * 127 * 254.0**4) + 4 * np.finfo(np.float64).eps * top  # + rounding
    assert np.abs(value - e).max(initial=0.0) == error
    # the exact product of x with q's values, up to double rounding
    np.testing.assert_allclose(d, xt @ value, rtol=1e-13, atol=1e-13 * (xt @ np.abs(value)))
    assert abs(d - xt @ e) <= xt.sum() * error * (1 + 1e-9) + 1e-13 * (xt @ np.abs(e))


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 256, 2000, 2003])
@pytest.mark.parametrize("weighted", [False, True])
def test_bed_kernel_avx512_equals_portable(n, weighted):
    # the .bed dot product of double: AVX-512 (decoding in registers, where the CPU has
    # AVX512_VBMI) against the portable kernel, bit for bit, and against numpy
    from fastreg import _core

    rng = np.random.default_rng(n + 7)
    x = rng.integers(0, 256, (n + 3) // 4).astype(np.uint8)
    r = rng.standard_normal(n)
    v = rng.uniform(0.1, 2.0, n) if weighted else None
    codes = (x[:, None] >> (2 * np.arange(4))) & 3  # sample 4b + k: bits 2k of byte b
    dosage = np.array([2.0, np.nan, 1.0, 0.0])[codes.ravel()[:n]]  # PLINK: 01 missing
    w = r if v is None else v * r
    for missing in (False, True):
        m = 0.83 if missing else 0.0
        fast = _core.genotype_bed_dot(x, m, missing, v, r, False)
        assert fast == _core.genotype_bed_dot(x, m, missing, v, r, True)
        # without missing accumulation, a missing entry reads as 0
        ref = np.where(np.isnan(dosage), m, dosage) @ w
        np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=1e-12)


# ---- paths, columns, products ----------------------------------------------------------------

def test_path_types(tmp_path):
    G = _dosages(7, 4)
    prefix = write_plink(os.path.join(tmp_path, "p"), G)
    ref = _imputed(G)
    for arg in (prefix, prefix.encode(), tmp_path / "p", prefix + ".bed", (prefix + ".bed").encode()):
        np.testing.assert_array_equal(Genotypes.from_bed(arg).to_dense(), ref)
    np.save(tmp_path / "g.npy", G)
    np.testing.assert_array_equal(Genotypes.from_npy(os.fsencode(tmp_path / "g.npy")).to_dense(), ref)
    with pytest.raises(TypeError, match=r"prefix: expected a path .* got int"):
        Genotypes.from_bed(3)


@pytest.mark.parametrize("kind", ["int8", "bed"])
def test_to_dense_columns(tmp_path, kind):
    G = _dosages(11, 9)
    g = _designs(G, tmp_path)[kind]
    ref = _imputed(G)
    sd = ref.std(axis=0)
    ref_std = np.where(sd > 0, (ref - ref.mean(axis=0)) / np.where(sd > 0, sd, 1), 0.0)
    mask = np.zeros(9, dtype=bool)
    mask[[0, 4, 5, 8]] = True
    for cols, idx in (([0, 1], [0, 1]), (np.array([7, 2, 3, 4, 2]), [7, 2, 3, 4, 2]),
                      ([-1], [8]), (mask, np.flatnonzero(mask)), (slice(1, 9, 3), [1, 4, 7]),
                      (slice(2, 5), [2, 3, 4]), (np.int64(5), [5]), ([], [])):
        np.testing.assert_array_equal(g.to_dense(columns=cols), ref[:, idx])
        np.testing.assert_allclose(g.to_dense(True, columns=cols), ref_std[:, idx], atol=1e-12)
    with pytest.raises(IndexError, match="columns: index 9 out of range for 9 variants"):
        g.to_dense(columns=[0, 9])
    with pytest.raises(ValueError, match=r"boolean mask needs shape \(9,\)"):
        g.to_dense(columns=mask[:4])
    with pytest.raises(TypeError, match="columns: expected a slice, integer indices or a boolean"):
        g.to_dense(columns=[0.5])


def test_from_npy_truncated(tmp_path):
    G = _dosages(20, 10)
    path = tmp_path / "t.npy"
    np.save(path, np.asfortranarray(G))
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 7)
    for mmap in (True, False):
        with pytest.raises(ValueError, match=r"t\.npy: not a readable \.npy file .*truncated"):
            Genotypes.from_npy(path, mmap=mmap)
    with open(tmp_path / "junk.npy", "wb") as f:
        f.write(b"not numpy")
    with pytest.raises(ValueError, match=r"junk\.npy: not a readable \.npy"):
        Genotypes.from_npy(tmp_path / "junk.npy")
    with pytest.raises(FileNotFoundError, match=r"absent\.npy"):
        Genotypes.from_npy(tmp_path / "absent.npy")


def test_matmul_shapes(tmp_path):
    G = _dosages(13, 6)
    ref = _imputed(G)
    C = np.random.default_rng(3).standard_normal((13, 2))
    for g, X in ((Genotypes.from_array(G), ref),
                 (Genotypes.from_array(G).with_covariates(C), np.hstack([ref, C]))):
        w = np.arange(X.shape[1], dtype=np.float64) - 2.0
        np.testing.assert_allclose(g @ w, X @ w, rtol=1e-12)
        W = np.stack([w, -w], axis=1)
        np.testing.assert_allclose(g @ W, X @ W, rtol=1e-12)
        m = X.shape[1]
        for bad in (np.ones(m - 1), np.ones(m + 1), np.ones((m - 1, 2)), np.ones((1, m)),
                    np.ones((m, 2, 1)), np.float64(1.0)):
            with pytest.raises(ValueError, match=rf"Genotypes @ coef: coef has shape .*expected "
                                                 rf"\({m},\) or \({m}, k\)"):
                g @ bad
