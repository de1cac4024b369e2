"""Time lasso paths: fastreg against its peers on the same data, in one run.

Wide Gaussian (or AR(1)-correlated) X, F-ordered, a sparse truth, a 100-alpha grid down to
eps * alpha_max, no intercept (the issue's protocol). Every solver's objective is compared
at each alpha with the best any of them reached; a time counts only when the worst relative
suboptimality is <= 1e-6. Solvers run interleaved, `--repeat` times; medians are printed,
with ratios to fastreg.

    python bench/bench_lasso.py --n 1000 --p 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np


def make_problem(n, p, rho, k, seed, dtype):
    rng = np.random.default_rng(seed)
    X = np.empty((n, p), dtype=np.float64, order="F")
    X[:, 0] = rng.standard_normal(n)
    for j in range(1, p):  # AR(1) across columns; rho = 0 gives independent columns
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    w = np.zeros(p)
    w[rng.choice(p, k, replace=False)] = rng.choice([-1, 1], k) * rng.uniform(0.5, 2, k)
    y = X @ w + rng.standard_normal(n)
    return np.asfortranarray(X, dtype=dtype), y.astype(dtype)


def objective(X, y, coefs, alphas):
    r = y[:, None].astype(np.float64) - X.astype(np.float64) @ coefs.astype(np.float64)
    return 0.5 * (r * r).sum(0) / len(y) + alphas * np.abs(coefs).sum(0)


def solvers(tol):
    import fastreg

    out = {}

    def run_fastreg(X, y, alphas):
        return fastreg.lasso_path(X, y, alphas=alphas, tol=tol, max_iter=10_000)[1]

    out["fastreg"] = run_fastreg
    try:
        from sklearn.linear_model import lasso_path

        def run_sklearn(X, y, alphas):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return lasso_path(X, y, alphas=alphas, tol=tol, max_iter=10_000)[1]

        out["scikit-learn"] = run_sklearn
    except ImportError:
        pass
    try:
        from celer import celer_path

        def run_celer(X, y, alphas):
            return celer_path(X, y, "lasso", alphas=alphas, tol=tol)[1]

        out["celer"] = run_celer
    except ImportError:
        pass
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--p", type=int, default=20000)
    ap.add_argument("--rho", type=float, default=0.0)
    ap.add_argument("--k", type=int, default=20, help="true features")
    ap.add_argument("--eps", type=float, default=1e-2)
    ap.add_argument("--n-alphas", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    X, y = make_problem(args.n, args.p, args.rho, args.k, args.seed, np.dtype(args.dtype))
    Xy = np.abs(X.T.astype(np.float64) @ y.astype(np.float64)).max() / args.n
    alphas = np.geomspace(Xy, Xy * args.eps, args.n_alphas)
    runs = solvers(args.tol)
    times = {name: [] for name in runs}
    coefs = {}
    for _ in range(args.repeat):
        for name, run in runs.items():
            t = time.perf_counter()
            coefs[name] = run(X, y, alphas)
            times[name].append(time.perf_counter() - t)
    obj = {name: objective(X, y, c, alphas) for name, c in coefs.items()}
    best = np.min(np.vstack(list(obj.values())), axis=0)
    base = statistics.median(times["fastreg"])
    print(f"n={args.n} p={args.p} rho={args.rho} dtype={args.dtype} alphas={args.n_alphas} "
          f"eps={args.eps} tol={args.tol} repeat={args.repeat}")
    print(f"{'solver':14s} {'median s':>9s} {'fastreg/this':>12s} {'max rel subopt':>15s}")
    for name in runs:
        med = statistics.median(times[name])
        sub = float(np.max((obj[name] - best) / best))
        flag = "" if sub <= 1e-6 else "  (not counted: suboptimal)"
        print(f"{name:14s} {med:9.3f} {base / med:12.3f} {sub:15.2e}{flag}")


if __name__ == "__main__":
    main()
