"""BGEN input: Genotypes.from_bgen against PLINK 2's BGEN export of a .pgen, and against
probabilities written here (the bgen package's writer) and rounded with NumPy."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from fastreg import Genotypes

from test_genotypes import _dosages, write_plink

PLINK2 = shutil.which("plink2")


def _run(*args):
    assert PLINK2, "PLINK 2 is needed: apt-get install plink2 (.ci/run installs it)"
    r = subprocess.run([PLINK2, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]


@pytest.fixture(scope="module")
def plink_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bgen")
    G8 = _dosages(101, 23, seed=4, missing=0.1)
    bed = write_plink(str(d / "b"), G8)
    with open(bed + ".bim", "w") as f:
        for j in range(23):
            f.write(f"{1 + j // 10}\trs{j}\t0\t{100 + j}\t{'ACGT'[j % 4]}\t{'GTAC'[j % 4]}\n")
    _run("--bfile", bed, "--make-pgen", "--out", d / "p")
    for fmt in ("bgen-1.2", "bgen-1.3"):
        for order in ("ref-first", "ref-last"):
            _run("--pfile", d / "p", "--export", fmt, order, "--out", d / f"{fmt}-{order}")
    return d


@pytest.mark.parametrize("fmt", ["bgen-1.2", "bgen-1.3"])
def test_same_as_pgen(plink_files, fmt):
    d = plink_files
    P = Genotypes.from_pgen(d / "p")
    B = Genotypes.from_bgen(d / f"{fmt}-ref-first.bgen", sample=d / f"{fmt}-ref-first.sample")
    np.testing.assert_array_equal(np.asarray(B._data), np.asarray(P._data))
    np.testing.assert_array_equal(B.alleles, P.alleles)            # (ALT, REF)
    np.testing.assert_array_equal(B.variant_ids, P.variant_ids)
    np.testing.assert_array_equal(B.positions, P.positions)
    np.testing.assert_array_equal(B.chromosomes, P.chromosomes)
    np.testing.assert_array_equal(B.sample_ids, P.sample_ids)
    # REF first in the file: the second allele counted is REF, 2 - ALT's dosage
    L = Genotypes.from_bgen(d / f"{fmt}-ref-last.bgen", sample=d / f"{fmt}-ref-last.sample")
    np.testing.assert_array_equal(L.alleles, P.alleles[:, ::-1])
    np.testing.assert_array_equal(L.counts(), P.counts()[:, [2, 1, 0, 3]])
    # the ids PLINK 2 stores in the file, without the .sample
    E = Genotypes.from_bgen(d / f"{fmt}-ref-first.bgen")
    assert E.sample_ids[0, 0] == "0" and E.sample_ids[0, 1] == "fam0_ind0"


def test_probabilities_rounded(tmp_path, monkeypatch):
    from bgen import BgenWriter

    from fastreg.genotypes import _bgen

    rng = np.random.default_rng(0)
    n, p = 57, 9
    # probabilities whose expected dosage is at least 0.05 from a rounding boundary
    probs, dos = [], []
    for j in range(p):
        while True:
            pr = rng.dirichlet([0.5, 0.5, 0.5], size=n)
            d = pr[:, 1] + 2 * pr[:, 2]
            if (np.abs(d - np.floor(d) - 0.5) > 0.05).all():
                break
        miss = rng.random(n) < 0.1
        pr[miss] = np.nan
        probs.append(pr)
        dos.append(np.where(miss, -1, np.rint(d)).astype(np.int8))
    G8 = np.asfortranarray(np.stack(dos, axis=1))
    with BgenWriter(str(tmp_path / "w.bgen"), n, samples=[f"s{i}" for i in range(n)],
                    layout=2, compression="zstd") as w:
        for j in range(p):
            w.add_variant(f"v{j}", f"rs{j}", "2", 500 + j, ["C", "T"], probs[j], bit_depth=16)
    monkeypatch.setattr(_bgen, "BLOCK_BYTES", 4 * n)                 # 4 variants a block
    B = Genotypes.from_bgen(tmp_path / "w.bgen")
    A = Genotypes.from_array(G8)
    np.testing.assert_array_equal(B.counts(), A.counts())
    np.testing.assert_array_equal(B.to_dense(), A.to_dense())
    np.testing.assert_array_equal(B.alleles[0], ["T", "C"])
    np.testing.assert_array_equal(B.sample_ids[:2, 1], ["s0", "s1"])
    np.testing.assert_array_equal(B.variant_ids[:2], ["rs0", "rs1"])
    # unrounded: the expected dosages themselves (16-bit probabilities: to 2^-15), the
    # missing ones the variant's mean over the others
    from fastreg.genotypes import read_bgen_dosages

    X, info = read_bgen_dosages(tmp_path / "w.bgen")
    assert X.dtype == np.float32 and X.flags.f_contiguous and X.shape == (n, p)
    for j in range(p):
        d = probs[j][:, 1] + 2 * probs[j][:, 2]
        miss = np.isnan(d)
        np.testing.assert_allclose(X[~miss, j], d[~miss], atol=1e-4)
        np.testing.assert_allclose(X[miss, j], X[~miss, j].astype(np.float64).mean(), rtol=1e-6)
    np.testing.assert_array_equal(np.rint(X[G8 >= 0]), G8[G8 >= 0])
    np.testing.assert_array_equal(info["alleles"], B.alleles)
    np.testing.assert_array_equal(info["sample_ids"], B.sample_ids)
    np.testing.assert_array_equal(info["variant_ids"], B.variant_ids)
    X64, _ = read_bgen_dosages(tmp_path / "w.bgen", dtype=np.float64)
    np.testing.assert_allclose(X64, X, atol=1e-6)
    with pytest.raises(TypeError, match="dtype: float32 or float64"):
        read_bgen_dosages(tmp_path / "w.bgen", dtype=np.int8)


def test_bad_bgen_inputs(plink_files, tmp_path, monkeypatch):
    import sys

    d = plink_files
    bgen = d / "bgen-1.2-ref-first.bgen"
    with pytest.raises(FileNotFoundError, match=r"absent\.bgen: no such file"):
        Genotypes.from_bgen(tmp_path / "absent.bgen")
    lines = (d / "bgen-1.2-ref-first.sample").read_text().splitlines()
    (tmp_path / "short.sample").write_text("\n".join(lines[:-1]) + "\n")
    with pytest.raises(ValueError, match=r"short\.sample: 100 samples, but .* holds 101"):
        Genotypes.from_bgen(bgen, sample=tmp_path / "short.sample")
    (tmp_path / "bad.sample").write_text("FID IID\n0 0\na b\n")
    with pytest.raises(ValueError, match=r"bad\.sample, line 1: a \.sample file starts with ID_1 ID_2"):
        Genotypes.from_bgen(bgen, sample=tmp_path / "bad.sample")
    (tmp_path / "junk.bgen").write_bytes(b"\0" * 64)
    with pytest.raises(ValueError, match=r"junk\.bgen"):
        Genotypes.from_bgen(tmp_path / "junk.bgen")
    monkeypatch.setitem(sys.modules, "bgen", None)
    with pytest.raises(ImportError, match="from_bgen needs the bgen package"):
        Genotypes.from_bgen(bgen)
