"""Kernels against a plain copy and their peers, in one run.

    python bench/bench_kernels.py [--size 50000000] [--repeat 7]

For float64 and float32 arrays of --size elements, with all cores: the bandwidth
reference (the faster of numpy.copyto and one copyto per core from Python threads into a
preallocated output), NumPy expressions, PyTorch's kernels when torch is installed, and
fastreg with and without out=. Every result is checked before anything is timed. Times
are medians of interleaved repetitions, printed as ratios to the copy, with fastreg's
ratio to the fastest peer and the issue's targets. Then `import fastreg` against
`import numpy`, each in a fresh process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading

# fastreg and torch each bring an OpenMP runtime. By default a runtime's idle threads spin
# for a while after each parallel region, stealing the cores from the other library's next
# call, which interleaved timing makes the norm. Passive waiting is fair to both; it must be
# set before either runtime starts.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

import fastreg  # noqa: E402
from fastreg._timing import interleaved_medians

T, P, SEED = 0.5, 0.1, 1234
TARGETS = {  # fastreg / copy, fastreg / fastest peer
    ("soft_threshold", "float64"): (1.15, 0.35),
    ("soft_threshold", "float32"): (1.15, 0.35),
    ("dropout", "float64"): (1.35, 0.12),
    ("dropout", "float32"): (1.5, 0.12),
}


def threaded_copy(y, x, nthreads):
    bounds = np.linspace(0, x.size, nthreads + 1).astype(int)
    threads = [threading.Thread(target=np.copyto, args=(y[a:b], x[a:b])) for a, b in zip(bounds, bounds[1:])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check(name, ok):
    if not ok:
        raise SystemExit(f"wrong result: {name}; nothing timed")


def keep_rate_ok(mask, p):
    sd = np.sqrt(p * (1 - p) / mask.size)
    return abs(float(mask.mean()) - (1 - p)) < 6 * sd


def peers(x, y, torch):
    """name -> (callable, kernel) for NumPy's and torch's versions, checked here."""
    n = x.size
    rng = np.random.default_rng(1)
    ref = np.sign(x) * np.maximum(np.abs(x) - T, 0)
    check("numpy clip form", np.array_equal(x - np.clip(x, -T, T), ref))
    out = {
        "numpy sign*max(|x|-t,0)": (lambda: np.sign(x) * np.maximum(np.abs(x) - T, 0), "soft_threshold"),
        "numpy x-clip(x,-t,t)": (lambda: x - np.clip(x, -T, T), "soft_threshold"),
        "numpy x*(rand<1-p)/(1-p)": (
            lambda: x * (rng.random(n, dtype=x.dtype) < 1 - P) / x.dtype.type(1 - P), "dropout"),
    }
    if torch is not None:
        xt = torch.from_numpy(x)
        F = torch.nn.functional
        check("torch softshrink", np.allclose(F.softshrink(xt, T).numpy(), ref, rtol=0, atol=0))
        d = F.dropout(xt, P, training=True).numpy()
        check("torch dropout", keep_rate_ok(d != 0, P))
        out["torch softshrink"] = (lambda: F.softshrink(xt, T), "soft_threshold")
        out["torch F.dropout"] = (lambda: F.dropout(xt, P, training=True), "dropout")
        out["torch aten.native_dropout"] = (lambda: torch.ops.aten.native_dropout(xt, P, True), "dropout")
    return out


def ours(x, y):
    ref = np.sign(x) * np.maximum(np.abs(x) - T, 0)
    check("fastreg.soft_threshold", np.array_equal(fastreg.soft_threshold(x, T), ref))
    d, m = fastreg.dropout(x, P, seed=SEED, return_mask=True)
    check("fastreg.dropout", np.array_equal(d, np.where(m, x * x.dtype.type(1 / (1 - P)), 0)) and keep_rate_ok(m, P))
    check("fastreg.dropout out=", np.array_equal(fastreg.dropout(x, P, seed=SEED, out=y), d))
    return {
        "fastreg.soft_threshold(out=)": (lambda: fastreg.soft_threshold(x, T, out=y), "soft_threshold"),
        "fastreg.soft_threshold": (lambda: fastreg.soft_threshold(x, T), "soft_threshold"),
        "fastreg.dropout(out=)": (lambda: fastreg.dropout(x, P, seed=SEED, out=y), "dropout"),
        "fastreg.dropout": (lambda: fastreg.dropout(x, P, seed=SEED), "dropout"),
        "fastreg.dropout(out=, packed mask)": (
            lambda: fastreg.dropout(x, P, seed=SEED, out=y, return_mask=True, packed_mask=True), "dropout"),
        "fastreg.dropout_backward(seed=, out=)": (
            lambda: fastreg.dropout_backward(x, P, seed=SEED, out=y), "dropout"),
    }


def bench_dtype(dtype, size, repeat, torch):
    nthreads = fastreg.get_num_threads()
    x = np.random.default_rng(0).standard_normal(size).astype(dtype)
    y = np.empty_like(x)
    mine, theirs = ours(x, y), peers(x, y, torch)
    fns = {"copy (np.copyto)": lambda: np.copyto(y, x),
           f"copy ({nthreads} threads)": lambda: threaded_copy(y, x, nthreads)}
    fns.update({k: f for k, (f, _) in {**theirs, **mine}.items()})
    times = interleaved_medians(fns, repeat=repeat)
    copy = min(times["copy (np.copyto)"], times[f"copy ({nthreads} threads)"])
    print(f"\n{np.dtype(dtype).name}, {size:,} elements, {nthreads} threads, median of {repeat}")
    print(f"{'':40}{'ms':>8}{'x copy':>8}")
    for name, sec in times.items():
        print(f"{name:40}{sec * 1e3:8.1f}{sec / copy:8.2f}")
    for kernel in ("soft_threshold", "dropout"):
        best_peer = min((times[k], k) for k, (_, kind) in theirs.items() if kind == kernel)
        t_ours = times[f"fastreg.{kernel}(out=)"]
        to_copy, to_peer = TARGETS[(kernel, np.dtype(dtype).name)]
        print(f"{kernel}: {t_ours / copy:.2f}x copy (target <= {to_copy}), "
              f"{t_ours / best_peer[0]:.3f}x fastest peer {best_peer[1]} (target <= {to_peer})")


def import_times(repeat):
    def run(stmt):
        return lambda: subprocess.run([sys.executable, "-c", stmt], check=True)

    times = interleaved_medians({"import numpy": run("import numpy"), "import fastreg": run("import fastreg")},
                                repeat=repeat)
    ratio = times["import fastreg"] / times["import numpy"]
    print(f"\nimport (fresh process, median of {repeat}): numpy {times['import numpy'] * 1e3:.0f} ms, "
          f"fastreg {times['import fastreg'] * 1e3:.0f} ms, ratio {ratio:.2f} (target <= 1.15)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dtypes", default="float64,float32")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(fastreg.get_num_threads())
    except ImportError:
        torch = None
    print(f"fastreg {fastreg.__version__}, SIMD {fastreg._core.build_info()['simd']}, "
          f"torch {torch.__version__ if torch else 'not installed'}, numpy {np.__version__}, "
          f"{os.cpu_count()} cpus")
    for dtype in args.dtypes.split(","):
        bench_dtype(dtype, args.size, args.repeat, torch)
    import_times(max(args.repeat, 15))


if __name__ == "__main__":
    main()
