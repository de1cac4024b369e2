"""PLINK 2 input: Genotypes.from_pgen against PLINK 2 itself.

PLINK 2 (Debian's plink2, installed by .ci/run) makes the .pgen/.pvar/.psam from a .bed,
and exports the dosages it reads (``--export A`` counting ALT, the reference here);
fits of the .pgen and of the .bed equal each other.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes

from test_genotypes import _dosages, _imputed, _target, write_plink

PLINK2 = shutil.which("plink2")
PLINK1 = shutil.which("plink1.9") or shutil.which("plink")


def _run(*args):
    assert PLINK2, "PLINK 2 is needed: apt-get install plink2 (.ci/run installs it)"
    r = subprocess.run([PLINK2, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout


def _raw_dosages(path):
    """The dosages of a PLINK --export A .raw file (NA missing): (n, p) float, NaN missing."""
    with open(path) as f:
        header = f.readline().split()
        rows = [line.split()[6:] for line in f]
    return header[6:], np.array([[np.nan if v == "NA" else float(v) for v in r] for r in rows])


@pytest.fixture(scope="module")
def plink_pair(tmp_path_factory):
    """A .bed of ours with missing calls, and the .pgen PLINK 2 made from it."""
    d = tmp_path_factory.mktemp("pgen")
    G8 = _dosages(203, 57, seed=11, missing=0.08)   # n not a multiple of 4
    bed = write_plink(str(d / "b"), G8)
    with open(bed + ".bim", "w") as f:   # chromosomes in blocks: PLINK 2 wants them sorted
        for j in range(57):
            f.write(f"{1 + j // 20}\trs{j}\t0\t{1000 + 10 * j}\t{'ACGT'[j % 4]}\t{'GTAC'[j % 4]}\n")
    _run("--bfile", bed, "--make-pgen", "--out", d / "p")
    return dict(G8=G8, bed=bed, pgen=str(d / "p"), dir=d)


def test_dosages_match_plink2_export(plink_pair):
    P = Genotypes.from_pgen(plink_pair["pgen"])
    # PLINK 2 counts REF by default: ask it for ALT, read from the .pvar here
    with open(plink_pair["pgen"] + ".pvar") as f:
        rows = [line.split() for line in f if not line.startswith("#")]
    alt = plink_pair["dir"] / "alt.txt"
    alt.write_text("".join(f"{r[2]} {r[4]}\n" for r in rows))
    _run("--pfile", plink_pair["pgen"], "--export", "A", "--export-allele", alt,
         "--out", plink_pair["dir"] / "x")
    names, raw = _raw_dosages(plink_pair["dir"] / "x.raw")
    # PLINK's column names are ID_counted-allele: the ALT allele, our alleles[:, 0]
    assert names == [f"{v}_{a}" for v, a in zip(P.variant_ids, P.alleles[:, 0])]
    counts = P.counts()
    for j in range(P.n_variants):
        col = raw[:, j]
        called = ~np.isnan(col)
        assert counts[j, 3] == (~called).sum()
        assert list(counts[j, :3]) == [(col == k).sum() for k in (0, 1, 2)]
    # and the .bed they came from, counted as A1
    np.testing.assert_array_equal(P.to_dense(), _imputed(plink_pair["G8"]))


def test_same_as_bed(plink_pair):
    B = Genotypes.from_bed(plink_pair["bed"])
    P = Genotypes.from_pgen(plink_pair["pgen"])
    assert P.kind == "bed" and P.shape == B.shape and P.source.endswith("p.pgen")
    # the packed codes are the .bed's bytes
    np.testing.assert_array_equal(np.asarray(P._data), np.asarray(B._data))
    np.testing.assert_array_equal(P.variant_ids, B.variant_ids)
    np.testing.assert_array_equal(P.chromosomes, B.chromosomes)
    np.testing.assert_array_equal(P.positions, B.positions)
    np.testing.assert_array_equal(P.alleles, B.alleles)        # (ALT, REF) == (A1, A2)
    np.testing.assert_array_equal(P.sample_ids, B.sample_ids)
    y = _target(_imputed(plink_pair["G8"]), seed=3)
    for est in (fastreg.Lasso(alpha=0.02, tol=1e-10),
                fastreg.ElasticNet(alpha=0.05, l1_ratio=0.5, standardize=True)):
        a = est.fit(B, y).coef_.copy()
        b = est.fit(P, y).coef_
        np.testing.assert_array_equal(a, b)
    a = fastreg.LassoCV(cv=3).fit(B[5:], y[5:])
    b = fastreg.LassoCV(cv=3).fit(P[5:], y[5:])
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert a.alpha_ == b.alpha_


def test_plink_simulated_and_back(tmp_path):
    """Data PLINK 1.9 simulates, to .pgen by PLINK 2 and back to a .bed by PLINK 2:
    the two .bed and the .pgen read the same."""
    assert PLINK1, "PLINK 1.9 is needed: apt-get install plink1.9 (.ci/run installs it)"
    sim = tmp_path / "sim.txt"
    sim.write_text("35 null 0.05 0.5 0.0 0.0\n5 qtl 0.05 0.5 0.1 0.0\n")
    r = subprocess.run([PLINK1, "--simulate-qt", sim, "--simulate-n", "150", "--make-bed",
                        "--seed", "7", "--out", tmp_path / "s"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]
    _run("--bfile", tmp_path / "s", "--make-pgen", "--out", tmp_path / "s2")
    _run("--pfile", tmp_path / "s2", "--make-bed", "--out", tmp_path / "s3")
    B = Genotypes.from_bed(tmp_path / "s")
    P = Genotypes.from_pgen(tmp_path / "s2.pgen")
    B3 = Genotypes.from_bed(tmp_path / "s3")
    for other in (P, B3):
        np.testing.assert_array_equal(other.to_dense(), B.to_dense())
        np.testing.assert_array_equal(other.alleles, B.alleles)
    y = P.fam_phenotype()
    np.testing.assert_array_equal(y, B.fam_phenotype())   # the .psam's PHENO1
    assert np.isfinite(y).all()
    np.testing.assert_array_equal(fastreg.Lasso(alpha=0.1).fit(P, y).coef_,
                                  fastreg.Lasso(alpha=0.1).fit(B, y).coef_)


def test_blocks_and_pickle(plink_pair, monkeypatch):
    from fastreg.genotypes import _pgen

    P = Genotypes.from_pgen(plink_pair["pgen"])
    monkeypatch.setattr(_pgen, "BLOCK_BYTES", 203 * 5)   # 5 variants a block, 57 = 11 * 5 + 2
    Q = Genotypes.from_pgen(plink_pair["pgen"])
    np.testing.assert_array_equal(np.asarray(Q._data), np.asarray(P._data))
    # in memory: a pickle holds the packed codes (n / 4 bytes a variant), not the .pvar
    blob = pickle.dumps(P[3:])
    assert P._data.nbytes <= len(blob) < P._data.nbytes + 4_000
    R = pickle.loads(blob)
    np.testing.assert_array_equal(R.to_dense(), P[3:].to_dense())
    np.testing.assert_array_equal(R.variant_ids, P.variant_ids)


def test_iid_only_psam(plink_pair, tmp_path):
    src = plink_pair["pgen"]
    for ext in (".pgen", ".pvar"):
        shutil.copy(src + ext, tmp_path / ("i" + ext))
    with open(src + ".psam") as f, open(tmp_path / "i.psam", "w") as g:
        lines = f.read().splitlines()
        cols = lines[0].lstrip("#").split("\t")
        keep = [k for k, c in enumerate(cols) if c != "FID"]
        g.write("#" + "\t".join(cols[k] for k in keep) + "\n")
        for line in lines[1:]:
            parts = line.split("\t")
            g.write("\t".join(parts[k] for k in keep) + "\n")
    P = Genotypes.from_pgen(tmp_path / "i")
    # no FID: '0', as PLINK 2's --make-bed writes it
    _run("--pfile", tmp_path / "i", "--make-bed", "--out", tmp_path / "ib")
    np.testing.assert_array_equal(P.sample_ids, Genotypes.from_bed(tmp_path / "ib").sample_ids)
    assert P.sample_ids[0, 0] == "0"
    ph = tmp_path / "ph.txt"
    ph.write_text("#IID\ty\n" + "".join(f"ind{i}\t{i}\n" for i in range(0, 203, 2)))
    y = fastreg.read_pheno(ph, samples=P)
    assert y[4] == 4 and np.isnan(y[5])


def test_bad_pgen_inputs(plink_pair, tmp_path):
    src = plink_pair["pgen"]

    def copy(name):
        for ext in (".pgen", ".pvar", ".psam"):
            shutil.copy(src + ext, tmp_path / (name + ext))
        return tmp_path / name

    p = copy("m")
    os.remove(str(p) + ".pvar")
    with pytest.raises(FileNotFoundError, match=r"m\.pvar: no such file \(PLINK 2 needs"):
        Genotypes.from_pgen(p)
    p = copy("multi")
    with open(str(p) + ".pvar") as f:
        text = f.read().splitlines()
    head = [k for k, line in enumerate(text) if line.startswith("#CHROM")][0]
    parts = text[head + 3].split("\t")
    parts[4] = parts[4] + ",T"
    text[head + 3] = "\t".join(parts)
    with open(str(p) + ".pvar", "w") as f:
        f.write("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=rf"multi\.pvar, line {head + 4}: variant 'rs2' has 2 "
                                         r"ALT alleles .*--max-alleles 2"):
        Genotypes.from_pgen(p)
    p = copy("extra")
    with open(str(p) + ".psam", "a") as f:
        f.write("famX\tindX\tNA\tNA\n")
    with pytest.raises(ValueError, match=r"extra\.pgen: pgenlib cannot read it with 204 samples"):
        Genotypes.from_pgen(p)
    p = copy("head")
    with open(str(p) + ".pvar", "w") as f:
        f.write("#CHROM\tPOS\tREF\tALT\n1\t5\tA\tG\n")
    with pytest.raises(ValueError, match=r"head\.pvar, line 1: the header has no ID column"):
        Genotypes.from_pgen(p)
    with pytest.raises(TypeError, match="prefix: expected a path"):
        Genotypes.from_pgen(None)


def test_pgenlib_imported_lazily(plink_pair, monkeypatch):
    code = (f"import sys, fastreg; G = fastreg.Genotypes.from_bed({plink_pair['bed']!r}); "
            "assert 'pgenlib' not in sys.modules; "
            f"fastreg.Genotypes.from_pgen({plink_pair['pgen']!r}); assert 'pgenlib' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
    monkeypatch.setitem(sys.modules, "pgenlib", None)
    with pytest.raises(ImportError, match=r"from_pgen needs pgenlib: pip install pgenlib"):
        Genotypes.from_pgen(plink_pair["pgen"])
