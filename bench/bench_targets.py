"""Time many targets on one X: one `lasso_path(X, Y)` call with k columns in Y against k
single-target calls, in one run.

The data is genotype-like (n samples x p variants, dosages Binomial(2, maf) with
maf ~ U(0.05, 0.5), as float64 F-ordered or as int8 `Genotypes`), with k traits each driven
by 20 variants (gene-expression-like: a few shared across traits). Both ways fit the same
100-alpha grid per target (each target's own alpha_max down to eps * alpha_max).

Correctness first: for every target and alpha, the objective
    1/(2n) ||y - b0 - X w||^2 + alpha ||w||_1
of the shared fit is within 1e-5 (relative) of the single fit's, and every fit reports
converged duality gaps (a ConvergenceWarning stops the benchmark). Then the medians of `--repeat` runs and their ratio.

    python bench/bench_targets.py                       # k=100, n=1000, p=20000, float64
    python bench/bench_targets.py --format int8
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

TARGET_RATIO = 0.5  # the issue's: shared / k single calls
OBJ_RTOL = 1e-5


def make_problem(n, p, k, seed):
    rng = np.random.default_rng(seed)
    maf = rng.uniform(0.05, 0.5, p)
    G = np.asfortranarray(rng.binomial(2, maf, size=(n, p)).astype(np.int8))
    hubs = rng.choice(p, 50, replace=False)  # variants that act on several traits
    B = np.zeros((p, k))
    for t in range(k):
        idx = np.concatenate([rng.choice(hubs, 5, replace=False), rng.choice(p, 15, replace=False)])
        B[idx, t] = rng.standard_normal(idx.size)
    X = np.asfortranarray(G, dtype=np.float64)
    signal = (X - X.mean(axis=0)) @ B
    Y = signal + rng.standard_normal((n, k)) * signal.std(axis=0)  # heritability ~ 1/2
    return G, X, np.asfortranarray(Y)


def objectives(X, y, alphas, coefs, intercepts):
    """The lasso objective of each column of coefs (p, m) at its alpha."""
    r = y[:, None] - intercepts[None, :] - X @ coefs
    return 0.5 * (r * r).mean(axis=0) + alphas * np.abs(coefs).sum(axis=0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--p", type=int, default=20000)
    ap.add_argument("--k", type=int, default=100)
    ap.add_argument("--eps", type=float, default=1e-2)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--format", choices=["float64", "int8"], default="float64")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import fastreg

    G, X, Y = make_problem(args.n, args.p, args.k, args.seed)
    design = X if args.format == "float64" else fastreg.Genotypes.from_array(G)
    opts = dict(eps=args.eps, tol=args.tol, fit_intercept=True, return_intercept=True)
    print(f"n={args.n} p={args.p} k={args.k} format={args.format} threads="
          f"{fastreg.get_num_threads()} tol={args.tol}")

    def shared():
        return fastreg.lasso_path(design, Y, **opts)

    def singles():
        return [fastreg.lasso_path(design, np.ascontiguousarray(Y[:, t]), **opts)
                for t in range(args.k)]

    # check: every alpha of every fit converged (a ConvergenceWarning is an error here),
    # and the same objectives at every alpha of every target
    with warnings.catch_warnings():
        warnings.simplefilter("error", fastreg.ConvergenceWarning)
        a_all, c_all, _, i_all = shared()
        single_fits = singles()
    worst = 0.0
    for t, (a1, c1, _, i1) in enumerate(single_fits):
        f_all = objectives(X, Y[:, t], a_all[t], c_all[t], i_all[t])
        f_one = objectives(X, Y[:, t], a1, c1, i1)
        worst = max(worst, float(np.max(np.abs(f_all - f_one) / f_one)))
    ok = worst <= OBJ_RTOL
    print(f"check: worst relative objective difference {worst:.2e} "
          f"({'ok' if ok else 'FAILED'}, <= {OBJ_RTOL:g})")
    if not ok:
        raise SystemExit(1)

    t_shared, t_single = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        shared()
        t_shared.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        singles()
        t_single.append(time.perf_counter() - t0)
    ms, m1 = statistics.median(t_shared), statistics.median(t_single)
    ratio = ms / m1
    print(f"| k targets in one call | {ms:.2f} s |")
    print(f"| k single-target calls | {m1:.2f} s |")
    print(f"ratio shared / single calls: {ratio:.3f} (target <= {TARGET_RATIO}: "
          f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'})")


if __name__ == "__main__":
    main()
