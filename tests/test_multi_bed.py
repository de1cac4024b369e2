"""Several PLINK 1 filesets as one design (Genotypes.from_bed of a list of prefixes or a
pattern ``chr{1:3}``): every fit equals the fit on the single file PLINK 1.9 merges them
into (``--merge-list``), the .fam files must agree (the first that differs is named),
patterns expand as documented, pickles hold paths, and ``fastreg lasso --bed PATTERN``
writes what ``--bed MERGED`` writes.

The per-chromosome files come from test_genotypes.py's writer; the merged file is PLINK's,
an independent reference for the concatenation.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes
from fastreg.genotypes._plink1_multi import expand_pattern
from test_genotypes import _dosages, _imputed, write_plink

N = 150
SIZES = (20, 25, 15)  # variants per chromosome file

plink = shutil.which("plink1.9") or shutil.which("plink")
needs_plink = pytest.mark.skipif(plink is None, reason="PLINK 1.9 makes the merged reference")


def _chromosomes(tmp_path, sizes=SIZES, n=N, seed=0):
    """chr1 .. chrK filesets (K = len(sizes)), their dosages concatenated by columns."""
    parts = [_dosages(n, p, seed=seed + k) for k, p in enumerate(sizes)]
    for k, G in enumerate(parts, start=1):
        prefix = write_plink(os.path.join(tmp_path, f"chr{k}"), G)
        with open(prefix + ".bim", "w") as f:  # chromosome k, unique ids, increasing positions
            for j in range(G.shape[1]):
                f.write(f"{k}\trs{k}_{j}\t0\t{1000 + 10 * j}\tA\tG\n")
    return os.path.join(tmp_path, "chr{1:%d}" % len(sizes)), np.asfortranarray(np.hstack(parts))


def _merged(tmp_path, k):
    """PLINK 1.9's merge of chr1 .. chrk into one fileset (allele order kept)."""
    with open(os.path.join(tmp_path, "merge.txt"), "w") as f:
        f.writelines(os.path.join(tmp_path, f"chr{c}") + "\n" for c in range(2, k + 1))
    out = os.path.join(tmp_path, "merged")
    subprocess.run([plink, "--bfile", os.path.join(tmp_path, "chr1"), "--merge-list",
                    os.path.join(tmp_path, "merge.txt"), "--keep-allele-order", "--make-bed",
                    "--out", out, "--silent"], check=True, capture_output=True,
                   env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"})  # CI's sanitizers
    return out


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def _y(X, seed=1):
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    support = rng.choice(np.arange(4, X.shape[1]), 8, replace=False)
    w[support] = rng.standard_normal(8)
    return X @ w + 0.5 * rng.standard_normal(X.shape[0]) + 1.0


def _same(a, b, rtol=1e-12, what=""):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    assert a.shape == b.shape, what
    assert np.abs(a - b).max() <= rtol * max(np.abs(b).max(), 1e-300), what


@pytest.fixture
def pair(tmp_path):
    if plink is None:
        pytest.skip("PLINK 1.9 makes the merged reference")
    pattern, G = _chromosomes(tmp_path)
    return Genotypes.from_bed(pattern), Genotypes.from_bed(_merged(tmp_path, len(SIZES))), G


# ---- the design ------------------------------------------------------------------------


def test_patterns():
    assert expand_pattern("d/chr{1:3}") == ["d/chr1", "d/chr2", "d/chr3"]
    assert expand_pattern("chr{08:10}") == ["chr08", "chr09", "chr10"]
    assert expand_pattern("chr{1:2,X}") == ["chr1", "chr2", "chrX"]
    assert expand_pattern("b{1:2}_c{a,b}") == ["b1_ca", "b1_cb", "b2_ca", "b2_cb"]
    for bad in ("chr{3:1}", "chr{a:2}", "chr{1:2,}"):
        with pytest.raises(ValueError, match="pattern"):
            expand_pattern(bad)


def test_same_as_merged_file(pair):
    multi, merged, G = pair
    p = sum(SIZES)
    assert multi.shape == merged.shape == (N, p)
    # PLINK's merged .bed holds the chromosome files' bytes one after the other
    body = b"".join(_read(f)[3:] for f in multi.sources)
    assert _read(merged.sources[0])[3:] == body
    assert len(multi.sources) == 3 and "chr1.bed" in multi.source
    np.testing.assert_array_equal(multi.variant_ids, merged.variant_ids)
    np.testing.assert_array_equal(multi.chromosomes, np.repeat(["1", "2", "3"], SIZES))
    np.testing.assert_array_equal(multi.positions, merged.positions)
    np.testing.assert_array_equal(multi.alleles, merged.alleles)
    np.testing.assert_array_equal(multi.sample_ids, merged.sample_ids)
    np.testing.assert_array_equal(multi.counts(), merged.counts())
    X = _imputed(G)
    np.testing.assert_array_equal(multi.to_dense(), X)
    np.testing.assert_array_equal(multi.to_dense(columns=[44, 3, 20, 19]), X[:, [44, 3, 20, 19]])
    w = np.random.default_rng(0).standard_normal((p, 2))
    _same(multi @ w, merged @ w, 1e-14, "matmul")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_paths_equal_merged(pair, dtype):
    multi, merged, G = pair
    y = _y(_imputed(G)).astype(dtype)
    multi, merged = multi.astype(dtype), merged.astype(dtype)
    for kw in (dict(), dict(l1_ratio=0.5, standardize=True)):
        tol = 1e-10 if dtype == np.float64 else 1e-4
        a = fastreg.enet_path(multi, y, alphas=20, tol=tol, **kw)
        b = fastreg.enet_path(merged, y, alphas=20, tol=tol, **kw)
        _same(a[0], b[0], 0, "alphas")
        _same(a[1], b[1], 1e-12 if dtype == np.float64 else 1e-6, f"coefs {kw}")


def test_estimators_and_cv_equal_merged(pair):
    multi, merged, G = pair
    y = _y(_imputed(G))
    sw = np.random.default_rng(3).uniform(0.5, 1.5, N)
    for est in (fastreg.Lasso(alpha=0.05, tol=1e-12), fastreg.ElasticNet(alpha=0.05, tol=1e-12)):
        m1 = type(est)(**est.get_params()).fit(multi, y, sample_weight=sw)
        m2 = type(est)(**est.get_params()).fit(merged, y, sample_weight=sw)
        _same(m1.coef_, m2.coef_, 1e-10, type(est).__name__)
        _same(m1.predict(multi), m2.predict(merged), 1e-10, type(est).__name__)
    for cv in (fastreg.LassoCV(cv=3, tol=1e-10), fastreg.ElasticNetCV(cv=3, l1_ratio=[0.5, 1.0])):
        m1 = type(cv)(**cv.get_params()).fit(multi, y)
        m2 = type(cv)(**cv.get_params()).fit(merged, y)
        assert m1.alpha_ == m2.alpha_
        _same(m1.mse_path_, m2.mse_path_, 1e-12, "mse_path_")
        _same(m1.coef_, m2.coef_, 1e-12, "coef_")
    # sample subsets and covariates, as LassoCV's folds and the CLI use them
    rows = np.random.default_rng(5).permutation(N)[:100]
    C = np.random.default_rng(6).standard_normal((100, 2))
    a = fastreg.lasso_path(multi.subset(rows).with_covariates(C), y[rows], alphas=10)
    b = fastreg.lasso_path(merged.subset(rows).with_covariates(C), y[rows], alphas=10)
    _same(a[1], b[1], 1e-12, "subset with covariates")


def test_logistic_equal_merged(pair):
    multi, merged, G = pair
    y = (_y(_imputed(G)) > 1.0).astype(np.float64)
    m1 = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-10).fit(multi, y)
    m2 = fastreg.LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-10).fit(merged, y)
    _same(m1.coef_, m2.coef_, 1e-10, "logistic coef_")


def test_list_of_prefixes_and_pickle(tmp_path):
    pattern, G = _chromosomes(tmp_path)
    listed = Genotypes.from_bed([os.path.join(tmp_path, f"chr{k}.bed") for k in (1, 2, 3)])
    single = Genotypes.from_bed([os.path.join(tmp_path, "chr2")])  # a list of one: one file
    np.testing.assert_array_equal(listed.to_dense(), _imputed(G))
    np.testing.assert_array_equal(single.to_dense(), _imputed(G[:, 20:45]))
    assert len(single.sources) == 1
    g = Genotypes.from_bed(pattern).subset(np.arange(10, 120))
    blob = pickle.dumps(g)
    assert len(blob) < 20_000  # paths, ids and the selection: no genotype data
    h = pickle.loads(blob)
    np.testing.assert_array_equal(h.to_dense(), _imputed(G[10:120]))
    assert h.variant_ids[-1] == "rs3_14"
    # a file rewritten after opening is refused by name, here and in an unpickled copy
    os.utime(os.path.join(tmp_path, "chr2.bed"), ns=(1, 1))
    for d in (g, h):
        with pytest.raises(ValueError, match="chr2.bed: the file changed"):
            d.to_dense()


def test_fams_must_agree(tmp_path):
    pattern, _ = _chromosomes(tmp_path)
    fam3 = os.path.join(tmp_path, "chr3.fam")
    lines = _read(fam3).decode().splitlines()
    lines[41] = lines[41].replace("ind41", "other41")
    _write(fam3, lines)
    with pytest.raises(ValueError, match=r"chr3\.fam, line 42: IID 'other41' differs from "
                                         r".*chr1\.fam line 42 \('ind41'\)"):
        Genotypes.from_bed(pattern)
    _write(fam3, lines[:-1])
    with pytest.raises(ValueError, match=r"chr3\.fam: 149 samples, but .*chr1\.fam has 150"):
        Genotypes.from_bed(pattern)
    with pytest.raises(FileNotFoundError, match=r"chr4\.bed"):
        Genotypes.from_bed(os.path.join(tmp_path, "chr{1:4}"))
    with pytest.raises(ValueError, match="given twice"):
        Genotypes.from_bed([os.path.join(tmp_path, "chr1"), os.path.join(tmp_path, "chr1.bed")])
    with pytest.raises(ValueError, match="empty list"):
        Genotypes.from_bed([])
    # a .bed whose size disagrees with its own .bim is named
    with open(os.path.join(tmp_path, "chr2.bed"), "ab") as f:
        f.write(b"\0")
    shutil.copy(os.path.join(tmp_path, "chr1.fam"), fam3)
    with pytest.raises(ValueError, match=r"chr2\.bed: .* longer than"):
        Genotypes.from_bed(pattern)


@needs_plink
def test_cli_pattern_equals_merged(tmp_path, capsys):
    from fastreg.cli import main

    pattern, G = _chromosomes(tmp_path)
    merged = _merged(tmp_path, len(SIZES))
    y = _y(_imputed(G))
    pheno = os.path.join(tmp_path, "pheno.txt")
    with open(pheno, "w") as f:
        f.writelines(f"fam{i} ind{i} {float(y[i])!r}\n" for i in range(N))
    outs = []
    for bed, name in ((pattern, "multi"), (merged, "merged")):
        out = os.path.join(tmp_path, name)
        status = main(["lasso", "--bed", bed, "--pheno", pheno, "--out", out, "--quiet"])
        assert status == 0, capsys.readouterr().err
        outs.append(_read(out + ".coef.tsv"))
    assert outs[0] == outs[1]
    assert outs[0].count(b"\n") > 3  # some variants were chosen
