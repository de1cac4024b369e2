"""Time fastreg.plot.path and fastreg.plot.manhattan at genome scale, saved as PNG.

The reference is an empty figure saved the same way (what any PNG costs), and the path
drawn as earlier versions did: one Line2D per variant and a legend placed at its "best"
location among them. Interleaved rounds, medians and ratios to the empty figure.

    python bench/bench_plots.py [--variants 50000] [--moving 2000] [--alphas 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=50_000)
    ap.add_argument("--moving", type=int, default=2000,
                    help="variants nonzero somewhere on the path")
    ap.add_argument("--selected", type=int, default=300, help="nonzero in the final model")
    ap.add_argument("--alphas", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import fastreg

    rng = np.random.default_rng(0)
    p, k, moving = args.variants, args.alphas, args.moving
    alphas = np.geomspace(1.0, 0.01, k)
    enter = np.sort(rng.integers(0, k, moving))
    coefs = np.zeros((moving, k))
    for i in range(moving):  # variants entering along the path, growing towards the end
        coefs[i, enter[i]:] = rng.standard_normal() * np.linspace(0, 1, k - enter[i]) ** 0.5
    ids = [f"rs{j}" for j in range(p)]
    coef = np.zeros(p)
    coef[rng.choice(p, args.selected, replace=False)] = 0.1 * rng.standard_normal(args.selected)
    chrom = 1 + np.arange(p) * 22 // p
    pos = np.empty(p, dtype=np.int64)
    for c in range(1, 23):
        on = chrom == c
        pos[on] = np.cumsum(rng.integers(200, 5000, int(on.sum())))
    out = os.path.join(tempfile.mkdtemp(), "plot.png")

    def save(ax):
        ax.figure.savefig(out, dpi=100)
        plt.close(ax.figure)

    def line_per_variant():
        ax = plt.figure().add_subplot()
        ax.plot(alphas, coefs.T)
        ax.axvline(0.05, linestyle="--", label="alpha_min")
        ax.axvline(0.1, linestyle=":", label="alpha_1se")
        ax.set_xscale("log")
        ax.set_xlim(alphas.max(), alphas.min())
        ax.legend(loc="best")
        save(ax)

    draws = {
        "empty figure": lambda: save(plt.figure().add_subplot()),
        "path, a Line2D per variant": line_per_variant,
        "fastreg.plot.path": lambda: save(fastreg.plot.path(
            (alphas, coefs), labels=ids[:moving], alpha_min=0.05, alpha_1se=0.1,
            count_label="nonzero variants")),
        "fastreg.plot.manhattan": lambda: save(fastreg.plot.manhattan(
            coef, chrom, pos, labels=ids)),
    }
    for draw in draws.values():  # warm-up: fonts, caches
        draw()
    times = {name: [] for name in draws}
    for _ in range(args.repeat):
        for name, draw in draws.items():
            t0 = time.perf_counter()
            draw()
            times[name].append(time.perf_counter() - t0)
    empty = statistics.median(times["empty figure"])
    print(f"{p:,} variants, {moving:,} nonzero somewhere on {k} alphas, {args.selected} "
          f"selected; 640 x 480 (Manhattan 1000 x 400) PNG at 100 dpi; median of "
          f"{args.repeat}, interleaved")
    print(f"{'plot':<30}{'median s':>10}{'x empty':>9}")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"{name:<30}{m:10.3f}{m / empty:9.1f}")


if __name__ == "__main__":
    main()
