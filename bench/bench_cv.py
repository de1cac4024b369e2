"""Time cross-validated model selection: fastreg against its peers on the same data and folds.

Cases (`--case`):

- `lasso` (default): AR(1)-correlated X (n rows, p columns), a sparse truth, an intercept.
  The last `--test-size` of the rows are held out to report R²; the rest are split into
  `--folds` contiguous folds (scikit-learn's KFold without shuffling), and every solver
  gets the same folds and the same 100-alpha grid down to eps * alpha_max (computed on the
  training rows, with the intercept). Peers, each when installed: scikit-learn's
  `LassoCV(n_jobs=2)`, glmnet's `cv.glmnet` with the same `foldid` (R, through `Rscript`;
  timed inside R with `system.time`, data passed as raw binary), celer's `LassoCV` (it
  fails on scikit-learn >= 1.9, which removed `n_alphas`: then reported and skipped).
  fastreg runs with early stopping off (the comparison) and on (`--patience`).

  Answers first: a reference CV curve (mean over folds of each fold's held-out MSE, per
  alpha) from fastreg at tol 1e-10, untimed; every solver's curve is compared with it,
  and a time counts only when the largest relative deviation is <= `--check` (1e-3) and
  the chosen alpha is the reference's or a neighbour on the grid. Solvers run
  interleaved, `--repeat` rounds; medians and ratios are printed.

- `ridge`: RidgeCV (efficient leave-one-out over an alpha grid) against scikit-learn's.
  Wide Gaussian X (F-ordered, n = 1,000, p = 50,000 by default), y from a dense truth
  plus noise, intercept on, the same `--n-alphas` (50) log-spaced alphas in
  [`--alpha-min`, `--alpha-max`], `cv=None`. Answers first: the same `alpha_`,
  `best_score_`, the leave-one-out values (`cv_results_`) and `coef_` within 1e-6
  relative of scikit-learn's (1e-3 for fastreg on float32 X, timed too).

    python bench/bench_cv.py --repeat 3        # the issue's case, the tolerances below
    python bench/bench_cv.py --n 500 --p 5000 --repeat 1 --tol 1e-5 --sklearn-tol 1e-5
    python bench/bench_cv.py --case ridge --repeat 3   # RidgeCV, n = 1,000, p = 50,000, 50 alphas

Default tolerances: the loosest of those tried that pass the check (fastreg and
scikit-learn tol 1e-6, glmnet thresh 1e-11; see bench/README.md).

Peers install with `bash bench/install_peers.sh`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see bench_lasso.py

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lasso import glmnet_available, make_problem, second_core_ratio  # noqa: E402

# Issue's targets, early stopping off: fastreg time / fastest counted peer, / scikit-learn.
TARGETS = {"lasso": {"peer": 0.5, "scikit-learn": 0.1}, "ridge": {"scikit-learn": 0.5}}


# ---------------------------------------------------------------------------- shared


def split_problem(args, dtype=np.float64):
    """X, y from bench_lasso's generator; the last test_size of the rows held out."""
    X, y = make_problem(args.n, args.p, args.rho, args.k, args.seed, np.dtype(dtype))
    n_test = int(round(args.test_size * args.n))
    n_train = args.n - n_test
    return (np.asfortranarray(X[:n_train]), y[:n_train],
            np.asfortranarray(X[n_train:]), y[n_train:])


def kfold(n, k):
    """scikit-learn's KFold(k) without shuffling: (train, test) index arrays and the
    1-based fold id of every row (glmnet's foldid)."""
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    foldid = np.repeat(np.arange(1, k + 1), sizes)
    rows = np.arange(n)
    return [(rows[foldid != f], rows[foldid == f]) for f in range(1, k + 1)], foldid


def lasso_grid(X, y, eps, n_alphas):
    """scikit-learn's grid with an intercept: max |Xc^T yc| / n down to eps times it."""
    yc = y - y.mean()
    amax = float(np.abs(X.T @ yc - X.mean(axis=0) * yc.sum()).max()) / len(y)
    return np.geomspace(amax, amax * eps, n_alphas)


def r2(y, pred):
    return 1.0 - float(np.sum((y - pred) ** 2)) / float(np.sum((y - y.mean()) ** 2))


def time_interleaved(runs, repeat):
    """{name: fn() -> (result, seconds or None)}: `repeat` rounds, one call of each per
    round in turn; a returned time (measured inside a peer's own process) replaces the
    wall time. Returns ({name: [seconds]}, {name: last result})."""
    times = {name: [] for name in runs}
    results = {}
    for _ in range(repeat):
        for name, run in runs.items():
            t = time.perf_counter()
            res, inner = run()
            dt = time.perf_counter() - t
            times[name].append(dt if inner is None else inner)
            results[name] = res
    return times, results


def print_table(rows, columns):
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(columns))) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


# ---------------------------------------------------------------------------- glmnet


CV_GLMNET_R = r"""
args <- commandArgs(trailingOnly = TRUE)
d <- args[1]; n <- as.integer(args[2]); p <- as.integer(args[3])
L <- as.integer(args[4]); thresh <- as.numeric(args[5])
suppressMessages(library(glmnet))
rd <- function(f, k, what = "double") { con <- file(file.path(d, f), "rb"); on.exit(close(con)); readBin(con, what, k) }
x <- matrix(rd("X.bin", n * p), n, p)
y <- rd("y.bin", n); lam <- rd("alphas.bin", L); foldid <- rd("foldid.bin", n, "integer")
tm <- system.time(fit <- cv.glmnet(x, y, family = "gaussian", lambda = lam, foldid = foldid,
                                   type.measure = "mse", intercept = TRUE, standardize = FALSE,
                                   thresh = thresh, maxit = 1e7))
cvm <- rep(NA_real_, L); cvm[seq_along(fit$cvm)] <- fit$cvm
b <- as.numeric(coef(fit, s = "lambda.min"))
con <- file(file.path(d, "out.bin"), "wb")
writeBin(c(cvm, fit$lambda.min, fit$lambda.1se, b), con); close(con)
cat(tm[["elapsed"]], "\n")
"""


class CvGlmnetR:
    """cv.glmnet through Rscript: data written once as raw binary, time taken inside R."""

    def __init__(self, thresh):
        self.thresh = thresh
        self.dir = tempfile.mkdtemp(prefix="bench_cvglmnet_")
        with open(os.path.join(self.dir, "fit.R"), "w") as f:
            f.write(CV_GLMNET_R)
        self.key = None

    def __call__(self, X, y, alphas, foldid):
        n, p = X.shape
        key = (id(X), id(y), id(alphas), id(foldid))
        if key != self.key:
            np.ascontiguousarray(X.T, dtype=np.float64).tofile(os.path.join(self.dir, "X.bin"))
            np.asarray(y, dtype=np.float64).tofile(os.path.join(self.dir, "y.bin"))
            np.asarray(alphas, dtype=np.float64).tofile(os.path.join(self.dir, "alphas.bin"))
            np.asarray(foldid, dtype=np.int32).tofile(os.path.join(self.dir, "foldid.bin"))
            self.key = key
        out = subprocess.run(
            ["Rscript", os.path.join(self.dir, "fit.R"), self.dir, str(n), str(p),
             str(len(alphas)), repr(self.thresh)],
            check=True, capture_output=True, text=True)
        elapsed = float(out.stdout.split()[-1])
        v = np.fromfile(os.path.join(self.dir, "out.bin"))
        L = len(alphas)
        res = dict(cv_mean=v[:L], alpha=float(v[L]), alpha_1se=float(v[L + 1]),
                   intercept=float(v[L + 2]), coef=v[L + 3:])
        return res, elapsed

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------- lasso


def lasso_solvers(args, Xtr, ytr, alphas, folds, foldid):
    """{name: fn() -> (dict(cv_mean, alpha, coef, intercept), seconds or None)}"""
    import fastreg

    runs = {}
    kw = dict(alphas=alphas, cv=folds, max_iter=100_000)
    if args.n_threads:
        kw["n_threads"] = args.n_threads

    def fastreg_run(**extra):
        def run():
            m = fastreg.LassoCV(tol=args.tol, **kw, **extra)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
                m.fit(Xtr, ytr)
            return dict(cv_mean=m.cv_mean_, alpha=m.alpha_, coef=m.coef_,
                        intercept=m.intercept_, stops=m.fold_stop_index_), None
        return run

    runs["fastreg"] = fastreg_run()
    runs["fastreg early stopping"] = fastreg_run(early_stopping=True, patience=args.patience)
    try:
        from sklearn.linear_model import LassoCV

        def sklearn_run():
            m = LassoCV(tol=args.sklearn_tol, n_jobs=2, **kw)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m.fit(Xtr, ytr)
            return dict(cv_mean=m.mse_path_.mean(axis=1), alpha=m.alpha_, coef=m.coef_,
                        intercept=m.intercept_), None

        runs["scikit-learn"] = sklearn_run
    except ImportError:
        pass
    try:
        import celer

        try:
            celer.LassoCV(alphas=alphas, cv=folds)

            def celer_run():
                m = celer.LassoCV(alphas=alphas, cv=folds, tol=args.celer_tol, n_jobs=2)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m.fit(Xtr, ytr)
                return dict(cv_mean=m.mse_path_.mean(axis=1), alpha=m.alpha_, coef=m.coef_,
                            intercept=m.intercept_), None

            runs["celer"] = celer_run
        except TypeError as e:
            print(f"celer {celer.__version__}: LassoCV does not work with this scikit-learn "
                  f"({e}); skipped")
    except ImportError:
        pass
    if glmnet_available():
        g = CvGlmnetR(args.glmnet_thresh)
        runs["glmnet (R)"] = lambda: g(Xtr, ytr, alphas, foldid)
        runs["glmnet (R)"].close = g.close
    return runs


def case_lasso(args):
    import fastreg

    Xtr, ytr, Xte, yte = split_problem(args)
    folds, foldid = kfold(len(ytr), args.folds)
    alphas = lasso_grid(Xtr, ytr, args.eps, args.n_alphas)
    runs = lasso_solvers(args, Xtr, ytr, alphas, folds, foldid)
    if args.only:
        keep = set(args.only.split(","))
        runs = {k: f for k, f in runs.items() if k in keep or k.startswith("fastreg")}

    # the reference curve, untimed
    ref = fastreg.LassoCV(alphas=alphas, cv=folds, tol=1e-10, max_iter=1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastreg.GridEdgeWarning)
        ref.fit(Xtr, ytr)
    i_ref = int(np.argmin(ref.cv_mean_))

    core0 = second_core_ratio()
    times, results = time_interleaved(runs, args.repeat)
    core1 = second_core_ratio()
    for f in runs.values():
        if hasattr(f, "close"):
            f.close()

    print(f"AR(1) rho={args.rho} n={args.n} ({len(ytr)} train, {len(yte)} test) p={args.p}, "
          f"{args.folds} folds, {args.n_alphas} alphas to {args.eps:g} alpha_max, intercept; "
          f"tol: fastreg {args.tol:g}, scikit-learn {args.sklearn_tol:g}, celer "
          f"{args.celer_tol:g}, glmnet thresh {args.glmnet_thresh:g}; early stopping "
          f"patience {args.patience}; repeat {args.repeat}; fastreg threads "
          f"{args.n_threads or fastreg.get_num_threads()}")
    print(f"second-core check (np.sort, two threads / sequential; 0.5 = two free cores): "
          f"{core0:.2f} before, {core1:.2f} after")
    med = {k: statistics.median(t) for k, t in times.items()}
    info = {}
    for name, res in results.items():
        cm = np.asarray(res["cv_mean"], dtype=np.float64)
        m = min(len(cm), len(ref.cv_mean_))
        ok_alphas = np.isfinite(cm[:m])
        dev = float(np.max(np.abs(cm[:m][ok_alphas] - ref.cv_mean_[:m][ok_alphas])
                           / ref.cv_mean_[:m][ok_alphas]))
        i = int(np.argmin(np.abs(alphas - res["alpha"])))
        r2_test = r2(yte, Xte @ res["coef"] + res["intercept"])
        counted = dev <= args.check and abs(i - i_ref) <= 1
        info[name] = (dev, i, r2_test, counted, m)
    rows = []
    for name in runs:
        dev, i, r2_test, counted, m = info[name]
        rows.append([name, f"{med[name]:.3f}", " ".join(f"{t:.2f}" for t in times[name]),
                     f"{med['fastreg'] / med[name]:.3f}", f"{dev:.1e}", f"{i} ({m})",
                     f"{r2_test:.4f}", "yes" if counted else "NO"])
    print_table(rows, ["solver", "median s", "runs s", "fastreg / this",
                       "max rel dev of CV curve", "chosen alpha index (alphas)",
                       "test R²", "counted"])
    print(f"reference (fastreg tol 1e-10): chosen alpha index {i_ref}, "
          f"alpha {alphas[i_ref]:.4g}, test R² {r2(yte, ref.predict(Xte)):.4f}")
    es = results["fastreg early stopping"]
    print(f"early stopping: folds stopped at alpha indices {list(map(int, es['stops']))}; "
          f"time / without: {med['fastreg early stopping'] / med['fastreg']:.3f}")
    if not info["fastreg"][3]:
        print("fastreg itself is off the reference: MISS")
    peers = [k for k in runs if not k.startswith("fastreg") and info[k][3]]
    if peers:
        fastest = min(peers, key=med.get)
        r = med["fastreg"] / med[fastest]
        t = TARGETS["lasso"]["peer"]
        print(f"fastreg / fastest counted peer ({fastest}): {r:.3f}  target <= {t}: "
              f"{'PASS' if r <= t else 'MISS'}")
    if "scikit-learn" in med:
        r = med["fastreg"] / med["scikit-learn"]
        t = TARGETS["lasso"]["scikit-learn"]
        print(f"fastreg / scikit-learn: {r:.3f}  target <= {t}: {'PASS' if r <= t else 'MISS'}")


# ---------------------------------------------------------------------------- ridge


def ridge_problem(n, p, seed, dtype=np.float64):
    """Wide Gaussian X (F-ordered), y from a dense truth plus noise and an offset."""
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)), dtype=dtype)
    w = rng.standard_normal(p) / np.sqrt(p)
    y = X.astype(np.float64, copy=False) @ w + 0.5 * rng.standard_normal(n) + 3.0
    return X, y.astype(dtype)


def rel(a, b):
    """Largest absolute difference relative to the largest |b|."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def case_ridge(args):
    import fastreg

    try:
        from sklearn.linear_model import RidgeCV as SkRidgeCV
    except ImportError:
        SkRidgeCV = None
    X, y = ridge_problem(args.n, args.p, args.seed)
    alphas = np.geomspace(args.alpha_min, args.alpha_max, args.n_alphas)
    X32, y32 = np.asfortranarray(X, dtype=np.float32), y.astype(np.float32)
    kw = {} if args.n_threads is None else {"n_threads": args.n_threads}

    def run_fastreg():
        return fastreg.RidgeCV(alphas=alphas, store_cv_results=True, **kw).fit(X, y)

    def run_fastreg32():
        return fastreg.RidgeCV(alphas=alphas, store_cv_results=True, **kw).fit(X32, y32)

    def run_sklearn():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SkRidgeCV(alphas=alphas, store_cv_results=True).fit(X, y)

    runs = {"fastreg": run_fastreg, "fastreg float32": run_fastreg32}
    if SkRidgeCV is not None:
        runs["scikit-learn"] = run_sklearn
    times = {k: [] for k in runs}
    models = {}
    for _ in range(args.repeat):
        for name, fn in runs.items():
            t = time.perf_counter()
            models[name] = fn()
            times[name].append(time.perf_counter() - t)
    med = {k: statistics.median(t) for k, t in times.items()}
    print(f"RidgeCV n={args.n} p={args.p} alphas={args.n_alphas} "
          f"[{args.alpha_min:g}, {args.alpha_max:g}] LOO (cv=None), intercept, "
          f"repeat={args.repeat}, threads {args.n_threads or os.cpu_count()}")
    ok = {}
    ref = models.get("scikit-learn")
    for name, m in models.items():
        if ref is None or name == "scikit-learn":
            ok[name] = "reference" if name == "scikit-learn" else "-"
            continue
        tol = 1e-3 if "float32" in name else 1e-6
        checks = {"alpha_": m.alpha_ == ref.alpha_,
                  "best_score_": rel(m.best_score_, ref.best_score_) <= tol,
                  "cv_results_": rel(m.cv_results_, ref.cv_results_) <= tol,
                  "coef_": rel(m.coef_, ref.coef_) <= tol}
        bad = [k for k, good in checks.items() if not good]
        ok[name] = "yes" if not bad else "NO: " + ", ".join(bad)
    print("| solver | median s | runs s | fastreg / this | answers match |")
    print("|---|--:|---|--:|---|")
    for name in runs:
        runs_s = " ".join(f"{t:.2f}" for t in times[name])
        print(f"| {name} | {med[name]:.3f} | {runs_s} | {med['fastreg'] / med[name]:.3f} | "
              f"{ok[name]} |")
    if ref is not None:
        r = med["fastreg"] / med["scikit-learn"]
        print(f"alpha_ = {models['fastreg'].alpha_:.4g} (scikit-learn {ref.alpha_:.4g})")
        print(f"fastreg / scikit-learn: {r:.3f}  target <= {TARGETS['ridge']['scikit-learn']}: "
              f"{'PASS' if r <= TARGETS['ridge']['scikit-learn'] and ok['fastreg'] == 'yes' else 'MISS'}")


CASES = {"lasso": case_lasso, "ridge": case_ridge}
# sizes and grid per case, unless given
CASE_DEFAULTS = {"lasso": {"n": 500, "p": 20000, "n_alphas": 100},
                 "ridge": {"n": 1000, "p": 50000, "n_alphas": 50}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=sorted(CASES), default="lasso")
    ap.add_argument("--n", type=int, default=None,
                    help="rows, train and test together (lasso 500, ridge 1000)")
    ap.add_argument("--p", type=int, default=None, help="columns (lasso 20000, ridge 50000)")
    ap.add_argument("--rho", type=float, default=0.6, help="AR(1) correlation of columns")
    ap.add_argument("--k", type=int, default=20, help="true features")
    ap.add_argument("--test-size", type=float, default=0.2)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--eps", type=float, default=1e-2)
    ap.add_argument("--n-alphas", type=int, default=None, help="grid size (lasso 100, ridge 50)")
    ap.add_argument("--alpha-min", type=float, default=1e-1, help="ridge: smallest alpha")
    ap.add_argument("--alpha-max", type=float, default=1e6, help="ridge: largest alpha")
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--tol", type=float, default=1e-6, help="fastreg's tol (scikit-learn's rule)")
    ap.add_argument("--sklearn-tol", type=float, default=1e-6)
    ap.add_argument("--celer-tol", type=float, default=1e-4)
    ap.add_argument("--glmnet-thresh", type=float, default=1e-11)
    ap.add_argument("--check", type=float, default=1e-3,
                    help="largest relative deviation of a CV curve from the reference")
    ap.add_argument("--n-threads", type=int, default=None, help="fastreg's threads")
    ap.add_argument("--only", default="", help="comma-separated peers to run besides fastreg")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    for name, value in CASE_DEFAULTS[args.case].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    CASES[args.case](args)


if __name__ == "__main__":
    main()
