"""fastreg's default thread count against one thread, idle, with a busy core, and masked.

    python bench/bench_threads.py [--repeat 7]           # idle
    python bench/bench_threads.py --busy [--repeat 7]    # a CPU-bound process holds a core
    python bench/bench_threads.py --mask [--repeat 7]    # confined to one CPU

Representative calls, each run with the default threads (``fastreg.set_num_threads(None)``)
and with ``fastreg.set_num_threads(1)``, interleaved in one run: lasso paths on wide dense
problems (100 x 20,000 and 1,000 x 20,000) and on tall data (100,000 x 100: the Gram
products of linear_model/_block_sums.py), Ridge and RidgeCV (the same, and LAPACK), LassoCV
(5 folds: the shared passes of cd/shared_passes.hpp), a lasso path on a PLINK .bed of
genotypes, soft_threshold and dropout
with ``out=`` on 10^6 and 10^7 elements. The two answers of every call are checked to be
equal (bit for bit) before anything is timed. Prints the medians and the ratio default /
one thread; the target is <= 1.05 on every row in every mode.

--busy starts a competitor (a Python process spinning in a loop) for the whole run; --mask
confines this process to its first allowed CPU with os.sched_setaffinity before fastreg
starts any thread (what ``taskset -c 0`` or a pinning library does).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import fastreg

TARGET = 1.05  # default threads / one thread, at most
MAX_REPEAT = 301


def competitor():
    """A process that keeps one core busy until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def bed_design(n, p, tmp, seed=3):
    """A .bed of random genotypes (bench_genomics' generator) and a phenotype."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_genomics import genotype_blocks, imputed, write_bed

    prefix = os.path.join(tmp, "g")
    blocks = list(genotype_blocks(n, p, seed))
    write_bed(prefix, n, p, blocks)
    rng = np.random.default_rng(seed)
    X = imputed(blocks[0][1][:, :50])
    y = X @ rng.standard_normal(50) + rng.standard_normal(n)
    return fastreg.Genotypes.from_bed(prefix), y


def wide(n, p, seed):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    w = np.zeros(p)
    w[:20] = rng.standard_normal(20)
    return X, X @ w + rng.standard_normal(n)


def cases(tmp):
    """{name: fn}: each fn returns an array (or tuple of arrays) to compare."""
    quiet = warnings.catch_warnings
    out = {}
    X1, y1 = wide(100, 20_000, 0)
    X2, y2 = wide(1_000, 20_000, 1)

    def path(X, y, **kw):
        def run():
            with quiet():
                warnings.simplefilter("ignore")
                return fastreg.lasso_path(X, y, eps=1e-2, **kw)[1]
        return run

    out["lasso_path 100 x 20,000"] = path(X1, y1)
    out["lasso_path 1,000 x 20,000"] = path(X2, y2)

    def cv():
        with quiet():
            warnings.simplefilter("ignore")
            m = fastreg.LassoCV(cv=5, eps=1e-2, n_alphas=50).fit(X1, y1)
        return m.coef_, np.asarray(m.mse_path_)

    out["LassoCV 100 x 20,000, 5 folds"] = cv
    Xt, yt = wide(100_000, 100, 3)
    out["lasso_path tall 100,000 x 100"] = path(Xt, yt)

    def ridge(model, X, y):
        return lambda: model.fit(X, y).coef_

    Xr, yr = wide(20_000, 200, 4)
    out["Ridge 20,000 x 200"] = ridge(fastreg.Ridge(alpha=1.0), Xr, yr)
    alphas = np.logspace(-2, 2, 20)
    Xr, yr = wide(2_000, 1_000, 5)
    out["RidgeCV 2,000 x 1,000"] = ridge(fastreg.RidgeCV(alphas=alphas), Xr, yr)
    Xr, yr = wide(500, 5_000, 6)
    out["RidgeCV 500 x 5,000"] = ridge(fastreg.RidgeCV(alphas=alphas), Xr, yr)
    G, yg = bed_design(1_000, 20_000, tmp)
    out["lasso_path .bed 1,000 x 20,000"] = path(G, yg)
    rng = np.random.default_rng(2)
    for n in (10**6, 10**7):
        x = rng.standard_normal(n)
        y = np.empty_like(x)
        out[f"soft_threshold(out=) {n:.0e}"] = lambda x=x, y=y: fastreg.soft_threshold(x, 0.5, out=y).copy()
        out[f"dropout(out=) {n:.0e}"] = (
            lambda x=x, y=y: fastreg.dropout(x, 0.1, seed=5, out=y).copy())
    return out


def same(a, b):
    if isinstance(a, tuple):
        return all(same(u, v) for u, v in zip(a, b))
    return np.array_equal(a, b)


def timed(fn, threads):
    fastreg.set_num_threads(threads)
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--busy", action="store_true", help="a CPU-bound process holds one core")
    mode.add_argument("--mask", action="store_true", help="confine the run to one CPU")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="", help="run the cases whose name contains this")
    args = ap.parse_args(argv)

    if args.mask:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rival = competitor() if args.busy else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench_threads_") as tmp:
            todo = {k: f for k, f in cases(tmp).items() if args.only in k}
            fastreg.set_num_threads(None)
            default = fastreg.get_num_threads()
            mode_name = "busy" if args.busy else "mask" if args.mask else "idle"
            print(f"mode {mode_name}: {len(os.sched_getaffinity(0))} CPUs allowed "
                  f"of {os.cpu_count()}, default threads {default}, median of {args.repeat} or more "
                  f"(short calls: about a second of each), "
                  f"fastreg {fastreg.__version__}, simd {fastreg._core.build_info()['simd']}")
            rows = []
            for name, fn in todo.items():
                fastreg.set_num_threads(None)
                a = fn()
                fastreg.set_num_threads(1)
                t0 = time.perf_counter()
                b = fn()
                once = time.perf_counter() - t0
                if not same(a, b):
                    raise SystemExit(f"{name}: default threads and one thread differ; nothing timed")
                # short calls: enough repetitions for a median over about a second of each
                repeat = max(args.repeat, min(MAX_REPEAT, int(1.0 / max(once, 1e-6))))
                t = {None: [], 1: []}
                for i in range(repeat):  # interleaved, alternating which goes first
                    order = (None, 1) if i % 2 == 0 else (1, None)
                    for th in order:
                        t[th].append(timed(fn, th))
                one, dflt = statistics.median(t[1]), statistics.median(t[None])
                rows.append((name, one, dflt, dflt / one))
            fastreg.set_num_threads(None)
    finally:
        if rival is not None:
            rival.kill()
            rival.wait()

    print(f"{'case':34s} {'1 thread':>10s} {'default':>10s} {'ratio':>7s}")
    for name, one, dflt, r in rows:
        print(f"{name:34s} {one * 1e3:8.1f}ms {dflt * 1e3:8.1f}ms {r:7.3f}")
    worst = max(rows, key=lambda r: r[3])
    geo = float(np.exp(np.mean(np.log([r[3] for r in rows]))))
    print(f"worst {worst[3]:.3f} ({worst[0]}), geometric mean {geo:.3f}; target <= {TARGET}")


if __name__ == "__main__":
    main()
