"""Tall dense data: fastreg's route for tall X (XᵀX by BLAS, then the Gram-path solver of
lasso_path_gram) against the core's own Gram mode (the same process, the route switched
off) and scikit-learn. Every objective is checked against the best before timing.

    OMP_WAIT_POLICY=PASSIVE python bench/bench_tall.py --case small --repeat 5
    OMP_WAIT_POLICY=PASSIVE python bench/bench_tall.py --case tall --n 20000 --p 100 --repeat 3
    OMP_WAIT_POLICY=PASSIVE python bench/bench_tall.py --case tall --n 10000 --p 1000 --repeat 2
    OMP_WAIT_POLICY=PASSIVE python bench/bench_tall.py --case targets --k 20 --repeat 5
"""
import argparse, time, warnings
import numpy as np
from sklearn.linear_model import Lasso as SkLasso, lasso_path as sk_lasso_path
from sklearn.datasets import load_diabetes
import fastreg
from fastreg.linear_model import _tall

MAX_ITER = 10_000


_USE_TALL = _tall.use_tall


def route(new):  # the old route: _solve_path never dispatches to _tall
    _tall.use_tall = _USE_TALL if new else (lambda *a, **k: False)


def problem(n, p):  # bench/bench_gram_path.py's generator (correlated columns)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    X += 0.5 * rng.standard_normal((n, 1))
    beta = np.zeros(p)
    k = min(20, p // 2)
    beta[rng.choice(p, k, replace=False)] = rng.normal(0, 1, k)
    y = X @ beta + 3 * rng.standard_normal(n)
    X -= X.mean(axis=0)
    y -= y.mean()
    return np.asfortranarray(X), y


def objective(X, y, coefs, alphas, b0=0.0):
    R = y[:, None] - X @ coefs - b0
    return 0.5 * (R * R).sum(axis=0) / len(y) + alphas * np.abs(coefs).sum(axis=0)


def timed(calls, repeat):
    t = {k: [] for k in calls}
    out = {}
    for _ in range(repeat):
        for k, f in calls.items():
            t0 = time.perf_counter(); out[k] = f(); t[k].append(time.perf_counter() - t0)
    return {k: float(np.median(v)) for k, v in t.items()}, out


def with_route(new, f):
    def g():
        route(new)
        try:
            return f()
        finally:
            route(True)
    return g


def report(title, med, objs):
    print(title)
    best = np.min(np.stack(list(objs.values())), axis=0)
    ref = med.get("scikit-learn")
    for k in med:
        rel = float(np.max((objs[k] - best) / np.abs(best)))
        r = f"  {med[k] / ref:6.3f}x sklearn" if ref else ""
        print(f"  {k:<34s} {med[k]:9.4f} s{r}   objective within {rel:.1e} of best")
        if rel > 1e-6:  # a time only counts for a right answer
            raise SystemExit(f"{k}: objective {rel:.1e} above the best (limit 1e-6)")


def tall(n, p, tol, repeat):
    X, y = problem(n, p)
    alphas = fastreg.lasso_path(X, y, tol=tol, max_iter=MAX_ITER)[0]
    path = lambda: fastreg.lasso_path(X, y, tol=tol, max_iter=MAX_ITER)[1]
    calls = {"fastreg.lasso_path new": with_route(True, path),
             "fastreg.lasso_path old": with_route(False, path),
             "scikit-learn": lambda: sk_lasso_path(X, y, alphas=alphas, tol=tol, max_iter=MAX_ITER)[1]}
    med, out = timed(calls, repeat)
    report(f"n={n} p={p} lasso_path, 100 alphas, eps 1e-3, tol {tol}, {repeat} repeats",
           med, {k: objective(X, y, c, alphas) for k, c in out.items()})
    a = float(alphas[50])
    def fit(**kw):
        return lambda: (lambda m: (m.coef_[:, None], m.intercept_))(
            fastreg.Lasso(alpha=a, tol=tol, max_iter=MAX_ITER, **kw).fit(X, y))
    calls = {"Lasso(precompute=True) new": with_route(True, fit(precompute=True)),
             "Lasso(precompute=True) old": with_route(False, fit(precompute=True)),
             "Lasso() (residual, unchanged)": fit(),
             "scikit-learn": lambda: (lambda m: (m.coef_[:, None], m.intercept_))(
                 SkLasso(alpha=a, tol=tol, max_iter=MAX_ITER).fit(X, y)),
             "scikit-learn precompute=True": lambda: (lambda m: (m.coef_[:, None], m.intercept_))(
                 SkLasso(alpha=a, tol=tol, max_iter=MAX_ITER, precompute=True).fit(X, y))}
    med, out = timed(calls, repeat)
    report(f"n={n} p={p} Lasso(alpha=alphas[50]={a:.4g}).fit, tol {tol}", med,
           {k: objective(X, y, c, np.array([a]), b) for k, (c, b) in out.items()})


def targets(n, p, k, tol, repeat):
    """k targets on one tall X: one lasso_path(X, Y) call (one XᵀX for all of them) against
    k single-target calls, the core's own multi-target Gram mode (one XᵀX per target) and
    scikit-learn called per target (its lasso_path with a 2-d y is the multi-task lasso,
    another problem). Every target's objectives are checked."""
    X, y = problem(n, p)
    rng = np.random.default_rng(1)
    B = np.zeros((p, k))
    for t in range(k):
        B[rng.choice(p, min(20, p // 2), replace=False), t] = rng.normal(0, 1, min(20, p // 2))
    Y = np.asfortranarray(X @ B + 3 * rng.standard_normal((n, k)) + y[:, None])
    grids = fastreg.lasso_path(X, Y, tol=tol, max_iter=MAX_ITER)[0]
    cols = [np.ascontiguousarray(Y[:, t]) for t in range(k)]
    calls = {"one lasso_path(X, Y) new": lambda: list(fastreg.lasso_path(X, Y, tol=tol, max_iter=MAX_ITER)[1]),
             "one lasso_path(X, Y) old": with_route(False, lambda: list(
                 fastreg.lasso_path(X, Y, tol=tol, max_iter=MAX_ITER)[1])),
             "k single-target calls": lambda: [fastreg.lasso_path(X, c, tol=tol, max_iter=MAX_ITER)[1]
                                               for c in cols],
             "scikit-learn": lambda: [sk_lasso_path(X, c, alphas=grids[t], tol=tol, max_iter=MAX_ITER)[1]
                                      for t, c in enumerate(cols)]}
    med, out = timed(calls, repeat)
    objs = {name: np.concatenate([objective(X, Y[:, t], c[t], grids[t]) for t in range(k)])
            for name, c in out.items()}
    report(f"n={n} p={p} k={k} targets, lasso_path, 100 alphas each, eps 1e-3, tol {tol}, "
           f"{repeat} repeats (objectives: every target's alphas)", med, objs)
    print(f"  one call / k single calls: {med['one lasso_path(X, Y) new'] / med['k single-target calls']:.3f}")


def small(repeat, calls=200):
    X, y = load_diabetes(return_X_y=True)
    X = np.asfortranarray(X)
    a = 0.01
    def many(f):
        return lambda: [f() for _ in range(calls)][-1]
    fits = {"Lasso(precompute=True) new": with_route(True, many(lambda: fastreg.Lasso(alpha=a, precompute=True).fit(X, y))),
            "Lasso(precompute=True) old": with_route(False, many(lambda: fastreg.Lasso(alpha=a, precompute=True).fit(X, y))),
            "scikit-learn": many(lambda: SkLasso(alpha=a, precompute=True).fit(X, y))}
    med, out = timed(fits, repeat)
    print(f"diabetes 442x10 Lasso(alpha={a}, precompute=True).fit, us per call")
    for k in med:
        print(f"  {k:<34s} {med[k] / calls * 1e6:8.1f} us  {med[k] / med['scikit-learn']:6.3f}x sklearn")
    paths = {"lasso_path new": with_route(True, many(lambda: fastreg.lasso_path(X, y))),
             "lasso_path old": with_route(False, many(lambda: fastreg.lasso_path(X, y))),
             "scikit-learn": many(lambda: sk_lasso_path(X, y))}
    med, out = timed(paths, repeat)
    print(f"diabetes 442x10 lasso_path (100 alphas, auto Gram), us per call")
    for k in med:
        print(f"  {k:<34s} {med[k] / calls * 1e6:8.1f} us  {med[k] / med['scikit-learn']:6.3f}x sklearn")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", choices=["small", "tall", "targets"], default="tall")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--p", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    if args.case == "small":
        small(args.repeat)
    elif args.case == "targets":
        targets(args.n, args.p, args.k, args.tol, args.repeat)
    else:
        tall(args.n, args.p, args.tol, args.repeat)
