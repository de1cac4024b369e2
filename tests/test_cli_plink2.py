"""`fastreg lasso` with PLINK's phenotype conventions and PLINK 2 input: the .fam's 6th
column as the phenotype (--pheno-from-fam, and PLINK's default without --pheno), a
case/control phenotype fitted by the binomial family, not as the numbers 1 and 2, and --pgen
against --bed on the same data (PLINK 2 itself converts the files).

These use Genotypes.fam_phenotype, fastreg.genotypes.is_case_control and
Genotypes.from_pgen; each test is skipped where this version of fastreg lacks the one it
needs (and --pgen where pgenlib or plink2 is missing)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess

import numpy as np
import pytest

from fastreg import Genotypes
from fastreg.cli import main
from test_cli_lasso import _dataset, _outputs, _read_tsv


def _needs(obj, name):
    if getattr(obj, name, None) is None:
        pytest.skip(f"this version of fastreg has no {name}")


def _fam_with(prefix, values):
    """Rewrite prefix.fam's 6th column with the given tokens."""
    with open(prefix + ".fam") as f:
        rows = [line.split() for line in f]
    with open(prefix + ".fam", "w") as f:
        for r, v in zip(rows, values):
            f.write(" ".join(r[:5] + [v]) + "\n")


def _pheno_tokens(d, n=150):
    """The phenotype of _dataset's file as .fam tokens: -9 where it has no value."""
    y = np.full(n, np.nan)
    y[d["keep"]] = d["y"]
    return ["-9" if np.isnan(v) else repr(float(v)) for v in y]


def test_pheno_from_fam(tmp_path, capsys):
    _needs(Genotypes, "fam_phenotype")
    d = _dataset(tmp_path, covar=False)
    _fam_with(d["prefix"], _pheno_tokens(d))
    runs = {"file": ["--pheno", d["pheno"]], "flag": ["--pheno-from-fam"], "default": []}
    coef = {}
    for name, extra in runs.items():
        out = str(tmp_path / name)
        assert main(["lasso", "--bed", d["prefix"], *extra, "--out", out, "--quiet"]) == 0, \
            capsys.readouterr().err
        coef[name] = (tmp_path / f"{name}.coef.tsv").read_text()
    # the same samples (those with a value), the same values: the same model
    assert coef["flag"] == coef["file"] == coef["default"]
    assert len(coef["file"].splitlines()) > 2
    assert "6th column" in (tmp_path / "default.log").read_text()


def test_pheno_from_fam_all_missing(tmp_path, capsys):
    _needs(Genotypes, "fam_phenotype")
    d = _dataset(tmp_path, covar=False)  # write_plink's .fam: -9 everywhere
    assert main(["lasso", "--bed", d["prefix"], "--out", str(tmp_path / "res")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastreg lasso: error: ") and ".fam" in err and "--pheno" in err
    assert _outputs(tmp_path, "res") == []


@pytest.mark.parametrize("codes", [["1", "2"], ["1", "2", "0"], ["0", "1"]])
def test_case_control_is_binomial(tmp_path, capsys, codes):
    """A case/control phenotype is fitted by the binomial family (--family auto), never as
    the numbers 1 and 2; with 1 and 2, 0 is missing (PLINK 1.9's reading), in the file and
    the .fam (tests/test_logistic_cli.py checks the fits themselves)."""
    genotypes = importlib.import_module("fastreg.genotypes")
    _needs(genotypes, "is_case_control")
    d = _dataset(tmp_path, covar=False)
    values = np.random.default_rng(0).choice(codes, 150)
    with open(tmp_path / "cc.txt", "w") as f:
        f.write("FID IID status\n")
        f.writelines(f"fam{i} ind{i} {v}\n" for i, v in enumerate(values))
    sources = [["--pheno", str(tmp_path / "cc.txt")]]
    if getattr(Genotypes, "fam_phenotype", None) is not None:
        _fam_with(d["prefix"], list(values))
        sources.append(["--pheno-from-fam"])
    case = "1" if codes == ["0", "1"] else "2"
    control = "0" if codes == ["0", "1"] else "1"
    for k, extra in enumerate(sources):
        out = str(tmp_path / f"res{k}")
        status = main(["lasso", "--bed", d["prefix"], *extra, "--out", out, "--quiet"])
        assert status == 0, capsys.readouterr().err
        with open(out + ".log") as f:
            log = f.read()
        n_case, n_control = int((values == case).sum()), int((values == control).sum())
        assert f"{n_case:,} cases, {n_control:,} controls" in log, log
        assert f"samples     {n_case + n_control:,} of 150 used" in log


def test_pgen_equals_bed(tmp_path, capsys):
    _needs(Genotypes, "from_pgen")
    if importlib.util.find_spec("pgenlib") is None or shutil.which("plink2") is None:
        pytest.skip("needs pgenlib and plink2")
    d = _dataset(tmp_path)
    with open(d["prefix"] + ".bim") as f:  # one chromosome, sorted: what plink2 accepts
        rows = [line.split() for line in f]
    with open(d["prefix"] + ".bim", "w") as f:
        f.writelines("\t".join(["1"] + r[1:]) + "\n" for r in rows)
    res = subprocess.run(["plink2", "--bfile", d["prefix"], "--make-pgen", "--out",
                          str(tmp_path / "geno2")], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    tables = {}
    for flag, prefix in (("--bed", d["prefix"]), ("--pgen", str(tmp_path / "geno2"))):
        out = str(tmp_path / flag[2:])
        assert main(["lasso", flag, prefix, "--pheno", d["pheno"], "--covar", d["covar"],
                     "--out", out, "--quiet"]) == 0, capsys.readouterr().err
        tables[flag] = _read_tsv(out + ".coef.tsv")
    (h1, bed), (h2, pgen) = tables["--bed"], tables["--pgen"]
    assert h1 == h2
    assert [r[:5] + r[6:] for r in bed] == [r[:5] + r[6:] for r in pgen]
    a = np.array([float(r[5]) for r in bed])
    b = np.array([float(r[5]) for r in pgen])
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12 * np.abs(a).max())
    assert "geno2.psam" in (tmp_path / "pgen.log").read_text()
