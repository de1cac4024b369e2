"""Lasso paths from summary statistics (fastreg.lasso_path_gram) against their peers.

1. Dense XtX (tall data): fastreg.lasso_path_gram(XtX, Xty, n, yty) against scikit-learn's
   lasso_path with the same precomputed Gram matrix (precompute=XtX, Xy=Xty) and against
   fastreg.lasso_path on X (which builds its own Gram matrix). The statistics are computed
   once, outside the timings.
2. Sparse banded XtX (an LD-like matrix, n times a correlation matrix), p up to 10^5:
   fastreg alone (no peer takes a sparse Gram matrix); answers checked against the KKT
   conditions, and against the dense solver on the same matrix when p is small enough.

Answers are checked first: every path's objective within 1e-6 (relative) of the best at
each alpha. Then the timed calls are interleaved and medians printed.

    python bench/bench_gram_path.py --repeat 3
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import lasso_path as sk_lasso_path

import fastreg

MAX_ITER = 10_000  # epochs per alpha, for every solver (the dense problem is ill-conditioned)


def objective(XtX, Xty, n, yty, alpha, W):
    """1/(2n) ||y - Xw||^2 + alpha ||w||_1 for each column of W, from the statistics."""
    quad = np.einsum("jk,jk->k", W, XtX @ W)
    return (yty - 2 * Xty @ W + quad) / (2 * n) + alpha * np.abs(W).sum(axis=0)


def check(name, XtX, Xty, n, yty, alphas, results):
    objs = {k: objective(XtX, Xty, n, yty, alphas, coefs) for k, coefs in results.items()}
    best = np.min(np.stack(list(objs.values())), axis=0)
    for k, o in objs.items():
        rel = np.max((o - best) / np.abs(best))
        status = "ok" if rel <= 1e-6 else "FAILED"
        print(f"  {name}: {k:<28s} objective within {rel:.1e} of the best  {status}")


def timed(calls, repeat):
    times = {k: [] for k in calls}
    for _ in range(repeat):
        for k, f in calls.items():  # interleaved
            t = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t)
    return {k: float(np.median(v)) for k, v in times.items()}


def report(times):
    fastest = min(times.values())
    for k, t in times.items():
        print(f"  {k:<36s} {t:8.3f} s  {t / fastest:6.2f}x")


def dense(n, p, tol, repeat):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, p))
    X += 0.5 * rng.standard_normal((n, 1))  # correlated columns
    beta = np.zeros(p)
    beta[rng.choice(p, 20, replace=False)] = rng.normal(0, 1, 20)
    y = X @ beta + 3 * rng.standard_normal(n)
    X -= X.mean(axis=0)
    y -= y.mean()
    X = np.asfortranarray(X)
    XtX, Xty, yty = X.T @ X, X.T @ y, float(y @ y)
    alphas = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, tol=tol)[0]
    calls = {
        "fastreg.lasso_path_gram": lambda: fastreg.lasso_path_gram(
            XtX, Xty, n, yty=yty, tol=tol, max_iter=MAX_ITER)[1],
        "fastreg.lasso_path_gram (no yty)": lambda: fastreg.lasso_path_gram(
            XtX, Xty, n, tol=tol, max_iter=MAX_ITER)[1],
        "sklearn lasso_path(precompute=XtX)": lambda: sk_lasso_path(
            X, y, alphas=alphas, precompute=XtX, Xy=Xty, tol=tol, max_iter=MAX_ITER)[1],
        "fastreg.lasso_path(X)": lambda: fastreg.lasso_path(X, y, tol=tol, max_iter=MAX_ITER)[1],
    }
    print(f"dense: n = {n}, p = {p}, 100 alphas down to 1e-3 alpha_max, tol = {tol}")
    check("dense", XtX, Xty, n, yty, alphas, {k: f() for k, f in calls.items()})
    report(timed(calls, repeat))


def ld_matrix(p, bandwidth, n, seed=0):
    """n R for a banded correlation matrix R = D B B^T D (B banded upper-triangular),
    X^T y from 200 small effects plus noise with covariance n R, and y^T y."""
    rng = np.random.default_rng(seed)
    diags = [np.ones(p)] + [0.8 ** k * rng.uniform(0.2, 1.0, p - k) for k in range(1, bandwidth + 1)]
    B = sp.diags(diags, list(range(bandwidth + 1)), shape=(p, p), format="csc")
    d = sp.diags(1.0 / np.sqrt((B.multiply(B)).sum(axis=1).A1))
    R = (d @ B @ B.T @ d).tocsc()
    R.sort_indices()
    beta = np.zeros(p)
    beta[rng.choice(p, 200, replace=False)] = rng.normal(0, 0.02, 200)
    Xty = n * (R @ beta) + np.sqrt(n) * (d @ (B @ rng.standard_normal(p)))
    yty = n * (1.0 + beta @ (R @ beta))
    return (n * R).tocsc(), Xty, yty


def sparse(p, bandwidth, n, eps, tol, repeat):
    XtX, Xty, yty = ld_matrix(p, bandwidth, n)
    print(f"sparse banded XtX: p = {p}, {XtX.nnz / p:.0f} non-zeros per column, n = {n:g}, "
          f"100 alphas down to {eps:g} alpha_max, tol = {tol}")
    out = fastreg.lasso_path_gram(XtX, Xty, n, yty=yty, eps=eps, tol=tol)
    alphas, coefs = out[0], out[1]
    worst = 0.0
    for k in range(0, len(alphas), 9):
        g = (Xty - XtX @ coefs[:, k]) / n
        w = coefs[:, k]
        viol = np.where(w != 0, np.abs(g - alphas[k] * np.sign(w)), np.maximum(np.abs(g) - alphas[k], 0))
        worst = max(worst, viol.max() / alphas[k])
    print(f"  largest KKT violation / alpha (every 9th alpha): {worst:.1e}; "
          f"{(coefs[:, -1] != 0).sum()} non-zeros at the last alpha")
    calls = {
        "fastreg.lasso_path_gram (sparse)": lambda: fastreg.lasso_path_gram(
            XtX, Xty, n, yty=yty, eps=eps, tol=tol),
        "fastreg.lasso_path_gram (sparse, no yty)": lambda: fastreg.lasso_path_gram(
            XtX, Xty, n, eps=eps, tol=tol),
    }
    if p <= 5000:
        D = XtX.toarray()
        calls["fastreg.lasso_path_gram (dense)"] = lambda: fastreg.lasso_path_gram(
            D, Xty, n, yty=yty, eps=eps, tol=tol)
        check("sparse", D, Xty, n, yty, alphas, {k: f()[1] for k, f in calls.items()})
    report(timed(calls, repeat))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tol", type=float, default=1e-6)
    args = ap.parse_args()
    print(f"fastreg {fastreg.__version__}, numpy {np.__version__}, threads {fastreg.get_num_threads()}")
    dense(10_000, 1000, args.tol, args.repeat)
    sparse(5000, 50, 5e5, 1e-2, args.tol, args.repeat)
    sparse(100_000, 50, 5e5, 1e-2, args.tol, args.repeat)


if __name__ == "__main__":
    main()
