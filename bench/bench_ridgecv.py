"""Time RidgeCV (efficient leave-one-out over an alpha grid): fastreg against scikit-learn.

Wide Gaussian X (F-ordered), y from a dense truth plus noise, intercept on, the same alphas
for both (`--n-alphas`, log-spaced), `cv=None` (leave-one-out). Answers are checked first:
the same `alpha_`, `best_score_` within 1e-6 relative, the leave-one-out values
(`cv_results_`) and `coef_` within 1e-6 relative of scikit-learn's. Then the two fits run
interleaved `--repeat` times; medians and the ratio are printed. fastreg float32 is timed
too (its answers checked at 1e-3).

    python bench/bench_ridgecv.py --n 1000 --p 50000 --n-alphas 50 --repeat 3

`case_ridge(args)` takes the parsed arguments, to be folded into bench_cv.py later.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

TARGET = 0.5  # fastreg / scikit-learn


def make_problem(n, p, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)), dtype=dtype)
    w = rng.standard_normal(p) / np.sqrt(p)
    y = X.astype(np.float64, copy=False) @ w + 0.5 * rng.standard_normal(n) + 3.0
    return X, y.astype(dtype)


def rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def case_ridge(args):
    import fastreg

    try:
        from sklearn.linear_model import RidgeCV as SkRidgeCV
    except ImportError:
        SkRidgeCV = None
    X, y = make_problem(args.n, args.p, args.seed)
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
        print(f"fastreg / scikit-learn: {r:.3f}  target <= {TARGET}: "
              f"{'PASS' if r <= TARGET and ok['fastreg'] == 'yes' else 'MISS'}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--p", type=int, default=50000)
    ap.add_argument("--n-alphas", type=int, default=50)
    ap.add_argument("--alpha-min", type=float, default=1e-1)
    ap.add_argument("--alpha-max", type=float, default=1e6)
    ap.add_argument("--n-threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    case_ridge(ap.parse_args(argv))


if __name__ == "__main__":
    main()
