"""`fastreg lasso` and `fastreg demo` end to end: the written coefficients against LassoCV
fitted directly on the same matched, missing-dropped data and folds; sample matching; the
.npy mode; every bad input (a clear message naming the file, a nonzero status, nothing
written); the progress hook of the CV estimators; the demo.

The reference data are selected here from the test's own bookkeeping of which samples
have a phenotype and covariates, never through the command's reader; the PLINK files
come from the writer of test_genotypes.py.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import warnings

import numpy as np
import pytest

import fastreg
from fastreg import Genotypes
from fastreg.cli import main
from test_genotypes import _dosages, _imputed, write_plink

RTOL = 1e-8
N, P = 150, 60


# ---- data ------------------------------------------------------------------------------


def _dataset(tmp_path, *, seed=0, header="FID\tIID\ty\tother", covar=True):
    """PLINK files, a shuffled phenotype file with missing values, ids not in the .fam and
    .fam samples without a line, and a covariate file with a missing value. Returns the
    paths and the reference: the indices of the samples to use, their y and covariates."""
    rng = np.random.default_rng(seed)
    G = _dosages(N, P, seed=seed)  # variants 1, 3 monomorphic, 2 all missing
    prefix = write_plink(os.path.join(tmp_path, "geno"), G)
    X = _imputed(G)
    w = np.zeros(P)
    w[[5, 11, 17, 23, 40]] = [1.0, -0.8, 0.6, 0.5, -0.7]
    C = np.column_stack([rng.uniform(20, 70, N), rng.integers(1, 3, N)]).astype(float)
    y = X @ w + 0.02 * C[:, 0] + 0.3 * C[:, 1] + 0.5 * rng.standard_normal(N) + 3.0

    no_line = {0, 7}
    missing = {3: "NA", 12: "-9", 20: "nan", 33: "-9.0"}
    lines = [f"other{k}\tx{k}\t{1.5 * k}\t1" for k in range(3)]  # ids not in the .fam
    for i in range(N):
        if i in no_line:
            continue
        value = missing.get(i, repr(float(y[i])))
        lines.append(f"fam{i}\tind{i}\t{value}\t{rng.standard_normal():.3f}")
    order = rng.permutation(len(lines))
    pheno = os.path.join(tmp_path, "pheno.txt")
    with open(pheno, "w") as f:
        if header:
            f.write(header + "\n")
        f.writelines(lines[k] + "\n" for k in order)
    drop = no_line | set(missing)
    covar_file = None
    if covar:
        covar_file = os.path.join(tmp_path, "covar.txt")
        with open(covar_file, "w") as f:
            f.write("FID IID age sex\n")
            for i in range(N):
                if i == 50:
                    continue  # no covariate line
                age = "NA" if i == 61 else repr(float(C[i, 0]))
                f.write(f"fam{i} ind{i} {age} {int(C[i, 1])}\n")
        drop |= {50, 61}
    keep = np.array([i for i in range(N) if i not in drop])
    return dict(prefix=prefix, pheno=pheno, covar=covar_file, keep=keep, y=y[keep],
                C=C[keep] if covar else None, G=G)


def _folds(n, k, seed):
    """The documented fold rule (docs/cli/lasso.md), written out independently."""
    perm = np.random.default_rng(seed).permutation(n)
    return [(np.setdiff1d(np.arange(n), t), np.sort(t)) for t in np.array_split(perm, k)]


def _reference(X, y, *, folds=5, seed=0, rule="1se", l1_ratio=1.0, standardize=True):
    """The documented defaults (docs/cli.md): the 1-SE rule, standardized columns."""
    n, p = X.shape
    common = dict(cv=_folds(n, folds, seed), alphas=100, eps=1e-2 if n < p else 1e-3,
                  selection_rule=rule, standardize=standardize)
    est = (fastreg.LassoCV(**common) if l1_ratio == 1 else
           fastreg.ElasticNetCV(l1_ratio=l1_ratio, **common))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a grid-edge warning is the command's to log
        return est.fit(X, y)


def _read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def _read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return header, [line.rstrip("\n").split("\t") for line in f]


def _outputs(d, prefix="res"):
    """Every file of directory d belonging to PREFIX, hidden temporaries included."""
    return sorted(f for f in os.listdir(d) if f.startswith((prefix, "." + prefix)))


def _close(actual, expected, what):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    scale = max(np.abs(expected).max(), 1e-300)
    assert np.abs(actual - expected).max() <= RTOL * scale, what


# ---- end to end ------------------------------------------------------------------------


@pytest.mark.parametrize("rule, standardize", [("min", True), ("1se", True), (None, True),
                                               ("min", False)])
def test_bed_end_to_end(tmp_path, capsys, rule, standardize):
    d = _dataset(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    argv = ["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--pheno-name", "y",
            "--covar", d["covar"], "--out", str(out / "res")]
    argv += ["--rule", rule] if rule else []  # None: the default, 1se
    argv += [] if standardize else ["--no-standardize"]
    status = main(argv)
    assert status == 0, capsys.readouterr().err
    rule = rule or "1se"
    X = Genotypes.from_bed(d["prefix"]).subset(d["keep"]).with_covariates(d["C"])
    ref = _reference(X, d["y"], rule=rule, standardize=standardize)
    assert ref.alpha_ == (ref.alpha_1se_ if rule == "1se" else ref.alpha_min_)
    assert ref.alpha_1se_ > ref.alpha_min_  # the two rules differ here: the test tells them apart

    header, rows = _read_tsv(out / "res.coef.tsv")
    assert header == ["id", "chrom", "pos", "a1", "a2", "coef", "kind"]
    variants = [r for r in rows if r[6] == "variant"]
    nz = np.flatnonzero(ref.coef_[:P])
    assert nz.size > 0 and [r[0] for r in variants] == [f"rs{j}" for j in nz]
    for r, j in zip(variants, nz):  # the .bim written by write_plink
        assert r[1:5] == [str(1 + j % 22), str(1000 + 10 * j), "A", "G"]
    _close([float(r[5]) for r in variants], ref.coef_[nz], "variant coefficients")
    cov = [r for r in rows if r[6] == "covariate"]
    assert [r[0] for r in cov] == ["age", "sex"]
    _close([float(r[5]) for r in cov], ref.coef_[P:], "covariate coefficients")
    (icpt,) = [r for r in rows if r[6] == "intercept"]
    _close([float(icpt[5])], [ref.intercept_], "intercept")

    log = (out / "res.log").read_text()
    assert "2 sample(s) with no line in" in log and "pheno.txt" in log
    assert "4 sample(s) with missing phenotype" in log
    assert "1 sample(s) with no line in" in log and "covar.txt" in log
    assert "1 sample(s) with a missing covariate" in log
    assert f"{N - 8} of {N} used" in log
    assert "3 of its ids not in" in log
    assert "2 monomorphic" in log and "rs1, rs3" in log and "1 all-missing" in log and "rs2" in log
    assert f"alpha min   {ref.alpha_min_:.6g}" in log and f"alpha 1se   {ref.alpha_1se_:.6g}" in log
    i = int(np.argmin(ref.cv_mean_))
    assert f"CV MSE {ref.cv_mean_[i]:.6g}" in log
    assert f"<- chosen (--rule {rule})" in log
    assert f"nonzero     {nz.size} of {P} variants" in log
    for r, alpha in (("min", ref.alpha_min_), ("1se", ref.alpha_1se_)):  # counts per rule
        i = int(np.argmin(np.abs(ref.cv_alphas_ - alpha)))
        count = int(np.count_nonzero(ref.coef_path_[:P, i]))
        assert f"{count} nonzero variants" in [x for x in log.splitlines()
                                               if x.startswith(f"alpha {r}")][0]
    assert (", standardized" in log) == standardize
    assert "time        fit" in log
    assert not [f for f in os.listdir(out) if f.startswith(".")]  # no temporary left
    plots = importlib.util.find_spec("matplotlib") is not None  # PNG content: test_plots
    assert ("matplotlib is not installed" in log) != plots
    assert _outputs(out) == ["res.coef.tsv"] + ["res.cv.png"] * plots + ["res.log"] + \
        ["res.manhattan.png"] * plots + ["res.path.png"] * plots


def test_plots(tmp_path):
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(4)
    X = rng.standard_normal((60, 25))
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", X[:, 3] - X[:, 7] + rng.standard_normal(60))
    out = str(tmp_path / "res")
    assert main(["lasso", "--npy", str(tmp_path / "X.npy"), "--y", str(tmp_path / "y.npy"),
                 "--out", out, "--quiet"]) == 0
    for ext in ("path.png", "cv.png"):
        data = _read(f"{out}.{ext}", "rb")
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, ext


def test_elastic_net_and_no_header(tmp_path, capsys):
    """A phenotype file without a header (column by 1-based index), no covariates,
    ElasticNetCV with another seed and fold count."""
    d = _dataset(tmp_path, header=None, covar=False, seed=3)
    out = str(tmp_path / "en")
    assert main(["lasso", "--bed", d["prefix"] + ".bed", "--pheno", d["pheno"], "--pheno-name",
                 "1", "--l1-ratio", "0.5", "--cv", "4", "--seed", "7", "--out", out,
                 "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")  # --quiet: nothing on stdout or stderr
    X = Genotypes.from_bed(d["prefix"]).subset(d["keep"])
    ref = _reference(X, d["y"], folds=4, seed=7, l1_ratio=0.5)
    _, rows = _read_tsv(out + ".coef.tsv")
    nz = np.flatnonzero(ref.coef_)
    assert [r[0] for r in rows if r[6] == "variant"] == [f"rs{j}" for j in nz]
    _close([float(r[5]) for r in rows if r[6] == "variant"], ref.coef_[nz], "enet")
    assert "ElasticNetCV (l1_ratio 0.5)" in _read(out + ".log")


def test_hash_fid_header_and_second_column(tmp_path):
    d = _dataset(tmp_path, header="#FID\tIID\ty\tother", covar=False)
    with open(d["pheno"], "rb") as f:
        content = f.read()
    with open(d["pheno"], "wb") as f:  # a byte-order mark, as spreadsheets save, and CRLF
        f.write(b"\xef\xbb\xbf" + content.replace(b"\n", b"\r\n"))
    out = str(tmp_path / "o")
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--pheno-name", "other",
                 "--out", out, "--quiet"]) == 0
    assert "phenotype   " in _read(out + ".log") and "'other' (header" in _read(out + ".log")


def test_npy_mode(tmp_path, capsys):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((80, 30))
    y = X[:, [2, 9, 20]] @ np.array([1.0, -2.0, 1.5]) + 0.3 * rng.standard_normal(80)
    y[[4, 40]] = np.nan  # dropped
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    out = str(tmp_path / "res")
    assert main(["lasso", "--npy", str(tmp_path / "X.npy"), "--y", str(tmp_path / "y.npy"),
                 "--rule", "1se", "--out", out]) == 0
    keep = ~np.isnan(y)
    ref = _reference(np.asfortranarray(X[keep]), y[keep], rule="1se")
    header, rows = _read_tsv(out + ".coef.tsv")
    assert header == ["index", "coef", "kind"]
    feats = [r for r in rows if r[2] == "feature"]
    nz = np.flatnonzero(ref.coef_)
    assert [int(r[0]) for r in feats] == list(nz)
    _close([float(r[1]) for r in feats], ref.coef_[nz], "npy coefficients")
    log = _read(out + ".log")
    assert "2 sample(s) with a missing target" in log and "78 of 80 used" in log
    # not a terminal: a few plain lines on stderr, no carriage returns
    err = capsys.readouterr().err
    assert "\r" not in err and 1 <= len(err.splitlines()) <= 3


def test_no_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--out",
                 str(out / "res"), "--quiet"]) == 0
    assert _outputs(out) == ["res.coef.tsv", "res.log"]
    assert "matplotlib is not installed" in (out / "res.log").read_text()


def test_progress(tmp_path, capsys):
    """The hook of the CV estimators, and the bar on a terminal."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 20))
    y = X[:, 0] + rng.standard_normal(60)
    for kw in ({}, {"early_stopping": True}, {"l1_ratio": [0.5, 1.0]}):
        calls = []
        est = fastreg.ElasticNetCV(cv=3, **kw) if "l1_ratio" in kw else fastreg.LassoCV(cv=3, **kw)
        est.set_params(progress=lambda done, total: calls.append((done, total)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X, y)
        # counted in alphas fitted (100 per path), rising to the total
        total = (3 * (2 if "l1_ratio" in kw else 1) + 1) * 100
        assert calls and calls[-1] == (total, total), kw
        assert all(t == total for _, t in calls), kw
        done = [d for d, _ in calls]
        assert done == sorted(done) and len(set(done)) == len(done), kw
        assert est.get_params()["progress"] is not None

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    from fastreg.cli._lasso import run
    from fastreg.cli import build_parser

    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    args = build_parser().parse_args(["lasso", "--npy", str(tmp_path / "X.npy"), "--y",
                                      str(tmp_path / "y.npy"), "--out", str(tmp_path / "r")])
    term = Terminal()
    assert run(args, stderr=term) == 0
    assert "\r" in term.getvalue() and "100 %" in term.getvalue()
    assert term.getvalue().endswith("\n")


# ---- bad input: a message naming the file (and line), a nonzero status, nothing written --


def _bad_cases(tmp_path):
    d = _dataset(tmp_path, covar=False)
    G, prefix, pheno = d["G"], d["prefix"], d["pheno"]
    t = str(tmp_path)

    def plink(name, **kw):
        return write_plink(os.path.join(t, name), G, **kw)

    def text(name, content):
        path = os.path.join(t, name)
        with open(path, "w") as f:
            f.write(content)
        return path

    good = "".join(f"fam{i} ind{i} {i % 7}.5\n" for i in range(N))
    X, y = np.ones((5, 3)), np.ones(4)
    np.save(os.path.join(t, "X.npy"), X)
    np.save(os.path.join(t, "y4.npy"), y)
    bed = ["--bed", prefix, "--pheno", pheno]
    dup_fam = plink("dupfam")
    with open(dup_fam + ".fam") as f:
        fam = f.readlines()
    fam[2] = fam[0]
    with open(dup_fam + ".fam", "w") as f:
        f.writelines(fam)
    return {
        "truncated": (["--bed", plink("trunc", truncate=3), "--pheno", pheno],
                      [r"trunc.bed", "truncated"]),
        "not plink": (["--bed", plink("zip", magic=b"PK"), "--pheno", pheno],
                      ["zip.bed", "not a PLINK 1 .bed"]),
        "sample-major": (["--bed", plink("smaj", mode=0x00), "--pheno", pheno],
                         ["smaj.bed", "sample-major"]),
        "fam count": (["--bed", plink("fam", n_fam=N + 8), "--pheno", pheno],
                      ["fam.bed", "fam.fam"]),
        "bim count": (["--bed", plink("bim", n_bim=P - 1), "--pheno", pheno],
                      ["bim.bed", "bim.bim"]),
        "no bed": (["--bed", os.path.join(t, "nothing"), "--pheno", pheno],
                   ["nothing.bed", "no such file"]),
        "no pheno file": (["--bed", prefix, "--pheno", os.path.join(t, "absent.txt")],
                          ["absent.txt", "no such phenotype file"]),
        "no matching ids": (["--bed", prefix, "--pheno", text(
            "strangers.txt", "".join(f"x{i} y{i} 1.0\n" for i in range(9)))],
            ["strangers.txt", "geno.fam", "none of its 9 sample ids"]),
        "non-numeric": (["--bed", prefix, "--pheno", text(
            "word.txt", "FID IID y\n" + good.replace("fam4 ind4 4.5", "fam4 ind4 high"))],
            ["word.txt", "line 6", "'high'", "not a number"]),
        "field count": (["--bed", prefix, "--pheno", text(
            "short.txt", good.replace("fam9 ind9 2.5", "fam9 ind9"))],
            ["short.txt", "line 10", "2 fields, expected 3"]),
        "duplicate id": (["--bed", prefix, "--pheno", text(
            "dup.txt", good + "fam3 ind3 1.0\n")], ["dup.txt", f"line {N + 1}", "repeats line 4"]),
        "unknown # header": (["--bed", prefix, "--pheno", text("iid.txt", "#SAMPLE y\nind0 1\n")],
                            ["iid.txt", "line 1", "#FID IID"]),
        "name not found": (bed + ["--pheno-name", "height"],
                           ["pheno.txt", "'height' not found", "y, other"]),
        "name without header": (["--bed", prefix, "--pheno", text("nohead.txt", good),
                                 "--pheno-name", "y"], ["nohead.txt", "no header line"]),
        "all missing": (["--bed", prefix, "--pheno", text(
            "na.txt", "".join(f"fam{i} ind{i} {'NA' if i % 2 else -9}\n" for i in range(N)))],
            ["na.txt", "column 3", "are missing"]),
        "duplicate fam id": (["--bed", dup_fam, "--pheno", pheno],
                             ["dupfam.fam", "line 3", "repeats line 1"]),
        "covar non-numeric": (bed + ["--covar", text(
            "cov.txt", "FID IID sex\n" + "".join(f"fam{i} ind{i} {'M' if i == 2 else 1}\n"
                                                for i in range(N)))],
            ["cov.txt", "line 4", "'M'"]),
        "covar no ids": (bed + ["--covar", text("cov2.txt", "a b 1\nc d 2\n")],
                         ["cov2.txt", "none of its 2 sample ids"]),
        "covar field count": (bed + ["--covar", text("cov3.txt", "FID IID a b\nfam0 ind0 1\n")],
                              ["cov3.txt", "line 2", "3 fields, expected 4"]),
        "both": (bed + ["--npy", os.path.join(t, "X.npy")], ["not --bed and --npy"]),
        "bed and pgen": (bed + ["--pgen", prefix], ["not --bed and --pgen"]),
        "neither": ([], ["got none"]),
        "pheno twice": (bed + ["--pheno-from-fam"], ["--pheno-from-fam", "not both"]),
        "fam pheno with npy": (["--npy", os.path.join(t, "X.npy"), "--y",
                                os.path.join(t, "y4.npy"), "--pheno-from-fam"],
                               ["--pheno-from-fam goes with --bed, --pgen or --bgen"]),
        "y length": (["--npy", os.path.join(t, "X.npy"), "--y", os.path.join(t, "y4.npy")],
                     ["y4.npy", "4 values", "X.npy has 5 rows"]),
        "npy missing": (["--npy", os.path.join(t, "nope.npy"), "--y", os.path.join(t, "y4.npy")],
                        ["nope.npy"]),
        "constant": (["--bed", prefix, "--pheno", text(
            "const.txt", "".join(f"fam{i} ind{i} 2\n" for i in range(N)))],
            ["const.txt", "constant"]),
    }


def test_bad_inputs(tmp_path, capsys):
    cases = _bad_cases(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name, (argv, expected) in cases.items():
        status = main(["lasso", *argv, "--out", str(out / "res")])
        err = capsys.readouterr().err
        assert status in (1, 2), name
        assert err.startswith("fastreg lasso: error: ") and "Traceback" not in err, (name, err)
        for piece in expected:
            assert piece in err, (name, piece, err)
        assert _outputs(out) == [], name


def test_failure_while_writing_leaves_nothing(tmp_path, monkeypatch, capsys):
    from fastreg.cli import _lasso as _lasso_cli

    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "res.coef.tsv").write_text("an earlier run\n")

    def broken(outputs, model, data, args):
        outputs.temporary("path.png")
        raise OSError("No space left on device")

    monkeypatch.setattr(_lasso_cli, "_write_plots", broken)
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--out",
                 str(out / "res"), "--quiet"]) == 1
    assert "No space left" in capsys.readouterr().err
    assert _outputs(out) == ["res.coef.tsv"]  # the earlier file untouched, no temporaries
    assert (out / "res.coef.tsv").read_text() == "an earlier run\n"


def test_out_directory_must_exist(tmp_path, capsys):
    d = _dataset(tmp_path, covar=False)
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--out",
                 str(tmp_path / "nodir" / "res")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nodir").exists()


# ---- the demo ---------------------------------------------------------------------------


def test_demo_writer_matches_test_writer(tmp_path):
    from fastreg.cli._plink_demo import write_plink as demo_writer

    G = _dosages(13, 7, seed=2)
    ours = write_plink(os.path.join(tmp_path, "a"), G)
    demo_writer(os.path.join(tmp_path, "b"), G, variant_ids=[f"rs{j}" for j in range(7)],
                chromosomes=[1 + j for j in range(7)], positions=[1000 + 10 * j for j in range(7)],
                alleles=[("A", "G")] * 7, fids=[f"fam{i}" for i in range(13)],
                iids=[f"ind{i}" for i in range(13)], sex=[1 + i % 2 for i in range(13)])
    for ext in ("bed", "bim", "fam"):
        a = _read(f"{ours}.{ext}", "rb")
        b = _read(os.path.join(tmp_path, f"b.{ext}"), "rb")
        assert a == b if ext == "bed" else a.split() == b.split(), ext


def test_demo(tmp_path, capsys):
    d = tmp_path / "demo"
    argv = ["demo", "--n", "300", "--p", "2000", "--causal", "10", "--out", str(d)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "$ fastreg lasso --bed" in text and "precision" in text and "recall" in text
    for f in ("demo.bed", "demo.bim", "demo.fam", "demo.pheno", "demo.covar",
              "demo.causal.tsv", "lasso.coef.tsv", "lasso.log"):
        assert (d / f).exists(), f
    log = (d / "lasso.log").read_text()
    assert "missing phenotype" in log and "monomorphic" in log and "all-missing" in log
    # the printed command repeats the run
    command = [line for line in text.splitlines() if line.startswith("$ fastreg ")][0]
    import shlex

    repeat = shlex.split(command)[2:]
    repeat[repeat.index("--out") + 1] = str(tmp_path / "again")
    assert main(repeat + ["--quiet"]) == 0
    assert (tmp_path / "again.coef.tsv").read_text() == (d / "lasso.coef.tsv").read_text()
    # an earlier demo's directory is reused; a foreign non-empty one is refused
    assert main(argv + ["--seed", "1"]) == 0
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not empty"):
        main(["demo", "--n", "300", "--p", "2000", "--out", str(other)])
    assert os.listdir(other) == ["thesis.txt"]


def test_demo_compare_still_available(capsys):
    assert main(["demo", "--compare", "--n", "200", "--p", "500", "--no-sklearn"]) == 0
    assert "precision" in capsys.readouterr().out


def test_path_plot_rows_without_densifying():
    from fastreg.cli._lasso import _path_rows

    rng = np.random.default_rng(2)
    X = rng.standard_normal((50, 40))
    y = X[:, :3].sum(axis=1) + rng.standard_normal(50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fastreg.LassoCV(cv=3).fit(X, y)
    dense = model.coef_path_
    alphas, rows, index = _path_rows(model)
    np.testing.assert_array_equal(alphas, model.cv_alphas_)
    np.testing.assert_array_equal(index, np.flatnonzero(np.any(dense != 0, axis=1)))
    np.testing.assert_array_equal(rows, dense[index])
