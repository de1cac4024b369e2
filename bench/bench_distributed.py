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

    python bench/bench_distributed.py                      # 2,000 x 200,000, 3 rounds
    python bench/bench_distributed.py --p 20000 --repeat 1  # a quick look
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
    args = ap.parse_args(argv)

    import numpy as np
    import distributed

    import fastreg

    with tempfile.TemporaryDirectory() as d:
        pattern, y = make_data(d, args.n, args.p, args.seed)
        G = fastreg.Genotypes.from_bed(pattern)
        bed_mb = args.p * ((args.n + 3) // 4) / 1e6
        print(f"data        {args.n:,} x {args.p:,} in two .bed files ({bed_mb:.0f} MB), "
              f"LassoCV(cv={args.folds}), {args.workers} workers x 1 thread; this process: "
              f"{fastreg.get_num_threads()} threads")
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                      processes=True, dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            client.run(lambda: __import__("fastreg"))  # imports out of the timings

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


if __name__ == "__main__":
    sys.exit(main())
