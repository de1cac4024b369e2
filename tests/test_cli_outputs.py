"""`fastreg lasso`'s promises about its outputs and its exit: a failed or interrupted run
leaves every earlier output byte for byte as it was (the outputs are one transaction),
Ctrl-C ends it with one line and status 130, and inputs the fit cannot answer give one
`fastreg lasso: error: ...` line instead of a traceback. Also `fastreg --version` and the
demo's truth file, checked by least squares on the causal variants."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import fastreg
from fastreg.cli import _lasso as _lasso_cli
from fastreg.cli import main
from test_cli_lasso import _dataset, _outputs

EARLIER = {ext: f"earlier {ext}\n".encode() + bytes(range(256)) for ext in
           ("coef.tsv", "path.png", "cv.png", "manhattan.png", "log")}


def _earlier(out):
    """Outputs of an 'earlier run' with distinct bytes; returns a snapshot to compare."""
    for ext, data in EARLIER.items():
        (out / f"res.{ext}").write_bytes(data)
    return _snapshot(out)


def _snapshot(out):
    return {f: (out / f).read_bytes() if (out / f).is_file() else "dir"
            for f in sorted(os.listdir(out))}


def _argv(d, out, *extra):
    return ["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--out", str(out / "res"),
            "--quiet", *extra]


def _failing_replace(monkeypatch, when, exc):
    """os.replace raising exc for the rename of a temporary file onto PREFIX.<when>; the
    other renames (the earlier files moved aside and back) work."""
    real = os.replace

    def replace(src, dst, *a, **k):
        if str(dst).endswith("." + when) and str(src).endswith(".tmp"):
            raise exc
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("when", ["coef.tsv", "cv.png", "log"])
def test_failed_commit_keeps_earlier_outputs(tmp_path, monkeypatch, capsys, when):
    pytest.importorskip("matplotlib")
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    before = _earlier(out)
    _failing_replace(monkeypatch, when, PermissionError(13, "Permission denied"))
    assert main(_argv(d, out)) == 1
    err = capsys.readouterr().err
    assert err.startswith("fastreg lasso: error: ") and len(err.splitlines()) == 1, err
    assert _snapshot(out) == before  # byte for byte, and no temporary left behind


@pytest.mark.parametrize("exc", [OSError(5, "Input/output error"), KeyboardInterrupt()])
def test_failed_commit_removes_new_files_without_predecessor(tmp_path, monkeypatch, capsys,
                                                             exc):
    """Only some outputs existed before: after a failure half-way through the renames
    those are back and the new files that had none are gone."""
    pytest.importorskip("matplotlib")
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "res.cv.png").write_bytes(EARLIER["cv.png"])
    (out / "notes.txt").write_text("mine")
    before = _snapshot(out)
    _failing_replace(monkeypatch, "manhattan.png", exc)  # after coef.tsv, path, cv
    assert main(_argv(d, out)) == (130 if isinstance(exc, KeyboardInterrupt) else 1)
    assert _snapshot(out) == before
    capsys.readouterr()


def test_output_name_taken_by_a_directory(tmp_path, capsys):
    """A real failure, no mock: PREFIX.cv.png is a directory."""
    pytest.importorskip("matplotlib")
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    for ext in ("coef.tsv", "path.png", "log"):
        (out / f"res.{ext}").write_bytes(EARLIER[ext])
    (out / "res.cv.png").mkdir()
    before = _snapshot(out)
    assert main(_argv(d, out)) == 1
    assert "res.cv.png: is a directory" in capsys.readouterr().err
    assert _snapshot(out) == before and (out / "res.cv.png").is_dir()


def test_without_matplotlib_a_failed_run_keeps_old_plots(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    before = _earlier(out)
    _failing_replace(monkeypatch, "log", OSError(28, "No space left on device"))
    assert main(_argv(d, out)) == 1
    assert "No space left" in capsys.readouterr().err
    assert _snapshot(out) == before
    # the same run succeeding: the old plots go with it (they would contradict its log)
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(_argv(d, out)) == 0
    assert _outputs(out) == ["res.coef.tsv", "res.log"]
    assert "no PNG written" in (out / "res.log").read_text()


def test_interrupt_during_commit_keeps_earlier_outputs(tmp_path, monkeypatch, capsys):
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    before = _earlier(out)
    _failing_replace(monkeypatch, "log", KeyboardInterrupt())
    assert main(_argv(d, out)) == 130
    assert capsys.readouterr().err == "fastreg lasso: interrupted: no output written\n"
    assert _snapshot(out) == before


def test_interrupt_during_fit(tmp_path, monkeypatch, capsys):
    d = _dataset(tmp_path, covar=False)
    out = tmp_path / "out"
    out.mkdir()
    before = _earlier(out)

    def interrupted(self, X, y):
        raise KeyboardInterrupt

    monkeypatch.setattr(fastreg.LassoCV, "fit", interrupted)
    assert main(_argv(d, out)[:-1]) == 130  # not quiet: the progress line is ended
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "fastreg lasso: interrupted: no output written"
    assert "Traceback" not in err
    assert _snapshot(out) == before


def test_sigint_in_a_real_process(tmp_path):
    """Ctrl-C (SIGINT) while the command fits: one line on stderr, status 130, nothing
    written. The fit is large enough to be running when the signal comes."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 20_000))
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", X[:, :50].sum(axis=1) + rng.standard_normal(300))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with subprocess.Popen(
            [sys.executable, "-m", "fastreg", "lasso", "--npy", str(tmp_path / "X.npy"), "--y",
             str(tmp_path / "y.npy"), "--n-alphas", "300", "--eps", "1e-4", "--out",
             str(tmp_path / "res")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env) as proc:
        line = proc.stderr.readline()  # "fastreg lasso: fitting ..." when the fit starts
        assert "fitting" in line, line
        time.sleep(0.2)
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        err = proc.stderr.read()
        proc.wait(timeout=300)
        print(f"exited {time.perf_counter() - t0:.2f} s after SIGINT")
    if proc.returncode == 0:  # the fit ended before the signal: nothing to check
        pytest.skip("the fit ended before SIGINT arrived")
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "fastreg lasso: interrupted: no output written", err
    assert "Traceback" not in err
    assert _outputs(tmp_path, "res") == []


# ---- one line instead of a traceback ------------------------------------------------------


def _pheno(tmp_path, values, name="pheno.txt"):
    path = tmp_path / name
    with open(path, "w") as f:
        f.write("FID IID y\n")
        f.writelines(f"fam{i} ind{i} {float(v)!r}\n" for i, v in enumerate(values))
    return str(path)


@pytest.mark.parametrize("big", [1e150, 1e154, 1e160, 1e200, 1e300, 1.7e308])
def test_huge_phenotype_values(tmp_path, capsys, big):
    """Each: a correct result or one error line naming the file, never a traceback."""
    d = _dataset(tmp_path, covar=False)
    values = np.random.default_rng(1).standard_normal(150)
    values[3] = big
    out = tmp_path / "out"
    out.mkdir()
    argv = ["lasso", "--bed", d["prefix"], "--pheno", _pheno(tmp_path, values), "--out",
            str(out / "res"), "--quiet"]
    status = main(argv)
    err = capsys.readouterr().err
    if status == 0:
        coef = np.genfromtxt(out / "res.coef.tsv", delimiter="\t", names=True, dtype=None,
                             encoding="utf-8")["coef"]
        assert np.isfinite(coef).all()
    else:
        assert status == 2 and err.startswith("fastreg lasso: error: "), err
        assert "pheno.txt: phenotype" in err
        assert len(err.splitlines()) == 1 and "overflow" in err
        assert _outputs(out) == []
    if big >= 1e160:  # their squares overflow: refused
        assert status == 2


def test_huge_npy_values(tmp_path, capsys):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((60, 8))
    np.save(tmp_path / "X.npy", X * 1e200)
    np.save(tmp_path / "y.npy", X[:, 0] - 2 * X[:, 1])
    assert main(["lasso", "--npy", str(tmp_path / "X.npy"), "--y", str(tmp_path / "y.npy"),
                 "--out", str(tmp_path / "res")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastreg lasso: error: ") and "X.npy: column 0" in err
    assert "overflow" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("seed", ["-1", "-5"])
def test_negative_seed(tmp_path, capsys, seed):
    d = _dataset(tmp_path, covar=False)
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--seed", seed,
                 "--out", str(tmp_path / "res")]) == 2
    assert capsys.readouterr().err == (f"fastreg lasso: error: --seed: must be a non-negative "
                                       f"integer, got {seed}\n")


def _covar(tmp_path, columns):
    path = tmp_path / "covar.txt"
    with open(path, "w") as f:
        f.write("FID IID " + " ".join(columns) + "\n")
        for i in range(150):
            f.write(f"fam{i} ind{i} " + " ".join(repr(float(c[i])) for c in columns.values())
                    + "\n")
    return str(path)


def test_phenotype_explained_by_covariates(tmp_path, capsys):
    """Issue: y = 0.5 x age with age a covariate used to fit variants to rounding errors
    at a grid of 1e-15. Also a combination of two covariates; a phenotype with a little
    left for the variants still fits."""
    d = _dataset(tmp_path, covar=False)
    rng = np.random.default_rng(3)
    age = rng.uniform(20, 70, 150)
    sex = rng.integers(1, 3, 150).astype(float)
    covar = _covar(tmp_path, {"age": age, "sex": sex})
    for y in (0.5 * age, 3.0 - 0.02 * age + 1.5 * sex):
        argv = ["lasso", "--bed", d["prefix"], "--pheno", _pheno(tmp_path, y), "--covar",
                covar, "--out", str(tmp_path / "res"), "--quiet"]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("fastreg lasso: error: ") and "explain the phenotype exactly" in err
        assert "age, sex" in err and len(err.splitlines()) == 1
        assert _outputs(tmp_path, "res") == []
    y = 0.5 * age + 0.1 * rng.standard_normal(150)
    argv = ["lasso", "--bed", d["prefix"], "--pheno", _pheno(tmp_path, y), "--covar", covar,
            "--out", str(tmp_path / "res"), "--quiet"]
    assert main(argv) == 0
    log = (tmp_path / "res.log").read_text()
    assert "intercept-only" not in log  # the top of the grid keeps the covariates


# ---- small things ---------------------------------------------------------------------------


def test_version():
    res = subprocess.run([sys.executable, "-m", "fastreg", "--version"], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0 and res.stdout == f"fastreg {fastreg.__version__}\n"


def test_demo_truth_is_on_the_phenotype_scale(tmp_path):
    """Least squares of the phenotype on the causal variants and the covariates gives the
    effects listed in demo.causal.tsv (they were 0.26-0.38 of the listed values)."""
    from fastreg.cli._plink_demo import make_dataset

    prefix, pheno, covar, truth = make_dataset(str(tmp_path), 4000, 200, 8, 0.5, seed=4)
    G = fastreg.Genotypes.from_bed(prefix)
    ids = [f"{f} {i}" for f, i in G.sample_ids]
    listed = {}
    with open(prefix + ".causal.tsv") as f:
        assert f.readline().split() == ["id", "chrom", "pos", "effect_per_A1"]
        for line in f:
            vid, _, _, e = line.split()
            listed[vid] = float(e)
    assert sorted(listed) == sorted(truth)

    def table(path):
        with open(path) as f:
            f.readline()
            return {" ".join(r[:2]): r[2:] for r in (line.split() for line in f)}

    ph, cv = table(pheno), table(covar)
    rows = [k for k, i in enumerate(ids) if ph[i][0] not in ("NA", "-9") and "NA" not in cv[i]]
    y = np.array([float(ph[ids[k]][0]) for k in rows])
    C = np.array([[float(v) for v in cv[ids[k]]] for k in rows])
    cols = [list(G.variant_ids).index(v) for v in truth]
    D = G.to_dense()[np.array(rows)][:, cols]
    A = np.column_stack([np.ones(len(rows)), D, C])
    est = np.linalg.lstsq(A, y, rcond=None)[0][1:1 + len(cols)]
    expected = np.array([listed[v] for v in truth])
    # ~4000 samples at h2 = 0.5: each estimate within a few standard errors (about 0.02)
    assert np.abs(est - expected).max() < 0.1 * np.abs(expected).max() + 0.05
    slope = (est @ expected) / (expected @ expected)
    assert 0.9 < slope < 1.1


def test_bed_plots(tmp_path, monkeypatch):
    """The three PNGs of a PLINK run; the path plot names variants and draws the
    covariates apart, the Manhattan plot has the model's nonzero variants."""
    pytest.importorskip("matplotlib")
    from fastreg import plot

    seen = {}
    for name in ("path", "manhattan"):
        def spy(*a, _name=name, _real=getattr(plot, name), **k):
            seen[_name] = (a, k)
            return _real(*a, **k)
        monkeypatch.setattr(plot, name, spy)
    d = _dataset(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["lasso", "--bed", d["prefix"], "--pheno", d["pheno"], "--covar", d["covar"],
                 "--out", str(out / "res"), "--quiet"]) == 0
    for ext in ("path.png", "cv.png", "manhattan.png"):
        data = (out / f"res.{ext}").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, ext
    ((alphas, rows),), k = seen["path"]
    n_var = 60
    labels, cov = k["labels"], k["covariates"]
    assert labels[-2:] == ["age", "sex"] and list(cov[-2:]) == [True, True]
    assert not cov[:-2].any() and all(x.startswith("rs") for x in labels[:-2])
    (coef, chrom, pos), k = seen["manhattan"]
    assert coef.shape == (n_var,) and list(k["labels"]) == [f"rs{j}" for j in range(n_var)]
    written = [line.split("\t")[0] for line in (out / "res.coef.tsv").read_text().splitlines()
               if line.endswith("\tvariant")]
    assert [f"rs{j}" for j in np.flatnonzero(coef)] == written
    assert "res.manhattan.png" in (out / "res.log").read_text()


def test_an_internal_error_of_the_fit_is_one_line(tmp_path, monkeypatch, capsys):
    d = _dataset(tmp_path, covar=False)

    def broken(self, X, y):
        raise IndexError("index 0 is out of bounds for axis 0 with size 0")

    monkeypatch.setattr(fastreg.LassoCV, "fit", broken)
    assert main(_argv(d, tmp_path)) == 1
    err = capsys.readouterr().err
    assert err.startswith("fastreg lasso: error: the fit failed (IndexError: index 0")
    assert len(err.splitlines()) == 1 and "report" in err
    assert _outputs(tmp_path, "res") == []


def test_interrupted_demo(monkeypatch, capsys):
    from fastreg.cli import _plink_demo

    def interrupted(**kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(_plink_demo, "plink_demo", interrupted)
    assert main(["demo"]) == 130
    assert capsys.readouterr().err == "fastreg demo: interrupted\n"
