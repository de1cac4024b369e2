"""`fastreg lasso --family`: a case/control phenotype fitted by the binomial family, end to
end on PLINK files (PLINK 1.9's own --simulate case/control data, and written files with
PLINK's 1/2 coding and 0 / -9 missing), against LogisticRegressionCV on the mean-imputed
dense matrix with the same folds; the Gaussian family on request; bad options."""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

import fastreg
from fastreg.cli import main
from fastreg.cli._lasso import cv_folds
from test_cli_lasso import _dataset
from test_genotypes import _imputed

PLINK1 = shutil.which("plink1.9") or shutil.which("plink")


def _text(path):
    with open(path) as f:
        return f.read()


def _coef_file(path):
    """('#' lines, header, rows) of a coefficient file."""
    with open(path) as f:
        lines = [line.rstrip("\n") for line in f]
    comments = [line for line in lines if line.startswith("#")]
    body = [line.split("\t") for line in lines if not line.startswith("#")]
    return comments, body[0], body[1:]


def _case_control(d, rng, tmp_path, codes=("1", "2"), missing=("0", "-9")):
    """A phenotype file for _dataset's samples: cases drawn from a logistic model of the
    genotypes and covariates, coded codes[0] (control) / codes[1] (case), a few missing."""
    G = d["G"]
    X = _imputed(G)
    eta = 1.2 * X[:, 5] - 1.0 * X[:, 11] + 0.8 * X[:, 17] - 0.5
    case = rng.random(X.shape[0]) < 1 / (1 + np.exp(-eta))
    values = np.where(case, codes[1], codes[0]).astype(object)
    for i, token in zip((4, 9, 30), missing * 3):
        values[i] = token
    path = os.path.join(tmp_path, "cc.txt")
    with open(path, "w") as f:
        f.write("FID IID status\n")
        f.writelines(f"fam{i} ind{i} {v}\n" for i, v in enumerate(values))
    used = np.array([v not in missing for v in values])
    return path, case, used


def _reference(X, y01, n_cv, args_rule="1se", standardize=True, pf=None, l1_ratio=1.0):
    """LogisticRegressionCV as the command runs it, on a dense matrix."""
    n, p = X.shape
    eps = 1e-2 if n < p else 1e-3
    return fastreg.LogisticRegressionCV(
        alphas=100, eps=eps, l1_ratios=[l1_ratio], cv=cv_folds(n, n_cv, 0),
        selection_rule=args_rule, standardize=standardize, penalty_factor=pf,
        use_legacy_attributes=False).fit(X, y01)


def _covariates(tmp_path, n, rng):
    """Two covariates for n samples (fam{i} ind{i}); sample 50 has no line, 61 a missing
    value. Returns the path, the values and the mask of the samples with both."""
    C = np.column_stack([rng.uniform(20, 70, n), rng.integers(1, 3, n)]).astype(float)
    path = os.path.join(tmp_path, "covar.txt")
    with open(path, "w") as f:
        f.write("FID IID age sex\n")
        for i in range(n):
            if i != 50:
                f.write(f"fam{i} ind{i} {'NA' if i == 61 else repr(float(C[i, 0]))} {int(C[i, 1])}\n")
    ok = np.ones(n, dtype=bool)
    ok[[50, 61]] = False
    return path, C, ok


@pytest.mark.parametrize("rule", ["1se", "min"])
def test_case_control_bed_end_to_end(tmp_path, capsys, rule):
    d = _dataset(tmp_path, covar=False)
    rng = np.random.default_rng(1)
    pheno, case, used = _case_control(d, rng, tmp_path)
    covar, C, cov_ok = _covariates(tmp_path, case.size, rng)
    out = str(tmp_path / "res")
    status = main(["lasso", "--bed", d["prefix"], "--pheno", pheno, "--covar", covar,
                   "--rule", rule, "--out", out, "--quiet"])
    assert status == 0, capsys.readouterr().err
    log = _text(out + ".log")
    # the samples: a phenotype (0 and -9 missing) and both covariates
    keep = used & cov_ok
    n_case, n_control = int(case[keep].sum()), int((~case[keep]).sum())
    assert f"{n_case:,} cases, {n_control:,} controls" in log
    assert "PLINK's 1 = control, 2 = case" in log
    comments, header, rows = _coef_file(out + ".coef.tsv")
    assert comments[0].startswith(f"# family binomial: {n_case} cases (phenotype 2), "
                                  f"{n_control} controls (phenotype 1)")
    assert header == ["id", "chrom", "pos", "a1", "a2", "coef", "kind"]

    # the same fit in Python on the imputed dense matrix, covariates unpenalized
    X = np.hstack([_imputed(d["G"][keep]), C[keep]])
    p = d["G"].shape[1]
    pf = np.r_[np.ones(p), 0.0, 0.0]
    ref = _reference(X, case[keep].astype(float), 5, rule, pf=pf)
    coef = ref.coef_[0]
    ids = np.asarray(fastreg.Genotypes.from_bed(d["prefix"]).variant_ids)
    variants = [r for r in rows if r[6] == "variant"]
    nz = np.flatnonzero(coef[:p])
    assert [r[0] for r in variants] == ids[nz].tolist()
    np.testing.assert_allclose([float(r[5]) for r in variants], coef[nz], rtol=1e-6, atol=1e-9)
    covs = [float(r[5]) for r in rows if r[6] == "covariate"]
    np.testing.assert_allclose(covs, coef[p:], rtol=1e-6)
    intercept = [float(r[5]) for r in rows if r[6] == "intercept"]
    np.testing.assert_allclose(intercept, ref.intercept_, rtol=1e-6)
    # the CV figures of both rules, as the model computes them
    for name, alpha in (("min", ref.alpha_min_), ("1se", ref.alpha_1se_)):
        i = int(np.flatnonzero(ref.alphas_ == alpha)[0])
        dev = ref.cv_measures_["deviance"][:, 0, i].mean()
        auc = ref.cv_measures_["auc"][:, 0, i].mean()
        line = [c for c in comments if c.startswith(f"# alpha_{name} ")][0]
        assert f"CV deviance {dev:.6g}" in line and f"CV AUC {auc:.6g}" in line, line
        assert f"CV deviance {dev:.6g}" in log and f"AUC {auc:.4f}" in log
    assert len(nz) > 0 and {5, 11, 17} & set(nz.tolist())


def test_plink_simulated_case_control(tmp_path, capsys):
    """PLINK 1.9's --simulate: a case/control .fam (1/2), 10 disease variants."""
    assert PLINK1, "PLINK 1.9 is needed: apt-get install plink1.9 (.ci/run installs it)"
    sim = tmp_path / "sim.txt"
    sim.write_text("190 null 0.05 0.5 1.00 1.00\n10 disease 0.1 0.5 2.5 mult\n")
    r = subprocess.run([PLINK1, "--simulate", sim, "--simulate-ncases", "200",
                        "--simulate-ncontrols", "200", "--simulate-prevalence", "0.3",
                        "--make-bed", "--seed", "3", "--out", tmp_path / "s"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]
    out = str(tmp_path / "res")
    assert main(["lasso", "--bed", str(tmp_path / "s"), "--out", out, "--quiet"]) == 0, \
        capsys.readouterr().err
    log = _text(out + ".log")
    assert "200 cases, 200 controls" in log and "family      binomial" in log
    comments, _, rows = _coef_file(out + ".coef.tsv")
    chosen = {r[0] for r in rows if r[6] == "variant"}
    # the disease variants come first: most of them selected, and most of the selection
    disease = {f"disease_{k}" for k in range(10)}
    assert len(chosen & disease) >= 7, chosen
    assert len(chosen & disease) >= 0.5 * len(chosen), chosen
    # the command's coefficients are the Python fit's on the same .bed
    G = fastreg.Genotypes.from_bed(str(tmp_path / "s"))
    y = G.fam_phenotype() == 2
    ref = _reference(G, y.astype(float), 5)
    ids = np.asarray(G.variant_ids)
    nz = np.flatnonzero(ref.coef_[0])
    assert sorted(chosen) == sorted(ids[nz].tolist())
    assert float(comments[1].split()[2].rstrip(":")) == pytest.approx(ref.alpha_min_, rel=1e-12)


def test_zero_one_pheno_from_fam_and_npy(tmp_path, capsys):
    d = _dataset(tmp_path, covar=False)
    rng = np.random.default_rng(2)
    _, case, _ = _case_control(d, rng, tmp_path)
    # the .fam's 6th column coded 1/2 with 0 missing (PLINK 1.9's reading)
    fam = d["prefix"] + ".fam"
    rows = [line.split() for line in _text(fam).splitlines()]
    tokens = np.where(case, "2", "1").astype(object)
    tokens[[3, 8]] = "0"
    with open(fam, "w") as f:
        f.writelines(" ".join(r[:5] + [t]) + "\n" for r, t in zip(rows, tokens))
    assert main(["lasso", "--bed", d["prefix"], "--out", str(tmp_path / "fam"), "--quiet"]) == 0
    log = _text(tmp_path / "fam.log")
    keep = np.ones(case.size, dtype=bool)
    keep[[3, 8]] = False
    assert f"{int(case[keep].sum()):,} cases, {int((~case[keep]).sum()):,} controls" in log
    # 0/1 in .npy arrays: binomial too, the same model as LogisticRegressionCV
    X = _imputed(d["G"])
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", case.astype(float))
    assert main(["lasso", "--npy", str(tmp_path / "X.npy"), "--y", str(tmp_path / "y.npy"),
                 "--cv", "4", "--out", str(tmp_path / "npy"), "--quiet"]) == 0
    assert "0 = control, 1 = case" in _text(tmp_path / "npy.log")
    comments, header, rows = _coef_file(tmp_path / "npy.coef.tsv")
    ref = _reference(X, case.astype(float), 4)
    got = {int(r[0]): float(r[1]) for r in rows if r[2] == "feature"}
    nz = np.flatnonzero(ref.coef_[0])
    assert sorted(got) == nz.tolist()
    np.testing.assert_allclose([got[j] for j in nz], ref.coef_[0, nz], rtol=1e-6, atol=1e-9)


def test_gaussian_on_request_and_binomial_refused_for_a_quantitative_trait(tmp_path, capsys):
    d = _dataset(tmp_path, covar=False)
    rng = np.random.default_rng(3)
    pheno, case, used = _case_control(d, rng, tmp_path)
    out = str(tmp_path / "g")
    assert main(["lasso", "--bed", d["prefix"], "--pheno", pheno, "--family", "gaussian",
                 "--out", out, "--quiet"]) == 0
    log = _text(out + ".log")
    assert "fitted as numbers" in log and "LassoCV" in log
    assert not _coef_file(out + ".coef.tsv")[0]  # no '#' lines
    # a quantitative phenotype with --family binomial: one line, exit 2, no output
    status = main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--pheno-name", "y",
                   "--family", "binomial", "--out", str(tmp_path / "b")])
    err = capsys.readouterr().err
    assert status == 2 and "--family binomial" in err and "exactly two values" in err, err
    assert len(err.strip().splitlines()) == 1
    assert not [f for f in os.listdir(tmp_path) if f.startswith(("b.", ".b."))]
    # auto keeps a quantitative phenotype Gaussian
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--pheno-name", "y",
                 "--out", str(tmp_path / "q"), "--quiet"]) == 0
    assert "family" not in _text(tmp_path / "q.log")


def test_binomial_elastic_net_needs_no_standardize(tmp_path, capsys):
    d = _dataset(tmp_path, covar=False)
    pheno, _, _ = _case_control(d, np.random.default_rng(4), tmp_path)
    base = ["lasso", "--bed", d["prefix"], "--pheno", pheno, "--l1-ratio", "0.5"]
    status = main(base + ["--out", str(tmp_path / "a")])
    err = capsys.readouterr().err
    assert status == 2 and "--no-standardize" in err, err
    assert main(base + ["--no-standardize", "--out", str(tmp_path / "b"), "--quiet"]) == 0
    assert "l1_ratio 0.5" in _text(tmp_path / "b.log")


def test_demo_case_control_file(tmp_path, capsys):
    """The demo's demo.cc.pheno: the liability's top 30 % are cases (2), the trait's
    missing samples are missing there too (0 or -9); the command it prints fits it."""
    from fastreg.cli._plink_demo import make_dataset

    prefix, pheno, covar, _ = make_dataset(str(tmp_path), 200, 300, 5, 0.5, seed=1)
    trait = {}
    with open(pheno) as f:
        next(f)
        for line in f:
            fid, iid, value = line.split()
            trait[(fid, iid)] = value
    with open(prefix + ".cc.pheno") as f:
        assert next(f).split() == ["FID", "IID", "status"]
        status = {tuple(line.split()[:2]): line.split()[2] for line in f}
    assert status.keys() == trait.keys()
    missing = {k for k, v in trait.items() if v in ("NA", "-9")}
    assert {k for k, v in status.items() if v in ("0", "-9")} == missing
    values = {k: float(trait[k]) for k in trait if k not in missing}
    cases = [v for k, v in values.items() if status[k] == "2"]
    controls = [v for k, v in values.items() if status[k] == "1"]
    assert len(cases) + len(controls) == len(values)
    assert min(cases) > max(controls)  # a threshold on the liability
    assert abs(len(cases) / len(values) - 0.3) < 0.05
    out = str(tmp_path / "cc")
    assert main(["lasso", "--bed", prefix, "--pheno", prefix + ".cc.pheno", "--covar", covar,
                 "--cv", "3", "--n-alphas", "30", "--out", out, "--quiet"]) == 0, \
        capsys.readouterr().err
    n_case = sum(v == "2" for v in status.values())
    assert f"{n_case:,} cases" in _text(out + ".log")
