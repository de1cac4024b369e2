"""Time LassoCV on a Dask cluster against the same fit in one process, on this machine.

A `.bed` of n samples x p variants split in two filesets (chr1, chr2: `chr{1:2}`, one
design of two mapped files) and a phenotype from 20 causal variants (h2 = 0.5).
`LassoCV(cv=5)` runs in this process (every CPU it may use), and with `client=` on a
LocalCluster of `--workers` worker processes of one thread each (the folds' paths of each
worker sharing their passes over X). Answers first: the two fits' `alpha_`, `mse_path_`
and `coef_` must be equal (the fan-out's are the same numbers, bit for bit); then the
times, interleaved (`--repeat` rounds, the order alternating), their medians and the
ratio distributed / single process.

On one machine the cluster is a cost, not a gain: both read the same X with the same
cores; the fan-out adds the scheduler, the transfers of the fold results, and a pass over
X per worker where one process shares one pass among all its paths.

With `--case partitioned`: the lasso path (`--alphas` down to `--eps` alpha_max, with an
intercept) with the design partitioned by columns, one file per worker
(`fastreg.distributed.lasso_path`), against `fastreg.lasso_path` on the two files as one
design in this process: the coefficients' largest relative difference (both stop at the
same duality gap, `--tol`), the times, the rounds and bytes moved per alpha, and one
worker's pass over its block (x_j^T r for all its columns), the input of the model in
docs/distributed.md.

    python bench/bench_distributed.py                      # 2,000 x 200,000, 3 rounds
    python bench/bench_distributed.py --p 20000 --repeat 1  # a quick look
    python bench/bench_distributed.py --case partitioned --repeat 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def make_data(directory, n, p, seed):
    import numpy as np

    from fastreg.cli._plink_demo import write_plink

    rng = np.random.default_rng(seed)
    halves = [p // 2, p - p // 2]
    fids = [f"f{i}" for i in range(n)]
    causal = np.sort(rng.choice(p, 20, replace=False))
    beta = rng.standard_normal(20)
    signal = np.zeros(n)
    start = 0
    for k, q in enumerate(halves, start=1):
        maf = rng.uniform(0.05, 0.5, q)
        G = rng.binomial(2, maf, size=(n, q)).astype(np.int8)
        G[rng.random((n, q)) < 0.01] = -1
        mine = causal[(causal >= start) & (causal < start + q)]
        for j, b in zip(mine, beta[np.isin(causal, mine)]):
            g = G[:, j - start].astype(float)
            g[g < 0] = np.nanmean(np.where(g < 0, np.nan, g))
            signal += b * (g - g.mean())
        write_plink(os.path.join(directory, f"chr{k}"), G, variant_ids=[f"rs{start + j}" for j in range(q)],
                    chromosomes=[k] * q, positions=range(1, q + 1), alleles=[("A", "G")] * q,
                    fids=fids, iids=fids)
        start += q
        del G
    noise = rng.standard_normal(n) * signal.std()  # h2 = 0.5
    return os.path.join(directory, "chr{1:2}"), signal + noise


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--p", type=int, default=200_000)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--case", choices=("cv", "partitioned"), default="cv")
    ap.add_argument("--alphas", type=int, default=20, help="partitioned: grid size")
    ap.add_argument("--eps", type=float, default=0.05, help="partitioned: grid end")
    ap.add_argument("--tol", type=float, default=1e-4, help="partitioned: tolerance")
    args = ap.parse_args(argv)

    import numpy as np
    import distributed

    import fastreg

    with tempfile.TemporaryDirectory() as d:
        pattern, y = make_data(d, args.n, args.p, args.seed)
        G = fastreg.Genotypes.from_bed(pattern)
        bed_mb = args.p * ((args.n + 3) // 4) / 1e6
        print(f"data        {args.n:,} x {args.p:,} in two .bed files ({bed_mb:.0f} MB), "
              f"{f'LassoCV(cv={args.folds})' if args.case == 'cv' else 'lasso path'}, "
              f"{args.workers} workers x 1 thread; this process: "
              f"{fastreg.get_num_threads()} threads")
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                      processes=True, dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            client.run(lambda: __import__("fastreg"))  # imports out of the timings
            if args.case == "partitioned":
                return partitioned(args, client, d, G, y)

            def single():
                return fastreg.LassoCV(cv=args.folds).fit(G, y)

            def dask():
                return fastreg.LassoCV(cv=args.folds, client=client).fit(G, y)

            a, b = single(), dask()  # warm: files in the page cache, workers' imports
            same = (a.alpha_ == b.alpha_ and np.array_equal(a.mse_path_, b.mse_path_)
                    and np.array_equal(a.coef_, b.coef_))
            dev = float(np.max(np.abs(a.coef_ - b.coef_)))
            print(f"answers     alpha_ {a.alpha_:.6g} both; mse_path_ and coef_ "
                  f"{'identical' if same else f'differ (coef max |diff| {dev:.3g})'}; "
                  f"{np.count_nonzero(a.coef_)} nonzero")
            if not same:
                print("the fits differ: no timing", file=sys.stderr)
                return 1
            times = {"single": [], "dask": []}
            for r in range(args.repeat):
                order = (("single", single), ("dask", dask))
                for name, fn in (order if r % 2 == 0 else order[::-1]):
                    t0 = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - t0)
                print(f"round {r + 1}     single {times['single'][-1]:.2f} s, "
                      f"dask {times['dask'][-1]:.2f} s")
            s, t = statistics.median(times["single"]), statistics.median(times["dask"])
            ratios = [b / a for a, b in zip(times["single"], times["dask"])]
            print(f"median      single process {s:.2f} s, {args.workers}-worker cluster "
                  f"{t:.2f} s: ratio {t / s:.3f} (per round: "
                  f"{', '.join(f'{x:.3f}' for x in ratios)}; target <= 1.3)")
    return 0


def partitioned(args, client, directory, G, y):
    import numpy as np

    import fastreg
    from fastreg.distributed import _blocks

    parts = [os.path.join(directory, "chr1"), os.path.join(directory, "chr2")]
    kw = dict(alphas=args.alphas, eps=args.eps, tol=args.tol, fit_intercept=True)

    def single():
        return fastreg.lasso_path(G, y, **kw)

    def dask():
        return fastreg.distributed.lasso_path(parts, y, client=client, return_info=True, **kw)

    a, b = single(), dask()
    dev = float(np.abs(a[1] - b[1]).max() / np.abs(a[1]).max())
    print(f"answers     grid max rel diff {float(np.abs(a[0] - b[0]).max() / a[0][0]):.2g}; "
          f"coefs max rel diff {dev:.2g} (tol {args.tol:g}); "
          f"{np.count_nonzero(a[1][:, -1])} nonzero at the last alpha")
    info = b[3]
    k = len(info["rounds"])
    print(f"per alpha   rounds mean {np.mean(info['rounds']):.2f} (max {max(info['rounds'])}); "
          f"to workers {np.mean(info['bytes_to_workers'][1:]) / 1e3:.1f} kB, from workers "
          f"{np.mean(info['bytes_from_workers'][1:]) / 1e3:.1f} kB (of which columns "
          f"fetched: the working set grew to {info['working_set'][-1]} columns, "
          f"{info['working_set'][-1] * ((args.n + 3) // 4) / 1e3:.0f} kB in all); "
          f"alpha_max: {info['bytes_to_workers'][0] / 1e3:.1f} kB out, {k} alphas")
    # one worker's pass over its block: the unit of the model
    worker = sorted(client.scheduler_info()["workers"])[0]
    r = y - y.mean()

    def one_pass(prefix, r):
        import time as _t

        g = _blocks.open_block([prefix])
        _blocks.gradient(g, r, True)  # warm: the block's pages in the page cache
        t0 = _t.perf_counter()
        _blocks.gradient(g, r, True)
        return _t.perf_counter() - t0, g.n_samples * g.n_variants

    t_pass, cells = client.submit(one_pass, parts[0], r, workers=[worker], pure=False).result()
    print(f"pass        one worker, x_j^T r over its block of {cells // args.n:,} variants: "
          f"{t_pass:.3f} s ({t_pass / cells * 1e9:.2f} ns per genotype)")
    times = {"single": [], "dask": []}
    for rnd in range(args.repeat):
        order = (("single", single), ("dask", dask))
        for name, fn in (order if rnd % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
        print(f"round {rnd + 1}     single {times['single'][-1]:.2f} s, "
              f"partitioned {times['dask'][-1]:.2f} s")
    s, t = statistics.median(times["single"]), statistics.median(times["dask"])
    print(f"median      single-process path {s:.2f} s, partitioned over {args.workers} "
          f"workers {t:.2f} s: ratio {t / s:.3f} ({t / k:.3f} s per alpha)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
