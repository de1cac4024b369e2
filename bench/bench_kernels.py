"""Kernels against a plain copy and their peers, in one run.

    python bench/bench_kernels.py [--size 50000000] [--repeat 7] [--threads N] [--no-peers]
    python bench/bench_kernels.py --small [--breakdown] [--repeat 7] [--number 2000] [--median]
    python bench/bench_kernels.py --gpu [--size 50000000] [--repeat 21]
    python bench/bench_kernels.py --threads-curve [--repeat 15] [--number 200]

For float64 and float32 arrays of --size elements, with all cores: the bandwidth
reference (the faster of numpy.copyto and one copyto per core from Python threads into a
preallocated output), NumPy expressions, PyTorch's kernels when torch is installed, and
fastreg with and without out=. Every result is checked before anything is timed. Times
are medians of interleaved repetitions, printed as ratios to the copy, with fastreg's
ratio to the fastest peer and the issue's targets. Then `import fastreg` against
`import numpy`, each in a fresh process.

--gpu runs the CuPy kernels instead (bench/gpu_check.sh runs it): every GPU result is first
checked to be bit-identical to the CPU's (masks included, at offsets 0 and 37), then each
kernel is timed with CUDA events against a device-to-device copy of the same array and
against torch's CUDA kernels when torch sees the GPU.

--threads-curve measures where a second thread starts to pay for each kernel: at sizes
from 2**12 to 2**21 it times one call with the kernels' serial threshold set above the size
(one thread) and set to the size itself (the threads' default count, as if the threshold
were there), interleaved, and prints the ratio; the compiled thresholds come from it.

--small times one call on 10 to 100,000 elements instead (timeit, best of --repeat runs of
--number calls, interleaved): each kernel with and without out= against the fastest of its
NumPy and torch equivalents. --breakdown splits soft_threshold's call into its parts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time

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


def bench_dtype(dtype, size, repeat, torch, with_peers=True):
    nthreads = fastreg.get_num_threads()
    x = np.random.default_rng(0).standard_normal(size).astype(dtype)
    y = np.empty_like(x)
    mine, theirs = ours(x, y), (peers(x, y, torch) if with_peers else {})
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
        t_ours = times[f"fastreg.{kernel}(out=)"]
        to_copy, to_peer = TARGETS[(kernel, np.dtype(dtype).name)]
        if nthreads == 1:  # one thread: the copy is the same one-thread copy for both dtypes
            to_copy = 1.15 if kernel == "soft_threshold" else 1.35
        line = f"{kernel}: {t_ours / copy:.2f}x copy (target <= {to_copy})"
        if theirs:
            best_peer = min((times[k], k) for k, (_, kind) in theirs.items() if kind == kernel)
            line += f", {t_ours / best_peer[0]:.3f}x fastest peer {best_peer[1]} (target <= {to_peer})"
        print(line)


def import_times(repeat):
    def run(stmt):
        return lambda: subprocess.run([sys.executable, "-c", stmt], check=True)

    times = interleaved_medians({"import numpy": run("import numpy"), "import fastreg": run("import fastreg")},
                                repeat=repeat)
    ratio = times["import fastreg"] / times["import numpy"]
    print(f"\nimport (fresh process, median of {repeat}): numpy {times['import numpy'] * 1e3:.0f} ms, "
          f"fastreg {times['import fastreg'] * 1e3:.0f} ms, ratio {ratio:.2f} (target <= 1.15)")


# ---------------------------------------------------------------------------------------
# --small: the per-call cost on small and medium arrays.

SMALL_SIZES = (10, 100, 1_000, 10_000, 100_000)


def best_per_call(fns, repeat, number, median=False):
    """Best (or with `median`, the median) of `repeat` timeit runs of `number` calls, per
    call, for each of {name: fn}. The runs are interleaved across the functions so that
    the machine's busy moments spread over all of them."""
    import timeit

    timers = {name: timeit.Timer(fn) for name, fn in fns.items()}
    runs = {name: [] for name in fns}
    for _ in range(repeat):
        for name, t in timers.items():
            runs[name].append(t.timeit(number) / number)
    pick = statistics.median if median else min
    return {name: pick(r) for name, r in runs.items()}


def small_cases(x, y, torch):
    """kernel -> (ours without out=, ours with out= or None, {peer: fn}), every result
    checked first."""
    n, dt = x.size, x.dtype.type
    rng = np.random.default_rng(1)
    l2 = 0.5
    soft = np.sign(x) * np.maximum(np.abs(x) - dt(T), 0)
    check("small soft_threshold", np.array_equal(fastreg.soft_threshold(x, T), soft))
    check("small soft_threshold out=", np.array_equal(fastreg.soft_threshold(x, T, out=y), soft))
    check("small enet_prox", np.array_equal(fastreg.enet_prox(x, T, l2), soft / dt(1 + l2)))
    d, m = fastreg.dropout(x, P, seed=SEED, return_mask=True)
    check("small dropout", np.array_equal(d, np.where(m, x * dt(1 / (1 - P)), 0)))
    check("small dropout out=", np.array_equal(fastreg.dropout(x, P, seed=SEED, out=y), d))
    check("small dropout_backward", np.array_equal(fastreg.dropout_backward(x, P, seed=SEED), d))
    check("small dropout_mask", np.array_equal(fastreg.dropout_mask(n, P, seed=SEED), m))
    g = x.copy()
    keep = rng.random(n) < 1 - P
    scale = dt(1 / (1 - P))
    check("small dropout_backward(mask=)", np.array_equal(fastreg.dropout_backward(g, P, mask=keep),
                                                          np.where(keep, g * scale, 0)))

    def np_soft_out():
        np.clip(x, -T, T, out=y)
        np.subtract(x, y, out=y)

    def np_enet_out():
        np.clip(x, -T, T, out=y)
        np.subtract(x, y, out=y)
        np.divide(y, 1 + l2, out=y)

    cases = {
        "soft_threshold": (lambda: fastreg.soft_threshold(x, T), lambda: fastreg.soft_threshold(x, T, out=y), {
            "numpy x-clip(x,-t,t)": lambda: x - np.clip(x, -T, T),
            "numpy clip, subtract (out=)": np_soft_out,
            "numpy sign*max(|x|-t,0)": lambda: np.sign(x) * np.maximum(np.abs(x) - T, 0)}),
        "enet_prox": (lambda: fastreg.enet_prox(x, T, l2), lambda: fastreg.enet_prox(x, T, l2, out=y), {
            "numpy (x-clip)/(1+l2)": lambda: (x - np.clip(x, -T, T)) / (1 + l2),
            "numpy clip, subtract, divide (out=)": np_enet_out}),
        "dropout": (lambda: fastreg.dropout(x, P, seed=SEED), lambda: fastreg.dropout(x, P, seed=SEED, out=y), {
            "numpy x*(rand<1-p)*scale": lambda: x * (rng.random(n, dtype=x.dtype) < 1 - P) * scale}),
        "dropout_backward": (lambda: fastreg.dropout_backward(g, P, seed=SEED),
                             lambda: fastreg.dropout_backward(g, P, seed=SEED, out=y), {
            "numpy g*mask*scale (stored mask)": lambda: g * keep * scale}),
        "dropout_backward(mask=)": (lambda: fastreg.dropout_backward(g, P, mask=keep),
                                    lambda: fastreg.dropout_backward(g, P, mask=keep, out=y), {
            "numpy g*mask*scale": lambda: g * keep * scale}),
        "dropout_mask": (lambda: fastreg.dropout_mask(n, P, seed=SEED), None, {
            "numpy rand(float32)<1-p": lambda: rng.random(n, dtype=np.float32) < 1 - P,
            "numpy rand<1-p": lambda: rng.random(n) < 1 - P}),
    }
    if torch is not None:
        F = torch.nn.functional
        xt, yt, gt = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(g)
        mt = torch.from_numpy(keep)
        check("small torch softshrink", np.array_equal(F.softshrink(xt, T).numpy(), soft))
        cases["soft_threshold"][2]["torch softshrink"] = lambda: F.softshrink(xt, T)
        cases["soft_threshold"][2]["torch softshrink(out=)"] = lambda: torch._C._nn.softshrink(xt, T, out=yt)
        cases["enet_prox"][2]["torch softshrink/(1+l2)"] = lambda: F.softshrink(xt, T).div_(1 + l2)
        cases["dropout"][2]["torch F.dropout"] = lambda: F.dropout(xt, P, training=True)
        cases["dropout"][2]["torch aten.native_dropout"] = lambda: torch.ops.aten.native_dropout(xt, P, True)
        cases["dropout_backward"][2]["torch native_dropout_backward"] = (
            lambda: torch.ops.aten.native_dropout_backward(gt, mt, float(scale)))
        cases["dropout_backward(mask=)"][2]["torch native_dropout_backward"] = (
            lambda: torch.ops.aten.native_dropout_backward(gt, mt, float(scale)))
        cases["dropout_mask"][2]["torch rand<1-p"] = lambda: torch.rand(n, dtype=xt.dtype) < 1 - P
        cases["dropout_mask"][2]["torch bernoulli_"] = lambda: torch.empty(n, dtype=torch.bool).bernoulli_(1 - P)
    return cases


def bench_small(dtypes, sizes, repeat, number, torch, median=False):
    stat = "median" if median else "best"
    print(f"\nper call, {stat} of {repeat} x {number} calls (interleaved); ratios to the fastest peer "
          "(target <= 1.0) and of out= to without (target <= 1.0)")
    rows = []
    for dtype in dtypes:
        for n in sizes:
            x = np.random.default_rng(0).standard_normal(n).astype(dtype)
            y = np.empty_like(x)
            cases = small_cases(x, y, torch)
            fns = {}
            for kernel, (mine, mine_out, theirs) in cases.items():
                fns[(kernel, "ours")] = mine
                if mine_out is not None:
                    fns[(kernel, "ours out=")] = mine_out
                fns.update({(kernel, name): f for name, f in theirs.items()})
            # With --median, runs of about the same length (~1 ms) at every size: on a loaded
            # machine a long run is preempted more often than a short one, which would
            # penalise the big sizes (and, within a size, the slower functions) unevenly.
            calls = max(3, min(number, 1_000_000 // max(n, 1))) if median else number
            best = best_per_call(fns, repeat, calls, median)
            for kernel, (_, mine_out, theirs) in cases.items():
                peer_time, peer = min((best[(kernel, name)], name) for name in theirs)
                ours = best[(kernel, "ours")]
                out = best[(kernel, "ours out=")] if mine_out is not None else None
                rows.append((kernel, np.dtype(dtype).name, n, ours, out, peer_time, peer))
    print(f"{'kernel':24}{'dtype':>8}{'n':>8}{'ours us':>9}{'out= us':>9}{'peer us':>9}"
          f"{'ours/peer':>10}{'out=/peer':>10}{'out=/ours':>10}  fastest peer")
    for kernel, dtype, n, ours, out, peer_time, peer in sorted(rows, key=lambda r: (SMALL_KERNELS.index(r[0]), r[1], r[2])):
        o = f"{out * 1e6:9.2f}" if out is not None else f"{'-':>9}"
        r_out = f"{out / peer_time:10.2f}{out / ours:10.2f}" if out is not None else f"{'-':>10}{'-':>10}"
        print(f"{kernel:24}{dtype:>8}{n:>8}{ours * 1e6:9.2f}{o}{peer_time * 1e6:9.2f}"
              f"{ours / peer_time:10.2f}{r_out}  {peer}")
    worst = max(r[3] / r[5] for r in rows)
    worst_out = max((r[4] / r[5] for r in rows if r[4] is not None), default=0)
    print(f"worst ours/peer {worst:.2f}, worst out=/peer {worst_out:.2f} (targets <= 1.0)")


SMALL_KERNELS = ("soft_threshold", "enet_prox", "dropout", "dropout_backward", "dropout_backward(mask=)",
                 "dropout_mask")


# ---------------------------------------------------------------------------------------
# --breakdown: where a small call's microseconds go.


def breakdown(repeat, number):
    from fastreg import _core
    from fastreg import _validation as v
    from fastreg.kernels import _general

    print(f"\nwhere soft_threshold's time goes, per call, best of {repeat} x {number} calls")
    gil = min(_core._probe_gil_release(200_000) for _ in range(repeat))
    print(f"{'release and retake the GIL (C++ loop)':58}{gil * 1e6:8.3f} us")
    for dtype in ("float64", "float32"):
        for n in (10, 10_000):
            x = np.random.default_rng(0).standard_normal(n).astype(dtype)
            y = np.empty_like(x)
            t = v.penalty_parameter(T, "threshold", x)
            parts = {
                "a bound call doing nothing (3 arguments)": lambda: _core._probe_call(x, T, None),
                "np.empty_like(x) (the result's allocation)": lambda: np.empty_like(x),
                "general: float_array(x)": lambda: v.float_array(x, "x"),
                "general: penalty_parameter(threshold)": lambda: v.penalty_parameter(T, "threshold", x),
                "general: output(None) (allocation)": lambda: v.output(None, x, [("x", x), ("threshold", t)]),
                "general: output(out) (checks, overlap analysis)": lambda: v.output(y, x, [("x", x), ("threshold", t)]),
                "general: _core.soft_threshold (2 overloads, GIL released)": lambda: _core.soft_threshold(x, t, y),
                "general path, whole, without out=": lambda: _general.soft_threshold(x, T, None),
                "general path, whole, with out=": lambda: _general.soft_threshold(x, T, y),
                "fast: _core.soft_threshold_fast without out=": lambda: _core.soft_threshold_fast(x, T, None),
                "fast: _core.soft_threshold_fast with out=": lambda: _core.soft_threshold_fast(x, T, y),
                "fastreg.soft_threshold without out=": lambda: fastreg.soft_threshold(x, T),
                "fastreg.soft_threshold with out=": lambda: fastreg.soft_threshold(x, T, out=y),
            }
            best = best_per_call(parts, repeat, number)
            print(f"\n{dtype}, n = {n:,}")
            for name, sec in best.items():
                print(f"{name:58}{sec * 1e6:8.3f} us")
    # Releasing the GIL is cheap alone, but with another Python thread busy it hands the
    # GIL over, and the caller waits for it to come back (the interpreter's switch interval).
    x = np.random.default_rng(0).standard_normal(100)
    y = np.empty_like(x)
    t = v.penalty_parameter(T, "threshold", x)
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            pass

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        import statistics
        import timeit

        busy = {name: statistics.median(timeit.Timer(f).repeat(5, 200)) / 200 for name, f in {
            "_core.soft_threshold (releases the GIL)": lambda: _core.soft_threshold(x, t, y),
            "_core.soft_threshold_fast (keeps it below the size)": lambda: _core.soft_threshold_fast(x, T, y),
        }.items()}
    finally:
        stop.set()
        spinner.join()
    print("\nfloat64, n = 100, with another Python thread busy (mean of 200 calls, median of 5)")
    for name, sec in busy.items():
        print(f"{name:58}{sec * 1e6:8.1f} us")


# ---------------------------------------------------------------------------------------
# --gpu: the CuPy kernels against a device-to-device copy and torch's CUDA kernels.


def gpu_checks(cp, x_host, x):
    """Every GPU result bit-identical to the CPU's (the masks are the contract)."""
    n = x.size
    same = lambda gpu, cpu: np.array_equal(cp.asnumpy(gpu), cpu)  # noqa: E731
    check("gpu soft_threshold", same(fastreg.soft_threshold(x, T), fastreg.soft_threshold(x_host, T)))
    check("gpu enet_prox", same(fastreg.enet_prox(x, T, 0.5), fastreg.enet_prox(x_host, T, 0.5)))
    for offset in (0, 37):
        d, m = fastreg.dropout(x, P, seed=SEED, offset=offset, return_mask=True)
        dh, mh = fastreg.dropout(x_host, P, seed=SEED, offset=offset, return_mask=True)
        check(f"gpu dropout (offset {offset})", same(d, dh) and same(m, mh))
        check(f"gpu dropout_backward(seed=) (offset {offset})",
              same(fastreg.dropout_backward(x, P, seed=SEED, offset=offset), dh))
        check(f"gpu dropout_mask packed (offset {offset})",
              same(fastreg.dropout_mask(n, P, seed=SEED, offset=offset, packed=True, like=x),
                   fastreg.dropout_mask(n, P, seed=SEED, offset=offset, packed=True)))
    check("gpu dropout_backward(mask=)",
          same(fastreg.dropout_backward(x, P, mask=m), fastreg.dropout_backward(x_host, P, mask=mh)))


def gpu_medians(cp, fns, repeat):
    """Median milliseconds of each of {name: fn} by CUDA events, interleaved."""
    start, end = cp.cuda.Event(), cp.cuda.Event()
    for fn in fns.values():  # compile and warm up
        fn()
    cp.cuda.Device().synchronize()
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start.record()
            fn()
            end.record()
            end.synchronize()
            times[name].append(cp.cuda.get_elapsed_time(start, end))
    return {name: float(np.median(ts)) for name, ts in times.items()}


def bench_gpu(dtypes, size, repeat, torch):
    from fastreg import _gpu

    if not _gpu.available():
        raise SystemExit(f"--gpu: no GPU for the CuPy kernels: {_gpu.describe()}")
    import cupy as cp

    print(f"GPU: {_gpu.describe()}")
    use_torch = torch is not None and torch.cuda.is_available()
    print(f"torch CUDA: {'yes, ' + torch.cuda.get_device_name() if use_torch else 'not available'}")
    for dtype in dtypes:
        x_host = np.random.default_rng(0).standard_normal(size).astype(dtype)
        x = cp.asarray(x_host)
        y = cp.empty_like(x)
        gpu_checks(cp, x_host[:1_000_003], x[:1_000_003])
        fns = {
            "copy (device to device)": lambda: cp.copyto(y, x),
            "fastreg.soft_threshold(out=)": lambda: fastreg.soft_threshold(x, T, out=y),
            "fastreg.soft_threshold": lambda: fastreg.soft_threshold(x, T),
            "fastreg.enet_prox(out=)": lambda: fastreg.enet_prox(x, T, 0.5, out=y),
            "fastreg.dropout(out=)": lambda: fastreg.dropout(x, P, seed=SEED, out=y),
            "fastreg.dropout": lambda: fastreg.dropout(x, P, seed=SEED),
            "fastreg.dropout_backward(seed=, out=)": lambda: fastreg.dropout_backward(x, P, seed=SEED, out=y),
            "fastreg.dropout_mask(packed)": lambda: fastreg.dropout_mask(size, P, seed=SEED, packed=True, like=x),
        }
        if use_torch:
            xt = torch.from_dlpack(x)
            F = torch.nn.functional
            check("torch cuda softshrink", np.array_equal(F.softshrink(xt, T).cpu().numpy(),
                                                          fastreg.soft_threshold(x_host, T)))
            check("torch cuda dropout", keep_rate_ok((F.dropout(xt, P).cpu().numpy() != 0), P))
            fns["torch softshrink"] = lambda: F.softshrink(xt, T)
            fns["torch F.dropout"] = lambda: F.dropout(xt, P, training=True)
            fns["torch aten.native_dropout"] = lambda: torch.ops.aten.native_dropout(xt, P, True)
        times = gpu_medians(cp, fns, repeat)
        copy = times["copy (device to device)"]
        gbs = 2 * x.nbytes / 1e9
        print(f"\n{np.dtype(dtype).name}, {size:,} elements on the GPU, median of {repeat} (CUDA events)")
        print(f"{'':40}{'ms':>8}{'x copy':>8}{'GB/s':>8}")
        for name, ms in times.items():
            print(f"{name:40}{ms:8.3f}{ms / copy:8.2f}{gbs / (ms / 1e3):8.0f}")
        if use_torch:
            print(f"dropout(out=) / torch F.dropout: {times['fastreg.dropout(out=)'] / times['torch F.dropout']:.2f}")


# ---------------------------------------------------------------------------------------
# --threads-curve: where a second thread starts to pay.


def threads_curve(dtypes, repeat, number):
    from fastreg import _core

    default = _core._kernel_serial_below()
    threads = fastreg.get_num_threads()
    print(f"\nthreads curve: {threads} threads against one, compiled thresholds (bandwidth, compute) = "
          f"{default}; per call, median of {repeat} interleaved runs of {number} calls")
    if threads < 2:
        raise SystemExit("--threads-curve needs at least 2 threads")
    sizes = [int(2 ** (k / 2)) // 64 * 64 for k in range(24, 43)]  # 2**12 .. 2**21
    huge = 1 << 62
    print(f"{'kernel':34}{'dtype':>8}" + "".join(f"{n:>9}" for n in sizes))
    try:
        for dtype in dtypes:
            x0 = np.random.default_rng(0).standard_normal(sizes[-1]).astype(dtype)
            y0 = np.empty_like(x0)
            keep0 = np.random.default_rng(1).random(sizes[-1]) < 1 - P
            rows = {}
            for n in sizes:
                x, y, keep = x0[:n], y0[:n], keep0[:n]
                cases = {
                    "soft_threshold(out=)": ("bandwidth", lambda: fastreg.soft_threshold(x, T, out=y)),
                    "enet_prox(out=)": ("bandwidth", lambda: fastreg.enet_prox(x, T, 0.5, out=y)),
                    "dropout_backward(mask=, out=)": ("bandwidth", lambda: fastreg.dropout_backward(x, P, mask=keep, out=y)),
                    "dropout(out=)": ("compute", lambda: fastreg.dropout(x, P, seed=SEED, out=y)),
                    "dropout_mask": ("compute", lambda: fastreg.dropout_mask(n, P, seed=SEED)),
                }
                for name, (kind, fn) in cases.items():
                    def one(fn=fn, kind=kind):
                        _core._kernel_serial_below(**{kind: huge})
                        return fn()

                    def two(fn=fn, kind=kind, n=n):
                        _core._kernel_serial_below(**{kind: n})
                        return fn()

                    t = {"one": [], "two": []}
                    for _ in range(repeat):
                        for label, f in (("one", one), ("two", two)):
                            t0 = time.perf_counter()
                            for _ in range(number):
                                f()
                            t[label].append((time.perf_counter() - t0) / number)
                    rows.setdefault(name, []).append(statistics.median(t["two"]) / statistics.median(t["one"]))
            for name, ratios in rows.items():
                print(f"{name:34}{np.dtype(dtype).name:>8}" + "".join(f"{r:9.2f}" for r in ratios))
    finally:
        _core._kernel_serial_below(*default)
    print("(ratio = time with threads / time on one thread; < 1 where threads pay)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--small", action="store_true",
                        help="per-call cost from 10 to 100,000 elements (timeit, best of --repeat x --number)")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads for fastreg and torch (default: all the cores); the copy reference uses as many")
    parser.add_argument("--sizes", default="", help="--small's sizes, comma-separated (default 10 to 100,000)")
    parser.add_argument("--breakdown", action="store_true", help="where a small call's time goes")
    parser.add_argument("--no-peers", action="store_true",
                        help="fastreg against the copies only (many repeats fit in the time; no import timing)")
    parser.add_argument("--threads-curve", action="store_true",
                        help="where a second thread starts to pay, kernel by kernel")
    parser.add_argument("--gpu", action="store_true",
                        help="the CuPy kernels against a device-to-device copy and torch's CUDA kernels")
    parser.add_argument("--median", action="store_true",
                        help="--small: the median of the --repeat runs instead of the best (for a loaded machine)")
    parser.add_argument("--number", type=int, default=2000, help="calls per timeit run (--small, --breakdown)")
    args = parser.parse_args()
    if args.threads:
        fastreg.set_num_threads(args.threads)
    try:
        import torch

        torch.set_num_threads(fastreg.get_num_threads())
    except ImportError:
        torch = None
    print(f"fastreg {fastreg.__version__}, SIMD {fastreg._core.build_info()['simd']}, "
          f"torch {torch.__version__ if torch else 'not installed'}, numpy {np.__version__}, "
          f"{os.cpu_count()} cpus")
    if args.threads_curve:
        threads_curve(args.dtypes.split(","), args.repeat, min(args.number, 200))
        return
    if args.gpu:
        bench_gpu(args.dtypes.split(","), args.size, args.repeat, torch)
        return
    if args.breakdown:
        breakdown(args.repeat, args.number)
    if args.small:
        sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else SMALL_SIZES
        bench_small(args.dtypes.split(","), sizes, args.repeat, args.number, torch, args.median)
    if args.small or args.breakdown:
        return
    for dtype in args.dtypes.split(","):
        bench_dtype(dtype, args.size, args.repeat, torch, not args.no_peers)
    if not args.no_peers:
        import_times(max(args.repeat, 15))


if __name__ == "__main__":
    main()
