"""`fastreg lasso --bgen PATH [--sample FILE]`: BGEN 1.2 and 1.3 files that PLINK 2 itself
exports from a .bed give the .bed's fit (hardcalls: the rounded dosages are the calls), and
the input errors of --bgen and --sample end with one line and exit status 2."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import numpy as np
import pytest

from fastreg.cli import main
from test_cli_lasso import _dataset, _outputs, _read_tsv

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("bgen") is None or shutil.which("plink2") is None,
    reason="needs the bgen package and plink2 (.ci/run installs both)")


@pytest.fixture
def data(tmp_path):
    d = _dataset(tmp_path)
    with open(d["prefix"] + ".bim") as f:  # one chromosome, sorted: what plink2 accepts
        rows = [line.split() for line in f]
    with open(d["prefix"] + ".bim", "w") as f:
        f.writelines("\t".join(["1"] + r[1:]) + "\n" for r in rows)
    for fmt in ("bgen-1.2", "bgen-1.3"):
        # ref-first: the second allele of each variant, the one from_bgen counts, is ALT,
        # which is the .bim's A1 (PLINK 2 reads a .bed's A1 as ALT)
        res = subprocess.run(["plink2", "--bfile", d["prefix"], "--export", fmt, "ref-first",
                              "--out", str(tmp_path / fmt)], capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 0, res.stdout + res.stderr
    return d


@pytest.mark.parametrize("fmt", ["bgen-1.2", "bgen-1.3"])
def test_bgen_equals_bed(tmp_path, capsys, data, fmt):
    d = data
    common = ["--pheno", d["pheno"], "--covar", d["covar"], "--quiet"]
    assert main(["lasso", "--bed", d["prefix"], *common, "--out", str(tmp_path / "bed")]) == 0
    bgen = str(tmp_path / fmt)
    assert main(["lasso", "--bgen", bgen + ".bgen", "--sample", bgen + ".sample", *common,
                 "--out", str(tmp_path / "bgen")]) == 0, capsys.readouterr().err
    (h1, bed), (h2, bg) = _read_tsv(str(tmp_path / "bed.coef.tsv")), \
        _read_tsv(str(tmp_path / "bgen.coef.tsv"))
    assert h1 == h2
    assert len(bed) > 3  # variants selected, then the covariates and the intercept
    assert [r[:5] + r[6:] for r in bed] == [r[:5] + r[6:] for r in bg]  # ids, alleles
    a = np.array([float(r[5]) for r in bed])
    b = np.array([float(r[5]) for r in bg])
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12 * np.abs(a).max())
    log = (tmp_path / "bgen.log").read_text()
    assert f"{fmt}.sample" in log and f"{fmt}.bgen" in log


def test_bgen_without_sample_file_matches_by_iid(tmp_path, capsys, data):
    """Without --sample, the .bgen's own ids are IIDs (PLINK 2 writes FID_IID there): a
    '#IID' phenotype file matches them."""
    d = data
    bgen = str(tmp_path / "bgen-1.2.bgen")
    from fastreg import Genotypes

    iids = [str(i) for i in Genotypes.from_bgen(bgen).sample_ids[:, 1]]
    assert iids[0] == "fam0_ind0"
    rng = np.random.default_rng(0)
    with open(tmp_path / "iid.txt", "w") as f:
        f.write("#IID\ty\n")
        for iid in iids:
            f.write(f"{iid}\t{rng.standard_normal():.4f}\n")
    assert main(["lasso", "--bgen", bgen, "--pheno", str(tmp_path / "iid.txt"), "--quiet",
                 "--out", str(tmp_path / "res")]) == 0, capsys.readouterr().err
    assert f"{len(iids)} of {len(iids)} used" in (tmp_path / "res.log").read_text()


def test_bgen_input_errors(tmp_path, capsys, data, monkeypatch):
    d = data
    bgen = str(tmp_path / "bgen-1.2")
    out = ["--out", str(tmp_path / "res")]
    cases = [
        (["--bgen", bgen + ".bgen"], "--pheno"),                          # no phenotype
        (["--bgen", bgen + ".bgen", "--pheno-from-fam"], "--pheno-from-fam"),
        (["--bed", d["prefix"], "--sample", bgen + ".sample", "--pheno", d["pheno"]],
         "--sample goes with --bgen"),
        (["--bed", d["prefix"], "--bgen", bgen + ".bgen", "--pheno", d["pheno"]],
         "not --bed and --bgen"),
        (["--bgen", str(tmp_path / "none.bgen"), "--pheno", d["pheno"]], "none.bgen"),
        (["--bgen", bgen + ".bgen", "--sample", str(tmp_path / "none.sample"),
          "--pheno", d["pheno"]], "none.sample"),
        (["--bgen", d["prefix"] + ".bed", "--pheno", d["pheno"]], "geno.bed"),  # not BGEN
    ]
    for argv, needle in cases:
        assert main(["lasso", *argv, *out]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("fastreg lasso: error: ") and needle in err, (argv, err)
        assert err.count("\n") == 1
    # a .sample file of another sample count
    with open(bgen + ".sample") as f:
        lines = f.readlines()
    with open(tmp_path / "short.sample", "w") as f:
        f.writelines(lines[:-1])
    assert main(["lasso", "--bgen", bgen + ".bgen", "--sample", str(tmp_path / "short.sample"),
                 "--pheno", d["pheno"], *out]) == 2
    assert "short.sample" in capsys.readouterr().err
    # without the bgen package: the message says what to install
    from fastreg.genotypes import _bgen

    def missing():
        raise ImportError("Genotypes.from_bgen needs the bgen package: pip install bgen")

    monkeypatch.setattr(_bgen, "_bgen_module", missing)
    assert main(["lasso", "--bgen", bgen + ".bgen", "--pheno", d["pheno"], *out]) == 2
    assert "pip install bgen" in capsys.readouterr().err
    assert _outputs(tmp_path, "res") == []
